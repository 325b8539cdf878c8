/*
 * perfgo attach stat|profile|c2c|shell (--pod P [-n NS] [--container C]... | --node N)
 *                [--context C] [-d SECONDS] [-r N] [-e EVENT]... [--perf-image IMG]
 *                [--perf-namespace NS] [--format text|json|markdown] [--top N]
 * perfgo attach --cleanup [--context C]
 *
 * Measures running Kubernetes workloads: a privileged hostPID perf pod is
 * created on the target's node (k8s/perfpod.h), the target containers'
 * processes are found by container ID in its view of /proc
 * (k8s/targets.h), and perf runs there through `kubectl exec`, every
 * command an argv.  The perf pod is deleted on success, error, Ctrl-C and
 * SIGTERM; after a kill -9 its activeDeadlineSeconds ends it, and
 * `--cleanup` deletes any left over, found by label.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cmd/attach.h"
#include "cmd/stored_stat.h"
#include "cmd/test_c2c.h"
#include "collect/perf_stat.h"
#include "k8s/kube.h"
#include "k8s/perfpod.h"
#include "k8s/targets.h"
#include "measure/perf.h"
#include "runner/runner_impl.h"
#include "session/workspace.h"
#include "stat_report.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/parse.h"
#include "util/sig.h"
#include "util/usage.h"
#include "util/banned.h"

static const char attach_usage[] =
	"usage: perfgo attach stat|profile|c2c|shell (--pod <pod> [-n <ns>] [--container <c>]... | --node <node>)\n"
	"                    [--context <ctx>] [-d <seconds>] [-r <count>] [-e <event>]...\n"
	"                    [--perf-image <image>] [--perf-namespace <ns>] [--format <fmt>]\n"
	"   or: perfgo attach --cleanup [--context <ctx>]\n"
	"\n"
	"  stat    count events in the target's processes (node: the whole node) for\n"
	"          -d seconds, -r times; stored as a run like 'perfgo test stat'\n"
	"  c2c     record them under 'perf c2c' for -d seconds and say which cache lines\n"
	"          are falsely shared, as 'perfgo test c2c' does (alias cache-to-cache;\n"
	"          --format text, markdown or json; --top N lines)\n"
	"  profile perf record -g them for -d seconds (one -e event); a pprof file and\n"
	"          a flame graph as 'perfgo test profile' writes, symbolized with the\n"
	"          target's executables copied out of the pod\n"
	"  shell   an interactive shell in the perf pod, after printing the target PIDs\n"
	"\n"
	"A privileged hostPID pod runs perf on the target's node and is deleted at the\n"
	"end (Ctrl-C included); after a kill -9 its deadline ends it, and --cleanup\n"
	"deletes perfgo's leftover pods.  kubectl's configuration applies.\n";

/* Delete the perf pod, even after an interrupt (kube_delete_pod waits with a deadline). */
static void attach_release(struct attach *a)
{
	perfpod_delete(&a->pod);
	json_decref(a->target_pod);
	json_decref(a->node);
	targets_release(&a->t);
	free(a->target);
}

static int find_pids(struct attach *a)
{
	struct strvec argv = STRVEC_INIT;
	struct buf out = BUF_INIT;
	int ret;

	strvec_pushl(&argv, "sh", "-c", targets_pid_script, "sh", NULL);
	for (size_t i = 0; i < a->t.nr; i++)
		strvec_push(&argv, a->t.c[i].id);
	ret = perfpod_exec(&a->pod, &argv, &out, "the search for the target's processes");
	if (!ret)
		ret = targets_parse_pids(&a->t, out.buf ? out.buf : "", out.len);
	strvec_clear(&argv);
	buf_release(&out);
	return ret;
}


char *attach_pid_list(const struct attach *a)
{
	struct buf pids = BUF_INIT;

	for (size_t i = 0; a->o->pod && i < a->t.nr; i++)
		for (size_t j = 0; j < a->t.c[i].npids; j++)
			buf_addf(&pids, "%s%d", pids.len ? "," : "", (int)a->t.c[i].pids[j]);
	return buf_detach(&pids);
}

