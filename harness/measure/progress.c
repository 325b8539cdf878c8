/* Progress line; see progress.h. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "measure/progress.h"
#include "util/usage.h"
#include "util/clock.h"
#include "util/banned.h"

void progress_init(struct progress *p)
{
	memset(p, 0, sizeof(*p));
	p->started_ns = clock_mono_ns();
	p->tty = isatty(2);
}

void progress_update(const struct progress *p, const char *what)
{
	int64_t elapsed;
	char eta[32] = "";

	if (!p->tty || pg_verbosity < 0)
		return;
	elapsed = clock_mono_ns() - p->started_ns;
	if (p->done && p->total > p->done) {
		double left = (double)elapsed / 1e9 / (double)p->done *
			      (double)(p->total - p->done);
		int s = (int)(left + 0.5);

		snprintf(eta, sizeof(eta), "  ETA %dm%02ds", s / 60, s % 60);
	}
	if (p->total)
		fprintf(stderr, "\r\033[K[%zu/%zu] %.60s%s", p->done + 1 > p->total ?
			p->total : p->done + 1, p->total, what, eta);
	else
		fprintf(stderr, "\r\033[K%.70s", what);
	fflush(stderr);
}

void progress_done(const struct progress *p)
{
	if (!p->tty || pg_verbosity < 0)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
}
