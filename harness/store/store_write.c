/*
 * The write side of the store: fingerprints, the run lifecycle
 * (begin, packages, finish), benchmarks, samples, events and artifacts.
 * Every call has committed when it returns; store_add_samples() wraps one
 * job in one transaction.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/sha256.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "util/usage.h"
#include "util/clock.h"
#include "util/banned.h"

/* Fingerprints. */

void fingerprint_release(struct fingerprint *fp)
{
	if (!fp)
		return;
	free(fp->host);
	free(fp->cpu_model);
	free(fp->kernel);
	free(fp->perf_version);
	free(fp->go_version);
	free(fp->goos);
	free(fp->goarch);
	free(fp->goamd64);
	free(fp->aslr);
	free(fp->governor);
	free(fp->smt);
	memset(fp, 0, sizeof(*fp));
}

/*
 * Fields are serialized as "name=s<len>:<bytes>\n" (or "name=-\n" for
 * NULL) and "name=i<value>\n", which no two different fingerprints share.
 * The version tag makes any future change of the field set a visible,
 * deliberate change of every hash.
 */
static void fp_add_str(struct buf *b, const char *name, const char *s)
{
	if (s)
		buf_addf(b, "%s=s%zu:%s\n", name, strlen(s), s);
	else
		buf_addf(b, "%s=-\n", name);
}

static void fp_add_int(struct buf *b, const char *name, int v)
{
	buf_addf(b, "%s=i%d\n", name, v);
}

static char *fp_digest(const struct fingerprint *fp, int all_fields)
{
	struct buf b = BUF_INIT;
	char hex[SHA256_HEX_SIZE];

	buf_addstr(&b, all_fields ? "perfgo-runner-v1\n" : "perfgo-fingerprint-v1\n");
	fp_add_str(&b, "cpu_model", fp->cpu_model);
	fp_add_int(&b, "cores", fp->cores);
	fp_add_str(&b, "kernel", fp->kernel);
	fp_add_str(&b, "perf_version", fp->perf_version);
	fp_add_str(&b, "go_version", fp->go_version);
	fp_add_str(&b, "goos", fp->goos);
	fp_add_str(&b, "goarch", fp->goarch);
	fp_add_str(&b, "goamd64", fp->goamd64);
	fp_add_int(&b, "gomaxprocs", fp->gomaxprocs);
	fp_add_int(&b, "pmu", fp->pmu);
	if (all_fields) {
		fp_add_str(&b, "host", fp->host);
		fp_add_int(&b, "paranoid", fp->paranoid);
		fp_add_str(&b, "aslr", fp->aslr);
		fp_add_str(&b, "governor", fp->governor);
		fp_add_str(&b, "smt", fp->smt);
	}
	sha256_hex(b.buf, b.len, hex);
	buf_release(&b);
	return xstrdup(hex);
}

char *fingerprint_hash(const struct fingerprint *fp)
{
	return fp_digest(fp, 0);
}

static int fingerprint_lookup(struct store *st, const char *digest, int64_t *id_out)
{
	return store_row_int64(st, id_out, "look up fingerprint",
			       "SELECT id FROM fingerprints WHERE digest = ?1",
			       STORE_PARAMS(STORE_TEXT(digest)));
}

int store_fingerprint(struct store *st, const struct fingerprint *fp, int64_t *id_out)
{
	sqlite3_stmt *stmt = NULL;
	char *hash = fingerprint_hash(fp);
	char *digest = fp_digest(fp, 1);
	int ret;

	ret = fingerprint_lookup(st, digest, id_out);
	if (ret != PG_ENOTFOUND)
		goto out;
	/* Another process may insert the same runner meanwhile: IGNORE, re-read. */
	ret = store_prepare(st,
			    "INSERT OR IGNORE INTO fingerprints (hash, digest, host,"
			    " cpu_model, cores, kernel, perf_version, go_version, goos,"
			    " goarch, goamd64, gomaxprocs, paranoid, pmu, aslr, governor,"
			    " smt, created_ns) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
			    " ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
			    &stmt, "store fingerprint");
	if (ret)
		goto out;
	store_bind_text(stmt, 1, hash);
	store_bind_text(stmt, 2, digest);
	store_bind_text(stmt, 3, fp->host);
	store_bind_text(stmt, 4, fp->cpu_model);
	sqlite3_bind_int(stmt, 5, fp->cores);
	store_bind_text(stmt, 6, fp->kernel);
	store_bind_text(stmt, 7, fp->perf_version);
	store_bind_text(stmt, 8, fp->go_version);
	store_bind_text(stmt, 9, fp->goos);
	store_bind_text(stmt, 10, fp->goarch);
	store_bind_text(stmt, 11, fp->goamd64);
	sqlite3_bind_int(stmt, 12, fp->gomaxprocs);
	sqlite3_bind_int(stmt, 13, fp->paranoid);
	sqlite3_bind_int(stmt, 14, fp->pmu);
	store_bind_text(stmt, 15, fp->aslr);
	store_bind_text(stmt, 16, fp->governor);
	store_bind_text(stmt, 17, fp->smt);
	sqlite3_bind_int64(stmt, 18, clock_wall_ns());
	ret = store_step_done(st, stmt, "store fingerprint");
	if (ret)
		goto out;
	ret = fingerprint_lookup(st, digest, id_out);
	if (ret == PG_ENOTFOUND)
		ret = error_code(PG_EENV, "fingerprint vanished from database '%s'",
				 st->path);
out:
	sqlite3_finalize(stmt);
	free(hash);
	free(digest);
	return ret;
}

