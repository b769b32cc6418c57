/* store_sqlite.c: the SQLite backend: the file, its schema and migrations, and every statement; the only SQL in dualstat. */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "addr.h"
#include "err.h"
#include "row.h"
#include "store.h"
#include "store_backend.h"

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
	 * 1 -> 2: roll-ups (rollup.h, cell.h).  Prefixes and hosts get
	 * numbers; cells hold, per unit of time, family, host and way of
	 * measuring, the requests by (kind, mapped, listener) and by prefix.
	 * The cells of existing rows are built after the step, from the raw
	 * rows above the watermark meta 'rollup_id' (0 here).  Why blobs and
	 * not a table of (day, prefix, requests): summing 400k SQL rows with
	 * GROUP BY takes ~100 ms, decoding as many varints in C ~2 ms
	 * (bench/REPORT.md).
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
	/*
	 * 2 -> 3: the access logs dualstat import has read (store.h's
	 * struct store_import; import_dedupe.h says how they decide).  The
	 * hashes are unsigned 64-bit numbers kept in INTEGER's signed bits.
	 */
	"CREATE TABLE import_file ("
	" id INTEGER PRIMARY KEY,"
	" first_line INTEGER NOT NULL,"
	" offset INTEGER NOT NULL,"
	" prefix_hash INTEGER NOT NULL,"
	" lines INTEGER NOT NULL,"
	" format TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" updated INTEGER NOT NULL);"
	"CREATE INDEX import_file_first ON import_file (first_line, id);",
	/*
	 * 3 -> 4: readiness probes (issue 10; store.h, probe_cell.h).  A
	 * start is a row until it resolves, keeping what a request row keeps
	 * and the secret of its token (NULL once it came back: a token is
	 * good once), then counts in probe cells.  No index on the secret:
	 * the number finds a start, and an index's inner pages would keep
	 * copies of secrets after their rows are gone.  Starts are few (those
	 * of the last probe_timeout seconds): the upkeep's walk reads them all.
	 */
	"CREATE TABLE probe ("
	" id INTEGER PRIMARY KEY,"
	" secret TEXT,"
	" probe INTEGER NOT NULL CHECK (probe IN (0, 1, 2)),"
	" time INTEGER NOT NULL,"
	" expires INTEGER NOT NULL,"
	" family INTEGER NOT NULL CHECK (family IN (4, 6)),"
	" kind TEXT NOT NULL,"
	" prefix TEXT NOT NULL,"
	" mapped INTEGER NOT NULL CHECK (mapped IN (0, 1)),"
	" host TEXT,"
	" back_family INTEGER NOT NULL DEFAULT 0 CHECK (back_family IN (0, 4, 6)),"
	" back_kind TEXT);"
	"CREATE TABLE probe_cell ("
	" level INTEGER NOT NULL,"
	" start INTEGER NOT NULL,"
	" family INTEGER NOT NULL,"
	" host INTEGER NOT NULL,"
	" slot INTEGER NOT NULL,"
	" counts BLOB NOT NULL,"
	" PRIMARY KEY (level, start, family, host, slot)) WITHOUT ROWID;"
	"CREATE TABLE probe_cell_prefixes ("
	" level INTEGER NOT NULL,"
	" start INTEGER NOT NULL,"
	" family INTEGER NOT NULL,"
	" host INTEGER NOT NULL,"
	" slot INTEGER NOT NULL,"
	" data BLOB NOT NULL,"
	" UNIQUE (level, start, family, host, slot));",
	/*
	 * 4 -> 5: the node (config key node) of the dualstat that recorded
	 * a row or started a probe, and the cells' host id becomes the id of
	 * a (host, node) pair, so the cell keys stay as they were and a host
	 * or a node filter is a set of ids.  What was there before is of no
	 * node known: '' (the report's "(unknown)"), on every server of a
	 * fleet alike.  SQLite cannot change a UNIQUE constraint: rollup_host
	 * is made again, its ids kept.
	 */
	"ALTER TABLE request ADD COLUMN node TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE probe ADD COLUMN node TEXT NOT NULL DEFAULT '';"
	"CREATE TABLE rollup_host_5 ("
	" id INTEGER PRIMARY KEY,"
	" host TEXT NOT NULL,"
	" node TEXT NOT NULL DEFAULT '',"
	" UNIQUE (host, node));"
	"INSERT INTO rollup_host_5 (id, host, node) SELECT id, host, ''"
	" FROM rollup_host;"
	"DROP TABLE rollup_host;"
	"ALTER TABLE rollup_host_5 RENAME TO rollup_host;",
};

/* Every statement but the migrations and the PRAGMAs that set things at open. */
enum sq {
	SQ_INSERT,
	SQ_BEGIN_WRITE,
	SQ_BEGIN_READ,
	SQ_COMMIT,
	SQ_ROLLBACK,
	SQ_META_GET,
	SQ_META_SET,
	SQ_META_DELETE,
	SQ_CELLS_COUNTS,
	SQ_ROWS_COUNT,
	SQ__HOT,		/* the ones above are prepared at open */
	SQ_ROWS = SQ__HOT,
	SQ_PRUNE,
	SQ_PREFIX_FIND,
	SQ_PREFIX_FIRST,
	SQ_PREFIX_ADD,
	SQ_PREFIX_MAX,
	SQ_PREFIX_ALIASES,
	SQ_PREFIX_NAME,
	SQ_HOST_FIND,
	SQ_HOST_ADD,
	SQ_HOST_MAX,
	SQ_HOST_NAME,
	SQ_HOST_IDS,
	SQ_CELLS_PREFIXES,
	SQ_CELLS_FIRST,
	SQ_CELL_COUNTS,
	SQ_CELL_PREFIXES,
	SQ_CELL_PUT_COUNTS,
	SQ_CELL_PUT_PREFIXES,
	SQ_USER_VERSION,
	SQ_JOURNAL_MODE,
	SQ_ROWS_TOTAL,
	SQ_ROWS_LAST,
	SQ_IMPORTS_FIND,
	SQ_IMPORT_NEWEST,
	SQ_IMPORT_INSERT,
	SQ_IMPORT_UPDATE,
	/* Readiness probes (issue 10). */
	SQ_PROBE_INSERT,
	SQ_PROBE_BACK,
	SQ_PROBE_ROWS,
	SQ_PROBE_DELETE,
	SQ_PROBE_PENDING,
	SQ_PCELLS_COUNTS,
	SQ_PCELLS_PREFIXES,
	SQ_PCELLS_FIRST,
	SQ_PCELL_COUNTS,
	SQ_PCELL_PREFIXES,
	SQ_PCELL_PUT_COUNTS,
	SQ_PCELL_PUT_PREFIXES,
	SQ_CHECKPOINT,
	SQ__MAX
};

#define CELL_KEY	" level = ?1 AND start = ?2 AND family = ?3 AND host = ?4" \
			" AND how = ?5"
/* The primary key (level, start, ...) bounds the read. */
#define CELL_RANGE	" WHERE level = ?1 AND start >= ?2 AND start <= ?3" \
			" AND (?4 < 0 OR host = ?4) AND (?5 < 0 OR how = ?5)"

#define PCELL_KEY	" level = ?1 AND start = ?2 AND family = ?3 AND host = ?4" \
			" AND slot = ?5"
#define PCELL_RANGE	" WHERE level = ?1 AND start >= ?2 AND start <= ?3" \
			" AND (?4 < 0 OR host = ?4) AND (?5 < 0 OR slot = ?5)"

