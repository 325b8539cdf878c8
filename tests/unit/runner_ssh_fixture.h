#ifndef PERFGO_TEST_RUNNER_SSH_FIXTURE_H
#define PERFGO_TEST_RUNNER_SSH_FIXTURE_H

/*
 * The fixtures of the ssh runner's tests (test_runner_ssh_*.c): hostile
 * words and directories named with them, the canary no command may create,
 * and running a command as sshd would, by each shell a remote login may
 * have (/bin/sh, and bash and dash when installed).  Include it after the
 * test's includes (cmocka, common.h, runner/ssh_internal.h).
 */

static const char *const hostile[] = {
	"a b", "a'b", "'", "\"", "$(touch canary)", "`touch canary`", ";touch canary",
	"a\nb; touch canary", "", "-oProxyCommand=touch canary", "\\", "\\'", "*", "~",
	"$HOME", "!x", "%d %s", "a\tb", "${IFS}", "|| touch canary &",
};

/* A fresh private directory named with hostile characters. */
static inline char *hostile_dir(void)
{
	char *base = runner_mkdtemp("perfgo-unit-ssh");
	struct buf b = BUF_INIT;

	assert_non_null(base);
	buf_addf(&b, "%s/d $(touch canary); `touch canary` 'q\" x", base);
	assert_int_equal(mkdir(b.buf, 0700), 0);
	free(base);
	return buf_detach(&b);
}

/* The test's base directory (parent of a hostile_dir()). */
static inline void remove_base(const char *dir)
{
	struct buf b = BUF_INIT;

	buf_add(&b, dir, (size_t)(strrchr(dir, '/') - dir));
	assert_int_equal(runner_remove_tree(b.buf), 0);
	buf_release(&b);
}

/* No file named canary anywhere under the base directory. */
static inline void assert_no_canary(const char *dir)
{
	struct buf base = BUF_INIT, out = BUF_INIT;
	struct proc p;

	buf_add(&base, dir, (size_t)(strrchr(dir, '/') - dir));
	proc_init(&p);
	strvec_pushl(&p.args, "find", base.buf, "-name", "canary", NULL);
	assert_int_equal(proc_capture(&p, &out, NULL), 0);
	assert_string_equal(out.buf, "");
	proc_release(&p);
	buf_release(&base);
	buf_release(&out);
}

/* The shells a login may use, of those installed here. */
static inline size_t shells(const char **out)
{
	static const char *const all[] = { "/bin/sh", "/bin/bash", "/bin/dash" };
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		if (!access(all[i], X_OK))
			out[n++] = all[i];
	return n;
}

/* Run a command as sshd would: `<shell> -c <command>`, in `cwd`. */
static inline int run_shell(const char *shell, const char *cmd, const char *cwd, struct buf *out,
			    struct buf *err)
{
	struct proc p;
	int code;

	proc_init(&p);
	strvec_pushl(&p.args, shell, "-c", cmd, NULL);
	p.dir = cwd;
	code = proc_capture(&p, out, err);
	proc_release(&p);
	return code;
}

#endif
