/* store.c: the SQLite database of measurements; the only SQL in dualstat. */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "addr.h"
#include "buf.h"
#include "cell.h"
#include "err.h"
#include "map.h"
#include "report.h"
#include "store.h"
#include "topk.h"

/* Rows a prune deletes per transaction when the caller gives 0. */

/* A series longer than this is a bad query, not a report: ten years hourly. */
#define STORE_SERIES_MAX	(10 * 366 * 24)

struct store {
	sqlite3		*db;
	/*
	 * The statements of the hot paths (recording, the landing page's
	 * count), prepared once at open rather than on every call.
	 */
	sqlite3_stmt	*ins;		/* the hot INSERT */
	sqlite3_stmt	*begin_w;	/* BEGIN IMMEDIATE */
	sqlite3_stmt	*begin_r;	/* BEGIN */
	sqlite3_stmt	*commit;	/* COMMIT */
	sqlite3_stmt	*meta_put;	/* INSERT OR REPLACE INTO meta */
	sqlite3_stmt	*meta_del;	/* DELETE FROM meta */
	sqlite3_stmt	*meta_sel;	/* SELECT value FROM meta */
	sqlite3_stmt	*cnt_cells;	/* hour cells of a period */
	sqlite3_stmt	*cnt_tail;	/* raw rows above the watermark */
	char		*path;
	int		 flags;
	/*
	 * The -wal and -shm at the path when this handle opened (ino 0:
	 * none), to tell them from a new file's once the database moved.
	 */
	struct file_id {
		dev_t	 dev;
		ino_t	 ino;
	}		 wal_id, shm_id;
	int64_t		 wait_until;	/* store_wait_total's deadline (CLOCK_MONOTONIC ms) */
	char		 errmsg[256];
};

static const char *const err_names[STORE__MAX] = {
	"ok",			/* STORE_OK */
	"busy",			/* STORE_BUSY */
	"full",			/* STORE_FULL */
	"read-only",		/* STORE_READONLY */
	"schema too new",	/* STORE_TOONEW */
	"cannot open",		/* STORE_CANTOPEN */
	"moved",		/* STORE_MOVED */
	"error",		/* STORE_ERROR */
};

/*
 * migrations[v] takes a database from user_version v to v + 1.  Steps are
 * only ever appended: a released step never changes, because databases in
 * the field were built by it.
 */
static const char *const migrations[STORE_SCHEMA_VERSION] = {
	/* 0 -> 1: raw rows.  kind and how are names the sqlite3 CLI shows. */
	"CREATE TABLE request ("
	" id INTEGER PRIMARY KEY,"
	" time INTEGER NOT NULL,"
	" family INTEGER NOT NULL CHECK (family IN (4, 6)),"
	" kind TEXT NOT NULL,"
	" prefix TEXT NOT NULL,"
	" mapped INTEGER NOT NULL CHECK (mapped IN (0, 1)),"
	" server_family INTEGER NOT NULL CHECK (server_family IN (0, 4, 6)),"
	" host TEXT,"
	" how TEXT NOT NULL,"
	" via_proxy INTEGER NOT NULL CHECK (via_proxy IN (0, 1))"
	");"
	/* With family in it, the landing page's count never reads the table. */
	"CREATE INDEX request_time ON request (time, family);"
	/*
	 * Small named integers written in the same transaction as the rows
	 * they describe (a group commit's last batch, a roll-up watermark).
	 */
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)"
	" WITHOUT ROWID;",
	/*
	 * 1 -> 2: roll-ups (see "Roll-ups" below).  Prefixes and hosts get
	 * numbers; cells hold, per unit of time, family, host and way of
	 * measuring, the requests by (kind, mapped, listener) and by prefix.
	 * The cells of existing rows are built after the step, from the raw
	 * rows above the watermark meta 'rollup_id' (0 here).
	 */
	"CREATE TABLE rollup_prefix ("
	" id INTEGER PRIMARY KEY,"
	" prefix TEXT NOT NULL,"
	" family INTEGER NOT NULL,"
	" kind TEXT NOT NULL,"
	" alias INTEGER,"	/* the first id of the same prefix and family */
	" UNIQUE (prefix, family, kind));"
	"CREATE INDEX rollup_prefix_alias ON rollup_prefix (alias, id)"
	" WHERE alias IS NOT NULL;"
	"CREATE TABLE rollup_host ("
	" id INTEGER PRIMARY KEY,"
	" host TEXT NOT NULL UNIQUE);"
	"CREATE TABLE rollup ("
	" level INTEGER NOT NULL,"
	" start INTEGER NOT NULL,"
	" family INTEGER NOT NULL,"
	" host INTEGER NOT NULL,"
	" how INTEGER NOT NULL,"
	" counts BLOB NOT NULL,"
	" PRIMARY KEY (level, start, family, host, how)) WITHOUT ROWID;"
	"CREATE TABLE rollup_prefixes ("
	" level INTEGER NOT NULL,"
	" start INTEGER NOT NULL,"
	" family INTEGER NOT NULL,"
	" host INTEGER NOT NULL,"
	" how INTEGER NOT NULL,"
	" data BLOB NOT NULL,"
	" UNIQUE (level, start, family, host, how));",
};

static int	 rollup_all(struct store *, int64_t);
static int	 step_int(sqlite3_stmt *, int64_t *, bool *);

static const char sql_insert[] =
	"INSERT INTO request (time, family, kind, prefix, mapped,"
	" server_family, host, how, via_proxy)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

/* The statements of struct store, prepared once by store_open(). */
static const struct {
	size_t		 off;
	const char	*sql;
} hot_sql[] = {
	{ offsetof(struct store, ins), sql_insert },
	{ offsetof(struct store, begin_w), "BEGIN IMMEDIATE" },
	{ offsetof(struct store, begin_r), "BEGIN" },
	{ offsetof(struct store, commit), "COMMIT" },
	{ offsetof(struct store, meta_put),
	    "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)" },
	{ offsetof(struct store, meta_del), "DELETE FROM meta WHERE key = ?1" },
	{ offsetof(struct store, meta_sel),
	    "SELECT value FROM meta WHERE key = ?1" },
	/* The primary key (level, start, ...) bounds the read. */
	{ offsetof(struct store, cnt_cells),
	    "SELECT family, counts FROM rollup"
	    " WHERE level = 0 AND start >= ?1 AND start <= ?2" },
	/*
	 * A range of ids: the rows since the last upkeep.  "+time" keeps the
	 * planner off the time index, which would read the whole period.
	 */
	{ offsetof(struct store, cnt_tail),
	    "SELECT COUNT(*), TOTAL(family = 6) FROM request"
	    " WHERE id > ?1 AND +time >= ?2 AND +time <= ?3" },
};

#define HOT_STMT(st, i)	((sqlite3_stmt **)(void *)((char *)(st) + hot_sql[i].off))

/* Step a prepared statement that answers no row, and reset it. */
static int
step_done(sqlite3_stmt *stmt)
{
	int	 rc;

	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
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

/*
 * The one place SQLite result codes become store outcomes.  rc is a
 * failure: a success code that reached here is a bug, so it is an error.
 */
static enum store_err
store_map(int rc)
{

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return STORE_BUSY;
	case SQLITE_FULL:
		return STORE_FULL;
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return STORE_READONLY;
	case SQLITE_CANTOPEN:
		return STORE_CANTOPEN;
	default:
		return STORE_ERROR;
	}
}

/* Keep why the last call failed: the next call overwrites sqlite3_errmsg(). */
static enum store_err
store_fail(struct store *st, int rc, const char *what)
{
	const char	*msg;

	/* rc may be ours (out of memory in C), not the handle's last error. */
	if (st->db != NULL &&
	    (sqlite3_extended_errcode(st->db) & 0xff) == (rc & 0xff))
		msg = sqlite3_errmsg(st->db);
	else
		msg = sqlite3_errstr(rc);
	/* errmsg may be cut: it is for people, and one line is enough. */
	(void)snprintf(st->errmsg, sizeof(st->errmsg), "%s: %s", what, msg);
	return store_map(rc);
}

static enum store_err
store_failx(struct store *st, enum store_err e, const char *msg)
{

	(void)snprintf(st->errmsg, sizeof(st->errmsg), "%s", msg);
	return e;
}

/* Fixed SQL without data: DDL, PRAGMA, transaction control. */
static int
exec(struct store *st, const char *sql)
{

	return sqlite3_exec(st->db, sql, NULL, NULL, NULL);
}

/* Run one statement that returns a single integer, such as a PRAGMA. */
static int
store_int(struct store *st, const char *sql, int64_t *out)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	rc = sqlite3_prepare_v3(st->db, sql, -1, 0, &stmt, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(stmt, 0);
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		*out = 0;
		rc = SQLITE_OK;
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* Run a PRAGMA that answers with text, such as journal_mode. */
static int
store_text(struct store *st, const char *sql, char *buf, size_t bufsz)
{
	sqlite3_stmt		*stmt;
	const unsigned char	*s;
	int			 rc;

	buf[0] = '\0';
	rc = sqlite3_prepare_v3(st->db, sql, -1, 0, &stmt, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		if ((s = sqlite3_column_text(stmt, 0)) != NULL)
			(void)snprintf(buf, bufsz, "%s", (const char *)s);
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(stmt);
	return rc;
}

/*
 * Switch to WAL.  The switch needs the exclusive lock, and SQLite answers
 * SQLITE_BUSY at once, without the busy handler, when another connection
 * reads meanwhile (workers of a new install all start together), so the
 * wait is done here, within the same busy timeout.
 */
static int
store_wal(struct store *st, unsigned timeout_ms, char *mode, size_t modesz)
{
	const struct timespec	 pause = { 0, 5 * 1000 * 1000 };
	struct timespec		 t0, t;
	int			 rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		rc = store_text(st, "PRAGMA journal_mode = WAL", mode, modesz);
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			return rc;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 +
		    (t.tv_nsec - t0.tv_nsec) / 1000000 >= (long)timeout_ms)
			return rc;
		nanosleep(&pause, NULL);
	}
}

/* mkdir -p of the folder that holds path, each new folder 0700. */
static int
mkparents(const char *path, char *err, size_t errsz)
{
	char	*dir, *p;
	int	 rc = 0;

	if ((dir = strdup(path)) == NULL) {
		errf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((p = strrchr(dir, '/')) == NULL || p == dir) {
		free(dir);
		return 0;
	}
	*p = '\0';
	for (p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		if (p[-1] != '/') {
			char	 c = *p;

			*p = '\0';
			if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
				errf(err, errsz,
				    "cannot create folder %s: %s",
				    dir, strerror(errno));
				rc = -1;
				break;
			}
			*p = c;
		}
		if (*p == '\0')
			break;
	}
	free(dir);
	return rc;
}

/*
 * Bring the schema to STORE_SCHEMA_VERSION in one write transaction.  The
 * version is read again under the write lock: another worker may have
 * migrated between our first look and the lock.
 */
