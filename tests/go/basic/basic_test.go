package basic

import "testing"

var (
	sink    int
	sinkBuf []byte
)

func TestSum(t *testing.T) {
	if got := Sum([]int{1, 2, 3}); got != 6 {
		t.Fatalf("Sum = %d, want 6", got)
	}
}

// BenchmarkSum reports MB/s through b.SetBytes.
func BenchmarkSum(b *testing.B) {
	xs := make([]int, 256)
	for i := range xs {
		xs[i] = i
	}
	b.SetBytes(int64(len(xs) * 8))
	for i := 0; i < b.N; i++ {
		sink += Sum(xs)
	}
}

// BenchmarkAlloc allocates 1 KiB per op (B/op, allocs/op).
func BenchmarkAlloc(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sinkBuf = make([]byte, 1024) // escapes: 1024 B/op, 1 allocs/op
	}
}

// BenchmarkSub has sub-benchmarks and a custom b.ReportMetric unit.
func BenchmarkSub(b *testing.B) {
	for _, n := range []int{16, 64} {
		xs := make([]int, n)
		b.Run(name(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				sink += Sum(xs)
			}
			b.ReportMetric(float64(n), "elems/op")
		})
	}
}

func name(n int) string {
	if n == 16 {
		return "n=16"
	}
	return "n=64"
}
