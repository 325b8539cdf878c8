/* Progress line; see progress.h. */
#include <stdio.h>

#include "measure/measure.h"
#include "session/progress.h"
#include "util/usage.h"
#include "util/clock.h"
#include "util/banned.h"

void progress_update(struct measure_ctx *mc, const char *what)
{
	int64_t elapsed;
	char eta[32] = "";

	if (!mc->tty || pg_verbosity < 0)
		return;
	elapsed = clock_mono_ns() - mc->started_ns;
	if (mc->jobs_done && mc->jobs_total > mc->jobs_done) {
		double left = (double)elapsed / 1e9 / (double)mc->jobs_done *
			      (double)(mc->jobs_total - mc->jobs_done);
		int s = (int)(left + 0.5);

		snprintf(eta, sizeof(eta), "  ETA %dm%02ds", s / 60, s % 60);
	}
	if (mc->jobs_total)
		fprintf(stderr, "\r\033[K[%zu/%zu] %.60s%s", mc->jobs_done + 1 > mc->jobs_total ?
			mc->jobs_total : mc->jobs_done + 1, mc->jobs_total, what, eta);
	else
		fprintf(stderr, "\r\033[K%.70s", what);
	fflush(stderr);
}

void progress_done(struct measure_ctx *mc)
{
	if (!mc->tty || pg_verbosity < 0)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
}
