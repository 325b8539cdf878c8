/* The ssh runner; see runner_ssh.h for the design. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "session/fingerprint.h"
#include "util/parse.h"
#include "util/proc.h"
#include "util/quote.h"
#include "runner/runner_ssh.h"
#include "util/sig.h"
#include "util/usage.h"
#include "util/clock.h"
#include "util/banned.h"

#define CONNECT_TIMEOUT "ConnectTimeout=10"
#define MASTER_WAIT_MS 60000     /* connecting and authenticating */
#define READY_WAIT_MS 10000      /* the relay making a job's FIFOs */
#define CLEANUP_WAIT_MS 10000    /* each clean-up command */
#define STDERR_HOLD 64           /* bytes kept back: the status marker is shorter */
/* unix sockets hold 107 bytes; ssh adds ".<16 random>" while it binds. */
#define CTL_PATH_MAX (107 - 17)

struct ssh_state {
	char *ssh;                /* the ssh program: PERFGO_SSH or "ssh" */
	char *host;
	char *ctl_dir;            /* private directory of the control socket */
	char *ctl_path;           /* ctl_dir "/%C" */
	struct proc master;
	int master_up;
	struct proc relay;        /* perf control relay, started by the first job that needs it */
	int relay_up;
	struct strvec facts;      /* "key=value" lines from the setup command */
	struct buf cpuinfo;       /* the remote's /proc/cpuinfo model lines */
	unsigned njobs, nstaged;
	int job_live;             /* a job's process group may be running remotely */
};

/* ---------------------------------------------------------------- pure parts */

int ssh_check_host(const char *host)
{
	if (!*host)
		return error_code(PG_EUSAGE, "'--remote-host' needs a host");
	if (looks_like_option(host))
		return error_code(PG_EUSAGE, "remote host '%s' starts with '-' (ssh would read it "
				  "as an option)", host);
	for (const char *s = host; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return error_code(PG_EUSAGE, "the remote host holds whitespace or "
					  "control characters");
	return 0;
}

static int go_target(const char *os, const char *machine, const char **goos,
		     const char **goarch, const char **goarm)
{
	static const char *const oses[][2] = {
		{ "Linux", "linux" }, { "Darwin", "darwin" }, { "FreeBSD", "freebsd" },
		{ "OpenBSD", "openbsd" }, { "NetBSD", "netbsd" }, { "DragonFly", "dragonfly" },
	};
	static const char *const arches[][3] = {
		{ "x86_64", "amd64", NULL }, { "amd64", "amd64", NULL },
		{ "i386", "386", NULL }, { "i486", "386", NULL }, { "i586", "386", NULL },
		{ "i686", "386", NULL }, { "aarch64", "arm64", NULL }, { "arm64", "arm64", NULL },
		{ "armv8l", "arm", "7" }, { "armv7l", "arm", "7" }, { "armv7", "arm", "7" },
		{ "armv6l", "arm", "6" }, { "armv5tel", "arm", "5" }, { "armv5tejl", "arm", "5" },
		{ "ppc64le", "ppc64le", NULL }, { "ppc64", "ppc64", NULL },
		{ "s390x", "s390x", NULL }, { "riscv64", "riscv64", NULL },
		{ "loongarch64", "loong64", NULL },
	};

	*goos = *goarch = *goarm = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(oses); i++)
		if (!strcmp(os, oses[i][0]))
			*goos = oses[i][1];
	for (size_t i = 0; i < ARRAY_SIZE(arches); i++)
		if (!strcmp(machine, arches[i][0])) {
			*goarch = arches[i][1];
			*goarm = arches[i][2];
		}
	if (!*goos)
		return 1;
	return *goarch ? 0 : 2;
}

int ssh_go_target(const char *os, const char *machine, const char **goos,
		  const char **goarch, const char **goarm)
{
	switch (go_target(os, machine, goos, goarch, goarm)) {
	case 0:
		return 0;
	case 1:
		return error_code(PG_EENV, "the remote operating system '%s' (uname -s) is not "
				  "one perfgo can build for", os);
	default:
		return error_code(PG_EENV, "the remote architecture '%s' (uname -m) is not "
				  "one perfgo can build for", machine);
	}
}

void ssh_job_command(struct buf *out, const char *pidfile, const char *dir,
		     const struct strvec *env, const struct strvec *argv)
{
	buf_addstr(out, "cd ");
	sq_quote_buf(out, dir);
	buf_addstr(out, " && echo $$ >");
	sq_quote_buf(out, pidfile);
	for (size_t i = 0; i < env->nr; i++) {
		buf_addstr(out, strchr(env->v[i], '=') ? " && export " : " && unset ");
		sq_quote_buf(out, env->v[i]);
	}
	buf_addstr(out, " &&");
	for (size_t i = 0; i < argv->nr; i++) {
		buf_addch(out, ' ');
		sq_quote_buf(out, argv->v[i]);
	}
	/* ksh93 says 256+N for signal N; report 128+N as the others do. */
	buf_addstr(out, " </dev/null; s=$?; [ \"$s\" -gt 256 ] && s=$((s - 128)); rm -f ");
	sq_quote_buf(out, pidfile);
	buf_addstr(out, "; printf '\\n\\036perfgo-exit %d\\n' \"$s\" >&2");
}

