// Package basic is a small, fast fixture for perfgo's CLI tests.
package basic

// Sum adds the elements of xs.
func Sum(xs []int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}
