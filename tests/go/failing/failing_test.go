package failing

import "testing"

var sink int

func TestOK(t *testing.T) {}

// TestBroken always fails (used by perfgo test default).
func TestBroken(t *testing.T) {
	t.Error("TestBroken: intended failure")
}

func BenchmarkOK(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink += i
	}
}

func BenchmarkBad(b *testing.B) {
	b.Fatal("boom: intended benchmark failure")
}