char *attach_config_json(const struct attach *a, const char *mode)
{
	const struct attach_opts *o = a->o;
	json_t *c = json_object(), *ctrs = json_array();
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < a->t.nr; i++) {
		json_t *pids = json_array();

		for (size_t j = 0; j < a->t.c[i].npids; j++)
			json_array_append_new(pids, json_integer(a->t.c[i].pids[j]));
		json_array_append_new(ctrs, json_pack("{s:s, s:s, s:o}", "name", a->t.c[i].name,
						      "id", a->t.c[i].id, "pids", pids));
	}
	json_object_set_new(c, "mode", json_str(mode));
	kube_context(&a->k, &b);
	json_object_set_new(c, "context", b.len ? json_str(b.buf) : json_null());
	buf_reset(&b);
	json_object_set_new(c, "namespace", json_str(o->pod ? o->ns : NULL));
	json_object_set_new(c, "pod", json_str(o->pod));
	json_object_set_new(c, "node", json_str(a->t.node));
	json_object_set_new(c, "containers", ctrs);
	json_object_set_new(c, "duration_s", json_integer(o->duration));
	json_object_set_new(c, "count", json_integer(o->reps));
	json_object_set_new(c, "events", json_strvec(&o->events));
	json_object_set_new(c, "perf_image", json_str(o->image));
	if (json_to_buf(&b, c, JSON_COMPACT))
		BUG("out of memory serializing JSON");
	json_decref(c);
	return buf_detach(&b);
}

/* One window of -d seconds: perf stat on the target's PIDs (or the node) in the perf pod. */
static int stat_window(struct attach *a, const struct strvec *events, struct ps_result *res)
{
	struct strvec argv = STRVEC_INIT;
	struct buf out = BUF_INIT;
	char *pids = attach_pid_list(a);
	int ret;

	strvec_pushl(&argv, "perf", "stat", "-x,", "-o", "/dev/stdout", NULL);
	for (size_t i = 0; i < events->nr; i++)
		strvec_pushl(&argv, "-e", events->v[i], NULL);
	if (a->o->pod) {
		strvec_pushl(&argv, "-p", pids, NULL);
	} else {
		strvec_push(&argv, "-a");
	}
	strvec_pushl(&argv, "--", "sleep", NULL);
	strvec_pushf(&argv, "%d", a->o->duration);
	ret = perfpod_exec(&a->pod, &argv, &out, "perf stat");
	if (!ret)
		ret = ps_parse_csv(out.buf ? out.buf : "", out.len, ',', "perf stat in the perf pod", res);
	strvec_clear(&argv);
	buf_release(&out);
	free(pids);
	return ret;
}

/* Counters per second of the window, stored as one repetition. */
static int store_window(struct store *st, const char *run_id, int64_t bench_id, int rep,
			const struct ps_result *res, int duration)
{
	struct sample_row *rows = xcalloc(res->nr ? res->nr : 1, sizeof(*rows));
	struct strvec names = STRVEC_INIT;
	size_t n = 0;
	int ret, any_counted = 0;

	for (size_t i = 0; i < res->nr; i++)
		any_counted |= res->c[i].status == PS_COUNTED;
	for (size_t i = 0; i < res->nr; i++) {
		const struct ps_counter *c = &res->c[i];

		/*
		 * A target that never ran in the window leaves every counter
		 * "<not counted>": it counted nothing.  Otherwise a counter not
		 * counted could not be scheduled, and has no value.
		 */
		if (c->status == PS_NOT_SUPPORTED || (c->status == PS_NOT_COUNTED && any_counted))
			continue;
		rows[n].bench_id = bench_id;
		if (!strcmp(c->unit, "msec")) {
			/* task-clock, cpu-clock: CPU time per second is CPUs busy. */
			strvec_pushf(&names, "%s-cpus", c->event);
			rows[n].unit = "CPUs";
			rows[n].value = c->value / 1000.0 / duration;
		} else {
			strvec_pushf(&names, "%s/s", c->event);
			rows[n].unit = *c->unit ? c->unit : "count";
			rows[n].value = c->value / duration;
		}
		rows[n].metric = names.v[names.nr - 1];
		rows[n].rep = rep;
		rows[n].iterations = 1;
		rows[n].running = c->status == PS_COUNTED ? c->pct_running / 100.0 : 1.0;
		rows[n].flags = c->status == PS_COUNTED && c->pct_running < 100.0 ?
			SAMPLE_MULTIPLEXED : 0;
		n++;
	}
	ret = n ? store_add_samples(st, run_id, rows, n) :
		error_code(PG_EENV, "perf counted none of the events in the perf pod");
	strvec_clear(&names);
	free(rows);
	return ret;
}

static int report(struct workspace *ws, const char *run_id, const char *format)
{
	struct stored_stat s = STORED_STAT_INIT;
	struct buf out = BUF_INIT;
	int ret = stored_stat_load(ws->st, run_id, &s);

	if (!ret) {
		if (!strcmp(format, "json"))
			stat_report_json(&out, &s.r);
		else
			stat_report_text(&out, &s.r);
		fwrite(out.buf, 1, out.len, stdout);
	}
	stored_stat_release(&s);
	buf_release(&out);
	return ret;
}

