/* k8s/: the perf pod's name, manifest and state; choosing targets; the PID search. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common.h"
#include "k8s/kube.h"
#include "k8s/perfpod.h"
#include "k8s/targets.h"
#include "util/usage.h"

static void test_name(void **state)
{
	static const struct { const char *target, *want; } t[] = {
		{ "shop/web-1", "perfgo-shop-web-1-abc123" },
		{ "node/Node-1.Example.COM", "perfgo-node-node-1-example-com-abc123" },
		{ "ns/a__b..c", "perfgo-ns-a-b-c-abc123" },
		{ "ns/-x-", "perfgo-ns-x-abc123" },
	};
	const char *long_target =
		"default/p123456789-123456789-123456789-123456789-123456789-123456789";

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		struct buf b = BUF_INIT;

		perfpod_name(&b, t[i].target, "abc123");
		assert_string_equal(b.buf, t[i].want);
		assert_true(perfpod_is_label(b.buf));
		buf_release(&b);
	}
	{
		struct buf b = BUF_INIT;

		perfpod_name(&b, long_target, "abc123");
		assert_true(b.len <= 63);
		assert_true(perfpod_is_label(b.buf));
		assert_true(!strncmp(b.buf, "perfgo-default-p123456789-", 26));
		assert_string_equal(b.buf + b.len - 7, "-abc123");
		buf_release(&b);
	}
	assert_false(perfpod_is_label(""));
	assert_false(perfpod_is_label("-a"));
	assert_false(perfpod_is_label("a-"));
	assert_false(perfpod_is_label("A"));
	assert_false(perfpod_is_label("a.b"));
	assert_false(perfpod_is_label("a1234567890123456789012345678901234567890123456789012345678901234"));
	assert_true(perfpod_is_label("kube-system"));
	assert_true(perfpod_is_subdomain("node-1.example.com"));
	assert_true(perfpod_is_subdomain("web-1"));
	assert_false(perfpod_is_subdomain("--kubeconfig=/tmp/x"));
	assert_false(perfpod_is_subdomain("-x"));
	assert_false(perfpod_is_subdomain("a..b"));
	assert_false(perfpod_is_subdomain("a."));
	assert_false(perfpod_is_subdomain(".a"));
	assert_false(perfpod_is_subdomain("Web-1"));
	assert_false(perfpod_is_subdomain(""));
}

static void test_manifest(void **state)
{
	json_t *taints = json_loads("[{\"key\":\"dedicated\",\"value\":\"perf\",\"effect\":\"NoSchedule\"},"
				    "{\"effect\":\"NoExecute\"}]", 0, NULL);
	struct perfpod_spec sp = { "shop/web-1", "perf", "node-1.example.com", "img:1", 250, taints };
	json_t *m = perfpod_manifest(&sp, "perfgo-shop-web-1-abc123");
	json_t *spec = json_object_get(m, "spec");
	json_t *c = json_array_get(json_object_get(spec, "containers"), 0);
	json_t *tol = json_object_get(spec, "tolerations");

	(void)state;
	assert_string_equal(kube_str(m, "metadata", "name", NULL), "perfgo-shop-web-1-abc123");
	assert_string_equal(kube_str(m, "metadata", "namespace", NULL), "perf");
	assert_string_equal(kube_str(m, "metadata", "labels", PERFPOD_LABEL), "perfgo");
	assert_string_equal(kube_str(m, "metadata", "annotations", "perfgo.dev/target"), "shop/web-1");
	assert_string_equal(kube_str(spec, "nodeName", NULL, NULL), "node-1.example.com");
	assert_true(json_is_true(json_object_get(spec, "hostPID")));
	assert_true(json_is_false(json_object_get(spec, "automountServiceAccountToken")));
	assert_int_equal(json_integer_value(json_object_get(spec, "activeDeadlineSeconds")), 250);
	assert_string_equal(kube_str(spec, "restartPolicy", NULL, NULL), "Never");
	assert_string_equal(kube_str(c, "image", NULL, NULL), "img:1");
	assert_true(json_is_true(json_object_get(json_object_get(c, "securityContext"), "privileged")));
	assert_string_equal(json_string_value(json_array_get(json_object_get(c, "command"), 1)), "250");
	assert_string_equal(kube_str(c, "resources", "requests", "cpu"), "50m");
	assert_int_equal(json_array_size(tol), 2);
	assert_string_equal(kube_str(json_array_get(tol, 0), "key", NULL, NULL), "dedicated");
	assert_string_equal(kube_str(json_array_get(tol, 0), "operator", NULL, NULL), "Exists");
	assert_null(json_object_get(json_array_get(tol, 1), "key"));
	assert_string_equal(kube_str(json_array_get(tol, 1), "effect", NULL, NULL), "NoExecute");
	json_decref(m);
	/* No taints: no tolerations. */
	sp.taints = NULL;
	m = perfpod_manifest(&sp, "perfgo-x-abc123");
	assert_null(json_object_get(json_object_get(m, "spec"), "tolerations"));
	json_decref(m);
	json_decref(taints);
}

