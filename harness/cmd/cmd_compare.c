/*
 * perfgo compare [<options>] [<base> [<head>]] [-- <pkg>... [go test flags]]
 * perfgo compare [<options>] <old> <new> [<new>...]
 *
 * A/B verdicts.  On revisions (compare_revs.c) both sides are measured
 * here, interleaved; on files in Go benchmark format (go test -bench
 * output, perfgo test stat --format gobench) the samples are read as
 * benchstat reads them.  Either way the comparison is built by
 * analysis/compare.h, formatted by reporters/ and written by
 * sinks/compare_outputs.h; this file parses the options, tells files from
 * revisions, reads files and decides the exit code.
 */
#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/io.h"
#include "cli/cli.h"
#include "cmd/compare_revs.h"
#include "collect/gobench.h"
#include "collect/gobench_series.h"
#include "sinks/compare_outputs.h"
#include "sinks/github.h"
#include "util/parse.h"
#include "runner/runner.h"
#include "util/sig.h"
#include "util/usage.h"
#include "util/banned.h"

static const char compare_usage[] =
	"usage: perfgo compare [<options>] [<base> [<head>]] [-- <pkg>... [go test flags]]\n"
	"   or: perfgo compare [<options>] <old-file> <new-file> [<new-file>...]\n"
	"\n"
	"Compare two revisions: both are built and measured here (or on --remote-host),\n"
	"interleaved A B B A with the same iteration counts.  -count auto (the default)\n"
	"measures 10 repetitions per side, then 5 more per look for the benchmarks not\n"
	"yet decided, up to 30 (--min-count, --count-step, --max-count), with the\n"
	"significance level spent over the looks; -count N measures N.  Without revisions: HEAD against the working tree when it has\n"
	"changes, else HEAD~1 against HEAD; <base> alone: against HEAD, or the working\n"
	"tree when it has changes; A...B compares merge-base(A, B) with B; run:<id>\n"
	"takes a stored run's samples.  Packages default to './...', -bench to '.'.\n"
	"\n"
	"Or compare files in Go benchmark format ('go test -bench' output, 'perfgo\n"
	"test stat --format gobench') as benchstat does; each <new-file> against\n"
	"<old-file>.\n"
	"\n"
	"Per benchmark and unit: the medians with their confidence intervals, the\n"
	"change, a Mann-Whitney U test and a verdict: regression, improvement, ~\n"
	"(within noise), inconclusive (re-run) or not comparable.  The gated units\n"
	"(--gate) are Holm-adjusted together and decide; other counters are\n"
	"diagnostics (Benjamini-Hochberg, never gate).  Exit 1 when a benchmark\n"
	"regresses (--fail-on regression).\n";

/* "ns/op=5" or "ns/op=5%"; the last '=' splits, units may contain one. */
static int parse_threshold(const char *arg, struct metric_override *o, char **name)
{
	const char *eq = strrchr(arg, '=');
	struct buf num = BUF_INIT;
	double pct;
	int ret;

	if (!eq || eq == arg || !eq[1])
		return error_code(PG_EUSAGE, "invalid --threshold '%s': expected <metric>=<percent>, e.g. ns/op=5", arg);
	buf_addstr(&num, eq + 1);
	if (num.len > 1 && num.buf[num.len - 1] == '%')
		buf_setlen(&num, num.len - 1);
	ret = parse_double(num.buf, &pct);
	buf_release(&num);
	if (ret || !(pct > 0))
		return error_code(PG_EUSAGE, "invalid --threshold '%s': the percentage must be a number above 0", arg);
	*name = xstrndup(arg, (size_t)(eq - arg));
	o->name = *name;
	o->cls = -1;
	o->better = 0;
	o->theta = pct / 100.0;
	return 0;
}

static int parse_level(const char *opt, const char *s, double *out)
{
	if (!s)
		return 0;
	if (parse_double(s, out) || !(*out > 0 && *out < 1))
		return error_code(PG_EUSAGE, "invalid %s '%s': expected a number between 0 and 1, e.g. %s",
				  opt, s, !strcmp(opt, "--alpha") ? "0.05" : "0.95");
	return 0;
}

/*
 * The most read from one file: far more than any go test output (a
 * thousand benchmarks ten times over is about 1 MB), and a bound on memory
 * when a path is /dev/zero or a log that never ends.
 */
