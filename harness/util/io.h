#ifndef PERFGO_IO_H
#define PERFGO_IO_H

/*
 * Descriptor I/O shared by everything that streams a child's output:
 * writing a whole block, and cutting a stream into lines.  (Reading a
 * descriptor or file to EOF with a cap is buf_read_fd()/buf_read_file().)
 */

#include <stddef.h>
#include <sys/types.h>

#include "util/buf.h"

/*
 * write(2) all `len` bytes of `s` to `fd`, resuming after short writes and
 * EINTR.  0, or -1 with errno set (nothing is reported).
 */
int write_all(int fd, const void *s, size_t len);

/*
 * Hand each complete line in `pending` to `fn` (without its newline; the
 * text is not NUL-terminated) and remove it from `pending`, keeping an
 * incomplete last line for the next call.  With `final`, that last line
 * is handed over too: the stream has ended.  Once `fn` returns nonzero it
 * is not called again, the lines are still consumed, and that value is
 * returned; else 0.
 */
int split_lines(struct buf *pending, int final,
		int (*fn)(void *data, const char *line, size_t len), void *data);

/* mkdir -p; 0 or reported error. */
int mkdir_p(const char *path, int mode);

/*
 * The mount point of the file system holding device `dev` (from
 * /proc/self/mountinfo) into `out`; "?" when it cannot be found.
 */
void io_mount_point(dev_t dev, struct buf *out);

/*
 * Append to `out` (and return its text) the one-line reason that the file
 * system holding `path` (or descriptor `fd` when >= 0) is full: its mount
 * point and the fix.
 */
const char *io_no_space(struct buf *out, const char *path, int fd);

/*
 * Report a failed write of `path` (descriptor `fd` when >= 0, else the
 * path is stat'ed) with errno `err`: a full file system (ENOSPC, EDQUOT)
 * is named with its mount point and the fix.  Returns PG_EENV.
 */
int error_write(const char *path, int fd, int err);

/*
 * Append the whole contents of a file.  Returns 0, or -1 with errno set
 * (nothing is reported: callers decide whether a missing file is an error).
 * `cap` bounds the bytes read (0: no bound); the excess is dropped.
 */
int buf_read_file(struct buf *b, const char *path, size_t cap);
/* Append everything readable from `fd` until EOF; 0 or -1 with errno. */
int buf_read_fd(struct buf *b, int fd, size_t cap);

/* Write the whole buffer to `path` (created 0644, truncated); reports errors. */
int buf_write_file(const struct buf *b, const char *path);

#endif
