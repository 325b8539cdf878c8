/*
 * What the result store keeps besides samples (fixtures: store_fixture.h):
 * fingerprints and their hash, events, artifacts, Go configuration, and the
 * history queries over them (commits, fingerprint classes, comparisons).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "common.h"
#include "util/buf.h"
#include "util/io.h"
#include "git/gitrev.h"
#include "util/sha256.h"
#include "store/store.h"
#include "util/usage.h"
#include "store_fixture.h"

/* Fingerprints, events, artifacts. */

static const struct fingerprint fp_base = {
	.host = "box1", .cpu_model = "Intel(R) Xeon(R) CPU", .cores = 8,
	.kernel = "6.1.0-18-amd64", .perf_version = "6.1.76",
	.go_version = "go1.19.8", .goos = "linux", .goarch = "amd64",
	.goamd64 = "v1", .gomaxprocs = 8, .paranoid = 2, .pmu = 0,
	.aslr = "2", .governor = NULL, .smt = "on",
};

static void test_fingerprint_hash(void **state)
{
	struct fingerprint fp = fp_base;
	char *base, *h;

	(void)state;
	base = fingerprint_hash(&fp);
	assert_int_equal(strlen(base), 64);
	assert_int_equal(strspn(base, "0123456789abcdef"), 64);
	/*
	 * Pinned: the hash is stored in every database, so any change to it
	 * must be deliberate (and bump the version tag in fp_digest()).  The
	 * value was computed independently from the documented serialization.
	 */
	assert_string_equal(base,
		"0bd2cdb82471883fde1b2a8c30b5fd2d1ded883019a495f8732642666c3e908a");

	/* Host, governor, paranoid, ASLR and SMT do not split the class. */
	fp.host = "box2";
	fp.governor = "performance";
	fp.paranoid = -1;
	fp.aslr = "0";
	fp.smt = "off";
	h = fingerprint_hash(&fp);
	assert_string_equal(h, base);
	free(h);

	/* Everything measured does. */
	fp = fp_base;
	fp.cores = 16;
	h = fingerprint_hash(&fp);
	assert_string_not_equal(h, base);
	free(h);
	fp = fp_base;
	fp.pmu = 1;
	h = fingerprint_hash(&fp);
	assert_string_not_equal(h, base);
	free(h);
	fp = fp_base;
	fp.goamd64 = "v3";
	h = fingerprint_hash(&fp);
	assert_string_not_equal(h, base);
	free(h);
	/* Unknown is not the same as empty. */
	fp = fp_base;
	fp.kernel = NULL;
	h = fingerprint_hash(&fp);
	fp.kernel = "";
	{
		char *h2 = fingerprint_hash(&fp);

		assert_string_not_equal(h, h2);
		free(h2);
	}
	free(h);
	free(base);
}

