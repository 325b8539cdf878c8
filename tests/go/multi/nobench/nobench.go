package nobench

func Half(x int) int { return x / 2 }