static const char *const sq_sql[SQ__MAX] = {
	[SQ_INSERT] = "INSERT INTO request (time, family, kind, prefix, mapped,"
	    " server_family, host, how, via_proxy, node)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[SQ_BEGIN_WRITE] = "BEGIN IMMEDIATE",
	[SQ_BEGIN_READ] = "BEGIN",
	[SQ_COMMIT] = "COMMIT",
	[SQ_ROLLBACK] = "ROLLBACK",
	[SQ_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[SQ_META_SET] = "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
	[SQ_META_DELETE] = "DELETE FROM meta WHERE key = ?1",
	[SQ_CELLS_COUNTS] = "SELECT family, host, how, counts, start FROM rollup"
	    CELL_RANGE,
	/*
	 * A range of ids: the rows since the last upkeep.  "+time" keeps the
	 * planner off the time index, which would read the whole period.  No
	 * GROUP BY: one pass over the rows, no sorter.
	 */
	[SQ_ROWS_COUNT] = "SELECT COUNT(*), TOTAL(family = 6) FROM request"
	    " WHERE id > ?1 AND +time >= ?2 AND +time <= ?3",
	[SQ_ROWS] = "SELECT id, time, family, kind, prefix, mapped,"
	    " server_family, host, how, via_proxy, node FROM request WHERE id > ?1"
	    " ORDER BY id LIMIT ?2",
	/* The watermark read in the deleting statement itself. */
	[SQ_PRUNE] = "DELETE FROM request WHERE id IN"
	    " (SELECT id FROM request WHERE time < ?1 AND id <="
	    " (SELECT value FROM meta WHERE key = ?3) LIMIT ?2)",
	[SQ_PREFIX_FIND] = "SELECT id FROM rollup_prefix WHERE prefix = ?1"
	    " AND family = ?2 AND kind = ?3",
	[SQ_PREFIX_FIRST] = "SELECT MIN(id) FROM rollup_prefix"
	    " WHERE prefix = ?1 AND family = ?2",
	[SQ_PREFIX_ADD] = "INSERT INTO rollup_prefix (prefix, family, kind, alias)"
	    " VALUES (?1, ?2, ?3, ?4)",
	[SQ_PREFIX_MAX] = "SELECT MAX(id) FROM rollup_prefix",
	[SQ_PREFIX_ALIASES] = "SELECT id, alias FROM rollup_prefix"
	    " WHERE alias IS NOT NULL",
	[SQ_PREFIX_NAME] = "SELECT prefix, kind FROM rollup_prefix WHERE id = ?1",
	[SQ_HOST_FIND] = "SELECT id FROM rollup_host WHERE host = ?1"
	    " AND node = ?2",
	[SQ_HOST_ADD] = "INSERT INTO rollup_host (host, node) VALUES (?1, ?2)",
	[SQ_HOST_MAX] = "SELECT MAX(id) FROM rollup_host",
	[SQ_HOST_NAME] = "SELECT host, node FROM rollup_host WHERE id = ?1",
	[SQ_HOST_IDS] = "SELECT id FROM rollup_host WHERE (?1 IS NULL OR host = ?1)"
	    " AND (?2 IS NULL OR node = ?2) ORDER BY id",
	[SQ_CELLS_PREFIXES] = "SELECT family, host, how, data, start"
	    " FROM rollup_prefixes" CELL_RANGE,
	[SQ_CELLS_FIRST] = "SELECT MIN(start) FROM rollup WHERE level = ?1",
	[SQ_CELL_COUNTS] = "SELECT counts FROM rollup WHERE" CELL_KEY,
	[SQ_CELL_PREFIXES] = "SELECT data FROM rollup_prefixes WHERE" CELL_KEY,
	[SQ_CELL_PUT_COUNTS] = "INSERT OR REPLACE INTO rollup (level, start,"
	    " family, host, how, counts) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[SQ_CELL_PUT_PREFIXES] = "INSERT OR REPLACE INTO rollup_prefixes (level,"
	    " start, family, host, how, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[SQ_USER_VERSION] = "PRAGMA user_version",
	[SQ_JOURNAL_MODE] = "PRAGMA journal_mode",
	[SQ_ROWS_TOTAL] = "SELECT COUNT(*) FROM request",
	[SQ_ROWS_LAST] = "SELECT MAX(time) FROM request",
	[SQ_IMPORTS_FIND] = "SELECT id, offset, prefix_hash, lines, format, name,"
	    " updated FROM import_file WHERE first_line = ?1 ORDER BY id DESC"
	    " LIMIT ?2",
	[SQ_IMPORT_NEWEST] = "SELECT MAX(id) FROM import_file WHERE first_line = ?1",
	[SQ_IMPORT_INSERT] = "INSERT INTO import_file (first_line, offset,"
	    " prefix_hash, lines, format, name, updated)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	/* Only over the offset this import read: another may have moved it on. */
	[SQ_IMPORT_UPDATE] = "UPDATE import_file SET first_line = ?1, offset = ?2,"
	    " prefix_hash = ?3, lines = ?4, format = ?5, name = ?6, updated = ?7"
	    " WHERE id = ?8 AND offset = ?9",
	/* Readiness probes (issue 10). */
	[SQ_PROBE_INSERT] = "INSERT INTO probe (secret, probe, time, expires, family,"
	    " kind, prefix, mapped, host, node)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	/* One statement: of two completions of one token, one finds it. */
	[SQ_PROBE_BACK] = "UPDATE probe SET secret = NULL, back_family = ?5,"
	    " back_kind = ?6 WHERE id = ?1 AND secret = ?2 AND probe = ?3"
	    " AND expires > ?4 RETURNING family",
	[SQ_PROBE_ROWS] = "SELECT id, probe, time, expires, family, kind, prefix,"
	    " mapped, host, back_family, back_kind, node FROM probe"
	    " WHERE secret IS NULL OR expires <= ?1 ORDER BY id LIMIT ?2",
	[SQ_PROBE_DELETE] = "DELETE FROM probe WHERE id <= ?1"
	    " AND (secret IS NULL OR expires <= ?2)",
	[SQ_PROBE_PENDING] = "SELECT COUNT(*) FROM probe",
	[SQ_PCELLS_COUNTS] = "SELECT family, host, slot, counts, start FROM probe_cell"
	    PCELL_RANGE,
	[SQ_PCELLS_PREFIXES] = "SELECT family, host, slot, data, start"
	    " FROM probe_cell_prefixes" PCELL_RANGE,
	[SQ_PCELLS_FIRST] = "SELECT MIN(start) FROM probe_cell WHERE level = ?1",
	[SQ_PCELL_COUNTS] = "SELECT counts FROM probe_cell WHERE" PCELL_KEY,
	[SQ_PCELL_PREFIXES] = "SELECT data FROM probe_cell_prefixes WHERE" PCELL_KEY,
	[SQ_PCELL_PUT_COUNTS] = "INSERT OR REPLACE INTO probe_cell (level, start,"
	    " family, host, slot, counts) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[SQ_PCELL_PUT_PREFIXES] = "INSERT OR REPLACE INTO probe_cell_prefixes (level,"
	    " start, family, host, slot, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[SQ_CHECKPOINT] = "PRAGMA wal_checkpoint(TRUNCATE)",
};

/* The device and inode of a file; ino 0: there is none. */
struct file_id {
	dev_t	 dev;
	ino_t	 ino;
};

struct sqlite_store {
	struct store	 st;		/* first: the part every backend shares */
	sqlite3		*db;
	/*
	 * Prepared once and kept: the hot paths' (recording, the landing
	 * page's count) at open, the others when first used.
	 */
	sqlite3_stmt	*stmt[SQ__MAX];
	char		*path;
	/*
	 * The -wal and -shm at the path when this handle opened, to tell
	 * them from a new file's once the database moved.
	 */
	struct file_id	 wal_id, shm_id;
	int64_t		 wait_until;	/* store_wait_total's deadline (CLOCK_MONOTONIC ms) */
};

static struct sqlite_store *
sq_of(struct store *st)
{

	/* st is the first member (C11 6.7.2.1p15). */
	return (struct sqlite_store *)(void *)st;
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

/* Keep why it failed (the next call overwrites sqlite3_errmsg) and map rc. */
static enum store_err
sq_fail(struct sqlite_store *q, int rc)
{
	const char	*msg;

	/* rc may be ours (SQLITE_NOMEM for C), not the handle's last error. */
	if (q->db != NULL &&
	    (sqlite3_extended_errcode(q->db) & 0xff) == (rc & 0xff))
		msg = sqlite3_errmsg(q->db);
	else
		msg = sqlite3_errstr(rc);
	return store_failx(&q->st, store_map(rc), "%s", msg);
}

/* Statement i, prepared now if it was not yet; NULL and *rc when that fails. */
static sqlite3_stmt *
sq_stmt(struct sqlite_store *q, enum sq i, int *rc)
{

	*rc = SQLITE_OK;
	if (q->stmt[i] == NULL)
		*rc = sqlite3_prepare_v3(q->db, sq_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &q->stmt[i], NULL);
	return q->stmt[i];
}

/*
 * Done with a statement: reset, so it holds no snapshot, and bindings
 * cleared, so no pointer to a caller's memory stays in it.
 */
static void
sq_done(sqlite3_stmt *stmt)
{

	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
}

/* Step a statement that answers no row. */
static int
sq_exec(struct sqlite_store *q, enum sq i)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	if ((stmt = sq_stmt(q, i, &rc)) == NULL)
		return rc;
	rc = sqlite3_step(stmt);
	sq_done(stmt);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Step a statement that answers one integer or nothing (NULL: *found false). */
static int
sq_int(sqlite3_stmt *stmt, int64_t *out, bool *found)
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
	sq_done(stmt);
	return rc;
}

/* Statement i with no parameters, answering one integer: 0 for none or NULL. */
static int
sq_value(struct sqlite_store *q, enum sq i, int64_t *out)
{
	sqlite3_stmt	*stmt;
	bool		 found;
	int		 rc;

	*out = 0;
	if ((stmt = sq_stmt(q, i, &rc)) == NULL)
		return rc;
	if ((rc = sq_int(stmt, out, &found)) == SQLITE_OK && !found)
		*out = 0;
	return rc;
}

/* A PRAGMA that answers with text, such as journal_mode. */
static int
sq_text(sqlite3_stmt *stmt, char *buf, size_t bufsz)
{
	const unsigned char	*s;
	int			 rc;

	buf[0] = '\0';
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		if ((s = sqlite3_column_text(stmt, 0)) != NULL)
			(void)snprintf(buf, bufsz, "%s", (const char *)s);
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sq_done(stmt);
	return rc;
}

/* Fixed SQL without data, run once: the migrations and PRAGMAs that set things. */
static int
sq_exec_fixed(struct sqlite_store *q, const char *sql)
{

	return sqlite3_exec(q->db, sql, NULL, NULL, NULL);
}

/*
 * Switch to WAL.  The switch needs the exclusive lock, and SQLite answers
 * SQLITE_BUSY at once, without the busy handler, when another connection
 * reads meanwhile (workers of a new install all start together), so the
 * wait is done here, within the same busy timeout.
 */
static int
sq_wal(struct sqlite_store *q, unsigned timeout_ms, char *mode, size_t modesz)
{
	const struct timespec	 pause = { 0, 5 * 1000 * 1000 };
	struct timespec		 t0, t;
	sqlite3_stmt		*stmt;
	int			 rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		rc = sqlite3_prepare_v3(q->db, "PRAGMA journal_mode = WAL", -1, 0,
		    &stmt, NULL);
		if (rc == SQLITE_OK) {
			rc = sq_text(stmt, mode, modesz);
			sqlite3_finalize(stmt);
		}
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
 * Bring the schema to STORE_SCHEMA_VERSION, in one write transaction
 * (store_tx).  The version is read again under the write lock: another
 * worker may have migrated between our first look and the lock.
 */
static enum store_err
migrate_tx(struct store *st, void *arg)
{
	struct sqlite_store	*q = sq_of(st);
	sqlite3_stmt		*stmt;
	char			 sql[64];
	int64_t			 v = 0;
	bool			 found;
	int			 rc;

	(void)arg;
	if ((stmt = sq_stmt(q, SQ_USER_VERSION, &rc)) == NULL ||
	    (rc = sq_int(stmt, &v, &found)) != SQLITE_OK)
		return sq_fail(q, rc);
	if (v > STORE_SCHEMA_VERSION)
		return store_failx(st, STORE_TOONEW, "database schema %" PRId64
		    " is newer than this dualstat (%d)", v, STORE_SCHEMA_VERSION);
	for (; v < STORE_SCHEMA_VERSION; v++)
		if ((rc = sq_exec_fixed(q, migrations[v])) != SQLITE_OK)
			return sq_fail(q, rc);
	/* PRAGMA takes no parameters; the number is ours, not data. */
	(void)snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
	    STORE_SCHEMA_VERSION);
	if ((rc = sq_exec_fixed(q, sql)) != SQLITE_OK)
		return sq_fail(q, rc);
	return STORE_OK;
}

/*
 * ---- A database deleted, renamed away or replaced while open ------------
 *
 * SQLite finds the -wal and -shm by the database's name, and knows no
 * other identity: a new file at the path (made by a reopen, or renamed
 * over it by a restore) would take the old file's log and shared index
 * as its own, which corrupts it.  So a handle whose file moved lets go of
 * them with care (moved_let_go), and every commit looks first (store.c).
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

static bool
sq_moved(struct store *st)
{
	struct sqlite_store	*q = sq_of(st);
	int			 moved = 0;

	/* The unix VFS compares a stat(2) of the path with the open file's inode. */
	if (q->db == NULL || sqlite3_file_control(q->db, "main",
	    SQLITE_FCNTL_HAS_MOVED, &moved) != SQLITE_OK)
		return false;
	return moved != 0;
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
orphans_remove(struct sqlite_store *q)
{
	static const char *const suffix[] = { "-wal", "-shm" };
	const struct file_id	*had[] = { &q->wal_id, &q->shm_id };
	struct file_id		 now;
	char			 dir[PATH_MAX], name[PATH_MAX];
	char			*slash;
	size_t			 i;
	int			 fd, n;

	n = snprintf(dir, sizeof(dir), "%s", q->path);
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
			file_id_of(q->path, suffix[i], &now);
			n = snprintf(name, sizeof(name), "%s%s", q->path,
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
moved_let_go(struct sqlite_store *q)
{

	(void)sqlite3_wal_checkpoint_v2(q->db, NULL,
	    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	orphans_remove(q);
}

static void
sq_close(struct store *st)
{
	struct sqlite_store	*q = sq_of(st);
	size_t			 i;

	if (q->db != NULL && sq_moved(st))
		moved_let_go(q);
	for (i = 0; i < SQ__MAX; i++)
		sqlite3_finalize(q->stmt[i]);
	sqlite3_close(q->db);
	free(q->path);
	free(q);
}

/* The failure of an open: err says "path: why"; the handle is closed. */
static enum store_err
open_fail(struct sqlite_store *q, enum store_err e, char *err, size_t errsz)
{

	errf(err, errsz, "%s: %s", q->path, q->st.errmsg);
	sq_close(&q->st);
	return e;
}

static enum store_err
sq_open(struct store **out, const char *path, int flags,
    unsigned busy_timeout_ms, bool *migrated, char *err, size_t errsz)
{
	struct sqlite_store	*q;
	struct stat		 sb;
	sqlite3_stmt		*stmt;
	enum store_err		 e;
	int64_t			 v = 0;
	size_t			 i;
	int			 fd, rc, oflags, saved;
	bool			 found;
	char			 mode[16];

	*out = NULL;
	*migrated = false;
	if ((q = calloc(1, sizeof(*q))) == NULL ||
	    (q->path = strdup(path)) == NULL) {
		free(q);
		errf(err, errsz, "%s: %s", path, strerror(errno));
		return STORE_ERROR;
	}
	q->st.ops = &store_sqlite_ops;
	q->st.name = q->path;
	q->st.flags = flags;

	if (flags & STORE_READONLY_OPEN) {
		/* A reader never creates: a missing file is the answer. */
		if (stat(path, &sb) == -1) {
			errf(err, errsz, "cannot open %s: %s", path,
			    strerror(errno));
			sq_close(&q->st);
			return STORE_CANTOPEN;
		}
		oflags = SQLITE_OPEN_READONLY;
	} else {
		if (mkparents(path, err, errsz) == -1) {
			sq_close(&q->st);
			return STORE_CANTOPEN;
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
			sq_close(&q->st);
			return saved == EROFS || saved == EACCES ||
			    saved == EPERM ? STORE_READONLY : STORE_CANTOPEN;
		}
		close(fd);
		oflags = SQLITE_OPEN_READWRITE;
	}
	oflags |= SQLITE_OPEN_NOFOLLOW;

	if ((rc = sqlite3_open_v2(path, &q->db, oflags, NULL)) != SQLITE_OK)
		return open_fail(q, store_context(&q->st, sq_fail(q, rc),
		    "open"), err, errsz);
	sqlite3_extended_result_codes(q->db, 1);
	sqlite3_busy_timeout(q->db, (int)(busy_timeout_ms > INT32_MAX ?
	    INT32_MAX : busy_timeout_ms));

	/* Reads only, until the version is known: a newer schema is kept. */
	if ((stmt = sq_stmt(q, SQ_USER_VERSION, &rc)) == NULL ||
	    (rc = sq_int(stmt, &v, &found)) != SQLITE_OK)
		return open_fail(q, store_context(&q->st, sq_fail(q, rc),
		    "read schema version"), err, errsz);
	if (v > STORE_SCHEMA_VERSION)
		return open_fail(q, store_failx(&q->st, STORE_TOONEW,
		    "database schema %" PRId64 " is newer than this dualstat"
		    " (%d)", v, STORE_SCHEMA_VERSION), err, errsz);

	if (flags & STORE_READONLY_OPEN) {
		if (v < STORE_SCHEMA_VERSION)
			return open_fail(q, store_failx(&q->st, STORE_ERROR,
			    "database schema %" PRId64 " is older than this"
			    " dualstat (%d): run dualstat once with write access"
			    " to migrate", v, STORE_SCHEMA_VERSION), err, errsz);
	} else {
		/*
		 * Several workers write at once: WAL lets readers go on while
		 * one writes.  A file system without shared memory keeps its
		 * old mode; store_info() shows which one is in force.
		 */
		rc = sq_wal(q, busy_timeout_ms, mode, sizeof(mode));
		if (rc == SQLITE_OK)
			rc = sq_exec_fixed(q, "PRAGMA synchronous = NORMAL");
		/*
		 * What is deleted is overwritten with zeros in its page: a
		 * probe's secret and start go with their row (store.h).  FAST:
		 * only where that costs no extra write.
		 */
		if (rc == SQLITE_OK)
			rc = sq_exec_fixed(q, "PRAGMA secure_delete = FAST");
		if (rc != SQLITE_OK)
			return open_fail(q, store_context(&q->st, sq_fail(q, rc),
			    "set journal mode"), err, errsz);
		/* Looked at unlocked first: a busy writer stalls no open. */
		if (v < STORE_SCHEMA_VERSION) {
			if ((e = store_tx(&q->st, STORE_TX_WRITE, migrate_tx,
			    NULL)) != STORE_OK)
				return open_fail(q, e == STORE_TOONEW ? e :
				    store_context(&q->st, e, "migrate"), err, errsz);
			*migrated = true;
		}
	}

	for (i = 0; i < SQ__HOT; i++)
		if (sq_stmt(q, (enum sq)i, &rc) == NULL)
			return open_fail(q, store_context(&q->st, sq_fail(q, rc),
			    "prepare"), err, errsz);
	/* WAL is open by now (the reads above): these are this file's. */
	file_id_of(q->path, "-wal", &q->wal_id);
	file_id_of(q->path, "-shm", &q->shm_id);
	q->st.errmsg[0] = '\0';
	*out = &q->st;
	return STORE_OK;
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
	const struct sqlite_store	*q = arg;
	int64_t				 left = q->wait_until - mono_ms();
	int				 step = count < 4 ? 1 << count : 10;

	if (left <= 0)
		return 0;
	sqlite3_sleep(left < step ? (int)left : step);
	return 1;
}

static void
sq_wait_total(struct store *st, unsigned ms)
{
	struct sqlite_store	*q = sq_of(st);

	q->wait_until = mono_ms() + ms;
	(void)sqlite3_busy_handler(q->db, busy_until, q);
}

static enum store_err
sq_info(struct store *st, struct store_info *info)
{
	struct sqlite_store	*q = sq_of(st);
	sqlite3_stmt		*stmt;
	char			 wal[PATH_MAX];
	struct stat		 sb;
	int64_t			 v;
	int			 rc;

	info->size = stat(q->path, &sb) == 0 ? (int64_t)sb.st_size : -1;
	/* What it takes on disk: the log not yet checkpointed is part of it. */
	if (info->size >= 0 && snprintf(wal, sizeof(wal), "%s-wal", q->path) <
	    (int)sizeof(wal) && stat(wal, &sb) == 0)
		info->size += (int64_t)sb.st_size;
	if ((rc = sq_value(q, SQ_USER_VERSION, &v)) != SQLITE_OK)
		return store_context(st, sq_fail(q, rc), "schema version");
	info->schema_version = (int)v;
	if ((stmt = sq_stmt(q, SQ_JOURNAL_MODE, &rc)) == NULL ||
	    (rc = sq_text(stmt, info->journal_mode,
	    sizeof(info->journal_mode))) != SQLITE_OK)
		return store_context(st, sq_fail(q, rc), "journal mode");
	if ((rc = sq_value(q, SQ_ROWS_TOTAL, &info->rows)) != SQLITE_OK)
		return store_context(st, sq_fail(q, rc), "count rows");
	if ((rc = sq_value(q, SQ_ROWS_LAST, &info->last_time)) != SQLITE_OK)
		return store_context(st, sq_fail(q, rc), "last time");
	return STORE_OK;
}

/* ---- Transactions ------------------------------------------------------ */

static enum store_err
sq_begin(struct store *st, enum store_tx mode)
{
	struct sqlite_store	*q = sq_of(st);
	int			 rc;

	rc = sq_exec(q, mode == STORE_TX_WRITE ? SQ_BEGIN_WRITE : SQ_BEGIN_READ);
	return rc == SQLITE_OK ? STORE_OK : sq_fail(q, rc);
}

static enum store_err
sq_commit(struct store *st)
{
	struct sqlite_store	*q = sq_of(st);
	int			 rc;

	return (rc = sq_exec(q, SQ_COMMIT)) == SQLITE_OK ? STORE_OK :
	    sq_fail(q, rc);
}

static void
sq_rollback(struct store *st)
{
	struct sqlite_store	*q = sq_of(st);

	/* Some failures (a full disk, an I/O error) have rolled back already. */
	if (!sqlite3_get_autocommit(q->db))
		(void)sq_exec(q, SQ_ROLLBACK);
}

/* ---- meta -------------------------------------------------------------- */

static enum store_err
sq_meta_get(struct store *st, const char *key, int64_t *value)
{
	struct sqlite_store	*q = sq_of(st);
	sqlite3_stmt		*stmt;
	bool			 found;
	int			 rc;

	*value = 0;
	if ((stmt = sq_stmt(q, SQ_META_GET, &rc)) == NULL ||
	    (rc = sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC)) != SQLITE_OK ||
	    (rc = sq_int(stmt, value, &found)) != SQLITE_OK) {
		if (stmt != NULL)
			sq_done(stmt);
		return sq_fail(q, rc);
	}
	return STORE_OK;
}

static enum store_err
sq_meta_set(struct store *st, const char *key, int64_t value)
{
	struct sqlite_store	*q = sq_of(st);
	sqlite3_stmt		*stmt;
	int			 rc;

	if ((stmt = sq_stmt(q, SQ_META_SET, &rc)) == NULL)
		return sq_fail(q, rc);
	if ((rc = sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC)) == SQLITE_OK &&
	    (rc = sqlite3_bind_int64(stmt, 2, value)) == SQLITE_OK &&
	    (rc = sqlite3_step(stmt)) == SQLITE_DONE)
		rc = SQLITE_OK;
	sq_done(stmt);
	return rc == SQLITE_OK ? STORE_OK : sq_fail(q, rc);
}

static enum store_err
sq_meta_delete(struct store *st, const char *key)
{
	struct sqlite_store	*q = sq_of(st);
	sqlite3_stmt		*stmt;
	int			 rc;

	if ((stmt = sq_stmt(q, SQ_META_DELETE, &rc)) == NULL)
		return sq_fail(q, rc);
	if ((rc = sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC)) == SQLITE_OK &&
	    (rc = sqlite3_step(stmt)) == SQLITE_DONE)
		rc = SQLITE_OK;
	sq_done(stmt);
	return rc == SQLITE_OK ? STORE_OK : sq_fail(q, rc);
}

/* ---- Raw rows ---------------------------------------------------------- */

/* Bind and run the prepared INSERT; an SQLite result code. */
static int
row_insert(sqlite3_stmt *ins, const struct row *row)
{
	int	 rc;

	if ((rc = sqlite3_bind_int64(ins, 1, row->time)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int(ins, 2, row->family)) != SQLITE_OK ||
	    (rc = sqlite3_bind_text(ins, 3, addr_kind_name(row->kind), -1,
	    SQLITE_STATIC)) != SQLITE_OK ||
	    (rc = sqlite3_bind_text(ins, 4, row->prefix, -1,
	    SQLITE_STATIC)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int(ins, 5, row->mapped)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int(ins, 6, row->server_family)) != SQLITE_OK ||
	    (rc = (row->host == NULL ? sqlite3_bind_null(ins, 7) :
	    sqlite3_bind_text(ins, 7, row->host, (int)row_host_len(row->host),
	    SQLITE_STATIC))) != SQLITE_OK ||
	    (rc = sqlite3_bind_text(ins, 8, how_name(row->how), -1,
	    SQLITE_STATIC)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int(ins, 9, row->via_proxy)) != SQLITE_OK ||
	    (rc = sqlite3_bind_text(ins, 10, row->node != NULL ? row->node : "",
	    -1, SQLITE_STATIC)) != SQLITE_OK)
		goto out;
	rc = sqlite3_step(ins);
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
out:
	sq_done(ins);
	return rc;
}

static enum store_err
sq_insert(struct store *st, const struct row *rows, size_t n)
{
	struct sqlite_store	*q = sq_of(st);
	sqlite3_stmt		*ins;
	size_t			 i;
	int			 rc;

	if ((ins = sq_stmt(q, SQ_INSERT, &rc)) == NULL)
		return sq_fail(q, rc);
	for (i = 0; i < n; i++)
		if ((rc = row_insert(ins, &rows[i])) != SQLITE_OK)
			return sq_fail(q, rc);
	return STORE_OK;
}

static enum store_err
sq_rows(struct store *st, int64_t after, int64_t limit, store_row_fn *fn,
    void *arg)
{
	struct sqlite_store	*q = sq_of(st);
	sqlite3_stmt		*stmt;
	const char		*kind, *prefix;
	struct row		 row;
	enum store_err		 e = STORE_OK;
	int			 rc;

	if ((stmt = sq_stmt(q, SQ_ROWS, &rc)) == NULL)
		return sq_fail(q, rc);
	sqlite3_bind_int64(stmt, 1, after);
	sqlite3_bind_int64(stmt, 2, limit);	/* negative: no limit */
	memset(&row, 0, sizeof(row));
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		kind = (const char *)sqlite3_column_text(stmt, 3);
		prefix = (const char *)sqlite3_column_text(stmt, 4);
		/* NOT NULL columns: NULL text is a failed allocation. */
		if (kind == NULL || prefix == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
		row.time = sqlite3_column_int64(stmt, 1);
		row.family = sqlite3_column_int(stmt, 2);
		row.kind = addr_kind_from_name(kind);
		(void)snprintf(row.prefix, sizeof(row.prefix), "%s", prefix);
		row.mapped = sqlite3_column_int(stmt, 5) != 0;
		row.server_family = sqlite3_column_int(stmt, 6);
		row.host = (const char *)sqlite3_column_text(stmt, 7);
		row.how = how_from_name((const char *)sqlite3_column_text(stmt, 8));
		row.via_proxy = sqlite3_column_int(stmt, 9) != 0;
		row.node = (const char *)sqlite3_column_text(stmt, 10);
		if ((e = fn(arg, sqlite3_column_int64(stmt, 0), &row)) != STORE_OK)
			break;
	}
	sq_done(stmt);
	if (e != STORE_OK)
		return e;
	return rc == SQLITE_DONE ? STORE_OK : sq_fail(q, rc);
}

static enum store_err
sq_rows_count(struct store *st, int64_t after, int64_t first, int64_t last,
    uint64_t n[2])
{
	struct sqlite_store	*q = sq_of(st);
	sqlite3_stmt		*stmt;
	int64_t			 all, v6;
	int			 rc;

	if ((stmt = sq_stmt(q, SQ_ROWS_COUNT, &rc)) == NULL)
		return sq_fail(q, rc);
	sqlite3_bind_int64(stmt, 1, after);
	sqlite3_bind_int64(stmt, 2, first);
	sqlite3_bind_int64(stmt, 3, last);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		all = sqlite3_column_int64(stmt, 0);
		v6 = (int64_t)sqlite3_column_double(stmt, 1);
		n[0] += (uint64_t)(all - v6);
		n[1] += (uint64_t)v6;
		rc = SQLITE_OK;
	}
	sq_done(stmt);
	return rc == SQLITE_OK ? STORE_OK : sq_fail(q, rc);
}

static enum store_err
sq_prune(struct store *st, int64_t before, const char *upto, unsigned batch,
    uint64_t *deleted)
{
	struct sqlite_store	*q = sq_of(st);
	sqlite3_stmt		*stmt;
	int			 rc, n;

	if ((stmt = sq_stmt(q, SQ_PRUNE, &rc)) == NULL)
		return sq_fail(q, rc);
	sqlite3_bind_int64(stmt, 1, before);
	sqlite3_bind_int64(stmt, 2, batch);
	sqlite3_bind_text(stmt, 3, upto, -1, SQLITE_STATIC);
	/* Each step is one transaction: a writer waits one batch at most. */
	for (;;) {
		if ((rc = sqlite3_step(stmt)) != SQLITE_DONE)
			break;
		n = sqlite3_changes(q->db);
		*deleted += (uint64_t)n;
		sqlite3_reset(stmt);
		if ((unsigned)n < batch)
			break;
	}
	sq_done(stmt);
	return rc == SQLITE_DONE ? STORE_OK : sq_fail(q, rc);
}

/* ---- Dictionaries ------------------------------------------------------ */

/* Statement i with (prefix, family[, kind]) bound, answering an id or nothing. */
static enum store_err
prefix_lookup(struct sqlite_store *q, enum sq i, const char *prefix, int family,
    const char *kind, int64_t *id)
{
	sqlite3_stmt	*stmt;
	bool		 found;
	int		 rc;

	*id = 0;
	if ((stmt = sq_stmt(q, i, &rc)) == NULL)
		return sq_fail(q, rc);
	sqlite3_bind_text(stmt, 1, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, family);
	if (kind != NULL)
		sqlite3_bind_text(stmt, 3, kind, -1, SQLITE_STATIC);
	if ((rc = sq_int(stmt, id, &found)) != SQLITE_OK)
		return sq_fail(q, rc);
	if (!found)
		*id = 0;
	return STORE_OK;
}

static enum store_err
sq_prefix_find(struct store *st, const char *prefix, int family,
    enum addr_kind kind, int64_t *id)
{

	return prefix_lookup(sq_of(st), SQ_PREFIX_FIND, prefix, family,
	    addr_kind_name(kind), id);
}

static enum store_err
sq_prefix_first(struct store *st, const char *prefix, int family, int64_t *id)
{

	return prefix_lookup(sq_of(st), SQ_PREFIX_FIRST, prefix, family, NULL, id);
}

static enum store_err
sq_prefix_add(struct store *st, const char *prefix, int family,
    enum addr_kind kind, int64_t alias, int64_t *id)
{
	struct sqlite_store	*q = sq_of(st);
	sqlite3_stmt		*stmt;
	int			 rc;

	if ((stmt = sq_stmt(q, SQ_PREFIX_ADD, &rc)) == NULL)
		return sq_fail(q, rc);
	sqlite3_bind_text(stmt, 1, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, family);
	sqlite3_bind_text(stmt, 3, addr_kind_name(kind), -1, SQLITE_STATIC);
	if (alias != 0)
		sqlite3_bind_int64(stmt, 4, alias);
	else
		sqlite3_bind_null(stmt, 4);
	rc = sqlite3_step(stmt);
	sq_done(stmt);
	if (rc != SQLITE_DONE)
		return sq_fail(q, rc);
	*id = sqlite3_last_insert_rowid(q->db);
	return STORE_OK;
}

static enum store_err
sq_prefix_max(struct store *st, int64_t *id)
{
	struct sqlite_store	*q = sq_of(st);
	int			 rc;

	return (rc = sq_value(q, SQ_PREFIX_MAX, id)) == SQLITE_OK ? STORE_OK :
	    sq_fail(q, rc);
}

static enum store_err
sq_prefix_aliases(struct store *st, store_alias_fn *fn, void *arg)
{
	struct sqlite_store	*q = sq_of(st);
	sqlite3_stmt		*stmt;
	enum store_err		 e = STORE_OK;
	int			 rc;

	if ((stmt = sq_stmt(q, SQ_PREFIX_ALIASES, &rc)) == NULL)
		return sq_fail(q, rc);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		if ((e = fn(arg, sqlite3_column_int64(stmt, 0),
		    sqlite3_column_int64(stmt, 1))) != STORE_OK)
			break;
	sq_done(stmt);
	if (e != STORE_OK)
		return e;
	return rc == SQLITE_DONE ? STORE_OK : sq_fail(q, rc);
}

/*
 * The two texts of n ids through statement i (a prefix and its kind, a
 * host and its node; NULL read as ""), the k-th id's through fn.
 */
static enum store_err
names(struct sqlite_store *q, enum sq i, const int64_t *ids, size_t n,
    store_host_fn *fn, void *arg)
{
	sqlite3_stmt		*stmt;
	const unsigned char	*s, *t;
	enum store_err		 e = STORE_OK;
	size_t			 k;
	int			 rc = SQLITE_OK;

	if (n == 0)
		return STORE_OK;
	if ((stmt = sq_stmt(q, i, &rc)) == NULL)
		return sq_fail(q, rc);
	for (k = 0; k < n && e == STORE_OK; k++) {
		sqlite3_bind_int64(stmt, 1, ids[k]);
		if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			s = sqlite3_column_text(stmt, 0);
			t = sqlite3_column_text(stmt, 1);
			e = fn(arg, k, s != NULL ? (const char *)s : "",
			    t != NULL ? (const char *)t : "");
			rc = SQLITE_DONE;
		}
		sqlite3_reset(stmt);
		if (rc != SQLITE_DONE)
			break;
	}
	sq_done(stmt);
	if (e != STORE_OK)
		return e;
	return rc == SQLITE_DONE ? STORE_OK : sq_fail(q, rc);
}

struct prefix_names {
	store_name_fn	*fn;
	void		*arg;
};

static enum store_err
prefix_name(void *arg, size_t i, const char *prefix, const char *kind)
{
	const struct prefix_names	*p = arg;

	return p->fn(p->arg, i, prefix, addr_kind_from_name(kind));
}

static enum store_err
sq_prefix_names(struct store *st, const int64_t *ids, size_t n,
    store_name_fn *fn, void *arg)
{
	struct prefix_names	 p = { fn, arg };

	return names(sq_of(st), SQ_PREFIX_NAME, ids, n, prefix_name, &p);
}

static enum store_err
sq_host_find(struct store *st, const char *host, const char *node, int64_t *id)
{
	struct sqlite_store	*q = sq_of(st);
	sqlite3_stmt		*stmt;
	bool			 found;
	int			 rc;

	*id = 0;
	if ((stmt = sq_stmt(q, SQ_HOST_FIND, &rc)) == NULL)
		return sq_fail(q, rc);
	sqlite3_bind_text(stmt, 1, host, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, node, -1, SQLITE_STATIC);
	if ((rc = sq_int(stmt, id, &found)) != SQLITE_OK)
		return sq_fail(q, rc);
	if (!found)
		*id = 0;
	return STORE_OK;
}

static enum store_err
sq_host_add(struct store *st, const char *host, const char *node, int64_t *id)
{
	struct sqlite_store	*q = sq_of(st);
	sqlite3_stmt		*stmt;
	int			 rc;

	if ((stmt = sq_stmt(q, SQ_HOST_ADD, &rc)) == NULL)
		return sq_fail(q, rc);
	sqlite3_bind_text(stmt, 1, host, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, node, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sq_done(stmt);
	if (rc != SQLITE_DONE)
		return sq_fail(q, rc);
	*id = sqlite3_last_insert_rowid(q->db);
	return STORE_OK;
}

static enum store_err
sq_host_max(struct store *st, int64_t *id)
{
	struct sqlite_store	*q = sq_of(st);
	int			 rc;

	return (rc = sq_value(q, SQ_HOST_MAX, id)) == SQLITE_OK ? STORE_OK :
	    sq_fail(q, rc);
}

static enum store_err
sq_host_names(struct store *st, const int64_t *ids, size_t n,
    store_host_fn *fn, void *arg)
{

	return names(sq_of(st), SQ_HOST_NAME, ids, n, fn, arg);
}

static enum store_err
sq_host_ids(struct store *st, const char *host, const char *node,
    store_id_fn *fn, void *arg)
{
	struct sqlite_store	*q = sq_of(st);
	sqlite3_stmt		*stmt;
	enum store_err		 e = STORE_OK;
	int			 rc;

	if ((stmt = sq_stmt(q, SQ_HOST_IDS, &rc)) == NULL)
		return sq_fail(q, rc);
	if (host != NULL)
		sqlite3_bind_text(stmt, 1, host, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, 1);
	if (node != NULL)
		sqlite3_bind_text(stmt, 2, node, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, 2);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		if ((e = fn(arg, sqlite3_column_int64(stmt, 0))) != STORE_OK)
			break;
	sq_done(stmt);
	if (e != STORE_OK)
		return e;
	return rc == SQLITE_DONE ? STORE_OK : sq_fail(q, rc);
}

/* ---- Cells ------------------------------------------------------------- */

static void
bind_key(sqlite3_stmt *stmt, const struct cell_key *k)
{

	sqlite3_bind_int(stmt, 1, k->level);
	sqlite3_bind_int64(stmt, 2, k->start);
	sqlite3_bind_int(stmt, 3, k->family);
	sqlite3_bind_int64(stmt, 4, k->host);
	sqlite3_bind_int(stmt, 5, k->how);
}

/*
 * The request cells and the probe cells are alike: the same walks over
 * statements of their own tables (rollup*, probe_cell*).
 */
static enum store_err
cells_range(struct sqlite_store *q, enum sq i, int level, int64_t first,
    int64_t last, int64_t host, int how, store_cell_fn *fn, void *arg)
{
	sqlite3_stmt		*stmt;
	struct cell_key		 key;
	enum store_err		 e = STORE_OK;
	int			 rc;

	if ((stmt = sq_stmt(q, i, &rc)) == NULL)
		return sq_fail(q, rc);
	sqlite3_bind_int(stmt, 1, level);
	sqlite3_bind_int64(stmt, 2, first);
	sqlite3_bind_int64(stmt, 3, last);
	sqlite3_bind_int64(stmt, 4, host);
	sqlite3_bind_int(stmt, 5, how);
	key.level = level;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		key.family = sqlite3_column_int(stmt, 0);
		key.host = sqlite3_column_int64(stmt, 1);
		key.how = sqlite3_column_int(stmt, 2);
		key.start = sqlite3_column_int64(stmt, 4);
		if ((e = fn(arg, &key, sqlite3_column_blob(stmt, 3),
		    (size_t)sqlite3_column_bytes(stmt, 3))) != STORE_OK)
			break;
	}
	sq_done(stmt);
	if (e != STORE_OK)
		return e;
	return rc == SQLITE_DONE ? STORE_OK : sq_fail(q, rc);
}

static enum store_err
sq_cells(struct store *st, enum store_blob blob, int level, int64_t first,
    int64_t last, int64_t host, int how, store_cell_fn *fn, void *arg)
{

	return cells_range(sq_of(st), blob == STORE_COUNTS ? SQ_CELLS_COUNTS :
	    SQ_CELLS_PREFIXES, level, first, last, host, how, fn, arg);
}

static enum store_err
cells_first(struct sqlite_store *q, enum sq i, int level, int64_t *start,
    bool *found)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*found = false;
	if ((stmt = sq_stmt(q, i, &rc)) == NULL)
		return sq_fail(q, rc);
	sqlite3_bind_int(stmt, 1, level);
	return (rc = sq_int(stmt, start, found)) == SQLITE_OK ? STORE_OK :
	    sq_fail(q, rc);
}

