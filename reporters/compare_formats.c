/* The table of comparison formats; see compare_formats.h. */
#include <string.h>

#include "compare_formats.h"
#include "util/banned.h"

static void render_text(struct buf *out, const struct compare_report *rep,
			const struct junit_meta *meta)
{
	(void)meta;
	compare_report_text(out, rep);
}

static void render_markdown(struct buf *out, const struct compare_report *rep,
			    const struct junit_meta *meta)
{
	(void)meta;
	compare_report_markdown(out, rep);
}

static void render_json(struct buf *out, const struct compare_report *rep,
			const struct junit_meta *meta)
{
	(void)meta;
	compare_report_json(out, rep);
}

const struct compare_format compare_formats[COMPARE_FORMATS_NR] = {
	[COMPARE_FORMAT_TEXT] = { "text", NULL, NULL, "report.txt", render_text },
	[COMPARE_FORMAT_MARKDOWN] = { "markdown", "markdown",
		"also write the GitHub Markdown report here", "report.md", render_markdown },
	[COMPARE_FORMAT_JSON] = { "json", "json", "also write the JSON report here",
		"report.json", render_json },
	[COMPARE_FORMAT_JUNIT] = { "junit", "junit", "also write the JUnit XML report here",
		"junit.xml", compare_report_junit },
};

const struct compare_format *compare_format_find(const char *name)
{
	for (size_t i = 0; i < COMPARE_FORMATS_NR; i++)
		if (!strcmp(compare_formats[i].name, name))
			return &compare_formats[i];
	return NULL;
}

void compare_format_names(struct buf *out)
{
	for (size_t i = 0; i < COMPARE_FORMATS_NR; i++)
		buf_addf(out, "%s%s", i ? i + 1 < COMPARE_FORMATS_NR ? ", " : " or " : "",
			 compare_formats[i].name);
}
