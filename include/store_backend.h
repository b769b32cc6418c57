/* store_backend.h: what a database backend implements, and how the roll-up engine and the report aggregator reach it. */
#ifndef DUALSTAT_STORE_BACKEND_H
#define DUALSTAT_STORE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "cell.h"
#include "probe.h"
#include "row.h"
#include "store.h"

/*
 * The layers of the store:
 *
 *   store.c        the public API (store.h): picks a backend by the
 *                  database string, checks rows, runs transactions
 *                  (store_tx), gives errors their context, notices moved
 *                  files
 *   rollup.c       the roll-up engine       } no SQL: they call the
 *   aggregate.c    the report aggregator    } backend's operations below
 *   store_*.c      one backend per kind of database (store_sqlite.c):
 *                  schema, migrations and every statement; the only SQL
 *
 * A second backend is one more struct store_ops and one line in
 * store.c's table of database strings.
 */

/*
 * The part of a handle every backend shares.  A backend's own handle
 * begins with it (struct sqlite_store { struct store st; ... }), so a
 * struct store * is a pointer to both.
 */
struct store {
	const struct store_ops	*ops;
	const char		*name;		/* the database for messages: never a password */
	int			 flags;		/* STORE_READONLY_OPEN */
	char			 errmsg[256];	/* why the last call failed: store_errmsg() */
	/*
	 * The last failure was a serialization failure or a deadlock
	 * (SQLSTATE 40001, 40P01): the same transaction, run again from
	 * its start, may well succeed (store.c does, where it can).
	 */
	bool			 retry;
	/*
	 * Prefix and host ids store_add_counted met, kept across its
	 * transactions (rollup.h); made on first use, freed by store_close.
	 */
	struct rollup_ids	*ids;
};

enum store_tx {
	STORE_TX_READ,		/* one snapshot for every read in it */
	STORE_TX_WRITE,		/* the write lock from the start: no upgrade to fail */
};

/* A cell's two blobs (cell.h). */
enum store_blob {
	STORE_COUNTS,		/* counts by code */
	STORE_PREFIXES,		/* per-prefix counts */
};

/* A cell to write whole, both blobs (a blob of length 0 is empty, not absent). */
struct store_cell {
	struct cell_key	 key;
	const void	*counts;
	size_t		 counts_len;
	const void	*prefixes;
	size_t		 prefixes_len;
};

/*
 * Callbacks of the operations that walk many things.  Anything but
 * STORE_OK ends the walk, and the operation answers it as it is (the
 * callback has set errmsg).  Pointers are valid during the call only.
 * A callback of rows may call the dictionary operations (the roll-up
 * numbers prefixes as it walks), never the walk it is called from.
 */
/* A raw row; id is its place in the order rows were recorded. */
typedef enum store_err	store_row_fn(void *arg, int64_t id, const struct row *);
/* A cell of a range and one of its blobs. */
typedef enum store_err	store_cell_fn(void *arg, const struct cell_key *,
			    const void *blob, size_t len);
/* The blobs of the i-th key asked for; NULL and 0 when the cell does not exist. */
typedef enum store_err	store_blobs_fn(void *arg, size_t i, const void *counts,
			    size_t counts_len, const void *prefixes, size_t prefixes_len);
/* A probe start to be counted (probe.h); id is its number. */
typedef enum store_err	store_probe_fn(void *arg, int64_t id, const struct probe_row *);
/* A prefix id that names the same network (and family) as the id first. */
typedef enum store_err	store_alias_fn(void *arg, int64_t id, int64_t first);
/* The text of the i-th id asked for and its kind (a prefix's). */
typedef enum store_err	store_name_fn(void *arg, size_t i, const char *text,
			    enum addr_kind kind);
/* The host and the node of the i-th host id asked for. */
typedef enum store_err	store_host_fn(void *arg, size_t i, const char *host,
			    const char *node);
/* An id of those asked for. */
typedef enum store_err	store_id_fn(void *arg, int64_t id);

/*
 * A backend.  Every operation answers STORE_OK or a failure with its
 * message in errmsg, without context (store.c, rollup.c and aggregate.c
 * say what they were doing).  Ids of prefixes and hosts are numbered
 * from 1 with few gaps (a report keeps arrays indexed by them); 0 is
 * "none".
 */
struct store_ops {
	const char	*name;		/* "sqlite" */