static enum store_err
store_migrate(struct store *st, char *err, size_t errsz)
{
	char		 sql[64];
	int64_t		 v;
	int		 rc;

	if ((rc = exec(st, "BEGIN IMMEDIATE")) != SQLITE_OK) {
		store_fail(st, rc, "migrate");
		errf(err, errsz, "%s: %s", st->path, st->errmsg);
		return store_map(rc);
	}
	if ((rc = store_int(st, "PRAGMA user_version", &v)) != SQLITE_OK)
		goto fail;
	if (v > STORE_SCHEMA_VERSION) {
		exec(st, "ROLLBACK");
		errf(err, errsz, "%s: database schema %" PRId64
		    " is newer than this dualstat (%d)", st->path, v,
		    STORE_SCHEMA_VERSION);
		return STORE_TOONEW;
	}
	for (; v < STORE_SCHEMA_VERSION; v++)
		if ((rc = exec(st, migrations[v])) != SQLITE_OK)
			goto fail;
	/* PRAGMA takes no parameters; the number is ours, not data. */
	(void)snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
	    STORE_SCHEMA_VERSION);
	if ((rc = exec(st, sql)) != SQLITE_OK ||
	    (rc = exec(st, "COMMIT")) != SQLITE_OK)
		goto fail;
	return STORE_OK;
fail:
	store_fail(st, rc, "migrate");
	exec(st, "ROLLBACK");
	errf(err, errsz, "%s: %s", st->path, st->errmsg);
	return store_map(rc);
}

/*
 * ---- A database deleted, renamed away or replaced while open ------------
 *
 * SQLite finds the -wal and -shm by the database's name, and knows no
 * other identity: a new file at the path (made by a reopen, or renamed
 * over it by a restore) would take the old file's log and shared index
 * as its own, which corrupts it.  So a handle whose file moved lets go of
 * them with care (moved_let_go), and every commit looks first.
 */

/* The device and inode of path + suffix; ino 0 when there is none. */
static void
file_id_of(const char *path, const char *suffix, struct file_id *id)
{
	char		 name[PATH_MAX];
	struct stat	 sb;
	int		 n;

	id->dev = 0;
	id->ino = 0;
	n = snprintf(name, sizeof(name), "%s%s", path, suffix);
	if (n > 0 && (size_t)n < sizeof(name) && lstat(name, &sb) == 0) {
		id->dev = sb.st_dev;
		id->ino = sb.st_ino;
	}
}

bool
store_moved(struct store *st)
{
	int	 moved = 0;

	/* The unix VFS compares a stat(2) of the path with the open file's inode. */
	if (st == NULL || st->db == NULL || sqlite3_file_control(st->db,
	    "main", SQLITE_FCNTL_HAS_MOVED, &moved) != SQLITE_OK)
		return false;
	return moved != 0;
}

static enum store_err
moved_fail(struct store *st, const char *what)
{

	(void)snprintf(st->errmsg, sizeof(st->errmsg), "%s: %s is not the "
	    "file that was opened any more (deleted, renamed or replaced)",
	    what, st->path);
	return STORE_MOVED;
}

/*
 * Remove the -wal and -shm at the path when they are still the ones this
 * handle opened with: they belong to the file that moved, and the next
 * open at the path must make its own.  The old file's processes keep
 * theirs open.  Under a lock on the folder, so two processes that let go
 * at once cannot remove a file the other has just made; this handle's
 * open -shm keeps its inode number from being reused meanwhile.
 */
static void
orphans_remove(struct store *st)
{
	static const char *const suffix[] = { "-wal", "-shm" };
	const struct file_id	*had[] = { &st->wal_id, &st->shm_id };
	struct file_id		 now;
	char			 dir[PATH_MAX], name[PATH_MAX];
	char			*slash;
	size_t			 i;
	int			 fd, n;

	n = snprintf(dir, sizeof(dir), "%s", st->path);
	if (n < 0 || (size_t)n >= sizeof(dir))
		return;
	if ((slash = strrchr(dir, '/')) == NULL)
		(void)snprintf(dir, sizeof(dir), ".");
	else
		slash[slash == dir ? 1 : 0] = '\0';
	/* A folder that is gone or replaced holds none of them. */
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return;
	if (flock(fd, LOCK_EX) == 0) {
		for (i = 0; i < 2; i++) {
			file_id_of(st->path, suffix[i], &now);
			n = snprintf(name, sizeof(name), "%s%s", st->path,
			    suffix[i]);
			if (had[i]->ino != 0 && now.ino == had[i]->ino &&
			    now.dev == had[i]->dev && n > 0 &&
			    (size_t)n < sizeof(name))
				(void)unlink(name);
		}
		flock(fd, LOCK_UN);
	}
	close(fd);
}

/*
 * Before closing a handle whose file moved.  SQLite's close neither
 * checkpoints a moved file nor removes the -wal and -shm by name (pager.c,
 * databaseIsUnmoved): its log is put into it here, so a file renamed away
 * keeps its last rows, and the old -wal and -shm at the path are removed.
 */
static void
moved_let_go(struct store *st)
{

	(void)sqlite3_wal_checkpoint_v2(st->db, NULL,
	    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	orphans_remove(st);
}

enum store_err
store_open(struct store **out, const char *path, int flags,
    unsigned busy_timeout_ms, char *err, size_t errsz)
{
	struct store	*st;
	struct stat	 sb;
	enum store_err	 e;
	int64_t		 v;
	size_t		 i;
	int		 fd, rc, oflags, saved;
	char		 mode[16];

	*out = NULL;
	errf(err, errsz, "%s", "");
	if (path == NULL || path[0] == '\0') {
		errf(err, errsz, "no database path");
		return STORE_CANTOPEN;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL ||
	    (st->path = strdup(path)) == NULL) {
		free(st);
		errf(err, errsz, "%s: %s", path, strerror(errno));
		return STORE_ERROR;
	}
	st->flags = flags;

	if (flags & STORE_READONLY_OPEN) {
		/* A reader never creates: a missing file is the answer. */
		if (stat(path, &sb) == -1) {
			errf(err, errsz, "cannot open %s: %s", path,
			    strerror(errno));
			e = STORE_CANTOPEN;
			goto fail;
		}
		oflags = SQLITE_OPEN_READONLY;
	} else {
		if (mkparents(path, err, errsz) == -1) {
			e = STORE_CANTOPEN;
			goto fail;
		}
		/*
		 * Created here rather than by SQLite so the mode is 0600
		 * whatever the umask; SQLite gives -wal and -shm the main
		 * file's mode.
		 */
		fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
		    0600);
		if (fd == -1) {
			saved = errno;
			errf(err, errsz, "cannot open %s: %s", path,
			    strerror(saved));
			e = saved == EROFS || saved == EACCES ||
			    saved == EPERM ? STORE_READONLY : STORE_CANTOPEN;
			goto fail;
		}
		close(fd);
		oflags = SQLITE_OPEN_READWRITE;
	}
	oflags |= SQLITE_OPEN_NOFOLLOW;

	rc = sqlite3_open_v2(path, &st->db, oflags, NULL);
	if (rc != SQLITE_OK) {
		e = store_fail(st, rc, "open");
		errf(err, errsz, "%s: %s", path, st->errmsg);
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, (int)(busy_timeout_ms > INT32_MAX ?
	    INT32_MAX : busy_timeout_ms));

	/* Reads only, until the version is known: a newer schema is kept. */
	if ((rc = store_int(st, "PRAGMA user_version", &v)) != SQLITE_OK) {
		e = store_fail(st, rc, "read schema version");
		errf(err, errsz, "%s: %s", path, st->errmsg);
		goto fail;
	}
	if (v > STORE_SCHEMA_VERSION) {
		errf(err, errsz, "%s: database schema %" PRId64
		    " is newer than this dualstat (%d)", path, v,
		    STORE_SCHEMA_VERSION);
		e = STORE_TOONEW;
		goto fail;
	}

	if (flags & STORE_READONLY_OPEN) {
		if (v < STORE_SCHEMA_VERSION) {
			errf(err, errsz, "%s: database schema %" PRId64
			    " is older than this dualstat (%d): run dualstat"
			    " once with write access to migrate", path, v,
			    STORE_SCHEMA_VERSION);
			e = STORE_ERROR;
			goto fail;
		}
	} else {
		/*
		 * Several workers write at once: WAL lets readers go on while
		 * one writes.  A file system without shared memory keeps its
		 * old mode; store_info() shows which one is in force.
		 */
		rc = store_wal(st, busy_timeout_ms, mode, sizeof(mode));
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(st->db, "PRAGMA synchronous = NORMAL",
			    NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			e = store_fail(st, rc, "set journal mode");
			errf(err, errsz, "%s: %s", path, st->errmsg);
			goto fail;
		}
		/* Looked at unlocked first: a busy writer stalls no open. */
		if (v < STORE_SCHEMA_VERSION &&
		    (e = store_migrate(st, err, errsz)) != STORE_OK)
			goto fail;
		/*
		 * Roll-ups of the rows a migrated database already holds,
		 * in batches: once, at the first open of the new schema.
		 */
		if (v < STORE_SCHEMA_VERSION &&
		    (rc = rollup_all(st, (int64_t)time(NULL))) != SQLITE_OK) {
			e = store_fail(st, rc, "roll up");
			errf(err, errsz, "%s: %s", path, st->errmsg);
			goto fail;
		}
	}

	for (i = 0; i < sizeof(hot_sql) / sizeof(hot_sql[0]); i++) {
		rc = sqlite3_prepare_v3(st->db, hot_sql[i].sql, -1,
		    SQLITE_PREPARE_PERSISTENT, HOT_STMT(st, i), NULL);
		if (rc != SQLITE_OK) {
			e = store_fail(st, rc, "prepare");
			errf(err, errsz, "%s: %s", path, st->errmsg);
			goto fail;
		}
	}
	/* WAL is open by now (the reads above): these are this file's. */
	file_id_of(st->path, "-wal", &st->wal_id);
	file_id_of(st->path, "-shm", &st->shm_id);
	st->errmsg[0] = '\0';
	*out = st;
	return STORE_OK;
fail:
	store_close(st);
	return e;
}

