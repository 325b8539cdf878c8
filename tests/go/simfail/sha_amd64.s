#include "textflag.h"

// func shaRound()
// SHA1NEXTE (SHA-NI): runs on CPUs with the sha_ni flag; valgrind 3.19
// does not know it ("unhandled instruction bytes: 0xF 0x38 0xC8 0xD1").
TEXT ·shaRound(SB), NOSPLIT, $0-0
	SHA1NEXTE X1, X2
	RET
