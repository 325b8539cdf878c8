#ifndef PERFGO_TARGETS_H
#define PERFGO_TARGETS_H

/*
 * What `perfgo attach --pod` measures: the pod's application containers
 * (or the ones named with --container), each with its runtime's container
 * ID, and their processes as the perf pod sees them (hostPID): every PID
 * whose /proc/<pid>/cgroup names the container ID.
 *
 * Container IDs come from the cluster, so they are validated (runtime
 * "name://" and 12-128 lowercase hex digits) before use, and reach the perf
 * pod only as argv words of a fixed script (never pasted into one).
 */

#include <jansson.h>
#include <sys/types.h>

#include "util/strvec.h"

struct target_ctr {
	char *name;
	char *id;                 /* hex, without the runtime prefix */
	pid_t *pids;
	size_t npids, alloc;
};

struct targets {
	char *node;               /* spec.nodeName */
	struct target_ctr *c;
	size_t nr, alloc;
};

void targets_release(struct targets *t);

/*
 * Choose the containers of `pod` (a Pod object): the ones in `want`, or
 * when `want` is empty every running container that is not a known
 * injected sidecar (istio-proxy, linkerd-proxy, ...).  Reported errors
 * (PG_EUSAGE for a name the pod lacks, listing its containers; PG_EENV for
 * a pod not scheduled or running, a container not running, an ID that
 * fails validation).
 */
int targets_from_pod(const json_t *pod, const struct strvec *want, struct targets *t);

/* Is `name` an injected sidecar perfgo skips unless asked for it? */
int targets_is_sidecar(const char *name);

/*
 * The container ID of a containerStatuses[].containerID
 * ("containerd://<hex>", "docker://<hex>", "cri-o://<hex>"): the hex part
 * (newly allocated), or NULL when it is not of that form.
 */
char *targets_parse_id(const char *container_id);

/*
 * The fixed script run in the perf pod as `sh -c SCRIPT sh ID...`: one
 * "<id> <pid>" line per process whose cgroup file names an ID.
 */
extern const char targets_pid_script[];

/*
 * Read the script's output into each container's pids (sorted, unique).
 * Lines naming an ID not asked for, or a malformed pid, are PG_EPARSE
 * (reported).  A container with no process is PG_EENV (reported).
 */
int targets_parse_pids(struct targets *t, const char *out, size_t len);

#endif
