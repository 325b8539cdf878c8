// Package initburn burns ~200 ms of CPU in init() before any benchmark
// runs, then does a fixed small amount of work per op.  perfgo must not
// charge the init time to the benchmark's per-op counters.
//
// Both init and the benchmark do a fixed amount of work (not a fixed wall
// time), so their CPU time stays the same on a busy machine.
package initburn

import "testing"

var sink uint64

// initSteps dependent multiply-adds take ~200 ms on the 2-core test VM.
const initSteps = 200_000_000

func init() {
	sink = steps(1, initSteps)
}

// steps does n dependent multiply-adds (~1 ns each here).
func steps(x uint64, n int) uint64 {
	for i := 0; i < n; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	return x
}

// BenchmarkWork does 300 steps per op (~300 ns here).
func BenchmarkWork(b *testing.B) {
	x := uint64(b.N)
	for i := 0; i < b.N; i++ {
		x = steps(x, 300)
	}
	sink = x
}
