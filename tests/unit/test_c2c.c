/*
 * Unit tests for the c2c parser (collect/c2c_parse.c, c2c_pareto.c), the
 * verdict (analysis/cacheline.c) and its reporters (reporters/c2c_*.c).
 *
 * Every file in tests/data/c2c/ is a real `perf c2c report --stdio` output
 * from another machine (SOURCES.md: perf versions 2016 to 2025, Intel, AMD
 * IBS, Arm SPE, mail copies).  Each parses to its golden JSON
 * (tests/data/c2c/golden/<name>.json; UPDATE_GOLDEN=1 rewrites them, then
 * read the diff).  The values asserted by hand below were read off the
 * fixtures, so a parser that drifts fails here even if someone updates
 * the golden files.  Malformed inputs: truncation at every line, garbage,
 * binary bytes, absurd widths.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common.h"
#include "util/buf.h"
#include "util/io.h"
#include "collect/c2c_parse.h"
#include "c2c_report.h"
#include "util/usage.h"

#define DATA "tests/data/c2c/"

struct parsed {
	struct c2c_report r;
	struct c2c_analysis a;
};

static int parse_file(const char *file, struct parsed *p)
{
	struct buf b = BUF_INIT;
	char path[512];
	int ret;

	snprintf(path, sizeof(path), DATA "%s", file);
	read_fixture(&b, path);
	c2c_report_init(&p->r);
	ret = c2c_parse(b.buf, b.len, file, &p->r);
	c2c_analyse(&p->r, &p->a);
	buf_release(&b);
	return ret;
}

static void parsed_release(struct parsed *p)
{
	c2c_analysis_release(&p->a);
	c2c_report_release(&p->r);
}

static const struct c2c_line *line_at(const struct c2c_report *r, uint64_t addr)
{
	for (size_t i = 0; i < r->nr; i++)
		if (r->lines[i].address == addr)
			return &r->lines[i];
	fail_msg("no cache line 0x%llx", (unsigned long long)addr);
	return NULL;
}

static const struct c2c_verdict *verdict_at(const struct parsed *p, uint64_t addr)
{
	const struct c2c_line *l = line_at(&p->r, addr);

	return &p->a.v[l - p->r.lines];
}

static void check_golden(const char *name, const struct buf *got)
{
	struct buf path = BUF_INIT;

	buf_addf(&path, DATA "golden/%s.json", name);
	check_golden_file(path.buf, got);
	buf_release(&path);
}

static int is_fixture(const char *n)
{
	return ends_with(n, ".stdio.txt");
}

/* Every fixture parses, without skipped lines unless the copy was edited, to its golden JSON. */
static void test_golden_all(void **state)
{
	DIR *d = opendir(DATA);
	struct dirent *e;
	int n = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d))) {
		struct parsed p;
		struct buf js = BUF_INIT, txt = BUF_INIT, md = BUF_INIT;
		char name[256];

		if (!is_fixture(e->d_name))
			continue;
		assert_int_equal(parse_file(e->d_name, &p), 0);
		if (p.r.nskipped && !strstr(e->d_name, "edited"))
			fail_msg("%s: %zu lines skipped", e->d_name, p.r.nskipped);
		c2c_report_json(&js, &p.r, &p.a);
		c2c_report_text(&txt, &p.r, &p.a, 0);
		c2c_report_markdown(&md, &p.r, &p.a, 0);
		assert_true(txt.len > 0 && md.len > 0);
		snprintf(name, sizeof(name), "%.*s", (int)(strlen(e->d_name) - strlen(".stdio.txt")),
			 e->d_name);
		check_golden(name, &js);
		buf_release(&js);
		buf_release(&txt);
		buf_release(&md);
		parsed_release(&p);
		n++;
	}
	closedir(d);
	assert_int_equal(n, 21);
	assert_int_equal(nmsg, 0);
}