static void test_state(void **state)
{
	static const struct { const char *status; int ret, running; const char *why; } t[] = {
		{ "{\"phase\":\"Pending\"}", 0, 0, "" },
		{ "{\"phase\":\"Pending\",\"containerStatuses\":[{\"state\":{\"waiting\":"
		  "{\"reason\":\"ContainerCreating\"}}}]}", 0, 0, "" },
		{ "{\"phase\":\"Running\",\"containerStatuses\":[{\"state\":{\"running\":{}}}]}", 0, 1, "" },
		{ "{\"phase\":\"Pending\",\"containerStatuses\":[{\"state\":{\"waiting\":"
		  "{\"reason\":\"ImagePullBackOff\",\"message\":\"Back-off pulling image\"}}}]}", -1, 0,
		  "ImagePullBackOff: Back-off pulling image" },
		{ "{\"phase\":\"Pending\",\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"False\","
		  "\"reason\":\"Unschedulable\",\"message\":\"0/3 nodes are available\"}]}", -1, 0,
		  "Unschedulable: 0/3 nodes are available" },
		{ "{\"phase\":\"Failed\",\"reason\":\"DeadlineExceeded\",\"message\":\"too long\"}", -1, 0,
		  "the pod ended (Failed: DeadlineExceeded): too long" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		struct buf why = BUF_INIT;
		json_t *pod = json_pack("{s:o}", "status", json_loads(t[i].status, 0, NULL));
		int running = -1;

		assert_int_equal(perfpod_state(pod, &why, &running), t[i].ret);
		assert_int_equal(running, t[i].running);
		assert_string_equal(why.buf ? why.buf : "", t[i].why);
		json_decref(pod);
		buf_release(&why);
	}
}

static void test_parse_id(void **state)
{
	static const struct { const char *in, *want; } t[] = {
		{ "containerd://0123456789abcdef0123", "0123456789abcdef0123" },
		{ "docker://abcdef012345", "abcdef012345" },
		{ "cri-o://abcdef0123456789", "abcdef0123456789" },
		{ "containerd://abc;touch x", NULL },
		{ "containerd://ABCDEF012345", NULL },
		{ "containerd://abcdef01", NULL },
		{ "://abcdef012345", NULL },
		{ "Containerd://abcdef012345", NULL },
		{ "abcdef012345", NULL },
		{ "containerd://abcdef012345\n", NULL },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		char *id = targets_parse_id(t[i].in);

		if (t[i].want)
			assert_string_equal(id, t[i].want);
		else
			assert_null(id);
		free(id);
	}
	assert_null(targets_parse_id(NULL));
}

static json_t *pod_json(void)
{
	return json_loads(
		"{\"metadata\":{\"name\":\"web-1\"},\"spec\":{\"nodeName\":\"n1\",\"containers\":"
		"[{\"name\":\"app\"},{\"name\":\"istio-proxy\"},{\"name\":\"worker\"}]},"
		"\"status\":{\"containerStatuses\":["
		"{\"name\":\"app\",\"containerID\":\"containerd://aaaaaaaaaaaa\",\"state\":{\"running\":{}}},"
		"{\"name\":\"istio-proxy\",\"containerID\":\"containerd://bbbbbbbbbbbb\",\"state\":{\"running\":{}}},"
		"{\"name\":\"worker\",\"containerID\":\"containerd://cccccccccccc\",\"state\":{\"waiting\":{}}}]}}",
		0, NULL);
}

static void test_from_pod(void **state)
{
	json_t *pod = pod_json();
	struct strvec want = STRVEC_INIT;
	struct targets t = { 0 };

	(void)state;
	/* Default: app containers; a stopped one is an error naming it. */
	assert_int_equal(targets_from_pod(pod, &want, &t), PG_EENV);
	assert_string_equal(last_msg, "perfgo: error: container 'worker' of pod 'web-1' is not running");
	targets_release(&t);
	strvec_push(&want, "app");
	strvec_push(&want, "istio-proxy");
	assert_int_equal(targets_from_pod(pod, &want, &t), 0);
	assert_int_equal(t.nr, 2);
	assert_string_equal(t.node, "n1");
	assert_string_equal(t.c[1].name, "istio-proxy");
	assert_string_equal(t.c[1].id, "bbbbbbbbbbbb");
	targets_release(&t);
	strvec_clear(&want);
	strvec_push(&want, "db");
	assert_int_equal(targets_from_pod(pod, &want, &t), PG_EUSAGE);
	assert_string_equal(last_msg, "perfgo: error: pod 'web-1' has no container 'db' "
			    "(it has: app, istio-proxy, worker)");
	targets_release(&t);
	strvec_clear(&want);
	json_decref(pod);
	/* Not scheduled. */
	pod = json_loads("{\"metadata\":{\"name\":\"p\"},\"spec\":{}}", 0, NULL);
	assert_int_equal(targets_from_pod(pod, &want, &t), PG_EENV);
	assert_string_equal(last_msg, "perfgo: error: pod 'p' is not scheduled on a node yet");
	targets_release(&t);
	json_decref(pod);
	assert_true(targets_is_sidecar("linkerd-proxy"));
	assert_false(targets_is_sidecar("app"));
}

static void test_parse_pids(void **state)
{
	json_t *pod = pod_json();
	struct strvec want = STRVEC_INIT;
	struct targets t = { 0 };
	const char ok[] = "aaaaaaaaaaaa 300\nbbbbbbbbbbbb 7\naaaaaaaaaaaa 12\naaaaaaaaaaaa 300\n";

	(void)state;
	strvec_pushl(&want, "app", "istio-proxy", NULL);
	assert_int_equal(targets_from_pod(pod, &want, &t), 0);
	assert_int_equal(targets_parse_pids(&t, ok, strlen(ok)), 0);
	assert_int_equal(t.c[0].npids, 2);
	assert_int_equal(t.c[0].pids[0], 12);
	assert_int_equal(t.c[0].pids[1], 300);
	assert_int_equal(t.c[1].npids, 1);
	assert_int_equal(t.c[1].pids[0], 7);
	targets_release(&t);
	{
		static const char *const bad[] = { "cccccccccccc 5\n", "aaaaaaaaaaaa x\n",
						   "aaaaaaaaaaaa -1\n", "aaaaaaaaaaaa\n",
						   "aaaaaaaaaaaa 99999999999999999\n" };

		for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
			assert_int_equal(targets_from_pod(pod, &want, &t), 0);
			assert_int_equal(targets_parse_pids(&t, bad[i], strlen(bad[i])), PG_EPARSE);
			targets_release(&t);
		}
	}
	/* A container with no process. */
	assert_int_equal(targets_from_pod(pod, &want, &t), 0);
	assert_int_equal(targets_parse_pids(&t, "aaaaaaaaaaaa 1\n", 15), PG_EENV);
	assert_string_equal(last_msg, "perfgo: error: no process of container 'istio-proxy' "
			    "(id bbbbbbbbbbbb) is visible from the perf pod");
	targets_release(&t);
	strvec_clear(&want);
	json_decref(pod);
}

static void test_last_line(void **state)
{
	static const struct { const char *in, *want; } t[] = {
		{ "", "(no message)" },
		{ "Error from server (NotFound): pods \"x\" not found\n", "Error from server (NotFound): pods \"x\" not found" },
		{ "a\nb\n\n  \n", "b" },
		{ "  only", "only" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		struct buf in = BUF_INIT, out = BUF_INIT;

		buf_addstr(&in, t[i].in);
		kube_last_line(&in, &out);
		assert_string_equal(out.buf, t[i].want);
		buf_release(&in);
		buf_release(&out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_manifest),
		cmocka_unit_test(test_state),
		cmocka_unit_test(test_parse_id),
		cmocka_unit_test(test_from_pod),
		cmocka_unit_test(test_parse_pids),
		cmocka_unit_test(test_last_line),
	};

	return cmocka_run_group_tests(tests, setup_capture, teardown_capture);
}
