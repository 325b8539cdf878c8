// Package stream proves that test output reaches the user while the tests
// still run: TestStream prints a marker, then waits (up to 20 s) for the
// file named by $STREAM_GO to appear.  The CLI test creates that file only
// after it has seen the marker in perfgo's output.
package stream

import (
	"fmt"
	"os"
	"testing"
	"time"
)

func TestStream(t *testing.T) {
	fmt.Println("STREAM-MARKER: waiting for the go-ahead")
	path := os.Getenv("STREAM_GO")
	if path == "" {
		return
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(path); err == nil {
			fmt.Println("STREAM-DONE")
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no go-ahead file %s within 20 s: output was not streamed", path)
}
