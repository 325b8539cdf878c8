package falsesharing

import (
	"testing"
	"unsafe"
)

func sameLine(a, b *int64) bool {
	return uintptr(unsafe.Pointer(a))/CacheLineSize == uintptr(unsafe.Pointer(b))/CacheLineSize
}

func TestLayout(t *testing.T) {
	m := new(Metrics)
	if !sameLine(&m.RequestsTotal, &m.CronJobRuns) {
		t.Errorf("Metrics counters are on different cache lines: the example shows nothing")
	}
	p := new(PaddedMetrics)
	if d := unsafe.Offsetof(p.CronJobRuns) - unsafe.Offsetof(p.RequestsTotal); d < CacheLineSize {
		t.Errorf("PaddedMetrics counters are %d bytes apart, want >= %d", d, CacheLineSize)
	}
	if sameLine(&p.RequestsTotal, &p.CronJobRuns) {
		t.Errorf("PaddedMetrics counters share a cache line")
	}
}

func TestRun(t *testing.T) {
	var m Metrics
	var p PaddedMetrics
	Run(&m.RequestsTotal, &m.CronJobRuns, 1000)
	Run(&p.RequestsTotal, &p.CronJobRuns, 1000)
	for _, c := range []struct {
		name string
		got  int64
	}{
		{"Metrics.RequestsTotal", m.RequestsTotal},
		{"Metrics.CronJobRuns", m.CronJobRuns},
		{"PaddedMetrics.RequestsTotal", p.RequestsTotal},
		{"PaddedMetrics.CronJobRuns", p.CronJobRuns},
	} {
		if c.got != 1000 {
			t.Errorf("%s = %d, want 1000", c.name, c.got)
		}
	}
}

// One op is one increment by each of the two goroutines, in parallel.

func BenchmarkNoPadding(b *testing.B) {
	m := new(Metrics)
	b.ResetTimer()
	Run(&m.RequestsTotal, &m.CronJobRuns, b.N)
	b.StopTimer()
	if m.RequestsTotal != int64(b.N) || m.CronJobRuns != int64(b.N) {
		b.Fatalf("counts %d, %d, want %d", m.RequestsTotal, m.CronJobRuns, b.N)
	}
}

func BenchmarkWithPadding(b *testing.B) {
	p := new(PaddedMetrics)
	b.ResetTimer()
	Run(&p.RequestsTotal, &p.CronJobRuns, b.N)
	b.StopTimer()
	if p.RequestsTotal != int64(b.N) || p.CronJobRuns != int64(b.N) {
		b.Fatalf("counts %d, %d, want %d", p.RequestsTotal, p.CronJobRuns, b.N)
	}
}
