// Package crash has benchmarks that die instead of failing politely.
package crash

import (
	"os"
	"syscall"
	"testing"
)

var sink int

// BenchmarkSuicide survives Go's b.N=1 probe (and perfgo's 1x discovery
// run) and then kills its own process with SIGKILL: no FAIL line, no PASS
// line, and perf stat still exits 0.
func BenchmarkSuicide(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink += i
	}
	if b.N > 1 {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
	}
}

// BenchmarkPanic panics once it runs more than one iteration; Go prints the
// panic on stderr and exits 2.
func BenchmarkPanic(b *testing.B) {
	if b.N > 1 {
		panic("intended panic in BenchmarkPanic")
	}
}

// BenchmarkKillEarly dies by SIGKILL on its very first run, i.e. while
// perfgo discovers the benchmarks (outside perf).
func BenchmarkKillEarly(b *testing.B) {
	syscall.Kill(os.Getpid(), syscall.SIGKILL)
}
