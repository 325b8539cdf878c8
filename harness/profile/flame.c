/* A self-contained HTML flame graph of a profile; see flame.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "profile/flame.h"
#include "profile/pprof.h"
#include "util/io.h"
#include "util/usage.h"
#include "util/banned.h"

struct fnode {
	uint32_t name;           /* string index in the tree's own table; 0: unknown */
	int64_t value, base;     /* the profile's, the base profile's (a difference graph) */
	uint32_t child, next;    /* first child, next sibling (1-based; 0: none) */
};

struct ftree {
	struct fnode *n;
	size_t nr, alloc;
	uint64_t *key;           /* open addressing: (parent << 32 | name) + 1, 0: empty */
	uint32_t *idx;
	size_t cap;
};

static uint64_t fmix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	return x ^ (x >> 33);
}

static void ftree_grow(struct ftree *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024;
	uint64_t *key = xcalloc(cap, sizeof(*key));
	uint32_t *idx = xcalloc(cap, sizeof(*idx));

	for (size_t i = 0; i < t->cap; i++) {
		size_t j;

		if (!t->key[i])
			continue;
		for (j = fmix(t->key[i]) & (cap - 1); key[j]; j = (j + 1) & (cap - 1))
			;
		key[j] = t->key[i];
		idx[j] = t->idx[i];
	}
	free(t->key);
	free(t->idx);
	t->key = key;
	t->idx = idx;
	t->cap = cap;
}

/* The child `name` of node `parent` (1-based), created when missing. */
static uint32_t ftree_child(struct ftree *t, uint32_t parent, uint32_t name)
{
	uint64_t k = ((uint64_t)parent << 32 | name) + 1;
	size_t j;
	struct fnode *n;

	if ((t->nr + 1) * 4 > t->cap * 3)
		ftree_grow(t);
	for (j = fmix(k) & (t->cap - 1); t->key[j]; j = (j + 1) & (t->cap - 1))
		if (t->key[j] == k)
			return t->idx[j];
	ALLOC_GROW(t->n, t->nr + 1, t->alloc);
	n = &t->n[t->nr++];
	memset(n, 0, sizeof(*n));
	n->name = name;
	n->next = t->n[parent - 1].child;
	t->n[parent - 1].child = (uint32_t)t->nr;
	t->key[j] = k;
	t->idx[j] = (uint32_t)t->nr;
	return (uint32_t)t->nr;
}

static void json_string(struct buf *out, const char *s)
{
	buf_addch(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			buf_addf(out, "\\%c", c);
		else if (c < 0x20 || c == '<' || c == '>' || c == '&')
			buf_addf(out, "\\u%04x", c);   /* no "</script>" inside the page */
		else
			buf_addch(out, (char)c);
	}
	buf_addch(out, '"');
}

static void emit(const struct ftree *t, uint32_t id, int diff, struct buf *out)
{
	const struct fnode *n = &t->n[id - 1];

	buf_addf(out, "[%u,%lld,[", n->name, (long long)n->value);
	for (uint32_t c = n->child; c; c = t->n[c - 1].next) {
		emit(t, c, diff, out);
		if (t->n[c - 1].next)
			buf_addch(out, ',');
	}
	if (diff)
		buf_addf(out, "],%lld]", (long long)n->base);
	else
		buf_addstr(out, "]]");
}

/*
 * Add every sample of `p` to the tree (into value, or base with `base`),
 * outermost frame first, inlined frames expanded; function names are
 * interned in `names` so that two profiles share one table.
 */
static void ftree_add(struct ftree *t, struct profile *names, const struct profile *p, int base)
{
	for (size_t i = 0; i < p->nsamples; i++) {
		const struct prof_sample *s = &p->samples[i];
		uint32_t node = 1;

		*(base ? &t->n[0].base : &t->n[0].value) += s->period;
		/* A location's lines are innermost first. */
		for (size_t k = s->nstack; k-- > 0;) {
			const struct prof_loc *l = &p->locs[p->stacks[s->stack0 + k] - 1];

			for (uint32_t li = l->nline ? l->nline : 1; li-- > 0;) {
				uint32_t f = l->nline ? p->lines[l->line0 + li].func : 0;
				uint32_t name = 0;

				if (f) {
					const char *fn = p->str[p->funcs[f - 1].name];

					name = profile_str(names, fn, strlen(fn));
				}
				node = ftree_child(t, node, name);
				*(base ? &t->n[node - 1].base : &t->n[node - 1].value) += s->period;
			}
		}
	}
}

static const char page_head[] =
	"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>perfgo flame graph</title>\n"
	"<style>body{font:12px sans-serif;margin:8px}#fg{position:relative;width:100%}"
	".f{position:absolute;height:17px;overflow:hidden;white-space:nowrap;border:1px solid #fff;"
	"box-sizing:border-box;cursor:pointer;padding-left:2px;line-height:15px}"
	".m{background:#d050f0!important}</style></head>\n<body><h3 id=\"t\"></h3>\n"
	"<div>search (regexp): <input id=\"q\" size=\"40\"> <span id=\"info\"></span> "
	"&middot; click a frame to zoom, the bottom one to zoom out</div><br>\n"
	"<div id=\"fg\"></div>\n<script>\nconst D = ";

