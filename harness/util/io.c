/* Writing a whole block and cutting streams into lines; see io.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "util/io.h"
#include "util/usage.h"
#include "util/banned.h"

int write_all(int fd, const void *s, size_t len)
{
	const char *p = s;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (!n) {
			/* Only a broken descriptor says it wrote nothing; do not spin. */
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int split_lines(struct buf *pending, int final,
		int (*fn)(void *data, const char *line, size_t len), void *data)
{
	size_t start = 0;
	int ret = 0;

	for (;;) {
		char *nl = memchr(pending->buf + start, '\n', pending->len - start);
		size_t len;

		if (!nl && (!final || start == pending->len))
			break;
		len = nl ? (size_t)(nl - (pending->buf + start)) : pending->len - start;
		if (!ret)
			ret = fn(data, pending->buf + start, len);
		start += len + (nl ? 1 : 0);
	}
	/* Keep the incomplete tail. */
	memmove(pending->buf, pending->buf + start, pending->len - start);
	buf_setlen(pending, pending->len - start);
	return ret;
}

int mkdir_p(const char *path, int mode)
{
	struct buf b = BUF_INIT;
	int ret = 0;

	buf_addstr(&b, path);
	for (char *p = b.buf + 1; ; p++) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (mkdir(b.buf, (mode_t)mode) && errno != EEXIST) {
			ret = error("cannot create directory '%s': %s", b.buf, strerror(errno));
			break;
		}
		*p = c;
		if (!c)
			break;
	}
	buf_release(&b);
	return ret;
}

void io_mount_point(dev_t dev, struct buf *out)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096], want[64], mnt[4096];
	int found = 0;

	buf_reset(out);
	snprintf(want, sizeof(want), "%u:%u", major(dev), minor(dev));
	while (f && fgets(line, sizeof(line), f)) {
		char devs[64];

		/* id parent major:minor root mount-point ...; the last match is on top. */
		if (sscanf(line, "%*s %*s %63s %*s %4095s", devs, mnt) == 2 && !strcmp(devs, want)) {
			buf_reset(out);
			/* mountinfo escapes space, tab, newline and backslash as \ooo. */
			for (const char *c = mnt; *c; c++) {
				if (c[0] == '\\' && c[1] >= '0' && c[1] <= '3' && c[2] && c[3]) {
					buf_addch(out, (char)((c[1] - '0') * 64 + (c[2] - '0') * 8 + (c[3] - '0')));
					c += 3;
				} else {
					buf_addch(out, *c);
				}
			}
			found = 1;
		}
	}
	if (f)
		fclose(f);
	if (!found)
		buf_addstr(out, "?");
}

const char *io_no_space(struct buf *out, const char *path, int fd)
{
	struct buf mnt = BUF_INIT;
	struct stat st;

	if (fd >= 0 ? fstat(fd, &st) : stat(path, &st))
		buf_addstr(&mnt, "?");
	else
		io_mount_point(st.st_dev, &mnt);
	buf_addf(out, "the file system mounted at '%s' is full: free space there, or set "
		 "PERFGO_DIR (results) and TMPDIR (scratch) to directories on another file system",
		 mnt.buf);
	buf_release(&mnt);
	return out->buf;
}

int error_write(const char *path, int fd, int err)
{
	struct buf why = BUF_INIT;
	int ret;

	if (err == ENOSPC || err == EDQUOT)
		io_no_space(&why, path, fd);
	else
		buf_addstr(&why, strerror(err));
	ret = error_code(PG_EENV, "cannot write '%s': %s", path, why.buf);
	buf_release(&why);
	return ret;
}

int buf_read_fd(struct buf *b, int fd, size_t cap)
{
	size_t got = 0;

	for (;;) {
		ssize_t n;
		size_t want = 65536;

		if (cap && got >= cap)
			return 0;
		if (cap && want > cap - got)
			want = cap - got;
		buf_grow(b, want);
		n = read(fd, b->buf + b->len, want);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (!n)
			return 0;
		b->len += (size_t)n;
		got += (size_t)n;
		b->buf[b->len] = '\0';
	}
}

int buf_read_file(struct buf *b, const char *path, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret, saved;

	if (fd < 0)
		return -1;
	ret = buf_read_fd(b, fd, cap);
	saved = errno;
	close(fd);
	errno = saved;
	return ret;
}

int buf_write_file(const struct buf *b, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int ret;

	if (fd < 0)
		return error("cannot create '%s': %s", path, strerror(errno));
	if (write_all(fd, b->buf, b->len)) {
		ret = error_write(path, fd, errno);
		close(fd);
		return ret;
	}
	if (close(fd) < 0)
		return error_write(path, -1, errno);
	return 0;
}
