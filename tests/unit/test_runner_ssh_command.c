/*
 * Unit tests for the pure parts of the ssh runner (runner/ssh_command.c): the
 * host check, uname to GOOS/GOARCH, the setup command's facts, and the
 * remote shell commands of a job and their exit statuses.
 *
 * The commands are not only compared as text: they are run here by the
 * shells a remote login may have (/bin/sh, and bash and dash when
 * installed), exactly as sshd would run them (`<shell> -c <command>`), with
 * hostile words (spaces, quotes, $(), backquotes, ';', newlines, a leading
 * '-', an empty word) in the directory, the environment and the argv.  The
 * words must arrive verbatim and nothing may execute: a canary file proves
 * it.  Fixtures: runner_ssh_fixture.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
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

#include "common.h"
#include "util/buf.h"
#include "util/io.h"
#include "util/proc.h"
#include "runner/runner_impl.h"
#include "runner/runner_impl.h"
#include "runner/runner_ssh.h"
#include "runner/ssh_internal.h"
#include "store/store.h"
#include "util/strvec.h"
#include "util/usage.h"
#include "runner_ssh_fixture.h"

static void test_check_host(void **state)
{
	static const char *const good[] = {
		"box", "user@box", "user@10.0.0.7", "[::1]", "u@host.example.org",
		"ssh://user@box:2222",
	};
	static const char *const bad[] = {
		"", "-oProxyCommand=touch canary", "-", "--", "a b", "a\nb", "box\t", "\x7f",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(good); i++)
		assert_int_equal(ssh_check_host(good[i]), 0);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		buf_reset(&msgs);
		assert_int_equal(ssh_check_host(bad[i]), PG_EUSAGE);
		/* One line, and never the control characters themselves. */
		assert_null(strchr(msgs.buf, '\n'));
		assert_true(starts_with(msgs.buf, "perfgo: error: "));
	}
	buf_reset(&msgs);
	ssh_check_host("-oProxyCommand=x");
	assert_string_equal(msgs.buf, "perfgo: error: remote host '-oProxyCommand=x' starts "
			    "with '-' (ssh would read it as an option)");
}

static void test_go_target(void **state)
{
	static const char *const t[][5] = {
		{ "Linux", "x86_64", "linux", "amd64", NULL },
		{ "Linux", "aarch64", "linux", "arm64", NULL },
		{ "Linux", "armv7l", "linux", "arm", "7" },
		{ "Linux", "armv6l", "linux", "arm", "6" },
		{ "Linux", "i686", "linux", "386", NULL },
		{ "Linux", "ppc64le", "linux", "ppc64le", NULL },
		{ "Linux", "s390x", "linux", "s390x", NULL },
		{ "Linux", "riscv64", "linux", "riscv64", NULL },
		{ "Darwin", "arm64", "darwin", "arm64", NULL },
		{ "FreeBSD", "amd64", "freebsd", "amd64", NULL },
	};
	const char *goos, *goarch, *goarm;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		assert_int_equal(ssh_go_target(t[i][0], t[i][1], &goos, &goarch, &goarm), 0);
		assert_string_equal(goos, t[i][2]);
		assert_string_equal(goarch, t[i][3]);
		if (t[i][4])
			assert_string_equal(goarm, t[i][4]);
		else
			assert_null(goarm);
	}
	buf_reset(&msgs);
	assert_int_equal(ssh_go_target("Linux", "mips", &goos, &goarch, &goarm), PG_EENV);
	assert_string_equal(msgs.buf, "perfgo: error: the remote architecture 'mips' (uname -m) "
			    "is not one perfgo can build for");
	buf_reset(&msgs);
	assert_int_equal(ssh_go_target("Plan9", "x86_64", &goos, &goarch, &goarm), PG_EENV);
	assert_string_equal(msgs.buf, "perfgo: error: the remote operating system 'Plan9' "
			    "(uname -s) is not one perfgo can build for");
	assert_int_equal(ssh_go_target("", "", &goos, &goarch, &goarm), PG_EENV);
}