/* AMD IBS, perf 6.x, perfgo's own example: two counters in one line. */
static void test_amd_ibs(void **state)
{
	struct parsed p;
	const struct c2c_line *l;
	const struct c2c_verdict *v;

	(void)state;
	assert_int_equal(parse_file("amd-perf6.x-2026-perfgo-ibs.stdio.txt", &p), 0);
	assert_true(p.r.sum.total_records == 9007 && p.r.sum.loads == 3266 && p.r.sum.stores == 41);
	assert_true(p.r.sum.lcl_hitm == 2092 && p.r.sum.rmt_hitm == 4 && p.r.sum.shared_lines == 1);
	assert_string_equal(p.r.sum.events, "ibs_op/ldlat=0/");
	assert_string_equal(p.r.sum.grouping, "offset,iaddr");
	assert_int_equal(p.r.nr, 1);
	l = line_at(&p.r, 0x20ea08034080);
	assert_true(l->in_table && l->in_pareto);
	assert_true(l->pa_cnt == 1734 && l->hitm_total == 2096 && l->lcl_hitm == 2092 &&
		    l->rmt_hitm == 4 && l->records == 3152 && l->loads == 3152 && l->stores == 0);
	assert_string_equal(l->node, "0");
	assert_int_equal(l->nrows, 2);
	assert_true(l->rows[0].offset == 0x30 && l->rows[0].iaddr == 0x53dc88);
	assert_near(l->rows[0].rmt_pct, 75.0);
	assert_near(l->rows[0].lcl, 0.4962 * 2092);
	assert_true(l->rows[0].cyc_rmt == 410 && l->rows[0].records == 1552 && l->rows[0].cpu_cnt == 12);
	assert_string_equal(l->rows[0].symbol, "github.com/perfgo/perfgo/e");
	assert_string_equal(l->rows[0].object, "perfgo.test.linux.amd64");
	assert_string_equal(l->rows[0].source, "go.go:0");
	assert_string_equal(l->rows[0].nodes, "0");
	assert_int_equal(l->rows[0].kind, '.');
	v = verdict_at(&p, 0x20ea08034080);
	assert_int_equal(v->kind, C2C_FALSE_SHARING);
	assert_int_equal(v->noffs, 2);
	assert_int_equal(v->stores_sampled, 0);
	assert_int_equal(v->cpus, 12);
	assert_near(v->hitm, 2096);
	parsed_release(&p);
}

/* 2016 pre-upstream c2c: Pid column, Node{cpu list}, stores sampled. */
static void test_joemario_2016(void **state)
{
	struct parsed p;
	const struct c2c_line *l;
	const struct c2c_verdict *v;

	(void)state;
	assert_int_equal(parse_file("intel-perf4.x-2016-joemario-c2c_example_report.stdio.txt", &p), 0);
	assert_int_equal(p.r.nr, 5);
	assert_string_equal(p.r.sum.grouping, "offset,pid,iaddr");
	l = line_at(&p.r, 0x602180);
	assert_true(l->records == 149904 && l->hitm_total == 12103 && l->lcl_hitm == 2269 &&
		    l->rmt_hitm == 9834 && l->stores == 109504 && l->st_l1hit == 109036 &&
		    l->st_l1miss == 468 && l->loads == 40400);
	assert_near(l->hitm_pct, 77.09);
	assert_true(l->p_rmt == 9834 && l->p_lcl == 2269 && l->p_l1hit == 109036 && l->p_l1miss == 468);
	assert_int_equal(l->nrows, 6);
	assert_true(l->rows[0].pid == 14604 && l->rows[0].iaddr == 0x400b4f);
	assert_string_equal(l->rows[0].source, "false_sharing_example.c:144");
	assert_string_equal(l->rows[0].nodes, "0{0-1,4}  1{24-25,120}  2{48,54}  3{169}");
	v = verdict_at(&p, 0x602180);
	assert_int_equal(v->kind, C2C_FALSE_SHARING);
	assert_int_equal(v->ncontended, 4);
	assert_int_equal(v->nwritten, 1);
	assert_int_equal(v->stores_sampled, 1);
	/* 0x602100: reads at 0x20, 0x28, 0x30, no stores on the line: HITM stands in. */
	v = verdict_at(&p, 0x602100);
	assert_int_equal(v->kind, C2C_FALSE_SHARING);
	assert_int_equal(v->ncontended, 3);
	/* A kernel line: 0xffffffff81aec000 has all its HITM at 0x0. */
	v = verdict_at(&p, 0xffffffff81aec000);
	assert_int_equal(v->kind, C2C_TRUE_SHARING);
	assert_string_equal(line_at(&p.r, 0xffffffff81aec000)->rows[0].symbol, "scheduler_tick");
	parsed_release(&p);
}

