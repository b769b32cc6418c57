/* recorder.h: group commit: concurrent requests of one process tree share one SQLite commit. */
#ifndef DUALSTAT_RECORDER_H
#define DUALSTAT_RECORDER_H

#include <stddef.h>

#include "store.h"

/*
 * Rows of requests in flight, in shared memory that every process forked
 * after recorder_create() sees.  Each request puts its row there and waits;
 * the first waiter to get the commit lock becomes the leader, writes every
 * pending row with store_record_batch() on its own connection, and hands
 * each follower its result.  A row is committed before recorder_record()
 * returns STORE_OK, so no response goes out before its row is on disk.
 *
 * The batch carries a sequence number written to meta (key
 * "group_commit.PID", PID the creator's) in the same transaction: when a
 * leader dies in the middle of a commit, the next one reads it and either
 * confirms the batch (it made it) or commits its rows again (it did not),
 * so the rows of answered requests are neither lost nor doubled.
 */
struct recorder;

#define RECORDER_SLOTS		128	/* requests in flight at once; more record directly */
#define RECORDER_MARGIN_MS	1000	/* a follower waits busy_timeout_ms + this */

/*
 * Map the shared memory and its process-shared, robust locks.  NULL when
 * that cannot be done: callers then record one row per commit.  Never
 * freed: it lives as long as the process tree.
 */
struct recorder	*recorder_create(void);

/*
 * The recorder this process records through (NULL: none, record directly).
 * Set once by `dualstat serve` before it forks its workers.
 */
void		 recorder_use(struct recorder *);
struct recorder	*recorder_current(void);

/*
 * Record row through rec (NULL: store_record() on st, one commit).  st is
 * this process's connection, not NULL: used when it leads a batch.  Returns STORE_OK
 * once the row is committed; otherwise the batch's failure, or STORE_BUSY
 * when no leader answered within busy_timeout_ms + RECORDER_MARGIN_MS
 * (the row may still be written then; it is never written twice).  On
 * failure msg holds one line that says why.
 */
enum store_err	 recorder_record(struct recorder *rec, struct store *st,
		    const struct row *row, unsigned busy_timeout_ms,
		    char *msg, size_t msgsz);

/*
 * The same for n rows (at most RECORDER_ROWS_MAX) of one process's
 * requests, answered together: res[i] is row i's result, and the return
 * value the first failure (STORE_OK when all are in).  They join one
 * commit, with whatever other processes have queued.
 */
#define RECORDER_ROWS_MAX	32
enum store_err	 recorder_record_rows(struct recorder *rec, struct store *st,
		    const struct row *rows, size_t n, enum store_err *res,
		    unsigned busy_timeout_ms, char *msg, size_t msgsz);

/*
 * A leader about to commit waits, up to gather_us (negative: the default
 * RECORDER_GATHER_US; 0: never), while rows arrive faster than that, for
 * a batch of one row per worker (workers), and for the rows of requests
 * that have begun.  Under a light load it does not wait at all.
 */
#define RECORDER_GATHER_US	300
void		 recorder_tune(struct recorder *, unsigned workers, long gather_us);

/*
 * A request begins (after accept) and ends (after its response).  Between
 * the two, a leader about to commit waits a moment for this request's row
 * (RECORDER_GATHER_US at most), so that it joins the commit.  rec may be
 * NULL.
 */
void		 recorder_begin(struct recorder *);
void		 recorder_end(struct recorder *);

/*
 * Hold the commit lock for other work on the database (the upkeep's roll-up),
 * so that no batch waits for it in SQLite's busy handler, which sleeps in
 * steps of up to 100 ms: requests queue their rows as they would behind a
 * leader, and the release wakes them.  st is this process's connection
 * (it settles a dead leader's batch first).  rec may be NULL: no-op.
 */
void		 recorder_hold(struct recorder *rec, struct store *st);
void		 recorder_release(struct recorder *rec);

/*
 * The meta key of this tree's batch marker: once every process that
 * records through rec has stopped, nothing reads it again and it may go.
 */
const char	*recorder_key(const struct recorder *);

/* What a recorder has done, for tests and benchmarks. */
struct recorder_stats {
	unsigned long long	 batches;	/* commits attempted */
	unsigned long long	 rows;		/* rows in them */
	unsigned long long	 recovered;	/* batches of a dead leader settled */
	unsigned long long	 timeouts;	/* followers that gave up */
	unsigned long long	 direct;	/* rows recorded without a slot */
	unsigned long long	 gather_timeouts; /* leaders that stopped waiting for rows */
};
void		 recorder_stats(struct recorder *, struct recorder_stats *);

#endif
