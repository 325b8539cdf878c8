package simfail

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var sink uint64

func BenchmarkMix(b *testing.B) {
	x := uint64(1)
	for i := 0; i < b.N; i++ {
		x = Mix(x)
	}
	sink = x
}

func BenchmarkSHA(b *testing.B) {
	for i := 0; i < b.N; i++ {
		shaRound()
	}
}

func BenchmarkNap(b *testing.B) {
	for i := 0; i < b.N; i++ {
		time.Sleep(100 * time.Millisecond)
	}
}

// BenchmarkJitter does a random amount of work per op (xorshift seeded by
// the clock, no allocation): its instruction count differs from process to
// process (not repeatable, for perfgo's 0.1 % rule).
func BenchmarkJitter(b *testing.B) {
	seed := uint64(time.Now().UnixNano()) | 1
	x := uint64(1)
	for i := 0; i < b.N; i++ {
		seed ^= seed << 13
		seed ^= seed >> 7
		seed ^= seed << 17
		for j := seed & 1023; j > 0; j-- {
			x = x*3 + 1
		}
	}
	sink = x
}

// BenchmarkVary does 1000 + E steps of a multiply-add per op, E chosen per
// process by the file $SIMFAIL_VARY (one E per word, taken in turn: the
// next index is kept in $SIMFAIL_VARY.next), so that a test decides which
// processes count differently.  Without the variable, or past the list,
// E is 0.
func BenchmarkVary(b *testing.B) {
	varyOnce.Do(func() { varyExtra = varyNext() })
	x := uint64(1)
	for i := 0; i < b.N; i++ {
		for j := uint64(0); j < 1000+varyExtra; j++ {
			x = x*3 + 1
		}
	}
	sink = x
}

var (
	varyOnce  sync.Once
	varyExtra uint64
)

func varyNext() uint64 {
	path := os.Getenv("SIMFAIL_VARY")
	if path == "" {
		return 0
	}
	plan, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	k := 0
	if b, err := os.ReadFile(path + ".next"); err == nil {
		k, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	if err := os.WriteFile(path+".next", []byte(strconv.Itoa(k+1)), 0o644); err != nil {
		panic(err)
	}
	words := strings.Fields(string(plan))
	if k >= len(words) {
		return 0
	}
	e, err := strconv.ParseUint(words[k], 10, 64)
	if err != nil {
		panic(err)
	}
	return e
}
