package branchprediction

import "testing"

const seed = 42

func TestSameTotals(t *testing.T) {
	rnd, sorted := NewRandom(seed), NewPredictable(seed)
	want := EvalBranch(rnd)
	if want.NegCount < Size/4 || want.NegCount > 3*Size/4 {
		t.Fatalf("%d of %d values negative, want about half", want.NegCount, Size)
	}
	cases := []struct {
		name string
		got  Totals
	}{
		{"EvalBranchless(random)", EvalBranchless(rnd)},
		{"EvalBranch(sorted)", EvalBranch(sorted)},
		{"EvalBranchless(sorted)", EvalBranchless(sorted)},
	}
	for _, c := range cases {
		if c.got != want {
			t.Errorf("%s = %+v, want %+v", c.name, c.got, want)
		}
	}
}

func TestSmall(t *testing.T) {
	data := []int64{-3, 5, 0, -1 << 62, 1 << 62, -7, 1}
	want := Totals{NegSum: -3 + -1<<62 + -7, NegCount: 3, PosSum: 5 + 1<<62 + 1}
	if got := EvalBranch(data); got != want {
		t.Errorf("EvalBranch = %+v, want %+v", got, want)
	}
	if got := EvalBranchless(data); got != want {
		t.Errorf("EvalBranchless = %+v, want %+v", got, want)
	}
}

// sink keeps the results alive so the loops cannot be optimised away.
var sink Totals

// The data are built once per process, before b.ResetTimer, and shared by
// Go's b.N=1 probe run and the measured run, so only the loop is timed and
// the per-op counters are not blurred by set-up.
var predictable, random []int64

func data(b *testing.B, sorted bool) []int64 {
	if random == nil {
		random, predictable = NewRandom(seed), NewPredictable(seed)
	}
	b.ResetTimer()
	if sorted {
		return predictable
	}
	return random
}

// One op is one pass over Size values.

func BenchmarkBranchPredictable(b *testing.B) {
	d := data(b, true)
	for i := 0; i < b.N; i++ {
		sink = EvalBranch(d)
	}
}

func BenchmarkBranchRandom(b *testing.B) {
	d := data(b, false)
	for i := 0; i < b.N; i++ {
		sink = EvalBranch(d)
	}
}

func BenchmarkBranchlessRandom(b *testing.B) {
	d := data(b, false)
	for i := 0; i < b.N; i++ {
		sink = EvalBranchless(d)
	}
}
