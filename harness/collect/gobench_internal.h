#ifndef PERFGO_GOBENCH_INTERNAL_H
#define PERFGO_GOBENCH_INTERNAL_H

/*
 * The line-level pieces gobench_line.c shares with gobench.c (the file
 * reader).  Nothing outside collect/gobench*.c includes this.  Lines are
 * given as (pointer, length), never NUL-terminated.
 */

#include <stddef.h>

#include "collect/gobench.h"

/* A cursor over the white-space separated fields of one line. */
struct gb_fields {
	const char *p;
	const char *end;
};

void gb_fields_init(struct gb_fields *fs, const char *line, size_t len);
/* Point *f, *flen at the next field; return 0 when there is none. */
int gb_fields_next(struct gb_fields *fs, const char **f, size_t *flen);

/* The length without the line terminator: "\n", "\r\n", or a stray '\r'. */
size_t gb_trim_eol(const char *line, size_t len);
/* `s` (len bytes) equals the C string `lit`. */
int gb_mem_eq(const char *s, size_t len, const char *lit);
/* A name `go test` runs as a benchmark: "Benchmark" + not a lower-case letter. */
int gb_is_bench_name(const char *s, size_t len);
/* A "--- FAIL: BenchmarkX" line: 1 with the name pointed into `line`, else 0. */
int gb_parse_bench_fail(const char *line, size_t len, const char **name, size_t *nlen);
/* GB_PASS, GB_FAIL for the status lines at the end of a run, else GB_OTHER. */
enum gb_line_kind gb_classify_status(const char *line, size_t len);

#endif
