/* store.c: the store's public API: a backend by database string, rows checked, transactions and errors in one place. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "aggregate.h"
#include "err.h"
#include "rollup.h"
#include "row.h"
#include "store.h"
#include "store_backend.h"

static const char *const err_names[STORE__MAX] = {
	"ok",			/* STORE_OK */
	"busy",			/* STORE_BUSY */
	"full",			/* STORE_FULL */
	"read-only",		/* STORE_READONLY */
	"schema too new",	/* STORE_TOONEW */
	"cannot open",		/* STORE_CANTOPEN */
	"moved",		/* STORE_MOVED */
	"stale",		/* STORE_STALE */
	"error",		/* STORE_ERROR */
};

/*
 * Databases named by a URI go to the backend of its scheme; anything
 * else is a path, for SQLite.  ops NULL: a backend this build lacks.
 */
/*
 * The PostgreSQL backend is linked into the programs built with libpq
 * only (Makefile.am: dualstat and the tests, not dualstat-static nor the
 * fuzzers): weak here, so its address is NULL where it is not linked.
 */
extern const struct store_ops	 store_pg_ops __attribute__((weak));

static const struct scheme {
	const char		*scheme;
	const struct store_ops	*ops;
	const char		*what;
} schemes[] = {
	/* Issue 12: libpq's URIs; both spellings are libpq's. */
	{ "postgresql://",	&store_pg_ops,	"PostgreSQL" },
	{ "postgres://",	&store_pg_ops,	"PostgreSQL" },
};

static const struct scheme *
scheme_of(const char *db)
{
	size_t	 i;

	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strncmp(db, schemes[i].scheme, strlen(schemes[i].scheme)) == 0)
			return &schemes[i];
	return NULL;
}

const char *
store_err_name(enum store_err e)
{

	if ((int)e < 0 || e >= STORE__MAX)
		return "unknown";
	return err_names[e];
}

const char *
store_errmsg(const struct store *st)
{

	if (st == NULL)
		return "no database";
	return st->errmsg;
}

enum store_err
store_failx(struct store *st, enum store_err e, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	/* errmsg may be cut: it is for people, and one line is enough. */
	(void)vsnprintf(st->errmsg, sizeof(st->errmsg), fmt, ap);
	va_end(ap);
	return e;
}

enum store_err
store_context(struct store *st, enum store_err e, const char *what)
{
	char	 msg[sizeof(st->errmsg)];

	memcpy(msg, st->errmsg, sizeof(msg));
	errf(st->errmsg, sizeof(st->errmsg), "%s: %s", what, msg);
	return e;
}

enum store_err
store_nomem(struct store *st)
{

	return store_failx(st, STORE_ERROR, "out of memory");
}

enum store_err
store_tx(struct store *st, enum store_tx mode, store_tx_fn *fn, void *arg)
{
	enum store_err	 e;

	st->retry = false;
	if ((e = st->ops->begin(st, mode)) != STORE_OK)
		return e;
	if ((e = fn(st, arg)) == STORE_OK &&
	    (e = st->ops->commit(st)) == STORE_OK)
		return STORE_OK;
	/* Nothing of a failed transaction stays; its message does. */
	st->ops->rollback(st);
	return e;
}

enum store_err
store_open(struct store **out, const char *db, int flags,
    unsigned busy_timeout_ms, char *err, size_t errsz)
{
	const struct store_ops	*ops = &store_sqlite_ops;
	const struct scheme	*sc;
	struct store		*st;
	enum store_err		 e;
	bool			 migrated = false;

	*out = NULL;
	errf(err, errsz, "%s", "");
	if (db == NULL || db[0] == '\0') {
		errf(err, errsz, "no database path");
		return STORE_CANTOPEN;
	}
	if ((sc = scheme_of(db)) != NULL && (ops = sc->ops) == NULL) {
		/* The scheme alone: the rest may hold a password. */
		errf(err, errsz, "cannot open %s...: this dualstat was "
		    "built without %s", sc->scheme, sc->what);
		return STORE_CANTOPEN;
	}
	if ((e = ops->open(&st, db, flags, busy_timeout_ms, &migrated, err,
	    errsz)) != STORE_OK)
		return e;
	/*
	 * Roll-ups of the rows a migrated database already holds, in
	 * batches: once, at the first open of the new schema.
	 */
	if (migrated && !(flags & STORE_READONLY_OPEN) &&
	    (e = rollup_all(st, (int64_t)time(NULL))) != STORE_OK) {
		store_context(st, e, "roll up");
		errf(err, errsz, "%s: %s", st->name, st->errmsg);
		store_close(st);
		return e;
	}
	st->errmsg[0] = '\0';
	*out = st;
	return STORE_OK;
}

