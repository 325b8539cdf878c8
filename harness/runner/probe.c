/* The machine facts a runner's probe reports; see runner_impl.h. */
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/io.h"
#include "util/parse.h"
#include "util/proc.h"
#include "runner/runner_impl.h"
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

char *probe_cpu_model(const char *cpuinfo)
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
		model = probe_cpu_model(b.buf);
	buf_release(&b);
	return model;
}

void probe_go_env_parse(struct fingerprint *fp, const char *s)
{
	char **dst[] = { &fp->go_version, &fp->goos, &fp->goarch, &fp->goamd64 };

	for (size_t i = 0; i < ARRAY_SIZE(dst) && *s; i++) {
		size_t len = strcspn(s, "\n");

		if (len) {
			free(*dst[i]);
			*dst[i] = xstrndup(s, len);
		}
		s += len + (s[len] == '\n');
	}
}

/* `go env GOVERSION GOOS GOARCH GOAMD64`: one value per line. */
void probe_go_facts(struct fingerprint *fp, const struct strvec *env)
{
	struct proc p;
	struct buf out = BUF_INIT;

	proc_init(&p);
	strvec_pushl(&p.args, "go", "env", "GOVERSION", "GOOS", "GOARCH", "GOAMD64", NULL);
	strvec_push(&p.env, "GOTOOLCHAIN=local");
	if (env)
		strvec_pushv(&p.env, env->v);
	p.err = PROC_NULL;
	if (!proc_capture(&p, &out, NULL))
		probe_go_env_parse(fp, out.buf);
	proc_release(&p);
	buf_release(&out);
}

int probe_local_machine(struct fingerprint *fp)
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
	probe_go_facts(fp, NULL);
	fp->gomaxprocs = fp->cores;
	if (gmp && parse_int(gmp, &fp->gomaxprocs))
		fp->gomaxprocs = fp->cores;
	fp->aslr = read_line("/proc/sys/kernel/randomize_va_space");
	fp->governor = read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
	fp->smt = read_line("/sys/devices/system/cpu/smt/control");
	return 0;
}
