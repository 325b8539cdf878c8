#ifndef PERFGO_GOSRC_H
#define PERFGO_GOSRC_H

/*
 * Reading Go source and go.mod text, without the go command: what decides
 * how a commit is built (buildmode.h) and which module it is missing
 * (gotool.c).  Pure text in, values out; no I/O.
 */

#include <stddef.h>

#include "util/strvec.h"

/*
 * The import comment of a Go file's package clause, as go/build reads it:
 *
 *     package fastjson // import "github.com/valyala/fastjson"
 *
 * (or the same words in a block comment) on the line of the clause (comments, blank lines and build constraints
 * may come before it).  Returns 1 with the path in *path_out (caller
 * frees), 0 when the file has no package clause or no import comment, and
 * PG_EPARSE (unreported) when the comment says `import` but its path is
 * not a quoted import path (unterminated, empty, absolute, relative, with
 * spaces or ".." elements).  `src` need not be NUL-terminated.
 */
int gosrc_import_comment(const char *src, size_t len, char **path_out);

/* Whether `path` is usable as an import path (see above); 1 or 0. */
int gosrc_valid_import_path(const char *path);

/*
 * The `module` directive of a go.mod.  1 with the path in *path_out, 0 when
 * there is none, PG_EPARSE when it is malformed.
 */
int gosrc_module_path(const char *src, size_t len, char **path_out);

/*
 * The requirements of a go.mod ("path@version", in file order; both
 * `require x v` and `require ( ... )` forms), leaving out every module a
 * `replace` directive names: those do not come from the module cache as
 * required.  0, or PG_EPARSE on a malformed require line.
 */
int gosrc_requires(const char *src, size_t len, struct strvec *out);

/*
 * A module path or version as the module cache spells it: every upper-case
 * letter becomes '!' and its lower-case form ("github.com/BurntSushi/toml"
 * -> "github.com/!burnt!sushi/toml").  Appends to `out`.
 */
struct buf;
void gosrc_escape_module(struct buf *out, const char *path);

#endif
