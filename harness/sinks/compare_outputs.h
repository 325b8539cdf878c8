#ifndef PERFGO_COMPARE_OUTPUTS_H
#define PERFGO_COMPARE_OUTPUTS_H

/*
 * Where the reports of a comparison go: standard output in one format,
 * the report files the user named (--markdown, --junit, --json), and the
 * comparison run's directory, which keeps every format under the names of
 * reporters/compare_formats.h.  Both perfgo compare on files and on
 * revisions write through here.
 */

#include "compare_formats.h"

struct compare_outputs {
	const char *format;                        /* standard output: a compare_formats[] name */
	const char *file[COMPARE_FORMATS_NR];      /* per format: a report file, or NULL */
	const char *run_dir;                       /* every format saved here, or NULL */
};

/*
 * Write standard output first (a file that cannot be written loses
 * nothing else), then the run directory's files, then the report files,
 * in the order of compare_formats[].  Returns 0, or PG_EENV at the first
 * file that cannot be written (reported; the later ones are not written).
 */
int compare_outputs_write(const struct compare_outputs *o, const struct compare_report *rep,
			  const struct junit_meta *meta);

#endif
