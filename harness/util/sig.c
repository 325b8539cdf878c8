/* Signal policy; see sig.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "util/sig.h"
#include "util/usage.h"
#include "util/banned.h"

static volatile sig_atomic_t pending;
static int pipe_fds[2] = { -1, -1 };

static void on_signal(int signo)
{
	int saved = errno;
	char c = 0;

	if (signo != SIGCHLD && !pending)
		pending = signo;
	if (pipe_fds[1] >= 0 && write(pipe_fds[1], &c, 1) < 0) {
		/* The pipe is full: a wake-up is already queued. */
	}
	errno = saved;
}

int sig_setup(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGCHLD };
	struct sigaction sa;

	if (pipe_fds[0] >= 0)
		return 0;
	if (pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK))
		return error("cannot create a pipe: %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: blocking calls return EINTR so loops notice. */
	sa.sa_flags = 0;
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		if (sigaction(sigs[i], &sa, NULL))
			return error("cannot install a signal handler: %s", strerror(errno));
	return 0;
}

int sig_pending(void)
{
	return pending;
}

int sig_fd(void)
{
	return pipe_fds[0];
}

void sig_drain(void)
{
	char junk[64];

	if (pipe_fds[0] < 0)
		return;
	while (read(pipe_fds[0], junk, sizeof(junk)) > 0)
		;
}

void sig_raise_pending(int signo)
{
	pending = signo;
}

int exit_code_for(int err)
{
	if (err == PG_EINTR)
		return EXIT_SIGNAL + (sig_pending() ? sig_pending() : 2);
	return pg_err_exit_code(err);
}
