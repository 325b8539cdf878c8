#ifndef PERFGO_CLOCK_H
#define PERFGO_CLOCK_H

/*
 * The one place perfgo reads the clock.  Wall time (CLOCK_REALTIME) is
 * for what is stored and shown (run start and finish); monotonic time is
 * for durations, deadlines and ETAs, which must not jump with the wall
 * clock.
 */

#include <stdint.h>

/* Wall-clock time in ns since the epoch. */
int64_t clock_wall_ns(void);
/* Monotonic time in ns and in ms (deadlines). */
int64_t clock_mono_ns(void);
int64_t clock_mono_ms(void);

#endif