static enum store_err
sq_cells_first(struct store *st, int level, int64_t *start, bool *found)
{

	return cells_first(sq_of(st), SQ_CELLS_FIRST, level, start, found);
}

static enum store_err
cells_get(struct sqlite_store *q, enum sq counts, enum sq prefixes,
    const struct cell_key *keys, size_t n, store_blobs_fn *fn, void *arg)
{
	sqlite3_stmt		*cs, *ps;
	enum store_err		 e = STORE_OK;
	const void		*cb, *pb;
	size_t			 i, cl, pl;
	int			 rc;

	if ((cs = sq_stmt(q, counts, &rc)) == NULL ||
	    (ps = sq_stmt(q, prefixes, &rc)) == NULL)
		return sq_fail(q, rc);
	rc = SQLITE_DONE;
	for (i = 0; i < n; i++) {
		bind_key(cs, &keys[i]);
		bind_key(ps, &keys[i]);
		cb = pb = NULL;
		cl = pl = 0;
		if ((rc = sqlite3_step(cs)) == SQLITE_ROW) {
			cb = sqlite3_column_blob(cs, 0);
			cl = (size_t)sqlite3_column_bytes(cs, 0);
			rc = SQLITE_DONE;
		}
		if (rc == SQLITE_DONE && (rc = sqlite3_step(ps)) == SQLITE_ROW) {
			pb = sqlite3_column_blob(ps, 0);
			pl = (size_t)sqlite3_column_bytes(ps, 0);
			rc = SQLITE_DONE;
		}
		/* Both blobs stay valid until the resets below. */
		if (rc == SQLITE_DONE)
			e = fn(arg, i, cb, cl, pb, pl);
		sqlite3_reset(cs);
		sqlite3_reset(ps);
		if (rc != SQLITE_DONE || e != STORE_OK)
			break;
	}
	sq_done(cs);
	sq_done(ps);
	if (e != STORE_OK)
		return e;
	return rc == SQLITE_DONE ? STORE_OK : sq_fail(q, rc);
}

