/* store.c: the SQLite database of measurements; the only SQL in dualstat. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "addr.h"
#include "report.h"
#include "store.h"

/* Rows a prune deletes per transaction when the caller gives 0. */
#define STORE_PRUNE_BATCH	1000

/* A series longer than this is a bad query, not a report: ten years hourly. */
#define STORE_SERIES_MAX	(10 * 366 * 24)

struct store {
	sqlite3		*db;
	sqlite3_stmt	*ins;		/* the hot INSERT, prepared once */
	char		*path;
	int		 flags;
	char		 errmsg[256];
};

static const char *const how_names[HOW__MAX] = {
	"page",		/* HOW_PAGE */
	"beacon",	/* HOW_BEACON */
	"authorizer",	/* HOW_AUTHORIZER */
	"record",	/* HOW_RECORD */
};

static const char *const err_names[STORE__MAX] = {
	"ok",			/* STORE_OK */
	"busy",			/* STORE_BUSY */
	"full",			/* STORE_FULL */
	"read-only",		/* STORE_READONLY */
	"schema too new",	/* STORE_TOONEW */
	"cannot open",		/* STORE_CANTOPEN */
	"error",		/* STORE_ERROR */
};

/*
 * migrations[v] takes a database from user_version v to v + 1.  Steps are
 * only ever appended: a released step never changes, because databases in
 * the field were built by it.  Room is left for hourly roll-ups (a later
 * step adds their tables and fills them from request).
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
};

static const char sql_insert[] =
	"INSERT INTO request (time, family, kind, prefix, mapped,"
	" server_family, host, how, via_proxy)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

const char *
store_how_name(enum store_how how)
{

	if ((int)how < 0 || how >= HOW__MAX)
		return "unknown";
	return how_names[how];
}

enum store_how
store_how_from_name(const char *name)
{
	int	 i;

	if (name == NULL)
		return HOW__MAX;
	for (i = 0; i < HOW__MAX; i++)
		if (strcmp(name, how_names[i]) == 0)
			return (enum store_how)i;
	return HOW__MAX;
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

static void
seterr(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
seterr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
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
		seterr(err, errsz, "%s: %s", path, strerror(errno));
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
				seterr(err, errsz,
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
		seterr(err, errsz, "%s: %s", st->path, st->errmsg);
		return store_map(rc);
	}
	if ((rc = store_int(st, "PRAGMA user_version", &v)) != SQLITE_OK)
		goto fail;
	if (v > STORE_SCHEMA_VERSION) {
		exec(st, "ROLLBACK");
		seterr(err, errsz, "%s: database schema %" PRId64
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
	seterr(err, errsz, "%s: %s", st->path, st->errmsg);
	return store_map(rc);
}

enum store_err
store_open(struct store **out, const char *path, int flags,
    unsigned busy_timeout_ms, char *err, size_t errsz)
{
	struct store	*st;
	struct stat	 sb;
	enum store_err	 e;
	int64_t		 v;
	int		 fd, rc, oflags, saved;
	char		 mode[16];

	*out = NULL;
	seterr(err, errsz, "%s", "");
	if (path == NULL || path[0] == '\0') {
		seterr(err, errsz, "no database path");
		return STORE_CANTOPEN;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL ||
	    (st->path = strdup(path)) == NULL) {
		free(st);
		seterr(err, errsz, "%s: %s", path, strerror(errno));
		return STORE_ERROR;
	}
	st->flags = flags;

	if (flags & STORE_READONLY_OPEN) {
		/* A reader never creates: a missing file is the answer. */
		if (stat(path, &sb) == -1) {
			seterr(err, errsz, "cannot open %s: %s", path,
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
			seterr(err, errsz, "cannot open %s: %s", path,
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
		seterr(err, errsz, "%s: %s", path, st->errmsg);
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, (int)(busy_timeout_ms > INT32_MAX ?
	    INT32_MAX : busy_timeout_ms));

	/* Reads only, until the version is known: a newer schema is kept. */
	if ((rc = store_int(st, "PRAGMA user_version", &v)) != SQLITE_OK) {
		e = store_fail(st, rc, "read schema version");
		seterr(err, errsz, "%s: %s", path, st->errmsg);
		goto fail;
	}
	if (v > STORE_SCHEMA_VERSION) {
		seterr(err, errsz, "%s: database schema %" PRId64
		    " is newer than this dualstat (%d)", path, v,
		    STORE_SCHEMA_VERSION);
		e = STORE_TOONEW;
		goto fail;
	}

	if (flags & STORE_READONLY_OPEN) {
		if (v < STORE_SCHEMA_VERSION) {
			seterr(err, errsz, "%s: database schema %" PRId64
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
			seterr(err, errsz, "%s: %s", path, st->errmsg);
			goto fail;
		}
		/* Looked at unlocked first: a busy writer stalls no open. */
		if (v < STORE_SCHEMA_VERSION &&
		    (e = store_migrate(st, err, errsz)) != STORE_OK)
			goto fail;
	}

	rc = sqlite3_prepare_v3(st->db, sql_insert, -1,
	    SQLITE_PREPARE_PERSISTENT, &st->ins, NULL);
	if (rc != SQLITE_OK) {
		e = store_fail(st, rc, "prepare insert");
		seterr(err, errsz, "%s: %s", path, st->errmsg);
		goto fail;
	}
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

	if (st == NULL)
		return;
	sqlite3_finalize(st->ins);
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

/* Length of host cut to STORE_HOST_MAX bytes, not inside a UTF-8 sequence. */
static size_t
host_len(const char *host)
{
	size_t	 n;

	n = strnlen(host, STORE_HOST_MAX + 1);
	if (n <= STORE_HOST_MAX)
		return n;
	n = STORE_HOST_MAX;
	/* host[n] is the first byte dropped: a continuation byte splits. */
	while (n > 0 && ((unsigned char)host[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/* A row that may be written: checked before SQLite sees it. */
static enum store_err
row_check(struct store *st, const struct store_row *row)
{
	if (row->family != 4 && row->family != 6)
		return store_failx(st, STORE_ERROR,
		    "record: family is not 4 or 6");
	if ((int)row->kind < 0 || row->kind >= KIND__MAX)
		return store_failx(st, STORE_ERROR, "record: unknown kind");
	if ((int)row->how < 0 || row->how >= HOW__MAX)
		return store_failx(st, STORE_ERROR,
		    "record: unknown measurement");
	if (row->server_family != 0 && row->server_family != 4 &&
	    row->server_family != 6)
		return store_failx(st, STORE_ERROR,
		    "record: server family is not 0, 4 or 6");
	/* Only a network ("net/bits") reaches the disk, never an address. */
	if (memchr(row->prefix, '\0', sizeof(row->prefix)) == NULL ||
	    strchr(row->prefix, '/') == NULL)
		return store_failx(st, STORE_ERROR,
		    "record: prefix is not a network");
	return STORE_OK;
}

/* Bind and run the prepared INSERT; an SQLite result code. */
static int
row_insert(struct store *st, const struct store_row *row)
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
	    sqlite3_bind_text(st->ins, 7, row->host, (int)host_len(row->host),
	    SQLITE_STATIC))) != SQLITE_OK ||
	    (rc = sqlite3_bind_text(st->ins, 8, store_how_name(row->how), -1,
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
store_record(struct store *st, const struct store_row *row)
{
	enum store_err	 e;
	int		 rc;

	if ((e = row_check(st, row)) != STORE_OK)
		return e;
	/*
	 * Autocommit: when the step is done the row is committed.  With WAL
	 * and synchronous=NORMAL it survives the process dying; only a power
	 * cut may take the last commits.
	 */
	if ((rc = row_insert(st, row)) != SQLITE_OK) {
		store_fail(st, rc, "record");
		return store_map(rc);
	}
	return STORE_OK;
}

enum store_err
store_record_batch(struct store *st, const struct store_row *rows, size_t n,
    const char *key, int64_t value)
{
	enum store_err	 e;
	sqlite3_stmt	*meta = NULL;
	size_t		 i;
	int		 rc;

	for (i = 0; i < n; i++)
		if ((e = row_check(st, &rows[i])) != STORE_OK)
			return e;
	if ((rc = exec(st, "BEGIN IMMEDIATE")) != SQLITE_OK) {
		store_fail(st, rc, "record batch");
		return store_map(rc);
	}
	for (i = 0; i < n; i++)
		if ((rc = row_insert(st, &rows[i])) != SQLITE_OK)
			goto fail;
	if (key != NULL) {
		if ((rc = sqlite3_prepare_v2(st->db,
		    "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
		    -1, &meta, NULL)) != SQLITE_OK ||
		    (rc = sqlite3_bind_text(meta, 1, key, -1, SQLITE_STATIC)) != SQLITE_OK ||
		    (rc = sqlite3_bind_int64(meta, 2, value)) != SQLITE_OK ||
		    (rc = sqlite3_step(meta)) != SQLITE_DONE)
			goto fail;
		sqlite3_finalize(meta);
		meta = NULL;
	}
	if ((rc = exec(st, "COMMIT")) != SQLITE_OK)
		goto fail;
	return STORE_OK;
fail:
	store_fail(st, rc, "record batch");
	sqlite3_finalize(meta);
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

static int
prepare(struct store *st, const char *sql, sqlite3_stmt **stmt)
{

	return sqlite3_prepare_v3(st->db, sql, -1, 0, stmt, NULL);
}

/* Requests by family in [from, to). */
static int
count_family(struct store *st, int64_t from, int64_t to,
    uint64_t *ipv4, uint64_t *ipv6)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*ipv4 = *ipv6 = 0;
	rc = prepare(st, "SELECT family, COUNT(*) FROM request"
	    " WHERE time >= ?1 AND time < ?2 GROUP BY family", &stmt);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, from);
	sqlite3_bind_int64(stmt, 2, to);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (sqlite3_column_int(stmt, 0) == 4)
			*ipv4 = (uint64_t)sqlite3_column_int64(stmt, 1);
		else
			*ipv6 = (uint64_t)sqlite3_column_int64(stmt, 1);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

enum store_err
store_count(struct store *st, int64_t from, int64_t to,
    uint64_t *ipv4, uint64_t *ipv6)
{
	int	 rc;

	if ((rc = count_family(st, from, to, ipv4, ipv6)) != SQLITE_OK)
		return store_fail(st, rc, "count");
	return STORE_OK;
}

static int
report_kinds(struct store *st, const struct report_query *q,
    struct report *rep)
{
	sqlite3_stmt		*stmt;
	struct report_kind	*k;
	size_t			 cap = 0;
	int			 rc;

	rc = prepare(st, "SELECT family, kind, mapped, COUNT(*) AS n"
	    " FROM request WHERE time >= ?1 AND time < ?2"
	    " GROUP BY family, kind, mapped"
	    " ORDER BY family, n DESC, kind, mapped", &stmt);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, q->from);
	sqlite3_bind_int64(stmt, 2, q->to);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (rep->nkinds == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			k = reallocarray(rep->kinds, cap, sizeof(*k));
			if (k == NULL) {
				rc = SQLITE_NOMEM;
				break;
			}
			rep->kinds = k;
		}
		k = &rep->kinds[rep->nkinds++];
		k->family = sqlite3_column_int(stmt, 0);
		/* A name this binary does not know is KIND__MAX: "unknown". */
		k->kind = addr_kind_from_name(
		    (const char *)sqlite3_column_text(stmt, 1));
		k->mapped = sqlite3_column_int(stmt, 2) != 0;
		k->requests = (uint64_t)sqlite3_column_int64(stmt, 3);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int
report_unique(struct store *st, const struct report_query *q,
    struct report *rep)
{
	sqlite3_stmt	*stmt;
	uint64_t	 n;
	int		 rc;

	rc = prepare(st, "SELECT family, COUNT(DISTINCT prefix) FROM request"
	    " WHERE time >= ?1 AND time < ?2 GROUP BY family", &stmt);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, q->from);
	sqlite3_bind_int64(stmt, 2, q->to);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		n = (uint64_t)sqlite3_column_int64(stmt, 1);
		if (sqlite3_column_int(stmt, 0) == 4)
			rep->unique_ipv4 = n;
		else
			rep->unique_ipv6 = n;
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int
report_prefixes(struct store *st, const struct report_query *q,
    struct report *rep)
{
	sqlite3_stmt		*stmt;
	struct report_prefix	*p;
	const unsigned char	*s;
	size_t			 cap = 0;
	int			 rc;

	if (q->top == 0)
		return SQLITE_OK;
	/* A prefix whose addresses classify differently shows once per kind. */
	rc = prepare(st, "SELECT prefix, family, kind, COUNT(*) AS n"
	    " FROM request WHERE time >= ?1 AND time < ?2"
	    " GROUP BY prefix, family, kind"
	    " ORDER BY n DESC, prefix, family, kind LIMIT ?3", &stmt);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, q->from);
	sqlite3_bind_int64(stmt, 2, q->to);
	sqlite3_bind_int64(stmt, 3, q->top);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (rep->nprefixes == cap) {
			cap = cap == 0 ? (q->top < 16 ? q->top : 16) : cap * 2;
			p = reallocarray(rep->prefixes, cap, sizeof(*p));
			if (p == NULL) {
				rc = SQLITE_NOMEM;
				break;
			}
			rep->prefixes = p;
		}
		p = &rep->prefixes[rep->nprefixes++];
		s = sqlite3_column_text(stmt, 0);
		/* Rows this store wrote always fit; a longer one is cut. */
		(void)snprintf(p->prefix, sizeof(p->prefix), "%s",
		    s != NULL ? (const char *)s : "");
		p->family = sqlite3_column_int(stmt, 1);
		p->kind = addr_kind_from_name(
		    (const char *)sqlite3_column_text(stmt, 2));
		p->requests = (uint64_t)sqlite3_column_int64(stmt, 3);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Counted in SQL, laid on a zero-filled array: quiet hours show as 0. */
static int
report_series(struct store *st, const struct report_query *q,
    struct report *rep, size_t n)
{
	sqlite3_stmt	*stmt;
	size_t		 i;
	int64_t		 b;
	uint64_t	 c;
	int		 rc;

	if (n == 0)
		return SQLITE_OK;
	if ((rep->series = calloc(n, sizeof(*rep->series))) == NULL)
		return SQLITE_NOMEM;
	rep->nseries = n;
	for (i = 0; i < n; i++)
		rep->series[i].start = q->from + (int64_t)i * q->bucket;

	rc = prepare(st, "SELECT (time - ?1) / ?3 AS b, family, COUNT(*)"
	    " FROM request WHERE time >= ?1 AND time < ?2"
	    " GROUP BY b, family", &stmt);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(stmt, 1, q->from);
	sqlite3_bind_int64(stmt, 2, q->to);
	sqlite3_bind_int64(stmt, 3, q->bucket);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		b = sqlite3_column_int64(stmt, 0);
		if (b < 0 || (uint64_t)b >= n)
			continue;
		c = (uint64_t)sqlite3_column_int64(stmt, 2);
		if (sqlite3_column_int(stmt, 1) == 4)
			rep->series[b].ipv4 = c;
		else
			rep->series[b].ipv6 = c;
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

enum store_err
store_report(struct store *st, const struct report_query *q, struct report *rep)
{
	uint64_t	 span, n;
	int		 rc;

	memset(rep, 0, sizeof(*rep));
	rep->q = *q;
	if (q->bucket == 0)
		return store_failx(st, STORE_ERROR, "report: bucket is 0");
	/* from >= 0 keeps time - from and from + i * bucket inside int64. */
	if (q->from < 0 || q->to < q->from)
		return store_failx(st, STORE_ERROR, "report: bad period");
	span = (uint64_t)(q->to - q->from);
	n = span / q->bucket + (span % q->bucket != 0);
	if (n > STORE_SERIES_MAX)
		return store_failx(st, STORE_ERROR, "report: too many buckets");

	/* One read transaction: every figure comes from the same snapshot. */
	if ((rc = exec(st, "BEGIN")) != SQLITE_OK)
		goto fail;
	if ((rc = count_family(st, q->from, q->to, &rep->ipv4,
	    &rep->ipv6)) != SQLITE_OK ||
	    (rc = report_kinds(st, q, rep)) != SQLITE_OK ||
	    (rc = report_unique(st, q, rep)) != SQLITE_OK ||
	    (rc = report_prefixes(st, q, rep)) != SQLITE_OK ||
	    (rc = report_series(st, q, rep, (size_t)n)) != SQLITE_OK) {
		store_fail(st, rc, "report");
		exec(st, "ROLLBACK");
		report_free(rep);
		return store_map(rc);
	}
	rep->total = rep->ipv4 + rep->ipv6;
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
	struct stat	 sb;
	int64_t		 v;
	int		 rc;

	memset(info, 0, sizeof(*info));
	info->size = stat(st->path, &sb) == 0 ? (int64_t)sb.st_size : -1;
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
	rc = prepare(st, "DELETE FROM request WHERE id IN"
	    " (SELECT id FROM request WHERE time < ?1 LIMIT ?2)", &stmt);
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

enum store_err
store_maintain(struct store *st, int64_t now)
{
	(void)st;
	(void)now;
	return STORE_OK;
}
