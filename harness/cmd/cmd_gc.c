/*
 * perfgo gc [--older-than <age>] [--keep <n>] [--include-history] [--dry-run]
 * (alias: prune)
 *
 * Remove stored runs and their files: the runs that every limit given
 * selects (started more than <age> ago, and not among the <n> newest),
 * except the runs history needs, runs possibly still in progress, and the
 * runs a kept comparison ties to them (analysis/gc_plan.h).  Then sweep run
 * directories without a run (left by a killed gc or run), and compact the
 * database, and remove the stored binaries no run left names.  Crash safety
 * and locking: store/store_gc.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "cli/cli.h"
#include "util/clock.h"
#include "util/runfmt.h"
#include "util/usage.h"
#include "session/workspace.h"
#include "store/store_gc.h"
#include "util/banned.h"

static const char gc_usage[] =
	"usage: perfgo gc [--older-than <age>] [--keep <n>] [--include-history] [--dry-run]\n"
	"\n"
	"Remove stored runs and their files under .perfgo/runs/: the runs started more than\n"
	"<age> ago (30d, 12h, 90m, 2w) and/or not among the <n> newest; with both, a run goes\n"
	"only when both say so.  Kept anyway: for each commit, runner class, benchmark and\n"
	"metric the run 'perfgo history' shows (unless --include-history), runs still\n"
	"marked running (unless --older-than covers them), and a comparison with its two\n"
	"measured runs stay or go together.  Run directories without a run are removed, and\n"
	"the database is compacted.  Stored test binaries (binaries/) go when no run left\n"
	"names them.  --dry-run lists what would go and changes nothing.\n";

/* "30d" -> nanoseconds; units s, m, h, d, w. */
static int parse_age(const char *s, int64_t *ns)
{
	static const struct { char unit; int64_t sec; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 'w', 7 * 86400 },
	};
	char *end;
	unsigned long long v;

	errno = 0;
	if (*s < '0' || *s > '9')
		return -1;
	v = strtoull(s, &end, 10);
	if (errno || end[0] == '\0' || end[1] != '\0')
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++)
		if (*end == units[i].unit) {
			if (v > (unsigned long long)(INT64_MAX / 1000000000 / units[i].sec))
				return -1;
			*ns = (int64_t)v * units[i].sec * 1000000000;
			return 0;
		}
	return -1;
}

static int parse_keep(const char *s, long *out)
{
	char *end;

	errno = 0;
	if (*s < '0' || *s > '9')
		return -1;
	*out = strtol(s, &end, 10);
	return errno || *end ? -1 : 0;
}

static void print_gone(const struct gc_result *res, int dry_run)
{
	for (size_t i = 0; i < res->ngone; i++) {
		const struct gc_gone *g = &res->gone[i];
		struct buf t = BUF_INIT;

		fmt_time(&t, g->started_ns);
		printf("%s  %.8s  %s  %-11s  %-12s  %.12s\n", dry_run ? "would remove" : "removed",
		       g->id, t.buf, g->status == RUN_RUNNING ? "incomplete" : run_status_name(g->status),
		       g->command ? g->command : "-", g->commit ? g->commit : "-");
		buf_release(&t);
	}
}