static enum store_err
sq_cells_get(struct store *st, const struct cell_key *keys, size_t n,
    store_blobs_fn *fn, void *arg)
{

	return cells_get(sq_of(st), SQ_CELL_COUNTS, SQ_CELL_PREFIXES, keys, n,
	    fn, arg);
}

/* A blob of length 0 bound as one, not as NULL (a NULL pointer would be). */
static int
bind_blob(sqlite3_stmt *stmt, int i, const void *p, size_t len)
{
	static const unsigned char	 none[1];

	return sqlite3_bind_blob(stmt, i, len > 0 ? p : none, (int)len,
	    SQLITE_STATIC);
}

static enum store_err
cells_put(struct sqlite_store *q, enum sq counts, enum sq prefixes,
    const struct store_cell *cells, size_t n)
{
	sqlite3_stmt		*cs, *ps;
	size_t			 i;
	int			 rc;

	if ((cs = sq_stmt(q, counts, &rc)) == NULL ||
	    (ps = sq_stmt(q, prefixes, &rc)) == NULL)
		return sq_fail(q, rc);
	rc = SQLITE_DONE;
	for (i = 0; i < n; i++) {
		bind_key(cs, &cells[i].key);
		bind_blob(cs, 6, cells[i].counts, cells[i].counts_len);
		rc = sqlite3_step(cs);
		sqlite3_reset(cs);
		if (rc != SQLITE_DONE)
			break;
		bind_key(ps, &cells[i].key);
		bind_blob(ps, 6, cells[i].prefixes, cells[i].prefixes_len);
		rc = sqlite3_step(ps);
		sqlite3_reset(ps);
		if (rc != SQLITE_DONE)
			break;
	}
	sq_done(cs);
	sq_done(ps);
	return rc == SQLITE_DONE ? STORE_OK : sq_fail(q, rc);
}

