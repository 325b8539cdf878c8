#ifndef PERFGO_PERFPOD_H
#define PERFGO_PERFPOD_H

/*
 * The perf pod: one privileged hostPID pod on the target's node, from which
 * perf sees the target's processes.  Its manifest is a JSON object built
 * here (never pasted text): labels that find it again, a DNS-1123 name
 * derived from the target, activeDeadlineSeconds as a backstop should
 * perfgo die without deleting it (kill -9), tolerations for the node's
 * taints, no service-account token, resource requests, and a container
 * that only sleeps until the deadline.
 */

#include <jansson.h>

#include "k8s/kube.h"
#include "runner/fingerprint.h"
#include "util/buf.h"

#define PERFPOD_LABEL "app.kubernetes.io/managed-by"
#define PERFPOD_LABEL_VALUE "perfgo"
#define PERFPOD_CONTAINER "perf"
/* The default image: Debian with perf, as on these machines. */
#define PERFPOD_IMAGE "debian:bookworm"

struct perfpod_spec {
	const char *target;       /* "ns/pod" or "node/<name>": names the pod */
	const char *ns;           /* where the perf pod is created */
	const char *node;         /* the node it must run on */
	const char *image;
	int deadline;             /* seconds: activeDeadlineSeconds and the sleep */
	const json_t *taints;     /* the node's spec.taints, or NULL */
};

/*
 * A pod name for `target`: "perfgo-" and the target lowered to [a-z0-9-]
 * (dots, slashes, underscores become '-'), cut so that with "-<suffix>" it
 * is at most 63 characters, never ending in '-'.
 */
void perfpod_name(struct buf *out, const char *target, const char *suffix);

/* Is `s` a DNS-1123 label (namespaces, pod names perfgo makes)? */
int perfpod_is_label(const char *s);
/*
 * Is `s` a DNS-1123 subdomain (pod and node names: labels joined by dots,
 * at most 253 characters)?  Never starts with '-', so never an option to
 * kubectl.
 */
int perfpod_is_subdomain(const char *s);

/* The Pod object (new reference). */
json_t *perfpod_manifest(const struct perfpod_spec *sp, const char *name);

/*
 * Why the perf pod cannot run, from its JSON: the first of an image pull
 * failure, a scheduling failure, a container that could not be created, or
 * the pod having ended; 0 when none (still pending, or running).  `why`
 * gets "ErrImagePull: <message>" and the like.  *running is set when its
 * container runs.
 */
int perfpod_state(const json_t *pod, struct buf *why, int *running);

/*
 * A perf pod while perfgo uses it (perfpod_run.c).  Set k, ns and node;
 * perfpod_create() fills `name`, and from then on perfpod_delete() must
 * run on every way out (it works after Ctrl-C too).
 */
struct perfpod_run {
	struct kube *k;
	const char *ns;           /* the perf pod's namespace */
	const char *node;
	char *name;               /* once created */
};

/*
 * Create the pod from `spec` (its ns and node are pr's), named after
 * spec->target with a random suffix.  A refusal is reported with its
 * reason (PodSecurity: the namespace and --perf-namespace).
 */
int perfpod_create(struct perfpod_run *pr, const struct perfpod_spec *spec);
/* Until its container runs, it fails (perfpod_state), `timeout` s pass, or a signal. */
int perfpod_wait(struct perfpod_run *pr, int timeout);
/* Run argv in the perf container; stdout into `out`; a failure names `what`. */
int perfpod_exec(struct perfpod_run *pr, const struct strvec *argv, struct buf *out,
		 const char *what);
/*
 * The node's facts as the perf pod sees them: CPU, cores, kernel, perf's
 * version (none: an error naming --perf-image), perf_event_paranoid, PMU,
 * and the architecture from `node` (a Node object or NULL).
 */
int perfpod_probe(struct perfpod_run *pr, const json_t *node, const char *image,
		  struct fingerprint *fp);
/* Delete it (if created) and forget its name. */
void perfpod_delete(struct perfpod_run *pr);

#endif
