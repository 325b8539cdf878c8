#ifndef PERFGO_RUNFMT_H
#define PERFGO_RUNFMT_H

/* Small formatting helpers shared by `list` and `view`. */

#include <stdint.h>

#include "util/buf.h"

/* "2026-11-23 19:28:23" in local time. */
void fmt_time(struct buf *out, int64_t ns);
/* "850ms", "12.3s", "4m05s", "1h02m". */
void fmt_duration(struct buf *out, int64_t ns);

#endif