static int do_stat(struct attach *a, const struct ctx *ctx)
{
	struct workspace ws;
	struct fingerprint fp;
	struct run_info ri = { 0 };
	struct strvec events = STRVEC_INIT;
	char *cfg = NULL, *argv_json = NULL, *bench = NULL;
	int64_t bench_id = 0;
	int ret, begun = 0;

	memset(&ws, 0, sizeof(ws));
	memset(&fp, 0, sizeof(fp));
	ret = perfpod_probe(&a->pod, a->node, a->o->image, &fp);
	if (!ret)
		ret = workspace_open_user(&ws);
	if (!ret)
		ret = store_fingerprint(ws.st, &fp, &ri.fingerprint_id);
	if (ret)
		goto out;
	if (a->o->events.nr)
		strvec_pushv(&events, a->o->events.v);
	else
		strvec_pushl(&events, "task-clock", "context-switches", "cpu-migrations",
			     "page-faults", "cycles", "instructions", "branches", "branch-misses",
			     NULL);
	cfg = attach_config_json(a, "attach stat");
	argv_json = cli_argv_json(ctx);
	ri.command = "attach stat";
	ri.argv_json = argv_json;
	ri.workdir = ws.workdir;
	ri.packages = a->target;
	ri.config_json = cfg;
	ret = store_run_begin(ws.st, &ri);
	if (ret)
		goto out;
	begun = 1;
	{
		struct buf name = BUF_INIT;

		if (a->o->pod)
			for (size_t i = 0; i < a->t.nr; i++)
				buf_addf(&name, "%s%s", i ? "+" : "", a->t.c[i].name);
		else
			buf_addstr(&name, "node");
		bench = buf_detach(&name);
	}
	ret = store_benchmark_id(ws.st, a->target, bench, &bench_id);
	for (int rep = 0; !ret && rep < a->o->reps; rep++) {
		struct ps_result res = PS_RESULT_INIT;

		note("counting %s for %d s (%d/%d)", a->target, a->o->duration, rep + 1, a->o->reps);
		ret = stat_window(a, &events, &res);
		if (!ret && !rep)
			for (size_t i = 0; i < res.nr && !ret; i++)
				ret = store_add_event(ws.st, ri.id, res.c[i].event,
						      res.c[i].status == PS_COUNTED ? EVENT_COUNTED :
						      res.c[i].status == PS_NOT_SUPPORTED ?
						      EVENT_UNSUPPORTED : EVENT_NOT_COUNTED);
		if (!ret)
			ret = store_window(ws.st, ri.id, bench_id, rep, &res, a->o->duration);
		ps_result_release(&res);
	}
	if (!ret)
		ret = report(&ws, ri.id, a->o->format);
out:
	if (begun)
		store_run_finish(ws.st, ri.id, !ret ? RUN_OK : ret == PG_EINTR ? RUN_INTERRUPTED :
				 RUN_FAILED, exit_code_for(ret), 0);
	fingerprint_release(&fp);
	workspace_close(&ws);
	strvec_clear(&events);
	free(cfg);
	free(argv_json);
	free(bench);
	return ret;
}

static int do_shell(struct attach *a)
{
	struct strvec argv = STRVEC_INIT;
	int code;

	printf("perf pod '%s' in namespace '%s' on node '%s'\n", a->pod.name, a->pod.ns, a->t.node);
	for (size_t i = 0; i < a->t.nr; i++) {
		printf("container '%s':", a->t.c[i].name);
		for (size_t j = 0; j < a->t.c[i].npids; j++)
			printf(" %d", (int)a->t.c[i].pids[j]);
		printf("\n");
	}
	fflush(stdout);
	strvec_push(&argv, "sh");
	code = kube_exec(&a->k, a->pod.ns, a->pod.name, PERFPOD_CONTAINER, &argv, 1, NULL, NULL);
	strvec_clear(&argv);
	return code < 0 ? code : 0;
}

static int do_cleanup(struct attach *a)
{
	json_t *list = NULL, *p;
	size_t i, n = 0;
	int ret = kube_list_pods(&a->k, PERFPOD_LABEL "=" PERFPOD_LABEL_VALUE, &list);

	json_array_foreach(json_object_get(list, "items"), i, p) {
		const char *ns = kube_str(p, "metadata", "namespace", NULL);
		const char *name = kube_str(p, "metadata", "name", NULL);

		if (ret || !ns || !name)
			continue;
		ret = kube_delete_pod(&a->k, ns, name);
		if (!ret) {
			printf("deleted pod '%s' in namespace '%s'\n", name, ns);
			n++;
		}
	}
	if (!ret && !n)
		note("no perf pods of perfgo's left");
	json_decref(list);
	return ret;
}