/* ---- Access logs imported -------------------------------------------- */

static enum store_err
sq_imports_find(struct store *st, uint64_t first_line, struct store_import *out,
    size_t max, size_t *n)
{
	struct sqlite_store	*q = sq_of(st);
	struct store_import	*r;
	sqlite3_stmt		*stmt;
	const unsigned char	*t;
	int			 rc;

	*n = 0;
	if ((stmt = sq_stmt(q, SQ_IMPORTS_FIND, &rc)) == NULL)
		return sq_fail(q, rc);
	sqlite3_bind_int64(stmt, 1, (int64_t)first_line);
	sqlite3_bind_int64(stmt, 2, (int64_t)max);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && *n < max) {
		r = &out[(*n)++];
		memset(r, 0, sizeof(*r));
		r->id = sqlite3_column_int64(stmt, 0);
		r->first_line = first_line;
		r->offset = (uint64_t)sqlite3_column_int64(stmt, 1);
		r->prefix_hash = (uint64_t)sqlite3_column_int64(stmt, 2);
		r->lines = (uint64_t)sqlite3_column_int64(stmt, 3);
		if ((t = sqlite3_column_text(stmt, 4)) != NULL)
			(void)snprintf(r->format, sizeof(r->format), "%s",
			    (const char *)t);
		if ((t = sqlite3_column_text(stmt, 5)) != NULL)
			(void)snprintf(r->name, sizeof(r->name), "%s",
			    (const char *)t);
		r->updated = sqlite3_column_int64(stmt, 6);
	}
	sq_done(stmt);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? STORE_OK : sq_fail(q, rc);
}