/* The same perf.data in the old and the new table layout parses to the same numbers. */
static void test_old_new_layout_agree(void **state)
{
	struct parsed a, b;

	(void)state;
	assert_int_equal(parse_file("intel-perf5.10dev-2020-leoyan-refine-metrics-before-oldlayout.stdio.txt", &a), 0);
	assert_int_equal(parse_file("intel-perf5.11dev-2020-leoyan-refine-metrics-after-newlayout.stdio.txt", &b), 0);
	assert_int_equal(a.r.nr, 3);
	assert_int_equal(b.r.nr, 3);
	for (size_t i = 0; i < 3; i++) {
		const struct c2c_line *x = &a.r.lines[i], *y = &b.r.lines[i];

		assert_true(x->address == y->address);
		assert_true(x->hitm_total == y->hitm_total && x->lcl_hitm == y->lcl_hitm &&
			    x->rmt_hitm == y->rmt_hitm && x->records == y->records &&
			    x->loads == y->loads && x->stores == y->stores &&
			    x->st_l1hit == y->st_l1hit && x->st_l1miss == y->st_l1miss);
		assert_true(x->hitm_total > 0 && x->records > 0);
		assert_int_equal(a.a.v[i].kind, C2C_UNKNOWN);
	}
	parsed_release(&a);
	parsed_release(&b);
}

/* Arm SPE peer display and the v3 intermediates: peer snoops, N/A nodes, braces with blanks. */
static void test_arm_peer(void **state)
{
	struct parsed p;
	const struct c2c_line *l;

	(void)state;
	assert_int_equal(parse_file("arm-spe-perf5.19dev-2022-leoyan-c2c-arm64-v4-spe-peerdisplay.stdio.txt", &p), 0);
	assert_int_equal(p.r.peer_display, 1);
	l = line_at(&p.r, 0xaaaac17d6000);
	assert_true(l->peer_total == 99 && l->lcl_peer == 99 && l->rmt_peer == 0 && l->pa_cnt == 0);
	assert_string_equal(l->node, "N/A");
	assert_int_equal(l->nrows, 2);
	assert_string_equal(l->rows[1].nodes, "0{ 2 100.0%    n/a}");
	assert_string_equal(l->rows[1].source, "memstress[3e88]");
	assert_string_equal(l->rows[1].symbol, "0x0000000000003e88");
	assert_true(l->rows[1].offset == 0x29);
	assert_int_equal(verdict_at(&p, 0xaaaac17d6000)->kind, C2C_FALSE_SHARING);
	parsed_release(&p);

	assert_int_equal(parse_file("arm-spe-perf5.19dev-2022-leoyan-reply-pareto-nodeinfo.stdio.txt", &p), 0);
	l = line_at(&p.r, 0x420180);
	assert_true(l->p_peer == 56183 && l->p_na == 26534);
	assert_int_equal(l->nrows, 4);
	assert_string_equal(l->rows[0].nodes, "0{ 1  87.4%    n/a}  1{ 1  12.6%    n/a}");
	assert_true(l->rows[0].cyc_peer == 4034 && l->rows[0].records == 188785);
	assert_near(l->rows[0].peer_pct, 99.85);
	/* Stores at 0x0 (N/A level), peer loads at 0x0 and 0x20: false sharing. */
	assert_int_equal(verdict_at(&p, 0x420180)->kind, C2C_FALSE_SHARING);
	parsed_release(&p);

	assert_int_equal(parse_file("arm-spe-perf5.19dev-2022-ampere-altra-adamli-v3.stdio.txt", &p), 0);
	assert_string_equal(p.r.sum.events,
			    "arm_spe_0/ts_enable=1,load_filter=1,store_filter=1,min_latency=30/, dummy:u, memory");
	assert_string_equal(p.r.sum.sort_on, "Snoop Peers");
	assert_true(p.r.sum.total_records > 0);
	assert_true(line_at(&p.r, 0x420180)->peer_total == 56183);
	parsed_release(&p);
}

