/* The reports of a comparison, to stdout and files; see compare_outputs.h. */
#include <stdio.h>

#include "sinks/compare_outputs.h"
#include "util/io.h"
#include "util/usage.h"
#include "util/banned.h"

static int write_report(const char *path, const struct compare_format *f,
			const struct compare_report *rep, const struct junit_meta *meta)
{
	struct buf out = BUF_INIT;
	int ret;

	f->render(&out, rep, meta);
	ret = buf_write_file(&out, path) ? PG_EENV : 0;
	buf_release(&out);
	return ret;
}

int compare_outputs_write(const struct compare_outputs *o, const struct compare_report *rep,
			  const struct junit_meta *meta)
{
	const struct compare_format *f = compare_format_find(o->format);
	struct buf out = BUF_INIT;
	int ret = 0;

	if (!f)
		BUG("unknown comparison format '%s'", o->format);
	f->render(&out, rep, meta);
	fwrite(out.buf, 1, out.len, stdout);
	fflush(stdout);
	buf_release(&out);
	for (size_t i = 0; o->run_dir && i < COMPARE_FORMATS_NR && !ret; i++) {
		struct buf path = BUF_INIT;

		buf_addf(&path, "%s/%s", o->run_dir, compare_formats[i].saved_as);
		ret = write_report(path.buf, &compare_formats[i], rep, meta);
		buf_release(&path);
	}
	for (size_t i = 0; i < COMPARE_FORMATS_NR && !ret; i++)
		if (o->file[i])
			ret = write_report(o->file[i], &compare_formats[i], rep, meta);
	return ret;
}
