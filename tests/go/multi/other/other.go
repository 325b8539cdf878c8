package other

func Quad(x int) int { return 4 * x }
