#ifndef PERFGO_STORED_STAT_H
#define PERFGO_STORED_STAT_H

/*
 * A stored run read back as its stat reports see it, for the commands
 * that print what they stored (test stat, attach stat): the run's row,
 * samples and extras, and the stat_run that borrows their strings, all
 * owned here.
 */

#include "analysis/stat_run.h"
#include "store/store.h"

struct stored_stat {
	struct run_row row;
	struct sample_list sl;
	struct run_extras x;
	struct stat_run r;     /* filled only when loading succeeded */
};

#define STORED_STAT_INIT { { 0 }, SAMPLE_LIST_INIT, { 0 }, STAT_RUN_INIT }

/* Read run `run_id` of `st`; the store's codes (PG_ENOTFOUND unreported). */
int stored_stat_load(struct store *st, const char *run_id, struct stored_stat *s);
void stored_stat_release(struct stored_stat *s);

#endif
