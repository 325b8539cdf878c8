/* Writing a whole block and cutting streams into lines; see io.h. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
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