	/*
	 * Open (create, migrate: store.h) the database db.  *migrated: its
	 * schema was created or brought up to date just now, so the rows it
	 * holds have no cells yet.  On error err says why, and *out is NULL.
	 */
	enum store_err	(*open)(struct store **out, const char *db, int flags,
			    unsigned busy_timeout_ms, bool *migrated, char *err,
			    size_t errsz);
	void		(*close)(struct store *);
	bool		(*moved)(struct store *);	/* store_moved() */
	void		(*wait_total)(struct store *, unsigned ms);
	/* Everything of store_info but writable (store.c looks at that). */
	enum store_err	(*info)(struct store *, struct store_info *);

	/* Transactions, through store_tx().  rollback with none open does nothing. */
	enum store_err	(*begin)(struct store *, enum store_tx);
	enum store_err	(*commit)(struct store *);
	void		(*rollback)(struct store *);

	/* Named integers (a key never set reads 0). */
	enum store_err	(*meta_get)(struct store *, const char *key, int64_t *value);
	enum store_err	(*meta_set)(struct store *, const char *key, int64_t value);
	enum store_err	(*meta_delete)(struct store *, const char *key);

	/*
	 * Raw rows.  insert: n rows that passed row_invalid(), host cut by
	 * row_host_len(); outside a transaction each row commits.  rows: the
	 * rows with an id above after, in id order, at most limit (< 0: all).
	 * rows_count: of those above after with a time in [first, last], how
	 * many per family (n[0] IPv4, n[1] IPv6).  prune: delete the rows
	 * older than before whose id is at most the meta value of upto,
	 * batch rows per transaction.
	 */
	enum store_err	(*insert)(struct store *, const struct row *, size_t n);
	/*
	 * Optional (NULL: store.c uses insert and meta_set in a store_tx):
	 * store_record_batch whole, rows and the meta key (NULL: none) in
	 * one transaction of the backend's own, for one round trip.
	 */
	enum store_err	(*record)(struct store *, const struct row *, size_t n,
			    const char *key, int64_t value);
	enum store_err	(*rows)(struct store *, int64_t after, int64_t limit,
			    store_row_fn *, void *arg);
	enum store_err	(*rows_count)(struct store *, int64_t after, int64_t first,
			    int64_t last, uint64_t n[2]);
	enum store_err	(*prune)(struct store *, int64_t before, const char *upto,
			    unsigned batch, uint64_t *deleted);

	/*
	 * The dictionaries of the cells: prefix ids by (prefix, family,
	 * kind), each with the first id of its (prefix, family) as its alias
	 * (0: it is the first); host ids by (host, node): a cell's host is
	 * the id of the pair, "" for no host and for a node not known (rows
	 * from before schema 5), so a cell key tells nodes apart.  *id 0:
	 * not there.  The names of n ids at once; an id not there is left
	 * out.  host_ids: every id of the pairs with host (NULL: any) and
	 * node (NULL: any), a host filter and a node filter.
	 */
	enum store_err	(*prefix_find)(struct store *, const char *prefix, int family,
			    enum addr_kind, int64_t *id);
	enum store_err	(*prefix_first)(struct store *, const char *prefix, int family,
			    int64_t *id);
	enum store_err	(*prefix_add)(struct store *, const char *prefix, int family,
			    enum addr_kind, int64_t alias, int64_t *id);
	enum store_err	(*prefix_max)(struct store *, int64_t *id);
	enum store_err	(*prefix_aliases)(struct store *, store_alias_fn *, void *arg);
	enum store_err	(*prefix_names)(struct store *, const int64_t *ids, size_t n,
			    store_name_fn *, void *arg);
	enum store_err	(*host_find)(struct store *, const char *host,
			    const char *node, int64_t *id);
	enum store_err	(*host_add)(struct store *, const char *host,
			    const char *node, int64_t *id);
	enum store_err	(*host_max)(struct store *, int64_t *id);
	enum store_err	(*host_names)(struct store *, const int64_t *ids, size_t n,
			    store_host_fn *, void *arg);
	enum store_err	(*host_ids)(struct store *, const char *host,
			    const char *node, store_id_fn *, void *arg);

	/*
	 * Cells.  cells: one blob of every cell of level with a start in
	 * [first, last], only host and only how unless they are < 0.
	 * cells_first: the least start of level (*found false: no cell).
	 * cells_get: both blobs of n cells by key.  cells_put: n cells
	 * written whole, replacing what was there.
	 */
	enum store_err	(*cells)(struct store *, enum store_blob, int level,
			    int64_t first, int64_t last, int64_t host, int how,
			    store_cell_fn *, void *arg);
	enum store_err	(*cells_first)(struct store *, int level, int64_t *start,
			    bool *found);
	enum store_err	(*cells_get)(struct store *, const struct cell_key *, size_t n,
			    store_blobs_fn *, void *arg);
	enum store_err	(*cells_put)(struct store *, const struct store_cell *, size_t n);

