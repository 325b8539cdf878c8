/* The local runner's fingerprint; see fingerprint.h. */
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "util/buf.h"
#include "session/fingerprint.h"
#include "util/parse.h"
#include "util/proc.h"
#include "util/usage.h"
#include "util/banned.h"

/* First line of a small file, trimmed; NULL if unreadable or empty. */
static char *read_line(const char *path)
{
	struct buf b = BUF_INIT;

	if (buf_read_file(&b, path, 4096) < 0 || !b.len) {
		buf_release(&b);
		return NULL;
	}
	buf_setlen(&b, strcspn(b.buf, "\n"));
	buf_rtrim(&b);
	return buf_detach(&b);
}

int read_perf_paranoid(void)
{
	char *s = read_line("/proc/sys/kernel/perf_event_paranoid");
	int v = -99;

	if (s && parse_int(s, &v))
		v = -99;
	free(s);
	return v;
}

char *fingerprint_cpu_model(const char *cpuinfo)
{
	const char *keys[] = { "model name", "Model Name", "Hardware", "cpu model" };

	for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
		const char *line = cpuinfo;

		while (line && *line) {
			const char *colon;

			if (starts_with(line, keys[k]) && (colon = strchr(line, ':'))) {
				colon++;
				while (*colon == ' ' || *colon == '\t')
					colon++;
				return xstrndup(colon, strcspn(colon, "\n"));
			}
			line = strchr(line, '\n');
			if (line)
				line++;
		}
	}
	return NULL;
}

static char *cpu_model(void)
{
	struct buf b = BUF_INIT;
	char *model = NULL;

	if (buf_read_file(&b, "/proc/cpuinfo", 1 << 20) >= 0)
		model = fingerprint_cpu_model(b.buf);
	buf_release(&b);
	return model;
}

char *fingerprint_perf_version(const char *out)
{
	size_t len;

	skip_prefix(out, "perf version ", &out);
	len = strcspn(out, "\n");
	while (len && (out[len - 1] == ' ' || out[len - 1] == '\r'))
		len--;
	return len ? xstrndup(out, len) : NULL;
}

/* perf --version -> "6.1.187" */
static char *perf_version(void)
{
	struct proc p;
	struct buf out = BUF_INIT;
	char *v = NULL;

	proc_init(&p);
	strvec_pushl(&p.args, "perf", "--version", NULL);
	p.err = PROC_NULL;
	if (!proc_capture(&p, &out, NULL))
		v = fingerprint_perf_version(out.buf);
	proc_release(&p);
	buf_release(&out);
	return v;
}

/* `go env GOVERSION GOOS GOARCH GOAMD64`: one value per line. */
void fingerprint_go_facts(struct fingerprint *fp, const struct strvec *env)
{
	struct proc p;
	struct buf out = BUF_INIT;
	char **dst[] = { &fp->go_version, &fp->goos, &fp->goarch, &fp->goamd64 };

	proc_init(&p);
	strvec_pushl(&p.args, "go", "env", "GOVERSION", "GOOS", "GOARCH", "GOAMD64", NULL);
	strvec_push(&p.env, "GOTOOLCHAIN=local");
	if (env)
		strvec_pushv(&p.env, env->v);
	p.err = PROC_NULL;
	if (!proc_capture(&p, &out, NULL)) {
		const char *s = out.buf;

		for (size_t i = 0; i < ARRAY_SIZE(dst) && *s; i++) {
			size_t len = strcspn(s, "\n");

			if (len)
				*dst[i] = xstrndup(s, len);
			s += len + (s[len] == '\n');
		}
	}
	proc_release(&p);
	buf_release(&out);
}

int fingerprint_collect_local(struct fingerprint *fp)
{
	struct utsname u;
	char host[256];
	const char *gmp = getenv("GOMAXPROCS");

	memset(fp, 0, sizeof(*fp));
	if (!gethostname(host, sizeof(host))) {
		host[sizeof(host) - 1] = '\0';
		fp->host = xstrdup(host);
	}
	fp->cpu_model = cpu_model();
	fp->cores = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (!uname(&u))
		fp->kernel = xstrdup(u.release);
	fp->perf_version = perf_version();
	fingerprint_go_facts(fp, NULL);
	fp->gomaxprocs = fp->cores;
	if (gmp && parse_int(gmp, &fp->gomaxprocs))
		fp->gomaxprocs = fp->cores;
	fp->paranoid = read_perf_paranoid();
	fp->aslr = read_line("/proc/sys/kernel/randomize_va_space");
	fp->governor = read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
	fp->smt = read_line("/sys/devices/system/cpu/smt/control");
	return 0;
}