void
store_close(struct store *st)
{

	if (st == NULL)
		return;
	rollup_ids_free(st->ids);
	st->ops->close(st);
}

bool
store_moved(struct store *st)
{

	return st != NULL && st->ops->moved(st);
}

void
store_wait_total(struct store *st, unsigned ms)
{

	st->ops->wait_total(st, ms);
}

static enum store_err
moved_fail(struct store *st, const char *what)
{

	return store_failx(st, STORE_MOVED, "%s: %s is not the file that was "
	    "opened any more (deleted, renamed or replaced)", what, st->name);
}

/* Rows that may be written: checked before any backend sees them. */
static enum store_err
rows_check(struct store *st, const struct row *rows, size_t n)
{
	const char	*why;
	size_t		 i;

	for (i = 0; i < n; i++)
		if ((why = row_invalid(&rows[i])) != NULL)
			return store_failx(st, STORE_ERROR, "record: %s", why);
	return STORE_OK;
}

struct batch {
	const struct row	*rows;
	size_t			 n;
	const char		*key;
	int64_t			 value;
};

static enum store_err
batch_tx(struct store *st, void *arg)
{
	const struct batch	*b = arg;
	enum store_err		 e;

	if ((e = st->ops->insert(st, b->rows, b->n)) != STORE_OK ||
	    (b->key != NULL &&
	    (e = st->ops->meta_set(st, b->key, b->value)) != STORE_OK))
		return e;
	/*
	 * Looked at last thing before the commit and again after it: a file
	 * that moved during the commit has the rows, the database does not.
	 */
	if (st->ops->moved(st))
		return moved_fail(st, "record batch");
	return STORE_OK;
}


/*
 * n rows (and the meta key) in one transaction, once: the backend's own
 * record when it has one (one round trip), else insert and meta_set in
 * a store_tx, or for one row alone (store_record) the insert, which
 * commits by itself outside a transaction.
 */
static enum store_err
record_once(struct store *st, const struct row *rows, size_t n,
    const char *key, int64_t value, bool alone)
{
	struct batch	 b = { rows, n, key, value };

	st->retry = false;
	if (st->ops->record != NULL)
		return st->ops->record(st, rows, n, key, value);
	if (alone)
		return st->ops->insert(st, rows, 1);
	return store_tx(st, STORE_TX_WRITE, batch_tx, &b);
}

/*
 * How often a transaction that failed on a serialization failure or a
 * deadlock (st->retry: PostgreSQL in SERIALIZABLE, CockroachDB) is run:
 * recording and import, whose work can be done again from its start.
 * Roll-ups are not: their turn simply comes again at the next upkeep.
 */
#define STORE_TRIES	5

enum store_err
store_record(struct store *st, const struct row *row)
{
	enum store_err	 e;
	int		 tries;

	if ((e = rows_check(st, row, 1)) != STORE_OK)
		return e;
	if (st->ops->moved(st))
		return moved_fail(st, "record");
	/*
	 * Outside a transaction: when the insert is done the row is
	 * committed (SQLite's WAL with synchronous=NORMAL: it survives the
	 * process dying; only a power cut may take the last commits).
	 */
	for (tries = 1; (e = record_once(st, row, 1, NULL, 0, true)) != STORE_OK &&
	    st->retry && tries < STORE_TRIES; tries++)
		continue;
	if (e != STORE_OK)
		return store_context(st, e, "record");
	/* Moved while it was written: the row went to the old file. */
	if (st->ops->moved(st))
		return moved_fail(st, "record");
	return STORE_OK;
}

enum store_err
store_record_batch(struct store *st, const struct row *rows, size_t n,
    const char *key, int64_t value)
{
	enum store_err	 e;
	int		 tries;

	if ((e = rows_check(st, rows, n)) != STORE_OK)
		return e;
	/* All rows or none. */
	for (tries = 1; (e = record_once(st, rows, n, key, value, false)) != STORE_OK &&
	    st->retry && tries < STORE_TRIES; tries++)
		continue;
	if (e != STORE_OK)
		/* A moved file has said so whole; the rest gets its context. */
		return e == STORE_MOVED ? e : store_context(st, e, "record batch");
	if (st->ops->moved(st))
		return moved_fail(st, "record batch");
	return STORE_OK;
}

