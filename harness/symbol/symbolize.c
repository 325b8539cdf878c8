/* Code and data addresses named with llvm-symbolizer; see symbolize.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/proc.h"
#include "util/strvec.h"
#include "symbol/symbolize.h"
#include "util/usage.h"
#include "util/banned.h"

#define BATCH 200

/* One query: a code address of a row, or a data address of a line or row. */
struct query {
	uint64_t addr;
	int data;
	struct c2c_row *row;      /* data: the row's offset; code: the row */
	struct c2c_line *line;    /* data of the line itself when row is NULL */
};

static char *dup_range(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* "file:line:col" without the column and the directories. */
static char *file_line(const char *s, size_t n)
{
	const char *slash, *end = s + n;
	const char *c1 = NULL, *c2 = NULL;

	for (const char *p = s; p < end; p++)
		if (*p == ':') {
			c1 = c2;
			c2 = p;
		}
	if (c1 && c2)
		end = c2;
	for (slash = end; slash > s && slash[-1] != '/'; slash--)
		;
	return dup_range(slash, (size_t)(end - slash));
}

/* The frames of one code query: "func\nfile:l:c\n" pairs up to a blank line. */
static void take_code(struct c2c_row *w, char **lines, size_t n)
{
	struct buf fn = BUF_INIT;

	if (n < 2 || !strcmp(lines[0], "??"))
		return;
	buf_addstr(&fn, lines[0]);
	for (size_t i = 2; i + 1 < n; i += 2)
		buf_addf(&fn, " (inlined in %s)", lines[i]);
	free(w->sym_func);
	w->sym_func = buf_detach(&fn);
	free(w->sym_file_line);
	w->sym_file_line = file_line(lines[1], strlen(lines[1]));
}

/* "name\nstart size\n" */
static char *take_data(char **lines, size_t n, uint64_t addr)
{
	uint64_t start, size;
	struct buf b = BUF_INIT;

	if (n < 2 || !strcmp(lines[0], "??") || !*lines[0])
		return NULL;
	start = strtoull(lines[1], NULL, 10);
	size = strtoull(strchr(lines[1], ' ') ? strchr(lines[1], ' ') + 1 : "0", NULL, 10);
	/* The nearest symbol below is not the one holding the address (heap, stack). */
	if (addr < start || addr - start >= (size ? size : 1))
		return NULL;
	buf_addstr(&b, lines[0]);
	if (addr > start)
		buf_addf(&b, "+0x%" PRIx64, addr - start);
	return buf_detach(&b);
}

static int run_batch(const char *binary, struct query *q, size_t nq)
{
	struct proc p;
	struct buf out = BUF_INIT, err = BUF_INIT;
	char *lines[64];
	size_t qi = 0, nl = 0;
	char *s, *e;
	int ret;

	proc_init(&p);
	strvec_pushl(&p.args, "llvm-symbolizer", "--inlining", "--functions=linkage", NULL);
	strvec_pushf(&p.args, "--obj=%s", binary);
	for (size_t i = 0; i < nq; i++)
		strvec_pushf(&p.args, "%s0x%" PRIx64, q[i].data ? "DATA " : "", q[i].addr);
	p.in = PROC_NULL;
	ret = proc_capture(&p, &out, &err);
	proc_release(&p);
	if (ret) {
		buf_release(&out);
		ret = ret < 0 ? ret : error_code(PG_EENV, "llvm-symbolizer failed on '%s' (exit %d): %s",
						binary, ret, err.len ? err.buf : "no message");
		buf_release(&err);
		return ret;
	}
	/* Blocks separated by one blank line, one per query, in order. */
	for (s = out.buf; s && *s && qi < nq; s = e ? e + 1 : NULL) {
		e = strchr(s, '\n');
		if (e)
			*e = '\0';
		if (*s && nl < sizeof(lines) / sizeof(lines[0])) {
			lines[nl++] = s;
			continue;
		}
		if (*s)
			continue;
		if (q[qi].data) {
			char *name = take_data(lines, nl, q[qi].addr);
			char **dst = q[qi].row ? &q[qi].row->data_name : &q[qi].line->data_name;

			free(*dst);
			*dst = name;
		} else {
			take_code(q[qi].row, lines, nl);
		}
		qi++;
		nl = 0;
	}
	buf_release(&out);
	buf_release(&err);
	return 0;
}

int c2c_symbolize(struct c2c_report *r, const char *binary)
{
	struct query *q = NULL;
	size_t nq = 0, alloc = 0;
	char *tool = proc_which("llvm-symbolizer");
	int ret = 0;

	if (!tool)
		return error_code(PG_EENV, "'llvm-symbolizer' not found: install Debian's llvm "
				  "package to name code and data addresses");
	free(tool);
	for (size_t i = 0; i < r->nr; i++) {
		struct c2c_line *l = &r->lines[i];

		for (size_t j = 0; j <= l->nrows; j++) {
			if (nq + 2 > alloc) {
				alloc = alloc ? 2 * alloc : 64;
				q = xrealloc(q, alloc * sizeof(*q));
			}
			if (j == l->nrows) {
				q[nq++] = (struct query){ l->address, 1, NULL, l };
				continue;
			}
			q[nq++] = (struct query){ l->rows[j].iaddr, 0, &l->rows[j], l };
			q[nq++] = (struct query){ l->address + l->rows[j].offset, 1, &l->rows[j], l };
		}
	}
	for (size_t i = 0; i < nq && !ret; i += BATCH)
		ret = run_batch(binary, q + i, nq - i < BATCH ? nq - i : BATCH);
	free(q);
	return ret;
}
