/*
 * Unit tests for the pure parts of the ssh runner (runner/ssh_command.c): the host check,
 * uname to GOOS/GOARCH, and the remote shell commands.
 *
 * The commands are not only compared as text: they are run here by the
 * shells a remote login may have (/bin/sh, and bash and dash when
 * installed), exactly as sshd would run them (`<shell> -c <command>`), with
 * hostile words (spaces, quotes, $(), backquotes, ';', newlines, a leading
 * '-', an empty word) in the directory, the environment and the argv.  The
 * words must arrive verbatim and nothing may execute: a canary file proves
 * it.  The relay is driven through its FIFOs as perf would, and the kill
 * command must take down a whole process group.
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

static const char *const hostile[] = {
	"a b", "a'b", "'", "\"", "$(touch canary)", "`touch canary`", ";touch canary",
	"a\nb; touch canary", "", "-oProxyCommand=touch canary", "\\", "\\'", "*", "~",
	"$HOME", "!x", "%d %s", "a\tb", "${IFS}", "|| touch canary &",
};

/* A fresh private directory named with hostile characters. */
static char *hostile_dir(void)
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
static void remove_base(const char *dir)
{
	struct buf b = BUF_INIT;

	buf_add(&b, dir, (size_t)(strrchr(dir, '/') - dir));
	assert_int_equal(runner_remove_tree(b.buf), 0);
	buf_release(&b);
}

/* No file named canary anywhere under the base directory. */
static void assert_no_canary(const char *dir)
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

/* The shells a login may use, of those installed here. */
static size_t shells(const char **out)
{
	static const char *const all[] = { "/bin/sh", "/bin/bash", "/bin/dash" };
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		if (!access(all[i], X_OK))
			out[n++] = all[i];
	return n;
}

/* Run a command as sshd would: `<shell> -c <command>`, in `cwd`. */
static int run_shell(const char *shell, const char *cmd, const char *cwd, struct buf *out,
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

/* Read a line from fd within 5 s; NUL bytes (perf's ack ends in one) dropped. */
static void read_line(int fd, struct buf *line)
{
	buf_reset(line);
	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		char c;

		assert_int_equal(poll(&pfd, 1, 5000), 1);
		assert_int_equal(read(fd, &c, 1), 1);
		if (c == '\n')
			return;
		if (c)
			buf_addch(line, c);
	}
}

static int is_fifo(const char *dir, const char *name)
{
	struct buf p = BUF_INIT;
	struct stat st;
	int r;

	buf_addf(&p, "%s/%s", dir, name);
	r = !lstat(p.buf, &st) && S_ISFIFO(st.st_mode);
	buf_release(&p);
	return r;
}