int ssh_take_status(struct buf *tail, int *status)
{
	static const char mark[] = "\n" SSH_EXIT_MARK;
	size_t mlen = sizeof(mark) - 1;
	const char *digits;
	size_t at, nd;
	int v = 0;

	if (tail->len < mlen + 2 || tail->buf[tail->len - 1] != '\n')
		return 0;
	/* The marker is the last line: find the newline before it. */
	at = tail->len - 1;
	while (at > 0 && tail->buf[at - 1] != '\n')
		at--;
	if (at == 0 || at - 1 + mlen > tail->len ||
	    memcmp(tail->buf + at - 1, mark, mlen))
		return 0;
	digits = tail->buf + at - 1 + mlen;
	nd = tail->len - 1 - (size_t)(digits - tail->buf);
	if (!nd || nd > 3 || strspn(digits, "0123456789") != nd)
		return 0;
	for (size_t i = 0; i < nd; i++)
		v = v * 10 + (digits[i] - '0');
	*status = v;
	buf_setlen(tail, at - 1);
	return 1;
}

void ssh_relay_command(struct buf *out, const char *rdir)
{
	buf_addstr(out, "cd ");
	sq_quote_buf(out, rdir);
	/*
	 * "open N": make job N's FIFOs (closing job N-1's), hold both open
	 * read-write (so no open blocks and perf never sees an EOF), copy perf's
	 * acks to stdout in the background and say "ready" (or "failed").  Any other line
	 * is a command for perf.  At EOF (perfgo is done, killed, or the
	 * connection dropped) everything is removed.
	 */
	buf_addstr(out, " || exit 1; p=; o=; while IFS= read -r l; do case $l in "
		   "'open '*) if [ -n \"$p\" ]; then kill \"$p\" 2>/dev/null; "
		   "rm -f \"c.$o\" \"a.$o\"; fi; o=${l#open }; "
		   "if mkfifo \"c.$o\" \"a.$o\" && exec 4<>\"c.$o\" 5<>\"a.$o\"; then "
		   "cat <&5 & p=$!; echo ready; else p=; echo failed; fi ;; "
		   "*) printf '%s\\n' \"$l\" >&4 ;; esac; done; "
		   "if [ -n \"$p\" ]; then kill \"$p\" 2>/dev/null; fi; rm -f \"c.$o\" \"a.$o\"");
}

void ssh_kill_command(struct buf *out, const char *pidfile)
{
	buf_addstr(out, "p=$(cat ");
	sq_quote_buf(out, pidfile);
	/*
	 * TERM, then KILL whatever still runs after 2 s.  Zombies count as
	 * gone (an orphan waits for init to reap it): with /proc, "alive" is a
	 * member of the group that is not in state Z.
	 */
	buf_addstr(out, " 2>/dev/null); if [ -n \"$p\" ]; then "
		   "alive() { if [ -r /proc/self/stat ]; then for f in /proc/[0-9]*/stat; do "
		   "{ read -r l <\"$f\"; } 2>/dev/null || continue; l=${l##*\\) }; "
		   "set -f; set -- $l; set +f; "
		   "[ \"$3\" = \"$p\" ] && [ \"$1\" != Z ] && return 0; done; return 1; fi; "
		   "kill -s 0 -- \"-$p\" 2>/dev/null; }; "
		   "kill -s TERM -- \"-$p\" 2>/dev/null || kill -s TERM \"$p\" 2>/dev/null; i=0; "
		   "while [ $i -lt 20 ] && alive; do sleep 0.1 2>/dev/null || sleep 1; "
		   "i=$((i + 1)); done; kill -s KILL -- \"-$p\" 2>/dev/null; fi; exit 0");
}

/* ------------------------------------------------------------- ssh processes */

static void sleep_ms(int ms)
{
	struct pollfd pfd = { sig_fd(), POLLIN, 0 };

	if (pfd.fd >= 0 && poll(&pfd, 1, ms) > 0)
		sig_drain();
	else if (pfd.fd < 0)
		poll(NULL, 0, ms);
}

/* The options every ssh call shares. */
static void ssh_base(const struct ssh_state *ss, struct strvec *a)
{
	strvec_pushl(a, ss->ssh, "-o", "BatchMode=yes", "-o", CONNECT_TIMEOUT, "-o", NULL);
	strvec_pushf(a, "ControlPath=%s", ss->ctl_path);
}

/*
 * A session multiplexed on the master; never a master itself, and never a
 * connection of its own: without a master, ssh would silently connect
 * directly (a lost connection would go unnoticed, or worse, a job would
 * run without its relay).  The ProxyCommand is used only on that fallback
 * path, and fails it.
 */
static void session_args(const struct ssh_state *ss, struct strvec *a, const char *script)
{
	ssh_base(ss, a);
	strvec_pushl(a, "-T", "-o", "ControlMaster=no", "-o", "ProxyCommand=false",
		     "--", ss->host, script, NULL);
}