static const char page_tail[] =
	";\nconst N = D.names, fg = document.getElementById('fg'), q = document.getElementById('q'),\n"
	"  info = document.getElementById('info');\n"
	"let zoom = D.root;\n"
	"document.getElementById('t').textContent = D.title;\n"
	"function nm(n) { return n[0] ? N[n[0]] : '[unknown]'; }\n"
	"function fmt(v) { return D.unit === 'nanoseconds' ? (v / 1e6).toFixed(2) + 'ms' : String(v); }\n"
	"function color(s) { let h = 0; for (const c of s) h = (h * 31 + c.charCodeAt(0)) | 0;\n"
	"  return 'hsl(' + (15 + Math.abs(h) % 40) + ',85%,' + (58 + Math.abs(h >> 8) % 18) + '%)'; }\n"
	"function dcolor(n) { const a = n[1] / D.root[1], b = D.root[3] ? n[3] / D.root[3] : 0,\n"
	"  d = Math.max(-1, Math.min(1, (a - b) / Math.max(a, b, 1e-9))), l = 95 - 40 * Math.abs(d);\n"
	"  return d >= 0 ? 'hsl(0,85%,' + l + '%)' : 'hsl(220,85%,' + l + '%)'; }\n"
	"function depth(n) { let d = 0; for (const c of n[2]) d = Math.max(d, depth(c)); return d + 1; }\n"
	"function sum(n, re) { if (re.test(nm(n))) return n[1]; let s = 0;\n"
	"  for (const c of n[2]) s += sum(c, re); return s; }\n"
	"function render() {\n"
	"  fg.innerHTML = '';\n"
	"  const W = fg.clientWidth, H = 18, dmax = depth(zoom);\n"
	"  let re = null;\n"
	"  try { re = q.value ? new RegExp(q.value) : null; } catch (e) { re = null; }\n"
	"  fg.style.height = (dmax * H) + 'px';\n"
	"  function draw(n, x, d, w) {\n"
	"    if (w < 0.5) return;\n"
	"    const e = document.createElement('div'), s = nm(n);\n"
	"    e.className = 'f'; e.textContent = s;\n"
	"    e.style.left = x + 'px'; e.style.width = w + 'px'; e.style.top = ((dmax - 1 - d) * H) + 'px';\n"
	"    e.style.background = D.diff ? dcolor(n) : color(s);\n"
	"    e.title = s + ' ' + fmt(n[1]) + ' (' + (100 * n[1] / D.root[1]).toFixed(2) + '%)' +\n"
	"      (D.diff ? '; base ' + fmt(n[3]) + ' (' + (100 * n[3] / D.root[3]).toFixed(2) + '%)' : '');\n"
	"    if (re && re.test(s)) e.classList.add('m');\n"
	"    e.onclick = () => { zoom = n === zoom ? D.root : n; render(); };\n"
	"    fg.appendChild(e);\n"
	"    let cx = x;\n"
	"    for (const c of n[2]) { const cw = w * c[1] / n[1]; draw(c, cx, d + 1, cw); cx += cw; }\n"
	"  }\n"
	"  draw(zoom, 0, 0, W);\n"
	"  info.textContent = re ? 'matched ' + fmt(sum(D.root, re)) + ' (' +\n"
	"    (100 * sum(D.root, re) / D.root[1]).toFixed(2) + '%)' : '';\n"
	"}\n"
	"q.oninput = render; window.onresize = render; render();\n"
	"</script></body></html>\n";

static void page(const struct profile *p, const struct profile *base, const char *title,
		 struct buf *out)
{
	struct ftree t = { 0 };
	struct profile names;
	const char *root = p->benchmark ? p->benchmark : "all";

	profile_init(&names);
	ALLOC_GROW(t.n, 1, t.alloc);
	memset(&t.n[0], 0, sizeof(t.n[0]));
	t.nr = 1;
	/* The root is named after the benchmark; string 0 is "" (unknown frames). */
	t.n[0].name = profile_str(&names, root, strlen(root));
	ftree_add(&t, &names, p, 0);
	if (base)
		ftree_add(&t, &names, base, 1);
	buf_addstr(out, page_head);
	buf_addstr(out, "{\"title\":");
	json_string(out, title);
	buf_addstr(out, ",\"unit\":");
	json_string(out, pprof_event_unit(p->event ? p->event : ""));
	buf_addf(out, ",\"diff\":%s,\"names\":[", base ? "true" : "false");
	for (size_t i = 0; i < names.nstr; i++) {
		if (i)
			buf_addch(out, ',');
		json_string(out, names.str[i]);
	}
	buf_addstr(out, "],\"root\":");
	emit(&t, 1, base != NULL, out);
	buf_addch(out, '}');
	buf_addstr(out, page_tail);
	profile_release(&names);
	free(t.n);
	free(t.key);
	free(t.idx);
}

void flame_html(const struct profile *p, const char *title, struct buf *out)
{
	page(p, NULL, title, out);
}

void flame_diff_html(const struct profile *p, const struct profile *base, const char *title,
		     struct buf *out)
{
	page(p, base, title, out);
}

int flame_diff_write(const struct profile *p, const struct profile *base, const char *title,
		     const char *path)
{
	struct buf b = BUF_INIT;
	int ret = 0;

	page(p, base, title, &b);
	if (buf_write_file(&b, path))
		ret = error_code(PG_EENV, "cannot write '%s': %s", path, strerror(errno));
	buf_release(&b);
	return ret;
}

int flame_write(const struct profile *p, const char *title, const char *path)
{
	struct buf b = BUF_INIT;
	int ret = 0;

	flame_html(p, title, &b);
	if (buf_write_file(&b, path))
		ret = error_code(PG_EENV, "cannot write '%s': %s", path, strerror(errno));
	buf_release(&b);
	return ret;
}