static void test_extras(void **state)
{
	struct tdir *t = *state;
	struct store *st = open_new(t);
	struct fingerprint fp2 = fp_base;
	struct run_extras x;
	struct run_info ri, bare;
	struct run_row r;
	char sha[SHA256_HEX_SIZE], path[128], *hash;
	int64_t id1, id1b, id2, bench;
	int failed = -1;
	sqlite3 *db;

	assert_int_equal(store_fingerprint(st, &fp_base, &id1), 0);
	assert_int_equal(store_fingerprint(st, &fp_base, &id1b), 0);
	assert_true(id1 > 0);
	assert_true(id1 == id1b);
	fp2.host = "box2";
	fp2.governor = "performance";
	assert_int_equal(store_fingerprint(st, &fp2, &id2), 0);
	assert_true(id2 != id1);
	hash = fingerprint_hash(&fp_base);
	db = raw_open(t);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM fingerprints WHERE hash = ?1",
				 hash), 2);
	sqlite3_close(db);
	free(hash);

	memset(&ri, 0, sizeof(ri));
	ri.command = "test stat";
	ri.fingerprint_id = id2;
	assert_int_equal(store_run_begin(st, &ri), 0);
	assert_int_equal(store_add_event(st, ri.id, "instructions", EVENT_UNSUPPORTED), 0);
	assert_int_equal(store_add_event(st, ri.id, "task-clock", EVENT_COUNTED), 0);
	assert_int_equal(store_add_event(st, ri.id, "cpu/event=0x2e,umask=0x41/",
					 EVENT_NOT_COUNTED), 0);
	/* A second answer for the same event replaces the first, in place. */
	assert_int_equal(store_add_event(st, ri.id, "instructions", EVENT_COUNTED), 0);

	sha256_hex("hello\n", 6, sha);
	snprintf(path, sizeof(path), "runs/%s/stdout.txt", ri.id);
	assert_int_equal(store_add_artifact(st, ri.id, "stdout", path, 6, sha), 0);
	assert_int_equal(store_add_artifact(st, ri.id, "perf-csv", "runs/x/perf.csv", 0, NULL), 0);
	assert_int_equal(store_add_artifact(st, ri.id, "stdout", path, 12, sha), 0);
	/* The test binaries' "key: value" lines, per package; a repeat replaces. */
	assert_int_equal(store_add_go_config(st, ri.id, "example.com/b", "cpu", "Old"), 0);
	assert_int_equal(store_add_go_config(st, ri.id, "example.com/a", "goos", "linux"), 0);
	assert_int_equal(store_add_go_config(st, ri.id, "example.com/b", "pkg", "example.com/b"), 0);
	assert_int_equal(store_add_go_config(st, ri.id, "example.com/b", "cpu", "AMD EPYC"), 0);
	/* A benchmark the backend could not count: the first reason stays. */
	assert_int_equal(store_benchmark_id(st, "example.com/a", "BenchmarkSHA", &bench), 0);
	assert_int_equal(store_bench_failed(st, ri.id, bench, &failed), 0);
	assert_int_equal(failed, 0);
	assert_int_equal(store_add_bench_failure(st, ri.id, bench, "instructions:sim/op x:sim/op",
						 "valgrind: unsupported instruction"), 0);
	assert_int_equal(store_add_bench_failure(st, ri.id, bench, "y", "later"), 0);
	assert_int_equal(store_bench_failed(st, ri.id, bench, &failed), 0);
	assert_int_equal(failed, 1);
	assert_int_equal(nmsg, 0);

	assert_int_equal(store_find_run(st, "0", &r, NULL), 0);
	assert_int_equal(r.fingerprint_id, id2);
	assert_int_equal(store_run_extras(st, &r, &x), 0);
	assert_int_equal(x.nevents, 3);
	assert_string_equal(x.events[0].event, "instructions");
	assert_int_equal(x.events[0].state, EVENT_COUNTED);
	assert_string_equal(x.events[1].event, "task-clock");
	assert_int_equal(x.events[1].state, EVENT_COUNTED);
	assert_string_equal(x.events[2].event, "cpu/event=0x2e,umask=0x41/");
	assert_int_equal(x.events[2].state, EVENT_NOT_COUNTED);
	assert_int_equal(x.nartifacts, 2);
	assert_string_equal(x.artifacts[0].kind, "stdout");
	assert_string_equal(x.artifacts[0].path, path);
	assert_int_equal(x.artifacts[0].size, 12);
	assert_string_equal(x.artifacts[0].sha256, sha);
	assert_string_equal(x.artifacts[1].kind, "perf-csv");
	assert_null(x.artifacts[1].sha256);
	assert_int_equal(x.ngoconf, 3);
	assert_string_equal(x.goconf[0].package, "example.com/a");
	assert_string_equal(x.goconf[0].key, "goos");
	assert_string_equal(x.goconf[0].value, "linux");
	assert_string_equal(x.goconf[1].key, "cpu");
	assert_string_equal(x.goconf[1].value, "AMD EPYC");
	assert_string_equal(x.goconf[2].package, "example.com/b");
	assert_string_equal(x.goconf[2].key, "pkg");
	assert_int_equal(x.failures.nr, 1);
	assert_string_equal(x.failures.rows[0].package, "example.com/a");
	assert_string_equal(x.failures.rows[0].bench, "BenchmarkSHA");
	assert_string_equal(x.failures.rows[0].metrics, "instructions:sim/op x:sim/op");
	assert_string_equal(x.failures.rows[0].reason, "valgrind: unsupported instruction");
	assert_int_equal(x.has_fp, 1);
	assert_string_equal(x.fp.host, "box2");
	assert_string_equal(x.fp.governor, "performance");
	assert_string_equal(x.fp.cpu_model, fp_base.cpu_model);
	assert_int_equal(x.fp.cores, 8);
	assert_string_equal(x.fp.kernel, fp_base.kernel);
	assert_string_equal(x.fp.perf_version, fp_base.perf_version);
	assert_string_equal(x.fp.go_version, fp_base.go_version);
	assert_string_equal(x.fp.goos, "linux");
	assert_string_equal(x.fp.goarch, "amd64");
	assert_string_equal(x.fp.goamd64, "v1");
	assert_int_equal(x.fp.gomaxprocs, 8);
	assert_int_equal(x.fp.paranoid, 2);
	assert_int_equal(x.fp.pmu, 0);
	assert_string_equal(x.fp.aslr, "2");
	assert_string_equal(x.fp.smt, "on");
	run_extras_release(&x);
	run_row_release(&r);

	/* A run without fingerprint, events or artifacts. */
	begin_run(st, &bare, ".", NULL, 0);
	assert_int_equal(store_find_run(st, bare.id, &r, NULL), 0);
	assert_int_equal(store_run_extras(st, &r, &x), 0);
	assert_int_equal(x.nevents, 0);
	assert_int_equal(x.nartifacts, 0);
	assert_int_equal(x.ngoconf, 0);
	assert_int_equal(x.failures.nr, 0);
	assert_int_equal(x.has_fp, 0);
	assert_null(x.fp.host);
	run_extras_release(&x);
	run_row_release(&r);

	assert_int_equal(store_add_event(st, "nope", "cycles", EVENT_COUNTED), PG_EENV);
	assert_int_equal(store_add_artifact(st, "nope", "stdout", "x", 1, NULL), PG_EENV);
	assert_int_equal(store_add_go_config(st, "nope", "p", "k", "v"), PG_EENV);
	assert_int_equal(nmsg, 3);
	store_close(st);
}

