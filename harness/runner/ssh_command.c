/*
 * The ssh runner's remote commands: fixed shell text around words that
 * all go through sq_quote_buf(), and the checks of what the user names.
 * Pure: no processes (unit-tested in tests/unit/test_runner_ssh_*.c).
 */
#include <string.h>

#include "util/buf.h"
#include "util/parse.h"
#include "util/quote.h"
#include "runner/ssh_internal.h"
#include "util/usage.h"
#include "util/banned.h"

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

int ssh_go_target_code(const char *os, const char *machine, const char **goos,
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
	switch (ssh_go_target_code(os, machine, goos, goarch, goarm)) {
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

void ssh_job_command(struct buf *out, const char *pidfile, const char *killfile,
		     const char *dir, const struct strvec *env, const struct strvec *argv)
{
	buf_addstr(out, "cd ");
	sq_quote_buf(out, dir);
	buf_addstr(out, " && echo $$ >");
	sq_quote_buf(out, pidfile);
	buf_addstr(out, " && [ ! -e ");
	sq_quote_buf(out, killfile);
	buf_addstr(out, " ]");
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
	 * read-write (so no open blocks and the job never sees an EOF), copy
	 * the job's replies to stdout in the background and say "ready" (or
	 * "failed").  Any other line is a command for the job.  At EOF (perfgo
	 * is done, killed, or the connection dropped) everything is removed.
	 */
	buf_addstr(out, " || exit 1; p=; o=; while IFS= read -r l; do case $l in "
		   "'open '*) if [ -n \"$p\" ]; then kill \"$p\" 2>/dev/null; "
		   "rm -f \"c.$o\" \"a.$o\"; fi; o=${l#open }; "
		   "if mkfifo \"c.$o\" \"a.$o\" && exec 4<>\"c.$o\" 5<>\"a.$o\"; then "
		   "cat <&5 & p=$!; echo ready; else p=; echo failed; fi ;; "
		   "*) printf '%s\\n' \"$l\" >&4 ;; esac; done; "
		   "if [ -n \"$p\" ]; then kill \"$p\" 2>/dev/null; fi; rm -f \"c.$o\" \"a.$o\"");
}

void ssh_kill_command(struct buf *out, const char *pidfile, const char *killfile)
{
	buf_addstr(out, ": >");
	sq_quote_buf(out, killfile);
	buf_addstr(out, "; p=$(cat ");
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