static enum store_err
sq_import_newest(struct store *st, uint64_t first_line, int64_t *id)
{
	struct sqlite_store	*q = sq_of(st);
	sqlite3_stmt		*stmt;
	bool			 found;
	int			 rc;

	*id = 0;
	if ((stmt = sq_stmt(q, SQ_IMPORT_NEWEST, &rc)) == NULL)
		return sq_fail(q, rc);
	sqlite3_bind_int64(stmt, 1, (int64_t)first_line);
	if ((rc = sq_int(stmt, id, &found)) != SQLITE_OK)
		return sq_fail(q, rc);
	if (!found)
		*id = 0;
	return STORE_OK;
}

static enum store_err
sq_import_put(struct store *st, struct store_import *rec, bool *stale)
{
	struct sqlite_store	*q = sq_of(st);
	sqlite3_stmt		*stmt;
	int			 rc;

	*stale = false;
	if ((stmt = sq_stmt(q, rec->id == 0 ? SQ_IMPORT_INSERT : SQ_IMPORT_UPDATE,
	    &rc)) == NULL)
		return sq_fail(q, rc);
	sqlite3_bind_int64(stmt, 1, (int64_t)rec->first_line);
	sqlite3_bind_int64(stmt, 2, (int64_t)rec->offset);
	sqlite3_bind_int64(stmt, 3, (int64_t)rec->prefix_hash);
	sqlite3_bind_int64(stmt, 4, (int64_t)rec->lines);
	sqlite3_bind_text(stmt, 5, rec->format, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, rec->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 7, rec->updated);
	if (rec->id != 0) {
		sqlite3_bind_int64(stmt, 8, rec->id);
		sqlite3_bind_int64(stmt, 9, (int64_t)rec->committed);
	}
	rc = sqlite3_step(stmt);
	sq_done(stmt);
	if (rc != SQLITE_DONE)
		return sq_fail(q, rc);
	if (rec->id == 0)
		rec->id = sqlite3_last_insert_rowid(q->db);
	else if (sqlite3_changes(q->db) == 0)
		*stale = true;
	return STORE_OK;
}

