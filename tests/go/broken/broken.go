package broken

func Answer() int {
	return "forty-two" // does not compile: BROKEN_FIXTURE
}