/* The last non-empty line of a (small) file or buffer, for a one-line error. */
static void last_line(const char *s, struct buf *out)
{
	const char *end = s + strlen(s), *start;

	while (end > s && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		end--;
	start = end;
	while (start > s && start[-1] != '\n')
		start--;
	buf_add(out, start, (size_t)(end - start));
}

static void master_message(const struct runner *r, struct buf *out)
{
	struct buf path = BUF_INIT, text = BUF_INIT;

	buf_addf(&path, "%s/ssh.err", r->local_scratch);
	if (buf_read_file(&text, path.buf, 1 << 16) >= 0)
		last_line(text.buf, out);
	buf_release(&path);
	buf_release(&text);
}

/* Is the master still there?  Reaps it when it is not. */
static int master_alive(struct ssh_state *ss)
{
	int st;

	if (!ss->master_up)
		return 0;
	if (waitpid(ss->master.pid, &st, WNOHANG) == ss->master.pid) {
		ss->master.pid = 0;
		ss->master_up = 0;
	}
	return ss->master_up;
}

/*
 * After a session failed: was it the connection?  A master that was
 * killed closes its sockets a moment before it can be reaped, so give it
 * that moment.
 */
static int master_lost(struct ssh_state *ss)
{
	for (int i = 0; i < 50; i++) {
		if (!master_alive(ss))
			return 1;
		sleep_ms(10);
	}
	return 0;
}

static int lost(struct runner *r)
{
	struct ssh_state *ss = r->priv;
	struct buf msg = BUF_INIT;
	int ret;

	master_message(r, &msg);
	ret = error_code(PG_EENV, "lost the connection to '%s'%s%s", ss->host,
			 msg.len ? ": " : "", msg.buf);
	buf_release(&msg);
	return ret;
}

/*
 * Run `script` on the host with stdin from `in` (a descriptor or PROC_NULL)
 * and stdout into `out`, or into descriptor `out_fd` when `out` is NULL;
 * stderr into `err` (may be NULL).  Returns the remote exit status (ssh's
 * own failures, 255, are reported here as PG_EENV), or PG_EINTR.
 */
static int ssh_run(struct runner *r, const char *script, int in, struct buf *out,
		   int out_fd, struct buf *err)
{
	struct ssh_state *ss = r->priv;
	struct buf e = BUF_INIT, msg = BUF_INIT;
	struct proc p;
	int code;

	if (!master_alive(ss))
		return lost(r);
	proc_init(&p);
	session_args(ss, &p.args, script);
	p.in = in;
	if (!out)
		p.out = out_fd;
	code = proc_capture(&p, out, &e);
	proc_release(&p);
	if (code == 255) {
		if (master_lost(ss)) {
			code = lost(r);
		} else {
			last_line(e.buf, &msg);
			code = error_code(PG_EENV, "ssh to '%s' failed: %s", ss->host,
					  msg.len ? msg.buf : "exit 255");
		}
	}
	if (err)
		buf_add(err, e.buf, e.len);
	buf_release(&e);
	buf_release(&msg);
	return code;
}

/*
 * Clean-up commands run after an interrupt too (proc_wait would give up at
 * once then): wait at most `ms`, quietly.  Returns the exit status or -1.
 */
static int run_quiet(struct strvec *args, int ms)
{
	struct proc p;
	int64_t deadline = clock_mono_ms() + ms;
	int st, code = -1;

	proc_init(&p);
	strvec_pushv(&p.args, args->v);
	p.out = p.err = PROC_NULL;
	if (proc_start(&p))
		goto out;
	for (;;) {
		pid_t w = waitpid(p.pid, &st, WNOHANG);

		if (w == p.pid) {
			p.pid = 0;
			code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			break;
		}
		if ((w < 0 && errno != EINTR) || clock_mono_ms() > deadline) {
			proc_kill(&p);
			break;
		}
		sleep_ms(20);
	}
out:
	proc_release(&p);
	return code;
}

static int ssh_quiet(struct runner *r, const char *script)
{
	struct ssh_state *ss = r->priv;
	struct strvec args = STRVEC_INIT;
	int code;

	if (!master_alive(ss))
		return -1;
	session_args(ss, &args, script);
	code = run_quiet(&args, CLEANUP_WAIT_MS);
	strvec_clear(&args);
	return code;
}

/* ------------------------------------------------------------------ connect */

/* Is the master's socket (named by %C, so without a dot) in place? */
static int socket_ready(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		struct buf p = BUF_INIT;
		struct stat st;

		if (strchr(e->d_name, '.'))
			continue;
		buf_addf(&p, "%s/%s", dir, e->d_name);
		found = !lstat(p.buf, &st) && S_ISSOCK(st.st_mode);
		buf_release(&p);
	}
	closedir(d);
	return found;
}

/* Characters ssh takes literally in ControlPath (no %, no quoting needed). */
static int plain_path(const char *s)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		"0123456789/._-";

	return strspn(s, ok) == strlen(s);
}

/*
 * The control socket goes in the local scratch directory (private, 0700)
 * when the path is short and plain enough, else in a fresh private
 * directory under /tmp.
 */
static int control_dir(struct runner *r)
{
	struct ssh_state *ss = r->priv;
	struct buf b = BUF_INIT;

	if (plain_path(r->local_scratch) && strlen(r->local_scratch) + 3 + 40 <= CTL_PATH_MAX) {
		ss->ctl_dir = xstrdup(r->local_scratch);
	} else {
		buf_addstr(&b, "/tmp/perfgo-ssh-XXXXXX");
		if (!mkdtemp(b.buf)) {
			int e = errno;

			buf_release(&b);
			return error_code(PG_EENV, "cannot create a temporary directory: %s",
					  strerror(e));
		}
		ss->ctl_dir = buf_detach(&b);
	}
	buf_addf(&b, "%s/%%C", ss->ctl_dir);
	ss->ctl_path = buf_detach(&b);
	return 0;
}

