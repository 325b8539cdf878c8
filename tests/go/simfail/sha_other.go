//go:build !amd64

package simfail

// shaRound does nothing off amd64 (t1081's SHA-NI part runs on amd64 only).
func shaRound() {}
