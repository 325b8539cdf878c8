/* Formatting helpers for list and view; see runfmt.h. */
#include <time.h>

#include "util/runfmt.h"
#include "util/banned.h"

void fmt_time(struct buf *out, int64_t ns)
{
	time_t t = (time_t)(ns / 1000000000);
	struct tm tm;
	char s[32];

	if (!localtime_r(&t, &tm) || !strftime(s, sizeof(s), "%Y-%m-%d %H:%M:%S", &tm)) {
		buf_addstr(out, "?");
		return;
	}
	buf_addstr(out, s);
}

void fmt_duration(struct buf *out, int64_t ns)
{
	double s = (double)ns / 1e9;

	if (ns < 0)
		buf_addstr(out, "-");
	else if (s < 1)
		buf_addf(out, "%dms", (int)(s * 1000 + 0.5));
	else if (s < 60)
		buf_addf(out, "%.1fs", s);
	else if (s < 3600)
		buf_addf(out, "%dm%02ds", (int)s / 60, (int)s % 60);
	else
		buf_addf(out, "%dh%02dm", (int)s / 3600, (int)s / 60 % 60);
}
