/* Stored runs read back for their stat reports; see stored_stat.h. */
#include "cmd/stored_stat.h"
#include "store/store_series.h"
#include "util/banned.h"

int stored_stat_load(struct store *st, const char *run_id, struct stored_stat *s)
{
	int ret = store_find_run(st, run_id, &s->row, NULL);

	if (!ret)
		ret = store_run_samples(st, run_id, &s->sl);
	if (!ret)
		ret = store_run_extras(st, &s->row, &s->x);
	if (!ret)
		stat_run_from_store(&s->r, &s->row, &s->sl, &s->x);
	return ret;
}

void stored_stat_release(struct stored_stat *s)
{
	run_row_release(&s->row);
	sample_list_release(&s->sl);
	run_extras_release(&s->x);
	stat_run_release(&s->r);
}
