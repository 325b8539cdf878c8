// Package slow has a benchmark that takes about a millisecond per op while
// using almost no CPU, so a test can interrupt perfgo in the middle of a
// job without loading the machine.
package slow

import (
	"testing"
	"time"
)

func BenchmarkSleep(b *testing.B) {
	for i := 0; i < b.N; i++ {
		time.Sleep(time.Millisecond)
	}
}
