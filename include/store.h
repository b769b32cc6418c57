/* store.h: the database of measurements: what the rest of dualstat asks of it (the SQL is in a backend: store_backend.h). */
#ifndef DUALSTAT_STORE_H
#define DUALSTAT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dburi.h"
#include "probe.h"
#include "report.h"
#include "row.h"

/* Outcome of a store call: the caller maps it to a status (see app.c). */
enum store_err {
	STORE_OK,
	STORE_BUSY,		/* locked past the busy timeout */
	STORE_FULL,		/* disk or quota full */
	STORE_READONLY,		/* file or folder not writable */
	STORE_TOONEW,		/* schema newer than this binary */
	STORE_CANTOPEN,		/* missing and cannot be created */
	STORE_MOVED,		/* the path names another file now: reopen (store_moved) */
	STORE_STALE,		/* an import record moved on by another writer: nothing written */
	STORE_ERROR,		/* anything else: corrupt, I/O, out of memory */
	STORE__MAX
};

/*
 * 1: raw rows and meta; 2: roll-ups; 3: the access logs imported; 4: the
 * readiness probes; 5: the node of every row and probe start, host ids
 * of (host, node) pairs.  The same numbers on every backend
 * (store_sqlite.c, store_pg.c).
 */
#define STORE_SCHEMA_VERSION	5

struct store;

#define STORE_READONLY_OPEN	0x01	/* never create or migrate: for report and status */

/*
 * Open the database db and migrate its schema.  db is a path: an SQLite
 * file, created when missing with mode 0600 in a folder created 0700,
 * in WAL mode with the busy timeout; or a "postgresql://" or
 * "postgres://" URI (libpq's, with its PG* environment variables and
 * password file): PostgreSQL, whose schema is made in the database the
 * URI names (a build without PostgreSQL refuses it with
 * STORE_CANTOPEN).  On success *out must be released with
 * store_close().  On error *out is NULL, and err holds one line that
 * says why (never a password from db).
 */
enum store_err	 store_open(struct store **out, const char *db, int flags,
		    unsigned busy_timeout_ms, char *err, size_t errsz);
void		 store_close(struct store *);	/* NULL is fine */

/* store_is_uri and store_db_display: dburi.h. */

/*
 * Whether the path no longer names the file this handle has open: it was
 * deleted, renamed away, or replaced (a restore renamed over it).  SQLite
 * would go on writing to the old file, and every row would be lost.  One
 * stat(2) of the path against the open file (SQLITE_FCNTL_HAS_MOVED).
 * A moved handle is to be closed and the path opened again; store_close()
 * lets go of it without touching the -wal and -shm now at the path, and
 * removes those that were the old file's, so the next open cannot pair
 * them with the new one.
 */
bool		 store_moved(struct store *);

/*
 * Insert one row and commit it before returning.  STORE_MOVED when the
 * file was not at the path any more, before the commit (nothing written)
 * or after it (written to the old file only): either way the row is not
 * in the database, and is to be recorded again on a reopened handle.
 */
enum store_err	 store_record(struct store *, const struct row *);

/*
 * Insert n rows in one transaction (a group commit), and when key is not
 * NULL set meta key = value in the same transaction, so a reader of the
 * key knows exactly which batches are in.  All rows or none; STORE_MOVED
 * as for store_record().
 */
enum store_err	 store_record_batch(struct store *, const struct row *rows,
		    size_t n, const char *key, int64_t value);
/* The meta value of key; 0 when it was never set. */
enum store_err	 store_meta_get(struct store *, const char *key, int64_t *value);
/* Remove key (a marker of a process that is gone); no key is fine. */
enum store_err	 store_meta_delete(struct store *, const char *key);

/*
 * Requests by family for the landing page's share, in [from, to) widened
 * to whole hours: from rounded down and to rounded up to a multiple of
 * 3600 (to past INT64_MAX - 3600 counts to the end), so "now - 86400,
 * now + 1" counts the last 24 to 25 hours.  to <= from counts nothing.
 * Answered from the hour roll-ups plus the raw rows recorded since the
 * last upkeep: exact for the widened period, and it includes rows
 * store_prune() deleted (the roll-ups keep them, as store_report() does).
 */
enum store_err	 store_count(struct store *, int64_t from, int64_t to,
		    uint64_t *ipv4, uint64_t *ipv6);

/*
 * Fill rep (see report.h) for q, summed from the roll-up cells and the raw
 * rows above the watermark (aggregate.h).  rep must be released with
 * report_free().
 */
enum store_err	 store_report(struct store *, const struct report_query *q,
		    struct report *rep);

struct store_info {
	int		 schema_version;
	char		 journal_mode[16];
	int64_t		 rows;
	int64_t		 last_time;	/* newest row, 0 when empty */
	int64_t		 size;		/* bytes of the file and its WAL, -1 unknown */
	bool		 writable;	/* a write transaction could start */
};
/* STORE_MOVED: the handle's file is not the database at the path any more. */
enum store_err	 store_info(struct store *, struct store_info *);

/*
 * Delete raw rows older than before, batch rows per transaction (0: the
 * default below), so a writer never waits long.  *deleted counts what went.
 */
#define STORE_PRUNE_BATCH	1000
enum store_err	 store_prune(struct store *, int64_t before, unsigned batch,
		    uint64_t *deleted);