#define COMPARE_MAX_INPUT (64 << 20)

/* Read and parse one file; every failure is reported here. */
static int load_file(const char *path, struct gb_file *f)
{
	struct buf b = BUF_INIT;
	struct stat st;
	int ret;

	/* Anything readable but a directory: <(go test ...) is a pipe. */
	if (stat(path, &st)) {
		if (errno != ENOENT && errno != ENOTDIR)
			return error_code(PG_EUSAGE, "cannot read '%s': %s", path, strerror(errno));
		return error_code(PG_EUSAGE, "'%s' is not a file in Go benchmark format", path);
	}
	if (S_ISDIR(st.st_mode))
		return error_code(PG_EUSAGE, "'%s' is not a file in Go benchmark format", path);
	/* One more byte than the limit tells a file at the limit from a larger one. */
	if (buf_read_file(&b, path, COMPARE_MAX_INPUT + 1) < 0) {
		ret = error_code(PG_EUSAGE, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	if (b.len > COMPARE_MAX_INPUT) {
		ret = error_code(PG_EUSAGE, "'%s' is larger than %d MiB, the most perfgo reads from "
				 "a file in Go benchmark format", path, COMPARE_MAX_INPUT >> 20);
		goto out;
	}
	ret = gb_parse(b.buf, b.len, path, f);
	if (!ret && !f->nr)
		ret = error_code(PG_EUSAGE, "'%s' is not a file in Go benchmark format: no benchmark results", path);
out:
	buf_release(&b);
	return ret;
}

/* Unit metadata must agree between files: a flipped better= flips verdicts. */
static int check_units(const struct gb_file *a, const char *na, const struct gb_file *b,
		       const char *nb)
{
	for (size_t i = 0; i < a->nunits; i++) {
		const struct gb_unit *u = &a->units[i], *v = gb_unit_find(b, u->unit);

		if (!v)
			continue;
		if (u->better && v->better && u->better != v->better)
			return error_code(PG_EUSAGE, "unit '%s' is better=%s in '%s' but better=%s in '%s'",
					  u->unit, u->better > 0 ? "higher" : "lower", na,
					  v->better > 0 ? "higher" : "lower", nb);
		if (u->assume_set && v->assume_set && u->assume_exact != v->assume_exact)
			return error_code(PG_EUSAGE, "unit '%s' is assume=%s in '%s' but assume=%s in '%s'",
					  u->unit, u->assume_exact ? "exact" : "nothing", na,
					  v->assume_exact ? "exact" : "nothing", nb);
	}
	return 0;
}

static int has_unit(const struct gb_file *f, const char *unit)
{
	for (size_t i = 0; i < f->nr; i++)
		for (size_t j = 0; j < f->results[i].nvalues; j++)
			if (!strcmp(f->results[i].values[j].unit, unit))
				return 1;
	return 0;
}

/*
 * A --threshold that matches no unit of the files is most likely a typo.
 * metric_lookup() decides what matches (it normalises names); a sentinel
 * θ tells whether this override was the one applied.
 */
static void warn_thresholds(const struct metric_override *over, size_t n,
			    const struct gb_file *files, size_t nfiles)
{
	for (size_t i = 0; i < n; i++) {
		struct metric_override probe = over[i];
		struct metric_policy pol;
		struct metric_info mi;
		int hit = 0;

		probe.theta = 1234.5;
		metric_policy_init(&pol);
		pol.over = &probe;
		pol.nover = 1;
		for (size_t f = 0; f < nfiles && !hit; f++)
			for (size_t r = 0; r < files[f].nr && !hit; r++)
				for (size_t v = 0; v < files[f].results[r].nvalues && !hit; v++) {
					metric_lookup(&pol, files[f].results[r].values[v].unit, &mi);
					hit = mi.theta == probe.theta;
				}
		if (!hit)
			warning("--threshold '%s' matches no unit in the files", over[i].name);
	}
}

/* Say what a reader of the numbers should know but the tables do not show. */
static void warn_inputs(const struct gb_file *files, const char *const *paths, size_t n)
{
	static const char *const keys[] = { "goos", "goarch", "cpu" };

	for (size_t i = 0; i < n; i++) {
		if (files[i].nfailed || files[i].saw_fail)
			warning("'%s' records a failed benchmark run%s%s", paths[i],
				files[i].nfailed ? ", e.g. " : "",
				files[i].nfailed ? files[i].failed[0] : "");
		for (size_t k = 0; i && k < ARRAY_SIZE(keys); k++) {
			const char *a = gb_config_get(&files[0], &files[0].results[0], keys[k]);
			const char *b = gb_config_get(&files[i], &files[i].results[0], keys[k]);

			if (a && b && strcmp(a, b))
				warning("'%s' and '%s' were measured on different machines (%s: '%s', '%s')",
					paths[0], paths[i], keys[k], a, b);
		}
	}
}

/* Push the comma-separated words of s (empty ones dropped). */
static void split_words(struct strvec *out, const char *s, char sep)
{
	while (*s) {
		const char *end = strchr(s, sep);
		size_t n = end ? (size_t)(end - s) : strlen(s);

		if (n) {
			char *w = xstrndup(s, n);

			strvec_push(out, w);
			free(w);
		}
		s += n + (end != NULL);
	}
}

/* "regression", "unreachable", "regression,unreachable" or "none". */
static int parse_fail_on(const char *arg, unsigned *mask)
{
	struct strvec words = STRVEC_INIT;
	int ret = 0;

	*mask = 0;
	split_words(&words, arg, ',');
	for (size_t i = 0; i < words.nr && !ret; i++) {
		if (!strcmp(words.v[i], "regression"))
			*mask |= COMPARE_FAIL_REGRESSION;
		else if (!strcmp(words.v[i], "unreachable"))
			*mask |= COMPARE_FAIL_UNREACHABLE;
		else if (strcmp(words.v[i], "none") || words.nr > 1)
			ret = error_code(PG_EUSAGE, "unknown --fail-on '%s': use regression, "
					 "unreachable, both comma-separated, or none", arg);
	}
	if (!words.nr)
		ret = error_code(PG_EUSAGE, "unknown --fail-on '%s': use regression, "
				 "unreachable, both comma-separated, or none", arg);
	strvec_clear(&words);
	return ret;
}

static int check_options(struct compare_args *a, struct compare_opts *o)
{
	if (parse_level("--alpha", a->alpha, &o->alpha) ||
	    parse_level("--confidence", a->confidence, &o->conf))
		return PG_EUSAGE;
	if (parse_fail_on(a->fail_on, &a->fail_mask))
		return PG_EUSAGE;
	for (size_t i = 0; i < a->gates.nr; i++)
		if (a->gates.v[i][strspn(a->gates.v[i], ",")] == '\0')
			return error_code(PG_EUSAGE, "--gate needs a unit, e.g. ns/op");
	if (!compare_format_find(a->format)) {
		struct buf names = BUF_INIT;
		int ret;

		compare_format_names(&names);
		ret = error_code(PG_EUSAGE, "unknown format '%s': use %s", a->format, names.buf);
		buf_release(&names);
		return ret;
	}
	for (size_t i = 0; i < a->metrics.nr; i++)
		if (!*a->metrics.v[i])
			return error_code(PG_EUSAGE, "--metric needs a unit, e.g. ns/op");
	return 0;
}

/*
 * --github on files: the check run on GITHUB_SHA, annotated from the
 * sources of the working tree (relative to GITHUB_WORKSPACE when the
 * current directory is inside it).
 */
static int github_files(const struct compare_args *a, const struct compare_report *rep,
			int code, const struct strvec *rest)
{
	struct github_opts go = { a->github, a->github_comment, a->github_token_env };
	struct github gh;
	struct gh_locator loc = { 0 };
	struct github_result r = { 0 };
	const char *ws = getenv("GITHUB_WORKSPACE");
	char *cwd = getcwd(NULL, 0);
	size_t n = ws ? strlen(ws) : 0;
	int ret = github_open(&gh, &go);

	if (!ret && gh.on) {
		loc.top = ".";
		loc.workdir = "";
		if (cwd && n && !strncmp(cwd, ws, n) && (cwd[n] == '/' || !cwd[n])) {
			loc.top = ws;
			loc.workdir = cwd[n] ? cwd + n + 1 : "";
		}
		r.rep = rep;
		r.exit_code = code;
		r.loc = &loc;
		r.report_file = a->report_file;
		r.base_label = rest->v[0];
		r.head_label = rest->v[1];
		github_finish(&gh, &r);
	}
	gh_locator_release(&loc);
	github_close(&gh);
	free(cwd);
	return ret ? EXIT_USAGE : code;
}

/* Files parsed and checked: compare, print, decide. */
static int run(const struct compare_args *a, const struct strvec *rest,
	       const struct gb_file *files, struct compare_opts *o)
{
	struct series_set *sets = xcalloc(rest->nr, sizeof(*sets));
	struct compare_report rep = COMPARE_REPORT_INIT;
	struct compare_outputs outs = { 0 };
	struct junit_meta meta = { 0 };
	int ret;

	for (size_t i = 0; i < rest->nr; i++)
		gb_file_series(&files[i], rest->v[i], &sets[i]);
	ret = compare_build(&rep, &sets[0], &sets[1], rest->nr - 1, o);
	if (ret == COMPARE_ECANCELED || (!ret && sig_pending())) {
		note("interrupted: nothing written");
		ret = exit_code_for(PG_EINTR);
		goto out;
	}
	if (ret) {
		ret = error_code(PG_EUSAGE, "cannot compare: %s", stats_strerror(ret));
		goto out;
	}
	if (!rep.rows) {
		ret = error_code(PG_EUSAGE, "nothing to compare%s%s%s", a->filter ? ": no benchmark matches --filter '" : "",
				 a->filter ? a->filter : "", a->filter ? "'" : "");
		cli_hint("compare");
		goto out;
	}
	if (compare_check_gate(&rep, o)) {
		cli_hint("compare");
		ret = EXIT_USAGE;
		goto out;
	}
	meta.base_label = rest->v[0];
	meta.head_label = rest->v[1];
	outs.format = a->format;
	memcpy(outs.file, a->report_file, sizeof(outs.file));
	rep.fail_unreachable = !!(a->fail_mask & COMPARE_FAIL_UNREACHABLE);
	if (compare_outputs_write(&outs, &rep, &meta))
		ret = EXIT_ENV;
	else
		ret = compare_gate_exit(&rep, a->fail_mask);
	if (ret != EXIT_ENV)
		ret = github_files(a, &rep, ret, rest);
out:
	compare_report_release(&rep);
	for (size_t i = 0; i < rest->nr; i++)
		series_set_release(&sets[i]);
	free(sets);
	return ret;
}

static int compare_files(const struct compare_args *a, const struct strvec *rest,
			 struct compare_opts *o)
{
	struct gb_file *files = xcalloc(rest->nr, sizeof(*files));
	size_t loaded = 0;
	int ret = 0;

	for (; loaded < rest->nr && !ret; loaded++)
		ret = load_file(rest->v[loaded], &files[loaded]);
	if (!ret && sig_pending()) {
		note("interrupted: nothing written");
		ret = exit_code_for(PG_EINTR);
		goto out;
	}
	for (size_t i = 1; i < rest->nr && !ret; i++)
		ret = check_units(&files[0], rest->v[0], &files[i], rest->v[i]);
	for (size_t i = 0; i < a->metrics.nr && !ret; i++) {
		int found = 0;

		for (size_t j = 0; j < rest->nr && !found; j++)
			found = has_unit(&files[j], a->metrics.v[i]);
		if (!found) {
			ret = error_code(PG_EUSAGE, "no unit '%s' in any of the files", a->metrics.v[i]);
			cli_hint("compare");
		}
	}
	if (!ret) {
		warn_inputs(files, rest->v, rest->nr);
		warn_thresholds(o->over, o->nover, files, rest->nr);
		ret = run(a, rest, files, o);
	} else {
		ret = EXIT_USAGE;
	}
out:
	for (size_t i = 0; i < loaded; i++)
		gb_file_release(&files[i]);
	free(files);
	return ret < 0 ? EXIT_USAGE : ret;
}

/* A path compare can read as Go benchmark data: anything but a directory. */
static int is_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && !S_ISDIR(st.st_mode);
}

/*
 * Files or revisions?  When a word names a file the words are files (a
 * file wins over a revision of the same name; "--" forces revisions), and
 * each must then be one.  Otherwise at most <base> <head>.
 */
static int choose_mode(const struct compare_args *a, const struct strvec *rest, int dashdash,
		       int *files)
{
	int any = 0;

	for (size_t i = 0; i < rest->nr && !any; i++)
		any = is_file(rest->v[i]);
	*files = any && !dashdash;
	if (*files) {
		const char *only = a->remote ? "--remote-host" : a->keep ? "--keep" :
			a->reuse ? "--reuse" : a->confirm ? "--confirm" :
			a->import_path ? "--import-path" : a->count_min ? "--min-count" :
			a->count_step ? "--count-step" : a->count_max ? "--max-count" : a->events.nr ? "--event" :
			a->detail >= 0 ? "--detail" : a->counters ? "--counters" : NULL;

		if (rest->nr < 2)
			return error_code(PG_EUSAGE, "compare needs two files, <old> and <new> "
					  "(got only '%s')", rest->v[0]);
		if (only)
			return error_code(PG_EUSAGE, "'%s' applies to revisions, not to files", only);
		return 0;
	}
	if (rest->nr > 2)
		return error_code(PG_EUSAGE, "compare takes at most two revisions, <base> and "
				  "<head> (or files in Go benchmark format, and '%s' is not one)",
				  rest->v[0]);
	if (a->remote && runner_check_dest(a->remote))
		return PG_EUSAGE;
	return 0;
}

/* Ctrl-C stops a comparison between rows (compare_opts.cancelled). */
static int interrupted(void *arg)
{
	(void)arg;
	return sig_pending() != 0;
}

/* --markdown <file> and the like, named and described by the format table. */
#define OPT_REPORT_FILE(id) OPT_STR_(compare_formats[id].file_option, 0, &a.report_file[id], \
				     "<file>", compare_formats[id].file_help)