/* Runs. */

/* 16 bytes from the kernel's CSPRNG; /dev/urandom if getrandom() is missing. */
static int random_bytes(unsigned char *p, size_t n)
{
	size_t got = 0;
	int fd = -1;

	while (got < n) {
		ssize_t r = getrandom(p + got, n - got, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		got += (size_t)r;
	}
	if (got == n)
		return 0;
	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error_code(PG_EENV, "cannot open '/dev/urandom': %s",
				  strerror(errno));
	while (got < n) {
		ssize_t r = read(fd, p + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			close(fd);
			return error_code(PG_EENV, "cannot read '/dev/urandom': %s",
					  r ? strerror(errno) : "end of file");
		}
		got += (size_t)r;
	}
	close(fd);
	return 0;
}

static int new_run_id(char id[33])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[16];
	int ret;

	ret = random_bytes(raw, sizeof(raw));
	if (ret)
		return ret;
	for (size_t i = 0; i < sizeof(raw); i++) {
		id[2 * i] = hex[raw[i] >> 4];
		id[2 * i + 1] = hex[raw[i] & 15];
	}
	id[32] = '\0';
	return 0;
}

int store_run_begin(struct store *st, struct run_info *ri)
{
	sqlite3_stmt *stmt = NULL;
	int ret;

	ret = new_run_id(ri->id);
	if (ret)
		return ret;
	if (!ri->started_ns)
		ri->started_ns = clock_wall_ns();
	ret = store_prepare(st,
			    "INSERT INTO runs (id, started_ns, status, command, argv_json,"
			    " workdir, packages, commit_sha, branch, dirty,"
			    " fingerprint_id, config_json)"
			    " VALUES (?1, ?2, 'running', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
			    &stmt, "store run");
	if (ret)
		goto out;
	sqlite3_bind_text(stmt, 1, ri->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, ri->started_ns);
	store_bind_text(stmt, 3, ri->command);
	store_bind_text(stmt, 4, ri->argv_json);
	store_bind_text(stmt, 5, ri->workdir);
	store_bind_text(stmt, 6, ri->packages);
	store_bind_text(stmt, 7, ri->commit);
	store_bind_text(stmt, 8, ri->branch);
	sqlite3_bind_int(stmt, 9, !!ri->dirty);
	if (ri->fingerprint_id)
		sqlite3_bind_int64(stmt, 10, ri->fingerprint_id);
	else
		sqlite3_bind_null(stmt, 10);
	store_bind_text(stmt, 11, ri->config_json);
	/* Autocommit: the 'running' row is durable before any work starts. */
	ret = store_step_done(st, stmt, "store run");
out:
	sqlite3_finalize(stmt);
	if (ret)
		ri->id[0] = '\0';
	return ret;
}

/* Run one UPDATE of a single run, which must exist. */
static int update_run(struct store *st, sqlite3_stmt *stmt, const char *id,
		      const char *what)
{
	int ret = store_step_done(st, stmt, what);

	if (!ret && sqlite3_changes(st->db) != 1)
		ret = error_code(PG_EENV, "no run '%s' in database '%s'", id,
				 st->path);
	return ret;
}

