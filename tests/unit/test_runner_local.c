/*
 * Unit tests for the local runner and what every runner shares
 * (harness/runner/runner.c, runner_local.c): a job with a control channel
 * driven from its own stdout callback, the control word inserted where the
 * job asks, a reply after the job has gone, and queries (exit status,
 * stdout, 127 for a missing program, nothing reported).
 *
 * The job is /bin/sh playing the peer: it learns its two descriptors from
 * the control word ("CMD,REPLY", the last argument), answers each command
 * line with "ok" and prints what it got.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/buf.h"
#include "runner/runner_impl.h"
#include "util/strvec.h"
#include "util/usage.h"

static struct buf msgs = BUF_INIT;

static void capture(const char *line)
{
	buf_addf(&msgs, "%s\n", line);
}

static const char peer_script[] =
	"c=${1%,*}; r=${1#*,}; echo \"word $1 before $0\"; echo ready; "
	"while IFS= read -r l <&\"$c\"; do echo \"got $l\"; echo ok >&\"$r\"; "
	"[ \"$l\" = stop ] && break; done; echo done";

static char *word(const struct runner_chan *ch)
{
	struct buf b = BUF_INIT;

	assert_true(ch->fds);
	buf_addf(&b, "%d,%d", ch->cmd_fd, ch->reply_fd);
	return buf_detach(&b);
}

struct seen {
	struct strvec lines;
	int replies;
};

static int on_line(struct runner_job *job, const char *line, size_t len)
{
	struct seen *s = job->data;

	strvec_pushf(&s->lines, "%.*s", (int)len, line);
	if (len == 5 && !memcmp(line, "ready", 5) && !runner_job_control(job, "hello"))
		s->replies++;
	if (len == 9 && !memcmp(line, "got hello", 9) && !runner_job_control(job, "stop"))
		s->replies++;
	return 0;
}

static void test_control_channel(void **state)
{
	struct runner r;
	struct runner_job job;
	struct seen s = { STRVEC_INIT, 0 };

	(void)state;
	assert_int_equal(runner_open(&r, NULL, 0), 0);
	assert_null(r.dest);
	assert_string_equal(r.scratch, r.local_scratch);
	runner_job_init(&job);
	strvec_pushl(&job.argv, "sh", "-c", peer_script, "zero", NULL);
	job.control_word = word;
	job.control_at = 4;          /* last: the script's $1 */
	job.control_peer = "the peer";
	job.on_line = on_line;
	job.data = &s;
	assert_int_equal(r.ops->exec(&r, &job), 0);
	assert_int_equal(job.status, 0);
	assert_int_equal(s.replies, 2);
	assert_int_equal(s.lines.nr, 5);
	assert_true(starts_with(s.lines.v[0], "word "));
	assert_true(ends_with(s.lines.v[0], " before zero"));
	assert_string_equal(s.lines.v[1], "ready");
	assert_string_equal(s.lines.v[2], "got hello");
	assert_string_equal(s.lines.v[3], "got stop");
	assert_string_equal(s.lines.v[4], "done");
	/* The channel belongs to the job's run only. */
	assert_int_equal(job.chan_cmd_fd, -1);
	assert_int_equal(job.chan_reply_fd, -1);
	runner_job_release(&job);
	strvec_clear(&s.lines);
	runner_close(&r);
}

/* A command after the peer closed its end: 1, not an error. */
static int late_line(struct runner_job *job, const char *line, size_t len)
{
	int *ret = job->data;

	if (len == 4 && !memcmp(line, "bye", 3))
		*ret = runner_job_control(job, "anyone");
	return 0;
}

static void test_control_closed(void **state)
{
	struct runner r;
	struct runner_job job;
	int ret = 99;

	(void)state;
	buf_reset(&msgs);
	assert_int_equal(runner_open(&r, NULL, 0), 0);
	runner_job_init(&job);
	/* The job closes its ends at once; the word is its $0 here. */
	strvec_pushl(&job.argv, "sh", "-c", "eval \"exec ${0%,*}<&- ${0#*,}>&-\"; echo bye1",
		     NULL);
	job.control_word = word;
	job.control_at = 3;
	job.control_peer = "the peer";
	job.on_line = late_line;
	job.data = &ret;
	assert_int_equal(r.ops->exec(&r, &job), 0);
	assert_int_equal(job.status, 0);
	assert_int_equal(ret, 1);
	assert_string_equal(msgs.buf, "");
	runner_job_release(&job);
	runner_close(&r);
}

static void test_query(void **state)
{
	static const char *const echo[] = { "sh", "-c", "echo out; echo err >&2; exit 3", NULL };
	static const char *const missing[] = { "perfgo-no-such-program", "x", NULL };
	struct runner r;
	struct buf out = BUF_INIT;

	(void)state;
	buf_reset(&msgs);
	assert_int_equal(runner_open(&r, NULL, 0), 0);
	assert_int_equal(r.ops->query(&r, echo, &out), 3);
	assert_string_equal(out.buf, "out\n");
	buf_reset(&out);
	assert_int_equal(r.ops->query(&r, missing, &out), 127);
	assert_string_equal(out.buf, "");
	/* Queries report nothing: the caller decides what a failure means. */
	assert_string_equal(msgs.buf, "");
	buf_release(&out);
	runner_close(&r);
}

static void test_check_dest(void **state)
{
	(void)state;
	buf_reset(&msgs);
	assert_int_equal(runner_check_dest(NULL), 0);
	assert_int_equal(runner_check_dest("user@host"), 0);
	assert_int_equal(runner_check_dest("-oProxyCommand=x"), PG_EUSAGE);
	assert_non_null(strstr(msgs.buf, "starts with '-'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_control_channel),
		cmocka_unit_test(test_control_closed),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_check_dest),
	};

	/* perfgo ignores SIGPIPE (main.c): a closed channel is EPIPE. */
	signal(SIGPIPE, SIG_IGN);
	set_report_routine(capture);
	return cmocka_run_group_tests_name("runner_local", tests, NULL, NULL);
}
