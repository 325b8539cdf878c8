#ifndef PERFGO_TEST_BACKEND_FIXTURE_H
#define PERFGO_TEST_BACKEND_FIXTURE_H

/*
 * The fixtures of the backend-seam tests (test_backend*.c): a fake runner
 * whose leaf announces itself, runs the -test.benchtime it is given and
 * passes (100 ns/op), the argv of the jobs it ran, and a store with one run
 * and one benchmark to measure into.  Include it after the test's includes
 * (cmocka, measure/backend.h, measure/measure.h, runner/runner_impl.h,
 * store/store.h).
 */

/* --- a fake runner: the leaf announces itself, runs n iterations, passes --- */

static struct strvec seen_argv[4];
static size_t njobs;

static inline int fake_exec(struct runner *r, struct runner_job *job)
{
	const char *n = NULL;
	struct buf line = BUF_INIT;
	int ret;

	(void)r;
	assert_true(njobs < 4);
	strvec_pushv(&seen_argv[njobs++], job->argv.v);
	for (size_t i = 0; i < job->argv.nr; i++)
		if (!strncmp(job->argv.v[i], "-test.benchtime=", 16))
			n = job->argv.v[i] + 16;
	assert_non_null(n);
	ret = job->on_line(job, "BenchmarkLeaf", 13);
	buf_addf(&line, "BenchmarkLeaf \t %.*s\t 100 ns/op", (int)strlen(n) - 1, n);
	if (!ret)
		ret = job->on_line(job, line.buf, line.len);
	if (!ret)
		ret = job->on_line(job, "PASS", 4);
	buf_release(&line);
	job->status = 0;
	return ret;
}

static const struct runner_ops fake_ops = { .name = "fake", .exec = fake_exec };

/*
 * A store with one run and one benchmark, BenchmarkLeaf of example.com/leaf
 * (N=400), measured through the fake runner in a private directory.
 */
struct fixture {
	char *dir;
	struct runner r;
	struct store *st;
	struct run_info ri;
	struct gopkg pkg;
	struct leaf lf;
	struct pkg_plan pl;
	int64_t id;
};

static inline void fixture_open(struct fixture *fx)
{
	struct buf sdir = BUF_INIT;

	memset(fx, 0, sizeof(*fx));
	njobs = 0;
	fx->dir = runner_mkdtemp("test_backend");
	assert_non_null(fx->dir);
	fx->r = (struct runner){ .ops = &fake_ops, .scratch = fx->dir, .local_scratch = fx->dir,
				 .build_env = STRVEC_INIT };
	fx->ri.command = "test stat";
	fx->pkg.import_path = "example.com/leaf";
	fx->lf = (struct leaf){ "BenchmarkLeaf", 1, 400 };
	fx->pl = (struct pkg_plan){ &fx->pkg, "/bin/leaf.test", "/pkg", &fx->lf, 1, 1 };
	buf_addf(&sdir, "%s/.perfgo", fx->dir);
	assert_int_equal(store_open(&fx->st, sdir.buf, 1), 0);
	buf_release(&sdir);
	assert_int_equal(store_run_begin(fx->st, &fx->ri), 0);
	assert_int_equal(store_benchmark_id(fx->st, fx->pkg.import_path, "BenchmarkLeaf", &fx->id),
			 0);
}

/* Forget the jobs run so far; how many there were. */
static inline size_t jobs_reset(void)
{
	size_t n = njobs;

	for (size_t i = 0; i < njobs; i++)
		strvec_clear(&seen_argv[i]);
	njobs = 0;
	return n;
}

static inline void fixture_close(struct fixture *fx)
{
	jobs_reset();
	store_close(fx->st);
	runner_remove_tree(fx->dir);
	free(fx->dir);
}

/* A backend's events: the requested ones, as they are. */
static inline int no_events(struct runner *r, struct store *st, const char *run_id,
			    const struct strvec *requested, int detail, struct strvec *counted)
{
	(void)r, (void)st, (void)run_id, (void)detail;
	strvec_pushv(counted, requested->v);
	return 0;
}

#endif
