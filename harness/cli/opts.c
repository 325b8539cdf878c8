/* Table-driven option parsing; see opts.h. */
#include <string.h>

#include "util/buf.h"
#include "cli/opts.h"
#include "util/parse.h"
#include "util/banned.h"

int opts_parse_bool(const char *s)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(s, yes[i]))
			return 1;
		if (!strcmp(s, no[i]))
			return 0;
	}
	return -1;
}

static const struct opt *find_long(const struct opt *opts, const char *name,
				   size_t len, int *negated)
{
	*negated = 0;
	for (const struct opt *o = opts; o->type != OPT_END; o++)
		if (o->long_name && strlen(o->long_name) == len &&
		    !strncmp(o->long_name, name, len))
			return o;
	/* --no-<bool> */
	if (len > 3 && !strncmp(name, "no-", 3)) {
		for (const struct opt *o = opts; o->type != OPT_END; o++)
			if (o->type == OPT_BOOL && o->long_name &&
			    strlen(o->long_name) == len - 3 &&
			    !strncmp(o->long_name, name + 3, len - 3)) {
				*negated = 1;
				return o;
			}
	}
	return NULL;
}

static const struct opt *find_short(const struct opt *opts, int c)
{
	for (const struct opt *o = opts; o->type != OPT_END; o++)
		if (o->short_name && o->short_name == c)
			return o;
	return NULL;
}

/* Store `value` (may be NULL for booleans) into the option's destination. */
static int assign(const struct opt *o, const char *shown, const char *value,
		  int negated)
{
	int b;

	switch (o->type) {
	case OPT_BOOL:
		if (!value) {
			*(int *)o->dest = !negated;
			return 0;
		}
		b = opts_parse_bool(value);
		if (negated || b < 0)
			return error_code(PG_EUSAGE, "option '%s' takes true or false, not '%s'",
					  shown, value);
		*(int *)o->dest = b;
		return 0;
	case OPT_STRING:
		*(const char **)o->dest = value;
		return 0;
	case OPT_INT:
		if (parse_int(value, (int *)o->dest))
			return error_code(PG_EUSAGE, "option '%s' needs a whole number, not '%s'",
					  shown, value);
		return 0;
	case OPT_STRING_LIST:
		strvec_push(o->dest, value);
		return 0;
	case OPT_END:
		break;
	}
	BUG("bad option type");
}

static int parse_long(const struct opt *opts, int argc, const char **argv,
		      int *i, unsigned flags, struct strvec *rest)
{
	const char *arg = argv[*i] + 2;
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	int negated, ret;
	const struct opt *o = find_long(opts, arg, len, &negated);
	struct buf shown = BUF_INIT;

	if (!o) {
		if (flags & OPTS_KEEP_UNKNOWN) {
			strvec_push(rest, argv[*i]);
			return 0;
		}
		return error_code(PG_EUSAGE, "unknown option '--%.*s'", (int)len, arg);
	}
	/* Messages name the option as typed, without any "=value". */
	buf_addf(&shown, "--%.*s", (int)len, arg);
	if (o->type == OPT_BOOL)
		ret = assign(o, shown.buf, eq ? eq + 1 : NULL, negated);
	else if (eq)
		ret = assign(o, shown.buf, eq + 1, 0);
	else if (*i + 1 >= argc)
		ret = error_code(PG_EUSAGE, "option '%s' needs a value", shown.buf);
	else {
		(*i)++;
		ret = assign(o, shown.buf, argv[*i], 0);
	}
	buf_release(&shown);
	return ret;
}

static int parse_short(const struct opt *opts, int argc, const char **argv,
		       int *i, unsigned flags, struct strvec *rest)
{
	const char *arg = argv[*i] + 1;

	/* Bundled booleans ("-qv") and an attached value ("-ecycles"). */
	for (; *arg; arg++) {
		const struct opt *o = find_short(opts, *arg);
		char shown[3] = { '-', *arg, '\0' };
		int ret;

		if (!o) {
			if (flags & OPTS_KEEP_UNKNOWN) {
				strvec_push(rest, argv[*i]);
				return 0;
			}
			return error_code(PG_EUSAGE, "unknown option '%s'", argv[*i]);
		}
		if (o->type == OPT_BOOL) {
			ret = assign(o, shown, NULL, 0);
			if (ret)
				return ret;
			continue;
		}
		if (arg[1])
			return assign(o, shown, arg[1] == '=' ? arg + 2 : arg + 1, 0);
		if (*i + 1 >= argc)
			return error_code(PG_EUSAGE, "option '%s' needs a value", shown);
		(*i)++;
		return assign(o, shown, argv[*i], 0);
	}
	return 0;
}

int opts_parse(const struct opt *opts, int argc, const char **argv,
	       unsigned flags, struct strvec *rest, int *help_out)
{
	int i;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		int ret;

		/* As git: what follows is positional, even "-x" (a branch named so). */
		if (!strcmp(a, "--") || !strcmp(a, "--end-of-options")) {
			i++;
			break;
		}
		if (help_out && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
			*help_out = 1;
			return 0;
		}
		if (a[0] != '-' || !a[1]) {
			if (flags & OPTS_STOP_AT_NON_OPTION)
				break;
			strvec_push(rest, a);
			continue;
		}
		if (a[1] == '-')
			ret = parse_long(opts, argc, argv, &i, flags, rest);
		else
			ret = parse_short(opts, argc, argv, &i, flags, rest);
		if (ret)
			return ret;
	}
	for (; i < argc; i++)
		strvec_push(rest, argv[i]);
	return 0;
}

void opts_usage(const struct opt *opts, struct buf *out)
{
	for (const struct opt *o = opts; o->type != OPT_END; o++) {
		size_t start = out->len;

		if (!o->help)
			continue;
		buf_addstr(out, "  ");
		if (o->short_name)
			buf_addf(out, "-%c, ", o->short_name);
		else
			buf_addstr(out, "    ");
		if (o->long_name)
			buf_addf(out, "--%s", o->long_name);
		if (o->argh)
			buf_addf(out, " %s", o->argh);
		if (out->len - start < 30)
			buf_addchars(out, ' ', 30 - (out->len - start));
		else
			buf_addstr(out, "  ");
		buf_addf(out, "%s\n", o->help);
	}
}
