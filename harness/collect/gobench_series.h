#ifndef PERFGO_GOBENCH_SERIES_H
#define PERFGO_GOBENCH_SERIES_H

/*
 * A parsed Go benchmark file as a series set (analysis/series.h), the
 * input of a comparison:
 *  - a benchmark per (pkg: in effect, or "", full result name);
 *  - each result line's value/unit pairs appended, in file order, to the
 *    series of their unit;
 *  - the configuration keys that every result of the file has with one
 *    value, in the order of the first result's configuration;
 *  - the file's Unit metadata (better=, assume=), and Go's convention
 *    for units without (gb_unit_default_better()).
 * `out` must be initialised (SERIES_SET_INIT); it copies what it keeps.
 */

#include "analysis/series.h"
#include "collect/gobench.h"

void gb_file_series(const struct gb_file *f, const char *label, struct series_set *out);

#endif
