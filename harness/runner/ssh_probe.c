/*
 * The ssh runner's setup session (runner_ssh.h has the design): the
 * remote directory, the machine facts for the probe, the build target.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "util/buf.h"
#include "util/parse.h"
#include "util/quote.h"
#include "runner/ssh_internal.h"
#include "util/usage.h"
#include "util/banned.h"

/*
 * One session makes the remote directory and collects the machine facts
 * the fingerprint and the build target need.  Fixed text: nothing of the
 * user's is in it.
 */
static const char setup_mkdir[] =
	"umask 077; d=$(mktemp -d \"${TMPDIR:-/tmp}/perfgo.XXXXXXXX\") || exit 1; ";
/*
 * Then, with this perfgo's owner record in $o, the record in the new
 * directory and the other directories' records as "owner=<record> <dir>"
 * (runner_ssh.h, "Owner").
 */
static const char setup_owners[] =
	"printf '%s\\n' \"$o\" >\"$d/" SSH_OWNER_FILE "\"; "
	"for f in \"${d%/*}\"/perfgo.*/" SSH_OWNER_FILE "; do "
	"[ \"$f\" != \"$d/" SSH_OWNER_FILE "\" ] && r=$(head -n 1 \"$f\" 2>/dev/null) && "
	"echo \"owner=$r ${f%/*}\"; done; ";
static const char setup_script[] =
	"echo \"dir=$d\"; echo \"os=$(uname -s)\"; echo \"arch=$(uname -m)\"; "
	"echo \"kernel=$(uname -r)\"; "
	"echo \"cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc 2>/dev/null)\"; "
	"echo \"gomaxprocs=${GOMAXPROCS:-}\"; "
	"for f in aslr:/proc/sys/kernel/randomize_va_space "
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
	same = !uname(&u) && !ssh_go_target_code(u.sysname, u.machine, &los, &larch, &larm) &&
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

/* "<parent of scratch>/perfgo.<8 letters or digits>": a name mktemp gave. */
static int sibling_scratch(const char *scratch, const char *dir)
{
	const char *slash = strrchr(scratch, '/');
	size_t n = slash ? (size_t)(slash - scratch) + 1 : 0;
	const char *base = dir + n;

	return n && !strncmp(scratch, dir, n) && !strncmp(base, "perfgo.", 7) &&
	       strlen(base) == 15 && strspn(base + 7, "abcdefghijklmnopqrstuvwxyz"
					    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == 8;
}

/*
 * Remove the remote directories beside ours whose owner record names a
 * perfgo of this machine that is gone (killed before it could clean up).
 * Best effort: a failure is only said with -v.
 */
static void sweep_stale(struct runner *r)
{
	struct ssh_state *ss = r->priv;
	struct buf script = BUF_INIT;
	size_t n = 0;

	buf_addstr(&script, "rm -rf --");
	for (size_t i = 0; i < ss->facts.nr; i++) {
		const char *rec = ss->facts.v[i], *dir = rec;

		if (strncmp(rec, "owner=", 6))
			continue;
		rec += 6;
		/* The record is four words, the directory the rest. */
		for (int w = 0; w < 4 && dir; w++)
			dir = strchr(dir + 1, ' ');
		if (!dir || !sibling_scratch(r->scratch, dir + 1) || !ssh_owner_gone(rec))
			continue;
		verbose("removing '%s' on '%s', left by a perfgo that is gone", dir + 1, ss->host);
		buf_addch(&script, ' ');
		sq_quote_buf(&script, dir + 1);
		n++;
	}
	if (n && ssh_quiet(r, script.buf))
		verbose("could not remove the %zu directories left on '%s'", n, ss->host);
	buf_release(&script);
}

void ssh_parse_facts(struct ssh_state *ss, const char *out, size_t n)
{
	const char *line = out, *end = out + n;

	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t len = nl ? (size_t)(nl - line) : (size_t)(end - line);

		if (len >= 8 && !memcmp(line, "cpuinfo=", 8)) {
			buf_add(&ss->cpuinfo, line + 8, len - 8);
			buf_addch(&ss->cpuinfo, '\n');
		} else if (len) {
			strvec_pushf(&ss->facts, "%.*s", (int)len, line);
		}
		line += len + (nl != NULL);
	}
}

int ssh_setup(struct runner *r)
{
	struct ssh_state *ss = r->priv;
	struct buf out = BUF_INIT, script = BUF_INIT, owner = BUF_INIT;
	const char *dir;
	int ret;

	buf_addstr(&script, setup_mkdir);
	if (!ssh_owner_record(&owner)) {
		buf_addstr(&script, "o=");
		sq_quote_buf(&script, owner.buf);
		buf_addf(&script, "; %s", setup_owners);
	}
	buf_addstr(&script, setup_script);
	ret = ssh_run(r, script.buf, PROC_NULL, &out, -1, NULL);
	if (ret > 0)
		ret = error_code(PG_EENV, "cannot create a temporary directory on '%s' "
				 "(mktemp -d failed)", ss->host);
	if (ret)
		goto out;
	ssh_parse_facts(ss, out.buf, out.len);
	dir = fact(ss, "dir");
	/* Control words name the FIFOs separated by a comma (perf: fifo:CTL,ACK). */
	if (!dir || dir[0] != '/' || strchr(dir, ',') || !strstr(dir, "/perfgo.")) {
		ret = error_code(PG_EENV, "unusable temporary directory '%s' on '%s': set TMPDIR "
				 "there to a plain absolute path", dir ? dir : "", ss->host);
		goto out;
	}
	r->scratch = xstrdup(dir);
	ret = build_target(r);
	if (!ret)
		sweep_stale(r);
out:
	buf_release(&out);
	buf_release(&script);
	buf_release(&owner);
	return ret;
}

void ssh_facts_fingerprint(const struct ssh_state *ss, struct fingerprint *fp)
{
	const char *v;

	fp->cpu_model = probe_cpu_model(ss->cpuinfo.buf);
	fp->cores = fact_int(ss, "cores", 1);
	if ((v = fact(ss, "kernel")))
		fp->kernel = xstrdup(v);
	fp->gomaxprocs = fact_int(ss, "gomaxprocs", fp->cores);
	if ((v = fact(ss, "aslr")))
		fp->aslr = xstrdup(v);
	if ((v = fact(ss, "governor")))
		fp->governor = xstrdup(v);
	if ((v = fact(ss, "smt")))
		fp->smt = xstrdup(v);
}

int ssh_probe(struct runner *r, struct fingerprint *fp)
{
	struct ssh_state *ss = r->priv;

	memset(fp, 0, sizeof(*fp));
	fp->host = xstrdup(ss->host);
	ssh_facts_fingerprint(ss, fp);
	/* Go is the local toolchain, building for the remote target. */
	probe_go_facts(fp, &r->build_env);
	return 0;
}
