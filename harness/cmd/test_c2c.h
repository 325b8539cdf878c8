#ifndef PERFGO_TEST_C2C_H
#define PERFGO_TEST_C2C_H

#include "cli/cli.h"

/*
 * `perfgo test cache-to-cache|c2c ...` (cmd_test.c hands over; argv[0] is
 * the mode word).  Returns the exit code: 0 analysed (whatever the
 * verdicts), 2 usage or unreadable input, 3 perf c2c unusable here (no
 * memory sampling) or failing, 4 the benchmark failed.
 */
int test_c2c(int argc, const char **argv, struct ctx *ctx);

#endif
