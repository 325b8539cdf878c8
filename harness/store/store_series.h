#ifndef PERFGO_STORE_SERIES_H
#define PERFGO_STORE_SERIES_H

/*
 * Stored runs as the inputs of analysis, read directly from the store's
 * rows: no text format in between.
 */

#include "analysis/series.h"
#include "analysis/stat_run.h"
#include "store/store.h"

/*
 * The samples of run `run_id` as a series set labelled `label`
 * (initialised by the caller with SERIES_SET_INIT):
 *  - a benchmark per stored (package, name), a series per metric, the
 *    samples in stored order;
 *  - configuration: goos, goarch and cpu from the run's fingerprint,
 *    commit (with "-dirty" for a dirty tree), and pkg when every sample
 *    is of one package; values trimmed, empty ones left out;
 *  - unit metadata: the direction of every metric perf counted
 *    (stat_metric_better()); metrics Go reported follow Go's convention
 *    (default_better is gb_unit_default_better()).
 * This is what `perfgo view --format gobench` shows, as data.  Returns 0,
 * PG_ENOTFOUND (silent) for an unknown run, or PG_EENV (reported).
 */
int store_run_series(struct store *st, const char *run_id, const char *label,
		     struct series_set *out);

/*
 * A run as its reports see it.  `row` and `x` may be NULL.  The strings
 * are borrowed from row, samples and x, which must outlive `out`; release
 * `out` with stat_run_release().
 */
void stat_run_from_store(struct stat_run *out, const struct run_row *row,
			 const struct sample_list *samples, const struct run_extras *x);

#endif
