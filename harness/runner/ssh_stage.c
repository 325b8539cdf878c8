/*
 * The ssh runner's files (runner_ssh.h has the design): staging a test
 * binary and its package's files in the remote directory, fetching what
 * a job wrote.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/proc.h"
#include "util/quote.h"
#include "runner/ssh_internal.h"
#include "util/usage.h"
#include "util/banned.h"

/* What a test may read at run time: the non-Go files and testdata/. */
static int package_files(const char *dir, struct strvec *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return error_code(PG_EENV, "cannot read '%s': %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		struct buf p = BUF_INIT;
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		buf_addf(&p, "%s/%s", dir, e->d_name);
		if (!lstat(p.buf, &st)) {
			/* "./" keeps a name like "-x" from being read as an option by tar. */
			if (S_ISDIR(st.st_mode) ? !strcmp(e->d_name, "testdata") :
			    (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) && !ends_with(e->d_name, ".go"))
				strvec_pushf(out, "./%s", e->d_name);
		}
		buf_release(&p);
	}
	closedir(d);
	return 0;
}

/* tar -c locally | ssh 'cd DIR && tar -x'. */
static int send_files(struct runner *r, const char *pkg_dir, const struct strvec *files,
		      const char *rdir)
{
	struct ssh_state *ss = r->priv;
	struct buf script = BUF_INIT, err = BUF_INIT, msg = BUF_INIT;
	struct proc tar;
	int pfd[2], ret, tcode;

	if (pipe2(pfd, O_CLOEXEC))
		return error("cannot create a pipe: %s", strerror(errno));
	proc_init(&tar);
	strvec_pushl(&tar.args, "tar", "-cf", "-", "-C", pkg_dir, NULL);
	strvec_pushv(&tar.args, files->v);
	tar.out = pfd[1];
	ret = proc_start(&tar);
	close(pfd[1]);
	if (ret) {
		close(pfd[0]);
		proc_release(&tar);
		return ret;
	}
	buf_addstr(&script, "cd ");
	sq_quote_buf(&script, rdir);
	buf_addstr(&script, " && tar -xof -");
	ret = ssh_run(r, script.buf, pfd[0], NULL, PROC_NULL, &err);
	/* Our read end is the last one: a tar still writing gets EPIPE now. */
	close(pfd[0]);
	if (ret < 0) {
		proc_kill(&tar);
	} else {
		tcode = proc_wait(&tar);
		if (tcode == PG_EINTR)
			ret = PG_EINTR;
		else if (ret > 0 || tcode) {
			ssh_last_line(err.buf, &msg);
			ret = error_code(PG_EENV, "cannot copy the files of '%s' to '%s': %s",
					 pkg_dir, ss->host, msg.len ? msg.buf : "tar failed");
		}
	}
	proc_release(&tar);
	buf_release(&script);
	buf_release(&err);
	buf_release(&msg);
	return ret;
}

static char *package_base(const char *dir)
{
	size_t len = strlen(dir), start;

	while (len > 1 && dir[len - 1] == '/')
		len--;
	start = len;
	while (start > 0 && dir[start - 1] != '/')
		start--;
	if (len == start || (len - start == 1 && dir[start] == '.') ||
	    (len - start == 2 && !strncmp(dir + start, "..", 2)) || dir[start] == '/')
		return xstrdup("pkg");
	return xstrndup(dir + start, len - start);
}

int ssh_stage(struct runner *r, const char *local_bin, const char *pkg_dir,
	      char **bin_out, char **dir_out)
{
	struct ssh_state *ss = r->priv;
	struct buf rbin = BUF_INIT, rdir = BUF_INIT, script = BUF_INIT, err = BUF_INIT,
		msg = BUF_INIT;
	struct strvec files = STRVEC_INIT;
	unsigned i = ss->nstaged++;
	char *base = package_base(pkg_dir);
	int fd, ret;

	buf_addf(&rbin, "%s/p%u.test", r->scratch, i);
	buf_addf(&rdir, "%s/p%u/%s", r->scratch, i, base);
	fd = open(local_bin, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = error_code(PG_EENV, "cannot read '%s': %s", local_bin, strerror(errno));
		goto out;
	}
	buf_addstr(&script, "mkdir -p ");
	sq_quote_buf(&script, rdir.buf);
	buf_addstr(&script, " && cat >");
	sq_quote_buf(&script, rbin.buf);
	buf_addstr(&script, " && chmod 700 ");
	sq_quote_buf(&script, rbin.buf);
	ret = ssh_run(r, script.buf, fd, NULL, PROC_NULL, &err);
	close(fd);
	if (ret > 0) {
		ssh_last_line(err.buf, &msg);
		ret = error_code(PG_EENV, "cannot copy the test binary to '%s': %s", ss->host,
				 msg.len ? msg.buf : "failed");
	}
	if (!ret)
		ret = package_files(pkg_dir, &files);
	if (!ret && files.nr)
		ret = send_files(r, pkg_dir, &files, rdir.buf);
	if (!ret) {
		*bin_out = buf_detach(&rbin);
		*dir_out = buf_detach(&rdir);
	}
out:
	free(base);
	strvec_clear(&files);
	buf_release(&rbin);
	buf_release(&rdir);
	buf_release(&script);
	buf_release(&err);
	buf_release(&msg);
	return ret;
}

/* ------------------------------------------------------------------- fetch */

int ssh_fetch(struct runner *r, const char *remote, const char *local)
{
	struct buf script = BUF_INIT;
	int fd, ret;

	fd = open(local, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return error_code(PG_EENV, "cannot create '%s': %s", local, strerror(errno));
	buf_addstr(&script, "cat ");
	sq_quote_buf(&script, remote);
	ret = ssh_run(r, script.buf, PROC_NULL, NULL, fd, NULL);
	close(fd);
	buf_release(&script);
	if (ret > 0)
		ret = PG_ENOTFOUND;    /* the caller says what was missing */
	if (ret)
		unlink(local);
	return ret;
}