enum store_err
store_meta_get(struct store *st, const char *key, int64_t *value)
{
	enum store_err	 e;

	if ((e = st->ops->meta_get(st, key, value)) != STORE_OK)
		return store_context(st, e, "meta");
	return STORE_OK;
}

enum store_err
store_meta_delete(struct store *st, const char *key)
{
	enum store_err	 e;

	if ((e = st->ops->meta_delete(st, key)) != STORE_OK)
		return store_context(st, e, "meta delete");
	return STORE_OK;
}

enum store_err
store_count(struct store *st, int64_t from, int64_t to, uint64_t *ipv4,
    uint64_t *ipv6)
{

	return aggregate_count(st, from, to, ipv4, ipv6);
}

enum store_err
store_report(struct store *st, const struct report_query *q, struct report *rep)
{

	return aggregate_report(st, q, rep);
}

enum store_err
store_info(struct store *st, struct store_info *info)
{
	enum store_err	 e;

	memset(info, 0, sizeof(*info));
	/* Not the figures of a file that is no longer the database. */
	if (st->ops->moved(st))
		return moved_fail(st, "status");
	if ((e = st->ops->info(st, info)) != STORE_OK)
		return e;
	/*
	 * The health check: could a record start now?  A no is the answer
	 * (writable false, the reason in errmsg), not a failure of this
	 * call; the transaction is let go of unused, the one that never
	 * goes through store_tx.
	 */
	if (st->flags & STORE_READONLY_OPEN)
		info->writable = false;
	else if ((e = st->ops->begin(st, STORE_TX_WRITE)) == STORE_OK) {
		st->ops->rollback(st);
		info->writable = true;
	} else {
		store_context(st, e, "write check");
		info->writable = false;
	}
	return STORE_OK;
}

enum store_err
store_prune(struct store *st, int64_t before, unsigned batch, uint64_t *deleted)
{
	enum store_err	 e;

	*deleted = 0;
	if (batch == 0)
		batch = STORE_PRUNE_BATCH;
	/*
	 * Roll-ups keep what goes: only rows already rolled up are deleted,
	 * the watermark read in each deleting transaction.
	 */
	if ((e = rollup_catchup(st)) != STORE_OK)
		return store_context(st, e, "prune: roll up");
	if ((e = st->ops->prune(st, before, ROLLUP_WATERMARK, batch,
	    deleted)) != STORE_OK)
		return store_context(st, e, "prune");
	return STORE_OK;
}

enum store_err
store_maintain(struct store *st, int64_t now)
{

	if (st->flags & STORE_READONLY_OPEN)
		return STORE_OK;
	return rollup_upkeep(st, now);
}

enum store_err
store_maintain_step(struct store *st, int64_t now, bool *more)
{

	*more = false;
	if (st->flags & STORE_READONLY_OPEN)
		return STORE_OK;
	return rollup_upkeep_step(st, now, STORE_MAINTAIN_STEP, more);
}

enum store_err
store_maintain_shared(struct store *st, int64_t now, int64_t every, bool *ran)
{

	*ran = false;
	if (st->flags & STORE_READONLY_OPEN)
		return STORE_OK;
	return rollup_upkeep_shared(st, now, every, ran);
}

enum store_err
store_maintain_all(struct store *st, int64_t now)
{
	enum store_err	 e;

	if (st->flags & STORE_READONLY_OPEN)
		return STORE_OK;
	if ((e = rollup_all(st, now)) != STORE_OK)
		return store_context(st, e, "roll up");
	/* The -wal's copies of deleted probes' pages go too (store.h). */
	if ((e = st->ops->checkpoint(st)) != STORE_OK)
		return store_context(st, e, "checkpoint");
	return STORE_OK;
}

/* ---- Readiness probes (issue 10) --------------------------------------- */

struct starts {
	const struct probe_start	*v;
	size_t				 n;
	int64_t				*ids;
};

static enum store_err
starts_tx(struct store *st, void *arg)
{
	const struct starts	*s = arg;

	return st->ops->probe_insert(st, s->v, s->n, s->ids);
}