void
store_close(struct store *st)
{
	size_t	 i;

	if (st == NULL)
		return;
	if (st->db != NULL && store_moved(st))
		moved_let_go(st);
	for (i = 0; i < sizeof(hot_sql) / sizeof(hot_sql[0]); i++)
		sqlite3_finalize(*HOT_STMT(st, i));
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

static int64_t
mono_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* SQLite's busy handler for store_wait_total: sleep in short steps up to the deadline. */
static int
busy_until(void *arg, int count)
{
	const struct store	*st = arg;
	int64_t			 left = st->wait_until - mono_ms();
	int			 step = count < 4 ? 1 << count : 10;

	if (left <= 0)
		return 0;
	sqlite3_sleep(left < step ? (int)left : step);
	return 1;
}

void
store_wait_total(struct store *st, unsigned ms)
{

	st->wait_until = mono_ms() + ms;
	(void)sqlite3_busy_handler(st->db, busy_until, st);
}

/* A row that may be written: checked before SQLite sees it. */
static enum store_err
row_check(struct store *st, const struct row *row)
{
	const char	*why;

	if ((why = row_invalid(row)) == NULL)
		return STORE_OK;
	(void)snprintf(st->errmsg, sizeof(st->errmsg), "record: %s", why);
	return STORE_ERROR;
}

/* Bind and run the prepared INSERT; an SQLite result code. */
static int
row_insert(struct store *st, const struct row *row)
{
	int	 rc;

	if ((rc = sqlite3_bind_int64(st->ins, 1, row->time)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int(st->ins, 2, row->family)) != SQLITE_OK ||
	    (rc = sqlite3_bind_text(st->ins, 3, addr_kind_name(row->kind), -1,
	    SQLITE_STATIC)) != SQLITE_OK ||
	    (rc = sqlite3_bind_text(st->ins, 4, row->prefix, -1,
	    SQLITE_STATIC)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int(st->ins, 5, row->mapped)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int(st->ins, 6,
	    row->server_family)) != SQLITE_OK ||
	    (rc = (row->host == NULL ? sqlite3_bind_null(st->ins, 7) :
	    sqlite3_bind_text(st->ins, 7, row->host, (int)row_host_len(row->host),
	    SQLITE_STATIC))) != SQLITE_OK ||
	    (rc = sqlite3_bind_text(st->ins, 8, how_name(row->how), -1,
	    SQLITE_STATIC)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int(st->ins, 9, row->via_proxy)) != SQLITE_OK)
		goto out;
	/* Every parameter is bound again on each call: no clearing needed. */
	rc = sqlite3_step(st->ins);
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
out:
	sqlite3_reset(st->ins);
	if (rc != SQLITE_OK)
		sqlite3_clear_bindings(st->ins);
	return rc;
}

enum store_err
store_record(struct store *st, const struct row *row)
{
	enum store_err	 e;
	int		 rc;

	if ((e = row_check(st, row)) != STORE_OK)
		return e;
	if (store_moved(st))
		return moved_fail(st, "record");
	/*
	 * Autocommit: when the step is done the row is committed.  With WAL
	 * and synchronous=NORMAL it survives the process dying; only a power
	 * cut may take the last commits.
	 */
	if ((rc = row_insert(st, row)) != SQLITE_OK) {
		store_fail(st, rc, "record");
		return store_map(rc);
	}
	/* Moved while it was written: the row went to the old file. */
	if (store_moved(st))
		return moved_fail(st, "record");
	return STORE_OK;
}

enum store_err
store_record_batch(struct store *st, const struct row *rows, size_t n,
    const char *key, int64_t value)
{
	enum store_err	 e;
	size_t		 i;
	int		 rc;

	for (i = 0; i < n; i++)
		if ((e = row_check(st, &rows[i])) != STORE_OK)
			return e;
	if ((rc = step_done(st->begin_w)) != SQLITE_OK) {
		store_fail(st, rc, "record batch");
		return store_map(rc);
	}
	for (i = 0; i < n; i++)
		if ((rc = row_insert(st, &rows[i])) != SQLITE_OK)
			goto fail;
	if (key != NULL) {
		if ((rc = sqlite3_bind_text(st->meta_put, 1, key, -1,
		    SQLITE_STATIC)) != SQLITE_OK ||
		    (rc = sqlite3_bind_int64(st->meta_put, 2, value)) != SQLITE_OK)
			goto fail;
		rc = step_done(st->meta_put);
		/* key is the caller's: no pointer to it stays bound. */
		sqlite3_clear_bindings(st->meta_put);
		if (rc != SQLITE_OK)
			goto fail;
	}
	/*
	 * Looked at last thing before the commit and again after it: a file
	 * that moved during the commit has the rows, the database does not.
	 */
	if (store_moved(st)) {
		exec(st, "ROLLBACK");
		return moved_fail(st, "record batch");
	}
	if ((rc = step_done(st->commit)) != SQLITE_OK)
		goto fail;
	if (store_moved(st))
		return moved_fail(st, "record batch");
	return STORE_OK;
fail:
	store_fail(st, rc, "record batch");
	/* Nothing of a failed batch stays: all rows or none. */
	if (!sqlite3_get_autocommit(st->db))
		exec(st, "ROLLBACK");
	return store_map(rc);
}

enum store_err
store_meta_get(struct store *st, const char *key, int64_t *value)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*value = 0;
	if ((rc = sqlite3_prepare_v2(st->db,
	    "SELECT value FROM meta WHERE key = ?1", -1, &stmt, NULL)) != SQLITE_OK) {
		store_fail(st, rc, "meta");
		return store_map(rc);
	}
	if ((rc = sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC)) == SQLITE_OK &&
	    (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*value = sqlite3_column_int64(stmt, 0);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, rc, "meta");
		return store_map(rc);
	}
	return STORE_OK;
}

enum store_err
store_meta_delete(struct store *st, const char *key)
{
	int	 rc;

	if ((rc = sqlite3_bind_text(st->meta_del, 1, key, -1,
	    SQLITE_STATIC)) == SQLITE_OK)
		rc = step_done(st->meta_del);
	sqlite3_clear_bindings(st->meta_del);
	if (rc != SQLITE_OK) {
		store_fail(st, rc, "meta delete");
		return store_map(rc);
	}
	return STORE_OK;
}

static int
prepare(struct store *st, const char *sql, sqlite3_stmt **stmt)
{

	return sqlite3_prepare_v3(st->db, sql, -1, 0, stmt, NULL);
}

/*
 * Roll-ups.
 *
 * Recording stays one INSERT of a raw row.  store_maintain() (and the
 * catch-up of store_report() and store_prune()) folds the raw rows above
 * the watermark meta 'rollup_id' into cells, ROLLUP_BATCH rows per write
 * transaction, the watermark moved in the same transaction: a row is
 * rolled up exactly once whoever does it (BEGIN IMMEDIATE, watermark read
 * again under the lock).
 *
 * A cell is one unit of time at one level (an hour, a day, 8 days or 64
 * days, aligned to the epoch), one family, one host and one way of
 * measuring.  It holds two blobs of varints:
 *  - rollup.counts: (code, requests) pairs, code = (kind * 2 + mapped) * 3
 *    + listener (0, 4, 6); kinds, listeners, hosts, ways and the series
 *    come from these;
 *  - rollup_prefixes.data: (prefix id delta, requests) pairs sorted by id,
 *    ids from rollup_prefix (prefix, family, kind).
 * A report sums the cells in C: prefix counts go into an array indexed by
 * id, unique prefixes are its nonzero entries (a prefix seen under two
 * kinds counted once, through rollup_prefix.alias), the busiest a partial
 * selection.  Every figure is exact, for every filter: host and way are
 * part of the cell key.
 *
 * Hour cells are written as rows arrive.  Longer cells are built once,
 * when a day is over (meta 'rollup_closed': every cell longer than an
 * hour that ends at or before it exists), from the cells one level down;
 * a late row for a closed day goes into its longer cells too.  A period
 * [from, to) of whole hours is then read as at most two runs of cells per
 * level, and the part after 'rollup_closed' as hours.  Why blobs and not
 * a table of (day, prefix, requests): summing 400k SQL rows with GROUP BY
 * takes ~100 ms, decoding as many varints in C ~2 ms (bench/REPORT.md).
 *
 * Raw rows above the watermark (recorded since the last upkeep; all of
 * them for a read-only handle) are added by store_report() as it reads,
 * so a report is exact at any time.  Periods must be whole hours.
 */
#define ROLLUP_BATCH		50000	/* raw rows per transaction */
#define ROLLUP_CLOSE_DAYS	32	/* days closed per upkeep */
#define ROLLUP_GRACE		600	/* a day closes this long after its end */
#define ROLLUP_LEVELS		CELL_LEVELS
#define ROLLUP_KINDS		CELL_KINDS
#define ROLLUP_CODES		CELL_CODES
#define HOUR			CELL_HOUR
#define DAY			CELL_DAY
#define level_span		cell_span
#define floor_to		cell_start
#define code_of			cell_code

/*
 * Requests by family with a time in [a, last] (a and last + 1 whole
 * hours, or last INT64_MAX): hour cells and the raw rows above the
 * watermark, in one read transaction so no row is counted twice or
 * missed by an upkeep in between.
 */
