#ifndef PERFGO_C2C_PARSE_H
#define PERFGO_C2C_PARSE_H

/*
 * Parsing `perf c2c report --stdio` text into a struct c2c_report
 * (analysis/cacheline.h).  A pure function over a buffer: every layout perf has
 * printed since the 2016 pre-upstream c2c (tests/data/c2c/SOURCES.md):
 * the Trace / Global / c2c details key-value sections, the Shared Data
 * Cache Line Table and the Pareto blocks, with or without call graphs,
 * indented (mail copies) or not.  Columns are found by their header
 * labels and the `# .....` span line, never by position, so reordered
 * and added columns parse; data rows are split on blanks (right-aligned
 * cells hold no blanks), the Symbol/Object/Source:Line/Node tail of a
 * Pareto row from the right.
 *
 * Lines that match no layout are skipped and counted (r->nskipped).
 * Returns 0, or PG_EPARSE (reported, naming `name`) when the text holds
 * no c2c report at all.
 */

#include <stddef.h>

#include "analysis/cacheline.h"

int c2c_parse(const char *buf, size_t len, const char *name, struct c2c_report *r);

#endif
