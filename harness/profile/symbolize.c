/* ELF headers and llvm-symbolizer; see symbolize.h. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "profile/symbolize.h"
#include "util/buf.h"
#include "util/io.h"
#include "util/proc.h"
#include "util/usage.h"
#include "util/banned.h"

void elf_info_release(struct elf_info *ei)
{
	free(ei->build_id);
	memset(ei, 0, sizeof(*ei));
}

/* The build ID in one PT_NOTE segment's notes, if any. */
static void read_notes(const unsigned char *n, size_t len, struct elf_info *ei)
{
	size_t at = 0;

	while (at + sizeof(Elf64_Nhdr) <= len) {
		Elf64_Nhdr h;
		size_t name, desc;

		memcpy(&h, n + at, sizeof(h));
		name = at + sizeof(h);
		desc = name + ((h.n_namesz + 3u) & ~3u);
		if (desc > len || h.n_descsz > len - desc)
			return;
		if (h.n_namesz == 4 && !memcmp(n + name, "GNU", 4) && h.n_type == NT_GNU_BUILD_ID) {
			struct buf b = BUF_INIT;

			for (size_t i = 0; i < h.n_descsz; i++)
				buf_addf(&b, "%02x", n[desc + i]);
			free(ei->build_id);
			ei->build_id = buf_detach(&b);
			return;
		}
		/* Go's linker: name "Go\0\0", type 4 (ELF_NOTE_GOBUILDID_TAG), the ID as text. */
		if ((h.n_namesz == 3 || h.n_namesz == 4) && !memcmp(n + name, "Go", 3) &&
		    h.n_type == 4 && !ei->build_id)
			ei->build_id = xstrndup((const char *)n + desc, h.n_descsz);
		at = desc + ((h.n_descsz + 3u) & ~3u);
	}
}

int elf_read_info(const char *path, struct elf_info *ei)
{
	Elf64_Ehdr eh;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = 0;

	memset(ei, 0, sizeof(*ei));
	if (fd < 0)
		return error("cannot open '%s': %s", path, strerror(errno));
	if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_phentsize != sizeof(Elf64_Phdr)) {
		ret = error("'%s' is not a 64-bit ELF file", path);
		goto out;
	}
	for (size_t i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + i * sizeof(ph))) != (ssize_t)sizeof(ph)) {
			ret = error("'%s': truncated program headers", path);
			goto out;
		}
		if (ph.p_type == PT_LOAD && ei->nload < ARRAY_SIZE(ei->load)) {
			ei->load[ei->nload].off = ph.p_offset;
			ei->load[ei->nload].vaddr = ph.p_vaddr;
			ei->load[ei->nload].filesz = ph.p_filesz;
			ei->nload++;
		} else if (ph.p_type == PT_NOTE && ph.p_filesz && ph.p_filesz < (1u << 20)) {
			unsigned char *n = xmalloc(ph.p_filesz);

			if (pread(fd, n, ph.p_filesz, (off_t)ph.p_offset) == (ssize_t)ph.p_filesz)
				read_notes(n, ph.p_filesz, ei);
			free(n);
		}
	}
out:
	close(fd);
	return ret;
}

/* The virtual address of runtime address `addr` in mapping `m`; 0: outside the file. */
static uint64_t to_vaddr(const struct prof_map *m, const struct elf_info *ei, uint64_t addr)
{
	uint64_t off;

	if (addr < m->start || addr >= m->limit)
		return 0;
	off = addr - m->start + m->offset;
	for (size_t i = 0; i < ei->nload; i++)
		if (off >= ei->load[i].off && off - ei->load[i].off < ei->load[i].filesz)
			return off - ei->load[i].off + ei->load[i].vaddr;
	return 0;
}

/* One llvm-symbolizer JSON answer: the location's lines, innermost first. */
static void apply_answer(struct profile *p, uint32_t loc, const char *s, size_t len)
{
	json_t *root = json_loadb(s, len, 0, NULL), *sym = json_object_get(root, "Symbol");
	struct prof_line lines[32];
	size_t n = 0, i;
	json_t *e;

	json_array_foreach(sym, i, e) {
		const char *fn = json_string_value(json_object_get(e, "FunctionName"));
		const char *file = json_string_value(json_object_get(e, "FileName"));
		json_int_t line = json_integer_value(json_object_get(e, "Line"));
		json_int_t start = json_integer_value(json_object_get(e, "StartLine"));

		if (!fn || !*fn || n >= ARRAY_SIZE(lines))
			break;
		lines[n].func = profile_func(p, profile_str(p, fn, strlen(fn)),
					     profile_str(p, file ? file : "", file ? strlen(file) : 0),
					     start);
		lines[n].line = line;
		n++;
	}
	if (n)
		profile_loc_lines(p, loc, lines, n);
	json_decref(root);
}

int symbolize_map(struct profile *p, uint32_t map, const char *path, const struct elf_info *ei,
		  const char *scratch)
{
	struct prof_map *m = &p->maps[map - 1];
	struct buf addrs = BUF_INIT, file = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
	uint32_t *which = NULL;
	size_t n = 0;
	struct proc pr;
	char *prog = proc_which("llvm-symbolizer");
	int fd = -1, ret = 0, code;

	proc_init(&pr);
	if (!prog)
		prog = proc_which("llvm-symbolizer-14");
	if (!prog) {
		ret = error_code(PG_EENV, "llvm-symbolizer is not installed: profiles get no source "
				 "lines; install Debian's 'llvm'");
		goto out;
	}
	which = xcalloc(p->nlocs + 1, sizeof(*which));
	for (size_t i = 0; i < p->nlocs; i++) {
		const struct prof_loc *l = &p->locs[i];
		uint64_t va;

		if (l->map != map || !(va = to_vaddr(m, ei, l->addr)))
			continue;
		/* A return address: the call is the byte before it. */
		if (l->caller && !l->leaf)
			va--;
		buf_addf(&addrs, "0x%llx\n", (unsigned long long)va);
		which[n++] = (uint32_t)i + 1;
	}
	if (!n)
		goto done;
	buf_addf(&file, "%s/symbolize.in", scratch);
	if (buf_write_file(&addrs, file.buf)) {
		ret = error_code(PG_EENV, "cannot write '%s': %s", file.buf, strerror(errno));
		goto out;
	}
	fd = open(file.buf, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = error_code(PG_EENV, "cannot open '%s': %s", file.buf, strerror(errno));
		goto out;
	}
	strvec_push(&pr.args, prog);
	strvec_pushf(&pr.args, "--obj=%s", path);
	strvec_pushl(&pr.args, "--output-style=JSON", "--inlines", "--functions=linkage", NULL);
	pr.in = fd;
	code = proc_capture(&pr, &out, &err);
	if (code == PG_EINTR) {
		ret = PG_EINTR;
		goto out;
	}
	if (code) {
		buf_rtrim(&err);
		ret = error_code(PG_EENV, "llvm-symbolizer failed on '%s' (exit %d): %s", path, code,
				 err.buf);
		goto out;
	}
	{
		const char *s = out.buf, *end = out.buf + out.len;

		for (size_t i = 0; i < n && s < end; i++) {
			const char *nl = memchr(s, '\n', (size_t)(end - s));
			size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);

			apply_answer(p, which[i], s, len);
			s += len + (nl != NULL);
		}
	}
done:
	m->symbolized = 1;
out:
	if (fd >= 0)
		close(fd);
	if (file.len)
		unlink(file.buf);
	proc_release(&pr);
	free(prog);
	free(which);
	buf_release(&addrs);
	buf_release(&file);
	buf_release(&out);
	buf_release(&err);
	return ret;
}