static enum store_err
sq_cells_put(struct store *st, const struct store_cell *cells, size_t n)
{

	return cells_put(sq_of(st), SQ_CELL_PUT_COUNTS, SQ_CELL_PUT_PREFIXES,
	    cells, n);
}

/* ---- Readiness probes (issue 10) --------------------------------------- */

static enum store_err
sq_probe_insert(struct store *st, const struct probe_start *v, size_t n,
    int64_t *ids)
{
	struct sqlite_store	*q = sq_of(st);
	sqlite3_stmt		*stmt;
	size_t			 i;
	int			 rc = SQLITE_OK;

	if ((stmt = sq_stmt(q, SQ_PROBE_INSERT, &rc)) == NULL)
		return sq_fail(q, rc);
	for (i = 0; i < n; i++) {
		const struct probe_start	*p = &v[i];

		if ((rc = sqlite3_bind_text(stmt, 1, p->secret, -1,
		    SQLITE_STATIC)) != SQLITE_OK ||
		    (rc = sqlite3_bind_int(stmt, 2, (int)p->probe)) != SQLITE_OK ||
		    (rc = sqlite3_bind_int64(stmt, 3, p->time)) != SQLITE_OK ||
		    (rc = sqlite3_bind_int64(stmt, 4, p->expires)) != SQLITE_OK ||
		    (rc = sqlite3_bind_int(stmt, 5, p->family)) != SQLITE_OK ||
		    (rc = sqlite3_bind_text(stmt, 6, addr_kind_name(p->kind), -1,
		    SQLITE_STATIC)) != SQLITE_OK ||
		    (rc = sqlite3_bind_text(stmt, 7, p->prefix, -1,
		    SQLITE_STATIC)) != SQLITE_OK ||
		    (rc = sqlite3_bind_int(stmt, 8, p->mapped)) != SQLITE_OK ||
		    (rc = (p->host == NULL ? sqlite3_bind_null(stmt, 9) :
		    sqlite3_bind_text(stmt, 9, p->host, (int)row_host_len(p->host),
		    SQLITE_STATIC))) != SQLITE_OK ||
		    (rc = sqlite3_bind_text(stmt, 10, p->node != NULL ? p->node :
		    "", -1, SQLITE_STATIC)) != SQLITE_OK)
			break;
		if ((rc = sqlite3_step(stmt)) != SQLITE_DONE)
			break;
		rc = SQLITE_OK;
		ids[i] = sqlite3_last_insert_rowid(q->db);
		sqlite3_reset(stmt);
	}
	sq_done(stmt);
	return rc == SQLITE_OK ? STORE_OK : sq_fail(q, rc);
}

