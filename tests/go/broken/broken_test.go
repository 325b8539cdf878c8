package broken

import "testing"

func BenchmarkAnswer(b *testing.B) {
	for i := 0; i < b.N; i++ {
		_ = Answer()
	}
}