/* Call graphs (-g) between rows, 956-character lines with --full-symbols. */
static void test_callgraph_fullsymbols(void **state)
{
	struct parsed p;
	size_t rows = 0;

	(void)state;
	assert_int_equal(parse_file("intel-perfold-2024-chinabin-fullsymbols-callgraph.stdio.txt", &p), 0);
	assert_int_equal(p.r.nr, 51);
	for (size_t i = 0; i < p.r.nr; i++) {
		assert_true(p.r.lines[i].in_table && p.r.lines[i].in_pareto);
		assert_true(p.r.lines[i].nrows > 0);
		rows += p.r.lines[i].nrows;
	}
	assert_true(rows > 51);
	assert_string_equal(line_at(&p.r, 0xffffffffff5ff080)->node, "N/A");
	parsed_release(&p);
}

/* The blog's classic: summer reads 0x10, incrementer writes 0x14, one CPU each. */
static void test_kam3nev_reader_writer(void **state)
{
	struct parsed p;
	const struct c2c_verdict *v;

	(void)state;
	assert_int_equal(parse_file("intel-perfold-2020-kam3nev-haswell-laptop.stdio.txt", &p), 0);
	v = verdict_at(&p, 0x404040);
	assert_int_equal(v->kind, C2C_FALSE_SHARING);
	assert_int_equal(v->noffs, 2);
	assert_true(v->offs[0].offset == 0x10 && v->offs[1].offset == 0x14);
	assert_near(v->offs[0].hitm, 2);
	assert_near(v->offs[1].stores, 95214 + 9499);
	assert_string_equal(v->offs[1].top->symbol, "incrementer");
	assert_string_equal(v->offs[1].top->source, "example1.c:31");
	assert_string_equal(v->offs[1].top->nodes, "0");
	parsed_release(&p);
}

/* A stats-only report with zero shared lines: a summary, no lines, no verdicts. */
static void test_stats_only(void **state)
{
	struct parsed p;
	struct buf t = BUF_INIT;

	(void)state;
	assert_int_equal(parse_file("intel-perfold-2025-akirablog-stats-zero-shared-lines.stdio.txt", &p), 0);
	assert_int_equal(p.r.nr, 0);
	assert_true(p.r.sum.shared_lines == 0);
	c2c_report_text(&t, &p.r, &p.a, 0);
	assert_contains(t.buf, "0 false sharing, 0 true sharing, of 0 cache lines");
	buf_release(&t);
	parsed_release(&p);
}

static void parse_str(const char *s, struct c2c_report *r)
{
	c2c_report_init(r);
	c2c_parse(s, strlen(s), "inline", r);
}

/* Not a report, empty, binary: an error naming the input, nothing else. */
static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"", "\n\n", "hello world\n", "PERFILE2\x01\x02\x03",
		"=================================================\n",
	};
	struct c2c_report r;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		capture_reset();
		c2c_report_init(&r);
		assert_int_equal(c2c_parse(bad[i], strlen(bad[i]), "x.txt", &r), PG_EPARSE);
		assert_string_equal(last_msg, "perfgo: error: 'x.txt' is not a 'perf c2c report "
				    "--stdio' output (no c2c section found)");
		assert_int_equal(r.nr, 0);
		c2c_report_release(&r);
	}
}

