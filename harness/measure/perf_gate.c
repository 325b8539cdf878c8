/* perf's counter gate over a benchmark; see perf_gate.h. */
#include <stdio.h>
#include <stdlib.h>

#include "util/buf.h"
#include "util/clock.h"
#include "measure/perf_gate.h"
#include "util/usage.h"
#include "util/banned.h"

char *perf_gate_control_word(const struct runner_chan *ch)
{
	struct buf b = BUF_INIT;

	if (ch->fds)
		buf_addf(&b, "--control=fd:%d,%d", ch->cmd_fd, ch->reply_fd);
	else
		buf_addf(&b, "--control=fifo:%s,%s", ch->cmd_path, ch->reply_path);
	return buf_detach(&b);
}

void perf_gate_job(struct runner_job *job, size_t at)
{
	job->control_word = perf_gate_control_word;
	job->control_at = at;
	job->control_peer = "perf";
}

int perf_gate_open(struct perf_gate *g, struct runner_job *job)
{
	int ret;

	if (g->enabled)
		return 0;
	g->enable_wall = clock_wall_ns();
	g->enable_mono = clock_mono_ns();
	ret = runner_job_control(job, "enable");
	if (ret > 0) {
		g->late = 1;
		ret = 0;
	}
	g->enabled = 1;
	return ret;
}

int perf_gate_close(struct perf_gate *g, struct runner_job *job)
{
	int ret;

	if (!g->enabled || g->disabled)
		return 0;
	ret = runner_job_control(job, "disable");
	g->disable_mono = clock_mono_ns();
	if (ret > 0)
		ret = 0;
	g->disabled = 1;
	return ret;
}

int perf_gate_judge(const struct perf_gate *g, const char *what, const char *pkg,
		    const char *bench)
{
	if (g->late)
		return error_code(PG_EENV, "benchmark '%s' was over before perf's %s could "
				  "be enabled: raise -benchtime", bench, what);
	if (!g->enabled)
		return error_code(PG_EENV, "'%s' never announced benchmark '%s' (-test.v): "
				  "%s cannot be limited to the benchmark", pkg, bench, what);
	return 0;
}