/* The setup command's output as facts, and the fingerprint fields they give. */
static void test_parse_facts(void **state)
{
	static const char out[] =
		"dir=/tmp/perfgo.AbC\nos=Linux\n\ncores=4\ngomaxprocs=\nkernel=6.1.0\n"
		"cpuinfo=model name\t: Neoverse-N1\ncpuinfo=\nsmt=off\nno-newline-at-end=1";
	struct ssh_state ss;
	struct fingerprint fp = { 0 };

	(void)state;
	memset(&ss, 0, sizeof(ss));
	strvec_init(&ss.facts);
	buf_init(&ss.cpuinfo);
	ssh_parse_facts(&ss, out, sizeof(out) - 1);
	assert_int_equal(ss.facts.nr, 7);
	assert_string_equal(ss.facts.v[0], "dir=/tmp/perfgo.AbC");
	assert_string_equal(ss.facts.v[3], "gomaxprocs=");
	assert_string_equal(ss.facts.v[6], "no-newline-at-end=1");
	assert_string_equal(ss.cpuinfo.buf, "model name\t: Neoverse-N1\n\n");
	ssh_facts_fingerprint(&ss, &fp);
	assert_string_equal(fp.cpu_model, "Neoverse-N1");
	assert_int_equal(fp.cores, 4);
	assert_int_equal(fp.gomaxprocs, 4);          /* empty: the cores */
	assert_string_equal(fp.kernel, "6.1.0");
	assert_string_equal(fp.smt, "off");
	assert_null(fp.aslr);
	fingerprint_release(&fp);
	strvec_clear(&ss.facts);
	buf_release(&ss.cpuinfo);
}

static void test_job_command_text(void **state)
{
	struct strvec env = STRVEC_INIT, argv = STRVEC_INIT;
	struct buf b = BUF_INIT;

	(void)state;
	strvec_pushl(&env, "LC_ALL=C", "GOFLAGS", NULL);
	strvec_pushl(&argv, "/r/p0.test", "-test.bench=a'b", "", NULL);
	ssh_job_command(&b, "/r/job.1.pid", "/r/job.1.kill", "/r/p0/x y", &env, &argv);
	assert_string_equal(b.buf,
		"cd '/r/p0/x y' && echo $$ >'/r/job.1.pid' && [ ! -e '/r/job.1.kill' ]"
		" && export 'LC_ALL=C' && unset 'GOFLAGS'"
		" && '/r/p0.test' '-test.bench=a'\\''b' '' </dev/null; s=$?; "
		"[ \"$s\" -gt 256 ] && s=$((s - 128)); rm -f '/r/job.1.pid'; "
		"printf '\\n\\036perfgo-exit %d\\n' \"$s\" >&2");
	strvec_clear(&env);
	strvec_clear(&argv);
	buf_release(&b);
}

static void test_job_command_verbatim(void **state)
{
	const char *sh[3];
	size_t nsh = shells(sh);
	char *dir = hostile_dir();
	struct buf pidfile = BUF_INIT, killfile = BUF_INIT;

	(void)state;
	buf_addf(&pidfile, "%s/job 'pid' $(x)", dir);
	buf_addf(&killfile, "%s/job 'kill' $(x)", dir);
	for (size_t s = 0; s < nsh; s++) {
		struct strvec env = STRVEC_INIT, argv = STRVEC_INIT;
		struct buf cmd = BUF_INIT, out = BUF_INIT, err = BUF_INIT, want = BUF_INIT;
		int status = -1;

		/* argv: printf prints every word back between brackets. */
		strvec_pushl(&argv, "printf", "[%s]\\n", NULL);
		for (size_t i = 0; i < ARRAY_SIZE(hostile); i++) {
			strvec_push(&argv, hostile[i]);
			buf_addf(&want, "[%s]\n", hostile[i]);
		}
		strvec_pushl(&env, "PGT_VAL=a'b $(touch canary) `touch canary`", "PGT_GONE", NULL);
		ssh_job_command(&cmd, pidfile.buf, killfile.buf, dir, &env, &argv);
		assert_int_equal(run_shell(sh[s], cmd.buf, dir, &out, &err), 0);
		assert_string_equal(out.buf, want.buf);
		assert_int_equal(ssh_take_status(&err, &status), 1);
		assert_int_equal(status, 0);
		assert_string_equal(err.buf, "");
		/* The pid file is removed once the job is over. */
		assert_int_equal(access(pidfile.buf, F_OK), -1);

		/* The environment: set and exported verbatim, unset gone. */
		strvec_clear(&argv);
		strvec_pushl(&argv, "sh", "-c", "printf '%s|%s' \"$PGT_VAL\" \"${PGT_GONE-unset}\"",
			     NULL);
		buf_reset(&cmd);
		buf_reset(&out);
		buf_reset(&err);
		ssh_job_command(&cmd, pidfile.buf, killfile.buf, dir, &env, &argv);
		setenv("PGT_GONE", "still here", 1);
		assert_int_equal(run_shell(sh[s], cmd.buf, dir, &out, &err), 0);
		unsetenv("PGT_GONE");
		assert_string_equal(out.buf, "a'b $(touch canary) `touch canary`|unset");
		assert_int_equal(ssh_take_status(&err, &status), 1);
		assert_int_equal(status, 0);

		strvec_clear(&env);
		strvec_clear(&argv);
		buf_release(&cmd);
		buf_release(&out);
		buf_release(&err);
		buf_release(&want);
	}
	assert_no_canary(dir);
	remove_base(dir);
	free(dir);
	buf_release(&pidfile);
	buf_release(&killfile);
}