/* Rows that do not fit the columns are skipped and counted, never half-read. */
static void test_malformed_rows(void **state)
{
	static const char table[] =
		"=================================================\n"
		"           Shared Data Cache Line Table          \n"
		"=================================================\n"
		"#\n"
		"#        ----------- Cacheline ----------      Tot  ------- Load Hitm -------\n"
		"# Index             Address  Node  PA cnt     Hitm    Total  LclHitm  RmtHitm\n"
		"# .....  ..................  ....  ......  .......  .......  .......  .......\n"
		"#\n"
		"      0      0x1000     0       1  100.00%       10        9        1\n"
		"      1      nothex     0       1   50.00%       10        9        1\n"
		"      2      0x2000     0       1   50.00%       10        9        1   extra\n"
		"      3      0x3000     0       1   -5.00%       10        9        1\n"
		"      4      0x4000     0       1   50.00%     99999999999999999999    9   1\n";
	struct c2c_report r;

	(void)state;
	parse_str(table, &r);
	assert_int_equal(r.nr, 1);
	assert_true(r.lines[0].address == 0x1000 && r.lines[0].hitm_total == 10 &&
		    r.lines[0].lcl_hitm == 9 && r.lines[0].rmt_hitm == 1);
	assert_int_equal(r.nskipped, 4);
	c2c_report_release(&r);
}

/* Every prefix of a full report parses without harm (a copy cut anywhere). */
static void test_truncated_everywhere(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	read_fixture(&b, DATA "intel-perf4.x-2016-joemario-c2c_example_report.stdio.txt");
	for (size_t n = 0; n <= b.len; n += 7) {
		struct c2c_report r;
		struct c2c_analysis a;
		struct buf out = BUF_INIT;

		c2c_report_init(&r);
		c2c_parse(b.buf, n, "cut", &r);
		c2c_analyse(&r, &a);
		c2c_report_json(&out, &r, &a);
		c2c_report_text(&out, &r, &a, 3);
		for (size_t i = 0; i < r.nr; i++)
			assert_true(r.lines[i].nrows <= 11);
		buf_release(&out);
		c2c_analysis_release(&a);
		c2c_report_release(&r);
	}
	buf_release(&b);
}

/*
 * The verdict rules on small Pareto blocks in the 6.x layout: line A has
 * stores at 0x0 and HITM at 0x0 only (true sharing); line B has stores at
 * 0x8 and HITM at 0x10 (a reader beside a writer: false sharing); line C
 * has stores but no HITM (neither: nothing moved between cores); line D
 * has HITM at two offsets and no stores at all (false sharing, HITM
 * standing in for writes).
 */
