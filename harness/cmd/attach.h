#ifndef PERFGO_ATTACH_H
#define PERFGO_ATTACH_H

/*
 * What cmd_attach.c shares with its modes in other files (attach_c2c.c):
 * the options and the perf pod's life.  cmd_attach.c resolves the target,
 * creates the perf pod, finds the target's PIDs, hands over to the mode,
 * and deletes the pod on every way out.
 */

#include "cli/cli.h"
#include "session/workspace.h"
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
 * Copy /proc/<pid>/exe out of the perf pod (checked whole) and keep it once
 * by content as <store>/binaries/<sha256>/<name>, an artifact of run
 * `run_id`: `link` gets where it points (the path in the target's mount
 * namespace), `path` the kept file.  A process whose executable cannot be
 * read is a warning and `path` stays empty.  0, PG_EINTR or PG_EENV.
 */
int attach_copy_exe(struct attach *a, struct workspace *ws, const char *run_id, int pid,
		    const char *container, struct buf *link, struct buf *path);

/*
 * perfgo attach c2c (attach_c2c.c): perf c2c record in the perf pod for -d
 * seconds, its report brought back, analysed and stored as `perfgo test
 * c2c` does.  0 or a PG_E* code (reported).
 */
int attach_c2c(struct attach *a, const struct ctx *ctx);

/*
 * perfgo attach profile (attach_profile.c): perf record -g in the perf pod
 * for -d seconds, perf script there, converted to pprof and a flame graph
 * as `perfgo test profile` does, symbolized with the target's executables.
 */
int attach_profile(struct attach *a, const struct ctx *ctx);

#endif