enum store_err
store_probe_start(struct store *st, const struct probe_start *v, size_t n,
    int64_t *ids)
{
	struct starts	 s = { v, n, ids };
	const char	*why;
	enum store_err	 e;
	size_t		 i;

	for (i = 0; i < n; i++)
		if ((why = probe_start_invalid(&v[i])) != NULL)
			return store_failx(st, STORE_ERROR, "probe start: %s", why);
	if (st->ops->moved(st))
		return moved_fail(st, "probe start");
	if ((e = store_tx(st, STORE_TX_WRITE, starts_tx, &s)) != STORE_OK)
		return store_context(st, e, "probe start");
	/* Moved during the commit: the starts went to the old file. */
	if (st->ops->moved(st))
		return moved_fail(st, "probe start");
	return STORE_OK;
}

enum store_err
store_probe_back(struct store *st, int64_t id, const char *secret,
    enum probe_kind probe, int64_t now, int family, enum addr_kind kind,
    bool *found, int *start_family)
{
	enum store_err	 e;

	*found = false;
	*start_family = 0;
	if (st->ops->moved(st))
		return moved_fail(st, "probe");
	/* One statement, committed on its own: found by one completion only. */
	if ((e = st->ops->probe_back(st, id, secret, probe, now, family, kind,
	    found, start_family)) != STORE_OK)
		return store_context(st, e, "probe");
	return STORE_OK;
}

enum store_err
store_probe_pending(struct store *st, int64_t *n)
{
	enum store_err	 e;

	if ((e = st->ops->probe_pending(st, n)) != STORE_OK)
		return store_context(st, e, "probe count");
	return STORE_OK;
}

/* ---- Access logs ------------------------------------------------------- */

enum store_err
store_imports_find(struct store *st, uint64_t first_line,
    struct store_import *out, size_t max, size_t *n)
{
	enum store_err	 e;
	size_t		 i;

	*n = 0;
	if ((e = st->ops->imports_find(st, first_line, out, max, n)) != STORE_OK)
		return store_context(st, e, "imports");
	for (i = 0; i < *n; i++)
		out[i].committed = out[i].offset;
	return STORE_OK;
}

struct counted {
	const struct row	*rows;
	const uint64_t		*counts;
	size_t			 n;
	struct store_import	*rec;
};

static enum store_err
counted_tx(struct store *st, void *arg)
{
	const struct counted	*c = arg;
	enum store_err		 e;
	int64_t			 newest;
	bool			 stale = false;

	if (c->rec != NULL && c->rec->id == 0) {
		if ((e = st->ops->import_newest(st, c->rec->first_line,
		    &newest)) != STORE_OK)
			return e;
		stale = newest > c->rec->newest;
	}
	if (!stale && c->rec != NULL &&
	    (e = st->ops->import_put(st, c->rec, &stale)) != STORE_OK)
		return e;
	if (stale)
		return store_failx(st, STORE_STALE, "%s was imported by another "
		    "process meanwhile; nothing of this batch was written",
		    c->rec->name);
	if ((e = rollup_add(st, st->ids, c->rows, c->counts, c->n)) != STORE_OK)
		return e;
	if (st->ops->moved(st))
		return moved_fail(st, "add");
	return STORE_OK;
}

enum store_err
store_add_counted(struct store *st, const struct row *rows,
    const uint64_t *counts, size_t n, struct store_import *rec)
{
	struct counted	 c = { rows, counts, n, rec };
	struct store_import saved;
	enum store_err	 e;
	int		 tries;

	if ((e = rows_check(st, rows, n)) != STORE_OK)
		return e;
	if (st->ids == NULL && (st->ids = rollup_ids_new()) == NULL)
		return store_nomem(st);
	if (rec != NULL)
		saved = *rec;
	for (tries = 1; ; tries++) {
		e = store_tx(st, STORE_TX_WRITE, counted_tx, &c);
		if (e == STORE_OK || !st->retry || tries >= STORE_TRIES)
			break;
		/* From the start: nothing of the failed try is in the database. */
		rollup_ids_forget(st->ids);
		if (rec != NULL)
			*rec = saved;
	}
	if (e == STORE_OK && st->ops->moved(st))
		e = moved_fail(st, "add");
	if (e != STORE_OK) {
		/* Ids numbered in a transaction that is not there are no one's. */
		rollup_ids_forget(st->ids);
		if (rec != NULL)
			*rec = saved;
		return e == STORE_MOVED ? e : store_context(st, e, "add");
	}
	if (rec != NULL)
		rec->committed = rec->offset;
	return STORE_OK;
}
