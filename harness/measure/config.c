/* What a measurement is made with; see config.h. */
#include <stdlib.h>
#include <string.h>

#include "measure/backend.h"
#include "measure/backend_callgrind.h"
#include "measure/config.h"
#include "util/json.h"
#include "util/banned.h"

void measure_opts_init(struct measure_opts *mo, const struct testargs *ta,
		       const struct strvec *events, int gomaxprocs)
{
	memset(mo, 0, sizeof(*mo));
	mo->events = events;
	mo->count = ta->count ? ta->count : 1;
	mo->bench = ta->bench;
	mo->benchtime = ta->benchtime;
	mo->cpu = ta->cpu;
	mo->extra = &ta->extra;
	mo->args = &ta->args;
	mo->own = &ta->own;
	mo->gomaxprocs = gomaxprocs;
}

/* Environment variables that change what `go test -c` builds. */
static const char *const go_build_env[] = {
	"GOFLAGS", "GOEXPERIMENT", "GOAMD64", "GOARM", "GO386", "CGO_ENABLED",
	"CGO_CFLAGS", "CGO_LDFLAGS"
};

char *bench_config_json(const struct testargs *ta, const struct strvec *events, int detail,
			const struct buildmode *bm)
{
	json_t *o = json_object(), *env = NULL;
	struct buf b = BUF_INIT;

	/* Key order is part of the string: reuse compares it byte for byte. */
	json_object_set_new(o, "count", ta->count_auto ? json_string("auto") :
			    json_integer(ta->count ? ta->count : 1));
	json_object_set_new(o, "bench", json_str(ta->bench ? ta->bench : "."));
	json_object_set_new(o, "benchtime", json_str_or_empty(ta->benchtime));
	json_object_set_new(o, "cpu", json_str_or_empty(ta->cpu));
	json_object_set_new(o, "detail", json_integer(detail));
	json_object_set_new(o, "events", json_strvec(events));
	json_object_set_new(o, "packages", json_strvec(&ta->packages));
	json_object_set_new(o, "build_flags", json_strvec(&ta->build));
	json_object_set_new(o, "test_flags", json_strvec(&ta->extra));
	json_object_set_new(o, "args", json_strvec(&ta->args));
	/* Module mode adds nothing: configurations stored before GOPATH builds stay equal. */
	if (bm && bm->gopath) {
		json_object_set_new(o, "build", json_str("gopath"));
		json_object_set_new(o, "import_path", json_str(bm->import_path));
		if (*bm->dir)
			json_object_set_new(o, "import_dir", json_str(bm->dir));
	}
	/*
	 * The environment go builds with: GOFLAGS=-tags=... builds other code.
	 * Present only when one is set, so configurations without them keep
	 * the spelling stored before.
	 */
	for (size_t i = 0; i < ARRAY_SIZE(go_build_env); i++) {
		const char *v = getenv(go_build_env[i]);

		if (!v || !*v)
			continue;
		if (!env)
			env = json_object();
		json_object_set_new(env, go_build_env[i], json_str(v));
	}
	if (env)
		json_object_set_new(o, "go_env", env);
	if (!o || json_to_buf(&b, o, JSON_COMPACT))
		BUG("out of memory serializing JSON");
	json_decref(o);
	return buf_detach(&b);
}

char *config_add_counters(char *json, const struct backend *be, const char *tool)
{
	json_t *o;
	struct buf b = BUF_INIT;

	if (be != &backend_callgrind)
		return json;
	o = json_loads(json, 0, NULL);
	if (!o)
		BUG("configuration is not JSON: %s", json);
	json_object_set_new(o, "counters", json_str("sim"));
	json_object_set_new(o, "simulator", json_str(tool));
	/* A fixed cap measures differently (what times out): never reused for the default. */
	if (callgrind_cap_override())
		json_object_set_new(o, "sim_timeout_s",
				    json_integer((json_int_t)callgrind_cap_override()));
	if (json_to_buf(&b, o, JSON_COMPACT))
		BUG("out of memory serializing JSON");
	json_decref(o);
	free(json);
	return buf_detach(&b);
}