static int master_start(struct runner *r)
{
	struct ssh_state *ss = r->priv;
	struct buf errpath = BUF_INIT, msg = BUF_INIT;
	int64_t deadline = clock_mono_ms() + MASTER_WAIT_MS;
	int errfd, ret = 0;

	buf_addf(&errpath, "%s/ssh.err", r->local_scratch);
	errfd = open(errpath.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	buf_release(&errpath);
	if (errfd < 0)
		return error_code(PG_EENV, "cannot create a file in '%s': %s", r->local_scratch,
				  strerror(errno));
	ssh_base(ss, &ss->master.args);
	strvec_pushl(&ss->master.args, "-M", "-N", "-T", "-o", "ControlMaster=yes",
		     "-o", "ControlPersist=no", "-o", "ServerAliveInterval=15",
		     "-o", "ServerAliveCountMax=3", "--", ss->host, NULL);
	ss->master.err = errfd;
	ret = proc_start(&ss->master);
	close(errfd);
	if (ret)
		return ret;
	ss->master_up = 1;
	for (;;) {
		if (sig_pending())
			return PG_EINTR;
		if (!master_alive(ss)) {
			master_message(r, &msg);
			ret = error_code(PG_EENV, "cannot connect to '%s': %s", ss->host,
					 msg.len ? msg.buf : "ssh failed");
			break;
		}
		if (socket_ready(ss->ctl_dir))
			break;
		if (clock_mono_ms() > deadline) {
			ret = error_code(PG_EENV, "cannot connect to '%s': no connection after %d s",
					 ss->host, MASTER_WAIT_MS / 1000);
			break;
		}
		sleep_ms(10);
	}
	buf_release(&msg);
	return ret;
}

/* ------------------------------------------------------------------- probe */

/*
 * One session makes the remote directory and collects the facts the
 * fingerprint, the build target and the perf check need.  Fixed text:
 * nothing of the user's is in it.
 */
static const char setup_script[] =
	"umask 077; d=$(mktemp -d \"${TMPDIR:-/tmp}/perfgo.XXXXXXXX\") || exit 1; "
	"echo \"dir=$d\"; echo \"os=$(uname -s)\"; echo \"arch=$(uname -m)\"; "
	"echo \"kernel=$(uname -r)\"; echo \"uid=$(id -u)\"; "
	"echo \"cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc 2>/dev/null)\"; "
	"echo \"gomaxprocs=${GOMAXPROCS:-}\"; echo \"perf=$(perf --version 2>/dev/null)\"; "
	"for f in paranoid:/proc/sys/kernel/perf_event_paranoid "
	"aslr:/proc/sys/kernel/randomize_va_space "
	"governor:/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor "
	"smt:/sys/devices/system/cpu/smt/control; do "
	"echo \"${f%%:*}=$(head -n 1 \"${f#*:}\" 2>/dev/null)\"; done; "
	"grep -E '^(model name|Model Name|Hardware|cpu model)' /proc/cpuinfo 2>/dev/null | "
	"sort -u | sed 's/^/cpuinfo=/'; "
	"sysctl -n machdep.cpu.brand_string 2>/dev/null | sed 's/^/cpuinfo=model name: /'; "
	"exit 0";

/* A fact from the setup command; NULL when absent or empty. */
static const char *fact(const struct ssh_state *ss, const char *key)
{
	size_t klen = strlen(key);

	for (size_t i = 0; i < ss->facts.nr; i++)
		if (!strncmp(ss->facts.v[i], key, klen) && ss->facts.v[i][klen] == '=')
			return ss->facts.v[i][klen + 1] ? ss->facts.v[i] + klen + 1 : NULL;
	return NULL;
}

static int fact_int(const struct ssh_state *ss, const char *key, int dflt)
{
	const char *s = fact(ss, key);
	int v;

	return s && !parse_int(s, &v) ? v : dflt;
}

/* GOOS/GOARCH of the remote; CGO only where the local toolchain's target matches. */
static int build_target(struct runner *r)
{
	struct ssh_state *ss = r->priv;
	const char *os = fact(ss, "os"), *arch = fact(ss, "arch");
	const char *goos, *goarch, *goarm, *los, *larch, *larm;
	struct utsname u;
	int ret, same;

	ret = ssh_go_target(os ? os : "", arch ? arch : "", &goos, &goarch, &goarm);
	if (ret)
		return ret;
	same = !uname(&u) && !go_target(u.sysname, u.machine, &los, &larch, &larm) &&
		!strcmp(los, goos) && !strcmp(larch, goarch);
	strvec_pushf(&r->build_env, "GOOS=%s", goos);
	strvec_pushf(&r->build_env, "GOARCH=%s", goarch);
	if (goarm)
		strvec_pushf(&r->build_env, "GOARM=%s", goarm);
	/* A cross build has no C toolchain unless the user set one up (CGO_ENABLED=1, CC). */
	if (!same && !getenv("CGO_ENABLED"))
		strvec_push(&r->build_env, "CGO_ENABLED=0");
	verbose("remote target %s/%s%s", goos, goarch, same ? " (as here: cgo as configured)" :
		" (cross build)");
	return 0;
}

static int setup(struct runner *r)
{
	struct ssh_state *ss = r->priv;
	struct buf out = BUF_INIT;
	const char *dir;
	int ret;

	ret = ssh_run(r, setup_script, PROC_NULL, &out, -1, NULL);
	if (ret > 0)
		ret = error_code(PG_EENV, "cannot create a temporary directory on '%s' "
				 "(mktemp -d failed)", ss->host);
	if (ret)
		goto out;
	for (char *line = out.buf; *line; ) {
		size_t len = strcspn(line, "\n");
		const char *v;

		if (skip_prefix(line, "cpuinfo=", &v)) {
			buf_add(&ss->cpuinfo, v, len - (size_t)(v - line));
			buf_addch(&ss->cpuinfo, '\n');
		} else if (len) {
			strvec_pushf(&ss->facts, "%.*s", (int)len, line);
		}
		line += len + (line[len] == '\n');
	}
	dir = fact(ss, "dir");
	/* perf's --control fifo:CTL,ACK splits at the comma. */
	if (!dir || dir[0] != '/' || strchr(dir, ',') || !strstr(dir, "/perfgo.")) {
		ret = error_code(PG_EENV, "unusable temporary directory '%s' on '%s': set TMPDIR "
				 "there to a plain absolute path", dir ? dir : "", ss->host);
		goto out;
	}
	r->scratch = xstrdup(dir);
	ret = build_target(r);
out:
	buf_release(&out);
	return ret;
}

static int ssh_probe(struct runner *r, struct fingerprint *fp)
{
	struct ssh_state *ss = r->priv;
	const char *v;

	memset(fp, 0, sizeof(*fp));
	fp->host = xstrdup(ss->host);
	fp->cpu_model = fingerprint_cpu_model(ss->cpuinfo.buf);
	fp->cores = fact_int(ss, "cores", 1);
	if ((v = fact(ss, "kernel")))
		fp->kernel = xstrdup(v);
	if ((v = fact(ss, "perf")))
		fp->perf_version = fingerprint_perf_version(v);
	/* Go is the local toolchain, building for the remote target. */
	fingerprint_go_facts(fp, &r->build_env);
	fp->gomaxprocs = fact_int(ss, "gomaxprocs", fp->cores);
	fp->paranoid = fact_int(ss, "paranoid", -99);
	if ((v = fact(ss, "aslr")))
		fp->aslr = xstrdup(v);
	if ((v = fact(ss, "governor")))
		fp->governor = xstrdup(v);
	if ((v = fact(ss, "smt")))
		fp->smt = xstrdup(v);
	return 0;
}

static int ssh_check_perf(struct runner *r)
{
	struct ssh_state *ss = r->priv;
	const char *os = fact(ss, "os");
	int paranoid = fact_int(ss, "paranoid", -99);

	if (!os || strcmp(os, "Linux"))
		return error_code(PG_EENV, "perf needs Linux; '%s' runs '%s'", ss->host,
				  os ? os : "an unknown system");
	if (!fact(ss, "perf"))
		return error_code(PG_EENV, "'perf' not found on '%s': install it there "
				  "(Debian: 'apt-get install linux-perf')", ss->host);
	if (paranoid > 2 && fact_int(ss, "uid", -1) != 0)
		return error_code(PG_EENV, "perf_event_paranoid is %d on '%s': run "
				  "'sysctl kernel.perf_event_paranoid=2' there", paranoid, ss->host);
	return 0;
}

/* ------------------------------------------------------------------- stage */

/* What a test may read at run time: the non-Go files and testdata/. */
static int package_files(const char *dir, struct strvec *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return error_code(PG_EENV, "cannot read '%s': %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		struct buf p = BUF_INIT;
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		buf_addf(&p, "%s/%s", dir, e->d_name);
		if (!lstat(p.buf, &st)) {
			/* "./" keeps a name like "-x" from being read as an option by tar. */
			if (S_ISDIR(st.st_mode) ? !strcmp(e->d_name, "testdata") :
			    (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) && !ends_with(e->d_name, ".go"))
				strvec_pushf(out, "./%s", e->d_name);
		}
		buf_release(&p);
	}
	closedir(d);
	return 0;
}

/* tar -c locally | ssh 'cd DIR && tar -x'. */
static int send_files(struct runner *r, const char *pkg_dir, const struct strvec *files,
		      const char *rdir)
{
	struct ssh_state *ss = r->priv;
	struct buf script = BUF_INIT, err = BUF_INIT, msg = BUF_INIT;
	struct proc tar;
	int pfd[2], ret, tcode;

	if (pipe2(pfd, O_CLOEXEC))
		return error("cannot create a pipe: %s", strerror(errno));
	proc_init(&tar);
	strvec_pushl(&tar.args, "tar", "-cf", "-", "-C", pkg_dir, NULL);
	strvec_pushv(&tar.args, files->v);
	tar.out = pfd[1];
	ret = proc_start(&tar);
	close(pfd[1]);
	if (ret) {
		close(pfd[0]);
		proc_release(&tar);
		return ret;
	}
	buf_addstr(&script, "cd ");
	sq_quote_buf(&script, rdir);
	buf_addstr(&script, " && tar -xof -");
	ret = ssh_run(r, script.buf, pfd[0], NULL, PROC_NULL, &err);
	/* Our read end is the last one: a tar still writing gets EPIPE now. */
	close(pfd[0]);
	if (ret < 0) {
		proc_kill(&tar);
	} else {
		tcode = proc_wait(&tar);
		if (tcode == PG_EINTR)
			ret = PG_EINTR;
		else if (ret > 0 || tcode) {
			last_line(err.buf, &msg);
			ret = error_code(PG_EENV, "cannot copy the files of '%s' to '%s': %s",
					 pkg_dir, ss->host, msg.len ? msg.buf : "tar failed");
		}
	}
	proc_release(&tar);
	buf_release(&script);
	buf_release(&err);
	buf_release(&msg);
	return ret;
}

static char *package_base(const char *dir)
{
	size_t len = strlen(dir), start;

	while (len > 1 && dir[len - 1] == '/')
		len--;
	start = len;
	while (start > 0 && dir[start - 1] != '/')
		start--;
	if (len == start || (len - start == 1 && dir[start] == '.') ||
	    (len - start == 2 && !strncmp(dir + start, "..", 2)) || dir[start] == '/')
		return xstrdup("pkg");
	return xstrndup(dir + start, len - start);
}

static int ssh_stage(struct runner *r, const char *local_bin, const char *pkg_dir,
		     char **bin_out, char **dir_out)
{
	struct ssh_state *ss = r->priv;
	struct buf rbin = BUF_INIT, rdir = BUF_INIT, script = BUF_INIT, err = BUF_INIT,
		msg = BUF_INIT;
	struct strvec files = STRVEC_INIT;
	unsigned i = ss->nstaged++;
	char *base = package_base(pkg_dir);
	int fd, ret;

	buf_addf(&rbin, "%s/p%u.test", r->scratch, i);
	buf_addf(&rdir, "%s/p%u/%s", r->scratch, i, base);
	fd = open(local_bin, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = error_code(PG_EENV, "cannot read '%s': %s", local_bin, strerror(errno));
		goto out;
	}
	buf_addstr(&script, "mkdir -p ");
	sq_quote_buf(&script, rdir.buf);
	buf_addstr(&script, " && cat >");
	sq_quote_buf(&script, rbin.buf);
	buf_addstr(&script, " && chmod 700 ");
	sq_quote_buf(&script, rbin.buf);
	ret = ssh_run(r, script.buf, fd, NULL, PROC_NULL, &err);
	close(fd);
	if (ret > 0) {
		last_line(err.buf, &msg);
		ret = error_code(PG_EENV, "cannot copy the test binary to '%s': %s", ss->host,
				 msg.len ? msg.buf : "failed");
	}
	if (!ret)
		ret = package_files(pkg_dir, &files);
	if (!ret && files.nr)
		ret = send_files(r, pkg_dir, &files, rdir.buf);
	if (!ret) {
		*bin_out = buf_detach(&rbin);
		*dir_out = buf_detach(&rdir);
	}
out:
	free(base);
	strvec_clear(&files);
	buf_release(&rbin);
	buf_release(&rdir);
	buf_release(&script);
	buf_release(&err);
	buf_release(&msg);
	return ret;
}

/* ------------------------------------------------------------------- fetch */

static int ssh_fetch(struct runner *r, const char *remote, const char *local)
{
	struct buf script = BUF_INIT;
	int fd, ret;

	fd = open(local, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return error_code(PG_EENV, "cannot create '%s': %s", local, strerror(errno));
	buf_addstr(&script, "cat ");
	sq_quote_buf(&script, remote);
	ret = ssh_run(r, script.buf, PROC_NULL, NULL, fd, NULL);
	close(fd);
	buf_release(&script);
	if (ret > 0)
		ret = PG_ENOTFOUND;    /* the caller says what was missing */
	if (ret)
		unlink(local);
	return ret;
}

/* -------------------------------------------------------------------- exec */

static int write_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read one line (without its newline) from `fd`: 0, 1 at EOF, PG_EINTR or PG_EENV. */
static int read_line(int fd, struct buf *line, int64_t deadline)
{
	buf_reset(line);
	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		int64_t left = deadline - clock_mono_ms();
		char c;
		ssize_t n;

		if (sig_pending())
			return PG_EINTR;
		if (left <= 0)
			return PG_EENV;
		if (poll(&pfd, 1, left > 100 ? 100 : (int)left) <= 0)
			continue;
		n = read(fd, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 1;
		if (c == '\n')
			return 0;
		/* perf's ack is "ack\n\0": the NUL lands before the next line. */
		if (c)
			buf_addch(line, c);
	}
}

static void relay_close(struct ssh_state *ss)
{
	int64_t deadline = clock_mono_ms() + 2000;
	int st;

	if (!ss->relay_up)
		return;
	ss->relay_up = 0;
	/* EOF makes the remote loop remove the FIFOs and exit. */
	if (ss->relay.in_fd >= 0)
		close(ss->relay.in_fd);
	ss->relay.in_fd = -1;
	while (ss->relay.pid > 0 && clock_mono_ms() < deadline) {
		if (waitpid(ss->relay.pid, &st, WNOHANG) == ss->relay.pid)
			ss->relay.pid = 0;
		else
			sleep_ms(10);
	}
	proc_kill(&ss->relay);
	proc_release(&ss->relay);
}

/* Job n's FIFOs, through the relay (started on first use). */
static int relay_open(struct runner *r, unsigned n)
{
	struct ssh_state *ss = r->priv;
	struct buf script = BUF_INIT, line = BUF_INIT;
	int ret = 0;

	if (!ss->relay_up) {
		if (!master_alive(ss))
			return lost(r);
		proc_init(&ss->relay);
		ssh_relay_command(&script, r->scratch);
		session_args(ss, &ss->relay.args, script.buf);
		ss->relay.in = ss->relay.out = PROC_PIPE;
		ss->relay.err = PROC_NULL;
		ret = proc_start(&ss->relay);
		buf_release(&script);
		if (ret)
			return ret;
		ss->relay_up = 1;
	}
	buf_addf(&line, "open %u\n", n);
	if (write_all(ss->relay.in_fd, line.buf, line.len)) {
		ret = -1;
	} else {
		int64_t deadline = clock_mono_ms() + READY_WAIT_MS;

		/* Acks that came after their job was over are dropped here. */
		do
			ret = read_line(ss->relay.out_fd, &line, deadline);
		while (!ret && strcmp(line.buf, "ready") && strcmp(line.buf, "failed"));
		if (!ret && !strcmp(line.buf, "failed")) {
			buf_release(&line);
			return error_code(PG_EENV, "cannot make perf's control FIFOs in '%s' on '%s' "
					  "(mkfifo)", r->scratch, ss->host);
		}
	}
	buf_release(&line);
	if (ret == PG_EINTR)
		return ret;
	if (ret) {
		relay_close(ss);
		return !master_lost(ss) ? error_code(PG_EENV, "cannot set up perf's control "
						      "channel on '%s'", ss->host) : lost(r);
	}
	return 0;
}

static void remote_kill(struct runner *r)
{
	struct ssh_state *ss = r->priv;
	struct buf script = BUF_INIT, pid = BUF_INIT;

	if (!ss->job_live)
		return;
	buf_addf(&pid, "%s/job.pid", r->scratch);
	ssh_kill_command(&script, pid.buf);
	ssh_quiet(r, script.buf);
	ss->job_live = 0;
	buf_release(&script);
	buf_release(&pid);
}

/* The remote argv: a control job learns its FIFOs from its control word. */
static void job_argv(struct runner *r, const struct runner_job *job, unsigned n,
		     struct strvec *argv)
{
	struct runner_chan ch = { 0, -1, -1, NULL, NULL };
	struct buf c = BUF_INIT, a = BUF_INIT;

	if (!job->control_word) {
		strvec_pushv(argv, job->argv.v);
		return;
	}
	buf_addf(&c, "%s/c.%u", r->scratch, n);
	buf_addf(&a, "%s/a.%u", r->scratch, n);
	ch.cmd_path = c.buf;
	ch.reply_path = a.buf;
	runner_argv_with_control(job, &ch, argv);
	buf_release(&c);
	buf_release(&a);
}

/* Split what arrived on stdout into lines for the callback (as local_exec does). */
static int feed_lines(struct runner_job *job, struct buf *pending, int final)
{
	size_t start = 0;
	int ret = 0;

	for (;;) {
		char *nl = memchr(pending->buf + start, '\n', pending->len - start);
		size_t len;

		if (!nl && (!final || start == pending->len))
			break;
		len = nl ? (size_t)(nl - (pending->buf + start)) : pending->len - start;
		if (!ret && job->on_line)
			ret = job->on_line(job, pending->buf + start, len);
		start += len + (nl ? 1 : 0);
		if (!nl)
			break;
	}
	memmove(pending->buf, pending->buf + start, pending->len - start);
	buf_setlen(pending, pending->len - start);
	return ret;
}

/* Copy stderr on, holding back the end where the status marker arrives. */
static int pass_stderr(struct buf *hold, const char *s, size_t len, int fd)
{
	buf_add(hold, s, len);
	if (hold->len <= STDERR_HOLD)
		return 0;
	len = hold->len - STDERR_HOLD;
	if (write_all(fd, hold->buf, len))
		return -1;
	memmove(hold->buf, hold->buf + len, STDERR_HOLD);
	buf_setlen(hold, STDERR_HOLD);
	return 0;
}

/* Pump the job's stdout and stderr until both end.  0, the callback's error, or PG_EINTR. */
static int pump(struct runner_job *job, struct proc *p, struct buf *hold)
{
	struct buf pending = BUF_INIT;
	int errfd = job->stderr_fd >= 0 ? job->stderr_fd : 2;
	int cb_ret = 0, ret = 0;

	while (p->out_fd >= 0 || p->err_fd >= 0) {
		struct pollfd pfd[3] = { { sig_fd(), POLLIN, 0 }, { p->out_fd, POLLIN, 0 },
					 { p->err_fd, POLLIN, 0 } };
		char chunk[65536];

		if (sig_pending()) {
			ret = PG_EINTR;
			break;
		}
		if (poll(pfd, 3, 200) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents)
			sig_drain();
		for (int i = 1; i < 3; i++) {
			int *fdp = i == 1 ? &p->out_fd : &p->err_fd;
			ssize_t n;

			if (*fdp < 0 || !pfd[i].revents)
				continue;
			n = read(*fdp, chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(*fdp);
				*fdp = -1;
				continue;
			}
			if (i == 2) {
				if (pass_stderr(hold, chunk, (size_t)n, errfd) && !ret)
					ret = error("cannot save the errors of '%s': %s",
						    job->argv.v[0], strerror(errno));
				continue;
			}
			if (job->stdout_fd >= 0 && write_all(job->stdout_fd, chunk, (size_t)n) && !ret)
				ret = error("cannot save the output of '%s': %s", job->argv.v[0],
					    strerror(errno));
			buf_add(&pending, chunk, (size_t)n);
			if (!cb_ret)
				cb_ret = feed_lines(job, &pending, 0);
		}
	}
	if (!ret && !cb_ret)
		cb_ret = feed_lines(job, &pending, 1);
	buf_release(&pending);
	return ret ? ret : cb_ret;
}

static int ssh_exec(struct runner *r, struct runner_job *job)
{
	struct ssh_state *ss = r->priv;
	struct strvec argv = STRVEC_INIT;
	struct buf script = BUF_INIT, pidfile = BUF_INIT, hold = BUF_INIT;
	struct proc p;
	unsigned n = ++ss->njobs;
	int ret, code, status = -1, have_status;

	proc_init(&p);
	if (!master_alive(ss)) {
		ret = lost(r);
		goto out;
	}
	job_argv(r, job, n, &argv);
	if (job->control_word) {
		ret = relay_open(r, n);
		if (ret)
			goto out;
	}
	buf_addf(&pidfile, "%s/job.pid", r->scratch);
	ssh_job_command(&script, pidfile.buf, job->dir ? job->dir : r->scratch, &job->env, &argv);
	session_args(ss, &p.args, script.buf);
	p.out = p.err = PROC_PIPE;
	ret = proc_start(&p);
	if (ret)
		goto out;
	ss->job_live = 1;
	if (job->control_word) {
		job->ctl_fd = ss->relay.in_fd;
		job->ack_fd = ss->relay.out_fd;
		job->ctl_pid = p.pid;
	}
	ret = pump(job, &p, &hold);
	code = ret == PG_EINTR ? PG_EINTR : proc_wait(&p);
	if (code == PG_EINTR) {
		/* The remote group does not notice a dead ssh until it writes: kill it. */
		remote_kill(r);
		ret = PG_EINTR;
		goto out;
	}
	have_status = ssh_take_status(&hold, &status);
	if (have_status)
		ss->job_live = 0;
	if (ret)
		goto out;
	if (!have_status) {
		ret = !master_lost(ss) ? error_code(PG_EENV, "the ssh session to '%s' ended without "
						     "the job's exit status (ssh exit %d)", ss->host,
						     code) : lost(r);
		goto out;
	}
	job->status = status;
out:
	if (hold.len)
		write_all(job->stderr_fd >= 0 ? job->stderr_fd : 2, hold.buf, hold.len);
	if (p.pid > 0)
		proc_kill(&p);
	/* The relay's descriptors are the runner's, not the job's. */
	job->ctl_fd = job->ack_fd = -1;
	job->ctl_pid = 0;
	proc_release(&p);
	strvec_clear(&argv);
	buf_release(&script);
	buf_release(&pidfile);
	buf_release(&hold);
	return ret;
}

/* ----------------------------------------------------------------- cleanup */

static void ssh_cleanup(struct runner *r)
{
	struct ssh_state *ss = r->priv;
	struct strvec args = STRVEC_INIT;
	struct buf script = BUF_INIT;

	if (!ss)
		return;
	relay_close(ss);
	remote_kill(r);
	if (r->scratch && r->keep) {
		note("kept the remote directory '%s' on '%s'", r->scratch, ss->host);
	} else if (r->scratch && !master_alive(ss)) {
		warning("no connection to '%s': its directory '%s' stays there", ss->host,
			r->scratch);
	} else if (r->scratch) {
		buf_addstr(&script, "rm -rf ");
		sq_quote_buf(&script, r->scratch);
		if (ssh_quiet(r, script.buf))
			warning("could not remove '%s' on '%s'", r->scratch, ss->host);
	}
	if (master_alive(ss)) {
		ssh_base(ss, &args);
		strvec_pushl(&args, "-O", "exit", "--", ss->host, NULL);
		run_quiet(&args, CLEANUP_WAIT_MS);
		for (int i = 0; i < 100 && master_alive(ss); i++)
			sleep_ms(20);
	}
	proc_kill(&ss->master);
	proc_release(&ss->master);
	if (ss->ctl_dir && (!r->local_scratch || strcmp(ss->ctl_dir, r->local_scratch)))
		runner_remove_tree(ss->ctl_dir);
	if (r->local_scratch)
		runner_remove_tree(r->local_scratch);
	free(ss->ssh);
	free(ss->host);
	free(ss->ctl_dir);
	free(ss->ctl_path);
	strvec_clear(&ss->facts);
	buf_release(&ss->cpuinfo);
	strvec_clear(&args);
	buf_release(&script);
	free(ss);
	r->priv = NULL;
}

static const struct runner_ops ssh_ops = {
	"ssh", ssh_probe, ssh_stage, ssh_exec, ssh_fetch, ssh_cleanup, ssh_check_perf
};

int runner_ssh_open(struct runner *r, const char *host)
{
	const char *prog = getenv("PERFGO_SSH");
	struct ssh_state *ss;
	int ret;

	ret = ssh_check_host(host);
	if (ret)
		return ret;
	ss = xcalloc(1, sizeof(*ss));
	ss->ssh = xstrdup(prog && *prog ? prog : "ssh");
	ss->host = xstrdup(host);
	proc_init(&ss->master);
	proc_init(&ss->relay);
	strvec_init(&ss->facts);
	buf_init(&ss->cpuinfo);
	r->ops = &ssh_ops;
	r->priv = ss;
	r->local_scratch = runner_mkdtemp("perfgo");
	ret = r->local_scratch ? control_dir(r) : PG_EENV;
	if (!ret)
		ret = master_start(r);
	if (!ret)
		ret = setup(r);
	if (ret)
		runner_close(r);
	return ret;
}
