#ifndef PERFGO_PPROF_H
#define PERFGO_PPROF_H

/*
 * Writing a profile (profile.h) as pprof's gzipped profile.proto
 * (profile/profile.proto, encoded by protobuf-c, gzipped by zlib):
 *
 *   sample_type      [samples, count], [<event>, <unit>] (unit "nanoseconds"
 *                    for perf's time events cpu-clock and task-clock, else
 *                    "count"); the event is the default sample type
 *   period_type      [<event>, <unit>], period p->period or the mean period
 *   time, duration   p->time_ns, p->duration_ns
 *   labels           benchmark (string), pid and tid (numbers) on every sample
 *   mappings         as in the profile; every one has_functions, the
 *                    symbolized ones also filenames, line numbers and
 *                    inline frames (pprof then never re-symbolizes them)
 */

#include "profile/profile.h"
#include "util/buf.h"

/* The unit of event `event` in pprof's words. */
const char *pprof_event_unit(const char *event);

/* The encoded, gzipped profile appended to `out`.  0, or an error (reported). */
int pprof_encode(const struct profile *p, struct buf *out);

/* The same, written to `path` (replaced).  0, or PG_EENV (reported). */
int pprof_write(const struct profile *p, const char *path);

#endif