/* Play perf against the relay: read commands from c.N, answer on a.N. */
static void test_relay(void **state)
{
	const char *sh[3];
	size_t nsh = shells(sh);
	char *dir = hostile_dir();

	(void)state;
	for (size_t s = 0; s < nsh; s++) {
		struct buf cmd = BUF_INIT, line = BUF_INIT, path = BUF_INIT;
		struct proc p;
		char got[16];
		int ctl, ack;

		ssh_relay_command(&cmd, dir);
		proc_init(&p);
		strvec_pushl(&p.args, sh[s], "-c", cmd.buf, NULL);
		p.in = p.out = PROC_PIPE;
		p.err = PROC_NULL;
		assert_int_equal(proc_start(&p), 0);
		for (int n = 1; n <= 2; n++) {
			buf_reset(&line);
			buf_addf(&line, "open %d\n", n);
			assert_int_equal(write(p.in_fd, line.buf, line.len), (ssize_t)line.len);
			read_line(p.out_fd, &line);
			assert_string_equal(line.buf, "ready");
			buf_reset(&path);
			buf_addf(&path, "c.%d", n);
			assert_true(is_fifo(dir, path.buf));
			/* The previous job's FIFOs are gone. */
			assert_false(n == 2 && is_fifo(dir, "c.1"));
			/* perf opens both read-write, as --control fifo: does. */
			buf_reset(&path);
			buf_addf(&path, "%s/c.%d", dir, n);
			ctl = open(path.buf, O_RDWR | O_NONBLOCK);
			buf_reset(&path);
			buf_addf(&path, "%s/a.%d", dir, n);
			ack = open(path.buf, O_RDWR | O_NONBLOCK);
			assert_true(ctl >= 0 && ack >= 0);
			assert_int_equal(write(p.in_fd, "enable\n", 7), 7);
			{
				struct pollfd pfd = { ctl, POLLIN, 0 };

				assert_int_equal(poll(&pfd, 1, 5000), 1);
				assert_int_equal(read(ctl, got, sizeof(got)), 7);
				assert_memory_equal(got, "enable\n", 7);
			}
			assert_int_equal(write(ack, "ack\n", 5), 5);
			read_line(p.out_fd, &line);
			assert_string_equal(line.buf, "ack");
			close(ctl);
			close(ack);
		}
		/* A FIFO that cannot be made is "failed", not silence. */
		buf_reset(&path);
		buf_addf(&path, "%s/c.9", dir);
		assert_int_equal(mkdir(path.buf, 0700), 0);
		assert_int_equal(write(p.in_fd, "open 9\n", 7), 7);
		read_line(p.out_fd, &line);
		assert_string_equal(line.buf, "failed");
		assert_int_equal(rmdir(path.buf), 0);
		/* EOF: the relay removes its FIFOs and exits. */
		close(p.in_fd);
		p.in_fd = -1;
		assert_int_equal(proc_wait(&p), 0);
		assert_false(is_fifo(dir, "c.2") || is_fifo(dir, "a.2"));
		proc_release(&p);
		buf_release(&cmd);
		buf_release(&line);
		buf_release(&path);
	}
	assert_no_canary(dir);
	remove_base(dir);
	free(dir);
}

/* Does a process of group `pgid` run (in a state other than zombie)? */
static int group_running(pid_t pgid)
{
	struct proc p;
	struct buf out = BUF_INIT;
	int found = 0;

	proc_init(&p);
	strvec_pushl(&p.args, "ps", "-e", "-o", "pgid=,stat=", NULL);
	assert_int_equal(proc_capture(&p, &out, NULL), 0);
	for (char *l = out.buf; *l; ) {
		char *end;
		long g = strtol(l, &end, 10);

		while (*end == ' ')
			end++;
		if (g == pgid && *end != 'Z')
			found = 1;
		l = strchrnul(l, '\n');
		if (*l)
			l++;
	}
	proc_release(&p);
	buf_release(&out);
	return found;
}

/* A job's whole process group dies; a missing pid file is no error. */
static void test_kill(void **state)
{
	const char *sh[3];
	size_t nsh = shells(sh);
	char *dir = hostile_dir();
	struct buf pidfile = BUF_INIT, killfile = BUF_INIT;

	(void)state;
	buf_addf(&pidfile, "%s/job.pid", dir);
	buf_addf(&killfile, "%s/job.kill", dir);
	for (size_t s = 0; s < nsh; s++) {
		struct strvec env = STRVEC_INIT, argv = STRVEC_INIT;
		struct buf cmd = BUF_INIT, kill_cmd = BUF_INIT, out = BUF_INIT, pid = BUF_INIT;
		struct proc job, killer;
		struct timespec t0, t1;
		pid_t pgid;
		int i;

		/* Each job has its own marker name; here they share one. */
		unlink(killfile.buf);
		/* A grandchild in the group, as the test binary is under perf. */
		strvec_pushl(&argv, "sh", "-c", "sleep 30 & wait", NULL);
		ssh_job_command(&cmd, pidfile.buf, killfile.buf, dir, &env, &argv);
		proc_init(&job);
		strvec_pushl(&job.args, sh[s], "-c", cmd.buf, NULL);
		job.err = PROC_NULL;
		assert_int_equal(proc_start(&job), 0);
		/* The file can exist before the shell has written the pid into it. */
		for (i = 0; i < 500; i++) {
			buf_reset(&pid);
			if (!buf_read_file(&pid, pidfile.buf, 64) && strchr(pid.buf ? pid.buf : "", '\n'))
				break;
			poll(NULL, 0, 10);
		}
		assert_true(i < 500);
		pgid = (pid_t)strtol(pid.buf, NULL, 10);
		assert_int_equal(pgid, job.pid);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		ssh_kill_command(&kill_cmd, pidfile.buf, killfile.buf);
		/* As sshd would, reap the job's shell while the kill command waits for the group. */
		proc_init(&killer);
		strvec_pushl(&killer.args, sh[s], "-c", kill_cmd.buf, NULL);
		assert_int_equal(proc_start(&killer), 0);
		assert_int_equal(proc_wait(&job), 128 + SIGTERM);
		assert_int_equal(proc_wait(&killer), 0);
		proc_release(&killer);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		assert_true(t1.tv_sec - t0.tv_sec < 5);
		/* Nothing of the group runs (orphaned zombies wait for init; they do not count). */
		assert_false(group_running(pgid));
		/* Again, now without a pid file. */
		unlink(pidfile.buf);
		assert_int_equal(run_shell(sh[s], kill_cmd.buf, "/", &out, NULL), 0);
		proc_release(&job);
		strvec_clear(&argv);
		buf_release(&cmd);
		buf_release(&kill_cmd);
		buf_release(&out);
		buf_release(&pid);
	}
	remove_base(dir);
	free(dir);
	buf_release(&pidfile);
	buf_release(&killfile);
}

