#ifndef PERFGO_C2C_INTERNAL_H
#define PERFGO_C2C_INTERNAL_H

/* Shared by c2c_parse.c (sections, table) and c2c_pareto.c. */

#include <stddef.h>
#include <stdint.h>

#include "analysis/cacheline.h"

#define C2C_MAXCOLS 40
#define C2C_MAXTOK 64

struct c2c_col {
	size_t start, end;       /* the `.....` span, columns in the line */
	char group[48], label[48];
};

struct c2c_cols {
	struct c2c_col c[C2C_MAXCOLS];
	int n;
};

/* A line of the input without its newline (and '\r'). */
struct c2c_text {
	const char *s;
	size_t len;
};

struct c2c_tok {
	const char *s;
	size_t len;
};

/* Split on blanks; at most `max` tokens, returns how many (max+1: more). */
int c2c_tokens(const char *s, size_t len, struct c2c_tok *t, int max);
/* The columns from the group line, label line and dots line; 0 or -1. */
int c2c_cols_parse(struct c2c_text g, struct c2c_text l, struct c2c_text dots,
		   struct c2c_cols *out);
/* Text after leading blanks and a '#'?  Dots-only lines are span lines. */
int c2c_is_dots(struct c2c_text t);
char *c2c_strndup(const char *s, size_t n);
int c2c_tok_hex(const struct c2c_tok *t, uint64_t *out);
int c2c_tok_int(const struct c2c_tok *t, int64_t *out);
int c2c_tok_pct(const struct c2c_tok *t, double *out);

struct c2c_pareto_state {
	struct c2c_cols cols;
	int have_cols;
	int in_block;          /* 0 none, 1 after the first dashes, 2 rows */
	struct c2c_line *line;
	struct c2c_text hdr[3];
	int nhdr;
};

/* A Pareto block separator: 20 dashes or more. */
int c2c_is_dashes(struct c2c_text t);
/* One line of the Pareto section. */
void c2c_pareto_line(struct c2c_report *r, struct c2c_pareto_state *ps, struct c2c_text t);

#endif
