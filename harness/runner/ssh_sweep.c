/*
 * Remote directories left by a perfgo that is gone (runner_ssh.h, "Owner"):
 * who owns one, and whether that owner still runs.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/io.h"
#include "runner/ssh_internal.h"
#include "util/banned.h"

/* Field 22 of /proc/<pid>/stat, the start time in clock ticks since boot; 0 if unknown. */
static unsigned long long start_time(long pid)
{
	struct buf path = BUF_INIT, st = BUF_INIT;
	unsigned long long t = 0;
	const char *p;

	buf_addf(&path, "/proc/%ld/stat", pid);
	if (!buf_read_file(&st, path.buf, 4096) && (p = strrchr(st.buf, ')'))) {
		/* After ") ": field 3 (state); 19 more spaces to field 22. */
		for (int i = 0; i < 20 && p; i++)
			p = strchr(p + 1, ' ');
		if (p)
			t = strtoull(p + 1, NULL, 10);
	}
	buf_release(&path);
	buf_release(&st);
	return t;
}

/* This boot's id and this process's pid namespace, as one word each. */
static int boot_and_ns(struct buf *boot, char *ns, size_t size)
{
	ssize_t n;

	if (buf_read_file(boot, "/proc/sys/kernel/random/boot_id", 64))
		return -1;
	buf_rtrim(boot);
	n = readlink("/proc/self/ns/pid", ns, size - 1);
	if (n <= 0 || !boot->len || strpbrk(boot->buf, " \t\n"))
		return -1;
	ns[n] = '\0';
	return strpbrk(ns, " \t\n") ? -1 : 0;
}

int ssh_owner_record(struct buf *out)
{
	struct buf boot = BUF_INIT;
	char ns[64];
	unsigned long long t = start_time((long)getpid());
	int ret = t && !boot_and_ns(&boot, ns, sizeof(ns)) ? 0 : -1;

	if (!ret)
		buf_addf(out, "%s %s %ld %llu", boot.buf, ns, (long)getpid(), t);
	buf_release(&boot);
	return ret;
}

int ssh_owner_gone(const char *record)
{
	struct buf boot = BUF_INIT;
	char ns[64], rboot[64], rns[64];
	long pid;
	unsigned long long t;
	int gone = 0;

	if (sscanf(record, "%63s %63s %ld %llu", rboot, rns, &pid, &t) == 4 && pid > 0 && t &&
	    !boot_and_ns(&boot, ns, sizeof(ns)) && !strcmp(rboot, boot.buf) && !strcmp(rns, ns)) {
		/* Same boot, same pid namespace: the pid means the same process here. */
		if (kill((pid_t)pid, 0) && errno == ESRCH)
			gone = 1;
		else
			gone = start_time(pid) != t && start_time(pid) != 0;
	}
	buf_release(&boot);
	return gone;
}