static enum store_err
sq_probe_back(struct store *st, int64_t id, const char *secret,
    enum probe_kind probe, int64_t now, int family, enum addr_kind kind,
    bool *found, int *start_family)
{
	struct sqlite_store	*q = sq_of(st);
	sqlite3_stmt		*stmt;
	int			 rc;

	*found = false;
	*start_family = 0;
	if ((stmt = sq_stmt(q, SQ_PROBE_BACK, &rc)) == NULL)
		return sq_fail(q, rc);
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_text(stmt, 2, secret, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 3, (int)probe);
	sqlite3_bind_int64(stmt, 4, now);
	sqlite3_bind_int(stmt, 5, family);
	sqlite3_bind_text(stmt, 6, addr_kind_name(kind), -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*found = true;
		*start_family = sqlite3_column_int(stmt, 0);
		/* RETURNING: the change is made once the statement has run to its end. */
		rc = sqlite3_step(stmt);
	}
	sq_done(stmt);
	return rc == SQLITE_DONE ? STORE_OK : sq_fail(q, rc);
}

static enum store_err
sq_probe_rows(struct store *st, int64_t now, int64_t limit, store_probe_fn *fn,
    void *arg)
{
	struct sqlite_store	*q = sq_of(st);
	sqlite3_stmt		*stmt;
	const char		*kind, *prefix, *back;
	struct probe_row	 r;
	enum store_err		 e = STORE_OK;
	int			 rc;

	if ((stmt = sq_stmt(q, SQ_PROBE_ROWS, &rc)) == NULL)
		return sq_fail(q, rc);
	sqlite3_bind_int64(stmt, 1, now);
	sqlite3_bind_int64(stmt, 2, limit);	/* negative: no limit */
	memset(&r, 0, sizeof(r));
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		kind = (const char *)sqlite3_column_text(stmt, 5);
		prefix = (const char *)sqlite3_column_text(stmt, 6);
		/* NOT NULL columns: NULL text is a failed allocation. */
		if (kind == NULL || prefix == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
		r.start.probe = (enum probe_kind)sqlite3_column_int(stmt, 1);
		r.start.time = sqlite3_column_int64(stmt, 2);
		r.start.expires = sqlite3_column_int64(stmt, 3);
		r.start.family = sqlite3_column_int(stmt, 4);
		r.start.kind = addr_kind_from_name(kind);
		(void)snprintf(r.start.prefix, sizeof(r.start.prefix), "%s", prefix);
		r.start.mapped = sqlite3_column_int(stmt, 7) != 0;
		r.start.host = (const char *)sqlite3_column_text(stmt, 8);
		r.back_family = sqlite3_column_int(stmt, 9);
		back = (const char *)sqlite3_column_text(stmt, 10);
		r.back_kind = back != NULL ? addr_kind_from_name(back) : KIND__MAX;
		r.start.node = (const char *)sqlite3_column_text(stmt, 11);
		if ((e = fn(arg, sqlite3_column_int64(stmt, 0), &r)) != STORE_OK)
			break;
	}
	sq_done(stmt);
	if (e != STORE_OK)
		return e;
	return rc == SQLITE_DONE ? STORE_OK : sq_fail(q, rc);
}

static enum store_err
sq_probe_delete(struct store *st, int64_t upto, int64_t now, uint64_t *deleted)
{
	struct sqlite_store	*q = sq_of(st);
	sqlite3_stmt		*stmt;
	int			 rc;

	*deleted = 0;
	if ((stmt = sq_stmt(q, SQ_PROBE_DELETE, &rc)) == NULL)
		return sq_fail(q, rc);
	sqlite3_bind_int64(stmt, 1, upto);
	sqlite3_bind_int64(stmt, 2, now);
	if ((rc = sqlite3_step(stmt)) == SQLITE_DONE)
		*deleted = (uint64_t)sqlite3_changes(q->db);
	sq_done(stmt);
	return rc == SQLITE_DONE ? STORE_OK : sq_fail(q, rc);
}

static enum store_err
sq_probe_pending(struct store *st, int64_t *n)
{
	struct sqlite_store	*q = sq_of(st);
	int			 rc;

	return (rc = sq_value(q, SQ_PROBE_PENDING, n)) == SQLITE_OK ? STORE_OK :
	    sq_fail(q, rc);
}

static enum store_err
sq_pcells(struct store *st, enum store_blob blob, int level, int64_t first,
    int64_t last, int64_t host, int slot, store_cell_fn *fn, void *arg)
{

	return cells_range(sq_of(st), blob == STORE_COUNTS ? SQ_PCELLS_COUNTS :
	    SQ_PCELLS_PREFIXES, level, first, last, host, slot, fn, arg);
}

static enum store_err
sq_pcells_first(struct store *st, int level, int64_t *start, bool *found)
{

	return cells_first(sq_of(st), SQ_PCELLS_FIRST, level, start, found);
}

static enum store_err
sq_pcells_get(struct store *st, const struct cell_key *keys, size_t n,
    store_blobs_fn *fn, void *arg)
{

	return cells_get(sq_of(st), SQ_PCELL_COUNTS, SQ_PCELL_PREFIXES, keys, n,
	    fn, arg);
}

static enum store_err
sq_pcells_put(struct store *st, const struct store_cell *cells, size_t n)
{

	return cells_put(sq_of(st), SQ_PCELL_PUT_COUNTS, SQ_PCELL_PUT_PREFIXES,
	    cells, n);
}

/*
 * The -wal into the database and cut to nothing, so the copies of pages
 * it holds (a deleted probe's among them) go.  It waits for readers and
 * writers within the busy timeout; one still busy then (busy = 1 in the
 * answer) keeps the log for the next time.
 */
static enum store_err
sq_checkpoint(struct store *st)
{
	struct sqlite_store	*q = sq_of(st);
	sqlite3_stmt		*stmt;
	int			 rc;

	if ((stmt = sq_stmt(q, SQ_CHECKPOINT, &rc)) == NULL)
		return sq_fail(q, rc);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		continue;
	sq_done(stmt);
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return STORE_OK;
	return rc == SQLITE_DONE ? STORE_OK : sq_fail(q, rc);
}

const struct store_ops	 store_sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.moved = sq_moved,
	.wait_total = sq_wait_total,
	.info = sq_info,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.meta_get = sq_meta_get,
	.meta_set = sq_meta_set,
	.meta_delete = sq_meta_delete,
	.insert = sq_insert,
	.rows = sq_rows,
	.rows_count = sq_rows_count,
	.prune = sq_prune,
	.prefix_find = sq_prefix_find,
	.prefix_first = sq_prefix_first,
	.prefix_add = sq_prefix_add,
	.prefix_max = sq_prefix_max,
	.prefix_aliases = sq_prefix_aliases,
	.prefix_names = sq_prefix_names,
	.host_find = sq_host_find,
	.host_add = sq_host_add,
	.host_max = sq_host_max,
	.host_names = sq_host_names,
	.host_ids = sq_host_ids,
	.cells = sq_cells,
	.cells_first = sq_cells_first,
	.cells_get = sq_cells_get,
	.cells_put = sq_cells_put,
	.imports_find = sq_imports_find,
	.import_newest = sq_import_newest,
	.import_put = sq_import_put,
	/* Readiness probes (issue 10). */
	.probe_insert = sq_probe_insert,
	.probe_back = sq_probe_back,
	.probe_rows = sq_probe_rows,
	.probe_delete = sq_probe_delete,
	.probe_pending = sq_probe_pending,
	.pcells = sq_pcells,
	.pcells_first = sq_pcells_first,
	.pcells_get = sq_pcells_get,
	.pcells_put = sq_pcells_put,
	.checkpoint = sq_checkpoint,
};
