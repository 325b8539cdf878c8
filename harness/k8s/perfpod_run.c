/* The perf pod's life: create, wait, run commands in it, probe, delete; see perfpod.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collect/perf_stat.h"
#include "k8s/perfpod.h"
#include "runner/runner_impl.h"
#include "util/clock.h"
#include "util/parse.h"
#include "util/sig.h"
#include "util/usage.h"
#include "util/banned.h"

static void random_suffix(char out[7])
{
	unsigned char b[3] = { 0 };
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || read(fd, b, sizeof(b)) != (ssize_t)sizeof(b)) {
		int64_t t = clock_mono_ns() ^ (int64_t)getpid();

		memcpy(b, &t, sizeof(b));
	}
	if (fd >= 0)
		close(fd);
	snprintf(out, 7, "%02x%02x%02x", b[0], b[1], b[2]);
}

static int sleep_or_signal(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		if (sig_pending())
			return PG_EINTR;
	return sig_pending() ? PG_EINTR : 0;
}

int perfpod_create(struct perfpod_run *pr, const struct perfpod_spec *spec)
{
	struct perfpod_spec sp = *spec;
	struct buf name = BUF_INIT, why = BUF_INIT;
	char suffix[7];
	json_t *m;
	int ret;

	random_suffix(suffix);
	perfpod_name(&name, sp.target, suffix);
	sp.ns = pr->ns;
	sp.node = pr->node;
	m = perfpod_manifest(&sp, name.buf);
	ret = kube_create(pr->k, pr->ns, "pods", m, &why);
	json_decref(m);
	if (ret == PG_EENV && why.len) {
		if (strstr(why.buf, "PodSecurity") || strstr(why.buf, "(Forbidden)"))
			ret = error_code(PG_EENV, "namespace '%s' refused the privileged perf pod: %s; "
					 "run it in a namespace that allows privileged pods with "
					 "--perf-namespace", pr->ns, why.buf);
		else
			ret = error_code(PG_EENV, "cannot create the perf pod in '%s': %s",
					 pr->ns, why.buf);
	}
	if (!ret) {
		pr->name = buf_detach(&name);
		verbose("created the perf pod '%s' in '%s' on node '%s'", pr->name, pr->ns,
			pr->node);
	}
	buf_release(&name);
	buf_release(&why);
	return ret;
}

int perfpod_wait(struct perfpod_run *pr, int timeout)
{
	int64_t deadline = clock_mono_ms() + (int64_t)timeout * 1000;

	for (;;) {
		struct buf why = BUF_INIT;
		json_t *pod = NULL;
		int ret, running = 0;

		ret = kube_get(pr->k, pr->ns, "pod", pr->name, &pod);
		if (ret == PG_ENOTFOUND)
			ret = error_code(PG_EENV, "the perf pod '%s' disappeared while starting",
					 pr->name);
		if (!ret && perfpod_state(pod, &why, &running))
			ret = error_code(PG_EENV, "the perf pod '%s' cannot run on node '%s': %s%s",
					 pr->name, pr->node, why.buf,
					 strstr(why.buf, "Image") ? " (choose another with --perf-image)" : "");
		json_decref(pod);
		buf_release(&why);
		if (ret || running)
			return ret;
		if (clock_mono_ms() > deadline)
			return error_code(PG_EENV, "the perf pod '%s' did not start within %d s "
					  "(see 'kubectl describe pod -n %s %s')", pr->name,
					  timeout, pr->ns, pr->name);
		ret = sleep_or_signal(250);
		if (ret)
			return ret;
	}
}

int perfpod_exec(struct perfpod_run *pr, const struct strvec *argv, struct buf *out,
		 const char *what)
{
	struct buf err = BUF_INIT, line = BUF_INIT;
	int code = kube_exec(pr->k, pr->ns, pr->name, PERFPOD_CONTAINER, argv, 0, out, &err);

	if (code > 0) {
		kube_last_line(&err, &line);
		code = error_code(PG_EENV, "%s in the perf pod failed (exit %d): %s", what, code,
				  line.buf);
	}
	buf_release(&err);
	buf_release(&line);
	return code;
}

/* Node facts for the fingerprint, from the perf pod's view (the node's kernel and CPU). */
int perfpod_probe(struct perfpod_run *pr, const json_t *node, const char *image,
		  struct fingerprint *fp)
{
	struct strvec argv = STRVEC_INIT;
	struct buf out = BUF_INIT;
	int ret;

	memset(fp, 0, sizeof(*fp));
	fp->paranoid = -99;
	fp->host = xstrdup(pr->node);
	strvec_pushl(&argv, "cat", "/proc/cpuinfo", NULL);
	ret = perfpod_exec(pr, &argv, &out, "reading /proc/cpuinfo");
	if (!ret) {
		const char *s = out.buf ? out.buf : "";

		fp->cpu_model = probe_cpu_model(s);
		for (; (s = strstr(s, "processor\t")); s++)
			fp->cores++;
	}
	strvec_clear(&argv);
	buf_reset(&out);
	strvec_pushl(&argv, "uname", "-r", NULL);
	if (!ret)
		ret = perfpod_exec(pr, &argv, &out, "uname -r");
	if (!ret && out.len) {
		buf_rtrim(&out);
		fp->kernel = buf_detach(&out);
	}
	strvec_clear(&argv);
	strvec_pushl(&argv, "perf", "--version", NULL);
	buf_reset(&out);
	if (!ret) {
		ret = perfpod_exec(pr, &argv, &out, "perf --version");
		if (ret)
			ret = error_code(PG_EENV, "no usable perf in the perf pod's image '%s': choose "
					 "one that has perf with --perf-image", image);
	}
	if (!ret && out.len) {
		buf_rtrim(&out);
		fp->perf_version = buf_detach(&out);
	}
	strvec_clear(&argv);
	/* What perf may count there, and whether the node has a hardware PMU. */
	strvec_pushl(&argv, "cat", "/proc/sys/kernel/perf_event_paranoid", NULL);
	buf_reset(&out);
	if (!ret && !perfpod_exec(pr, &argv, &out, "reading perf_event_paranoid")) {
		buf_rtrim(&out);
		if (parse_int(out.buf ? out.buf : "", &fp->paranoid))
			fp->paranoid = -99;
	}
	strvec_clear(&argv);
	strvec_pushl(&argv, "perf", "stat", "-x,", "-o", "/dev/stdout", "-e", "instructions", "--",
		     "true", NULL);
	buf_reset(&out);
	if (!ret && !perfpod_exec(pr, &argv, &out, "perf's PMU probe")) {
		struct ps_result res = PS_RESULT_INIT;

		if (!ps_parse_csv(out.buf ? out.buf : "", out.len, ',', "perf's PMU probe", &res))
			fp->pmu = res.nr && res.c[0].status == PS_COUNTED;
		ps_result_release(&res);
	}
	strvec_clear(&argv);
	fp->goos = xstrdup("linux");
	if (node) {
		const char *arch = kube_str(node, "status", "nodeInfo", "architecture");

		fp->goarch = arch ? xstrdup(arch) : NULL;
	}
	buf_release(&out);
	return ret;
}

void perfpod_delete(struct perfpod_run *pr)
{
	if (!pr->name)
		return;
	if (!kube_delete_pod(pr->k, pr->ns, pr->name))
		verbose("deleted the perf pod '%s'", pr->name);
	free(pr->name);
	pr->name = NULL;
}
