#ifndef PERFGO_C2C_REPORT_H
#define PERFGO_C2C_REPORT_H

/*
 * Reports of a cache-to-cache analysis (perfgo test c2c, perfgo view):
 * the summary of the perf c2c report, then every shared cache line with
 * its verdict (analysis/cacheline.h), the numbers behind it, the offsets and
 * who touches them (symbol, source line, CPUs, nodes), and the fix.
 * Pure formatting into a buffer.
 *
 *  - text:     for a terminal (c2c_text.c)
 *  - markdown: for a pull request or job summary (c2c_markdown.c)
 *  - json:     the parsed report whole plus the verdicts; the golden files
 *              of tests/data/c2c/golden are this output (c2c_json.c)
 *
 * `top` bounds the lines shown in text and Markdown (0: all); JSON has all.
 */

#include <stddef.h>

#include "util/buf.h"
#include "util/json.h"
#include "analysis/cacheline.h"

void c2c_report_text(struct buf *out, const struct c2c_report *r,
		     const struct c2c_analysis *a, size_t top);
void c2c_report_markdown(struct buf *out, const struct c2c_report *r,
			 const struct c2c_analysis *a, size_t top);
void c2c_report_json(struct buf *out, const struct c2c_report *r,
		     const struct c2c_analysis *a);
/* The same document as a jansson tree (a new reference), to nest it. */
json_t *c2c_report_json_tree(const struct c2c_report *r, const struct c2c_analysis *a);

/* One sentence: why the verdict, with its numbers (shared by text and Markdown). */
void c2c_explain(struct buf *out, const struct c2c_verdict *v, int peer);
/* One sentence: what to change, or "" when nothing is to be done. */
void c2c_fix(struct buf *out, const struct c2c_verdict *v);
/* "0x30", the offsets list "0x30, 0x38". */
void c2c_offsets(struct buf *out, const struct c2c_verdict *v, int contended_only);

#endif