/* Exit statuses as the marker reports them: plain codes and 128+N for signals. */
static void test_job_command_status(void **state)
{
	static const struct { const char *script; int status; const char *err; } t[] = {
		{ "exit 7", 7, "" },
		{ "echo oops >&2; exit 3", 3, "oops\n" },
		{ "printf 'no newline' >&2", 0, "no newline" },
		{ "kill -KILL $$", 137, NULL },
		{ "kill -SEGV $$", 139, NULL },
	};
	const char *sh[3];
	size_t nsh = shells(sh);
	char *dir = hostile_dir();
	struct buf pidfile = BUF_INIT, killfile = BUF_INIT;

	(void)state;
	buf_addf(&pidfile, "%s/job.pid", dir);
	buf_addf(&killfile, "%s/job.kill", dir);
	for (size_t s = 0; s < nsh; s++) {
		for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
			struct strvec env = STRVEC_INIT, argv = STRVEC_INIT;
			struct buf cmd = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
			int status = -1;

			strvec_pushl(&argv, "sh", "-c", t[i].script, NULL);
			ssh_job_command(&cmd, pidfile.buf, killfile.buf, dir, &env, &argv);
			assert_int_equal(run_shell(sh[s], cmd.buf, "/", &out, &err), 0);
			assert_int_equal(ssh_take_status(&err, &status), 1);
			assert_int_equal(status, t[i].status);
			if (t[i].err)
				assert_string_equal(err.buf, t[i].err);
			strvec_clear(&argv);
			buf_release(&cmd);
			buf_release(&out);
			buf_release(&err);
		}
	}
	remove_base(dir);
	free(dir);
	buf_release(&pidfile);
	buf_release(&killfile);
}

static void test_take_status(void **state)
{
	static const struct { const char *in; int ok, status; const char *rest; } t[] = {
		{ "err\n\n\036perfgo-exit 3\n", 1, 3, "err\n" },
		{ "\n\036perfgo-exit 0\n", 1, 0, "" },
		{ "partial\n\036perfgo-exit 255\n", 1, 255, "partial" },
		{ "\n\036perfgo-exit 1\n\n\036perfgo-exit 2\n", 1, 2, "\n\036perfgo-exit 1\n" },
		{ "x\036perfgo-exit 3\n", 0, 0, NULL },
		{ "\036perfgo-exit 3\n", 0, 0, NULL },
		{ "\n\036perfgo-exit \n", 0, 0, NULL },
		{ "\n\036perfgo-exit 3", 0, 0, NULL },
		{ "\n\036perfgo-exit 1234\n", 0, 0, NULL },
		{ "\n\036perfgo-exit 3x\n", 0, 0, NULL },
		{ "\n\036perfgo-exit 3\nmore\n", 0, 0, NULL },
		{ "", 0, 0, NULL },
		{ "\n", 0, 0, NULL },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		struct buf b = BUF_INIT;
		int status = -1;

		buf_addstr(&b, t[i].in);
		assert_int_equal(ssh_take_status(&b, &status), t[i].ok);
		if (t[i].ok) {
			assert_int_equal(status, t[i].status);
			assert_string_equal(b.buf, t[i].rest);
		} else {
			assert_string_equal(b.buf, t[i].in);
		}
		buf_release(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_host),
		cmocka_unit_test(test_go_target),
		cmocka_unit_test(test_parse_facts),
		cmocka_unit_test(test_job_command_text),
		cmocka_unit_test(test_job_command_verbatim),
		cmocka_unit_test(test_job_command_status),
		cmocka_unit_test(test_take_status),
	};

	return cmocka_run_group_tests(tests, setup_capture, teardown_capture);
}