	/*
	 * Log files read by dualstat import (store.h's struct store_import).
	 * imports_find: those with first_line, at most max of them, the
	 * newest first, *n how many.  import_newest: the highest id of those
	 * (0: none).  import_put: rec written whole, an insert when its id
	 * is 0 (the id set), else an update of the row with its id whose
	 * offset is still rec->committed; *stale when there is no such row
	 * (another import moved it on): nothing written.
	 */
	enum store_err	(*imports_find)(struct store *, uint64_t first_line,
			    struct store_import *out, size_t max, size_t *n);
	enum store_err	(*import_newest)(struct store *, uint64_t first_line,
			    int64_t *id);
	enum store_err	(*import_put)(struct store *, struct store_import *rec,
			    bool *stale);

	/*
	 * ---- Readiness probes (issue 10; store.h) ----
	 *
	 * probe_insert: n starts (checked by probe_start_invalid), their
	 * numbers in ids.  probe_back: the start id with this secret and
	 * probe that expires after now comes back over family and kind: its
	 * secret erased, *found, and *start_family the family it started
	 * over; else nothing changes and *found is false.  probe_rows: the
	 * starts that came back or expired at or before now, in id order, at
	 * most limit (< 0: all).  probe_delete: those with an id up to upto,
	 * *deleted how many.  probe_pending: every start there is.
	 */
	enum store_err	(*probe_insert)(struct store *, const struct probe_start *,
			    size_t n, int64_t *ids);
	enum store_err	(*probe_back)(struct store *, int64_t id, const char *secret,
			    enum probe_kind, int64_t now, int family, enum addr_kind,
			    bool *found, int *start_family);
	enum store_err	(*probe_rows)(struct store *, int64_t now, int64_t limit,
			    store_probe_fn *, void *arg);
	enum store_err	(*probe_delete)(struct store *, int64_t upto, int64_t now,
			    uint64_t *deleted);
	enum store_err	(*probe_pending)(struct store *, int64_t *n);
	/*
	 * Probe cells (probe_cell.h): as cells, cells_first, cells_get and
	 * cells_put, in tables of their own, a key's how being a slot.
	 */
	enum store_err	(*pcells)(struct store *, enum store_blob, int level,
			    int64_t first, int64_t last, int64_t host, int slot,
			    store_cell_fn *, void *arg);
	enum store_err	(*pcells_first)(struct store *, int level, int64_t *start,
			    bool *found);
	enum store_err	(*pcells_get)(struct store *, const struct cell_key *, size_t n,
			    store_blobs_fn *, void *arg);
	enum store_err	(*pcells_put)(struct store *, const struct store_cell *, size_t n);
	/*
	 * What a backend keeps besides its tables (SQLite's -wal: copies of
	 * pages as they were) written into them and let go of; nothing where
	 * there is none.  Busy is not a failure: it is tried again next time.
	 */
	enum store_err	(*checkpoint)(struct store *);
};

/* The backends built in (store.c picks one by the database string). */
extern const struct store_ops	 store_sqlite_ops;
extern const struct store_ops	 store_pg_ops;	/* only with libpq: store.c */
/*
 * Tests only: called with the backend's PGconn just before a write
 * transaction's COMMIT is sent (check_store.c cuts the connection there).
 */
extern void	(*store_pg_before_commit)(void *conn);
/* Tests only: 1 cuts the connection before a record's statement is sent, 2 just after. */
extern int	store_pg_cut_record;

/*
 * Run fn in one transaction: begin, fn, commit.  When fn or the commit
 * fails it is rolled back, nothing of it kept, and fn's (or the commit's)
 * outcome answered.  The one place transactions begin and end.
 */
typedef enum store_err	store_tx_fn(struct store *, void *arg);
enum store_err	 store_tx(struct store *, enum store_tx, store_tx_fn *, void *arg);

/* Set errmsg and answer e. */
enum store_err	 store_failx(struct store *, enum store_err e, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
/* Put what the caller was doing before errmsg ("roll up: ..."); answer e. */
enum store_err	 store_context(struct store *, enum store_err e, const char *what);
/* errmsg for a memory allocation that failed; STORE_ERROR. */
enum store_err	 store_nomem(struct store *);

#endif