int store_run_set_packages(struct store *st, const char *id, const char *packages)
{
	sqlite3_stmt *stmt = NULL;
	int ret;

	ret = store_prepare(st, "UPDATE runs SET packages = ?1 WHERE id = ?2",
			    &stmt, "update run");
	if (ret)
		return ret;
	store_bind_text(stmt, 1, packages);
	sqlite3_bind_text(stmt, 2, id, -1, SQLITE_STATIC);
	ret = update_run(st, stmt, id, "update run");
	sqlite3_finalize(stmt);
	return ret;
}

int store_run_finish(struct store *st, const char *id, enum run_status status,
		     int exit_code, int64_t finished_ns)
{
	sqlite3_stmt *stmt = NULL;
	int ret;

	if (status == RUN_RUNNING || (unsigned)status > RUN_INTERRUPTED)
		BUG("run '%s' finished with status %d", id, (int)status);
	ret = store_prepare(st,
			    "UPDATE runs SET status = ?1, exit_code = ?2, finished_ns = ?3"
			    " WHERE id = ?4",
			    &stmt, "finish run");
	if (ret)
		return ret;
	sqlite3_bind_text(stmt, 1, run_status_name(status), -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, exit_code);
	sqlite3_bind_int64(stmt, 3, finished_ns ? finished_ns : clock_wall_ns());
	sqlite3_bind_text(stmt, 4, id, -1, SQLITE_STATIC);
	ret = update_run(st, stmt, id, "finish run");
	sqlite3_finalize(stmt);
	return ret;
}

/* Benchmarks and samples. */

static int benchmark_lookup(struct store *st, const char *package,
			    const char *name, int64_t *id_out)
{
	return store_row_int64(st, id_out, "look up benchmark",
			       "SELECT id FROM benchmarks WHERE package = ?1 AND name = ?2",
			       STORE_PARAMS(STORE_TEXT(package), STORE_TEXT(name)));
}

int store_benchmark_id(struct store *st, const char *package, const char *name,
		       int64_t *id_out)
{
	sqlite3_stmt *stmt = NULL;
	int ret;

	if (!package || !name)
		BUG("benchmark without package or name");
	/* Reading first keeps the common case free of write locks. */
	ret = benchmark_lookup(st, package, name, id_out);
	if (ret != PG_ENOTFOUND)
		return ret;
	ret = store_prepare(st,
			    "INSERT OR IGNORE INTO benchmarks (package, name) VALUES (?1, ?2)",
			    &stmt, "store benchmark");
	if (ret)
		return ret;
	sqlite3_bind_text(stmt, 1, package, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	ret = store_step_done(st, stmt, "store benchmark");
	sqlite3_finalize(stmt);
	if (!ret)
		ret = benchmark_lookup(st, package, name, id_out);
	if (ret == PG_ENOTFOUND)
		ret = error_code(PG_EENV, "benchmark vanished from database '%s'",
				 st->path);
	return ret;
}

static int sample_insert(struct store *st, sqlite3_stmt *stmt, int64_t seq,
			 const struct sample_row *r)
{
	int ret = 0;

	/* SQLite would store NaN as NULL; refuse it here with a clear message. */
	if (!r->metric || !r->unit || isnan(r->value) || isnan(r->running) ||
	    r->iterations > INT64_MAX)
		return error_code(PG_EENV, "invalid sample '%s' (value %g, running %g, iterations %llu)",
				  r->metric ? r->metric : "(null)", r->value,
				  r->running, (unsigned long long)r->iterations);
	sqlite3_bind_int64(stmt, 1, seq);
	sqlite3_bind_int64(stmt, 2, r->bench_id);
	sqlite3_bind_text(stmt, 3, r->metric, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, r->unit, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 5, r->rep);
	sqlite3_bind_int64(stmt, 6, (sqlite3_int64)r->iterations);
	sqlite3_bind_double(stmt, 7, r->value);
	sqlite3_bind_double(stmt, 8, r->running);
	sqlite3_bind_int64(stmt, 9, r->flags);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		char what[256];

		/* Name the row: a constraint message alone does not. */
		snprintf(what, sizeof(what), "store sample '%s' rep %d of benchmark %lld",
			 r->metric, r->rep, (long long)r->bench_id);
		ret = store_err(st, what);
	}
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return ret;
}

