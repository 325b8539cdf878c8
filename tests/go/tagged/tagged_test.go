package tagged

import "testing"

var sink int

func BenchmarkPlain(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink += i
	}
}
