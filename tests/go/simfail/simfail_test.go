package simfail

import (
	"testing"
	"time"
)

var sink uint64

func BenchmarkMix(b *testing.B) {
	x := uint64(1)
	for i := 0; i < b.N; i++ {
		x = Mix(x)
	}
	sink = x
}

func BenchmarkSHA(b *testing.B) {
	for i := 0; i < b.N; i++ {
		shaRound()
	}
}

func BenchmarkNap(b *testing.B) {
	for i := 0; i < b.N; i++ {
		time.Sleep(100 * time.Millisecond)
	}
}
