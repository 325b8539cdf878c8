#ifndef PERFGO_STORE_GC_H
#define PERFGO_STORE_GC_H

/*
 * `perfgo gc`: remove runs and their files (analysis/gc_plan.h decides
 * which), sweep run directories no row owns, and compact the database.
 *
 * Crash safety: the rows of every run that goes are deleted in one
 * transaction (samples, events, artifacts and comparisons follow by the
 * schema's ON DELETE CASCADE), and only after its commit are files
 * removed.  The file sweep removes every runs/<32 hex>/ directory whose
 * run has no row, so a gc killed between the two steps (or a run directory
 * left any other way) is finished by the next gc.  Names that are not run
 * ids are never touched.  The sweep lists the directories before it looks
 * the rows up, and a run's row is committed before its directory is made,
 * so a run starting meanwhile keeps its files.
 *
 * Concurrency: the selection and the deletion happen under the write lock
 * (BEGIN IMMEDIATE).  A gc waits the store's busy timeout for another
 * perfgo's write and refuses to run (PG_EENV, said once: STORE_BUSY_WHY)
 * when it does not end; so does opening the store to write, which is
 * where a gc usually meets the lock (store_open()'s migration check).  A run in progress elsewhere is still marked running: it is kept
 * unless an age cutoff covers it.
 *
 * Stored binaries (binaries/<sha256>/, kept once by content for profiles
 * and attach runs) go when no run left names them: no artifact row of a
 * run has a path under binaries/<sha256>/, and no profile (*.pb.gz) in a
 * run's directory has a mapping there.  They are swept after the rows are
 * committed, so a run that stays never names a missing file, and under the
 * write lock, so no run starts meanwhile; a run stores a binary before it
 * names it, so while any run is still marked running (it may be in
 * progress) no binary is removed, and gc says so.  A profile that cannot
 * be read keeps every binary too.  Names under binaries/ that are not
 * 64 hex digits are never touched.
 *
 * The commits, benchmarks and fingerprints tables are not pruned: they are
 * small, shared between runs, and a concurrent writer may hold an id from
 * them that it has not used yet.
 */

#include <stddef.h>
#include <stdint.h>

#include "analysis/gc_plan.h"
#include "store/store.h"

struct gc_gone {
	char id[33];
	int64_t started_ns;
	char *command, *commit;
	int status;              /* enum run_status */
};

struct gc_result {
	struct gc_gone *gone;    /* the runs removed (or, dry, that would go), oldest first */
	size_t ngone, alloc;
	size_t nruns;            /* runs in the store before */
	size_t kept[GC_KEPT_LINKED + 1];   /* kept runs by reason (enum gc_keep) */
	size_t dirs;             /* run directories removed (or that would go) */
	size_t orphans;          /* ... of them, without a run row beforehand */
	size_t files;            /* regular files in them */
	uint64_t bytes;          /* and their size */
	size_t bins;             /* stored binaries (binaries/<sha256>/) removed (or that would go) */
	size_t bin_files;        /* files in them */
	uint64_t bin_bytes;      /* and their size */
	size_t bins_kept;        /* stored binaries a run still names */
	size_t bins_running;     /* runs marked running: no binary swept (see above) */
	int bins_unread;         /* a profile could not be read: no binary swept */
	int64_t db_before, db_after;   /* perfgo.db plus its WAL, bytes */
	int vacuumed;
};
void gc_result_release(struct gc_result *r);

/* Run gc with policy `p`; with `dry_run` nothing is changed. */
int store_gc(struct store *st, const struct gc_policy *p, int dry_run, struct gc_result *res);

#endif
