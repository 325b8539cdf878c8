package other

import "testing"

var sink int

func BenchmarkQuad(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink += Quad(i)
	}
}
