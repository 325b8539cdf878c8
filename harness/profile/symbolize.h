#ifndef PERFGO_SYMBOLIZE_H
#define PERFGO_SYMBOLIZE_H

/*
 * Offline symbolization of a profile's locations: file names, line
 * numbers and inlined frames from the binary's DWARF, through one batch run
 * of llvm-symbolizer (Debian's LLVM) per mapping, so that pprof needs
 * neither the binary nor its old path.
 */

#include <stdint.h>

#include "profile/profile.h"

/* What perfgo reads of an ELF file's headers. */
struct elf_info {
	struct elf_load { uint64_t off, vaddr, filesz; } load[16];  /* PT_LOAD */
	size_t nload;
	/* NT_GNU_BUILD_ID in hex, else Go's build ID (.note.go.buildid); NULL: none. */
	char *build_id;
};

/* Read `path`'s program headers and build ID (64-bit ELF).  0 or an error (reported). */
int elf_read_info(const char *path, struct elf_info *ei);
void elf_info_release(struct elf_info *ei);

/*
 * Give every location of mapping `map` the lines llvm-symbolizer finds in
 * ELF file `path` (the mapping's binary, on this machine): runtime
 * address -> file offset (mapping) -> virtual address (PT_LOAD); a return
 * address (a location seen only as a caller) is looked up one byte before,
 * inside its call instruction.  Locations it cannot place keep perf's
 * symbol.  The mapping is then marked symbolized.  `scratch` is a
 * directory for the address list.  0, or PG_EENV (reported: no
 * llvm-symbolizer, or it failed).
 */
int symbolize_map(struct profile *p, uint32_t map, const char *path, const struct elf_info *ei,
		  const char *scratch);

#endif