int cmd_compare(int argc, const char **argv, struct ctx *ctx)
{
	struct compare_args a;
	struct opt opts[] = {
		OPT_STR_("alpha", 0, &a.alpha, "<a>", "significance level after Holm's correction (default 0.01 on revisions, 0.05 on files)"),
		OPT_STR_("confidence", 0, &a.confidence, "<c>", "confidence of the intervals (default 0.95)"),
		OPT_LIST_("threshold", 0, &a.thresholds, "<unit>=<%>", "practical threshold for a unit, e.g. ns/op=5 (repeatable)"),
		OPT_LIST_("metric", 0, &a.metrics, "<unit>", "compare only this unit, e.g. ns/op (repeatable)"),
		OPT_STR_("filter", 0, &a.filter, "<regex>", "only benchmarks whose full name matches (POSIX ERE)"),
		OPT_LIST_("gate", 0, &a.gates, "<unit>[,<unit>...]", "the units that gate (default: ns/op, B/op, allocs/op, instructions, custom units); repeatable"),
		OPT_STR_("fail-on", 0, &a.fail_on, "<what>", "exit 1 on: regression (default), unreachable (α out of reach), both comma-separated, or none"),
		OPT_STR_("format", 0, &a.format, "<fmt>", "text, markdown, json or junit (standard output)"),
		OPT_REPORT_FILE(COMPARE_FORMAT_MARKDOWN),
		OPT_REPORT_FILE(COMPARE_FORMAT_JUNIT),
		OPT_REPORT_FILE(COMPARE_FORMAT_JSON),
		OPT_LIST_("event", 'e', &a.events, "<event>", "revisions: perf event(s) to count; repeatable"),
		OPT_BOOL_("detail", 0, &a.detail, "revisions: count L1-dcache and LLC events too (default on)"),
		OPT_BOOL_("reuse", 0, &a.reuse, "revisions: take stored samples of a commit measured alike"),
		OPT_BOOL_("confirm", 0, &a.confirm, "revisions: re-measure regressions, keep those that repeat"),
		OPT_STR_("min-count", 0, &a.count_min, "<n>", "revisions, -count auto: repetitions per side at the first look (default 10)"),
		OPT_STR_("count-step", 0, &a.count_step, "<n>", "revisions, -count auto: repetitions per side added per look (default 5)"),
		OPT_STR_("max-count", 0, &a.count_max, "<n>", "revisions, -count auto: the cap, repetitions per side (default 30)"),
		OPT_STR_("remote-host", 0, &a.remote, "<host>", "revisions: measure both sides on this ssh host"),
		OPT_BOOL_("keep", 0, &a.keep, "keep the (remote) scratch directory"),
		OPT_BOOL_("github", 0, &a.github, "check run, annotations, job summary, outputs on GitHub (default: when GITHUB_ACTIONS=true)"),
		OPT_BOOL_("github-comment", 0, &a.github_comment, "with --github: one pull request comment, updated in place"),
		OPT_STR_("github-token-env", 0, &a.github_token_env, "<var>", "with --github: the variable holding the token (default GITHUB_TOKEN)"),
		OPT_STR_("counters", 0, &a.counters, "<src>", "revisions: perf, sim (callgrind) or auto (default: perf with a hardware PMU, else sim)"),
		OPT_STR_("import-path", 0, &a.import_path, "<path>", "revisions: import path of the repository's top directory, for commits without go.mod"),
		OPT_END_()
	};
	struct compare_opts o = COMPARE_OPTS_INIT;
	struct metric_override *over = NULL;
	char **names = NULL;
	struct strvec rest = STRVEC_INIT, bench_words = STRVEC_INIT, gate_units = STRVEC_INIT;
	regex_t re;
	int have_re = 0, ret, files = 0, dashdash;

	memset(&a, 0, sizeof(a));
	a.fail_on = "regression";
	a.format = "text";
	a.detail = -1;
	a.github = -1;
	strvec_init(&a.thresholds);
	strvec_init(&a.metrics);
	strvec_init(&a.gates);
	strvec_init(&a.events);
	a.opts = opts;
	ret = cli_parse_split("compare", compare_usage, opts, argc, argv, &rest, &bench_words,
			      &dashdash);
	if (ret) {
		ret = ret > 0 ? EXIT_OK : EXIT_USAGE;
		goto out;
	}
	over = xcalloc(a.thresholds.nr + 1, sizeof(*over));
	names = xcalloc(a.thresholds.nr + 1, sizeof(*names));
	ret = check_options(&a, &o);
	if (!ret)
		ret = choose_mode(&a, &rest, dashdash, &files);
	for (size_t k = 0; k < a.thresholds.nr && !ret; k++)
		ret = parse_threshold(a.thresholds.v[k], &over[k], &names[k]);
	if (!ret && a.filter) {
		int rc = regcomp(&re, a.filter, REG_EXTENDED | REG_NOSUB);

		if (rc) {
			char msg[256];

			regerror(rc, &re, msg, sizeof(msg));
			ret = error_code(PG_EUSAGE, "invalid --filter '%s': %s", a.filter, msg);
		} else {
			have_re = 1;
		}
	}
	if (ret) {
		cli_hint("compare");
		ret = EXIT_USAGE;
		goto out;
	}
	o.over = over;
	o.nover = a.thresholds.nr;
	o.metrics = a.metrics.v;
	o.nmetrics = a.metrics.nr;
	/* --gate ns/op,allocs/op --gate B/op: one list. */
	for (size_t k = 0; k < a.gates.nr; k++)
		split_words(&gate_units, a.gates.v[k], ',');
	o.gate = gate_units.v;
	o.ngate = gate_units.nr;
	o.filter = have_re ? &re : NULL;
	o.cancelled = interrupted;
	/*
	 * The gate on revisions: Holm keeps false alarms per comparison (a PR)
	 * at most α, and the target is 1 % (tests/bench/bench_error_rates.c,
	 * README); files keep benchstat's 0.05.
	 */
	if (!files && !a.alpha)
		o.alpha = COMPARE_GATE_ALPHA;
	if (files)
		ret = compare_files(&a, &rest, &o);
	else
		ret = compare_revisions(&a, &o, &rest, &bench_words, ctx);
out:
	if (have_re)
		regfree(&re);
	for (size_t k = 0; names && k < a.thresholds.nr; k++)
		free(names[k]);
	free(names);
	free(over);
	strvec_clear(&a.thresholds);
	strvec_clear(&a.metrics);
	strvec_clear(&a.gates);
	strvec_clear(&gate_units);
	strvec_clear(&a.events);
	strvec_clear(&rest);
	strvec_clear(&bench_words);
	return ret;
}