static int check_opts(struct attach_opts *o, const struct strvec *rest)
{
	if (o->cleanup)
		return rest->nr ? error_code(PG_EUSAGE, "'--cleanup' takes no mode") : 0;
	if (rest->nr != 1)
		return error_code(PG_EUSAGE, rest->nr ? "unexpected argument '%s'" :
				  "name a mode: stat, profile, c2c or shell%s", rest->nr ? rest->v[1] : "");
	o->mode = rest->v[0];
	if (!strcmp(o->mode, "cache-to-cache"))
		o->mode = "c2c";
	if (strcmp(o->mode, "stat") && strcmp(o->mode, "c2c") && strcmp(o->mode, "profile") &&
	    strcmp(o->mode, "shell"))
		return error_code(PG_EUSAGE, "unknown attach mode '%s': use stat, profile, c2c or "
				  "shell", o->mode);
	if (o->reps < 0)
		o->reps = !strcmp(o->mode, "c2c") || !strcmp(o->mode, "profile") ? 1 : 5;
	if (!strcmp(o->mode, "c2c") && (o->reps != 1 || o->events.nr))
		return error_code(PG_EUSAGE, "'%s' goes with 'attach stat': 'attach c2c' records "
				  "once, with perf c2c's memory events", o->events.nr ? "-e" : "-r");
	if (!strcmp(o->mode, "profile") && (o->reps != 1 || o->events.nr > 1))
		return error_code(PG_EUSAGE, "'attach profile' records once, one event: %s",
				  o->reps != 1 ? "'-r' goes with 'attach stat'" : "one '-e'");
	if (strcmp(o->mode, "c2c") && o->top >= 0)
		return error_code(PG_EUSAGE, "'--top' goes with 'attach c2c'");
	if (o->top < 0)
		o->top = 10;
	if (!o->pod == !o->node)
		return error_code(PG_EUSAGE, "name the target with exactly one of --pod and --node");
	if (o->node && o->containers.nr)
		return error_code(PG_EUSAGE, "'--container' needs --pod");
	if (o->pod && !perfpod_is_subdomain(o->pod))
		return error_code(PG_EUSAGE, "'%s' is not a pod name", o->pod);
	if (o->node && !perfpod_is_subdomain(o->node))
		return error_code(PG_EUSAGE, "'%s' is not a node name", o->node);
	for (size_t i = 0; i < o->containers.nr; i++)
		if (!perfpod_is_label(o->containers.v[i]))
			return error_code(PG_EUSAGE, "'%s' is not a container name",
					  o->containers.v[i]);
	if (!perfpod_is_label(o->ns))
		return error_code(PG_EUSAGE, "'%s' is not a namespace name", o->ns);
	if (o->perf_ns && !perfpod_is_label(o->perf_ns))
		return error_code(PG_EUSAGE, "'%s' is not a namespace name", o->perf_ns);
	if (o->duration < 1 || o->duration > 86400)
		return error_code(PG_EUSAGE, "'-d' needs 1 to 86400 seconds");
	if (o->reps < 1 || o->reps > 1000)
		return error_code(PG_EUSAGE, "'-r' needs a count from 1 to 1000");
	if (o->timeout < 1)
		return error_code(PG_EUSAGE, "'--timeout' needs a positive number of seconds");
	if (!strcmp(o->mode, "c2c"))
		return c2c_check_format(o->format);
	if (!strcmp(o->mode, "profile") && strcmp(o->format, "text"))
		return error_code(PG_EUSAGE, "'attach profile' writes pprof files: no '--format'");
	if (strcmp(o->format, "text") && strcmp(o->format, "json"))
		return error_code(PG_EUSAGE, "unknown format '%s': use text or json", o->format);
	return 0;
}

/* The target: the pod (and its node) or the node. */
static int resolve(struct attach *a)
{
	const struct attach_opts *o = a->o;
	struct buf t = BUF_INIT;
	int ret;

	if (o->pod) {
		buf_addf(&t, "%s/%s", o->ns, o->pod);
		a->target = buf_detach(&t);
		ret = kube_get(&a->k, o->ns, "pod", o->pod, &a->target_pod);
		if (ret == PG_ENOTFOUND)
			return error_code(PG_EUSAGE, "no pod '%s' in namespace '%s'", o->pod, o->ns);
		if (!ret)
			ret = targets_from_pod(a->target_pod, &o->containers, &a->t);
		if (ret)
			return ret;
	} else {
		buf_addf(&t, "node/%s", o->node);
		a->target = buf_detach(&t);
		a->t.node = xstrdup(o->node);
	}
	ret = kube_get(&a->k, NULL, "node", a->t.node, &a->node);
	if (ret == PG_ENOTFOUND && o->node)
		return error_code(PG_EUSAGE, "no node '%s' in the cluster", o->node);
	if (ret) {
		/* Without read access to nodes: no tolerations, said once. */
		warning("cannot read node '%s' for its taints; the perf pod tolerates none",
			a->t.node);
		a->node = NULL;
	}
	return 0;
}

