#ifndef PERFGO_ATTACH_H
#define PERFGO_ATTACH_H

/*
 * What cmd_attach.c shares with its modes in other files (attach_c2c.c):
 * the options and the perf pod's life.  cmd_attach.c resolves the target,
 * creates the perf pod, finds the target's PIDs, hands over to the mode,
 * and deletes the pod on every way out.
 */

#include "cli/cli.h"
#include "k8s/kube.h"
#include "k8s/perfpod.h"
#include "k8s/targets.h"
#include "util/strvec.h"

struct attach_opts {
	const char *mode;
	const char *pod, *ns, *node, *context, *image, *perf_ns, *format;
	struct strvec containers, events;
	int duration, reps, timeout, cleanup, top;
};

struct attach {
	struct attach_opts *o;
	struct kube k;
	json_t *target_pod, *node;
	struct targets t;
	char *target;             /* "ns/pod" or "node/<name>" */
	struct perfpod_run pod;   /* the perf pod */
};

/* The run's configuration JSON, "mode" being `mode` ("attach stat", ...). */
char *attach_config_json(const struct attach *a, const char *mode);
/* The target's PIDs as perf's -p wants them ("12,13"); "" in node mode. */
char *attach_pid_list(const struct attach *a);

/*
 * perfgo attach c2c (attach_c2c.c): perf c2c record in the perf pod for -d
 * seconds, its report brought back, analysed and stored as `perfgo test
 * c2c` does.  0 or a PG_E* code (reported).
 */
int attach_c2c(struct attach *a, const struct ctx *ctx);

#endif
