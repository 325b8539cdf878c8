package simfail

// shaRound executes one SHA1NEXTE (sha_amd64.s).
func shaRound()