/*
 * History: commits are stored once; a run counts as "measured" for reuse
 * and skipping only when it finished ok, on a clean tree, with the same
 * configuration, on a runner of the same fingerprint class (hash, not
 * row: another host of the same class qualifies), optionally of a given
 * command, the newest first; comparisons link a run to its two sides.
 */
static void test_history(void **state)
{
	struct tdir *t = *state;
	struct store *st = open_new(t);
	struct commit_info ci = { .parents = (char *)"", .time = 1700000000,
				  .subject = (char *)"first" };
	struct fingerprint other_host = fp_base, other_class = fp_base;
	static const char sha[] = "0123456789abcdef0123456789abcdef01234567";
	static const char cfg[] = "{\"count\":10}";
	struct run_info ok1, ok2, failed, dirty, othercfg, otherfp, cmp;
	struct run_info *all[] = { &ok1, &ok2, &failed, &dirty, &othercfg, &otherfp, &cmp };
	int64_t fp1, fp1b, fp2;
	char id[33], base[33], head[33];
	sqlite3 *db;

	memcpy(ci.sha, sha, sizeof(sha));
	assert_int_equal(store_add_commit(st, &ci), 0);
	ci.subject = (char *)"changed";
	assert_int_equal(store_add_commit(st, &ci), 0);    /* idempotent: first kept */
	db = raw_open(t);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM commits WHERE subject = 'first'", NULL), 1);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM commits", NULL), 1);
	sqlite3_close(db);

	other_host.host = "box2";
	other_class.cores = 4;
	assert_int_equal(store_fingerprint(st, &fp_base, &fp1), 0);
	assert_int_equal(store_fingerprint(st, &other_host, &fp1b), 0);
	assert_int_equal(store_fingerprint(st, &other_class, &fp2), 0);
	assert_true(fp1 != fp1b);

	for (size_t i = 0; i < ARRAY_SIZE(all); i++) {
		memset(all[i], 0, sizeof(*all[i]));
		all[i]->command = "run";
		all[i]->commit = sha;
		all[i]->config_json = cfg;
		all[i]->fingerprint_id = fp1;
		all[i]->started_ns = 1000 + (int64_t)i;
	}
	ok2.command = "compare base";
	ok2.fingerprint_id = fp1b;
	dirty.dirty = 1;
	othercfg.config_json = "{\"count\":5}";
	otherfp.fingerprint_id = fp2;
	cmp.command = "compare";
	cmp.config_json = "{\"compare\":{},\"measure\":{\"count\":10}}";
	for (size_t i = 0; i < ARRAY_SIZE(all); i++) {
		assert_int_equal(store_run_begin(st, all[i]), 0);
		assert_int_equal(store_run_finish(st, all[i]->id, all[i] == &failed ? RUN_FAILED : RUN_OK,
						  0, 0), 0);
	}

	/* Any command: the newest qualifying run, on the other host of the class. */
	assert_int_equal(store_find_measured(st, NULL, sha, cfg, fp1, id), 0);
	assert_string_equal(id, ok2.id);
	assert_int_equal(store_find_measured(st, "run", sha, cfg, fp1, id), 0);
	assert_string_equal(id, ok1.id);
	assert_int_equal(store_find_measured(st, "run", sha, "{\"count\":5}", fp1, id), 0);
	assert_string_equal(id, othercfg.id);
	assert_int_equal(store_find_measured(st, "run", sha, cfg, fp2, id), 0);
	assert_string_equal(id, otherfp.id);
	/* Nothing else qualifies: another commit, config or command. */
	assert_int_equal(store_find_measured(st, NULL, "fedcba", cfg, fp1, id), PG_ENOTFOUND);
	assert_int_equal(store_find_measured(st, NULL, sha, "{}", fp1, id), PG_ENOTFOUND);
	assert_int_equal(store_find_measured(st, "test stat", sha, cfg, fp1, id), PG_ENOTFOUND);
	/* A failed or a dirty run never qualifies, even as the only one left. */
	assert_int_equal(store_run_finish(st, ok1.id, RUN_FAILED, 4, 0), 0);
	assert_int_equal(store_find_measured(st, "run", sha, cfg, fp1, id), PG_ENOTFOUND);
	assert_int_equal(store_find_measured(st, NULL, sha, cfg, fp1, id), 0);
	assert_string_equal(id, ok2.id);

	assert_int_equal(store_get_comparison(st, cmp.id, base, head), PG_ENOTFOUND);
	assert_int_equal(store_add_comparison(st, cmp.id, ok1.id, ok2.id), 0);
	assert_int_equal(store_get_comparison(st, cmp.id, base, head), 0);
	assert_string_equal(base, ok1.id);
	assert_string_equal(head, ok2.id);
	assert_int_equal(store_get_comparison(st, ok1.id, base, head), PG_ENOTFOUND);
	assert_int_equal(nmsg, 0);
	store_close(st);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup_dir, teardown_dir)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fingerprint_hash),
		T(test_extras),
		T(test_history),
	};

	return cmocka_run_group_tests_name("store_extras", tests, NULL, NULL);
}
