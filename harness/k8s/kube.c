/* kubectl as the way to a cluster; see kube.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "k8s/kube.h"
#include "util/clock.h"
#include "util/io.h"
#include "util/json.h"
#include "util/proc.h"
#include "util/usage.h"
#include "util/banned.h"

void kube_init(struct kube *k, const char *context)
{
	const char *prog = getenv("PERFGO_KUBECTL");

	k->kubectl = prog && *prog ? prog : "kubectl";
	k->context = context;
}

void kube_argv(const struct kube *k, struct strvec *argv)
{
	strvec_push(argv, k->kubectl);
	/* One word, so that a context named like an option stays a value. */
	if (k->context)
		strvec_pushf(argv, "--context=%s", k->context);
}

void kube_last_line(const struct buf *err, struct buf *line)
{
	const char *s = err->buf ? err->buf : "";
	size_t end = err->len;

	buf_reset(line);
	while (end > 0) {
		size_t start = end;

		while (start > 0 && s[start - 1] != '\n')
			start--;
		while (start < end && (s[start] == ' ' || s[start] == '\t'))
			start++;
		if (end > start && s[end - 1] == '\n')
			end--;
		if (end > start) {
			buf_add(line, s + start, end - start);
			return;
		}
		end = start ? start - 1 : 0;
	}
	buf_addstr(line, "(no message)");
}

/* Run kubectl with `args` after the base argv; stdin from `in_fd` (-1: none). */
static int run(const struct kube *k, const char *const *args, int in_fd, struct buf *out,
	       struct buf *err)
{
	struct proc p;
	int code;

	proc_init(&p);
	kube_argv(k, &p.args);
	for (size_t i = 0; args[i]; i++)
		strvec_push(&p.args, args[i]);
	if (in_fd >= 0)
		p.in = in_fd;
	code = proc_capture(&p, out, err);
	proc_release(&p);
	if (code == 127)
		return error_code(PG_EENV, "cannot run '%s': install kubectl or set PERFGO_KUBECTL",
				  k->kubectl);
	return code;
}

void kube_context(const struct kube *k, struct buf *out)
{
	const char *args[] = { "config", "current-context", NULL };
	struct buf e = BUF_INIT;

	buf_reset(out);
	if (k->context) {
		buf_addstr(out, k->context);
		return;
	}
	if (run(k, args, -1, out, &e))
		buf_reset(out);
	buf_rtrim(out);
	buf_release(&e);
}

static int not_found(const struct buf *err)
{
	return err->buf && strstr(err->buf, "(NotFound)");
}

static int parse_json(const struct buf *out, const char *what, json_t **obj)
{
	json_error_t je;

	*obj = json_loadb(out->buf ? out->buf : "", out->len, 0, &je);
	if (!*obj)
		return error_code(PG_EENV, "kubectl printed no JSON for %s: %s", what, je.text);
	return 0;
}

int kube_get(const struct kube *k, const char *ns, const char *kind, const char *name,
	     json_t **out)
{
	const char *args[] = { "get", kind, name, "-o", "json", ns ? "-n" : NULL, ns, NULL };
	struct buf o = BUF_INIT, e = BUF_INIT, line = BUF_INIT;
	int code;

	*out = NULL;
	code = run(k, args, -1, &o, &e);
	if (code > 0 && not_found(&e)) {
		code = PG_ENOTFOUND;
	} else if (code > 0) {
		kube_last_line(&e, &line);
		code = error_code(PG_EENV, "kubectl get %s '%s' failed: %s", kind, name, line.buf);
	} else if (!code) {
		struct buf what = BUF_INIT;

		buf_addf(&what, "%s '%s'", kind, name);
		code = parse_json(&o, what.buf, out);
		buf_release(&what);
	}
	buf_release(&o);
	buf_release(&e);
	buf_release(&line);
	return code;
}

int kube_list_pods(const struct kube *k, const char *selector, json_t **out)
{
	const char *args[] = { "get", "pods", "-A", "-l", selector, "-o", "json", NULL };
	struct buf o = BUF_INIT, e = BUF_INIT, line = BUF_INIT;
	int code;

	*out = NULL;
	code = run(k, args, -1, &o, &e);
	if (code > 0) {
		kube_last_line(&e, &line);
		code = error_code(PG_EENV, "kubectl could not list pods: %s", line.buf);
	} else if (!code) {
		code = parse_json(&o, "the pod list", out);
	}
	buf_release(&o);
	buf_release(&e);
	buf_release(&line);
	return code;
}

