/* check_recorder.c: group commit across processes: every row once, failures answered, leaders that die. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "check_suites.h"
#include "recorder.h"
#include "recorder-int.h"
#include "store.h"

static char	 root[PATH_MAX];
static char	 db[PATH_MAX];

static int
rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

/* Each test: a folder of its own and a fresh database in it. */
static void
setup(void)
{
	const char	*tmp;
	struct store	*st;
	char		 err[256];

	if ((tmp = getenv("TMPDIR")) == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	if (snprintf(root, sizeof(root), "%s/check_recorder.XXXXXX", tmp) >= (int)sizeof(root) ||
	    mkdtemp(root) == NULL)
		ck_abort_msg("mkdtemp under %s: %s", tmp, strerror(errno));
	ck_assert_int_lt(snprintf(db, sizeof(db), "%s/db/d.db", root), (int)sizeof(db));
	ck_assert_int_eq(store_open(&st, db, 0, 1000, err, sizeof(err)), STORE_OK);
	store_close(st);
	recorder_hook = NULL;
}

static void
teardown(void)
{
	if (root[0] != '\0')
		nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	root[0] = '\0';
}

static struct store *
open_db(unsigned busy_ms)
{
	struct store	*st;
	char		 err[256];

	if (store_open(&st, db, 0, busy_ms, err, sizeof(err)) != STORE_OK)
		return NULL;
	return st;
}

static struct row
row_for(const char *host)
{
	struct row		 r;

	memset(&r, 0, sizeof(r));
	r.time = 1700000000;
	r.family = 6;
	r.kind = KIND_DOCUMENTATION;
	snprintf(r.prefix, sizeof(r.prefix), "2001:db8:1::/48");
	r.server_family = 6;
	r.host = host;
	r.how = HOW_BEACON;
	return r;
}

/* One integer that sql (with ?1 = arg, when not NULL) reads, through SQLite itself. */
static int
db_int(const char *sql, const char *arg)
{
	sqlite3		*h;
	sqlite3_stmt	*s;
	int		 n = -1;

	ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
	if (arg != NULL)
		sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return n;
}

/* Rows whose host is like pattern (SQL LIKE). */
static int
rows_like(const char *pattern)
{
	return db_int("SELECT count(*) FROM request WHERE host LIKE ?1", pattern);
}

/* The largest number of rows any one host has. */
static int
rows_max_per_host(void)
{
	return db_int("SELECT coalesce(max(c), 0) FROM"
	    " (SELECT count(*) AS c FROM request GROUP BY host)", NULL);
}

/* Batch markers (meta group_commit.*) written so far. */
static int
markers(void)
{
	return db_int("SELECT count(*) FROM meta WHERE key LIKE 'group_commit.%'", NULL);
}

/* A child that records one row for host and exits with the store_err it got. */
static pid_t
record_in_child(struct recorder *rec, const char *host, unsigned busy_ms)
{
	struct row		 r;
	struct store		*st;
	char			 msg[200];
	pid_t			 pid;
	enum store_err		 e;

	if ((pid = fork()) != 0)
		return pid;
	if ((st = open_db(busy_ms)) == NULL)
		_exit(100);
	r = row_for(host);
	e = recorder_record(rec, st, &r, busy_ms, msg, sizeof(msg));
	/* A failure must say why. */
	if (e != STORE_OK && msg[0] == '\0')
		_exit(101);
	store_close(st);
	_exit((int)e);
}

/*
 * A child that records n rows (hosts prefix-0 ...) in one call, as a worker
 * does for the requests it answers together; exits with the result.
 */
static pid_t
record_rows_in_child(struct recorder *rec, const char *prefix, size_t n,
    unsigned busy_ms)
{
	struct row		 r[RECORDER_ROWS_MAX + 1];
	enum store_err		 res[RECORDER_ROWS_MAX + 1], e;
	char			 host[RECORDER_ROWS_MAX + 1][32], msg[200];
	struct store		*st;
	size_t			 i;
	pid_t			 pid;

	if ((pid = fork()) != 0)
		return pid;
	if ((st = open_db(busy_ms)) == NULL)
		_exit(100);
	for (i = 0; i < n; i++) {
		snprintf(host[i], sizeof(host[i]), "%s-%zu", prefix, i);
		r[i] = row_for(host[i]);
	}
	e = recorder_record_rows(rec, st, r, n, res, busy_ms, msg, sizeof(msg));
	for (i = 0; i < n; i++)
		if (res[i] != e && e == STORE_OK)
			_exit(102);	/* all in, yet one says otherwise */
	if (e != STORE_OK && msg[0] == '\0')
		_exit(101);
	store_close(st);
	_exit((int)e);
}

static int
exit_code(pid_t pid)
{
	int	 status;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		return 200 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static void
nap_ms(long ms)
{
	struct timespec	 ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* ---- core ---------------------------------------------------------------- */

START_TEST(test_no_recorder)
{
	struct store		*st = open_db(1000);
	struct row		 r = row_for("direct");
	char			 msg[200];

	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(recorder_record(NULL, st, &r, 1000, msg, sizeof(msg)), STORE_OK);
	ck_assert_str_eq(msg, "");
	store_close(st);
	ck_assert_int_eq(rows_like("direct"), 1);
}
END_TEST

START_TEST(test_no_connection)
{
	struct recorder		*rec = recorder_create();
	struct row		 r = row_for("x");
	char			 msg[200];

	ck_assert_ptr_nonnull(rec);
	ck_assert_int_eq(recorder_record(rec, NULL, &r, 1000, msg, sizeof(msg)), STORE_CANTOPEN);
	ck_assert(msg[0] != '\0');
}
END_TEST

START_TEST(test_one_process)
{
	struct recorder		*rec = recorder_create();
	struct recorder_stats	 rs;
	struct store		*st = open_db(1000);
	struct row		 r;
	char			 msg[200], host[32];
	int			 i;

	ck_assert_ptr_nonnull(rec);
	ck_assert_ptr_nonnull(st);
	for (i = 0; i < 50; i++) {
		snprintf(host, sizeof(host), "one-%d", i);
		r = row_for(host);
		ck_assert_int_eq(recorder_record(rec, st, &r, 1000, msg, sizeof(msg)), STORE_OK);
	}
	/* A request that begins and ends without recording leaves nothing behind. */
	recorder_begin(rec);
	recorder_end(rec);
	recorder_begin(rec);
	r = row_for("one-begun");
	ck_assert_int_eq(recorder_record(rec, st, &r, 1000, msg, sizeof(msg)), STORE_OK);
	recorder_end(rec);
	store_close(st);
	ck_assert_int_eq(rows_like("one-%"), 51);
	ck_assert_int_eq(rows_max_per_host(), 1);
	recorder_stats(rec, &rs);
	ck_assert_uint_eq(rs.rows, 51);
	ck_assert_uint_eq(rs.batches, 51);	/* alone, nothing to share */
	ck_assert_uint_eq(rs.timeouts, 0);
	ck_assert_uint_eq(rs.direct, 0);
}
END_TEST

#define PROCS	4
#define EACH	300

/* Several processes at once: every row once, and they shared commits. */
START_TEST(test_processes_share)
{
	struct recorder		*rec = recorder_create();
	struct recorder_stats	 rs;
	pid_t			 pids[PROCS];
	int			 p;

	ck_assert_ptr_nonnull(rec);
	recorder_tune(rec, PROCS, -1);
	for (p = 0; p < PROCS; p++) {
		if ((pids[p] = fork()) == 0) {
			struct store		*st = open_db(5000);
			struct row		 r;
			char			 msg[200], host[32];
			int			 i;

			if (st == NULL)
				_exit(100);
			for (i = 0; i < EACH; i++) {
				snprintf(host, sizeof(host), "p%d-%d", p, i);
				r = row_for(host);
				recorder_begin(rec);
				if (recorder_record(rec, st, &r, 5000, msg,
				    sizeof(msg)) != STORE_OK)
					_exit(1);
				recorder_end(rec);
			}
			store_close(st);
			_exit(0);
		}
	}
	for (p = 0; p < PROCS; p++)
		ck_assert_int_eq(exit_code(pids[p]), 0);
	ck_assert_int_eq(rows_like("p%"), PROCS * EACH);
	ck_assert_int_eq(rows_max_per_host(), 1);
	recorder_stats(rec, &rs);
	ck_assert_uint_eq(rs.rows, PROCS * EACH);
	ck_assert_uint_le(rs.batches, rs.rows);
	ck_assert_uint_eq(rs.timeouts, 0);
	fprintf(stderr, "check_recorder: %d rows from %d processes in %llu commits\n",
	    PROCS * EACH, PROCS, rs.batches);
}
END_TEST

/*
 * Another process holds the write lock past the busy timeout: every
 * request of the batch gets the failure, with a reason, and nothing is
 * written; once the lock is gone recording works again.
 */
START_TEST(test_busy)
{
	struct recorder		*rec = recorder_create();
	struct store		*st;
	struct row		 r;
	sqlite3			*h;
	pid_t			 pids[3];
	char			 msg[200];
	int			 i;

	ck_assert_ptr_nonnull(rec);
	recorder_tune(rec, 3, -1);
	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	for (i = 0; i < 3; i++)
		pids[i] = record_in_child(rec, i == 0 ? "busy-0" : i == 1 ? "busy-1" : "busy-2", 100);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(exit_code(pids[i]), STORE_BUSY);
	ck_assert_int_eq(sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	ck_assert_int_eq(rows_like("busy-%"), 0);
	st = open_db(100);
	r = row_for("after");
	ck_assert_int_eq(recorder_record(rec, st, &r, 100, msg, sizeof(msg)), STORE_OK);
	store_close(st);
	ck_assert_int_eq(rows_like("after"), 1);
}
END_TEST

/* ---- several rows of one process (the requests a worker answers together) -- */

/* One process's rows alone: one commit, each row once, and no marker (nobody else waits). */
START_TEST(test_rows_alone)
{
	struct recorder		*rec = recorder_create();
	struct recorder_stats	 rs;

	ck_assert_ptr_nonnull(rec);
	ck_assert_int_eq(exit_code(record_rows_in_child(rec, "alone", 5, 1000)), STORE_OK);
	ck_assert_int_eq(rows_like("alone-%"), 5);
	ck_assert_int_eq(rows_max_per_host(), 1);
	ck_assert_int_eq(markers(), 0);
	recorder_stats(rec, &rs);
	ck_assert_uint_eq(rs.rows, 5);
	ck_assert_uint_eq(rs.batches, 1);
	ck_assert_uint_eq(rs.direct, 0);
}
END_TEST

/* Processes recording batches of rows at once: every row once, batches shared. */
START_TEST(test_rows_processes_share)
{
	struct recorder		*rec = recorder_create();
	struct recorder_stats	 rs;
	pid_t			 pids[PROCS];
	char			 prefix[16];
	int			 p, i;

	ck_assert_ptr_nonnull(rec);
	recorder_tune(rec, PROCS, -1);
	for (i = 0; i < 20; i++) {
		for (p = 0; p < PROCS; p++) {
			snprintf(prefix, sizeof(prefix), "b%d-%d", p, i);
			pids[p] = record_rows_in_child(rec, prefix, 4, 5000);
		}
		for (p = 0; p < PROCS; p++)
			ck_assert_int_eq(exit_code(pids[p]), STORE_OK);
	}
	ck_assert_int_eq(rows_like("b%"), 20 * PROCS * 4);
	ck_assert_int_eq(rows_max_per_host(), 1);
	recorder_stats(rec, &rs);
	ck_assert_uint_eq(rs.rows, 20 * PROCS * 4);
	/* A batch holds at least one process's four rows. */
	ck_assert_uint_le(rs.batches * 4, rs.rows);
	ck_assert_uint_eq(rs.timeouts, 0);
}
END_TEST

/* More rows than one call takes: written directly, in one commit of their own. */
START_TEST(test_rows_too_many)
{
	struct recorder		*rec = recorder_create();
	struct recorder_stats	 rs;

	ck_assert_ptr_nonnull(rec);
	ck_assert_int_eq(exit_code(record_rows_in_child(rec, "many",
	    RECORDER_ROWS_MAX + 1, 1000)), STORE_OK);
	ck_assert_int_eq(rows_like("many-%"), RECORDER_ROWS_MAX + 1);
	recorder_stats(rec, &rs);
	ck_assert_uint_eq(rs.direct, RECORDER_ROWS_MAX + 1);
}
END_TEST

/* The write lock held past the timeout: every row of the call fails, none is written. */
START_TEST(test_rows_busy)
{
	struct recorder		*rec = recorder_create();
	sqlite3			*h;

	ck_assert_ptr_nonnull(rec);
	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(exit_code(record_rows_in_child(rec, "held", 3, 100)), STORE_BUSY);
	ck_assert_int_eq(sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	ck_assert_int_eq(rows_like("held-%"), 0);
	ck_assert_int_eq(exit_code(record_rows_in_child(rec, "free", 3, 100)), STORE_OK);
	ck_assert_int_eq(rows_like("free-%"), 3);
}
END_TEST

/*
 * Other work holding the commit lock (the upkeep): a row queued meanwhile
 * waits for it (not for SQLite's busy timeout, far shorter here), and is
 * committed once the holder lets go.
 */
START_TEST(test_hold)
{
	struct recorder		*rec = recorder_create();
	struct store		*st = open_db(100);
	pid_t			 pid;
	int			 status;

	ck_assert_ptr_nonnull(rec);
	ck_assert_ptr_nonnull(st);
	recorder_hold(rec, st);
	pid = record_in_child(rec, "held-row", 100);
	nap_ms(400);
	ck_assert_int_eq(waitpid(pid, &status, WNOHANG), 0);	/* still waiting */
	ck_assert_int_eq(rows_like("held-row"), 0);
	recorder_release(rec);
	ck_assert_int_eq(exit_code(pid), STORE_OK);
	ck_assert_int_eq(rows_like("held-row"), 1);
	store_close(st);
}
END_TEST

/* A process that dies holding the lock leaves it to the next one. */
START_TEST(test_holder_dies)
{
	struct recorder		*rec = recorder_create();
	pid_t			 pid;

	ck_assert_ptr_nonnull(rec);
	if ((pid = fork()) == 0) {
		struct store	*st = open_db(1000);

		recorder_hold(rec, st);
		_exit(9);
	}
	ck_assert_int_eq(exit_code(pid), 9);
	ck_assert_int_eq(exit_code(record_in_child(rec, "after-holder", 1000)), STORE_OK);
	ck_assert_int_eq(rows_like("after-holder"), 1);
}
END_TEST

/* ---- a leader that dies, a follower that gives up --------------------------- */

static enum recorder_point	 stop_at;

static void
die_in_batch(enum recorder_point at, size_t rows)
{
	if (at == stop_at && rows >= 2)
		_exit(9);	/* as SIGKILL would: no unlock, no cleanup */
}

static void
hold_in_batch(enum recorder_point at, size_t rows)
{
	if (at == stop_at && rows >= 2)
		nap_ms(1500);
}

static void
hold_alone(enum recorder_point at, size_t rows)
{
	if (at == stop_at && rows == 1)
		nap_ms(1500);
}

/*
 * A leader L waits for a second row (a full batch of two), F queues it,
 * and L is stopped at a point of its commit by the hook.  L records in a
 * child of its own so its hook stays there.
 */
static void
leader_and_follower(struct recorder *rec, void (*hook)(enum recorder_point, size_t),
    enum recorder_point at, unsigned follower_busy_ms, int *leader_rc, int *follower_rc)
{
	pid_t	 l, f;

	/* L waits up to 3 s for F's row: far longer than F takes to come. */
	recorder_tune(rec, 2, 3000000);
	stop_at = at;
	recorder_hook = hook;
	l = record_in_child(rec, "L", 1000);
	recorder_hook = NULL;
	nap_ms(200);
	f = record_in_child(rec, "F", follower_busy_ms);
	*follower_rc = exit_code(f);
	*leader_rc = exit_code(l);
}

START_TEST(test_leader_dies_before_commit)
{
	struct recorder		*rec = recorder_create();
	struct recorder_stats	 rs;
	int			 lrc, frc;

	ck_assert_ptr_nonnull(rec);
	leader_and_follower(rec, die_in_batch, RECORDER_AT_COMMIT, 1000, &lrc, &frc);
	ck_assert_int_eq(lrc, 9);
	ck_assert_int_eq(frc, STORE_OK);
	/* F was answered: its row is there once.  L's answered nobody: at most once. */
	ck_assert_int_eq(rows_like("F"), 1);
	ck_assert_int_le(rows_like("L"), 1);
	recorder_stats(rec, &rs);
	ck_assert_uint_eq(rs.recovered, 1);
}
END_TEST

START_TEST(test_leader_dies_after_commit)
{
	struct recorder		*rec = recorder_create();
	struct recorder_stats	 rs;
	int			 lrc, frc;

	ck_assert_ptr_nonnull(rec);
	leader_and_follower(rec, die_in_batch, RECORDER_AT_COMMITTED, 1000, &lrc, &frc);
	ck_assert_int_eq(lrc, 9);
	ck_assert_int_eq(frc, STORE_OK);
	/* The marker says the batch made it: not written a second time. */
	ck_assert_int_eq(rows_like("F"), 1);
	ck_assert_int_eq(rows_like("L"), 1);
	recorder_stats(rec, &rs);
	ck_assert_uint_eq(rs.recovered, 1);
}
END_TEST

/*
 * A process dies in the commit of its own rows (no marker: it answered
 * nobody).  The next recorder settles its slots without writing them
 * again: none of them when it died before the commit, each once after.
 */
static void
own_rows_leader_dies(enum recorder_point at, int expect)
{
	struct recorder		*rec = recorder_create();
	struct recorder_stats	 rs;
	pid_t			 l;

	ck_assert_ptr_nonnull(rec);
	stop_at = at;
	recorder_hook = die_in_batch;
	l = record_rows_in_child(rec, "own", 3, 1000);
	recorder_hook = NULL;
	ck_assert_int_eq(exit_code(l), 9);
	ck_assert_int_eq(exit_code(record_in_child(rec, "next", 1000)), STORE_OK);
	ck_assert_int_eq(rows_like("own-%"), expect);
	ck_assert_int_eq(rows_like("next"), 1);
	ck_assert_int_eq(rows_max_per_host(), 1);
	recorder_stats(rec, &rs);
	ck_assert_uint_eq(rs.recovered, 1);
}

START_TEST(test_own_rows_die_before_commit)
{
	own_rows_leader_dies(RECORDER_AT_COMMIT, 0);
}
END_TEST

START_TEST(test_own_rows_die_after_commit)
{
	own_rows_leader_dies(RECORDER_AT_COMMITTED, 3);
}
END_TEST

/* F's row is in a batch whose leader is stuck: F answers BUSY in time, its row lands once. */
START_TEST(test_follower_gives_up_in_batch)
{
	struct recorder		*rec = recorder_create();
	struct recorder_stats	 rs;
	int			 lrc, frc;

	ck_assert_ptr_nonnull(rec);
	leader_and_follower(rec, hold_in_batch, RECORDER_AT_COMMIT, 100, &lrc, &frc);
	ck_assert_int_eq(frc, STORE_BUSY);
	ck_assert_int_eq(lrc, STORE_OK);
	ck_assert_int_eq(rows_like("F"), 1);	/* written by L, once, answering no one */
	ck_assert_int_eq(rows_like("L"), 1);
	recorder_stats(rec, &rs);
	ck_assert_uint_eq(rs.timeouts, 1);
}
END_TEST

/* F's row waits while a leader is stuck on its own row: F withdraws it and answers BUSY. */
START_TEST(test_follower_withdraws)
{
	struct recorder		*rec = recorder_create();
	struct recorder_stats	 rs;
	pid_t			 l, f;

	ck_assert_ptr_nonnull(rec);
	recorder_tune(rec, 1, -1);
	stop_at = RECORDER_AT_COMMIT;
	recorder_hook = hold_alone;
	l = record_in_child(rec, "L", 1000);
	recorder_hook = NULL;
	nap_ms(200);
	f = record_in_child(rec, "F", 100);
	ck_assert_int_eq(exit_code(f), STORE_BUSY);
	ck_assert_int_eq(exit_code(l), STORE_OK);
	ck_assert_int_eq(rows_like("F"), 0);
	ck_assert_int_eq(rows_like("L"), 1);
	recorder_stats(rec, &rs);
	ck_assert_uint_eq(rs.timeouts, 1);
}
END_TEST

/*
 * Workers recording as fast as they can while, again and again, one of
 * them is killed with SIGKILL wherever it is: no deadlock, every row that
 * was acknowledged is there exactly once, and no row is there twice.
 */
#define STORM_WORKERS	4
#define STORM_KILLS	12

static pid_t
storm_worker(struct recorder *rec, int id, int ackfd)
{
	pid_t	 pid;

	if ((pid = fork()) != 0)
		return pid;
	{
		struct store		*st = open_db(2000);
		struct row		 r[4];
		enum store_err		 res[4];
		char			 msg[200], host[4][32], line[40];
		int			 i, k, b, n;

		if (st == NULL)
			_exit(100);
		/* Batches of 1 to 4 rows, as a worker answering several requests at once. */
		for (i = 0; i < 100000; i++) {
			b = 1 + i % 4;
			for (k = 0; k < b; k++) {
				snprintf(host[k], sizeof(host[k]), "s%d-%d-%d", id, i, k);
				r[k] = row_for(host[k]);
			}
			recorder_begin(rec);
			recorder_record_rows(rec, st, r, (size_t)b, res, 2000, msg,
			    sizeof(msg));
			for (k = 0; k < b; k++) {
				if (res[k] != STORE_OK)
					continue;
				n = snprintf(line, sizeof(line), "%s\n", host[k]);
				if (write(ackfd, line, (size_t)n) != n)
					_exit(102);
			}
			recorder_end(rec);
		}
		_exit(0);
	}
}

START_TEST(test_sigkill_storm)
{
	struct recorder		*rec = recorder_create();
	pid_t			 pids[STORM_WORKERS];
	char			 acks[PATH_MAX + 8], line[64];
	FILE			*f;
	sqlite3			*h;
	sqlite3_stmt		*q;
	int			 fd, k, id = 0, acked = 0, missing = 0;

	ck_assert_ptr_nonnull(rec);
	recorder_tune(rec, STORM_WORKERS, -1);
	snprintf(acks, sizeof(acks), "%s/acks", root);
	fd = open(acks, O_WRONLY | O_CREAT | O_APPEND, 0600);
	ck_assert_int_ge(fd, 0);
	for (k = 0; k < STORM_WORKERS; k++)
		pids[k] = storm_worker(rec, id++, fd);
	srand(7);
	for (k = 0; k < STORM_KILLS; k++) {
		int	 w = rand() % STORM_WORKERS;

		nap_ms(40 + rand() % 80);
		kill(pids[w], SIGKILL);
		ck_assert_int_eq(exit_code(pids[w]), 200 + SIGKILL);
		pids[w] = storm_worker(rec, id++, fd);
	}
	nap_ms(200);
	for (k = 0; k < STORM_WORKERS; k++) {
		kill(pids[k], SIGKILL);
		exit_code(pids[k]);
	}
	close(fd);

	ck_assert_int_eq(rows_max_per_host(), 1);
	f = fopen(acks, "r");
	ck_assert_ptr_nonnull(f);
	/* The acknowledged hosts in a table of the test's own, joined once. */
	ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h, "CREATE TEMP TABLE ack (host TEXT PRIMARY KEY)",
	    NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(h, "INSERT INTO ack VALUES (?1)", -1, &q, NULL),
	    SQLITE_OK);
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		acked++;
		sqlite3_bind_text(q, 1, line, -1, SQLITE_STATIC);
		ck_assert_int_eq(sqlite3_step(q), SQLITE_DONE);
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	fclose(f);
	ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT count(*) FROM ack LEFT JOIN"
	    " (SELECT host, count(*) AS c FROM request GROUP BY host) USING (host)"
	    " WHERE coalesce(c, 0) != 1", -1, &q, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
	missing = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(h);
	ck_assert_int_gt(acked, 100);
	ck_assert_int_eq(missing, 0);
	/* Still serving after all that. */
	{
		struct store		*st = open_db(1000);
		struct row		 r = row_for("after-storm");
		char			 msg[200];

		ck_assert_int_eq(recorder_record(rec, st, &r, 1000, msg, sizeof(msg)), STORE_OK);
		store_close(st);
	}
	ck_assert_int_eq(rows_like("after-storm"), 1);
	fprintf(stderr, "check_recorder: %d acknowledged rows through %d kills, none lost or doubled\n",
	    acked, STORM_KILLS);
}
END_TEST

Suite *
recorder_suite(void)
{
	Suite	*s = suite_create("recorder");
	TCase	*tc;

	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_no_recorder);
	tcase_add_test(tc, test_no_connection);
	tcase_add_test(tc, test_one_process);
	tcase_add_test(tc, test_processes_share);
	tcase_add_test(tc, test_busy);
	tcase_add_test(tc, test_rows_alone);
	tcase_add_test(tc, test_rows_processes_share);
	tcase_add_test(tc, test_rows_too_many);
	tcase_add_test(tc, test_rows_busy);
	tcase_add_test(tc, test_hold);
	tcase_add_test(tc, test_holder_dies);
	suite_add_tcase(s, tc);

	tc = tcase_create("crash");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_leader_dies_before_commit);
	tcase_add_test(tc, test_leader_dies_after_commit);
	tcase_add_test(tc, test_own_rows_die_before_commit);
	tcase_add_test(tc, test_own_rows_die_after_commit);
	tcase_add_test(tc, test_follower_gives_up_in_batch);
	tcase_add_test(tc, test_follower_withdraws);
	tcase_add_test(tc, test_sigkill_storm);
	suite_add_tcase(s, tc);
	return s;
}
