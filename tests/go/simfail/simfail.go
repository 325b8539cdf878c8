// Package simfail has benchmarks the simulation (perfgo --counters sim)
// cannot count, beside one it can: BenchmarkSHA executes an instruction
// valgrind 3.19 does not know, BenchmarkNap sleeps long enough to pass a
// small simulation cap, BenchmarkJitter's instruction count is not
// repeatable, BenchmarkMix is a plain loop.
package simfail

// Mix scrambles x with 40 rounds of a multiply-xorshift.
//
//go:noinline
func Mix(x uint64) uint64 {
	for j := 0; j < 40; j++ {
		x = x*6364136223846793005 + 1442695040888963407
		x ^= x >> 29
	}
	return x
}
