/*
 * libFuzzer target for the store's run selectors and schema-version check
 * (store/): the input's first four bytes become PRAGMA user_version (bytes
 * 60..63 of the SQLite header, big-endian) of a copy of a real store made
 * at start-up (three runs); store_open() must take the known versions and
 * refuse any other one with an error, never index past its migrations or
 * run other text as SQL.  When it opens, the rest of the input is a run
 * selector ("0", "-N", a hex id prefix) for store_find_run(): a found run
 * has a 32-hex id starting with the selector's prefix; an ambiguous one
 * lists its candidates.
 */
#include "fuzz_common.h"

#include <sys/stat.h>

#include "git/gitrev.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/io.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

/* In /dev/shm when there is one: each input rewrites and reopens the file. */
static char shm_dir[] = "/dev/shm/perfgo-fuzz-store.XXXXXX";
static char tmp_dir[] = "/tmp/perfgo-fuzz-store.XXXXXX";
static const char *dir;
static struct buf db_path = BUF_INIT, image = BUF_INIT;
static char ids[3][33];

static void cleanup(void)
{
	remove_tree(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct store *st;

	(void)argc;
	(void)argv;
	fuzz_quiet();
	dir = mkdtemp(shm_dir);
	if (!dir)
		dir = mkdtemp(tmp_dir);
	if (!dir)
		abort();
	atexit(cleanup);
	if (store_open(&st, dir, 1))
		abort();
	for (int i = 0; i < 3; i++) {
		struct run_info ri = { .command = "test stat", .started_ns = 1000 + i };

		if (store_run_begin(st, &ri))
			abort();
		memcpy(ids[i], ri.id, 33);
	}
	store_close(st);
	buf_addf(&db_path, "%s/perfgo.db", dir);
	if (buf_read_file(&image, db_path.buf, 1 << 24) < 0 || image.len < 100)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf img = BUF_INIT, wal = BUF_INIT;
	struct run_list cand = RUN_LIST_INIT;
	struct run_row row;
	struct store *st = NULL;
	char *sel;
	int ret;

	if (size < 4)
		return 0;
	buf_add(&img, image.buf, image.len);
	memcpy(img.buf + 60, data, 4);
	buf_addf(&wal, "%s-wal", db_path.buf);
	unlink(wal.buf);
	buf_setlen(&wal, wal.len - 4);
	buf_addstr(&wal, "-shm");
	unlink(wal.buf);
	if (buf_write_file(&img, db_path.buf))
		abort();
	ret = store_open(&st, dir, 0);
	if (ret) {
		if (st || ret > 0)
			abort();
		goto out;
	}
	sel = fuzz_cstr(data + 4, size - 4);
	ret = store_find_run(st, sel, &row, &cand);
	if (ret == 0) {
		size_t n = strspn(sel, "0123456789abcdefABCDEF");

		if (strlen(row.id) != 32 || strspn(row.id, "0123456789abcdef") != 32)
			abort();
		if (n == strlen(sel) && strcmp(sel, "0") && strncasecmp(row.id, sel, n))
			abort();
		run_row_release(&row);
	} else if (ret == PG_EAMBIGUOUS) {
		if (cand.nr < 2)
			abort();
	} else if (ret != PG_ENOTFOUND && ret != PG_EUSAGE) {
		abort();
	}
	run_list_release(&cand);
	free(sel);
	store_close(st);
out:
	buf_release(&img);
	buf_release(&wal);
	return 0;
}
