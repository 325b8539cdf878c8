#ifndef PERFGO_SYMBOLIZE_H
#define PERFGO_SYMBOLIZE_H

/*
 * Naming the addresses of a c2c report from the test binary that produced
 * it, with llvm-symbolizer (Debian package llvm) run as a child from an
 * argv, in batches of addresses:
 *
 *  - every code address of a Pareto row: the function (linkage name, Go's
 *    full import path) and file:line from DWARF, with the frames it was
 *    inlined into ("count inlined in Run.func1");
 *  - every cache line and every offset in it: the global variable that
 *    holds it, from the symbol table ("pkg.counters+0x8"), and for an
 *    offset inside a global struct the field there, from DWARF types with
 *    llvm-dwarfdump ("pkg.counters.Misses"; one level deep, fields of
 *    nested structs are "Outer+0x8"); heap and stack lines have none and
 *    are named by the code that touches them.
 *
 * Go test binaries are position-dependent on linux/amd64 and arm64 by
 * default, so the addresses perf prints are the binary's.  A PIE binary
 * (-buildmode=pie) or another binary would give wrong names: the caller
 * passes the binary it ran.  Returns 0 (names filled where found), or
 * PG_EENV when llvm-symbolizer is missing or fails (reported as a warning
 * by the caller; the report stands without names).
 */

#include "analysis/cacheline.h"

int c2c_symbolize(struct c2c_report *r, const char *binary);

#endif