/*
 * An interrupt that reaches the remote side before the job's shell wrote
 * its pid (the kill finds no pid file): the job must not start after it.
 */
static void test_kill_before_start(void **state)
{
	const char *sh[3];
	size_t nsh = shells(sh);
	char *dir = hostile_dir();
	struct buf pidfile = BUF_INIT, killfile = BUF_INIT, ran = BUF_INIT;

	(void)state;
	buf_addf(&pidfile, "%s/job 1.pid", dir);
	buf_addf(&killfile, "%s/job 1.kill", dir);
	buf_addf(&ran, "%s/ran", dir);
	for (size_t s = 0; s < nsh; s++) {
		struct strvec env = STRVEC_INIT, argv = STRVEC_INIT;
		struct buf cmd = BUF_INIT, kill_cmd = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
		int status = -1;

		unlink(killfile.buf);
		ssh_kill_command(&kill_cmd, pidfile.buf, killfile.buf);
		assert_int_equal(run_shell(sh[s], kill_cmd.buf, "/", &out, NULL), 0);
		assert_int_equal(access(killfile.buf, F_OK), 0);
		strvec_pushl(&argv, "touch", ran.buf, NULL);
		ssh_job_command(&cmd, pidfile.buf, killfile.buf, dir, &env, &argv);
		assert_int_equal(run_shell(sh[s], cmd.buf, dir, &out, &err), 0);
		assert_int_equal(ssh_take_status(&err, &status), 1);
		assert_int_not_equal(status, 0);
		/* The program never ran, and the pid file is gone. */
		assert_int_equal(access(ran.buf, F_OK), -1);
		assert_int_equal(access(pidfile.buf, F_OK), -1);
		/* Another job (its own marker name) runs. */
		unlink(killfile.buf);
		buf_reset(&err);
		assert_int_equal(run_shell(sh[s], cmd.buf, dir, &out, &err), 0);
		assert_int_equal(ssh_take_status(&err, &status), 1);
		assert_int_equal(status, 0);
		assert_int_equal(access(ran.buf, F_OK), 0);
		unlink(ran.buf);
		strvec_clear(&env);
		strvec_clear(&argv);
		buf_release(&cmd);
		buf_release(&kill_cmd);
		buf_release(&out);
		buf_release(&err);
	}
	remove_base(dir);
	free(dir);
	buf_release(&pidfile);
	buf_release(&killfile);
	buf_release(&ran);
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
		cmocka_unit_test(test_relay),
		cmocka_unit_test(test_kill),
		cmocka_unit_test(test_kill_before_start),
	};

	return cmocka_run_group_tests(tests, setup_capture, teardown_capture);
}