static void print_summary(const struct gc_result *res, int dry_run)
{
	const size_t *k = res->kept;

	printf("%s %zu of %zu runs; kept %zu: %zu within the limits, %zu for history, "
	       "%zu tied by a comparison, %zu possibly in progress\n",
	       dry_run ? "would remove" : "removed", res->ngone, res->nruns,
	       res->nruns - res->ngone, k[GC_KEPT_LIMIT], k[GC_KEPT_HISTORY], k[GC_KEPT_LINKED],
	       k[GC_KEPT_RUNNING]);
	printf("%s %zu run directories (%zu left without a run before), %zu files, %llu bytes\n",
	       dry_run ? "would free" : "freed", res->dirs, res->orphans, res->files,
	       (unsigned long long)res->bytes);
	if (res->bins_running)
		printf("stored binaries: none removed while %zu run%s marked running (%s may be in "
		       "progress, and a run stores a binary before it names it); %zu kept\n",
		       res->bins_running, res->bins_running == 1 ? " is" : "s are",
		       res->bins_running == 1 ? "it" : "they", res->bins_kept);
	else if (res->bins_unread)
		printf("stored binaries: none removed: a run's profile cannot be read (see the "
		       "warning); %zu kept\n", res->bins_kept);
	else if (res->bins || res->bins_kept)
		printf("%s %zu stored binaries (%zu files, %llu bytes); kept %zu that a run names\n",
		       dry_run ? "would free" : "freed", res->bins, res->bin_files,
		       (unsigned long long)res->bin_bytes, res->bins_kept);
	if (dry_run)
		printf("database: %lld bytes (not compacted: dry run)\n", (long long)res->db_before);
	else
		printf("database: %lld -> %lld bytes%s\n", (long long)res->db_before,
		       (long long)res->db_after, res->vacuumed ? " (vacuumed)" : "");
}

int cmd_gc(int argc, const char **argv, struct ctx *ctx)
{
	const char *older = NULL, *keep = NULL;
	int dry_run = 0, history = 0;
	struct opt opts[] = {
		OPT_STR_("older-than", 0, &older, "<age>", "runs started more than <age> ago (30d, 12h, 2w)"),
		OPT_STR_("keep", 0, &keep, "<n>", "keep the <n> newest runs"),
		OPT_BOOL_("include-history", 0, &history, "let runs that history shows go too"),
		OPT_BOOL_("dry-run", 'n', &dry_run, "list what would go, change nothing"),
		OPT_END_()
	};
	struct gc_policy p = { 0, -1, 0 };
	struct strvec rest = STRVEC_INIT;
	struct gc_result res;
	struct workspace ws;
	int64_t age = 0;
	int ret;

	(void)ctx;
	memset(&ws, 0, sizeof(ws));
	memset(&res, 0, sizeof(res));
	ret = cli_parse(argv[0], gc_usage, opts, argc - 1, argv + 1, 0, &rest);
	if (ret) {
		ret = ret > 0 ? EXIT_OK : EXIT_USAGE;
		goto out;
	}
	if (rest.nr)
		ret = error_code(PG_EUSAGE, "unexpected argument '%s'", rest.v[0]);
	else if (!older && !keep)
		ret = error_code(PG_EUSAGE, "say which runs may go: --older-than <age>, --keep <n>, or both");
	else if (older && parse_age(older, &age))
		ret = error_code(PG_EUSAGE, "'--older-than' needs an age such as 30d, 12h, 90m or 2w, not '%s'",
				 older);
	else if (keep && parse_keep(keep, &p.keep))
		ret = error_code(PG_EUSAGE, "'--keep' needs a count of 0 or more, not '%s'", keep);
	if (ret) {
		cli_hint(argv[0]);
		ret = EXIT_USAGE;
		goto out;
	}
	if (older)
		p.before_ns = clock_wall_ns() - age;
	p.history = history;
	ret = workspace_open(&ws, 0);
	if (ret == PG_ENOTFOUND) {
		note("no runs recorded in '%s' yet", ws.dir);
		ret = EXIT_OK;
		goto out;
	}
	/* It exists: open it again for writing (read-only opens cannot delete). */
	if (!ret) {
		workspace_close(&ws);
		ret = workspace_open(&ws, 1);
	}
	if (!ret)
		ret = store_gc(ws.st, &p, dry_run, &res);
	if (ret) {
		ret = pg_err_exit_code(ret);
		goto out;
	}
	print_gone(&res, dry_run);
	print_summary(&res, dry_run);
	ret = EXIT_OK;
out:
	gc_result_release(&res);
	workspace_close(&ws);
	strvec_clear(&rest);
	return ret;
}
