// Package branchprediction shows what a mispredicted branch costs: the same
// loop over the same numbers runs several times slower when the numbers
// come in random order, because the CPU can no longer guess which side of
// the if it will take.
package branchprediction

import "math/rand"

// Totals is what both evaluators compute: the sum and count of the
// negative values, and the sum of the others.
type Totals struct {
	NegSum, NegCount, PosSum int64
}

// EvalBranch classifies each value with an if/else.  Each side updates
// different accumulators, so the Go compiler keeps a real conditional jump
// (a single "x = cond ? a : b" is what it turns into a CMOV); when the sign
// is random, about half of those jumps are mispredicted.
func EvalBranch(data []int64) Totals {
	var t Totals
	for _, v := range data {
		if v < 0 {
			t.NegSum += v
			t.NegCount++
		} else {
			t.PosSum += v
		}
	}
	return t
}

// EvalBranchless computes the same totals with arithmetic only: the sign
// bit becomes a mask (all ones for a negative value, zero otherwise) that
// selects which accumulator receives the value.  There is no branch to
// mispredict, so the order of the data does not matter.
func EvalBranchless(data []int64) Totals {
	var t Totals
	for _, v := range data {
		neg := v >> 63 // -1 if v < 0, else 0
		t.NegSum += v & neg
		t.NegCount -= neg
		t.PosSum += v &^ neg
	}
	return t
}

// Size is the number of values (1 MiB of int64).  It must be large: a
// branch predictor learns a random sequence that repeats, and the loop runs
// over the same data again and again.  On the AMD EPYC these numbers were
// measured on, a random sequence of 1<<15 signs was mostly learned (random
// only 1.55x slower than partitioned) and one of 1<<16 was not (about 8x);
// see README.md.
const Size = 1 << 17

// NewRandom returns Size values, half negative, in random order, from a
// fixed seed.
func NewRandom(seed int64) []int64 {
	rng := rand.New(rand.NewSource(seed))
	data := make([]int64, Size)
	for i := range data {
		data[i] = rng.Int63() - 1<<62
	}
	return data
}

// NewPredictable returns the same values as NewRandom(seed), partitioned
// by sign (the negative ones first, each group in its original order), so
// the branch changes direction once in the whole pass.
func NewPredictable(seed int64) []int64 {
	random := NewRandom(seed)
	data := make([]int64, 0, len(random))
	for _, v := range random {
		if v < 0 {
			data = append(data, v)
		}
	}
	for _, v := range random {
		if v >= 0 {
			data = append(data, v)
		}
	}
	return data
}