static int
count_read(struct store *st, int64_t a, int64_t last, uint64_t n[2])
{
	int64_t	 wm = 0, all, v6;
	bool	 found;
	int	 rc;

	if ((rc = sqlite3_bind_text(st->meta_sel, 1, "rollup_id", -1,
	    SQLITE_STATIC)) != SQLITE_OK ||
	    (rc = step_int(st->meta_sel, &wm, &found)) != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(st->cnt_cells, 1, a);
	sqlite3_bind_int64(st->cnt_cells, 2, last);
	while ((rc = sqlite3_step(st->cnt_cells)) == SQLITE_ROW)
		n[sqlite3_column_int(st->cnt_cells, 0) == 6] +=
		    cell_counts_total(sqlite3_column_blob(st->cnt_cells, 1),
		    (size_t)sqlite3_column_bytes(st->cnt_cells, 1));
	sqlite3_reset(st->cnt_cells);
	if (rc != SQLITE_DONE)
		return rc;
	sqlite3_bind_int64(st->cnt_tail, 1, wm);
	sqlite3_bind_int64(st->cnt_tail, 2, a);
	sqlite3_bind_int64(st->cnt_tail, 3, last);
	/* No GROUP BY: one pass over the rows, no sorter. */
	if ((rc = sqlite3_step(st->cnt_tail)) == SQLITE_ROW) {
		all = sqlite3_column_int64(st->cnt_tail, 0);
		v6 = (int64_t)sqlite3_column_double(st->cnt_tail, 1);
		n[0] += (uint64_t)(all - v6);
		n[1] += (uint64_t)v6;
		rc = SQLITE_OK;
	}
	sqlite3_reset(st->cnt_tail);
	return rc;
}

enum store_err
store_count(struct store *st, int64_t from, int64_t to,
    uint64_t *ipv4, uint64_t *ipv6)
{
	uint64_t	 n[2] = { 0, 0 };
	int64_t		 a, last, r;
	int		 rc;

	*ipv4 = *ipv6 = 0;
	if (to <= from)
		return STORE_OK;
	/* Widened to whole hours, the unit of a cell (see store.h). */
	a = from < INT64_MIN + HOUR ? INT64_MIN : floor_to(from, HOUR);
	/* The last second before to rounded up; C rounds r toward zero. */
	r = to % HOUR;
	if (r == 0)
		last = to - 1;
	else if (r < 0)
		last = to - r - 1;
	else if (to > INT64_MAX - HOUR)
		last = INT64_MAX;
	else
		last = to - r + HOUR - 1;
	if ((rc = step_done(st->begin_r)) != SQLITE_OK)
		return store_fail(st, rc, "count");
	if ((rc = count_read(st, a, last, n)) != SQLITE_OK) {
		store_fail(st, rc, "count");
		exec(st, "ROLLBACK");
		return store_map(rc);
	}
	if ((rc = step_done(st->commit)) != SQLITE_OK) {
		store_fail(st, rc, "count");
		exec(st, "ROLLBACK");
		return store_map(rc);
	}
	*ipv4 = n[0];
	*ipv6 = n[1];
	return STORE_OK;
}

struct cell {
	int		 level;
	int64_t		 start;
	int		 family;
	int64_t		 host;
	int		 how;
	uint64_t	 counts[ROLLUP_CODES];
	struct cell_prefix *pc;
	size_t		 npc, cappc;
};

/* The cells a transaction changes, in the order met, found by key. */
struct cellset {
	struct cell	**v;
	size_t		 n, cap;
	struct map	 index;		/* packed key -> index in v */
};

static void
cellset_free(struct cellset *cs)
{
	size_t	 i;

	for (i = 0; i < cs->n; i++) {
		free(cs->v[i]->pc);
		free(cs->v[i]);
	}
	free(cs->v);
	map_free(&cs->index);
	memset(cs, 0, sizeof(*cs));
}

static struct cell *
cellset_get(struct cellset *cs, int level, int64_t start, int family,
    int64_t host, int how)
{
	struct cell	*c, **v;
	unsigned char	 key[3 * sizeof(int) + 2 * sizeof(int64_t)], *k = key;
	int64_t		*at;
	bool		 added;

	/* The key's fields, without the padding struct cell would have. */
	memcpy(k, &level, sizeof(level));
	memcpy(k += sizeof(level), &start, sizeof(start));
	memcpy(k += sizeof(start), &family, sizeof(family));
	memcpy(k += sizeof(family), &host, sizeof(host));
	memcpy(k += sizeof(host), &how, sizeof(how));
	if ((at = map_get(&cs->index, key, sizeof(key))) != NULL)
		return cs->v[*at];
	if (cs->n == cs->cap) {
		size_t	 cap = cs->cap == 0 ? 64 : cs->cap * 2;

		if ((v = reallocarray(cs->v, cap, sizeof(*v))) == NULL)
			return NULL;
		cs->v = v;
		cs->cap = cap;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((at = map_put(&cs->index, key, sizeof(key), &added)) == NULL) {
		free(c);
		return NULL;
	}
	c->level = level;
	c->start = start;
	c->family = family;
	c->host = host;
	c->how = how;
	*at = (int64_t)cs->n;
	cs->v[cs->n++] = c;
	return c;
}

static int
cell_pc(struct cell *c, int64_t id, uint64_t n)
{
	struct cell_prefix	*p;

	if (c->npc == c->cappc) {
		c->cappc = c->cappc == 0 ? 16 : c->cappc * 2;
		if ((p = reallocarray(c->pc, c->cappc, sizeof(*p))) == NULL)
			return -1;
		c->pc = p;
	}
	c->pc[c->npc].id = id;
	c->pc[c->npc++].n = n;
	return 0;
}

/* Decode a prefix blob into the cell's list. */
static int
cell_pc_blob(struct cell *c, const void *blob, int len)
{

	return cell_prefixes_read(blob, (size_t)len, &c->pc, &c->npc, &c->cappc);
}

/* Strings met in one transaction (prefixes and hosts) and their ids. */
static bool
smap_get(const struct map *m, const char *key, int64_t *val)
{
	int64_t	*v;

	if ((v = map_get(m, key, strlen(key))) == NULL)
		return false;
	*val = *v;
	return true;
}

static int
smap_put(struct map *m, const char *key, int64_t val)
{
	int64_t	*v;
	bool	 added;

	if ((v = map_put(m, key, strlen(key), &added)) == NULL)
		return -1;
	*v = val;
	return 0;
}

/* What one roll-up transaction keeps: ids met, statements, cells. */
struct roll {
	struct store	*st;
	struct map	 pfx, hosts;
	struct cellset	 cells;
	sqlite3_stmt	*pfx_sel, *pfx_first, *pfx_ins, *host_sel, *host_ins;
};

static void
roll_free(struct roll *r)
{
	map_free(&r->pfx);
	map_free(&r->hosts);
	cellset_free(&r->cells);
	sqlite3_finalize(r->pfx_sel);
	sqlite3_finalize(r->pfx_first);
	sqlite3_finalize(r->pfx_ins);
	sqlite3_finalize(r->host_sel);
	sqlite3_finalize(r->host_ins);
}

/* Step a statement that answers one integer or nothing; reset it. */
static int
step_int(sqlite3_stmt *stmt, int64_t *out, bool *found)
{
	int	 rc;

	*found = false;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL) {
		*out = sqlite3_column_int64(stmt, 0);
		*found = true;
	}
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_reset(stmt);
	return rc;
}

/* The id of (prefix, family, kind), numbered on first sight. */
static int
roll_prefix(struct roll *r, const char *prefix, int family, const char *kind,
    int64_t *id)
{
	char		 key[ADDR_PREFIX_MAX + 64];
	int64_t		 first;
	bool		 found;
	int		 rc;

	(void)snprintf(key, sizeof(key), "%d %s %s", family, kind, prefix);
	if (smap_get(&r->pfx, key, id))
		return SQLITE_OK;
	if (r->pfx_sel == NULL &&
	    ((rc = prepare(r->st, "SELECT id FROM rollup_prefix WHERE prefix = ?1"
	    " AND family = ?2 AND kind = ?3", &r->pfx_sel)) != SQLITE_OK ||
	    (rc = prepare(r->st, "SELECT MIN(id) FROM rollup_prefix"
	    " WHERE prefix = ?1 AND family = ?2", &r->pfx_first)) != SQLITE_OK ||
	    (rc = prepare(r->st, "INSERT INTO rollup_prefix (prefix, family,"
	    " kind, alias) VALUES (?1, ?2, ?3, ?4)", &r->pfx_ins)) != SQLITE_OK))
		return rc;
	sqlite3_bind_text(r->pfx_sel, 1, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_int(r->pfx_sel, 2, family);
	sqlite3_bind_text(r->pfx_sel, 3, kind, -1, SQLITE_STATIC);
	if ((rc = step_int(r->pfx_sel, id, &found)) != SQLITE_OK)
		return rc;
	if (!found) {
		sqlite3_bind_text(r->pfx_first, 1, prefix, -1, SQLITE_STATIC);
		sqlite3_bind_int(r->pfx_first, 2, family);
		if ((rc = step_int(r->pfx_first, &first, &found)) != SQLITE_OK)
			return rc;
		sqlite3_bind_text(r->pfx_ins, 1, prefix, -1, SQLITE_STATIC);
		sqlite3_bind_int(r->pfx_ins, 2, family);
		sqlite3_bind_text(r->pfx_ins, 3, kind, -1, SQLITE_STATIC);
		if (found)
			sqlite3_bind_int64(r->pfx_ins, 4, first);
		else
			sqlite3_bind_null(r->pfx_ins, 4);
		rc = sqlite3_step(r->pfx_ins);
		sqlite3_reset(r->pfx_ins);
		if (rc != SQLITE_DONE)
			return rc;
		*id = sqlite3_last_insert_rowid(r->st->db);
	}
	return smap_put(&r->pfx, key, *id) == -1 ? SQLITE_NOMEM : SQLITE_OK;
}

/* The id of a host ("" for none), numbered on first sight. */
static int
roll_host(struct roll *r, const char *host, int64_t *id)
{
	bool	 found;
	int	 rc;

	if (smap_get(&r->hosts, host, id))
		return SQLITE_OK;
	if (r->host_sel == NULL &&
	    ((rc = prepare(r->st, "SELECT id FROM rollup_host WHERE host = ?1",
	    &r->host_sel)) != SQLITE_OK ||
	    (rc = prepare(r->st, "INSERT INTO rollup_host (host) VALUES (?1)",
	    &r->host_ins)) != SQLITE_OK))
		return rc;
	sqlite3_bind_text(r->host_sel, 1, host, -1, SQLITE_STATIC);
	if ((rc = step_int(r->host_sel, id, &found)) != SQLITE_OK)
		return rc;
	if (!found) {
		sqlite3_bind_text(r->host_ins, 1, host, -1, SQLITE_STATIC);
		rc = sqlite3_step(r->host_ins);
		sqlite3_reset(r->host_ins);
		if (rc != SQLITE_DONE)
			return rc;
		*id = sqlite3_last_insert_rowid(r->st->db);
	}
	return smap_put(&r->hosts, host, *id) == -1 ? SQLITE_NOMEM : SQLITE_OK;
}

static void
bind_key(sqlite3_stmt *stmt, const struct cell *c)
{

	sqlite3_bind_int(stmt, 1, c->level);
	sqlite3_bind_int64(stmt, 2, c->start);
	sqlite3_bind_int(stmt, 3, c->family);
	sqlite3_bind_int64(stmt, 4, c->host);
	sqlite3_bind_int(stmt, 5, c->how);
}

/* Add every changed cell to what the database holds for it. */
static int
roll_flush(struct roll *r)
{
	static const char	 key[] = " WHERE level = ?1 AND start = ?2 AND"
	    " family = ?3 AND host = ?4 AND how = ?5";
	sqlite3_stmt		*csel = NULL, *cput = NULL, *psel = NULL,
				*pput = NULL;
	char			 sql[256];
	struct buf		 b = { 0 };
	struct cell		*c;
	size_t			 i;
	int			 rc;

	(void)snprintf(sql, sizeof(sql), "SELECT counts FROM rollup%s", key);
	if ((rc = prepare(r->st, sql, &csel)) != SQLITE_OK)
		goto out;
	(void)snprintf(sql, sizeof(sql), "SELECT data FROM rollup_prefixes%s",
	    key);
	if ((rc = prepare(r->st, sql, &psel)) != SQLITE_OK ||
	    (rc = prepare(r->st, "INSERT OR REPLACE INTO rollup (level, start,"
	    " family, host, how, counts) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	    &cput)) != SQLITE_OK ||
	    (rc = prepare(r->st, "INSERT OR REPLACE INTO rollup_prefixes (level,"
	    " start, family, host, how, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	    &pput)) != SQLITE_OK)
		goto out;
	for (i = 0; i < r->cells.n; i++) {
		c = r->cells.v[i];
		bind_key(csel, c);
		if ((rc = sqlite3_step(csel)) == SQLITE_ROW)
			(void)cell_counts_add(sqlite3_column_blob(csel, 0),
			    (size_t)sqlite3_column_bytes(csel, 0), c->counts);
		sqlite3_reset(csel);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			goto out;
		buf_reset(&b);
		cell_counts_put(&b, c->counts);
		bind_key(cput, c);
		sqlite3_bind_blob(cput, 6, b.data, (int)b.len, SQLITE_STATIC);
		rc = sqlite3_step(cput);
		sqlite3_reset(cput);
		if (rc != SQLITE_DONE)
			goto out;

		bind_key(psel, c);
		if ((rc = sqlite3_step(psel)) == SQLITE_ROW &&
		    cell_pc_blob(c, sqlite3_column_blob(psel, 0),
		    sqlite3_column_bytes(psel, 0)) == -1)
			rc = SQLITE_NOMEM;
		sqlite3_reset(psel);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			goto out;
		buf_reset(&b);
		cell_prefixes_put(&b, c->pc, c->npc);
		if (b.failed) {
			rc = SQLITE_NOMEM;
			goto out;
		}
		bind_key(pput, c);
		sqlite3_bind_blob(pput, 6, b.data, (int)b.len, SQLITE_STATIC);
		rc = sqlite3_step(pput);
		sqlite3_reset(pput);
		if (rc != SQLITE_DONE)
			goto out;
	}
	rc = b.failed ? SQLITE_NOMEM : SQLITE_OK;
out:
	buf_free(&b);
	sqlite3_finalize(csel);
	sqlite3_finalize(cput);
	sqlite3_finalize(psel);
	sqlite3_finalize(pput);
	return rc;
}

static int
meta_read(struct store *st, const char *key, int64_t *value)
{
	sqlite3_stmt	*stmt;
	bool		 found;
	int		 rc;

	*value = 0;
	if ((rc = prepare(st, "SELECT value FROM meta WHERE key = ?1",
	    &stmt)) != SQLITE_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	rc = step_int(stmt, value, &found);
	sqlite3_finalize(stmt);
	return rc;
}

static int
meta_write(struct store *st, const char *key, int64_t value)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	if ((rc = prepare(st, "INSERT OR REPLACE INTO meta (key, value)"
	    " VALUES (?1, ?2)", &stmt)) != SQLITE_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, value);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/*
 * Roll up at most limit raw rows above the watermark in one transaction;
 * *done says how many went.
 */
static int
rollup_rows(struct store *st, int64_t limit, int64_t *done)
{
	struct roll		 r;
	sqlite3_stmt		*stmt = NULL;
	struct cell		*c;
	const char		*kind, *prefix, *host;
	int64_t			 wm, closed, t, pid, hid, id = 0;
	int			 rc, lv, family, code, how;

	*done = 0;
	memset(&r, 0, sizeof(r));
	r.st = st;
	if ((rc = exec(st, "BEGIN IMMEDIATE")) != SQLITE_OK)
		return rc;
	if ((rc = meta_read(st, "rollup_id", &wm)) != SQLITE_OK ||
	    (rc = meta_read(st, "rollup_closed", &closed)) != SQLITE_OK ||
	    (rc = prepare(st, "SELECT id, time, family, kind, prefix, mapped,"
	    " server_family, host, how FROM request WHERE id > ?1"
	    " ORDER BY id LIMIT ?2", &stmt)) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(stmt, 1, wm);
	sqlite3_bind_int64(stmt, 2, limit);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		id = sqlite3_column_int64(stmt, 0);
		t = sqlite3_column_int64(stmt, 1);
		family = sqlite3_column_int(stmt, 2);
		kind = (const char *)sqlite3_column_text(stmt, 3);
		prefix = (const char *)sqlite3_column_text(stmt, 4);
		host = (const char *)sqlite3_column_text(stmt, 7);
		how = how_from_name(
		    (const char *)sqlite3_column_text(stmt, 8));
		if (kind == NULL || prefix == NULL) {
			rc = SQLITE_NOMEM;
			goto fail;
		}
		code = code_of(addr_kind_from_name(kind),
		    sqlite3_column_int(stmt, 5) != 0,
		    sqlite3_column_int(stmt, 6));
		if ((rc = roll_prefix(&r, prefix, family, kind,
		    &pid)) != SQLITE_OK ||
		    (rc = roll_host(&r, host != NULL ? host : "",
		    &hid)) != SQLITE_OK)
			goto fail;
		for (lv = 0; lv < ROLLUP_LEVELS; lv++) {
			int64_t	 s = floor_to(t, level_span[lv]);

			/* Longer cells of open days are built when they close. */
			if (lv > 0 && s + level_span[lv] > closed)
				break;
			if ((c = cellset_get(&r.cells, lv, s, family, hid,
			    how)) == NULL || cell_pc(c, pid, 1) == -1) {
				rc = SQLITE_NOMEM;
				goto fail;
			}
			c->counts[code]++;
		}
		(*done)++;
	}
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (*done > 0 &&
	    ((rc = roll_flush(&r)) != SQLITE_OK ||
	    (rc = meta_write(st, "rollup_id", id)) != SQLITE_OK))
		goto fail;
	if ((rc = exec(st, "COMMIT")) != SQLITE_OK)
		goto fail;
	roll_free(&r);
	return SQLITE_OK;
fail:
	*done = 0;
	sqlite3_finalize(stmt);
	roll_free(&r);
	exec(st, "ROLLBACK");
	return rc;
}

/* Build the level lv cells of [a, b) from the cells one level down. */
static int
rollup_build(struct store *st, int lv, int64_t a, int64_t b)
{
	struct roll	 r;
	sqlite3_stmt	*stmt = NULL;
	struct cell	*c;
	int		 rc, pass;

	memset(&r, 0, sizeof(r));
	r.st = st;
	for (pass = 0; pass < 2; pass++) {
		rc = prepare(st, pass == 0 ?
		    "SELECT family, host, how, counts FROM rollup"
		    " WHERE level = ?1 AND start >= ?2 AND start < ?3" :
		    "SELECT family, host, how, data FROM rollup_prefixes"
		    " WHERE level = ?1 AND start >= ?2 AND start < ?3", &stmt);
		if (rc != SQLITE_OK)
			goto out;
		sqlite3_bind_int(stmt, 1, lv - 1);
		sqlite3_bind_int64(stmt, 2, a);
		sqlite3_bind_int64(stmt, 3, b);
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			if ((c = cellset_get(&r.cells, lv, a,
			    sqlite3_column_int(stmt, 0),
			    sqlite3_column_int64(stmt, 1),
			    sqlite3_column_int(stmt, 2))) == NULL) {
				rc = SQLITE_NOMEM;
				break;
			}
			if (pass == 0)
				(void)cell_counts_add(sqlite3_column_blob(stmt, 3),
				    (size_t)sqlite3_column_bytes(stmt, 3), c->counts);
			else if (cell_pc_blob(c, sqlite3_column_blob(stmt, 3),
			    sqlite3_column_bytes(stmt, 3)) == -1) {
				rc = SQLITE_NOMEM;
				break;
			}
		}
		sqlite3_finalize(stmt);
		if (rc != SQLITE_DONE)
			goto out;
	}
	rc = roll_flush(&r);
out:
	roll_free(&r);
	return rc;
}

/*
 * Close the days that ended ROLLUP_GRACE before now, at most maxdays:
 * build their day cells, and the longer cells that end with them.
 */
static int
rollup_close(struct store *st, int64_t now, int maxdays, int *closed_days)
{
	int64_t	 closed, first, end;
	bool	 found;
	int	 rc, lv, n = 0;
	sqlite3_stmt	*stmt;

	*closed_days = 0;
	if ((rc = exec(st, "BEGIN IMMEDIATE")) != SQLITE_OK)
		return rc;
	if ((rc = meta_read(st, "rollup_closed", &closed)) != SQLITE_OK)
		goto fail;
	if (closed == 0) {
		/* Nothing before the first hour cell: start there. */
		if ((rc = prepare(st, "SELECT MIN(start) FROM rollup"
		    " WHERE level = 0", &stmt)) != SQLITE_OK)
			goto fail;
		rc = step_int(stmt, &first, &found);
		sqlite3_finalize(stmt);
		if (rc != SQLITE_OK)
			goto fail;
		if (!found) {
			exec(st, "ROLLBACK");
			return SQLITE_OK;
		}
		closed = floor_to(first, DAY);
	}
	for (; n < maxdays && closed + DAY + ROLLUP_GRACE <= now; n++) {
		end = closed + DAY;
		for (lv = 1; lv < ROLLUP_LEVELS && end % level_span[lv] == 0;
		    lv++)
			if ((rc = rollup_build(st, lv, end - level_span[lv],
			    end)) != SQLITE_OK)
				goto fail;
		closed = end;
	}
	if ((rc = meta_write(st, "rollup_closed", closed)) != SQLITE_OK ||
	    (rc = exec(st, "COMMIT")) != SQLITE_OK)
		goto fail;
	*closed_days = n;
	return SQLITE_OK;
fail:
	exec(st, "ROLLBACK");
	return rc;
}

/* Roll up every raw row above the watermark, one batch per transaction. */
static int
rollup_catchup(struct store *st)
{
	int64_t	 done;
	int	 rc;

	do {
		if ((rc = rollup_rows(st, ROLLUP_BATCH, &done)) != SQLITE_OK)
			return rc;
	} while (done == ROLLUP_BATCH);
	return SQLITE_OK;
}

/* Everything, as after a migration: rows, then every finished day. */
static int
rollup_all(struct store *st, int64_t now)
{
	int	 rc, n;

	if ((rc = rollup_catchup(st)) != SQLITE_OK)
		return rc;
	do {
		if ((rc = rollup_close(st, now, ROLLUP_CLOSE_DAYS,
		    &n)) != SQLITE_OK)
			return rc;
	} while (n == ROLLUP_CLOSE_DAYS);
	return SQLITE_OK;
}

enum store_err
store_maintain(struct store *st, int64_t now)
{
	int64_t	 done;
	int	 rc, n;

	if (st->flags & STORE_READONLY_OPEN)
		return STORE_OK;
	if ((rc = rollup_rows(st, ROLLUP_BATCH, &done)) != SQLITE_OK)
		return store_fail(st, rc, "roll up");
	/* Closing a day with its rows still to come would rewrite long cells. */
	if (done < ROLLUP_BATCH &&
	    (rc = rollup_close(st, now, ROLLUP_CLOSE_DAYS, &n)) != SQLITE_OK)
		return store_fail(st, rc, "close days");
	return STORE_OK;
}

enum store_err
store_maintain_shared(struct store *st, int64_t now, int64_t every, bool *ran)
{
	int64_t	 at;
	int	 rc;

	*ran = false;
	if (st->flags & STORE_READONLY_OPEN)
		return STORE_OK;
	/* Read first, outside a transaction: most calls stop here, cheaply. */
	if ((rc = meta_read(st, "upkeep_at", &at)) != SQLITE_OK)
		return store_fail(st, rc, "upkeep time");
	if (now - at < every && now >= at)
		return STORE_OK;
	/* The claim: of processes racing here, one writes the new time. */
	if ((rc = exec(st, "BEGIN IMMEDIATE")) != SQLITE_OK)
		return store_fail(st, rc, "upkeep claim");
	if ((rc = meta_read(st, "upkeep_at", &at)) != SQLITE_OK ||
	    (now - at < every && now >= at) ||
	    (rc = meta_write(st, "upkeep_at", now)) != SQLITE_OK) {
		exec(st, "ROLLBACK");
		return rc == SQLITE_OK ? STORE_OK : store_fail(st, rc, "upkeep claim");
	}
	if ((rc = exec(st, "COMMIT")) != SQLITE_OK) {
		exec(st, "ROLLBACK");
		return store_fail(st, rc, "upkeep claim");
	}
	*ran = true;
	return store_maintain(st, now);
}

enum store_err
store_maintain_all(struct store *st, int64_t now)
{
	int	 rc;

	if (st->flags & STORE_READONLY_OPEN)
		return STORE_OK;
	if ((rc = rollup_all(st, now)) != SQLITE_OK)
		return store_fail(st, rc, "roll up");
	return STORE_OK;
}

/*
 * Reading: what a report adds up.  Prefix and host ids of raw rows not
 * rolled up yet that have no number in the database get numbers past the
 * last one, in memory only.
 */
struct xpfx {
	char		 prefix[ADDR_PREFIX_MAX];
	int		 family;
	enum addr_kind	 kind;
};

struct xhost {
	char		 host[REPORT_HOST_MAX + 1];
};

struct alias {
	int64_t		 id, first;
};

struct racc {
	uint64_t	 fam[2];
	uint64_t	 codes[2][ROLLUP_CODES];
	uint64_t	 how[HOW__MAX + 1];
	uint64_t	 prev[2];
	uint64_t	(*hostn)[2];	/* by host id */
	size_t		 nhost;
	uint64_t	*pcnt[2];	/* by prefix id, per family */
	size_t		 npfx;
	int64_t		 maxpfx, maxhost;	/* highest ids in the database */
	struct xpfx	*xpfx;		/* ids maxpfx + 1 ... */
	size_t		 nxpfx;
	struct xhost	*xhost;		/* ids maxhost + 1 ... */
	size_t		 nxhost;
	struct alias	*alias;
	size_t		 nalias, capalias;
	struct map	 xmap;		/* tail prefixes and hosts met */
};

static void
racc_free(struct racc *a)
{

	free(a->hostn);
	free(a->pcnt[0]);
	free(a->pcnt[1]);
	free(a->xpfx);
	free(a->xhost);
	free(a->alias);
	map_free(&a->xmap);
}

/* Room for prefix id and host id; new slots are zero. */
static int
racc_room(struct racc *a, int64_t pid, int64_t hid)
{
	uint64_t	*p, (*h)[2];
	size_t		 n, f;

	if (pid >= 0 && (size_t)pid >= a->npfx) {
		n = (size_t)pid + 1 + a->npfx / 2;
		for (f = 0; f < 2; f++) {
			if ((p = reallocarray(a->pcnt[f], n, sizeof(*p))) == NULL)
				return -1;
			memset(p + a->npfx, 0, (n - a->npfx) * sizeof(*p));
			a->pcnt[f] = p;
		}
		a->npfx = n;
	}
	if (hid >= 0 && (size_t)hid >= a->nhost) {
		n = (size_t)hid + 1 + a->nhost / 2;
		if ((h = reallocarray(a->hostn, n, sizeof(*h))) == NULL)
			return -1;
		memset(h + a->nhost, 0, (n - a->nhost) * sizeof(*h));
		a->hostn = h;
		a->nhost = n;
	}
	return 0;
}

struct filter {
	int64_t		 host;	/* -1 every host; -2 a host never seen */
	int		 how;	/* -1 every way */
};

/* The cells of one level whose start is in [a, b), counts or prefixes. */
static int
cells_query(struct store *st, bool prefixes, int lv, int64_t a, int64_t b,
    const struct filter *f, sqlite3_stmt **stmt)
{
	int	 rc;

	rc = prepare(st, prefixes ?
	    "SELECT family, host, how, data, start FROM rollup_prefixes"
	    " WHERE level = ?1 AND start >= ?2 AND start < ?3"
	    " AND (?4 < 0 OR host = ?4) AND (?5 < 0 OR how = ?5)" :
	    "SELECT family, host, how, counts, start FROM rollup"
	    " WHERE level = ?1 AND start >= ?2 AND start < ?3"
	    " AND (?4 < 0 OR host = ?4) AND (?5 < 0 OR how = ?5)", stmt);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int(*stmt, 1, lv);
	sqlite3_bind_int64(*stmt, 2, a);
	sqlite3_bind_int64(*stmt, 3, b);
	sqlite3_bind_int64(*stmt, 4, f->host);
	sqlite3_bind_int(*stmt, 5, f->how);
	return SQLITE_OK;
}

enum racc_what { ADD_ALL, ADD_PREV, ADD_SERIES };

/* Add the cells of one run to the report. */
static int
racc_run(struct store *st, struct racc *acc, struct report *rep,
    enum racc_what what, int lv, int64_t a, int64_t b, const struct filter *f)
{
	sqlite3_stmt		*stmt;
	const unsigned char	*p, *end;
	uint64_t		 t;
	int64_t			 host, bi;
	int			 rc, fi, how, pass;

	if (a >= b || f->host == -2)
		return SQLITE_OK;
	for (pass = 0; pass < (what == ADD_ALL ? 2 : 1); pass++) {
		if ((rc = cells_query(st, pass == 1, lv, a, b, f,
		    &stmt)) != SQLITE_OK)
			return rc;
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			fi = sqlite3_column_int(stmt, 0) == 6;
			host = sqlite3_column_int64(stmt, 1);
			how = sqlite3_column_int(stmt, 2);
			p = sqlite3_column_blob(stmt, 3);
			end = p + sqlite3_column_bytes(stmt, 3);
			if (pass == 1) {
				cell_prefixes_add(p, (size_t)(end - p), acc->pcnt[fi],
				    acc->npfx);
				continue;
			}
			if (what == ADD_SERIES) {
				bi = (sqlite3_column_int64(stmt, 4) -
				    rep->q.from) / rep->q.bucket;
				t = cell_counts_total(p, (size_t)(end - p));
				if (bi >= 0 && (size_t)bi < rep->nseries) {
					if (fi)
						rep->series[bi].ipv6 += t;
					else
						rep->series[bi].ipv4 += t;
				}
				continue;
			}
			if (what == ADD_PREV) {
				acc->prev[fi] += cell_counts_total(p, (size_t)(end - p));
				continue;
			}
			t = cell_counts_add(p, (size_t)(end - p), acc->codes[fi]);
			acc->fam[fi] += t;
			acc->how[how >= 0 && how < HOW__MAX ? how : HOW__MAX] += t;
			if (host >= 0 && racc_room(acc, -1, host) == 0)
				acc->hostn[host][fi] += t;
		}
		sqlite3_finalize(stmt);
		if (rc != SQLITE_DONE)
			return rc;
	}
	return SQLITE_OK;
}

/* [a, b) in the longest cells that fit: at most two runs per level. */
static int
racc_greedy(struct store *st, struct racc *acc, struct report *rep,
    enum racc_what what, int lv, int64_t a, int64_t b, const struct filter *f)
{
	int64_t	 s, A, B;
	int	 rc;

	if (a >= b)
		return SQLITE_OK;
	if (lv == 0)
		return racc_run(st, acc, rep, what, 0, a, b, f);
	s = level_span[lv];
	A = floor_to(a + s - 1, s);
	B = floor_to(b, s);
	if (A >= B)
		return racc_greedy(st, acc, rep, what, lv - 1, a, b, f);
	if ((rc = racc_run(st, acc, rep, what, lv, A, B, f)) != SQLITE_OK ||
	    (rc = racc_greedy(st, acc, rep, what, lv - 1, a, A, f)) != SQLITE_OK)
		return rc;
	return racc_greedy(st, acc, rep, what, lv - 1, B, b, f);
}

/* [a, b) of whole hours: up to closed in long cells, after it in hours. */
static int
racc_period(struct store *st, struct racc *acc, struct report *rep,
    enum racc_what what, int64_t a, int64_t b, int64_t closed,
    const struct filter *f)
{
	int64_t	 hi = b < closed ? b : closed;
	int	 rc;

	if (a < hi && (rc = racc_greedy(st, acc, rep, what, ROLLUP_LEVELS - 1,
	    a, hi, f)) != SQLITE_OK)
		return rc;
	return racc_run(st, acc, rep, what, 0, a > closed ? a : closed, b, f);
}

/* The series: whole buckets of long cells up to closed, hours after. */
static int
racc_series(struct store *st, struct racc *acc, struct report *rep,
    int64_t closed, const struct filter *f)
{
	const struct report_query	*q = &rep->q;
	int64_t				 x, hi, s;
	int				 lv, best = 0, rc;

	for (lv = 1; lv < ROLLUP_LEVELS; lv++)
		if (q->bucket % level_span[lv] == 0 &&
		    q->from % level_span[lv] == 0)
			best = lv;
	x = q->from;
	hi = q->to < closed ? q->to : closed;
	if (best > 0 && hi > q->from) {
		s = level_span[best];
		x = q->from + (hi - q->from) / s * s;
		if ((rc = racc_run(st, acc, rep, ADD_SERIES, best, q->from, x,
		    f)) != SQLITE_OK)
			return rc;
	}
	return racc_run(st, acc, rep, ADD_SERIES, 0, x, q->to, f);
}

static int
racc_alias(struct racc *a, int64_t id, int64_t first)
{
	struct alias	*p;

	if (a->nalias == a->capalias) {
		a->capalias = a->capalias == 0 ? 16 : a->capalias * 2;
		if ((p = reallocarray(a->alias, a->capalias,
		    sizeof(*p))) == NULL)
			return -1;
		a->alias = p;
	}
	a->alias[a->nalias].id = id;
	a->alias[a->nalias++].first = first;
	return 0;
}

/* The id of a raw row's prefix: the database's, or one in memory. */
static int
tail_prefix(struct store *st, struct racc *a, const char *prefix, int family,
    const char *kind, int64_t *id)
{
	char		 key[ADDR_PREFIX_MAX + 64], tkey[ADDR_PREFIX_MAX + 64];
	sqlite3_stmt	*stmt;
	struct xpfx	*x;
	int64_t		 first;
	bool		 found, ffound;
	int		 rc;

	(void)snprintf(key, sizeof(key), "p%d %s %s", family, kind, prefix);
	if (smap_get(&a->xmap, key, id))
		return SQLITE_OK;
	if ((rc = prepare(st, "SELECT id FROM rollup_prefix WHERE prefix = ?1"
	    " AND family = ?2 AND kind = ?3", &stmt)) != SQLITE_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, family);
	sqlite3_bind_text(stmt, 3, kind, -1, SQLITE_STATIC);
	rc = step_int(stmt, id, &found);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_OK)
		return rc;
	if (!found) {
		/* The same network under another kind is one unique prefix. */
		(void)snprintf(tkey, sizeof(tkey), "t%d %s", family, prefix);
		if (!(ffound = smap_get(&a->xmap, tkey, &first))) {
			if ((rc = prepare(st, "SELECT MIN(id) FROM rollup_prefix"
			    " WHERE prefix = ?1 AND family = ?2",
			    &stmt)) != SQLITE_OK)
				return rc;
			sqlite3_bind_text(stmt, 1, prefix, -1, SQLITE_STATIC);
			sqlite3_bind_int(stmt, 2, family);
			rc = step_int(stmt, &first, &ffound);
			sqlite3_finalize(stmt);
			if (rc != SQLITE_OK)
				return rc;
		}
		*id = a->maxpfx + 1 + (int64_t)a->nxpfx;
		if ((x = reallocarray(a->xpfx, a->nxpfx + 1,
		    sizeof(*x))) == NULL)
			return SQLITE_NOMEM;
		a->xpfx = x;
		x = &a->xpfx[a->nxpfx++];
		(void)snprintf(x->prefix, sizeof(x->prefix), "%s", prefix);
		x->family = family;
		x->kind = addr_kind_from_name(kind);
		if (ffound ? racc_alias(a, *id, first) == -1 :
		    smap_put(&a->xmap, tkey, *id) == -1)
			return SQLITE_NOMEM;
	}
	if (smap_put(&a->xmap, key, *id) == -1 || racc_room(a, *id, -1) == -1)
		return SQLITE_NOMEM;
	return SQLITE_OK;
}

static int
tail_host(struct store *st, struct racc *a, const char *host, int64_t *id)
{
	char		 key[REPORT_HOST_MAX + 8];
	sqlite3_stmt	*stmt;
	struct xhost	*x;
	bool		 found;
	int		 rc;

	(void)snprintf(key, sizeof(key), "h%s", host);
	if (smap_get(&a->xmap, key, id))
		return SQLITE_OK;
	if ((rc = prepare(st, "SELECT id FROM rollup_host WHERE host = ?1",
	    &stmt)) != SQLITE_OK)
		return rc;
	sqlite3_bind_text(stmt, 1, host, -1, SQLITE_STATIC);
	rc = step_int(stmt, id, &found);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_OK)
		return rc;
	if (!found) {
		*id = a->maxhost + 1 + (int64_t)a->nxhost;
		if ((x = reallocarray(a->xhost, a->nxhost + 1,
		    sizeof(*x))) == NULL)
			return SQLITE_NOMEM;
		a->xhost = x;
		(void)snprintf(x[a->nxhost++].host, sizeof(x->host), "%s", host);
	}
	if (smap_put(&a->xmap, key, *id) == -1 || racc_room(a, -1, *id) == -1)
		return SQLITE_NOMEM;
	return SQLITE_OK;
}

/* Raw rows above the watermark, added as the cells would have them. */
static int
racc_tail(struct store *st, struct racc *acc, struct report *rep,
    int64_t wm, int64_t prev_from)
{
	const struct report_query	*q = &rep->q;
	sqlite3_stmt			*stmt;
	const char			*kind, *prefix, *host;
	int64_t				 t, pid, hid;
	int				 rc, fi, how, code;

	if ((rc = prepare(st, "SELECT time, family, kind, prefix, mapped,"
	    " server_family, host, how FROM request WHERE id > ?1",
	    &stmt)) != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, wm);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		t = sqlite3_column_int64(stmt, 0);
		if (t < prev_from || t >= q->to)
			continue;
		fi = sqlite3_column_int(stmt, 1) == 6;
		kind = (const char *)sqlite3_column_text(stmt, 2);
		prefix = (const char *)sqlite3_column_text(stmt, 3);
		host = (const char *)sqlite3_column_text(stmt, 6);
		if (host == NULL)
			host = "";
		how = how_from_name(
		    (const char *)sqlite3_column_text(stmt, 7));
		if (kind == NULL || prefix == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
		if ((q->host[0] != '\0' && strcmp(host, q->host) != 0) ||
		    (q->how >= 0 && how != q->how))
			continue;
		if (t < q->from) {
			acc->prev[fi]++;
			continue;
		}
		code = code_of(addr_kind_from_name(kind),
		    sqlite3_column_int(stmt, 4) != 0,
		    sqlite3_column_int(stmt, 5));
		if ((rc = tail_prefix(st, acc, prefix, fi ? 6 : 4, kind,
		    &pid)) != SQLITE_OK ||
		    (rc = tail_host(st, acc, host, &hid)) != SQLITE_OK)
			break;
		acc->fam[fi]++;
		acc->codes[fi][code]++;
		acc->how[how]++;
		acc->hostn[hid][fi]++;
		acc->pcnt[fi][pid]++;
		if (rep->nseries > 0) {
			if (fi)
				rep->series[(t - q->from) / q->bucket].ipv6++;
			else
				rep->series[(t - q->from) / q->bucket].ipv4++;
		}
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int
alias_cmp(const void *a, const void *b)
{
	const struct alias	*x = a, *y = b;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Nonzero prefix ids per family, a network under two kinds once. */
static int
racc_unique(struct store *st, struct racc *acc, struct report *rep)
{
	sqlite3_stmt	*stmt;
	uint64_t	 u[2] = { 0, 0 };
	size_t		 i, j, f, k;
	int		 rc;

	for (f = 0; f < 2; f++)
		for (i = 0; i < acc->npfx; i++)
			u[f] += acc->pcnt[f][i] != 0;
	if ((rc = prepare(st, "SELECT id, alias FROM rollup_prefix"
	    " WHERE alias IS NOT NULL", &stmt)) != SQLITE_OK)
		return rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		if (racc_alias(acc, sqlite3_column_int64(stmt, 0),
		    sqlite3_column_int64(stmt, 1)) == -1) {
			rc = SQLITE_NOMEM;
			break;
		}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return rc;
	if (acc->nalias > 0)
		qsort(acc->alias, acc->nalias, sizeof(*acc->alias), alias_cmp);
	for (i = 0; i < acc->nalias; i = j) {
		for (f = 0; f < 2; f++) {
			k = (size_t)acc->alias[i].first < acc->npfx &&
			    acc->pcnt[f][acc->alias[i].first] != 0;
			for (j = i; j < acc->nalias &&
			    acc->alias[j].first == acc->alias[i].first; j++)
				k += (size_t)acc->alias[j].id < acc->npfx &&
				    acc->pcnt[f][acc->alias[j].id] != 0;
			if (k > 1)
				u[f] -= k - 1;
		}
	}
	rep->unique_ipv4 = u[0];
	rep->unique_ipv6 = u[1];
	return SQLITE_OK;
}

static int
kind_cmp(const void *a, const void *b)
{
	const struct report_kind	*x = a, *y = b;
	int				 c;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if (x->requests != y->requests)
		return x->requests > y->requests ? -1 : 1;
	if ((c = strcmp(addr_kind_name(x->kind), addr_kind_name(y->kind))) != 0)
		return c;
	return (int)x->mapped - (int)y->mapped;
}

static int
prefix_cmp(const void *a, const void *b)
{
	const struct report_prefix	*x = a, *y = b;
	int				 c;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if (x->requests != y->requests)
		return x->requests > y->requests ? -1 : 1;
	if ((c = strcmp(x->prefix, y->prefix)) != 0)
		return c;
	return strcmp(addr_kind_name(x->kind), addr_kind_name(y->kind));
}

static int
host_cmp(const void *a, const void *b)
{
	const struct report_host	*x = a, *y = b;
	uint64_t			 tx = x->ipv4 + x->ipv6, ty = y->ipv4 + y->ipv6;

	if (tx != ty)
		return tx > ty ? -1 : 1;
	return strcmp(x->host, y->host);
}

/*
 * The busiest prefixes of one family: every id with at least the top-th
 * count is a candidate (ties go by text, so all tied ones are named).
 */
static int
racc_top(struct store *st, struct racc *acc, struct report *rep, int fi)
{
	sqlite3_stmt		*stmt = NULL;
	struct report_prefix	*p, *v = NULL;
	const unsigned char	*s;
	uint64_t		 thr, *cnt = acc->pcnt[fi];
	size_t			 top = rep->q.top, i, nv = 0, capv = 0;
	int			 rc = SQLITE_OK;

	if (topk_floor(cnt, acc->npfx, top, &thr) == -1)
		return SQLITE_NOMEM;
	if (thr == 0)
		return SQLITE_OK;
	if ((rc = prepare(st, "SELECT prefix, kind FROM rollup_prefix"
	    " WHERE id = ?1", &stmt)) != SQLITE_OK)
		return rc;
	for (i = 0; i < acc->npfx; i++) {
		if (cnt[i] < thr)
			continue;
		if (nv == capv) {
			capv = capv == 0 ? top + 8 : capv * 2;
			if ((p = reallocarray(v, capv, sizeof(*p))) == NULL) {
				rc = SQLITE_NOMEM;
				goto out;
			}
			v = p;
		}
		p = &v[nv++];
		memset(p, 0, sizeof(*p));
		p->family = fi ? 6 : 4;
		p->requests = cnt[i];
		if ((int64_t)i > acc->maxpfx) {
			const struct xpfx	*x = &acc->xpfx[(int64_t)i - acc->maxpfx - 1];

			(void)snprintf(p->prefix, sizeof(p->prefix), "%s",
			    x->prefix);
			p->kind = x->kind;
			continue;
		}
		sqlite3_bind_int64(stmt, 1, (int64_t)i);
		if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			s = sqlite3_column_text(stmt, 0);
			(void)snprintf(p->prefix, sizeof(p->prefix), "%s",
			    s != NULL ? (const char *)s : "");
			p->kind = addr_kind_from_name(
			    (const char *)sqlite3_column_text(stmt, 1));
			rc = SQLITE_OK;
		}
		sqlite3_reset(stmt);
		if (rc != SQLITE_OK && rc != SQLITE_DONE)
			goto out;
		rc = SQLITE_OK;
	}
	if (nv > 0)
		qsort(v, nv, sizeof(*v), prefix_cmp);
	if (nv > top)
		nv = top;
	if ((p = reallocarray(rep->prefixes, rep->nprefixes + nv,
	    sizeof(*p))) == NULL) {
		rc = SQLITE_NOMEM;
		goto out;
	}
	rep->prefixes = p;
	memcpy(p + rep->nprefixes, v, nv * sizeof(*v));
	rep->nprefixes += nv;
out:
	free(v);
	sqlite3_finalize(stmt);
	return rc;
}

/* Kinds, listeners, ways and hosts from what was added up. */
static int
racc_lists(struct store *st, struct racc *acc, struct report *rep)
{
	struct report_kind	 kinds[2 * ROLLUP_KINDS * 2], *k;
	struct report_listener	 ls[3];
	struct report_host	*hv = NULL, *hp;
	sqlite3_stmt		*stmt = NULL;
	const unsigned char	*s;
	size_t			 nk = 0, i, nh = 0, top = rep->q.top;
	int			 fi, c, kind, rc = SQLITE_OK;
	uint64_t		 n;

	memset(kinds, 0, sizeof(kinds));
	memset(ls, 0, sizeof(ls));
	for (fi = 0; fi < 2; fi++)
		for (kind = 0; kind < ROLLUP_KINDS; kind++) {
			for (c = 0; c < 2; c++) {
				k = &kinds[(fi * ROLLUP_KINDS + kind) * 2 + c];
				k->family = fi ? 6 : 4;
				k->kind = kind < KIND__MAX ? (enum addr_kind)kind :
				    KIND__MAX;
				k->mapped = c;
			}
		}
	for (fi = 0; fi < 2; fi++)
		for (c = 0; c < ROLLUP_CODES; c++) {
			if ((n = acc->codes[fi][c]) == 0)
				continue;
			kinds[(fi * ROLLUP_KINDS + c / 6) * 2 + (c / 3) % 2].requests += n;
			if (fi)
				ls[c % 3].ipv6 += n;
			else
				ls[c % 3].ipv4 += n;
		}
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].requests != 0)
			kinds[nk++] = kinds[i];
	if (nk > 0)
		qsort(kinds, nk, sizeof(kinds[0]), kind_cmp);
	if (nk > 0) {
		if ((rep->kinds = calloc(nk, sizeof(*rep->kinds))) == NULL)
			return SQLITE_NOMEM;
		memcpy(rep->kinds, kinds, nk * sizeof(kinds[0]));
		rep->nkinds = nk;
	}
	if ((rep->listeners = calloc(3, sizeof(*rep->listeners))) == NULL)
		return SQLITE_NOMEM;
	for (i = 0; i < 3; i++)
		if (ls[i].ipv4 + ls[i].ipv6 != 0) {
			rep->listeners[rep->nlisteners] = ls[i];
			rep->listeners[rep->nlisteners++].server_family =
			    i == 0 ? 0 : i == 1 ? 4 : 6;
		}
	if ((rep->hows = calloc(HOW__MAX + 1, sizeof(*rep->hows))) == NULL)
		return SQLITE_NOMEM;
	for (i = 0; i <= HOW__MAX; i++)
		if (acc->how[i] != 0) {
			rep->hows[rep->nhows].how = (int)i;
			rep->hows[rep->nhows++].requests = acc->how[i];
		}

	if (top == 0)
		return SQLITE_OK;
	if ((rc = prepare(st, "SELECT host FROM rollup_host WHERE id = ?1",
	    &stmt)) != SQLITE_OK)
		return rc;
	for (i = 0; i < acc->nhost; i++) {
		if (acc->hostn[i][0] + acc->hostn[i][1] == 0)
			continue;
		if ((hp = reallocarray(hv, nh + 1, sizeof(*hp))) == NULL) {
			rc = SQLITE_NOMEM;
			goto out;
		}
		hv = hp;
		hp = &hv[nh++];
		memset(hp, 0, sizeof(*hp));
		hp->ipv4 = acc->hostn[i][0];
		hp->ipv6 = acc->hostn[i][1];
		if ((int64_t)i > acc->maxhost) {
			(void)snprintf(hp->host, sizeof(hp->host), "%s",
			    acc->xhost[(int64_t)i - acc->maxhost - 1].host);
			continue;
		}
		sqlite3_bind_int64(stmt, 1, (int64_t)i);
		if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			s = sqlite3_column_text(stmt, 0);
			(void)snprintf(hp->host, sizeof(hp->host), "%s",
			    s != NULL ? (const char *)s : "");
		}
		sqlite3_reset(stmt);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			goto out;
		rc = SQLITE_OK;
	}
	if (nh > 0)
		qsort(hv, nh, sizeof(*hv), host_cmp);
	rep->hosts = hv;
	rep->nhosts = nh < top ? nh : top;
	hv = NULL;
out:
	free(hv);
	sqlite3_finalize(stmt);
	return rc;
}

/* Everything of the report, inside one read transaction. */
static int
report_read(struct store *st, struct report *rep)
{
	const struct report_query	*q = &rep->q;
	struct racc			 acc;
	struct filter			 f;
	sqlite3_stmt			*stmt;
	int64_t				 wm, closed, prev_from, v;
	bool				 found;
	int				 rc;

	memset(&acc, 0, sizeof(acc));
	f.how = q->how;
	f.host = -1;
	if ((rc = meta_read(st, "rollup_id", &wm)) != SQLITE_OK ||
	    (rc = meta_read(st, "rollup_closed", &closed)) != SQLITE_OK ||
	    (rc = store_int(st, "SELECT MAX(id) FROM rollup_prefix",
	    &acc.maxpfx)) != SQLITE_OK ||
	    (rc = store_int(st, "SELECT MAX(id) FROM rollup_host",
	    &acc.maxhost)) != SQLITE_OK)
		goto out;
	if (q->host[0] != '\0') {
		if ((rc = prepare(st, "SELECT id FROM rollup_host"
		    " WHERE host = ?1", &stmt)) != SQLITE_OK)
			goto out;
		sqlite3_bind_text(stmt, 1, q->host, -1, SQLITE_STATIC);
		rc = step_int(stmt, &v, &found);
		sqlite3_finalize(stmt);
		if (rc != SQLITE_OK)
			goto out;
		f.host = found ? v : -2;
	}
	if (racc_room(&acc, acc.maxpfx, acc.maxhost) == -1) {
		rc = SQLITE_NOMEM;
		goto out;
	}
	prev_from = q->from - (q->to - q->from);
	if (prev_from < 0)
		prev_from = 0;
	if ((rc = racc_period(st, &acc, rep, ADD_ALL, q->from, q->to, closed,
	    &f)) != SQLITE_OK ||
	    (rc = racc_period(st, &acc, rep, ADD_PREV, prev_from, q->from,
	    closed, &f)) != SQLITE_OK ||
	    (rc = racc_series(st, &acc, rep, closed, &f)) != SQLITE_OK ||
	    (rc = racc_tail(st, &acc, rep, wm, prev_from)) != SQLITE_OK ||
	    (rc = racc_unique(st, &acc, rep)) != SQLITE_OK ||
	    (rc = racc_top(st, &acc, rep, 0)) != SQLITE_OK ||
	    (rc = racc_top(st, &acc, rep, 1)) != SQLITE_OK ||
	    (rc = racc_lists(st, &acc, rep)) != SQLITE_OK)
		goto out;
	rep->ipv4 = acc.fam[0];
	rep->ipv6 = acc.fam[1];
	rep->total = rep->ipv4 + rep->ipv6;
	rep->prev_ipv4 = acc.prev[0];
	rep->prev_ipv6 = acc.prev[1];
out:
	racc_free(&acc);
	return rc;
}

enum store_err
store_report(struct store *st, const struct report_query *q, struct report *rep)
{
	uint64_t	 span, n;
	size_t		 i;
	int		 rc;

	memset(rep, 0, sizeof(*rep));
	rep->q = *q;
	if (q->bucket == 0)
		return store_failx(st, STORE_ERROR, "report: bucket is 0");
	/* from >= 0 keeps time - from and from + i * bucket inside int64. */
	if (q->from < 0 || q->to < q->from)
		return store_failx(st, STORE_ERROR, "report: bad period");
	/* Roll-ups count whole hours. */
	if (q->from % HOUR != 0 || q->to % HOUR != 0 || q->bucket % HOUR != 0)
		return store_failx(st, STORE_ERROR,
		    "report: period and bucket must be whole hours");
	if (q->how < -1 || q->how >= HOW__MAX)
		return store_failx(st, STORE_ERROR, "report: unknown measurement");
	if (memchr(q->host, '\0', sizeof(q->host)) == NULL)
		return store_failx(st, STORE_ERROR, "report: host too long");
	span = (uint64_t)(q->to - q->from);
	n = span / q->bucket + (span % q->bucket != 0);
	if (n > STORE_SERIES_MAX)
		return store_failx(st, STORE_ERROR, "report: too many buckets");

	/* What came since the last upkeep; a reader adds it as it reads. */
	if (!(st->flags & STORE_READONLY_OPEN) &&
	    (rc = rollup_catchup(st)) != SQLITE_OK &&
	    (rc & 0xff) != SQLITE_BUSY)
		goto fail;
	if (n > 0) {
		if ((rep->series = calloc(n, sizeof(*rep->series))) == NULL) {
			rc = SQLITE_NOMEM;
			goto fail;
		}
		rep->nseries = n;
		for (i = 0; i < n; i++)
			rep->series[i].start = q->from + (int64_t)i * q->bucket;
	}
	/* One read transaction: every figure comes from the same snapshot. */
	if ((rc = exec(st, "BEGIN")) != SQLITE_OK)
		goto fail;
	if ((rc = report_read(st, rep)) != SQLITE_OK) {
		exec(st, "ROLLBACK");
		goto fail;
	}
	if ((rc = exec(st, "COMMIT")) != SQLITE_OK)
		goto fail;
	return STORE_OK;
fail:
	store_fail(st, rc, "report");
	report_free(rep);
	return store_map(rc);
}

enum store_err
store_info(struct store *st, struct store_info *info)
{
	char		 wal[PATH_MAX];
	struct stat	 sb;
	int64_t		 v;
	int		 rc;

	memset(info, 0, sizeof(*info));
	/* Not the figures of a file that is no longer the database. */
	if (store_moved(st))
		return moved_fail(st, "status");
	info->size = stat(st->path, &sb) == 0 ? (int64_t)sb.st_size : -1;
	/* What it takes on disk: the log not yet checkpointed is part of it. */
	if (info->size >= 0 && snprintf(wal, sizeof(wal), "%s-wal", st->path) <
	    (int)sizeof(wal) && stat(wal, &sb) == 0)
		info->size += (int64_t)sb.st_size;
	if ((rc = store_int(st, "PRAGMA user_version", &v)) != SQLITE_OK)
		return store_fail(st, rc, "schema version");
	info->schema_version = (int)v;
	rc = store_text(st, "PRAGMA journal_mode", info->journal_mode,
	    sizeof(info->journal_mode));
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "journal mode");
	rc = store_int(st, "SELECT COUNT(*) FROM request", &info->rows);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "count rows");
	rc = store_int(st, "SELECT MAX(time) FROM request", &info->last_time);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "last time");

	/*
	 * The health check: could a record start now?  A no is the answer
	 * (writable false, the reason in errmsg), not a failure of this call.
	 */
	if (st->flags & STORE_READONLY_OPEN)
		info->writable = false;
	else if ((rc = exec(st, "BEGIN IMMEDIATE")) == SQLITE_OK) {
		exec(st, "ROLLBACK");
		info->writable = true;
	} else {
		store_fail(st, rc, "write check");
		info->writable = false;
	}
	return STORE_OK;
}