static void test_verdict_rules(void **state)
{
	static const char pareto[] =
		"=================================================\n"
		"      Shared Cache Line Distribution Pareto      \n"
		"=================================================\n"
		"#\n"
		"#        ----- HITM -----  ------- Store Refs ------  --------- Data address ---------                      ---------- cycles ----------    Total       cpu     Shared\n"
		"#   Num  RmtHitm  LclHitm   L1 Hit  L1 Miss      N/A              Offset  Node  PA cnt        Code address  rmt hitm  lcl hitm      load  records       cnt  Symbol  Object  Source:Line  Node\n"
		"# .....  .......  .......  .......  .......  .......  ..................  ....  ......  ..................  ........  ........  ........  .......  ........  ......  ......  ...........  ....\n"
		"#\n"
		"  ----------------------------------------------------------------------\n"
		"      0        0      100       50        0        0            0x1000\n"
		"  ----------------------------------------------------------------------\n"
		"           0.00%  100.00%    0.00%    0.00%    0.00%                 0x0     0       1            0x4000         0        90        10      120         2  [.] load  t.test  a.go:1  0\n"
		"           0.00%    0.00%  100.00%    0.00%    0.00%                 0x0     0       1            0x4010         0         0         0       50         2  [.] store  t.test  a.go:2  0\n"
		"\n"
		"  ----------------------------------------------------------------------\n"
		"      1        0       10       40        0        0            0x2000\n"
		"  ----------------------------------------------------------------------\n"
		"           0.00%  100.00%    0.00%    0.00%    0.00%                0x10     0       1            0x4020         0        90        10       20         1  [.] reader  t.test  a.go:3  0\n"
		"           0.00%    0.00%  100.00%    0.00%    0.00%                 0x8     0       1            0x4030         0         0         0       40         1  [.] writer  t.test  a.go:4  0\n"
		"\n"
		"  ----------------------------------------------------------------------\n"
		"      2        0        0       30        0        0            0x3000\n"
		"  ----------------------------------------------------------------------\n"
		"           0.00%    0.00%  100.00%    0.00%    0.00%                 0x0     0       1            0x4040         0         0         0       30         4  [.] quiet  t.test  a.go:5  0\n"
		"\n"
		"  ----------------------------------------------------------------------\n"
		"      3        2        8        0        0        0            0x4000\n"
		"  ----------------------------------------------------------------------\n"
		"          50.00%   50.00%    0.00%    0.00%    0.00%                0x20     0       1            0x4050       300       100        10       20         3  [.] a  t.test  a.go:6  0\n"
		"          50.00%   50.00%    0.00%    0.00%    0.00%                0x28     0       1            0x4060       300       100        10       20         3  [.] b  t.test  a.go:7  0\n";
	struct c2c_report r;
	struct c2c_analysis a;

	(void)state;
	parse_str(pareto, &r);
	assert_int_equal(r.nskipped, 0);
	assert_int_equal(r.nr, 4);
	c2c_analyse(&r, &a);
	assert_int_equal(a.v[0].kind, C2C_TRUE_SHARING);
	assert_near(a.v[0].hitm, 100);
	assert_near(a.v[0].stores, 50);
	assert_int_equal(a.v[1].kind, C2C_FALSE_SHARING);
	assert_int_equal(a.v[1].ncontended, 2);
	assert_int_equal(a.v[1].nwritten, 1);
	assert_int_equal(a.v[2].kind, C2C_NONE);
	assert_int_equal(a.v[3].kind, C2C_FALSE_SHARING);
	assert_int_equal(a.v[3].stores_sampled, 0);
	assert_int_equal(a.v[3].nwritten, 2);
	assert_near(a.v[3].share, 10.0 / 120 * 100);
	assert_int_equal(a.nfalse, 2);
	assert_int_equal(a.ntrue, 1);
	c2c_analysis_release(&a);
	c2c_report_release(&r);
}

/* The three formats carry the verdict, the numbers and the fix. */
static void test_reporters(void **state)
{
	struct parsed p;
	struct buf t = BUF_INIT, m = BUF_INIT, j = BUF_INIT;

	(void)state;
	assert_int_equal(parse_file("amd-perf6.x-2026-perfgo-ibs.stdio.txt", &p), 0);
	c2c_report_text(&t, &p.r, &p.a, 0);
	c2c_report_markdown(&m, &p.r, &p.a, 0);
	c2c_report_json(&j, &p.r, &p.a);
	assert_contains(t.buf, "cache line 0  0x20ea08034080  node 0  100.00% of HITM: false sharing");
	assert_contains(t.buf, "2 different offsets of the line are contended (0x30, 0x38), 2 of them "
			"written (up to 12 CPUs per code address): 2096 HITM, 0 sampled stores (no stores sampled");
	assert_contains(t.buf, "fix: move the fields at offsets 0x30, 0x38 onto separate cache lines");
	assert_contains(t.buf, "    0x30       3/1038         0    12  0x53dc88           github.com/perfgo/perfgo/e  go.go:0\n");
	assert_contains(m.buf, "### Line 0 `0x20ea08034080`: false sharing (100.00% of HITM)");
	assert_contains(m.buf, "| 0x38 | 1/1054 | 0 | 10 | 0x53dbc8 | github.com/perfgo/perfgo/e | go.go:0 |");
	assert_contains(j.buf, "\"verdict\": \"false sharing\"");
	assert_contains(j.buf, "\"false_sharing_lines\": 1");
	buf_release(&t);
	buf_release(&m);
	buf_release(&j);
	parsed_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_golden_all, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_amd_ibs, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_joemario_2016, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_old_new_layout_agree, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_arm_peer, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_callgraph_fullsymbols, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_kam3nev_reader_writer, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_stats_only, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_malformed, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_malformed_rows, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_truncated_everywhere, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_verdict_rules, setup_capture, teardown_capture),
		cmocka_unit_test_setup_teardown(test_reporters, setup_capture, teardown_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