int kube_create(const struct kube *k, const char *ns, const char *resource,
		const json_t *obj, struct buf *why)
{
	struct buf path = BUF_INIT, body = BUF_INIT, o = BUF_INIT, e = BUF_INIT;
	const char *tmp = getenv("TMPDIR");
	struct buf tmpl = BUF_INIT;
	int fd = -1, code;

	/* Namespaces and resources are DNS labels (checked by the caller): no escaping needed. */
	buf_addf(&path, "/api/v1/namespaces/%s/%s?fieldValidation=Strict", ns, resource);
	if (json_to_buf(&body, obj, JSON_COMPACT))
		BUG("out of memory serializing JSON");
	/* An unlinked file as kubectl's stdin: nothing on disk, no pipe to pump. */
	buf_addf(&tmpl, "%s/perfgo-manifest-XXXXXX", tmp && *tmp == '/' ? tmp : "/tmp");
	fd = mkostemp(tmpl.buf, O_CLOEXEC);
	if (fd < 0) {
		code = error("cannot create a temporary file in '%s': %s", tmpl.buf, strerror(errno));
		goto out;
	}
	unlink(tmpl.buf);
	if (write_all(fd, body.buf, body.len) || lseek(fd, 0, SEEK_SET) < 0) {
		code = error("cannot write a temporary file: %s", strerror(errno));
		goto out;
	}
	{
		const char *args[] = { "create", "--raw", path.buf, "-f", "-", NULL };

		code = run(k, args, fd, &o, &e);
	}
	if (code > 0) {
		kube_last_line(&e, why);
		code = PG_EENV;
	}
out:
	if (fd >= 0)
		close(fd);
	buf_release(&tmpl);
	buf_release(&path);
	buf_release(&body);
	buf_release(&o);
	buf_release(&e);
	return code;
}

/*
 * Deleting runs on the way out, after Ctrl-C too: it waits for kubectl
 * itself (up to DELETE_WAIT_MS), whatever signal is pending.
 */
#define DELETE_WAIT_MS 30000

int kube_delete_pod(const struct kube *k, const char *ns, const char *name)
{
	struct buf e = BUF_INIT, line = BUF_INIT;
	int64_t deadline = clock_mono_ms() + DELETE_WAIT_MS;
	struct proc p;
	int st, code = -1;

	proc_init(&p);
	kube_argv(k, &p.args);
	strvec_pushl(&p.args, "delete", "pod", name, "-n", ns, "--wait=false", "--ignore-not-found",
		     NULL);
	p.out = PROC_NULL;
	p.err = PROC_PIPE;
	if (proc_start(&p))
		goto out;
	for (;;) {
		pid_t w = waitpid(p.pid, &st, WNOHANG);

		if (w == p.pid) {
			p.pid = 0;
			code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			break;
		}
		if ((w < 0 && errno != EINTR) || clock_mono_ms() > deadline) {
			proc_kill(&p);
			break;
		}
		poll(NULL, 0, 50);
	}
	/* kubectl's few lines of stderr fit the pipe: read them now. */
	for (;;) {
		char chunk[4096];
		ssize_t r = read(p.err_fd, chunk, sizeof(chunk));

		if (r <= 0)
			break;
		buf_add(&e, chunk, (size_t)r);
	}
out:
	proc_release(&p);
	if (code) {
		kube_last_line(&e, &line);
		code = error_code(PG_EENV, "cannot delete the perf pod '%s' in '%s': %s; its deadline "
				  "will end it, or run 'perfgo attach --cleanup'", name, ns,
				  code < 0 ? "kubectl did not finish" : line.buf);
	}
	buf_release(&e);
	buf_release(&line);
	return code;
}

int kube_exec(const struct kube *k, const char *ns, const char *pod, const char *container,
	      const struct strvec *argv, int tty, struct buf *out, struct buf *err)
{
	struct proc p;
	int code;

	proc_init(&p);
	kube_argv(k, &p.args);
	strvec_pushl(&p.args, "exec", "-n", ns, pod, "-c", container, NULL);
	if (tty)
		strvec_pushl(&p.args, "-i", "-t", NULL);
	strvec_push(&p.args, "--");
	strvec_pushv(&p.args, argv->v);
	if (tty) {
		/* An interactive shell keeps the terminal: no new process group. */
		p.in = p.out = p.err = PROC_INHERIT;
		p.flags &= ~PROC_NEW_PGRP;
		code = proc_start(&p);
		if (!code)
			code = proc_wait(&p);
	} else {
		code = proc_capture(&p, out, err);
	}
	proc_release(&p);
	if (code == 127)
		return error_code(PG_EENV, "cannot run '%s': install kubectl or set PERFGO_KUBECTL",
				  k->kubectl);
	return code;
}

const char *kube_str(const json_t *o, const char *k1, const char *k2, const char *k3)
{
	const char *keys[] = { k1, k2, k3 };

	for (size_t i = 0; i < 3 && keys[i] && o; i++)
		o = json_object_get(o, keys[i]);
	return o && json_is_string(o) ? json_string_value(o) : NULL;
}