/*
 * Upkeep that must not delay a response (the roll-ups: rollup.h):
 * called by the request loops after a response was sent, at most every
 * APP_MAINTAIN_SECONDS per process (app_idle), and by the command line.
 * Bounded work per call.
 */
enum store_err	 store_maintain(struct store *, int64_t now);
/*
 * A short step of it, for a process whose commits wait while it runs
 * (serve's workers: app_idle): STORE_MAINTAIN_STEP raw rows and probes at
 * most, so a commit never waits long; *more says whether to call again.
 */
#define STORE_MAINTAIN_STEP	5000
enum store_err	 store_maintain_step(struct store *, int64_t now, bool *more);
/*
 * The same for processes that answer one request and exit (CGI): at most
 * every `every` seconds among all of them, claimed through meta
 * 'upkeep_at'.  *ran says whether this call did it.
 */
enum store_err	 store_maintain_shared(struct store *, int64_t now, int64_t every,
		    bool *ran);
/*
 * From now on all waits for a lock together end ms from now, however many
 * statements wait: a bound on everything that follows, not on each
 * statement as busy_timeout_ms is (a CGI process's upkeep after its
 * response gets what is left of its busy_timeout_ms).
 */
void		 store_wait_total(struct store *, unsigned ms);

/*
 * What store_maintain spreads over its calls, done to the end: every raw
 * row rolled up and every finished day closed (`dualstat prune`, cron).
 */
enum store_err	 store_maintain_all(struct store *, int64_t now);

/*
 * ---- Access logs (dualstat import and ingest: import.h, ingest.h) ------
 *
 * Requests read from a web server's log are never raw rows: each batch is
 * added straight to the roll-up cells, as rolling up the same raw rows
 * would (rollup.h), so a report shows them exactly as it would have shown
 * them recorded live, and ten million lines cost a few thousand cells.
 */

/*
 * What import keeps of a log file it has read, to never count a line
 * twice (import_dedupe.h decides from it): the hash of the file's first
 * line (with the '#' header lines before it), how far it was imported, a
 * hash of everything before that point.  The file's uncompressed bytes:
 * access.log.2.gz is the same file as the access.log it once was.
 */
#define STORE_IMPORT_NAME_MAX	256
#define STORE_IMPORTS_MAX	16	/* records that share a first line, looked at */
struct store_import {
	int64_t		 id;		/* 0: not in the database yet */
	uint64_t	 first_line;	/* hash of the first line */
	uint64_t	 offset;	/* bytes imported: where the next line starts */
	uint64_t	 prefix_hash;	/* hash of the bytes [0, offset) */
	uint64_t	 lines;		/* lines in [0, offset) */
	int64_t		 updated;	/* when it was last written, seconds */
	char		 format[16];	/* logline_format_name() */
	char		 name[STORE_IMPORT_NAME_MAX];	/* the file last read, for people */
	/*
	 * Set by the store: the offset the database holds for id (what an
	 * update expects to find), and for a record not written yet, the
	 * newest id with the same first line when the file was looked up
	 * (what an insert expects to be the newest still).
	 */
	uint64_t	 committed;
	int64_t		 newest;
};

/* The records with first_line, newest first (at most max; *n how many). */
enum store_err	 store_imports_find(struct store *, uint64_t first_line,
		    struct store_import *out, size_t max, size_t *n);

/*
 * Add n rows, row i counted counts[i] times, to the roll-up cells (their
 * host cut by row_host_len, as recorded rows are), and when rec is not
 * NULL write rec, in one transaction: all of it or none.  Unless another
 * import moved the same record on meanwhile (its offset is no longer
 * rec->committed, or a record with the same first line came after
 * rec->newest): then nothing is written, STORE_ERROR says so.  On
 * success rec->id and rec->committed are brought up to date.
 */
enum store_err	 store_add_counted(struct store *, const struct row *rows,
		    const uint64_t *counts, size_t n, struct store_import *rec);

/*
 * ---- Readiness probes (probe.h) -----------------------------------------
 *
 * A probe's start is a row until it resolves: it came back, or
 * probe_timeout passed (its expires).  Then upkeep (store_maintain, and
 * store_report first) counts it in the probe cells (rollup.h) and deletes
 * it.  A start's secret goes at once when it comes back, so a token is
 * good once; the database is opened with secure_delete, so what is
 * deleted is overwritten in its pages, and store_maintain_all checkpoints
 * and truncates the -wal, where older copies of pages are kept until
 * then.
 */

/*
 * Record n starts in one transaction (all or none); ids[i] is the number
 * of the i-th, for its token (probe_token_make).
 */
enum store_err	 store_probe_start(struct store *, const struct probe_start *,
		    size_t n, int64_t *ids);

/*
 * A completion of the probe kind with token secret and id, at now, over
 * family and kind (how it came back).  *found: the start was there, not
 * expired, of that kind, with that secret, and has now come back (its
 * secret erased); *start_family is then how the visit that started it
 * came (4 or 6).  Not found: unknown, forged, replayed or expired, and
 * nothing changed.
 */
enum store_err	 store_probe_back(struct store *, int64_t id, const char *secret,
		    enum probe_kind, int64_t now, int family, enum addr_kind kind,
		    bool *found, int *start_family);

/* Starts not counted yet (in flight, or resolved since the last upkeep). */
enum store_err	 store_probe_pending(struct store *, int64_t *n);

/* Why the last call on this handle failed, one line (never NULL). */
const char	*store_errmsg(const struct store *);
const char	*store_err_name(enum store_err);

#endif
