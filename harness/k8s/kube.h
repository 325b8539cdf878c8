#ifndef PERFGO_KUBE_H
#define PERFGO_KUBE_H

/*
 * Talking to a Kubernetes cluster through the user's kubectl, so that the
 * kubeconfig, its context, credentials and auth plugins all apply.  Every
 * call is an argv (util/proc.h); objects perfgo sends are built with the
 * JSON library and fed to kubectl on stdin; objects it reads are parsed
 * from `-o json`.  Nothing from the cluster is ever put into a shell
 * string.
 *
 * Errors: kubectl's own last line is quoted in a one-line perfgo error
 * (PG_EENV); an object that does not exist is PG_ENOTFOUND, not reported.
 */

#include <jansson.h>

#include "util/buf.h"
#include "util/strvec.h"

struct kube {
	const char *kubectl;      /* the program: $PERFGO_KUBECTL or "kubectl" */
	const char *context;      /* --context, or NULL: the current context */
};

void kube_init(struct kube *k, const char *context);

/* `kubectl [--context C] <args...>` as an argv. */
void kube_argv(const struct kube *k, struct strvec *argv);

/* `kubectl get <kind> <name> -n <ns> -o json` (ns NULL: cluster-scoped). */
int kube_get(const struct kube *k, const char *ns, const char *kind, const char *name,
	     json_t **out);

/* Pods with label `selector` in every namespace (`get pods -A -l`): a PodList. */
int kube_list_pods(const struct kube *k, const char *selector, json_t **out);

/*
 * Create `obj` in namespace `ns` by POSTing it (`create --raw` on the
 * collection, fed on stdin) with strict server-side field validation.
 * `what` names it in errors.  The refusal's reason and message, when the
 * server gave one ("Forbidden", "pods ... is forbidden: violates
 * PodSecurity ..."), go to `why` for the caller's message; then the return
 * is PG_EENV, not reported.
 */
int kube_create(const struct kube *k, const char *ns, const char *resource,
		const json_t *obj, struct buf *why);

/* Delete a pod without waiting; a pod already gone is no error. */
int kube_delete_pod(const struct kube *k, const char *ns, const char *name);

/*
 * Run argv in a pod's container (`kubectl exec -n NS POD -c C -- argv`):
 * stdout into `out` (NULL: inherit), stderr into `err` (NULL: inherit).
 * Returns the command's exit status (kubectl passes it on), PG_EINTR, or
 * PG_EENV when kubectl itself could not run.
 */
int kube_exec(const struct kube *k, const char *ns, const char *pod, const char *container,
	      const struct strvec *argv, int tty, struct buf *out, struct buf *err);

/*
 * The context kubectl uses: --context, else `kubectl config current-context`
 * into `out` ("" when kubectl cannot say).
 */
void kube_context(const struct kube *k, struct buf *out);

/* The last non-empty line of kubectl's stderr, trimmed, for messages. */
void kube_last_line(const struct buf *err, struct buf *line);

/* A string member or NULL (jansson helpers over a path of keys). */
const char *kube_str(const json_t *o, const char *k1, const char *k2, const char *k3);

#endif
