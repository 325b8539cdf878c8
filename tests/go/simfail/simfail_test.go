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

// BenchmarkJitter does a random amount of work per op (xorshift seeded by
// the clock, no allocation): its instruction count differs from process to
// process (not repeatable, for perfgo's 0.1 % rule).
func BenchmarkJitter(b *testing.B) {
	seed := uint64(time.Now().UnixNano()) | 1
	x := uint64(1)
	for i := 0; i < b.N; i++ {
		seed ^= seed << 13
		seed ^= seed >> 7
		seed ^= seed << 17
		for j := seed & 1023; j > 0; j-- {
			x = x*3 + 1
		}
	}
	sink = x
}