int cmd_attach(int argc, const char **argv, struct ctx *ctx)
{
	struct attach_opts o = { 0 };
	struct attach a;
	struct opt opts[] = {
		OPT_STR_("pod", 0, &o.pod, "<pod>", "the pod to measure"),
		OPT_STR_("namespace", 'n', &o.ns, "<ns>", "its namespace (default: default)"),
		OPT_LIST_("container", 0, &o.containers, "<c>", "measure this container (repeatable)"),
		OPT_STR_("node", 0, &o.node, "<node>", "measure a whole node"),
		OPT_STR_("context", 0, &o.context, "<ctx>", "the kubeconfig context"),
		OPT_INT_("duration", 'd', &o.duration, "<seconds>", "length of each count (default 10)"),
		OPT_INT_("repeat", 'r', &o.reps, "<count>", "counts in a row (default 5)"),
		OPT_LIST_("event", 'e', &o.events, "<event>", "perf event (repeatable)"),
		OPT_STR_("perf-image", 0, &o.image, "<image>", "image with perf (default " PERFPOD_IMAGE ")"),
		OPT_STR_("perf-namespace", 0, &o.perf_ns, "<ns>", "where the perf pod runs"),
		OPT_INT_("timeout", 0, &o.timeout, "<seconds>", "wait for the perf pod (default 120)"),
		OPT_STR_("format", 0, &o.format, "<fmt>", "text or json (c2c: or markdown)"),
		OPT_INT_("top", 0, &o.top, "<n>", "c2c: cache lines shown (0: all; default 10)"),
		OPT_BOOL_("cleanup", 0, &o.cleanup, "delete perfgo's leftover perf pods"),
		OPT_END_()
	};
	struct strvec rest = STRVEC_INIT;
	int ret;

	memset(&a, 0, sizeof(a));
	o.ns = "default";
	o.image = PERFPOD_IMAGE;
	o.format = "text";
	o.duration = 10;
	o.reps = -1;              /* c2c: 1, else 5 */
	o.top = -1;
	o.timeout = 120;
	ret = cli_parse("attach", attach_usage, opts, argc - 1, argv + 1, 0, &rest);
	if (ret) {
		ret = ret > 0 ? EXIT_OK : EXIT_USAGE;
		goto out;
	}
	ret = check_opts(&o, &rest);
	if (ret) {
		cli_hint("attach");
		ret = EXIT_USAGE;
		goto out;
	}
	if (sig_setup()) {
		ret = EXIT_ENV;
		goto out;
	}
	a.o = &o;
	kube_init(&a.k, o.context);
	if (o.cleanup) {
		ret = exit_code_for(do_cleanup(&a));
		goto out;
	}
	ret = resolve(&a);
	if (!ret) {
		struct perfpod_spec sp = { 0 };

		a.pod.k = &a.k;
		a.pod.ns = o.perf_ns ? o.perf_ns : o.ns;
		a.pod.node = a.t.node;
		sp.target = a.target;
		sp.image = o.image;
		/* The backstop: the whole measurement, the wait, and a margin. */
		sp.deadline = o.duration * o.reps + o.timeout + 120 +
			(strcmp(o.mode, "stat") ? 300 : 0);  /* copies, the report/script */
		sp.taints = a.node ? json_object_get(json_object_get(a.node, "spec"), "taints") : NULL;
		ret = perfpod_create(&a.pod, &sp);
	}
	if (!ret)
		ret = perfpod_wait(&a.pod, o.timeout);
	if (!ret && o.pod)
		ret = find_pids(&a);
	if (!ret)
		ret = !strcmp(o.mode, "stat") ? do_stat(&a, ctx) :
			!strcmp(o.mode, "c2c") ? attach_c2c(&a, ctx) :
			!strcmp(o.mode, "profile") ? attach_profile(&a, ctx) : do_shell(&a);
	ret = exit_code_for(ret);
out:
	attach_release(&a);
	strvec_clear(&rest);
	strvec_clear(&o.containers);
	strvec_clear(&o.events);
	return ret;
}
