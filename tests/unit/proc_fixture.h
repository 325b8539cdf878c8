#ifndef PERFGO_TEST_PROC_FIXTURE_H
#define PERFGO_TEST_PROC_FIXTURE_H

/*
 * The fixtures of the child-process tests (test_proc_*.c): per test a struct
 * proc with buffers for its output and a private directory, the check that
 * no child is left unreaped, and argv building.  Include it after the
 * test's includes (cmocka, common.h, util/proc.h).
 */

static char tmpdir[PATH_MAX];

struct fixture {
	struct proc p;
	struct buf out, err;
};

static inline int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));

	capture_start();
	proc_init(&fx->p);
	buf_init(&fx->out);
	buf_init(&fx->err);
	if (tmpdir_make(tmpdir, sizeof(tmpdir), "test_proc"))
		return -1;
	*state = fx;
	return 0;
}

static inline int teardown(void **state)
{
	struct fixture *fx = *state;

	/* A failed test may leave its child running: take it down. */
	if (fx->p.pid > 0)
		proc_kill(&fx->p);
	proc_release(&fx->p);
	buf_release(&fx->out);
	buf_release(&fx->err);
	free(fx);
	capture_stop();
	return rm_rf(tmpdir);
}

/* Every proc_start was matched by a reap: no child, running or zombie, is left. */
static inline void assert_no_children(void)
{
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static inline void set_args(struct proc *p, ...)
{
	va_list ap;
	const char *s;

	va_start(ap, p);
	while ((s = va_arg(ap, const char *)))
		strvec_push(&p->args, s);
	va_end(ap);
}

#endif