int store_add_samples(struct store *st, const char *run_id,
		      const struct sample_row *rows, size_t n)
{
	sqlite3_stmt *stmt = NULL;
	int64_t seq = 0;
	int ret;

	ret = store_tx_begin(st);
	if (ret)
		return ret;
	ret = store_run_seq_write(st, run_id, &seq);
	if (ret)
		goto out;
	ret = store_prepare(st,
			    "INSERT INTO samples (run_seq, benchmark_id, metric, unit, rep,"
			    " iterations, value, running, flags)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
			    &stmt, "store samples");
	for (size_t i = 0; !ret && i < n; i++)
		ret = sample_insert(st, stmt, seq, &rows[i]);
	/* Finalize before COMMIT so no statement is live across it. */
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (!ret)
		ret = store_tx_commit(st);
out:
	if (ret)
		store_tx_rollback(st);
	return ret;
}

/* Events and artifacts. */

int store_add_event(struct store *st, const char *run_id, const char *event,
		    enum event_state state)
{
	sqlite3_stmt *stmt = NULL;
	int64_t seq = 0;
	int ret;

	if ((unsigned)state > EVENT_NOT_COUNTED)
		BUG("event '%s' with state %d", event, (int)state);
	ret = store_run_seq_write(st, run_id, &seq);
	if (ret)
		return ret;
	/* A later probe of the same event overrides the first answer. */
	ret = store_prepare(st,
			    "INSERT INTO run_events (run_seq, event, state) VALUES (?1, ?2, ?3)"
			    " ON CONFLICT (run_seq, event) DO UPDATE SET state = excluded.state",
			    &stmt, "store event");
	if (ret)
		return ret;
	sqlite3_bind_int64(stmt, 1, seq);
	sqlite3_bind_text(stmt, 2, event, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, event_state_name(state), -1, SQLITE_STATIC);
	ret = store_step_done(st, stmt, "store event");
	sqlite3_finalize(stmt);
	return ret;
}

int store_add_go_config(struct store *st, const char *run_id, const char *package,
			const char *key, const char *value)
{
	sqlite3_stmt *stmt = NULL;
	int64_t seq = 0;
	int ret;

	ret = store_run_seq_write(st, run_id, &seq);
	if (!ret)
		ret = store_prepare(st,
				    "INSERT INTO run_go_config (run_seq, package, key, value)"
				    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (run_seq, package, key)"
				    " DO UPDATE SET value = excluded.value",
				    &stmt, "store the test binary's configuration");
	if (ret)
		return ret;
	sqlite3_bind_int64(stmt, 1, seq);
	sqlite3_bind_text(stmt, 2, package, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, value, -1, SQLITE_STATIC);
	ret = store_step_done(st, stmt, "store the test binary's configuration");
	sqlite3_finalize(stmt);
	return ret;
}

int store_add_artifact(struct store *st, const char *run_id, const char *kind,
		       const char *relpath, uint64_t size, const char *sha256)
{
	sqlite3_stmt *stmt = NULL;
	int64_t seq = 0;
	int ret;

	if (size > INT64_MAX)
		return error_code(PG_EENV, "artifact '%s' is too large", relpath);
	ret = store_run_seq_write(st, run_id, &seq);
	if (ret)
		return ret;
	/* Recording a rewritten file again updates its size and digest. */
	ret = store_prepare(st,
			    "INSERT INTO artifacts (run_seq, kind, path, size, sha256)"
			    " VALUES (?1, ?2, ?3, ?4, ?5)"
			    " ON CONFLICT (run_seq, path) DO UPDATE SET kind = excluded.kind,"
			    " size = excluded.size, sha256 = excluded.sha256",
			    &stmt, "store artifact");
	if (ret)
		return ret;
	sqlite3_bind_int64(stmt, 1, seq);
	store_bind_text(stmt, 2, kind);
	store_bind_text(stmt, 3, relpath);
	sqlite3_bind_int64(stmt, 4, (sqlite3_int64)size);
	store_bind_text(stmt, 5, sha256);
	ret = store_step_done(st, stmt, "store artifact");
	sqlite3_finalize(stmt);
	return ret;
}

/*
 * .perfgo/.gitignore ("*"): the store never shows in `git status`, wherever
 * it lives and whatever the repository ignores.  Written when missing by
 * every opening that may write; a failure to write it is not the store's.
 */
void store_write_gitignore(const char *dir)
{
	struct buf path = BUF_INIT;
	int fd;

	buf_addf(&path, "%s/.gitignore", dir);
	fd = open(path.buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd >= 0) {
		if (write(fd, "*\n", 2) != 2)
			warning("cannot write '%s': %s", path.buf, strerror(errno));
		close(fd);
	}
	buf_release(&path);
}
