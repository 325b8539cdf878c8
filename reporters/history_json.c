/* `perfgo history --format json`; see history_report.h. */
#include "history_report.h"
#include "util/json.h"
#include "util/banned.h"

static json_t *point_json(const struct trend_point *p)
{
	json_t *o = json_object();

	json_object_set_new(o, "commit", json_str(p->sha));
	json_object_set_new(o, "time", json_integer(p->time));
	json_object_set_new(o, "subject", json_str(p->subject));
	json_object_set_new(o, "median", json_num(p->median));
	json_object_set_new(o, "ci_lo", p->ci_ok ? json_num(p->ci_lo) : json_null());
	json_object_set_new(o, "ci_hi", p->ci_ok ? json_num(p->ci_hi) : json_null());
	json_object_set_new(o, "n", json_integer((json_int_t)p->n));
	if (p->change) {
		json_t *c = json_object();

		json_object_set_new(c, "rel", json_num(p->change_rel));
		json_object_set_new(c, "p", json_num(p->change_p));
		json_object_set_new(o, "change", c);
	} else {
		json_object_set_new(o, "change", json_null());
	}
	json_object_set_new(o, "pi_lo", p->pi_ok ? json_num(p->pi_lo) : json_null());
	json_object_set_new(o, "pi_hi", p->pi_ok ? json_num(p->pi_hi) : json_null());
	json_object_set_new(o, "outlier", json_integer(p->outlier));
	json_object_set_new(o, "rel", json_num(p->rel));
	json_object_set_new(o, "threshold", json_num(p->theta));
	json_object_set_new(o, "moved", json_boolean(p->moved));
	return o;
}

void history_json(struct buf *out, const struct trend *t, size_t nt, size_t last)
{
	json_t *top = json_array();

	for (size_t i = 0; i < nt; i++)
		for (size_t j = 0; j < t[i].ns; j++) {
			const struct trend_series *s = &t[i].s[j];
			json_t *o = json_object(), *pts = json_array();

			json_object_set_new(o, "package", json_str(t[i].package));
			json_object_set_new(o, "benchmark", json_str(t[i].name));
			json_object_set_new(o, "metric", json_str(t[i].metric));
			json_object_set_new(o, "runner_class", json_str(s->fp_class));
			json_object_set_new(o, "change_points", json_integer((json_int_t)s->nchanges));
			for (size_t k = history_first_shown(s->n, last); k < s->n; k++)
				json_array_append_new(pts, point_json(&s->pts[k]));
			json_object_set_new(o, "points", pts);
			json_array_append_new(top, o);
		}
	json_to_buf(out, top, JSON_INDENT(2));
	buf_addch(out, '\n');
	json_decref(top);
}
