#ifndef PERFGO_CACHELINE_H
#define PERFGO_CACHELINE_H

/*
 * A `perf c2c report --stdio` as data (collect/c2c_parse.h fills it) and
 * the false-sharing verdict per shared cache line (c2c_analyse()).
 *
 * Counts absent from a report's layout are -1 (JSON null); percentages
 * absent are -1 as well.  Every string is owned by the report.
 */

#include <stddef.h>
#include <stdint.h>

/* One key/value line of the Trace, Global or c2c details section, as printed. */
struct c2c_kv {
	char *section;   /* "trace", "global", "details" */
	char *key;
	char *value;
};

struct c2c_summary {
	int64_t total_records, loads, stores;
	int64_t lcl_hitm, rmt_hitm;          /* Load Local/Remote HITM */
	int64_t lcl_peer, rmt_peer;          /* Load HIT Local/Remote Peer (5.19+; v2 "Peer" in lcl) */
	int64_t shared_lines;                /* Total Shared Cache Lines */
	int64_t shared_load_hits, shared_store_hits;
	char *events;                        /* "a, b, c" */
	char *sort_on, *grouping;
};

/* One Pareto row: an offset in the line touched by one code address. */
struct c2c_row {
	double rmt_pct, lcl_pct;             /* of the line's Rmt/Lcl HITM (or peer) */
	double peer_pct;                     /* v3 "Snoop Peer" column, else -1 */
	double st_l1hit_pct, st_l1miss_pct, st_na_pct;
	uint64_t offset;
	char *node;                          /* data address node ("0", "N/A"), or NULL */
	int64_t pa_cnt, pid, tid;
	uint64_t iaddr;                      /* code address */
	int64_t cyc_rmt, cyc_lcl, cyc_load, cyc_peer;
	int64_t records, cpu_cnt;
	char kind;                           /* '.' user, 'k' kernel, 0 unknown */
	char *symbol, *object, *source, *nodes;
	/* Absolute counts: the percentages applied to the line's header counts. */
	double rmt, lcl, peer, stores;
	/* Filled by a symbolizer when the binary is known, else NULL. */
	char *sym_func, *sym_file_line, *data_name;
};

struct c2c_line {
	int64_t index;
	uint64_t address;
	char *node;
	int64_t pa_cnt;
	double hitm_pct;                     /* the table's first % column (HITM or peer) */
	int64_t hitm_total, lcl_hitm, rmt_hitm;
	int64_t peer_total, lcl_peer, rmt_peer;
	int64_t records, loads, stores, st_l1hit, st_l1miss, st_na;
	int in_table, in_pareto;
	/* The Pareto block header: Rmt, Lcl, (Peer), L1Hit, L1Miss, (N/A). */
	int64_t p_rmt, p_lcl, p_peer, p_l1hit, p_l1miss, p_na;
	struct c2c_row *rows;
	size_t nrows, alloc;
	char *data_name;                     /* symbolizer: the variable at the line */
};

struct c2c_report {
	struct c2c_summary sum;
	struct c2c_kv *kv;
	size_t nkv, kv_alloc;
	int peer_display;                    /* the first % column counts peer snoops */
	int has_table, has_pareto;
	struct c2c_line *lines;              /* table order, then Pareto-only lines */
	size_t nr, alloc;
	size_t nskipped;                     /* lines that matched no layout (warned) */
};

void c2c_report_init(struct c2c_report *r);
void c2c_report_release(struct c2c_report *r);
/* The line with `address`, or a new one appended (zeroed, counts -1). */
struct c2c_line *c2c_line_get(struct c2c_report *r, uint64_t address);
struct c2c_row *c2c_row_add(struct c2c_line *l);

enum c2c_kind {
	C2C_NONE,           /* no cross-core transfer, or one CPU */
	C2C_TRUE_SHARING,   /* one offset written and read across CPUs */
	C2C_FALSE_SHARING,  /* several offsets, at least one written, across CPUs */
	C2C_UNKNOWN         /* the report has no per-offset rows for the line */
};

/* One offset of a line, summed over its rows. */
struct c2c_offset {
	uint64_t offset;
	double hitm, peer, stores;
	int64_t cpus;                        /* the largest cpu cnt of its rows */
	size_t nrows;
	const struct c2c_row *top;           /* its row with the most HITM (or stores) */
};

struct c2c_verdict {
	const struct c2c_line *line;
	enum c2c_kind kind;
	double share;                        /* % of all HITM (or peer) in the report */
	double hitm, peer, stores;           /* absolute, over the rows */
	int64_t cpus;
	int stores_sampled;                  /* else HITM stands in for writes */
	struct c2c_offset *offs;
	size_t noffs;
	size_t nwritten, ncontended;
};

struct c2c_analysis {
	struct c2c_verdict *v;               /* by line, in report order */
	size_t nr;
	size_t nfalse, ntrue;
};

/* Verdicts for every line of `r` (which must outlive `a`). */
void c2c_analyse(const struct c2c_report *r, struct c2c_analysis *a);
void c2c_analysis_release(struct c2c_analysis *a);
const char *c2c_kind_name(enum c2c_kind k);

#endif
