// Package falsesharing shows false sharing: two goroutines that each update
// their own counter still slow each other down when the two counters live
// in the same cache line, because every write takes the whole line away
// from the other core.
package falsesharing

import "sync/atomic"

// CacheLineSize is the coherency unit on amd64 and most arm64 parts.
const CacheLineSize = 64

// Metrics keeps its two counters next to each other: 16 bytes, one cache
// line.  Each counter has a single writer, so there is no data race, but
// the cores still fight over the line ("false" sharing).
type Metrics struct {
	RequestsTotal int64
	CronJobRuns   int64
}

// PaddedMetrics puts each counter on a cache line of its own.  The leading
// pad keeps RequestsTotal off the line of whatever precedes the struct; the
// struct is 192 bytes, so it does not share a line with what follows either.
type PaddedMetrics struct {
	_             [CacheLineSize]byte
	RequestsTotal int64
	_             [CacheLineSize - 8]byte
	CronJobRuns   int64
	_             [CacheLineSize - 8]byte
}

// count adds 1 to *p n times.  The adds are atomic so that every one of
// them is a real read-modify-write of memory: plain increments are legal
// here too (one writer per counter), but then the compiler decides how much
// memory traffic remains.
func count(p *int64, n int) {
	for i := 0; i < n; i++ {
		atomic.AddInt64(p, 1)
	}
}

// Run increments a and b n times each, from two goroutines, and returns
// when both are done.  On a machine with two or more cores (GOMAXPROCS >= 2)
// the goroutines run in parallel.
func Run(a, b *int64, n int) {
	done := make(chan struct{})
	go func() {
		count(a, n)
		done <- struct{}{}
	}()
	count(b, n)
	<-done
}
