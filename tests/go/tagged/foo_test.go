//go:build foo

package tagged

import "testing"

// BenchmarkTagged exists only when built with -tags foo.
func BenchmarkTagged(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink += 2 * i
	}
}
