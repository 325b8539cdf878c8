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

/* llvm-dwarfdump's stdout for `argv` words after the program, or -1. */
static int dwarfdump(const char *binary, const char *name, int children, struct buf *out)
{
	struct proc p;
	int ret;

	proc_init(&p);
	strvec_pushl(&p.args, "llvm-dwarfdump", NULL);
	if (children)
		strvec_push(&p.args, "-c");
	strvec_pushf(&p.args, "--name=%s", name);
	strvec_push(&p.args, binary);
	p.err = PROC_NULL;
	ret = proc_capture(&p, out, NULL);
	proc_release(&p);
	return ret ? -1 : 0;
}

/* The quoted string after `attr` on the line holding it: `attr\t("x")` or `(0x.. "x")`. */
static int attr_string(const char *text, const char *attr, char *out, size_t size)
{
	const char *a = strstr(text, attr), *q, *e;

	if (!a)
		return -1;
	e = strchr(a, '\n');
	q = memchr(a, '"', e ? (size_t)(e - a) : strlen(a));
	if (!q)
		return -1;
	e = strchr(q + 1, '"');
	if (!e || (size_t)(e - q - 1) >= size)
		return -1;
	memcpy(out, q + 1, (size_t)(e - q - 1));
	out[e - q - 1] = '\0';
	return 0;
}

/*
 * "pkg.Var+0x8" -> "pkg.Var.Field" (+0x.. inside it) when DWARF says Var
 * is a struct: its type's members and their offsets.  One level deep.
 */
static char *field_name(const char *binary, const char *data)
{
	char var[512], type[512], best[256] = "";
	const char *plus = strstr(data, "+0x");
	uint64_t off = plus ? strtoull(plus + 3, NULL, 16) : 0, best_off = 0;
	struct buf b = BUF_INIT, res = BUF_INIT;
	const char *m, *st, *end;

	snprintf(var, sizeof(var), "%.*s", plus ? (int)(plus - data) : (int)strlen(data), data);
	if (dwarfdump(binary, var, 0, &b) || attr_string(b.buf, "DW_AT_type", type, sizeof(type)))
		goto out;
	buf_reset(&b);
	if (dwarfdump(binary, type, 1, &b) || !(st = strstr(b.buf, "DW_TAG_structure_type")))
		goto out;
	/* The members end at the struct's NULL entry. */
	end = strstr(st, "NULL");
	for (m = strstr(st, "DW_TAG_member"); m && (!end || m < end);
	     m = strstr(m + 1, "DW_TAG_member")) {
		char name[256];
		const char *loc = strstr(m, "DW_AT_data_member_location\t(");
		const char *next = strstr(m + 1, "DW_TAG_");
		uint64_t at;

		if (!loc || (next && loc > next) || attr_string(m, "DW_AT_name", name, sizeof(name)))
			continue;
		at = strtoull(loc + strlen("DW_AT_data_member_location\t("), NULL, 0);
		if (at <= off && (!best[0] || at >= best_off)) {
			snprintf(best, sizeof(best), "%s", name);
			best_off = at;
		}
	}
	if (!best[0])
		goto out;
	buf_addf(&res, "%s.%s", var, best);
	if (off > best_off)
		buf_addf(&res, "+0x%" PRIx64, off - best_off);
out:
	buf_release(&b);
	return res.len ? buf_detach(&res) : NULL;
}

/* Every named data address: the struct field when DWARF has the type. */
static void name_fields(struct c2c_report *r, const char *binary)
{
	char *tool = proc_which("llvm-dwarfdump");

	if (!tool)
		return;
	free(tool);
	for (size_t i = 0; i < r->nr; i++) {
		struct c2c_line *l = &r->lines[i];

		for (size_t j = 0; j < l->nrows; j++) {
			char *f = l->rows[j].data_name ? field_name(binary, l->rows[j].data_name) : NULL;

			if (f) {
				free(l->rows[j].data_name);
				l->rows[j].data_name = f;
			}
		}
	}
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
	if (!ret)
		name_fields(r, binary);
	free(q);
	return ret;
}