enum store_err
store_prune(struct store *st, int64_t before, unsigned batch, uint64_t *deleted)
{
	sqlite3_stmt	*stmt;
	int		 rc, n;

	*deleted = 0;
	if (batch == 0)
		batch = STORE_PRUNE_BATCH;
	/*
	 * Roll-ups keep what goes: only rows already rolled up are deleted,
	 * the watermark read in each deleting transaction.
	 */
	if ((rc = rollup_catchup(st)) != SQLITE_OK)
		return store_fail(st, rc, "prune: roll up");
	rc = prepare(st, "DELETE FROM request WHERE id IN"
	    " (SELECT id FROM request WHERE time < ?1 AND id <="
	    " (SELECT value FROM meta WHERE key = 'rollup_id') LIMIT ?2)",
	    &stmt);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "prune");
	sqlite3_bind_int64(stmt, 1, before);
	sqlite3_bind_int64(stmt, 2, batch);
	/* Each step is one transaction: a writer waits one batch at most. */
	for (;;) {
		if ((rc = sqlite3_step(stmt)) != SQLITE_DONE)
			break;
		n = sqlite3_changes(st->db);
		*deleted += (uint64_t)n;
		sqlite3_reset(stmt);
		if ((unsigned)n < batch)
			break;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, "prune");
	return STORE_OK;
}
