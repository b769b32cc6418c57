/* check_store.c: the store: records, reports and roll-ups for every backend; the SQLite file, schema, locks, moves and privacy. */
#include "autoconf.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>
#ifdef HAVE_LIBPQ
#include <libpq-fe.h>
#endif

#include "check_suites.h"
#include "report.h"
#include "store.h"

/* A UTC midnight, so hourly and daily buckets line up with the data. */
#define T0	((int64_t)1699920000)
#define HOUR	3600
#define DAY	86400
/*
 * The busy timeout of a test that is not about waiting: on PostgreSQL it is
 * statement_timeout too (store_pg.c), and a busy machine (CI beside other
 * jobs, valgrind) can make one of the roll-up tests' statements take a
 * second.  The tests of busy use their own, shorter ones.
 */
#define OPEN_MS	10000

/* A query over every host and every way of measuring. */
#define RQ(f, t, b, n)	((struct report_query){ .from = (f), .to = (t),	\
	.bucket = (b), .top = (n), .host = "", .how = -1 })

/* Made once in the parent (unchecked fixture); each test takes a folder below it. */
static char	 root[PATH_MAX];

static void
root_setup(void)
{
	const char	*tmp;

	if ((tmp = getenv("TMPDIR")) == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	if (snprintf(root, sizeof(root), "%s/check_store.XXXXXX", tmp) >= (int)sizeof(root) ||
	    mkdtemp(root) == NULL)
		ck_abort_msg("mkdtemp under %s: %s", tmp, strerror(errno));
}

static int
rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{

	(void)sb;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

static void
root_teardown(void)
{

	if (root[0] != '\0')
		nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A fresh folder for one test; dir gets its path. */
static void
newdir(char *dir, size_t size)
{

	ck_assert_int_lt(snprintf(dir, size, "%s/t.XXXXXX", root), (int)size);
	ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
}

static void
join(char *out, size_t size, const char *dir, const char *name)
{

	ck_assert_int_lt(snprintf(out, size, "%s/%s", dir, name), (int)size);
}

static struct store *
open_ok(const char *path, int flags, unsigned busy)
{
	struct store	*st;
	char		 err[256];
	enum store_err	 e;

	e = store_open(&st, path, flags, busy, err, sizeof(err));
	ck_assert_msg(e == STORE_OK, "store_open %s: %s (%s)", path,
	    store_err_name(e), err);
	ck_assert_ptr_nonnull(st);
	return st;
}

static struct row
row_at(int64_t t, int family, enum addr_kind kind, const char *prefix)
{
	struct row		 r;

	memset(&r, 0, sizeof(r));
	r.time = t;
	r.family = family;
	r.kind = kind;
	ck_assert_int_lt(snprintf(r.prefix, sizeof(r.prefix), "%s", prefix),
	    (int)sizeof(r.prefix));
	r.server_family = family;
	r.host = "example.org";
	r.how = HOW_BEACON;
	return r;
}

static void
record_ok(struct store *st, int64_t t, int family, enum addr_kind kind,
    const char *prefix)
{
	struct row		 r;
	enum store_err		 e;

	r = row_at(t, family, kind, prefix);
	e = store_record(st, &r);
	ck_assert_msg(e == STORE_OK, "store_record: %s (%s)",
	    store_err_name(e), store_errmsg(st));
}

/* A second, plain SQLite connection: to look at what the store wrote. */
static sqlite3 *
raw_open(const char *path, int flags)
{
	sqlite3	*db = NULL;
	int	 rc;

	rc = sqlite3_open_v2(path, &db, flags, NULL);
	ck_assert_msg(rc == SQLITE_OK, "sqlite3_open_v2 %s: %s", path,
	    sqlite3_errstr(rc));
	return db;
}

static int64_t
raw_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*stmt;
	int64_t		 v;
	int		 rc;

	rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
	rc = sqlite3_step(stmt);
	ck_assert_msg(rc == SQLITE_ROW, "%s: %s", sql, sqlite3_errmsg(db));
	v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

static void
raw_exec(sqlite3 *db, const char *sql)
{
	int	 rc;

	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
}


/*
 * The backend under test.  The backend-neutral tests are loop tests over
 * backends[] (their _i): each names its database through the backend and
 * looks at what the store wrote through it, in SQL that SQLite and
 * PostgreSQL both speak (COALESCE, CASE, window functions; no IFNULL, no
 * sums of booleans).  Issue 12's PostgreSQL is one more row of backends[],
 * with its two functions.  Tests of what only SQLite has (the file, its
 * modes, WAL, locks taken by hand, a file moved) are in the "sqlite"
 * TCase, and use be's SQLite functions directly.
 */
struct backend {
	const char	*name;
	/* The database string of a database called name in the test folder dir. */
	void		(*db)(char *out, size_t size, const char *dir, const char *name);
	/* Each row sql answers, read behind the store's back: columns as text, NULL for NULL. */
	void		(*query)(const char *db, const char *sql,
			    void (*row)(void *arg, int ncol, const char *const *col),
			    void *arg);
};

static void
sqlite_db(char *out, size_t size, const char *dir, const char *name)
{

	join(out, size, dir, name);
}

static void
sqlite_query(const char *db, const char *sql,
    void (*row)(void *, int, const char *const *), void *arg)
{
	const char	*col[16];
	sqlite3		*h;
	sqlite3_stmt	*stmt;
	int		 rc, i, n;

	h = raw_open(db, SQLITE_OPEN_READWRITE);
	rc = sqlite3_prepare_v2(h, sql, -1, &stmt, NULL);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(h));
	n = sqlite3_column_count(stmt);
	ck_assert_int_le(n, 16);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		for (i = 0; i < n; i++)
			col[i] = (const char *)sqlite3_column_text(stmt, i);
		row(arg, n, col);
	}
	ck_assert_msg(rc == SQLITE_DONE, "%s: %s", sql, sqlite3_errmsg(h));
	sqlite3_finalize(stmt);
	sqlite3_close(h);
}

#ifdef HAVE_LIBPQ
/*
 * PostgreSQL: the server tests/pg_store.sh started, named by
 * DUALSTAT_TEST_PG (a libpq URI).  Each database of a test is a schema of
 * its own in that one database, named by a hash of the test's folder and
 * the name, reached through the URI's options (search_path): the store
 * makes its tables there as in an empty database.
 */
static void
pg_db(char *out, size_t size, const char *dir, const char *name)
{
	const char	*base = getenv("DUALSTAT_TEST_PG");
	char		 sql[128], schema[32];
	uint64_t	 h = 1469598103934665603ULL;
	const char	*p;
	PGconn		*c;
	PGresult	*res;

	ck_assert_ptr_nonnull(base);
	for (p = dir; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ '/') * 1099511628211ULL;
	for (p = name; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	(void)snprintf(schema, sizeof(schema), "t%016" PRIx64, h);
	c = PQconnectdb(base);
	ck_assert_msg(PQstatus(c) == CONNECTION_OK, "%s", PQerrorMessage(c));
	(void)snprintf(sql, sizeof(sql), "CREATE SCHEMA IF NOT EXISTS %s", schema);
	res = PQexec(c, sql);
	ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK, "%s: %s", sql,
	    PQerrorMessage(c));
	PQclear(res);
	PQfinish(c);
	ck_assert_int_lt(snprintf(out, size, "%s%soptions=-csearch_path%%3D%s", base,
	    strchr(base, '?') != NULL ? "&" : "?", schema), (int)size);
}

static void
pg_query(const char *db, const char *sql,
    void (*row)(void *, int, const char *const *), void *arg)
{
	const char	*col[16];
	PGconn		*c;
	PGresult	*res;
	int		 i, r, n;

	c = PQconnectdb(db);
	ck_assert_msg(PQstatus(c) == CONNECTION_OK, "%s", PQerrorMessage(c));
	res = PQexec(c, sql);
	ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK ||
	    PQresultStatus(res) == PGRES_COMMAND_OK, "%s: %s", sql,
	    PQerrorMessage(c));
	n = PQnfields(res);
	ck_assert_int_le(n, 16);
	for (r = 0; r < PQntuples(res); r++) {
		for (i = 0; i < n; i++)
			col[i] = PQgetisnull(res, r, i) ? NULL : PQgetvalue(res, r, i);
		row(arg, n, col);
	}
	PQclear(res);
	PQfinish(c);
}
#endif

static const struct backend	 backends[] = {
	{ "sqlite", sqlite_db, sqlite_query },
#ifdef HAVE_LIBPQ
	{ "postgresql", pg_db, pg_query },
#endif
};
/*
 * The backends the loop tests run over: SQLite always, PostgreSQL when a
 * server was given (tests/pg_store.sh does; a plain run has none).
 */
static int	 nbackends = 1;
#define NBACKENDS	nbackends

/* The SQLite-only tests use the first; a loop test picks its own. */
static const struct backend	*be = &backends[0];

static void
use_backend(int i)
{

	ck_assert_int_lt(i, NBACKENDS);
	be = &backends[i];
}

static void
dbname(char *out, size_t size, const char *dir, const char *name)
{

	be->db(out, size, dir, name);
}

/* Statements (no rows wanted) on db of the current backend, behind the store's back. */
static void
exec_sql(const char *db, const char *sql)
{
#ifdef HAVE_LIBPQ
	PGconn		*c;
	PGresult	*res;

	if (be != &backends[0]) {
		c = PQconnectdb(db);
		ck_assert_msg(PQstatus(c) == CONNECTION_OK, "%s", PQerrorMessage(c));
		res = PQexec(c, sql);
		ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK, "%s: %s", sql,
		    PQerrorMessage(c));
		PQclear(res);
		PQfinish(c);
		return;
	}
#endif
	sqlite3	*h = raw_open(db, SQLITE_OPEN_READWRITE);

	raw_exec(h, sql);
	sqlite3_close(h);
}

struct one_int {
	int64_t	 v;
	int	 rows;
};

static void
one_int_row(void *arg, int ncol, const char *const *col)
{
	struct one_int	*o = arg;

	ck_assert_int_ge(ncol, 1);
	if (o->rows++ == 0)
		o->v = col[0] != NULL ? strtoll(col[0], NULL, 10) : 0;
}

/* The integer sql answers (0 for NULL), read behind the store's back. */
static int64_t
db_int(const char *db, const char *sql)
{
	struct one_int	 o = { 0, 0 };

	be->query(db, sql, one_int_row, &o);
	ck_assert_msg(o.rows == 1, "%s: %d rows", sql, o.rows);
	return o.v;
}

/* Up to TEXT_ROWS rows of up to TEXT_COLS columns, as text. */
#define TEXT_ROWS	16
#define TEXT_COLS	10
struct text_rows {
	int	 n;
	char	*col[TEXT_ROWS][TEXT_COLS];	/* NULL for NULL */
};

static void
text_row(void *arg, int ncol, const char *const *col)
{
	struct text_rows	*t = arg;
	int			 i;

	ck_assert_int_lt(t->n, TEXT_ROWS);
	ck_assert_int_le(ncol, TEXT_COLS);
	for (i = 0; i < ncol; i++)
		if (col[i] != NULL)
			ck_assert_ptr_nonnull(t->col[t->n][i] = strdup(col[i]));
	t->n++;
}

/* The rows sql answers, behind the store's back; release with text_free(). */
static void
db_rows(const char *db, const char *sql, struct text_rows *t)
{

	memset(t, 0, sizeof(*t));
	be->query(db, sql, text_row, t);
}

static void
text_free(struct text_rows *t)
{
	int	 i, j;

	for (i = 0; i < TEXT_ROWS; i++)
		for (j = 0; j < TEXT_COLS; j++)
			free(t->col[i][j]);
	memset(t, 0, sizeof(*t));
}

/* Whole file into memory; *len 0 and NULL when it does not exist. */
static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE		*f;
	unsigned char	*p = NULL;
	size_t		 cap = 0, n;

	*len = 0;
	if ((f = fopen(path, "rb")) == NULL) {
		ck_assert_msg(errno == ENOENT, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (*len == cap) {
			cap = cap == 0 ? 65536 : cap * 2;
			ck_assert_ptr_nonnull(p = realloc(p, cap));
		}
		if ((n = fread(p + *len, 1, cap - *len, f)) == 0)
			break;
		*len += n;
	}
	ck_assert_int_eq(ferror(f), 0);
	fclose(f);
	return p;
}

static bool
file_has(const char *path, const void *needle, size_t nlen)
{
	unsigned char	*p;
	size_t		 len;
	bool		 found;

	p = slurp(path, &len);
	found = p != NULL && memmem(p, len, needle, nlen) != NULL;
	free(p);
	return found;
}

static double
now_mono(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(test_create_modes)
{
	char		 dir[PATH_MAX], sub[PATH_MAX], path[PATH_MAX], aux[PATH_MAX];
	struct store	*st;
	struct stat	 sb;
	mode_t		 old;

	newdir(dir, sizeof(dir));
	join(path, sizeof(path), dir, "a/b/dualstat.db");
	/* With no umask to help, the modes must come from the store itself. */
	old = umask(0);
	st = open_ok(path, 0, OPEN_MS);
	record_ok(st, T0, 6, KIND_GLOBAL, "2001:db8:1::/48");
	umask(old);

	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 07777, 0600);
	ck_assert(S_ISREG(sb.st_mode));
	join(sub, sizeof(sub), dir, "a");
	ck_assert_int_eq(stat(sub, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 07777, 0700);
	join(sub, sizeof(sub), dir, "a/b");
	ck_assert_int_eq(stat(sub, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 07777, 0700);
	/* The WAL holds row data too, so it must be as private as the file. */
	join(aux, sizeof(aux), dir, "a/b/dualstat.db-wal");
	ck_assert_int_eq(stat(aux, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 07777, 0600);
	join(aux, sizeof(aux), dir, "a/b/dualstat.db-shm");
	ck_assert_int_eq(stat(aux, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 07777, 0600);
	store_close(st);
}
END_TEST

START_TEST(test_wal_and_version)
{
	char		 dir[PATH_MAX], path[PATH_MAX], mode[16];
	struct store	*st;
	sqlite3		*db;
	sqlite3_stmt	*stmt;

	newdir(dir, sizeof(dir));
	join(path, sizeof(path), dir, "d.db");
	st = open_ok(path, 0, OPEN_MS);
	db = raw_open(path, SQLITE_OPEN_READWRITE);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
	snprintf(mode, sizeof(mode), "%s", (const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	ck_assert_str_eq(mode, "wal");
	ck_assert_int_eq(raw_int(db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	ck_assert_int_eq(raw_int(db, "SELECT COUNT(*) FROM sqlite_schema"
	    " WHERE type = 'index' AND name = 'request_time'"), 1);
	sqlite3_close(db);
	store_close(st);

	/* A second open of a current database changes nothing and works. */
	st = open_ok(path, 0, OPEN_MS);
	store_close(st);
	ck_assert_int_eq(db_int(path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
}
END_TEST

START_TEST(test_row_columns)
{
	char			 dir[PATH_MAX], db[PATH_MAX];
	struct store		*st;
	struct row		 r;
	struct text_rows	 t;

	use_backend(_i);
	newdir(dir, sizeof(dir));
	dbname(db, sizeof(db), dir, "d.db");
	st = open_ok(db, 0, OPEN_MS);
	r = row_at(T0 + 42, 4, KIND_CGNAT, "100.64.1.0/24");
	r.mapped = true;
	r.server_family = 6;
	r.host = "www.example.org";
	r.how = HOW_AUTHORIZER;
	r.via_proxy = true;
	ck_assert_int_eq(store_record(st, &r), STORE_OK);
	r = row_at(T0 + 43, 6, KIND_TEREDO, "2001:0:4136::/48");
	r.host = NULL;
	r.server_family = 0;
	r.how = HOW_RECORD;
	ck_assert_int_eq(store_record(st, &r), STORE_OK);

	/* Names, not numbers, so the sqlite3 CLI shows readable data. */
	db_rows(db, "SELECT time, family, kind, prefix, mapped, server_family, host,"
	    " how, via_proxy FROM request ORDER BY id", &t);
	ck_assert_int_eq(t.n, 2);
	ck_assert_int_eq(strtoll(t.col[0][0], NULL, 10), T0 + 42);
	ck_assert_str_eq(t.col[0][1], "4");
	ck_assert_str_eq(t.col[0][2], "cgnat");
	ck_assert_str_eq(t.col[0][3], "100.64.1.0/24");
	ck_assert_str_eq(t.col[0][4], "1");
	ck_assert_str_eq(t.col[0][5], "6");
	ck_assert_str_eq(t.col[0][6], "www.example.org");
	ck_assert_str_eq(t.col[0][7], "authorizer");
	ck_assert_str_eq(t.col[0][8], "1");
	ck_assert_str_eq(t.col[1][2], "teredo");
	ck_assert_ptr_null(t.col[1][6]);
	ck_assert_str_eq(t.col[1][5], "0");
	ck_assert_str_eq(t.col[1][7], "record");
	ck_assert_str_eq(t.col[1][8], "0");
	text_free(&t);
	store_close(st);
}
END_TEST

/* 8 IPv6 and 6 IPv4 rows, spread over the first hours of day T0. */
static void
seed_report(struct store *st)
{
	struct row		 r;
	int			 i;

	for (i = 0; i < 4; i++)
		record_ok(st, T0 + i * HOUR, 6, KIND_DOCUMENTATION, "2001:db8:2::/48");
	for (i = 0; i < 3; i++)
		record_ok(st, T0 + 5 * HOUR + i, 6, KIND_DOCUMENTATION, "2001:db8:1::/48");
	record_ok(st, T0 + 23 * HOUR + 3599, 6, KIND_TEREDO, "2001:0:1::/48");
	for (i = 0; i < 3; i++)
		record_ok(st, T0 + 2 * HOUR, 4, KIND_PRIVATE, "10.0.0.0/24");
	record_ok(st, T0 + 7, 4, KIND_GLOBAL, "198.51.100.0/24");
	record_ok(st, T0 + 8, 4, KIND_GLOBAL, "198.51.100.0/24");
	r = row_at(T0 + 9, 4, KIND_GLOBAL, "198.51.100.0/24");
	r.mapped = true;
	ck_assert_int_eq(store_record(st, &r), STORE_OK);
}

START_TEST(test_report_counts)
{
	static const struct {
		int		 family;
		enum addr_kind	 kind;
		bool		 mapped;
		uint64_t	 requests;
	} kinds[] = {
		{ 4, KIND_PRIVATE, false, 3 },
		{ 4, KIND_GLOBAL, false, 2 },
		{ 4, KIND_GLOBAL, true, 1 },
		{ 6, KIND_DOCUMENTATION, false, 7 },
		{ 6, KIND_TEREDO, false, 1 },
	};
	static const struct {
		const char	*prefix;
		int		 family;
		enum addr_kind	 kind;
		uint64_t	 requests;
	} top[] = {
		/* By family, busiest first; ties go by prefix text. */
		{ "10.0.0.0/24", 4, KIND_PRIVATE, 3 },
		{ "198.51.100.0/24", 4, KIND_GLOBAL, 3 },
		{ "2001:db8:2::/48", 6, KIND_DOCUMENTATION, 4 },
		{ "2001:db8:1::/48", 6, KIND_DOCUMENTATION, 3 },
		{ "2001:0:1::/48", 6, KIND_TEREDO, 1 },
	};
	char			 dir[PATH_MAX], db[PATH_MAX];
	struct store		*st;
	struct report_query	 q = RQ(T0, T0 + DAY, HOUR, 10);
	struct report		 rep;
	size_t			 i;

	use_backend(_i);
	newdir(dir, sizeof(dir));
	dbname(db, sizeof(db), dir, "d.db");
	st = open_ok(db, 0, OPEN_MS);
	seed_report(st);

	ck_assert_int_eq(store_report(st, &q, &rep), STORE_OK);
	ck_assert_int_eq(rep.q.from, T0);
	ck_assert_int_eq(rep.q.to, T0 + DAY);
	ck_assert_uint_eq(rep.q.top, 10);
	ck_assert_uint_eq(rep.total, 14);
	ck_assert_uint_eq(rep.ipv4, 6);
	ck_assert_uint_eq(rep.ipv6, 8);
	ck_assert_uint_eq(rep.unique_ipv4, 2);
	ck_assert_uint_eq(rep.unique_ipv6, 3);
	ck_assert_uint_eq(rep.nkinds, sizeof(kinds) / sizeof(kinds[0]));
	for (i = 0; i < rep.nkinds; i++) {
		ck_assert_msg(rep.kinds[i].family == kinds[i].family &&
		    rep.kinds[i].kind == kinds[i].kind &&
		    rep.kinds[i].mapped == kinds[i].mapped &&
		    rep.kinds[i].requests == kinds[i].requests,
		    "kinds[%zu]: %d %s %d %ju", i, rep.kinds[i].family,
		    addr_kind_name(rep.kinds[i].kind), rep.kinds[i].mapped,
		    (uintmax_t)rep.kinds[i].requests);
	}
	ck_assert_uint_eq(rep.nprefixes, sizeof(top) / sizeof(top[0]));
	for (i = 0; i < rep.nprefixes; i++) {
		ck_assert_msg(strcmp(rep.prefixes[i].prefix, top[i].prefix) == 0 &&
		    rep.prefixes[i].family == top[i].family &&
		    rep.prefixes[i].kind == top[i].kind &&
		    rep.prefixes[i].requests == top[i].requests,
		    "prefixes[%zu]: %s %d %ju", i, rep.prefixes[i].prefix,
		    rep.prefixes[i].family, (uintmax_t)rep.prefixes[i].requests);
	}
	report_free(&rep);
	ck_assert_ptr_null(rep.kinds);
	ck_assert_uint_eq(rep.nseries, 0);

	/* top cuts each family's list after its busiest. */
	q.top = 1;
	ck_assert_int_eq(store_report(st, &q, &rep), STORE_OK);
	ck_assert_uint_eq(rep.nprefixes, 2);
	ck_assert_str_eq(rep.prefixes[0].prefix, "10.0.0.0/24");
	ck_assert_str_eq(rep.prefixes[1].prefix, "2001:db8:2::/48");
	report_free(&rep);
	store_close(st);
}
END_TEST

START_TEST(test_report_hourly)
{
	char			 dir[PATH_MAX], db[PATH_MAX];
	struct store		*st;
	struct report_query	 q = RQ(T0, T0 + DAY, HOUR, 10);
	struct report		 rep;
	uint64_t		 v4[24] = { 0 }, v6[24] = { 0 };
	size_t			 i;

	use_backend(_i);
	newdir(dir, sizeof(dir));
	dbname(db, sizeof(db), dir, "d.db");
	st = open_ok(db, 0, OPEN_MS);
	seed_report(st);
	v6[0] = v6[1] = v6[2] = v6[3] = 1;
	v6[5] = 3;
	v6[23] = 1;
	v4[0] = 3;
	v4[2] = 3;

	ck_assert_int_eq(store_report(st, &q, &rep), STORE_OK);
	ck_assert_uint_eq(rep.nseries, 24);
	for (i = 0; i < 24; i++) {
		ck_assert_int_eq(rep.series[i].start, T0 + (int64_t)i * HOUR);
		ck_assert_msg(rep.series[i].ipv4 == v4[i] && rep.series[i].ipv6 == v6[i],
		    "hour %zu: %ju/%ju, want %ju/%ju", i,
		    (uintmax_t)rep.series[i].ipv4, (uintmax_t)rep.series[i].ipv6,
		    (uintmax_t)v4[i], (uintmax_t)v6[i]);
	}
	report_free(&rep);
	store_close(st);
}
END_TEST

START_TEST(test_report_daily)
{
	char			 dir[PATH_MAX], db[PATH_MAX];
	struct store		*st;
	struct report_query	 q = RQ(T0, T0 + 7 * DAY, DAY, 10);
	struct report		 rep;
	size_t			 i;

	use_backend(_i);
	newdir(dir, sizeof(dir));
	dbname(db, sizeof(db), dir, "d.db");
	st = open_ok(db, 0, OPEN_MS);
	/* Day 0: 2 v6; day 3: 1 v4 at its last second; day 6: 1 v6 at its first. */
	record_ok(st, T0, 6, KIND_GLOBAL, "2a00:1450:4001::/48");
	record_ok(st, T0 + DAY - 1, 6, KIND_GLOBAL, "2a00:1450:4001::/48");
	record_ok(st, T0 + 4 * DAY - 1, 4, KIND_GLOBAL, "192.0.2.0/24");
	record_ok(st, T0 + 6 * DAY, 6, KIND_GLOBAL, "2a00:1450:4002::/48");
	/* Outside the week: not in the series, not in the totals. */
	record_ok(st, T0 + 7 * DAY, 4, KIND_GLOBAL, "192.0.2.0/24");

	ck_assert_int_eq(store_report(st, &q, &rep), STORE_OK);
	ck_assert_uint_eq(rep.nseries, 7);
	ck_assert_uint_eq(rep.total, 4);
	for (i = 0; i < 7; i++) {
		ck_assert_int_eq(rep.series[i].start, T0 + (int64_t)i * DAY);
		ck_assert_uint_eq(rep.series[i].ipv4, i == 3 ? 1 : 0);
		ck_assert_uint_eq(rep.series[i].ipv6, i == 0 ? 2 : i == 6 ? 1 : 0);
	}
	report_free(&rep);
	store_close(st);
}
END_TEST

START_TEST(test_report_bounds)
{
	char			 dir[PATH_MAX], db[PATH_MAX];
	struct store		*st;
	struct report_query	 q = RQ(T0 + HOUR, T0 + 3 * HOUR, HOUR, 10);
	struct report		 rep;
	uint64_t		 v4, v6;

	use_backend(_i);
	newdir(dir, sizeof(dir));
	dbname(db, sizeof(db), dir, "d.db");
	st = open_ok(db, 0, OPEN_MS);
	record_ok(st, T0 + HOUR - 1, 6, KIND_GLOBAL, "2001:db8::/48");	/* before from */
	record_ok(st, T0 + HOUR, 6, KIND_GLOBAL, "2001:db8::/48");	/* at from: in */
	record_ok(st, T0 + 3 * HOUR - 1, 4, KIND_GLOBAL, "192.0.2.0/24");	/* last second: in */
	record_ok(st, T0 + 3 * HOUR, 4, KIND_GLOBAL, "192.0.2.0/24");	/* at to: out */

	ck_assert_int_eq(store_report(st, &q, &rep), STORE_OK);
	ck_assert_uint_eq(rep.total, 2);
	ck_assert_uint_eq(rep.ipv4, 1);
	ck_assert_uint_eq(rep.ipv6, 1);
	ck_assert_uint_eq(rep.nseries, 2);
	ck_assert_uint_eq(rep.series[0].ipv6, 1);
	ck_assert_uint_eq(rep.series[0].ipv4, 0);
	ck_assert_uint_eq(rep.series[1].ipv4, 1);
	ck_assert_uint_eq(rep.series[1].ipv6, 0);
	report_free(&rep);

	ck_assert_int_eq(store_count(st, T0 + HOUR, T0 + 3 * HOUR, &v4, &v6), STORE_OK);
	ck_assert_uint_eq(v4, 1);
	ck_assert_uint_eq(v6, 1);
	ck_assert_int_eq(store_count(st, 0, INT64_MAX, &v4, &v6), STORE_OK);
	ck_assert_uint_eq(v4, 2);
	ck_assert_uint_eq(v6, 2);
	/* A count starts at the hour: the row at T0 + 3 h is in (store.h). */
	ck_assert_int_eq(store_count(st, T0 + 3 * HOUR + 1, INT64_MAX, &v4, &v6), STORE_OK);
	ck_assert_uint_eq(v4, 1);
	ck_assert_uint_eq(v6, 0);
	ck_assert_int_eq(store_count(st, T0 + 4 * HOUR, INT64_MAX, &v4, &v6), STORE_OK);
	ck_assert_uint_eq(v4, 0);
	ck_assert_uint_eq(v6, 0);
	store_close(st);
}
END_TEST

/* A database some later dualstat wrote: schema 2, one table of its own. */
static void
make_newer(const char *path)
{
	sqlite3	*db;
	char	 sql[64];

	db = raw_open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	raw_exec(db, "CREATE TABLE future (x INTEGER)");
	raw_exec(db, "INSERT INTO future VALUES (1)");
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", STORE_SCHEMA_VERSION + 1);
	raw_exec(db, sql);
	sqlite3_close(db);
}

START_TEST(test_too_new)
{
	char		 dir[PATH_MAX], path[PATH_MAX], wal[PATH_MAX], want[128];
	char		 err[512];
	struct store	*st = (struct store *)&st;
	unsigned char	*before, *after;
	size_t		 blen, alen;
	struct stat	 sb;

	newdir(dir, sizeof(dir));
	join(path, sizeof(path), dir, "d.db");
	join(wal, sizeof(wal), dir, "d.db-wal");
	make_newer(path);
	before = slurp(path, &blen);
	ck_assert_ptr_nonnull(before);
	snprintf(want, sizeof(want), "database schema %d is newer than this dualstat (%d)",
	    STORE_SCHEMA_VERSION + 1, STORE_SCHEMA_VERSION);

	ck_assert_int_eq(store_open(&st, path, 0, 1000, err, sizeof(err)), STORE_TOONEW);
	ck_assert_ptr_null(st);
	ck_assert_msg(strstr(err, want) != NULL, "err: %s", err);
	/* Not one byte changed, and no switch to WAL. */
	after = slurp(path, &alen);
	ck_assert_uint_eq(alen, blen);
	ck_assert_int_eq(memcmp(before, after, blen), 0);
	ck_assert_int_eq(stat(wal, &sb), -1);
	free(after);

	st = (struct store *)&st;
	ck_assert_int_eq(store_open(&st, path, STORE_READONLY_OPEN, 1000, err,
	    sizeof(err)), STORE_TOONEW);
	ck_assert_ptr_null(st);
	ck_assert_msg(strstr(err, want) != NULL, "err: %s", err);
	after = slurp(path, &alen);
	ck_assert_uint_eq(alen, blen);
	ck_assert_int_eq(memcmp(before, after, blen), 0);
	free(after);
	free(before);
}
END_TEST

START_TEST(test_migrate_empty_file)
{
	char		 dir[PATH_MAX], path[PATH_MAX];
	struct store	*st;
	FILE		*f;

	newdir(dir, sizeof(dir));
	join(path, sizeof(path), dir, "d.db");
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fclose(f);

	st = open_ok(path, 0, OPEN_MS);
	record_ok(st, T0, 4, KIND_GLOBAL, "192.0.2.0/24");
	store_close(st);
	ck_assert_int_eq(db_int(path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	ck_assert_int_eq(db_int(path, "SELECT COUNT(*) FROM request"), 1);
}
END_TEST

START_TEST(test_migrate_version0)
{
	char		 dir[PATH_MAX], path[PATH_MAX];
	struct store	*st;
	sqlite3		*db;

	/* A version-0 database that already holds something else: it is kept. */
	newdir(dir, sizeof(dir));
	join(path, sizeof(path), dir, "d.db");
	db = raw_open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	raw_exec(db, "CREATE TABLE other (x); INSERT INTO other VALUES (7)");
	ck_assert_int_eq(raw_int(db, "PRAGMA user_version"), 0);
	sqlite3_close(db);

	st = open_ok(path, 0, OPEN_MS);
	record_ok(st, T0, 6, KIND_ULA, "fd00:1:2::/48");
	store_close(st);
	ck_assert_int_eq(db_int(path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	ck_assert_int_eq(db_int(path, "SELECT COUNT(*) FROM request"), 1);
	ck_assert_int_eq(db_int(path, "SELECT x FROM other"), 7);
}
END_TEST

START_TEST(test_readonly_missing)
{
	char		 dir[PATH_MAX], path[PATH_MAX], err[512];
	struct store	*st = (struct store *)&st;
	struct stat	 sb;

	newdir(dir, sizeof(dir));
	join(path, sizeof(path), dir, "none.db");
	ck_assert_int_eq(store_open(&st, path, STORE_READONLY_OPEN, 1000, err,
	    sizeof(err)), STORE_CANTOPEN);
	ck_assert_ptr_null(st);
	ck_assert_msg(strstr(err, path) != NULL, "err: %s", err);
	ck_assert_int_eq(stat(path, &sb), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(test_readonly_handle)
{
	char			 dir[PATH_MAX], path[PATH_MAX];
	struct store		*st, *ro;
	struct row		 r;
	struct store_info	 info;
	struct report_query	 q = RQ(T0, T0 + DAY, HOUR, 10);
	struct report		 rep;

	newdir(dir, sizeof(dir));
	join(path, sizeof(path), dir, "d.db");
	st = open_ok(path, 0, OPEN_MS);
	record_ok(st, T0 + 1, 6, KIND_GLOBAL, "2001:db8:5::/48");
	store_close(st);

	ro = open_ok(path, STORE_READONLY_OPEN, OPEN_MS);
	ck_assert_int_eq(store_report(ro, &q, &rep), STORE_OK);
	ck_assert_uint_eq(rep.ipv6, 1);
	report_free(&rep);
	r = row_at(T0 + 2, 4, KIND_GLOBAL, "192.0.2.0/24");
	ck_assert_int_eq(store_record(ro, &r), STORE_READONLY);
	ck_assert_str_ne(store_errmsg(ro), "");
	ck_assert_int_eq(store_info(ro, &info), STORE_OK);
	ck_assert(!info.writable);
	ck_assert_str_eq(info.journal_mode, "wal");
	ck_assert_int_eq(info.rows, 1);
	store_close(ro);
	ck_assert_int_eq(db_int(path, "SELECT COUNT(*) FROM request"), 1);
}
END_TEST

START_TEST(test_readonly_old_schema)
{
	char		 dir[PATH_MAX], path[PATH_MAX], err[512];
	struct store	*st = (struct store *)&st;
	sqlite3		*db;

	/* A reader must not migrate: it says how to, and leaves the file alone. */
	newdir(dir, sizeof(dir));
	join(path, sizeof(path), dir, "d.db");
	db = raw_open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	raw_exec(db, "CREATE TABLE other (x)");
	sqlite3_close(db);
	ck_assert_int_eq(store_open(&st, path, STORE_READONLY_OPEN, 1000, err,
	    sizeof(err)), STORE_ERROR);
	ck_assert_ptr_null(st);
	ck_assert_msg(strstr(err, "migrate") != NULL, "err: %s", err);
	ck_assert_int_eq(db_int(path, "PRAGMA user_version"), 0);
	ck_assert_int_eq(db_int(path, "SELECT COUNT(*) FROM sqlite_schema"
	    " WHERE name = 'request'"), 0);
}
END_TEST

START_TEST(test_busy)
{
	char			 dir[PATH_MAX], path[PATH_MAX];
	struct store		*st;
	struct row		 r;
	struct store_info	 info;
	sqlite3			*db;
	double			 t, dt;
	uint64_t		 v4, v6;

	newdir(dir, sizeof(dir));
	join(path, sizeof(path), dir, "d.db");
	st = open_ok(path, 0, 50);
	db = raw_open(path, SQLITE_OPEN_READWRITE);
	raw_exec(db, "BEGIN IMMEDIATE");

	r = row_at(T0, 6, KIND_GLOBAL, "2001:db8::/48");
	t = now_mono();
	ck_assert_int_eq(store_record(st, &r), STORE_BUSY);
	dt = now_mono() - t;
	/* It waited for the busy timeout, and not much longer. */
	ck_assert_msg(dt >= 0.04 && dt < 1.0, "waited %.3f s", dt);
	ck_assert_str_ne(store_errmsg(st), "");
	/* The health check sees the lock too. */
	ck_assert_int_eq(store_info(st, &info), STORE_OK);
	ck_assert(!info.writable);

	raw_exec(db, "ROLLBACK");
	ck_assert_int_eq(store_record(st, &r), STORE_OK);
	ck_assert_int_eq(store_count(st, T0, T0 + 1, &v4, &v6), STORE_OK);
	ck_assert_uint_eq(v6, 1);
	ck_assert_int_eq(store_info(st, &info), STORE_OK);
	ck_assert(info.writable);
	sqlite3_close(db);
	store_close(st);
}
END_TEST

/* store_wait_total: every wait that follows shares one budget, however many statements wait. */
START_TEST(test_wait_total)
{
	char			 dir[PATH_MAX], path[PATH_MAX];
	struct store		*st;
	struct row		 r;
	sqlite3			*db;
	double			 t, dt;
	int			 i;

	newdir(dir, sizeof(dir));
	join(path, sizeof(path), dir, "d.db");
	st = open_ok(path, 0, 5000);
	db = raw_open(path, SQLITE_OPEN_READWRITE);
	raw_exec(db, "BEGIN IMMEDIATE");
	r = row_at(T0, 6, KIND_GLOBAL, "2001:db8::/48");
	store_wait_total(st, 100);
	t = now_mono();
	/* Five writers in a row: 5 x 5000 ms each with the busy timeout alone. */
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(store_record(st, &r), STORE_BUSY);
	dt = now_mono() - t;
	ck_assert_msg(dt >= 0.09 && dt < 2.5, "waited %.3f s", dt);
	raw_exec(db, "ROLLBACK");
	/* With the lock free, nothing waits: the spent budget stops no one. */
	ck_assert_int_eq(store_record(st, &r), STORE_OK);
	sqlite3_close(db);
	store_close(st);
}
END_TEST

START_TEST(test_batch)
{
	char			 dir[PATH_MAX], path[PATH_MAX];
	struct store		*st;
	struct row		 rows[3];
	sqlite3			*db;
	int64_t			 v;
	uint64_t		 v4, v6;

	newdir(dir, sizeof(dir));
	join(path, sizeof(path), dir, "d.db");
	st = open_ok(path, 0, 50);
	ck_assert_int_eq(store_meta_get(st, "batch", &v), STORE_OK);
	ck_assert_int_eq(v, 0);
	rows[0] = row_at(T0, 6, KIND_GLOBAL, "2001:db8::/48");
	rows[1] = row_at(T0, 4, KIND_GLOBAL, "192.0.2.0/24");
	rows[2] = row_at(T0 + 1, 6, KIND_6TO4, "2002:c000:204::/48");
	ck_assert_int_eq(store_record_batch(st, rows, 3, "batch", 41), STORE_OK);
	ck_assert_int_eq(store_meta_get(st, "batch", &v), STORE_OK);
	ck_assert_int_eq(v, 41);
	ck_assert_int_eq(store_count(st, T0, T0 + 2, &v4, &v6), STORE_OK);
	ck_assert_uint_eq(v4, 1);
	ck_assert_uint_eq(v6, 2);

	/* One bad row: nothing of the batch is written, the marker stays. */
	rows[1].family = 5;
	ck_assert_int_eq(store_record_batch(st, rows, 3, "batch", 42), STORE_ERROR);
	ck_assert_int_eq(store_meta_get(st, "batch", &v), STORE_OK);
	ck_assert_int_eq(v, 41);
	ck_assert_int_eq(db_int(path, "SELECT count(*) FROM request"), 3);

	/* Locked past the timeout: all or none, and the handle still works. */
	rows[1].family = 4;
	db = raw_open(path, SQLITE_OPEN_READWRITE);
	raw_exec(db, "BEGIN IMMEDIATE");
	ck_assert_int_eq(store_record_batch(st, rows, 3, "batch", 43), STORE_BUSY);
	raw_exec(db, "ROLLBACK");
	sqlite3_close(db);
	ck_assert_int_eq(db_int(path, "SELECT count(*) FROM request"), 3);
	ck_assert_int_eq(store_record_batch(st, rows, 3, NULL, 0), STORE_OK);
	ck_assert_int_eq(store_record_batch(st, rows, 0, "batch", 44), STORE_OK);
	ck_assert_int_eq(store_meta_get(st, "batch", &v), STORE_OK);
	ck_assert_int_eq(v, 44);
	ck_assert_int_eq(db_int(path, "SELECT count(*) FROM request"), 6);
	store_close(st);
}
END_TEST

START_TEST(test_meta_delete)
{
	char			 dir[PATH_MAX], path[PATH_MAX];
	struct store		*st, *ro;
	struct row		 r;
	sqlite3			*db;
	int64_t			 v;

	newdir(dir, sizeof(dir));
	join(path, sizeof(path), dir, "d.db");
	st = open_ok(path, 0, 50);
	r = row_at(T0, 6, KIND_GLOBAL, "2001:db8::/48");
	ck_assert_int_eq(store_record_batch(st, &r, 1, "group_commit.1", 7), STORE_OK);
	ck_assert_int_eq(store_record_batch(st, &r, 1, "group_commit.2", 9), STORE_OK);
	ck_assert_int_eq(store_meta_delete(st, "group_commit.1"), STORE_OK);
	ck_assert_int_eq(store_meta_get(st, "group_commit.1", &v), STORE_OK);
	ck_assert_int_eq(v, 0);
	/* Only that key went. */
	ck_assert_int_eq(store_meta_get(st, "group_commit.2", &v), STORE_OK);
	ck_assert_int_eq(v, 9);
	ck_assert_int_eq(db_int(path, "SELECT COUNT(*) FROM meta WHERE key LIKE 'group_commit.%'"), 1);
	/* A key that is not there is no error. */
	ck_assert_int_eq(store_meta_delete(st, "group_commit.1"), STORE_OK);

	/* Locked past the timeout: busy, and the key stays. */
	db = raw_open(path, SQLITE_OPEN_READWRITE);
	raw_exec(db, "BEGIN IMMEDIATE");
	ck_assert_int_eq(store_meta_delete(st, "group_commit.2"), STORE_BUSY);
	raw_exec(db, "ROLLBACK");
	sqlite3_close(db);
	ck_assert_int_eq(db_int(path, "SELECT value FROM meta WHERE key = 'group_commit.2'"), 9);

	/* A read-only handle deletes nothing. */
	ro = open_ok(path, STORE_READONLY_OPEN, 50);
	ck_assert_int_eq(store_meta_delete(ro, "group_commit.2"), STORE_READONLY);
	store_close(ro);
	ck_assert_int_eq(store_meta_delete(st, "group_commit.2"), STORE_OK);
	ck_assert_int_eq(db_int(path, "SELECT COUNT(*) FROM meta WHERE key LIKE 'group_commit.%'"), 0);
	store_close(st);
}
END_TEST

#define WRITERS		4
#define PER_WRITER	500

START_TEST(test_writers)
{
	char		 dir[PATH_MAX], path[PATH_MAX], prefix[32];
	struct store	*st;
	pid_t		 pid[WRITERS];
	int		 i, j, status, bad;
	sqlite3		*db;
	sqlite3_stmt	*stmt;

	newdir(dir, sizeof(dir));
	join(path, sizeof(path), dir, "d.db");
	/* All start on a file that does not exist yet, as workers of a new install do. */
	for (i = 0; i < WRITERS; i++) {
		ck_assert_int_ne(pid[i] = fork(), -1);
		if (pid[i] != 0)
			continue;
		bad = 0;
		if (store_open(&st, path, 0, 10000, NULL, 0) != STORE_OK)
			_exit(2);
		for (j = 0; j < PER_WRITER; j++) {
			struct row		 r;

			snprintf(prefix, sizeof(prefix), "192.0.2.%d/32", i);
			r = row_at(T0 + j, 4, KIND_DOCUMENTATION, prefix);
			if (store_record(st, &r) != STORE_OK)
				bad++;
		}
		store_close(st);
		_exit(bad == 0 ? 0 : 1);
	}
	for (i = 0; i < WRITERS; i++) {
		ck_assert_int_eq(waitpid(pid[i], &status, 0), pid[i]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "writer %d: status %#x", i, status);
	}

	db = raw_open(path, SQLITE_OPEN_READWRITE);
	ck_assert_int_eq(raw_int(db, "SELECT COUNT(*) FROM request"), WRITERS * PER_WRITER);
	ck_assert_int_eq(raw_int(db, "SELECT COUNT(DISTINCT prefix) FROM request"), WRITERS);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt,
	    NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(stmt, 0), "ok");
	sqlite3_finalize(stmt);
	sqlite3_close(db);
}
END_TEST

/*
 * Rows of request deleted per transaction, seen from inside the store's own
 * connection: sqlite3_auto_extension() runs watch_init() on every connection
 * this process opens, the store's among them, so the count does not take the
 * store's word for it.  (A DELETE without WHERE, which SQLite may truncate
 * without calling the update hook, shows as no deleting transaction at all.)
 */
static struct {
	unsigned	 pending;	/* deleted in the open transaction */
	unsigned	 txns;		/* committed transactions that deleted */
	unsigned	 most;		/* the most one of them deleted */
} watch;

static void
watch_update(void *arg, int op, const char *db, const char *table, sqlite3_int64 id)
{
	(void)arg;
	(void)db;
	(void)id;
	if (op == SQLITE_DELETE && strcmp(table, "request") == 0)
		watch.pending++;
}

static int
watch_commit(void *arg)
{
	(void)arg;
	if (watch.pending > 0) {
		watch.txns++;
		if (watch.pending > watch.most)
			watch.most = watch.pending;
	}
	watch.pending = 0;
	return 0;
}

static void
watch_rollback(void *arg)
{
	(void)arg;
	watch.pending = 0;
}

static int
watch_init(sqlite3 *db, char **err, const struct sqlite3_api_routines *api)
{
	(void)err;
	(void)api;
	sqlite3_update_hook(db, watch_update, NULL);
	sqlite3_commit_hook(db, watch_commit, NULL);
	sqlite3_rollback_hook(db, watch_rollback, NULL);
	return SQLITE_OK;
}

static void
watch_start(void)
{
	memset(&watch, 0, sizeof(watch));
	ck_assert_int_eq(sqlite3_auto_extension((void (*)(void))watch_init), SQLITE_OK);
}

static void
watch_stop(void)
{
	sqlite3_cancel_auto_extension((void (*)(void))watch_init);
}

START_TEST(test_prune)
{
	static const unsigned	 batches[] = { 7, 1, 10, 60, 1000, 0 };
	char			 dir[PATH_MAX], path[PATH_MAX];
	struct store		*st;
	uint64_t		 deleted;
	unsigned		 bound;
	size_t			 b;
	int			 i;

	newdir(dir, sizeof(dir));
	watch_start();
	for (b = 0; b < sizeof(batches) / sizeof(batches[0]); b++) {
		ck_assert_int_lt(snprintf(path, sizeof(path), "%s/d%zu.db", dir, b),
		    (int)sizeof(path));
		st = open_ok(path, 0, OPEN_MS);
		for (i = 0; i < 100; i++)
			record_ok(st, T0 + i, i % 2 ? 4 : 6, KIND_GLOBAL,
			    i % 2 ? "192.0.2.0/24" : "2001:db8::/48");
		/* 60 rows are older than T0 + 60: not a multiple of 7, so the last batch is short. */
		memset(&watch, 0, sizeof(watch));
		ck_assert_int_eq(store_prune(st, T0 + 60, batches[b], &deleted), STORE_OK);
		ck_assert_msg(deleted == 60, "batch %u: deleted %ju", batches[b],
		    (uintmax_t)deleted);
		/* Bounded: at most one batch per transaction, so ceil(60 / batch) of them. */
		bound = batches[b] == 0 || batches[b] > 60 ? 60 : batches[b];
		ck_assert_msg(watch.most == bound && watch.txns == (60 + bound - 1) / bound,
		    "batch %u: %u transactions, the largest deleting %u", batches[b],
		    watch.txns, watch.most);
		ck_assert_int_eq(db_int(path, "SELECT COUNT(*) FROM request"), 40);
		ck_assert_int_eq(db_int(path, "SELECT MIN(time) FROM request"), T0 + 60);
		ck_assert_int_eq(db_int(path, "SELECT MAX(time) FROM request"), T0 + 99);
		/* Nothing left to prune is not an error. */
		ck_assert_int_eq(store_prune(st, T0 + 60, batches[b], &deleted), STORE_OK);
		ck_assert_uint_eq(deleted, 0);
		store_close(st);
	}
	watch_stop();
}
END_TEST

/* Batch 0 takes the store's own bound, STORE_PRUNE_BATCH. */
START_TEST(test_prune_default_batch)
{
	static struct row	 rows[500];
	char			 dir[PATH_MAX], path[PATH_MAX];
	struct store		*st;
	uint64_t		 deleted;
	int			 i, j;

	newdir(dir, sizeof(dir));
	join(path, sizeof(path), dir, "d.db");
	watch_start();
	st = open_ok(path, 0, OPEN_MS);
	for (i = 0; i < 5; i++) {
		for (j = 0; j < 500; j++)
			rows[j] = row_at(T0 + i * 500 + j, 6, KIND_GLOBAL, "2001:db8::/48");
		ck_assert_int_eq(store_record_batch(st, rows, 500, NULL, 0), STORE_OK);
	}
	memset(&watch, 0, sizeof(watch));
	ck_assert_int_eq(store_prune(st, T0 + 2500, 0, &deleted), STORE_OK);
	watch_stop();
	ck_assert_uint_eq(deleted, 2500);
	ck_assert_msg(watch.most == STORE_PRUNE_BATCH &&
	    watch.txns == (2500 + STORE_PRUNE_BATCH - 1) / STORE_PRUNE_BATCH,
	    "%u transactions, the largest deleting %u", watch.txns, watch.most);
	ck_assert_int_eq(db_int(path, "SELECT COUNT(*) FROM request"), 0);
	store_close(st);
}
END_TEST

/* What the request module does before the store sees an address. */
static void
truncate_text(const char *text, int af, unsigned bits, unsigned char *bin,
    char *out, size_t outsz)
{
	unsigned char	 net[16];
	char		 buf[INET6_ADDRSTRLEN];
	unsigned	 i, len;

	len = af == AF_INET ? 4 : 16;
	ck_assert_int_eq(inet_pton(af, text, bin), 1);
	memcpy(net, bin, len);
	for (i = 0; i < len; i++) {
		if (i * 8 >= bits)
			net[i] = 0;
		else if (i * 8 + 8 > bits)
			net[i] &= (unsigned char)(0xff << (8 - (bits - i * 8)));
	}
	ck_assert_ptr_nonnull(inet_ntop(af, net, buf, sizeof(buf)));
	ck_assert_int_lt(snprintf(out, outsz, "%s/%u", buf, bits), (int)outsz);
}

START_TEST(test_privacy)
{
	static const char	*full6 = "2001:db8:1:2:3:4:5:6", *full4 = "203.0.113.77";
	static const char	*suffix[] = { "", "-wal", "-shm" };
	char			 dir[PATH_MAX], path[PATH_MAX], file[PATH_MAX];
	char			 p6[64], p4[64];
	unsigned char		 bin6[16], bin4[4];
	struct store		*st;
	struct row		 r;
	size_t			 i;
	int			 j, pass;
	bool			 seen;

	truncate_text(full6, AF_INET6, 48, bin6, p6, sizeof(p6));
	truncate_text(full4, AF_INET, 24, bin4, p4, sizeof(p4));
	ck_assert_str_eq(p6, "2001:db8:1::/48");
	ck_assert_str_eq(p4, "203.0.113.0/24");

	newdir(dir, sizeof(dir));
	join(path, sizeof(path), dir, "d.db");
	st = open_ok(path, 0, OPEN_MS);
	for (j = 0; j < 50; j++) {
		r = row_at(T0 + j, 6, KIND_DOCUMENTATION, p6);
		ck_assert_int_eq(store_record(st, &r), STORE_OK);
		r = row_at(T0 + j, 4, KIND_DOCUMENTATION, p4);
		ck_assert_int_eq(store_record(st, &r), STORE_OK);
	}

	/* The roll-ups hold prefixes too: built, days closed, and read. */
	ck_assert_int_eq(store_maintain(st, T0 + 2 * DAY), STORE_OK);
	/* An hour and a day cell per family. */
	ck_assert_int_eq(db_int(path, "SELECT COUNT(*) FROM rollup_prefixes WHERE level < 16"), 2 * 2);
	/* Pass 0 with the store open (rows in the WAL), pass 1 after the checkpoint on close. */
	for (pass = 0; pass < 2; pass++) {
		seen = false;
		for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
			snprintf(file, sizeof(file), "%s%s", path, suffix[i]);
			ck_assert_msg(!file_has(file, full6, strlen(full6)), "%s has %s", file, full6);
			ck_assert_msg(!file_has(file, full4, strlen(full4)), "%s has %s", file, full4);
			ck_assert_msg(!file_has(file, bin6, sizeof(bin6)), "%s has %s in binary", file, full6);
			ck_assert_msg(!file_has(file, bin4, sizeof(bin4)), "%s has %s in binary", file, full4);
			/* The search itself works: the stored prefix is found. */
			seen |= file_has(file, p6, strlen(p6));
		}
		ck_assert_msg(seen, "pass %d: the prefix %s was not found in the files", pass, p6);
		if (pass == 0)
			store_close(st);
	}
}
END_TEST

START_TEST(test_info)
{
	char			 dir[PATH_MAX], path[PATH_MAX], wal[PATH_MAX];
	struct store		*st;
	struct store_info	 info;
	struct stat		 sb;
	off_t			 size;

	newdir(dir, sizeof(dir));
	join(path, sizeof(path), dir, "d.db");
	st = open_ok(path, 0, OPEN_MS);
	ck_assert_int_eq(store_info(st, &info), STORE_OK);
	ck_assert_int_eq(info.rows, 0);
	ck_assert_int_eq(info.last_time, 0);
	record_ok(st, T0 + 5, 6, KIND_GLOBAL, "2001:db8::/48");
	record_ok(st, T0 + 99, 4, KIND_GLOBAL, "192.0.2.0/24");
	record_ok(st, T0 + 7, 4, KIND_GLOBAL, "192.0.2.0/24");
	ck_assert_int_eq(store_info(st, &info), STORE_OK);
	ck_assert_int_eq(info.schema_version, STORE_SCHEMA_VERSION);
	ck_assert_str_eq(info.journal_mode, "wal");
	ck_assert_int_eq(info.rows, 3);
	ck_assert_int_eq(info.last_time, T0 + 99);
	/* The file and its WAL: what the database takes on disk. */
	ck_assert_int_eq(stat(path, &sb), 0);
	size = sb.st_size;
	join(wal, sizeof(wal), dir, "d.db-wal");
	ck_assert_int_eq(stat(wal, &sb), 0);
	ck_assert_int_gt(sb.st_size, 0);
	ck_assert_int_eq(info.size, size + sb.st_size);
	ck_assert(info.writable);
	store_close(st);
}
END_TEST

/* Copy a whole file: a restore's copy, made before it is renamed over the path. */
static void
copy_file(const char *from, const char *to)
{
	unsigned char	*p;
	size_t		 len;
	FILE		*f;

	p = slurp(from, &len);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(f = fopen(to, "wb"));
	ck_assert_uint_eq(fwrite(p, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	free(p);
}

static bool
exists(const char *path)
{
	struct stat	 sb;

	return lstat(path, &sb) == 0;
}

/*
 * A database deleted, renamed away or replaced by a restore while open:
 * the handle says so, and writes nothing to the old file; closing it
 * leaves the new file's -wal and -shm alone and removes the old file's,
 * so the next open at the path cannot take them as its own.
 */
START_TEST(test_moved)
{
	char			 dir[PATH_MAX], path[PATH_MAX], away[PATH_MAX];
	char			 wal[PATH_MAX], shm[PATH_MAX], copy[PATH_MAX];
	struct store		*st, *st2;
	struct store_info	 info;
	struct row		 rows[2];

	newdir(dir, sizeof(dir));
	join(path, sizeof(path), dir, "d.db");
	join(away, sizeof(away), dir, "away.db");
	join(copy, sizeof(copy), dir, "copy.db");
	join(wal, sizeof(wal), dir, "d.db-wal");
	join(shm, sizeof(shm), dir, "d.db-shm");
	rows[0] = row_at(T0, 4, KIND_GLOBAL, "192.0.2.0/24");
	rows[1] = row_at(T0, 6, KIND_GLOBAL, "2001:db8::/48");

	/* Renamed away, alone: its -wal and -shm stay at the path. */
	st = open_ok(path, 0, OPEN_MS);
	record_ok(st, T0, 4, KIND_GLOBAL, "192.0.2.0/24");
	ck_assert(!store_moved(st));
	ck_assert_int_eq(rename(path, away), 0);
	ck_assert(store_moved(st));
	ck_assert_int_eq(store_record(st, &rows[0]), STORE_MOVED);
	ck_assert_ptr_nonnull(strstr(store_errmsg(st), "renamed"));
	ck_assert_int_eq(store_record_batch(st, rows, 2, "batch", 1), STORE_MOVED);
	ck_assert_int_eq(store_info(st, &info), STORE_MOVED);
	ck_assert(exists(wal) && exists(shm));
	store_close(st);
	/* The old file's -wal and -shm went with it; its rows are in it. */
	ck_assert(!exists(wal) && !exists(shm));
	ck_assert_int_eq(db_int(away, "SELECT count(*) FROM request"), 1);
	ck_assert_int_eq(db_int(away, "SELECT count(*) FROM meta WHERE key = 'batch'"), 0);
	st = open_ok(path, 0, OPEN_MS);
	ck_assert_int_eq(store_info(st, &info), STORE_OK);
	ck_assert_int_eq(info.rows, 0);
	ck_assert_int_eq(store_record_batch(st, rows, 2, NULL, 0), STORE_OK);

	/*
	 * Deleted with its -wal and -shm, and a new handle made the path's
	 * new ones: the old handle's close must not remove them (SQLite's
	 * last close removes -wal and -shm by name).
	 */
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(unlink(wal), 0);
	ck_assert_int_eq(unlink(shm), 0);
	ck_assert(store_moved(st));
	ck_assert_int_eq(store_record(st, &rows[0]), STORE_MOVED);
	st2 = open_ok(path, 0, OPEN_MS);
	ck_assert(!store_moved(st2));
	record_ok(st2, T0 + 1, 6, KIND_GLOBAL, "2001:db8:1::/48");
	ck_assert(exists(wal) && exists(shm));
	store_close(st);
	ck_assert(exists(wal) && exists(shm));
	record_ok(st2, T0 + 2, 6, KIND_GLOBAL, "2001:db8:1::/48");
	ck_assert_int_eq(store_info(st2, &info), STORE_OK);
	ck_assert_int_eq(info.rows, 2);

	/* Replaced by a restore: a copy renamed over the path. */
	store_close(st2);	/* the last close: every row in the main file */
	st = open_ok(path, 0, OPEN_MS);
	copy_file(path, copy);
	record_ok(st, T0 + 3, 4, KIND_GLOBAL, "203.0.113.0/24");
	ck_assert_int_eq(rename(copy, path), 0);
	ck_assert(store_moved(st));
	ck_assert_int_eq(store_record(st, &rows[1]), STORE_MOVED);
	store_close(st);
	st = open_ok(path, 0, OPEN_MS);
	ck_assert(!store_moved(st));
	/* The copy's two rows, not the old log's third. */
	ck_assert_int_eq(store_info(st, &info), STORE_OK);
	ck_assert_int_eq(info.rows, 2);
	record_ok(st, T0 + 4, 4, KIND_GLOBAL, "198.51.100.0/24");
	store_close(st);
	ck_assert_int_eq(db_int(path, "SELECT count(*) FROM request"), 3);
	ck_assert_int_eq(db_int(path, "SELECT count(*) FROM request WHERE prefix = '203.0.113.0/24'"), 0);
}
END_TEST

START_TEST(test_host_cut)
{
	static const struct {
		int		 line;
		size_t		 ascii;		/* leading 'a' bytes */
		const char	*tail;
		size_t		 want;		/* bytes stored */
	} t[] = {
		{ CASE_LINE, ROW_HOST_MAX - 1, "", ROW_HOST_MAX - 1 },
		{ CASE_LINE, ROW_HOST_MAX, "", ROW_HOST_MAX },
		{ CASE_LINE, ROW_HOST_MAX + 1, "", ROW_HOST_MAX },
		{ CASE_LINE, 4000, "", ROW_HOST_MAX },
		/* A two-byte character across the limit goes whole. */
		{ CASE_LINE, ROW_HOST_MAX - 1, "\xc3\xa9", ROW_HOST_MAX - 1 },
		/* A two-byte character that ends at the limit stays. */
		{ CASE_LINE, ROW_HOST_MAX - 2, "\xc3\xa9x", ROW_HOST_MAX },
		/* A four-byte character across the limit goes whole. */
		{ CASE_LINE, ROW_HOST_MAX - 2, "\xf0\x9f\x98\x80", ROW_HOST_MAX - 2 },
	};
	char			 dir[PATH_MAX], db[PATH_MAX], host[4100];
	struct store		*st;
	struct row		 r;
	struct text_rows	 rows;
	size_t			 i;

	use_backend(_i);
	newdir(dir, sizeof(dir));
	dbname(db, sizeof(db), dir, "d.db");
	st = open_ok(db, 0, OPEN_MS);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(host, 'a', t[i].ascii);
		snprintf(host + t[i].ascii, sizeof(host) - t[i].ascii, "%s", t[i].tail);
		r = row_at(T0 + (int64_t)i, 6, KIND_GLOBAL, "2001:db8::/48");
		r.host = host;
		ck_assert_msg(store_record(st, &r) == STORE_OK, "line %d", t[i].line);
	}
	db_rows(db, "SELECT host FROM request ORDER BY time", &rows);
	ck_assert_int_eq(rows.n, (int)(sizeof(t) / sizeof(t[0])));
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_msg(strlen(rows.col[i][0]) == t[i].want,
		    "line %d: stored %zu bytes, want %zu", t[i].line,
		    strlen(rows.col[i][0]), t[i].want);
		memset(host, 'a', t[i].ascii);
		snprintf(host + t[i].ascii, sizeof(host) - t[i].ascii, "%s", t[i].tail);
		ck_assert_msg(memcmp(rows.col[i][0], host, t[i].want) == 0,
		    "line %d: stored bytes differ", t[i].line);
	}
	text_free(&rows);
	store_close(st);
}
END_TEST

START_TEST(test_invalid_rows)
{
	static const struct {
		int		 line;
		int		 family;
		int		 kind;
		int		 how;
		int		 server_family;
		const char	*prefix;
	} t[] = {
		{ CASE_LINE, 0, KIND_GLOBAL, HOW_PAGE, 6, "2001:db8::/48" },
		{ CASE_LINE, 5, KIND_GLOBAL, HOW_PAGE, 6, "2001:db8::/48" },
		{ CASE_LINE, 46, KIND_GLOBAL, HOW_PAGE, 6, "2001:db8::/48" },
		{ CASE_LINE, 6, KIND__MAX, HOW_PAGE, 6, "2001:db8::/48" },
		{ CASE_LINE, 6, -1, HOW_PAGE, 6, "2001:db8::/48" },
		{ CASE_LINE, 6, KIND_GLOBAL, HOW__MAX, 6, "2001:db8::/48" },
		{ CASE_LINE, 6, KIND_GLOBAL, -1, 6, "2001:db8::/48" },
		{ CASE_LINE, 6, KIND_GLOBAL, HOW_PAGE, 5, "2001:db8::/48" },
		/* A bare address is never a prefix: it would be the full address on disk. */
		{ CASE_LINE, 4, KIND_DOCUMENTATION, HOW_PAGE, 4, "203.0.113.77" },
		{ CASE_LINE, 6, KIND_GLOBAL, HOW_PAGE, 6, "" },
		{ CASE_LINE, 6, KIND_GLOBAL, HOW_PAGE, 6, NULL },	/* not NUL-terminated */
	};
	char			 dir[PATH_MAX], db[PATH_MAX];
	struct store		*st;
	struct row		 r;
	size_t			 i;

	use_backend(_i);
	newdir(dir, sizeof(dir));
	dbname(db, sizeof(db), dir, "d.db");
	st = open_ok(db, 0, OPEN_MS);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		r = row_at(T0, 6, KIND_GLOBAL, "2001:db8::/48");
		r.family = t[i].family;
		r.kind = (enum addr_kind)t[i].kind;
		r.how = (enum how)t[i].how;
		r.server_family = t[i].server_family;
		if (t[i].prefix != NULL)
			snprintf(r.prefix, sizeof(r.prefix), "%s", t[i].prefix);
		else
			memset(r.prefix, '/', sizeof(r.prefix));
		ck_assert_msg(store_record(st, &r) == STORE_ERROR, "line %d", t[i].line);
		ck_assert_msg(store_errmsg(st)[0] != '\0', "line %d: no message", t[i].line);
	}
	ck_assert_int_eq(db_int(db, "SELECT COUNT(*) FROM request"), 0);
	/* A good row still goes in after the bad ones. */
	record_ok(st, T0, 6, KIND_GLOBAL, "2001:db8::/48");
	ck_assert_int_eq(db_int(db, "SELECT COUNT(*) FROM request"), 1);
	store_close(st);
}
END_TEST

START_TEST(test_report_limits)
{
	char			 dir[PATH_MAX], db[PATH_MAX];
	struct store		*st;
	struct report_query	 q;
	struct report		 rep;
	size_t			 i;

	use_backend(_i);
	newdir(dir, sizeof(dir));
	dbname(db, sizeof(db), dir, "d.db");
	st = open_ok(db, 0, OPEN_MS);

	/* An empty database: all zeros, every bucket there. */
	q = RQ(T0, T0 + DAY, HOUR, 10);
	ck_assert_int_eq(store_report(st, &q, &rep), STORE_OK);
	ck_assert_uint_eq(rep.total, 0);
	ck_assert_uint_eq(rep.nkinds, 0);
	ck_assert_uint_eq(rep.nprefixes, 0);
	ck_assert_uint_eq(rep.nseries, 24);
	for (i = 0; i < rep.nseries; i++)
		ck_assert(rep.series[i].ipv4 == 0 && rep.series[i].ipv6 == 0);
	report_free(&rep);

	record_ok(st, T0 + HOUR + 61, 6, KIND_GLOBAL, "2001:db8::/48");
	/* A last bucket cut short by to still counts. */
	q = RQ(T0, T0 + 2 * HOUR, 3 * HOUR, 10);
	ck_assert_int_eq(store_report(st, &q, &rep), STORE_OK);
	ck_assert_uint_eq(rep.nseries, 1);
	ck_assert_int_eq(rep.series[0].start, T0);
	ck_assert_uint_eq(rep.series[0].ipv6, 1);
	report_free(&rep);
	/* Roll-ups count whole hours: anything finer is refused. */
	q = RQ(T0, T0 + 90, 60, 10);
	ck_assert_int_eq(store_report(st, &q, &rep), STORE_ERROR);
	ck_assert_msg(strstr(store_errmsg(st), "whole hours") != NULL, "%s",
	    store_errmsg(st));
	ck_assert_ptr_null(rep.series);
	q = RQ(T0 + 1, T0 + HOUR + 1, HOUR, 10);
	ck_assert_int_eq(store_report(st, &q, &rep), STORE_ERROR);
	q = RQ(T0, T0 + HOUR + 1, HOUR, 10);
	ck_assert_int_eq(store_report(st, &q, &rep), STORE_ERROR);
	/* Filters out of range. */
	q = RQ(T0, T0 + DAY, HOUR, 10);
	q.how = HOW__MAX;
	ck_assert_int_eq(store_report(st, &q, &rep), STORE_ERROR);
	q.how = -2;
	ck_assert_int_eq(store_report(st, &q, &rep), STORE_ERROR);
	q.how = -1;
	memset(q.host, 'a', sizeof(q.host));
	ck_assert_int_eq(store_report(st, &q, &rep), STORE_ERROR);

	/* top 0: no prefixes, the rest as usual. */
	q = RQ(T0, T0 + DAY, HOUR, 0);
	ck_assert_int_eq(store_report(st, &q, &rep), STORE_OK);
	ck_assert_uint_eq(rep.nprefixes, 0);
	ck_assert_ptr_null(rep.prefixes);
	ck_assert_uint_eq(rep.total, 1);
	report_free(&rep);

	/* from == to: an empty period. */
	q = RQ(T0 + HOUR, T0 + HOUR, HOUR, 10);
	ck_assert_int_eq(store_report(st, &q, &rep), STORE_OK);
	ck_assert_uint_eq(rep.total, 0);
	ck_assert_uint_eq(rep.nseries, 0);
	report_free(&rep);

	q = RQ(T0, T0 + DAY, 0, 10);
	ck_assert_int_eq(store_report(st, &q, &rep), STORE_ERROR);
	ck_assert_ptr_null(rep.series);
	q = RQ(T0 + DAY, T0, HOUR, 10);
	ck_assert_int_eq(store_report(st, &q, &rep), STORE_ERROR);
	q = RQ(-DAY, T0, HOUR, 10);
	ck_assert_int_eq(store_report(st, &q, &rep), STORE_ERROR);
	/* Millions of buckets are a bad query, not an allocation. */
	q = RQ(0, INT64_MAX, 1, 10);
	ck_assert_int_eq(store_report(st, &q, &rep), STORE_ERROR);
	ck_assert_ptr_null(rep.series);
	ck_assert_uint_eq(rep.nseries, 0);
	store_close(st);
}
END_TEST

START_TEST(test_open_limits)
{
	char		 dir[PATH_MAX], path[PATH_MAX], link[PATH_MAX], err[512];
	struct store	*st = (struct store *)&st;
	FILE		*f;

	store_close(NULL);
	ck_assert_int_eq(store_open(&st, "", 0, 1000, err, sizeof(err)), STORE_CANTOPEN);
	ck_assert_ptr_null(st);
	ck_assert_str_ne(err, "");

	newdir(dir, sizeof(dir));
	/* A symlink in place of the database is refused, not followed. */
	join(path, sizeof(path), dir, "real.db");
	st = open_ok(path, 0, OPEN_MS);
	store_close(st);
	join(link, sizeof(link), dir, "link.db");
	ck_assert_int_eq(symlink(path, link), 0);
	st = (struct store *)&st;
	ck_assert_int_ne(store_open(&st, link, 0, 1000, err, sizeof(err)), STORE_OK);
	ck_assert_ptr_null(st);
	ck_assert_msg(strstr(err, link) != NULL, "err: %s", err);

	/* A folder that is a file: no database, one line that names the path. */
	join(path, sizeof(path), dir, "file");
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fclose(f);
	join(path, sizeof(path), dir, "file/sub/d.db");
	ck_assert_int_eq(store_open(&st, path, 0, 1000, err, sizeof(err)), STORE_CANTOPEN);
	ck_assert_ptr_null(st);
	ck_assert_ptr_null(strchr(err, '\n'));
	ck_assert_msg(strstr(err, "file/sub") != NULL, "err: %s", err);

	/* Not a database at all. */
	join(path, sizeof(path), dir, "junk.db");
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	for (int i = 0; i < 1000; i++)
		fputs("this is not SQLite ", f);
	fclose(f);
	ck_assert_int_eq(store_open(&st, path, 0, 1000, err, sizeof(err)), STORE_ERROR);
	ck_assert_ptr_null(st);

	/* A tiny err buffer is cut, never overrun. */
	err[1] = 'X';
	ck_assert_int_eq(store_open(&st, "", 0, 1000, err, 1), STORE_CANTOPEN);
	ck_assert_int_eq(err[0], '\0');
	ck_assert_int_eq(err[1], 'X');
	ck_assert_int_eq(store_open(&st, "", 0, 1000, NULL, 0), STORE_CANTOPEN);
}
END_TEST

/*
 * A URI picks its backend.  A build without PostgreSQL refuses it at
 * once; one with it tries to connect (here to a socket folder that does
 * not exist: no network) and fails.  Either way the message never repeats
 * the password, and nothing is created: no file named like the URI.
 */
START_TEST(test_open_scheme)
{
	static const char *const uris[] = {
		"postgresql://dualstat:s3cret@/dualstat?host=/nonexistent.d&sslmode=disable",
		"postgres://dualstat:s3cret@/dualstat?host=/nonexistent.d",
		"postgresql:///dualstat?host=/nonexistent.d&password=s3cret",
	};
	char		 err[512], cwd[PATH_MAX], dir[PATH_MAX];
	struct store	*st = (struct store *)&st;
	struct stat	 sb;
	size_t		 i;

	newdir(dir, sizeof(dir));
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_int_eq(chdir(dir), 0);
	for (i = 0; i < sizeof(uris) / sizeof(uris[0]); i++) {
		ck_assert_int_eq(store_open(&st, uris[i], 0, 1000, err, sizeof(err)),
		    STORE_CANTOPEN);
		ck_assert_ptr_null(st);
#ifdef HAVE_LIBPQ
		ck_assert_msg(strstr(err, "cannot connect") != NULL, "err: %s", err);
#else
		ck_assert_msg(strstr(err, "built without PostgreSQL") != NULL, "err: %s", err);
#endif
		ck_assert_msg(strstr(err, "s3cret") == NULL, "err: %s", err);
		st = (struct store *)&st;
	}
	/* A relative path that merely starts like one ("postgresql:" folder) stays a path. */
	ck_assert_int_eq(stat("postgresql:", &sb), -1);
	ck_assert_int_eq(stat("postgres:", &sb), -1);
	st = open_ok("postgres:/d.db", 0, OPEN_MS);
	store_close(st);
	ck_assert_int_eq(stat("postgres:/d.db", &sb), 0);
	ck_assert_int_eq(chdir(cwd), 0);
}
END_TEST

/* The database as /status, logs and messages show it: never its password. */
static const struct {
	int		 line;
	const char	*db, *shown;
} display_rows[] = {
	{ CASE_LINE, "/var/lib/dualstat/dualstat.db", "/var/lib/dualstat/dualstat.db" },
	{ CASE_LINE, "postgresql://db.example.org/dualstat",
	    "postgresql://db.example.org/dualstat" },
	{ CASE_LINE, "postgresql://ds@db.example.org:5432/dualstat?sslmode=require",
	    "postgresql://ds@db.example.org:5432/dualstat?sslmode=require" },
	{ CASE_LINE, "postgresql://ds:s3cret@db.example.org/dualstat",
	    "postgresql://ds:***@db.example.org/dualstat" },
	{ CASE_LINE, "postgres://ds:s3cret@[2001:db8::1]:5432/d",
	    "postgres://ds:***@[2001:db8::1]:5432/d" },
	/* An '@' in the password (not encoded): the user part ends at the last one. */
	{ CASE_LINE, "postgresql://ds:p@ss@db.example.org/d",
	    "postgresql://ds:***@db.example.org/d" },
	{ CASE_LINE, "postgresql://ds:@h/d", "postgresql://ds:***@h/d" },
	{ CASE_LINE, "postgresql:///d?host=/run/pg&password=s3cret&sslmode=disable",
	    "postgresql:///d?host=/run/pg&password=***&sslmode=disable" },
	{ CASE_LINE, "postgresql://h/d?sslpassword=s3cret",
	    "postgresql://h/d?sslpassword=***" },
	{ CASE_LINE, "postgresql://u:s3cret@h?password=x", "postgresql://u:***@h?password=***" },
	/* A ':' after the host part is a port, not a password. */
	{ CASE_LINE, "postgresql://h:5432/d", "postgresql://h:5432/d" },
	{ CASE_LINE, "postgresql://", "postgresql://" },
};

START_TEST(test_db_display)
{
	char	 out[256];

	store_db_display(display_rows[_i].db, out, sizeof(out));
	ck_assert_msg(strcmp(out, display_rows[_i].shown) == 0, "line %d: %s",
	    display_rows[_i].line, out);
	ck_assert_msg(strstr(out, "s3cret") == NULL, "line %d", display_rows[_i].line);
}
END_TEST

/* Cut to the buffer, never past it; NULL and a 0-byte buffer are fine. */
START_TEST(test_db_display_cut)
{
	char	 out[32];

	memset(out, 'X', sizeof(out));
	store_db_display("postgresql://u:s3cret@host.example.org/d", out, 12);
	ck_assert_str_eq(out, "postgresql:");
	ck_assert_int_eq(out[12], 'X');
	store_db_display("postgresql://u:s3cret@h/d", out, 18);
	ck_assert_msg(strstr(out, "s3c") == NULL, "%s", out);
	out[0] = 'X';
	store_db_display("/x", out, 0);
	ck_assert_int_eq(out[0], 'X');
	store_db_display(NULL, out, sizeof(out));
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(test_names)
{
	static const char *const errs[STORE__MAX] = {
		"ok", "busy", "full", "read-only", "schema too new", "cannot open",
		"moved", "stale", "error",
	};
	int	 i;

	/* The ways of measuring by name: check_row.c. */
	for (i = 0; i < STORE__MAX; i++)
		ck_assert_str_eq(store_err_name((enum store_err)i), errs[i]);
	ck_assert_str_eq(store_err_name(STORE__MAX), "unknown");
	ck_assert_str_eq(store_errmsg(NULL), "no database");
}
END_TEST

START_TEST(test_share_free)
{
	struct report	 rep;

	ck_assert(report_share(0, 0) == 0.0);
	ck_assert(report_share(5, 0) == 0.0);
	ck_assert(report_share(0, 5) == 1.0);
	ck_assert(report_share(1, 3) == 0.75);
	/* No wrap when the sum passes 2^64. */
	ck_assert(report_share(UINT64_MAX, UINT64_MAX) == 0.5);

	report_free(NULL);
	memset(&rep, 0, sizeof(rep));
	rep.total = 3;
	ck_assert_ptr_nonnull(rep.kinds = calloc(2, sizeof(*rep.kinds)));
	rep.nkinds = 2;
	ck_assert_ptr_nonnull(rep.series = calloc(2, sizeof(*rep.series)));
	rep.nseries = 2;
	report_free(&rep);
	ck_assert_ptr_null(rep.kinds);
	ck_assert_ptr_null(rep.series);
	ck_assert_uint_eq(rep.nkinds, 0);
	ck_assert_uint_eq(rep.nseries, 0);
	ck_assert_uint_eq(rep.total, 0);
	/* Twice is fine: the first zeroed it. */
	report_free(&rep);
}
END_TEST

/*
 * Roll-ups.  The reference is the report the store computed before
 * roll-ups: a plain GROUP BY over the raw rows, in the store's order.
 */
static int
how_cmp(const void *a, const void *b)
{
	const struct report_how	*x = a, *y = b;

	return x->how - y->how;
}

/* The rows of one of ref_report's queries, into the report. */
struct ref {
	struct report	*rep;
	int		 query;
	size_t		 nb;	/* buckets */
};

static uint64_t
ref_n(const char *col)
{
	return col != NULL ? strtoull(col, NULL, 10) : 0;
}

static void
ref_row(void *arg, int ncol, const char *const *col)
{
	struct ref	*r = arg;
	struct report	*rep = r->rep;
	int		 fam = col[0] != NULL ? atoi(col[0]) : 0;
	uint64_t	 n = ncol > 1 ? ref_n(col[1]) : 0;
	int64_t		 bi;

	switch (r->query) {
	case 0:
		*(fam == 4 ? &rep->ipv4 : &rep->ipv6) = n;
		break;
	case 1:
		rep->kinds[rep->nkinds].family = fam;
		rep->kinds[rep->nkinds].kind = addr_kind_from_name(col[1]);
		rep->kinds[rep->nkinds].mapped = atoi(col[2]);
		rep->kinds[rep->nkinds++].requests = ref_n(col[3]);
		break;
	case 2:
		*(fam == 4 ? &rep->unique_ipv4 : &rep->unique_ipv6) = n;
		break;
	case 3:
		snprintf(rep->prefixes[rep->nprefixes].prefix, ADDR_PREFIX_MAX, "%s", col[0]);
		rep->prefixes[rep->nprefixes].family = atoi(col[1]);
		rep->prefixes[rep->nprefixes].kind = addr_kind_from_name(col[2]);
		rep->prefixes[rep->nprefixes++].requests = ref_n(col[3]);
		break;
	case 4:
		snprintf(rep->hosts[rep->nhosts].host, sizeof(rep->hosts->host), "%s", col[0]);
		rep->hosts[rep->nhosts].ipv4 = n;
		rep->hosts[rep->nhosts++].ipv6 = ref_n(col[2]);
		break;
	case 5:
		rep->listeners[rep->nlisteners].server_family = fam;
		rep->listeners[rep->nlisteners].ipv4 = n;
		rep->listeners[rep->nlisteners++].ipv6 = ref_n(col[2]);
		break;
	case 6:
		rep->hows[rep->nhows].how = how_from_name(col[0]);
		rep->hows[rep->nhows++].requests = n;
		break;
	case 7:
		bi = strtoll(col[0], NULL, 10);
		ck_assert(bi >= 0 && (size_t)bi < r->nb);
		*(atoi(col[1]) == 4 ? &rep->series[bi].ipv4 : &rep->series[bi].ipv6) =
		    ref_n(col[2]);
		break;
	case 8:
		*(fam == 4 ? &rep->prev_ipv4 : &rep->prev_ipv6) = n;
		break;
	case 9:
		snprintf(rep->nodes[rep->nnodes].node, sizeof(rep->nodes->node), "%s", col[0]);
		rep->nodes[rep->nnodes].ipv4 = n;
		rep->nodes[rep->nnodes++].ipv6 = ref_n(col[2]);
		break;
	}
}

/*
 * The report by plain GROUP BY over the raw rows, in the store's order:
 * what the store computed before roll-ups, and the reference of every
 * figure they give.  Filters are our own fixed words, written into the
 * SQL (no quote in them); the backend runs it as it is.
 */
static void
ref_report(const char *db, const struct report_query *q, struct report *rep)
{
	char		 filter[REPORT_HOST_MAX + 64], where[sizeof(filter) + 128];
	char		 pwhere[sizeof(where)], sql[sizeof(where) + 512];
	struct ref	 r;
	size_t		 i, nb;
	int64_t		 span = q->to - q->from, pf;
	int		 k;

	memset(rep, 0, sizeof(*rep));
	rep->q = *q;
	nb = (size_t)((span + q->bucket - 1) / q->bucket);
	ck_assert_ptr_nonnull(rep->series = calloc(nb + 1, sizeof(*rep->series)));
	rep->nseries = nb;
	for (i = 0; i < nb; i++)
		rep->series[i].start = q->from + (int64_t)i * q->bucket;
	ck_assert_ptr_nonnull(rep->kinds = calloc(128, sizeof(*rep->kinds)));
	ck_assert_ptr_nonnull(rep->prefixes = calloc(2 * q->top + 1, sizeof(*rep->prefixes)));
	ck_assert_ptr_nonnull(rep->hosts = calloc(q->top + 1, sizeof(*rep->hosts)));
	ck_assert_ptr_nonnull(rep->nodes = calloc(q->top + 1, sizeof(*rep->nodes)));
	ck_assert_ptr_nonnull(rep->listeners = calloc(3, sizeof(*rep->listeners)));
	ck_assert_ptr_nonnull(rep->hows = calloc(HOW__MAX + 1, sizeof(*rep->hows)));

	ck_assert_ptr_null(strchr(q->host, '\''));
	filter[0] = '\0';
	ck_assert_ptr_null(strchr(q->node, '\''));
	if (q->host[0] != '\0')
		snprintf(filter, sizeof(filter), " AND COALESCE(host, '') = '%s'", q->host);
	if (q->node[0] != '\0') {
		k = (int)strlen(filter);
		snprintf(filter + k, sizeof(filter) - (size_t)k, " AND node = '%s'",
		    q->node);
	}
	if (q->how >= 0) {
		k = (int)strlen(filter);
		snprintf(filter + k, sizeof(filter) - (size_t)k, " AND how = '%s'",
		    how_name((enum how)q->how));
	}
	pf = q->from - span < 0 ? 0 : q->from - span;
	snprintf(where, sizeof(where), " WHERE time >= %" PRId64 " AND time < %" PRId64 "%s",
	    q->from, q->to, filter);
	snprintf(pwhere, sizeof(pwhere), " WHERE time >= %" PRId64 " AND time < %" PRId64 "%s",
	    pf, q->from, filter);
#define FAMILY_SUMS	"SUM(CASE WHEN family = 4 THEN 1 ELSE 0 END)," \
			" SUM(CASE WHEN family = 6 THEN 1 ELSE 0 END)"
	r.rep = rep;
	r.nb = nb;
	for (r.query = 0; r.query < 10; r.query++) {
		switch (r.query) {
		case 0:
			snprintf(sql, sizeof(sql), "SELECT family, COUNT(*) FROM request%s"
			    " GROUP BY family", where);
			break;
		case 1:
			snprintf(sql, sizeof(sql), "SELECT family, kind, mapped, COUNT(*) AS n"
			    " FROM request%s GROUP BY family, kind, mapped"
			    " ORDER BY family, n DESC, kind, mapped", where);
			break;
		case 2:
			snprintf(sql, sizeof(sql), "SELECT family, COUNT(DISTINCT prefix)"
			    " FROM request%s GROUP BY family", where);
			break;
		case 3:
			snprintf(sql, sizeof(sql), "SELECT prefix, family, kind, n FROM"
			    " (SELECT prefix, family, kind, COUNT(*) AS n, row_number() OVER"
			    " (PARTITION BY family ORDER BY COUNT(*) DESC, prefix, kind) AS r"
			    " FROM request%s GROUP BY prefix, family, kind) AS ranked"
			    " WHERE r <= %u ORDER BY family, n DESC, prefix, kind", where, q->top);
			break;
		case 4:
			snprintf(sql, sizeof(sql), "SELECT COALESCE(host, ''), " FAMILY_SUMS
			    ", COUNT(*) AS n FROM request%s GROUP BY COALESCE(host, '')"
			    " ORDER BY n DESC, 1 LIMIT %u", where, q->top);
			break;
		case 5:
			snprintf(sql, sizeof(sql), "SELECT server_family, " FAMILY_SUMS
			    " FROM request%s GROUP BY server_family"
			    " ORDER BY server_family", where);
			break;
		case 6:
			snprintf(sql, sizeof(sql), "SELECT how, COUNT(*) FROM request%s"
			    " GROUP BY how", where);
			break;
		case 7:
			snprintf(sql, sizeof(sql), "SELECT (time - %" PRId64 ") / %u AS b,"
			    " family, COUNT(*) FROM request%s GROUP BY b, family",
			    q->from, q->bucket, where);
			break;
		case 8:
			snprintf(sql, sizeof(sql), "SELECT family, COUNT(*) FROM request%s"
			    " GROUP BY family", pwhere);
			break;
		case 9:
			/* By server: '' is a row of no node known. */
			snprintf(sql, sizeof(sql), "SELECT node, " FAMILY_SUMS
			    ", COUNT(*) AS n FROM request%s GROUP BY node"
			    " ORDER BY n DESC, 1 LIMIT %u", where, q->top);
			break;
		}
		be->query(db, sql, ref_row, &r);
	}
#undef FAMILY_SUMS
	qsort(rep->hows, rep->nhows, sizeof(*rep->hows), how_cmp);
	rep->total = rep->ipv4 + rep->ipv6;
}

/* Every field of two reports, named when they differ. */
static void
same_report(const struct report *a, const struct report *b, int line)
{
	size_t	 i;

#define SAME(x)	ck_assert_msg(a->x == b->x, "line %d, %s: %ju != %ju (from %jd to %jd" \
	" bucket %u host \"%s\" node \"%s\" how %d)", line, #x, (uintmax_t)a->x, \
	(uintmax_t)b->x, (intmax_t)a->q.from, (intmax_t)a->q.to, a->q.bucket, a->q.host, \
	a->q.node, a->q.how)
	SAME(total);
	SAME(ipv4);
	SAME(ipv6);
	SAME(prev_ipv4);
	SAME(prev_ipv6);
	SAME(unique_ipv4);
	SAME(unique_ipv6);
	SAME(nkinds);
	SAME(nprefixes);
	SAME(nhosts);
	SAME(nnodes);
	SAME(nlisteners);
	SAME(nhows);
	SAME(nseries);
	for (i = 0; i < a->nkinds; i++) {
		SAME(kinds[i].family);
		SAME(kinds[i].kind);
		SAME(kinds[i].mapped);
		SAME(kinds[i].requests);
	}
	for (i = 0; i < a->nprefixes; i++) {
		ck_assert_msg(strcmp(a->prefixes[i].prefix, b->prefixes[i].prefix) == 0,
		    "line %d: prefixes[%zu] %s != %s", line, i, a->prefixes[i].prefix,
		    b->prefixes[i].prefix);
		SAME(prefixes[i].family);
		SAME(prefixes[i].kind);
		SAME(prefixes[i].requests);
	}
	for (i = 0; i < a->nhosts; i++) {
		ck_assert_msg(strcmp(a->hosts[i].host, b->hosts[i].host) == 0,
		    "line %d: hosts[%zu] %s != %s", line, i, a->hosts[i].host, b->hosts[i].host);
		SAME(hosts[i].ipv4);
		SAME(hosts[i].ipv6);
	}
	for (i = 0; i < a->nnodes; i++) {
		ck_assert_msg(strcmp(a->nodes[i].node, b->nodes[i].node) == 0,
		    "line %d: nodes[%zu] %s != %s", line, i, a->nodes[i].node, b->nodes[i].node);
		SAME(nodes[i].ipv4);
		SAME(nodes[i].ipv6);
	}
	for (i = 0; i < a->nlisteners; i++) {
		SAME(listeners[i].server_family);
		SAME(listeners[i].ipv4);
		SAME(listeners[i].ipv6);
	}
	for (i = 0; i < a->nhows; i++) {
		SAME(hows[i].how);
		SAME(hows[i].requests);
	}
	for (i = 0; i < a->nseries; i++) {
		SAME(series[i].start);
		SAME(series[i].ipv4);
		SAME(series[i].ipv6);
	}
#undef SAME
}

static void
check_same(struct store *st, const char *db, const struct report_query *q, int line)
{
	struct report	 a, b;
	enum store_err	 e;

	e = store_report(st, q, &a);
	ck_assert_msg(e == STORE_OK, "line %d: store_report: %s", line, store_errmsg(st));
	ref_report(db, q, &b);
	same_report(&a, &b, line);
	report_free(&a);
	report_free(&b);
}

/* A small random generator of its own: the same rows on every run. */
static uint64_t	 trng;

static unsigned
trand(unsigned n)
{

	trng = trng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((trng >> 33) % n);
}

static const char *const thosts[] = { "a.example", "b.example", "c.example", NULL };
/* Servers of a fleet; NULL is a row of no node known (recorded before schema 5). */
static const char *const tnodes[] = { "node-1", "node-2", "node-3", NULL };

/* A random row in [t0, t0 + span): few prefixes, so ties and aliases happen. */
static struct row
rand_row(int64_t t0, int64_t span)
{
	static const struct {
		int		 family;
		enum addr_kind	 kind;
		const char	*prefix;
	} p[] = {
		{ 6, KIND_GLOBAL, "2a00:1::/48" }, { 6, KIND_GLOBAL, "2a00:2::/48" },
		{ 6, KIND_GLOBAL, "2a00:3::/48" }, { 6, KIND_6TO4, "2002:c000:204::/48" },
		{ 6, KIND_TEREDO, "2001:0:1::/48" }, { 6, KIND_NAT64, "64:ff9b::/48" },
		/* The same network under another kind: one unique prefix. */
		{ 6, KIND_GLOBAL, "64:ff9b::/48" }, { 6, KIND_ULA, "fd00:1:2::/48" },
		{ 4, KIND_GLOBAL, "11.0.0.0/24" }, { 4, KIND_GLOBAL, "11.0.1.0/24" },
		{ 4, KIND_PRIVATE, "10.0.0.0/24" }, { 4, KIND_CGNAT, "100.64.0.0/24" },
		{ 4, KIND_GLOBAL, "11.0.2.0/24" },
	};
	struct row		 r;
	unsigned		 i = trand(sizeof(p) / sizeof(p[0]));

	/* Skewed: the first ones are busier. */
	if (trand(2))
		i = trand(i + 1);
	memset(&r, 0, sizeof(r));
	r.time = t0 + (int64_t)trand((unsigned)span);
	r.family = p[i].family;
	r.kind = p[i].kind;
	snprintf(r.prefix, sizeof(r.prefix), "%s", p[i].prefix);
	r.mapped = r.family == 4 && trand(3) == 0;
	r.server_family = trand(10) == 0 ? 0 : r.family == 6 || r.mapped ? 6 : 4;
	r.host = thosts[trand(4)];
	r.how = (enum how)trand(HOW__MAX);
	r.via_proxy = trand(2);
	r.node = tnodes[trand(4)];
	return r;
}

static void
record_rand(struct store *st, int64_t t0, int64_t span, int n)
{
	struct row		 rows[64];
	int			 i, k;

	for (i = 0; i < n; i += k) {
		for (k = 0; k < 64 && i + k < n; k++)
			rows[k] = rand_row(t0, span);
		ck_assert_int_eq(store_record_batch(st, rows, (size_t)k, NULL, 0), STORE_OK);
	}
}

/* Random whole-hour queries over [t0, t0 + span): periods, buckets, filters. */
static void
check_random(struct store *st, const char *db, int64_t t0, int64_t span, int n, int line)
{
	static const unsigned	 buckets[] = { HOUR, DAY, 3 * HOUR, 8 * DAY };
	struct report_query	 q;
	int64_t			 a, b, nh = span / HOUR;
	int			 i;

	for (i = 0; i < n; i++) {
		a = t0 - 2 * DAY + (int64_t)trand((unsigned)(nh + 96)) * HOUR;
		b = a + (int64_t)trand((unsigned)(nh + 96)) * HOUR;
		if (trand(3) == 0) {
			/* Whole days, as the report page asks. */
			a = a / DAY * DAY;
			b = b / DAY * DAY;
		}
		if (a < 0)
			a = 0;
		q = RQ(a, b, buckets[trand(4)], 1 + trand(4));
		if (b - a > 4 * DAY && q.bucket == HOUR)
			q.bucket = DAY;
		switch (trand(8)) {
		case 1:
			snprintf(q.host, sizeof(q.host), "%s", "b.example");
			break;
		case 5:
			/* A node filter: one server's share, or a server never seen. */
			snprintf(q.node, sizeof(q.node), "%s", trand(4) ? "node-2" : "node-9");
			break;
		case 6:
			snprintf(q.node, sizeof(q.node), "%s", "node-1");
			snprintf(q.host, sizeof(q.host), "%s", "a.example");
			break;
		case 7:
			snprintf(q.node, sizeof(q.node), "%s", "node-3");
			q.how = (int)trand(HOW__MAX);
			break;
		case 2:
			q.how = (int)trand(HOW__MAX);
			break;
		case 3:
			snprintf(q.host, sizeof(q.host), "%s", "a.example");
			q.how = HOW_BEACON;
			break;
		case 4:
			snprintf(q.host, sizeof(q.host), "%s", trand(2) ? "none.example" : "c.example");
			break;
		}
		check_same(st, db, &q, line);
	}
}

START_TEST(test_rollup_random)
{
	char		 dir[PATH_MAX], db[PATH_MAX];
	struct store	*st, *ro;
	int64_t		 v, span = 70 * DAY;
	int		 step;

	trng = 42;
	use_backend(_i);
	newdir(dir, sizeof(dir));
	dbname(db, sizeof(db), dir, "d.db");
	st = open_ok(db, 0, OPEN_MS);
	/* 70 days cross an 8-day and a 64-day boundary of the epoch (T0 is day 19676). */
	for (step = 0; step < 6; step++) {
		record_rand(st, T0 + step * (span / 6), span / 6, 1500);
		/* Upkeep at various times: hours only, then days closing, then all. */
		ck_assert_int_eq(store_maintain(st, T0 + (step + 1) * (span / 6)), STORE_OK);
		/* Late rows, for days already closed, and rows above the watermark. */
		record_rand(st, T0, (step + 1) * (span / 6), 200);
		ro = open_ok(db, STORE_READONLY_OPEN, OPEN_MS);
		check_random(ro, db, T0, span, 6, __LINE__);
		store_close(ro);
		check_random(st, db, T0, span, 6, __LINE__);
	}
	for (step = 0; step < 10; step++)
		ck_assert_int_eq(store_maintain(st, T0 + span + 2 * DAY), STORE_OK);
	ck_assert_int_eq(store_meta_get(st, "rollup_closed", &v), STORE_OK);
	ck_assert_int_eq(v, T0 + span + DAY);
	ck_assert_int_eq(store_meta_get(st, "rollup_id", &v), STORE_OK);
	ck_assert_int_eq(v, db_int(db, "SELECT MAX(id) FROM request"));
	check_random(st, db, T0, span, 40, __LINE__);
	check_same(st, db, &RQ(T0 - 64 * DAY, T0 + 128 * DAY, DAY, 10), __LINE__);
	check_same(st, db, &RQ(T0, T0 + span, 8 * DAY, 3), __LINE__);
	store_close(st);
}
END_TEST

/*
 * The series from series cells (cell.h) is the series from the cells: a
 * database without them (made before them) is read from its cells, and
 * gets them, the same, at its first write.
 */
START_TEST(test_rollup_series_cells)
{
	char		 dir[PATH_MAX], db[PATH_MAX];
	struct store	*st, *ro;
	sqlite3		*raw;
	int64_t		 span = 20 * DAY;

	trng = 7;
	newdir(dir, sizeof(dir));
	join(db, sizeof(db), dir, "d.db");
	st = open_ok(db, 0, OPEN_MS);
	record_rand(st, T0, span, 3000);
	ck_assert_int_eq(store_maintain_all(st, T0 + span + 2 * DAY), STORE_OK);
	ck_assert_int_eq(db_int(db, "SELECT value FROM meta WHERE key = 'series_cells'"), 1);
	ck_assert_int_gt(db_int(db, "SELECT COUNT(*) FROM rollup WHERE level = 17"), 0);
	check_random(st, db, T0, span, 20, __LINE__);
	store_close(st);

	raw = raw_open(db, SQLITE_OPEN_READWRITE);
	raw_exec(raw, "DELETE FROM rollup WHERE level >= 16;"
	    " DELETE FROM rollup_prefixes WHERE level >= 16;"
	    " DELETE FROM probe_cell WHERE level >= 16;"
	    " DELETE FROM probe_cell_prefixes WHERE level >= 16;"
	    " DELETE FROM meta WHERE key = 'series_cells'");
	sqlite3_close(raw);
	ro = open_ok(db, STORE_READONLY_OPEN, OPEN_MS);
	check_random(ro, db, T0, span, 20, __LINE__);
	store_close(ro);

	st = open_ok(db, 0, OPEN_MS);
	record_rand(st, T0, span + DAY, 100);
	ck_assert_int_eq(store_maintain(st, T0 + span + 2 * DAY), STORE_OK);
	ck_assert_int_eq(db_int(db, "SELECT value FROM meta WHERE key = 'series_cells'"), 1);
	ck_assert_int_gt(db_int(db, "SELECT COUNT(*) FROM rollup WHERE level = 17"), 0);
	check_random(st, db, T0, span, 20, __LINE__);
	check_same(st, db, &RQ(T0 - 8 * DAY, T0 + 4 * 8 * DAY, 8 * DAY, 3), __LINE__);
	/* Read from them, not from the cells: without the day cells the series stays. */
	raw = raw_open(db, SQLITE_OPEN_READWRITE);
	raw_exec(raw, "UPDATE rollup SET counts = x'' WHERE level = 1");
	sqlite3_close(raw);
	{
		struct report_query	 q = RQ(T0, T0 + span, DAY, 3);
		struct report		 rep;
		char			 sql[128];
		uint64_t		 n = 0;
		size_t			 i;

		ck_assert_int_eq(store_report(st, &q, &rep), STORE_OK);
		for (i = 0; i < rep.nseries; i++)
			n += rep.series[i].ipv4 + rep.series[i].ipv6;
		(void)snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM request"
		    " WHERE time >= %" PRId64 " AND time < %" PRId64, T0, T0 + span);
		ck_assert_uint_eq(n, (uint64_t)db_int(db, sql));
		report_free(&rep);
	}
	store_close(st);
}
END_TEST

/* The schema 1 of dualstat 0.1, written by hand: what databases in the field hold. */
static const char v1_schema[] =
	"CREATE TABLE request ( id INTEGER PRIMARY KEY, time INTEGER NOT NULL,"
	" family INTEGER NOT NULL CHECK (family IN (4, 6)), kind TEXT NOT NULL,"
	" prefix TEXT NOT NULL, mapped INTEGER NOT NULL CHECK (mapped IN (0, 1)),"
	" server_family INTEGER NOT NULL CHECK (server_family IN (0, 4, 6)), host TEXT,"
	" how TEXT NOT NULL, via_proxy INTEGER NOT NULL CHECK (via_proxy IN (0, 1)));"
	"CREATE INDEX request_time ON request (time, family);"
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
	"PRAGMA user_version = 1;";

START_TEST(test_rollup_migrate)
{
	char			 dir[PATH_MAX], path[PATH_MAX];
	struct store		*st;
	struct row		 r;
	sqlite3			*db;
	sqlite3_stmt		*s;
	int64_t			 v;
	int			 i;

	trng = 7;
	newdir(dir, sizeof(dir));
	join(path, sizeof(path), dir, "d.db");
	db = raw_open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	raw_exec(db, v1_schema);
	raw_exec(db, "PRAGMA journal_mode = WAL");
	raw_exec(db, "BEGIN");
	ck_assert_int_eq(sqlite3_prepare_v2(db, "INSERT INTO request (time, family, kind,"
	    " prefix, mapped, server_family, host, how, via_proxy) VALUES (?1, ?2, ?3, ?4,"
	    " ?5, ?6, ?7, ?8, ?9)", -1, &s, NULL), SQLITE_OK);
	for (i = 0; i < 3000; i++) {
		r = rand_row(T0, 20 * DAY);
		sqlite3_bind_int64(s, 1, r.time);
		sqlite3_bind_int(s, 2, r.family);
		sqlite3_bind_text(s, 3, addr_kind_name(r.kind), -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, r.prefix, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(s, 5, r.mapped);
		sqlite3_bind_int(s, 6, r.server_family);
		if (r.host == NULL)
			sqlite3_bind_null(s, 7);
		else
			sqlite3_bind_text(s, 7, r.host, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 8, how_name(r.how), -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 9, r.via_proxy);
		ck_assert_int_eq(sqlite3_step(s), SQLITE_DONE);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	raw_exec(db, "COMMIT");
	sqlite3_close(db);

	/* A reader does not migrate; the first writer does, and rolls up. */
	st = open_ok(path, 0, OPEN_MS);
	ck_assert_int_eq(db_int(path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	ck_assert_int_eq(store_meta_get(st, "rollup_id", &v), STORE_OK);
	ck_assert_int_eq(v, 3000);
	/* The days before today are closed (T0 is long past). */
	ck_assert_int_eq(store_meta_get(st, "rollup_closed", &v), STORE_OK);
	ck_assert_int_ge(v, T0 + 20 * DAY);
	ck_assert_int_eq(db_int(path, "SELECT COUNT(*) FROM rollup WHERE level = 1"),
	    db_int(path, "SELECT COUNT(*) FROM (SELECT DISTINCT time / 86400, family,"
	    " IFNULL(host, ''), how FROM request)"));
	ck_assert_int_eq(db_int(path, "SELECT COUNT(*) FROM rollup_prefix"),
	    db_int(path, "SELECT COUNT(*) FROM (SELECT DISTINCT prefix, family, kind"
	    " FROM request)"));
	store_close(st);
	/* Read-only, so nothing but the roll-ups answers. */
	st = open_ok(path, STORE_READONLY_OPEN, OPEN_MS);
	check_same(st, path, &RQ(T0, T0 + 20 * DAY, DAY, 10), __LINE__);
	check_same(st, path, &RQ(T0 + 5 * HOUR, T0 + 2 * DAY, HOUR, 3), __LINE__);
	check_random(st, path, T0, 20 * DAY, 20, __LINE__);
	store_close(st);
	/* Opening again migrates nothing and rolls nothing up twice. */
	st = open_ok(path, 0, OPEN_MS);
	check_same(st, path, &RQ(T0, T0 + 20 * DAY, DAY, 10), __LINE__);
	store_close(st);
}
END_TEST

#define MAINTAINERS	4

START_TEST(test_rollup_concurrent)
{
	char		 dir[PATH_MAX], db[PATH_MAX];
	struct store	*st;
	pid_t		 pid[MAINTAINERS + 2];
	int		 i, j, status, bad;
	int64_t		 v;

	trng = 99;
	use_backend(_i);
	newdir(dir, sizeof(dir));
	dbname(db, sizeof(db), dir, "d.db");
	st = open_ok(db, 0, 10000);
	record_rand(st, T0, 10 * DAY, 2000);
	store_close(st);
	/* Two writers record while four processes keep rolling up and closing days. */
	for (i = 0; i < MAINTAINERS + 2; i++) {
		ck_assert_int_ne(pid[i] = fork(), -1);
		if (pid[i] != 0)
			continue;
		trng = 1000 + (uint64_t)i;
		bad = 0;
		if (store_open(&st, db, 0, 10000, NULL, 0) != STORE_OK)
			_exit(2);
		for (j = 0; j < 40; j++) {
			if (i >= MAINTAINERS) {
				struct row		 rows[25];
				int			 k;

				for (k = 0; k < 25; k++)
					rows[k] = rand_row(T0, 12 * DAY);
				bad += store_record_batch(st, rows, 25, NULL, 0) != STORE_OK;
			} else
				bad += store_maintain(st, T0 + (j / 4) * DAY + DAY) != STORE_OK;
		}
		store_close(st);
		_exit(bad == 0 ? 0 : 1);
	}
	for (i = 0; i < MAINTAINERS + 2; i++) {
		ck_assert_int_eq(waitpid(pid[i], &status, 0), pid[i]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "process %d: status %#x", i, status);
	}
	st = open_ok(db, 0, 10000);
	ck_assert_int_eq(db_int(db, "SELECT COUNT(*) FROM request"), 2000 + 2 * 40 * 25);
	ck_assert_int_eq(store_maintain(st, T0 + 20 * DAY), STORE_OK);
	ck_assert_int_eq(store_meta_get(st, "rollup_id", &v), STORE_OK);
	ck_assert_int_eq(v, 2000 + 2 * 40 * 25);
	/* Counted once: every figure, from every level of cells. */
	check_same(st, db, &RQ(T0, T0 + 12 * DAY, DAY, 10), __LINE__);
	check_same(st, db, &RQ(T0, T0 + 12 * DAY, HOUR, 10), __LINE__);
	check_same(st, db, &RQ(0, T0 + 64 * DAY, 8 * DAY, 10), __LINE__);
	check_random(st, db, T0, 12 * DAY, 10, __LINE__);
	store_close(st);
}
END_TEST

START_TEST(test_rollup_prune)
{
	char		 dir[PATH_MAX], path[PATH_MAX];
	struct store	*st;
	struct report	 before[3], after;
	struct report_query q[3] = {
		RQ(T0, T0 + 10 * DAY, DAY, 10),
		RQ(T0 + 2 * DAY, T0 + 3 * DAY, HOUR, 10),
		RQ(T0 + 11 * HOUR, T0 + 6 * DAY + 5 * HOUR, HOUR, 4),
	};
	sqlite3		*db;
	uint64_t	 deleted;
	int64_t		 v;
	size_t		 i;

	trng = 5;
	newdir(dir, sizeof(dir));
	join(path, sizeof(path), dir, "d.db");
	st = open_ok(path, 0, OPEN_MS);
	record_rand(st, T0, 10 * DAY, 3000);
	ck_assert_int_eq(store_maintain(st, T0 + 7 * DAY), STORE_OK);
	record_rand(st, T0, 10 * DAY, 300);	/* above the watermark */
	for (i = 0; i < 3; i++) {
		check_same(st, path, &q[i], __LINE__);
		ck_assert_int_eq(store_report(st, &q[i], &before[i]), STORE_OK);
	}
	/*
	 * A row committed while prune works, after its roll-up: the trigger
	 * adds an old row in the transaction that moves the watermark, so it
	 * is above it.  It must stay.
	 */
	/* Rows for prune to roll up first, after every period above. */
	record_rand(st, T0 + 20 * DAY, DAY, 50);
	db = raw_open(path, SQLITE_OPEN_READWRITE);
	raw_exec(db, "CREATE TRIGGER trap AFTER INSERT ON meta WHEN NEW.key = 'rollup_id'"
	    " AND NOT EXISTS (SELECT 1 FROM request WHERE host = 'trap') BEGIN"
	    " INSERT INTO request (time, family, kind, prefix, mapped, server_family,"
	    " host, how, via_proxy) VALUES (1699920000 + 3600, 6, 'global', '2a00:9::/48',"
	    " 0, 6, 'trap', 'page', 0); END");
	sqlite3_close(db);
	ck_assert_int_eq(store_prune(st, T0 + 5 * DAY, 100, &deleted), STORE_OK);
	ck_assert_int_gt(deleted, 1000);
	ck_assert_int_eq(db_int(path, "SELECT COUNT(*) FROM request WHERE host = 'trap'"), 1);
	ck_assert_int_eq(db_int(path, "SELECT COUNT(*) FROM request WHERE time < 1699920000"
	    " + 5 * 86400"), 1);
	ck_assert_int_eq(store_meta_get(st, "rollup_id", &v), STORE_OK);
	ck_assert_int_lt(v, db_int(path, "SELECT id FROM request WHERE host = 'trap'"));
	db = raw_open(path, SQLITE_OPEN_READWRITE);
	raw_exec(db, "DROP TRIGGER trap");
	sqlite3_close(db);

	/* The pruned rows still count, from roll-ups; the trap row once. */
	for (i = 1; i < 3; i++) {
		ck_assert_int_eq(store_report(st, &q[i], &after), STORE_OK);
		if (i == 2) {
			/* The trap row is in this one's previous period. */
			ck_assert_uint_eq(after.prev_ipv6, before[i].prev_ipv6 + 1);
			after.prev_ipv6--;
		}
		same_report(&after, &before[i], __LINE__);
		report_free(&after);
	}
	ck_assert_int_eq(store_report(st, &q[0], &after), STORE_OK);
	ck_assert_uint_eq(after.total, before[0].total + 1);
	ck_assert_uint_eq(after.ipv4, before[0].ipv4);
	ck_assert_uint_eq(after.ipv6, before[0].ipv6 + 1);
	ck_assert_uint_eq(after.unique_ipv6, before[0].unique_ipv6 + 1);
	ck_assert_uint_eq(after.series[0].ipv6, before[0].series[0].ipv6 + 1);
	report_free(&after);
	/* Rolled up now, pruned at last, and still counted once. */
	ck_assert_int_eq(store_prune(st, T0 + 5 * DAY, 0, &deleted), STORE_OK);
	ck_assert_uint_eq(deleted, 1);
	ck_assert_int_eq(store_report(st, &q[0], &after), STORE_OK);
	ck_assert_uint_eq(after.ipv6, before[0].ipv6 + 1);
	report_free(&after);
	for (i = 0; i < 3; i++)
		report_free(&before[i]);
	store_close(st);
}
END_TEST

/* store_count over [a, b) of whole hours against COUNT(*) over the raw rows. */
static void
check_count(struct store *st, const char *db, int64_t a, int64_t b, int line)
{
	char		 sql[256];
	uint64_t	 v4, v6;
	int64_t		 want4, want6;

	ck_assert_msg(store_count(st, a, b, &v4, &v6) == STORE_OK,
	    "line %d: store_count: %s", line, store_errmsg(st));
	(void)snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM request WHERE"
	    " family = 4 AND time >= %" PRId64 " AND time < %" PRId64, a, b);
	want4 = db_int(db, sql);
	(void)snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM request WHERE"
	    " family = 6 AND time >= %" PRId64 " AND time < %" PRId64, a, b);
	want6 = db_int(db, sql);
	ck_assert_msg(v4 == (uint64_t)want4 && v6 == (uint64_t)want6,
	    "line %d: [%" PRId64 ", %" PRId64 "): %" PRIu64 "/%" PRIu64
	    " against raw %" PRId64 "/%" PRId64, line, a, b, v4, v6, want4, want6);
}

/* Hour-aligned periods, from the raw rows only, from roll-ups, and mixed. */
START_TEST(test_count_rollup)
{
	static const struct {
		int64_t	 a, b;		/* hours from T0 */
	} p[] = {
		{ 0, 1 }, { 0, 24 }, { 5, 29 }, { 23, 25 }, { 47, 72 },
		{ -48, 0 }, { -3, 200 }, { 71, 72 }, { 10, 10 }, { 0, 96 },
	};
	char			 dir[PATH_MAX], db[PATH_MAX];
	struct store		*st, *ro;
	int64_t			 v;
	size_t			 i;
	int			 phase;

	trng = 7;
	use_backend(_i);
	newdir(dir, sizeof(dir));
	dbname(db, sizeof(db), dir, "d.db");
	st = open_ok(db, 0, OPEN_MS);
	for (phase = 0; phase < 4; phase++) {
		if (phase == 0)		/* raw rows only: nothing rolled up */
			record_rand(st, T0, 3 * DAY, 3000);
		else if (phase == 1)	/* all in cells, two days closed */
			ck_assert_int_eq(store_maintain(st, T0 + 3 * DAY), STORE_OK);
		else			/* late rows above the watermark */
			record_rand(st, T0, 3 * DAY, 500);
		if (phase == 3)		/* and rolled up again */
			ck_assert_int_eq(store_maintain(st, T0 + 4 * DAY), STORE_OK);
		ck_assert_int_eq(store_meta_get(st, "rollup_id", &v), STORE_OK);
		if (phase == 0)
			ck_assert_int_eq(v, 0);
		else if (phase == 2)
			ck_assert_int_lt(v, db_int(db, "SELECT MAX(id) FROM request"));
		else
			ck_assert_int_eq(v, db_int(db, "SELECT MAX(id) FROM request"));
		ro = open_ok(db, STORE_READONLY_OPEN, OPEN_MS);
		for (i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
			check_count(st, db, T0 + p[i].a * HOUR, T0 + p[i].b * HOUR, __LINE__);
			check_count(ro, db, T0 + p[i].a * HOUR, T0 + p[i].b * HOUR, __LINE__);
		}
		store_close(ro);
	}
	store_close(st);
}
END_TEST

/* Periods that are not whole hours are widened to them (store.h). */
START_TEST(test_count_widen)
{
	static const struct {
		int64_t		 from, to;
		uint64_t	 v4, v6;
		int		 line;
	} c[] = {
		/* rows: v6 at T0 + 1 h - 1, v4 at T0 + 1 h, v6 at T0 + 2 h - 1, v4 at T0 + 2 h */
		{ T0 + HOUR, T0 + 2 * HOUR, 1, 1, __LINE__ },
		{ T0 + HOUR + 1, T0 + HOUR + 2, 1, 1, __LINE__ },
		{ T0 + HOUR - 1, T0 + HOUR, 0, 1, __LINE__ },
		{ T0 + HOUR - 1, T0 + HOUR + 1, 1, 2, __LINE__ },
		{ T0 + 2 * HOUR - 1, T0 + 2 * HOUR + 1, 2, 1, __LINE__ },
		/* The landing page's period: now - 86400 .. now + 1. */
		{ T0 + 2 * HOUR + 5 - DAY, T0 + 2 * HOUR + 6, 2, 2, __LINE__ },
		{ T0 + 2 * HOUR, T0 + 2 * HOUR, 0, 0, __LINE__ },
		{ T0 + HOUR + 9, T0 + HOUR + 9, 0, 0, __LINE__ },
		{ T0 + 2 * HOUR, T0 + HOUR, 0, 0, __LINE__ },
		{ INT64_MIN, INT64_MAX, 2, 2, __LINE__ },
		{ INT64_MIN, T0 + HOUR - 1, 0, 1, __LINE__ },
		{ T0 + 2 * HOUR + 1, INT64_MAX, 1, 0, __LINE__ },
		{ T0 + 3 * HOUR, INT64_MAX, 0, 0, __LINE__ },
		{ INT64_MAX - 1, INT64_MAX, 0, 0, __LINE__ },
		{ INT64_MIN, INT64_MIN + 1, 0, 0, __LINE__ },
	};
	char		 dir[PATH_MAX], db[PATH_MAX];
	struct store	*st;
	uint64_t	 v4, v6;
	size_t		 i;
	int		 pass;

	use_backend(_i);
	newdir(dir, sizeof(dir));
	dbname(db, sizeof(db), dir, "d.db");
	st = open_ok(db, 0, OPEN_MS);
	record_ok(st, T0 + HOUR - 1, 6, KIND_GLOBAL, "2001:db8::/48");
	record_ok(st, T0 + HOUR, 4, KIND_GLOBAL, "192.0.2.0/24");
	record_ok(st, T0 + 2 * HOUR - 1, 6, KIND_GLOBAL, "2001:db8::/48");
	record_ok(st, T0 + 2 * HOUR, 4, KIND_GLOBAL, "192.0.2.0/24");
	/* Raw rows, then roll-ups: the same answers. */
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1)
			ck_assert_int_eq(store_maintain(st, T0 + 3 * HOUR), STORE_OK);
		for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
			ck_assert_msg(store_count(st, c[i].from, c[i].to, &v4,
			    &v6) == STORE_OK, "line %d: %s", c[i].line,
			    store_errmsg(st));
			ck_assert_msg(v4 == c[i].v4 && v6 == c[i].v6,
			    "line %d pass %d: %" PRIu64 "/%" PRIu64, c[i].line,
			    pass, v4, v6);
		}
	}
	ck_assert_int_eq(db_int(db, "SELECT value FROM meta WHERE key = 'rollup_id'"), 4);
	store_close(st);
}
END_TEST

/*
 * ---- Rows counted straight into cells (dualstat import and ingest) ------
 *
 * The same requests as raw rows in one database and, partly, as counted
 * rows added to the cells (store_add_counted) in another: every figure
 * of the second is the GROUP BY reference over the first's raw rows.
 */

/* The rows of rows[0..n): raw into both, or raw into live and counted (some twice) into mixed. */
static void
feed_both(struct store *live, struct store *mixed, const struct row *rows,
    size_t n, bool counted)
{
	struct row	 twice[2];
	uint64_t	 counts[64];
	size_t		 i, k;

	if (!counted) {
		ck_assert_int_eq(store_record_batch(live, rows, n, NULL, 0), STORE_OK);
		ck_assert_int_eq(store_record_batch(mixed, rows, n, NULL, 0), STORE_OK);
		return;
	}
	for (i = 0; i < n; i += k) {
		for (k = 0; k < 64 && i + k < n; k++) {
			counts[k] = 1 + (trand(3) == 0);
			ck_assert_int_eq(store_record_batch(live, &rows[i + k], 1, NULL, 0),
			    STORE_OK);
			if (counts[k] == 2) {
				twice[0] = rows[i + k];
				ck_assert_int_eq(store_record_batch(live, twice, 1, NULL, 0),
				    STORE_OK);
			}
		}
		ck_assert_int_eq(store_add_counted(mixed, &rows[i], counts, k, NULL),
		    STORE_OK);
	}
}

START_TEST(test_counted_reference)
{
	char		 dir[PATH_MAX], ldb[PATH_MAX], mdb[PATH_MAX];
	struct store	*live, *mixed;
	struct row	 rows[600];
	uint64_t	 l4, l6, m4, m6;
	int64_t		 span = 70 * DAY, now;
	size_t		 i;
	int		 step;

	trng = 7;
	use_backend(_i);
	newdir(dir, sizeof(dir));
	dbname(ldb, sizeof(ldb), dir, "live.db");
	dbname(mdb, sizeof(mdb), dir, "mixed.db");
	live = open_ok(ldb, 0, OPEN_MS);
	mixed = open_ok(mdb, 0, OPEN_MS);
	for (step = 0; step < 6; step++) {
		now = T0 + (step + 1) * (span / 6);
		for (i = 0; i < 600; i++)
			rows[i] = rand_row(T0 + step * (span / 6), span / 6);
		feed_both(live, mixed, rows, 300, false);
		feed_both(live, mixed, rows + 300, 300, true);
		/* Upkeep on both; then counted rows for days long closed, and open ones. */
		ck_assert_int_eq(store_maintain(live, now), STORE_OK);
		ck_assert_int_eq(store_maintain(mixed, now), STORE_OK);
		for (i = 0; i < 200; i++)
			rows[i] = rand_row(T0 - 100 * DAY, 100 * DAY + (step + 1) * (span / 6));
		feed_both(live, mixed, rows, 200, true);
		check_random(mixed, ldb, T0, span, 8, __LINE__);
	}
	for (step = 0; step < 10; step++) {
		ck_assert_int_eq(store_maintain(live, T0 + span + 2 * DAY), STORE_OK);
		ck_assert_int_eq(store_maintain(mixed, T0 + span + 2 * DAY), STORE_OK);
	}
	check_random(mixed, ldb, T0, span, 40, __LINE__);
	check_same(mixed, ldb, &RQ(T0 - 128 * DAY, T0 + 128 * DAY, DAY, 10), __LINE__);
	check_same(mixed, ldb, &RQ(0, T0 + 128 * DAY, 8 * DAY, 3), __LINE__);
	/* The landing page's count sees them too. */
	ck_assert_int_eq(store_count(live, T0, T0 + span, &l4, &l6), STORE_OK);
	ck_assert_int_eq(store_count(mixed, T0, T0 + span, &m4, &m6), STORE_OK);
	ck_assert_uint_eq(l4, m4);
	ck_assert_uint_eq(l6, m6);
	/* Counted rows are never raw rows. */
	ck_assert_int_lt(db_int(mdb, "SELECT COUNT(*) FROM request"),
	    db_int(ldb, "SELECT COUNT(*) FROM request"));
	store_close(live);
	store_close(mixed);
}
END_TEST

static struct store_import
import_rec(uint64_t first, uint64_t offset, const char *name)
{
	struct store_import	 r;

	memset(&r, 0, sizeof(r));
	r.first_line = first;
	r.offset = offset;
	r.prefix_hash = offset * 31 + 7;
	r.lines = offset / 100;
	r.updated = T0;
	snprintf(r.format, sizeof(r.format), "%s", "combined");
	snprintf(r.name, sizeof(r.name), "%s", name);
	return r;
}

/* The record of a log file moves on with the rows, and only over what it was read from. */
START_TEST(test_counted_import_record)
{
	char			 dir[PATH_MAX], db[PATH_MAX];
	struct store		*a, *b;
	struct store_import	 ra, rb, found[STORE_IMPORTS_MAX];
	struct report		 rep;
	struct row		 row;
	uint64_t		 one = 1, big = UINT64_C(0xfedcba9876543210);
	size_t			 n;

	use_backend(_i);
	newdir(dir, sizeof(dir));
	dbname(db, sizeof(db), dir, "d.db");
	a = open_ok(db, 0, OPEN_MS);
	b = open_ok(db, 0, OPEN_MS);
	row = row_at(T0 + 10, 6, KIND_GLOBAL, "2001:db8:1::/48");
	row.how = HOW_LOG;

	ck_assert_int_eq(store_imports_find(a, big, found, STORE_IMPORTS_MAX, &n), STORE_OK);
	ck_assert_uint_eq(n, 0);
	ra = import_rec(big, 1000, "/var/log/access.log");
	ck_assert_int_eq(store_add_counted(a, &row, &one, 1, &ra), STORE_OK);
	ck_assert_int_gt(ra.id, 0);
	ck_assert_uint_eq(ra.committed, 1000);
	/* Hashes keep all 64 bits. */
	ck_assert_int_eq(store_imports_find(b, big, found, STORE_IMPORTS_MAX, &n), STORE_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(found[0].id, ra.id);
	ck_assert_uint_eq(found[0].first_line, big);
	ck_assert_uint_eq(found[0].offset, 1000);
	ck_assert_uint_eq(found[0].committed, 1000);
	ck_assert_uint_eq(found[0].prefix_hash, 1000 * 31 + 7);
	ck_assert_uint_eq(found[0].lines, 10);
	ck_assert_str_eq(found[0].name, "/var/log/access.log");
	ck_assert_str_eq(found[0].format, "combined");

	/* Two imports of the same file: the first moves it on, the second writes nothing. */
	rb = found[0];
	ra.offset = 2000;
	ck_assert_int_eq(store_add_counted(a, &row, &one, 1, &ra), STORE_OK);
	rb.offset = 2500;
	snprintf(rb.name, sizeof(rb.name), "%s", "/var/log/access.log.1");
	ck_assert_int_eq(store_add_counted(b, &row, &one, 1, &rb), STORE_STALE);
	ck_assert_ptr_nonnull(strstr(store_errmsg(b), "/var/log/access.log.1 was imported "
	    "by another process meanwhile"));
	ck_assert_uint_eq(rb.committed, 1000);	/* as it was */
	ck_assert_uint_eq(rb.offset, 2500);
	ck_assert_int_eq(db_int(db, "SELECT \"offset\" FROM import_file"), 2000);
	/* The rows of the two batches that went in, and not the third's. */
	ck_assert_int_eq(store_report(b, &RQ(T0, T0 + DAY, HOUR, 5), &rep), STORE_OK);
	ck_assert_uint_eq(rep.total, 2);
	report_free(&rep);
	ck_assert_int_eq(db_int(db, "SELECT COUNT(*) FROM request"), 0);

	/* A new file whose first line another import recorded meanwhile: not inserted. */
	ck_assert_int_eq(store_imports_find(b, 5, found, STORE_IMPORTS_MAX, &n), STORE_OK);
	ck_assert_uint_eq(n, 0);
	ra = import_rec(5, 100, "x.log");
	rb = import_rec(5, 300, "y.log");
	ck_assert_int_eq(store_add_counted(a, &row, &one, 1, &ra), STORE_OK);
	ck_assert_int_eq(store_add_counted(b, &row, &one, 1, &rb), STORE_STALE);
	ck_assert_int_eq(rb.id, 0);
	ck_assert_int_eq(db_int(db, "SELECT COUNT(*) FROM import_file WHERE first_line = 5"), 1);
	/* Once it has looked, it may add a file of its own with the same first line. */
	ck_assert_int_eq(store_imports_find(b, 5, found, STORE_IMPORTS_MAX, &n), STORE_OK);
	ck_assert_uint_eq(n, 1);
	rb.newest = found[0].id;
	ck_assert_int_eq(store_add_counted(b, NULL, NULL, 0, &rb), STORE_OK);
	ck_assert_int_eq(store_imports_find(b, 5, found, STORE_IMPORTS_MAX, &n), STORE_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(found[0].name, "y.log");	/* newest first */
	ck_assert_str_eq(found[1].name, "x.log");
	store_close(a);
	store_close(b);
}
END_TEST

/* Rows a backend must never see, counted ones too; a count of 0 adds nothing. */
START_TEST(test_counted_limits)
{
	char		 dir[PATH_MAX], db[PATH_MAX];
	struct store	*st;
	struct row	 rows[2];
	uint64_t	 counts[2] = { 0, UINT64_C(1) << 40 };
	struct report	 rep;

	use_backend(_i);
	newdir(dir, sizeof(dir));
	dbname(db, sizeof(db), dir, "d.db");
	st = open_ok(db, 0, OPEN_MS);
	rows[0] = row_at(T0, 4, KIND_GLOBAL, "192.0.2.1");
	ck_assert_int_eq(store_add_counted(st, rows, counts, 1, NULL), STORE_ERROR);
	ck_assert_str_eq(store_errmsg(st), "record: prefix is not a network");
	rows[0] = row_at(T0, 4, KIND_GLOBAL, "192.0.2.0/24");
	rows[1] = row_at(T0 + HOUR, 6, KIND_GLOBAL, "2001:db8::/48");
	rows[1].how = HOW_LOG;
	ck_assert_int_eq(store_add_counted(st, rows, counts, 2, NULL), STORE_OK);
	ck_assert_int_eq(store_add_counted(st, NULL, NULL, 0, NULL), STORE_OK);
	ck_assert_int_eq(store_report(st, &RQ(T0, T0 + DAY, HOUR, 5), &rep), STORE_OK);
	ck_assert_uint_eq(rep.ipv4, 0);
	ck_assert_uint_eq(rep.ipv6, UINT64_C(1) << 40);
	ck_assert_uint_eq(rep.nhows, 1);
	ck_assert_int_eq(rep.hows[0].how, HOW_LOG);
	report_free(&rep);
	store_close(st);
}
END_TEST
/* ---- Readiness probes (issue 10) ---------------------------------------- */

/* A start at t of probe k from a visit over family, kind and prefix; its secret made from c. */
static struct probe_start
pstart_at(int64_t t, enum probe_kind k, int family, enum addr_kind kind,
    const char *prefix, char c)
{
	struct probe_start	 p;

	memset(&p, 0, sizeof(p));
	p.time = t;
	p.expires = t + 15;
	p.probe = k;
	p.family = family;
	p.kind = kind;
	ck_assert_int_lt(snprintf(p.prefix, sizeof(p.prefix), "%s", prefix),
	    (int)sizeof(p.prefix));
	p.host = "example.org";
	memset(p.secret, c, PROBE_SECRET_LEN);
	p.secret[PROBE_SECRET_LEN] = '\0';
	return p;
}

static bool
pback(struct store *st, int64_t id, const char *secret, enum probe_kind k,
    int64_t now, int family, int *start_family)
{
	enum store_err	 e;
	bool		 found;
	int		 sf;

	e = store_probe_back(st, id, secret, k, now, family, KIND_DOCUMENTATION,
	    &found, &sf);
	ck_assert_msg(e == STORE_OK, "store_probe_back: %s (%s)", store_err_name(e),
	    store_errmsg(st));
	if (start_family != NULL)
		*start_family = sf;
	return found;
}

/* The readiness of a report over the day of T0, and its checks. */
static void
check_readiness(const struct report *rep, int line)
{
	const struct report_readiness	*rd = &rep->readiness;
	static const struct { uint64_t started, reached, wrong; } want[PROBE__MAX] = {
		[PROBE_V6] = { 3, 1, 0 },
		[PROBE_V4] = { 2, 1, 1 },
		[PROBE_SELF] = { 2, 2, 0 },
	};
	uint64_t	 s = 0, r = 0;
	size_t		 i;
	int		 k;

	for (k = 0; k < PROBE__MAX; k++)
		ck_assert_msg(rd->probe[k].started == want[k].started &&
		    rd->probe[k].reached == want[k].reached &&
		    rd->probe[k].wrong == want[k].wrong,
		    "line %d: %s: %ju %ju %ju", line, probe_kind_name((enum probe_kind)k),
		    (uintmax_t)rd->probe[k].started, (uintmax_t)rd->probe[k].reached,
		    (uintmax_t)rd->probe[k].wrong);
	/* By arrival: the v6 probe of visits over IPv4 never came back. */
	for (i = 0; i < rd->narrivals; i++)
		if (rd->arrivals[i].probe == PROBE_V6 && rd->arrivals[i].family == 4) {
			s += rd->arrivals[i].started;
			r += rd->arrivals[i].reached;
		}
	ck_assert_msg(s == 2 && r == 0, "line %d: v6 over IPv4 %ju/%ju", line,
	    (uintmax_t)r, (uintmax_t)s);
	/* The network an IPv6-only site would lose. */
	ck_assert_msg(rd->nlost == 1, "line %d: %zu lost", line, rd->nlost);
	ck_assert_str_eq(rd->lost[0].prefix, "198.51.100.0/24");
	ck_assert_uint_eq(rd->lost[0].not_reached, 2);
	/* The series: every probe in its hour. */
	ck_assert_uint_eq(rd->nseries, 24);
	ck_assert_uint_eq(rd->series[0].probe[PROBE_V6].started, 2);
	ck_assert_uint_eq(rd->series[1].probe[PROBE_V6].started, 1);
	ck_assert_uint_eq(rd->series[1].probe[PROBE_V6].reached, 1);
	ck_assert_uint_eq(rd->series[0].probe[PROBE_V4].wrong, 1);
	/* No probe is a request. */
	ck_assert_uint_eq(rep->total, 0);
}

/*
 * Starts, completions (good, forged, replayed, late, of another probe),
 * the count they become, the same figures from the tail (a reader that
 * rolls nothing up) and from the cells, and the secrets gone from the file.
 */
/*
 * Seven starts (every probe, both families), then what comes back: forged
 * (a secret not minted for it, another probe's, an unknown id), late and
 * replayed completions find nothing; the rest come back once each, the v4
 * probe once over the wrong family.  check_readiness holds the figures.
 */
static void
probe_seven(struct store *st, struct probe_start p[7], int64_t ids[7])
{
	char	 bad[PROBE_SECRET_LEN + 1];
	int64_t	 n;
	int	 sf, i;

	p[0] = pstart_at(T0 + 1, PROBE_V6, 4, KIND_GLOBAL, "198.51.100.0/24", 'a');
	p[1] = pstart_at(T0 + 2, PROBE_V6, 4, KIND_GLOBAL, "198.51.100.0/24", 'b');
	p[2] = pstart_at(T0 + HOUR, PROBE_V6, 6, KIND_DOCUMENTATION, "2001:db8:1::/48", 'c');
	p[3] = pstart_at(T0 + 3, PROBE_V4, 6, KIND_DOCUMENTATION, "2001:db8:1::/48", 'd');
	p[4] = pstart_at(T0 + 4, PROBE_V4, 4, KIND_GLOBAL, "198.51.100.0/24", 'e');
	p[5] = pstart_at(T0 + 5, PROBE_SELF, 4, KIND_GLOBAL, "198.51.100.0/24", 'f');
	p[6] = pstart_at(T0 + 6, PROBE_SELF, 6, KIND_DOCUMENTATION, "2001:db8:1::/48", '9');
	ck_assert_int_eq(store_probe_start(st, p, 7, ids), STORE_OK);
	for (i = 1; i < 7; i++)
		ck_assert_int_gt(ids[i], ids[i - 1]);
	ck_assert_int_eq(store_probe_pending(st, &n), STORE_OK);
	ck_assert_int_eq(n, 7);
	/* Forged: a secret not minted for it; of another probe; unknown id. */
	memset(bad, 'a', PROBE_SECRET_LEN);
	bad[PROBE_SECRET_LEN - 1] = 'b';
	bad[PROBE_SECRET_LEN] = '\0';
	ck_assert(!pback(st, ids[0], bad, PROBE_V6, T0 + 3, 6, NULL));
	ck_assert(!pback(st, ids[0], p[0].secret, PROBE_V4, T0 + 3, 6, NULL));
	ck_assert(!pback(st, ids[6] + 100, p[0].secret, PROBE_V6, T0 + 3, 6, NULL));
	/* Late: after it expired. */
	ck_assert(!pback(st, ids[1], p[1].secret, PROBE_V6, p[1].expires, 6, NULL));
	/* Good once, then replayed. */
	ck_assert(pback(st, ids[2], p[2].secret, PROBE_V6, T0 + HOUR + 1, 6, &sf));
	ck_assert_int_eq(sf, 6);
	ck_assert(!pback(st, ids[2], p[2].secret, PROBE_V6, T0 + HOUR + 2, 6, NULL));
	/* The v4 probe: once over IPv4, once over the wrong family. */
	ck_assert(pback(st, ids[3], p[3].secret, PROBE_V4, T0 + 4, 4, &sf));
	ck_assert_int_eq(sf, 6);
	ck_assert(pback(st, ids[4], p[4].secret, PROBE_V4, T0 + 5, 6, &sf));
	ck_assert_int_eq(sf, 4);
	/* The control, over either. */
	ck_assert(pback(st, ids[5], p[5].secret, PROBE_SELF, T0 + 6, 4, NULL));
	ck_assert(pback(st, ids[6], p[6].secret, PROBE_SELF, T0 + 7, 6, NULL));
}

/*
 * The probe's whole life on every backend, through the store's API only:
 * starts in order, forged, late and replayed completions finding nothing,
 * the figures from the tail and from the cells after the upkeep, and the
 * starts gone once counted.
 */
START_TEST(test_probe_backends)
{
	char			 dir[PATH_MAX], db[PATH_MAX];
	struct store		*st;
	struct probe_start	 p[7];
	struct report_query	 q = RQ(T0, T0 + DAY, HOUR, 10);
	struct report		 rep;
	int64_t			 ids[7], n;

	use_backend(_i);
	newdir(dir, sizeof(dir));
	dbname(db, sizeof(db), dir, "d.db");
	st = open_ok(db, 0, OPEN_MS);
	probe_seven(st, p, ids);
	/* The tail: nothing rolled up yet. */
	ck_assert_int_eq(store_report(st, &q, &rep), STORE_OK);
	check_readiness(&rep, __LINE__);
	report_free(&rep);
	/* Counted into the cells and deleted; the same figures from them. */
	ck_assert_int_eq(store_maintain_all(st, T0 + 2 * DAY), STORE_OK);
	ck_assert_int_eq(store_probe_pending(st, &n), STORE_OK);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(store_report(st, &q, &rep), STORE_OK);
	check_readiness(&rep, __LINE__);
	report_free(&rep);
	q = RQ(T0, T0 + DAY, DAY, 10);
	ck_assert_int_eq(store_report(st, &q, &rep), STORE_OK);
	ck_assert_uint_eq(rep.readiness.probe[PROBE_V6].started, 3);
	ck_assert_uint_eq(rep.readiness.nseries, 1);
	ck_assert_uint_eq(rep.readiness.series[0].probe[PROBE_V6].reached, 1);
	report_free(&rep);
	store_close(st);
}
END_TEST

START_TEST(test_probe_flow)
{
	char			 dir[PATH_MAX], db[PATH_MAX], wal[PATH_MAX + 8];
	struct store		*st, *ro;
	struct probe_start	 p[7];
	struct report_query	 q = RQ(T0, T0 + DAY, HOUR, 10);
	struct report		 rep;
	int64_t			 ids[7], n;
	int			 i;

	newdir(dir, sizeof(dir));
	join(db, sizeof(db), dir, "d.db");
	st = open_ok(db, 0, OPEN_MS);
	probe_seven(st, p, ids);
	/* Come back: its secret is gone at once. */
	ck_assert_int_eq(db_int(db, "SELECT COUNT(*) FROM probe WHERE secret IS NULL"), 5);

	/* A reader rolls nothing up: the starts are the tail. */
	ro = open_ok(db, STORE_READONLY_OPEN, OPEN_MS);
	ck_assert_int_eq(store_report(ro, &q, &rep), STORE_OK);
	check_readiness(&rep, __LINE__);
	report_free(&rep);

	/* The upkeep counts them (all expired by now) and deletes them. */
	ck_assert_int_eq(store_maintain_all(st, T0 + 2 * DAY), STORE_OK);
	ck_assert_int_eq(store_probe_pending(st, &n), STORE_OK);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(db_int(db, "SELECT COUNT(*) FROM probe"), 0);
	ck_assert_int_gt(db_int(db, "SELECT COUNT(*) FROM probe_cell"), 0);
	/* The same figures from the cells: the hour cells and the day's. */
	ck_assert_int_eq(store_report(ro, &q, &rep), STORE_OK);
	check_readiness(&rep, __LINE__);
	report_free(&rep);
	q = RQ(T0, T0 + DAY, DAY, 10);
	ck_assert_int_eq(store_report(st, &q, &rep), STORE_OK);
	ck_assert_uint_eq(rep.readiness.probe[PROBE_V6].started, 3);
	ck_assert_uint_eq(rep.readiness.nseries, 1);
	ck_assert_uint_eq(rep.readiness.series[0].probe[PROBE_V6].reached, 1);
	report_free(&rep);
	/* The host filter: the visits' host. */
	q = RQ(T0, T0 + DAY, HOUR, 10);
	(void)snprintf(q.host, sizeof(q.host), "%s", "other.example");
	ck_assert_int_eq(store_report(st, &q, &rep), STORE_OK);
	ck_assert_uint_eq(rep.readiness.probe[PROBE_V6].started, 0);
	report_free(&rep);

	/* No secret is left in the database or its -wal, while still open. */
	ck_assert_int_eq(store_maintain_all(st, T0 + 2 * DAY), STORE_OK);
	ck_assert_int_lt(snprintf(wal, sizeof(wal), "%s-wal", db), (int)sizeof(wal));
	for (i = 0; i < 7; i++) {
		ck_assert_msg(!file_has(db, p[i].secret, PROBE_SECRET_LEN),
		    "secret %d in %s", i, db);
		ck_assert_msg(!file_has(wal, p[i].secret, PROBE_SECRET_LEN),
		    "secret %d in %s", i, wal);
	}
	store_close(ro);
	store_close(st);
}
END_TEST

/* The report's series of q, hour by hour or day by day, into want (n buckets). */
static void
probe_series_of(struct store *st, const struct report_query *q,
    struct report_probe_point *want, size_t n, bool check, int line)
{
	struct report	 rep;
	size_t		 i;
	int		 k;

	ck_assert_int_eq(store_report(st, q, &rep), STORE_OK);
	ck_assert_msg(rep.readiness.nseries == n, "line %d: %zu buckets", line,
	    rep.readiness.nseries);
	for (i = 0; i < n; i++)
		for (k = 0; k < PROBE__MAX && check; k++)
			ck_assert_msg(rep.readiness.series[i].probe[k].started ==
			    want[i].probe[k].started &&
			    rep.readiness.series[i].probe[k].reached ==
			    want[i].probe[k].reached &&
			    rep.readiness.series[i].probe[k].wrong ==
			    want[i].probe[k].wrong, "line %d: bucket %zu, %s", line, i,
			    probe_kind_name((enum probe_kind)k));
	if (!check)
		memcpy(want, rep.readiness.series, n * sizeof(*want));
	report_free(&rep);
}

/*
 * The series from series cells (probe_cell.h) is the series from the
 * probe cells; a database without series cells (made before them) gets
 * them at its first write, and is read from its probe cells until then.
 */
START_TEST(test_probe_series_cells)
{
	char				 dir[PATH_MAX], db[PATH_MAX];
	struct store			*st, *ro;
	struct probe_start		 p[7];
	struct report_query		 qh = RQ(T0, T0 + DAY, HOUR, 10);
	struct report_query		 qd = RQ(T0 - 2 * DAY, T0 + 2 * DAY, DAY, 10);
	struct report_probe_point	 hours[24], days[4];
	uint64_t			 sum = 0;
	sqlite3				*raw;
	int64_t				 ids[7];
	size_t				 i;

	newdir(dir, sizeof(dir));
	join(db, sizeof(db), dir, "d.db");
	st = open_ok(db, 0, OPEN_MS);
	probe_seven(st, p, ids);
	ck_assert_int_eq(store_maintain_all(st, T0 + 2 * DAY), STORE_OK);
	ck_assert_int_eq(db_int(db, "SELECT value FROM meta WHERE key = 'series_cells'"), 1);
	ck_assert_int_gt(db_int(db, "SELECT COUNT(*) FROM probe_cell WHERE level >= 16"), 0);
	probe_series_of(st, &qh, hours, 24, false, __LINE__);
	probe_series_of(st, &qd, days, 4, false, __LINE__);
	for (i = 0; i < 24; i++)
		sum += hours[i].probe[PROBE_V6].started;
	ck_assert_uint_eq(sum, 3);
	ck_assert_uint_eq(days[2].probe[PROBE_V4].started, 2);
	ck_assert_uint_eq(days[2].probe[PROBE_V4].wrong, 1);
	ck_assert_uint_eq(days[2].probe[PROBE_SELF].reached, 2);
	store_close(st);

	/* As a database of before series cells: the same series from the probe cells. */
	raw = raw_open(db, SQLITE_OPEN_READWRITE);
	raw_exec(raw, "DELETE FROM probe_cell WHERE level >= 16;"
	    " DELETE FROM probe_cell_prefixes WHERE level >= 16;"
	    " DELETE FROM meta WHERE key = 'series_cells'");
	sqlite3_close(raw);
	ro = open_ok(db, STORE_READONLY_OPEN, OPEN_MS);
	probe_series_of(ro, &qh, hours, 24, true, __LINE__);
	probe_series_of(ro, &qd, days, 4, true, __LINE__);
	store_close(ro);

	/* The first write makes them, and they say the same. */
	st = open_ok(db, 0, OPEN_MS);
	ck_assert_int_eq(store_maintain_all(st, T0 + 2 * DAY), STORE_OK);
	ck_assert_int_eq(db_int(db, "SELECT value FROM meta WHERE key = 'series_cells'"), 1);
	ck_assert_int_gt(db_int(db, "SELECT COUNT(*) FROM probe_cell WHERE level >= 16"), 0);
	probe_series_of(st, &qh, hours, 24, true, __LINE__);
	probe_series_of(st, &qd, days, 4, true, __LINE__);
	/* Read from them, not from the probe cells. */
	raw = raw_open(db, SQLITE_OPEN_READWRITE);
	raw_exec(raw, "DELETE FROM probe_cell WHERE level < 16");
	sqlite3_close(raw);
	probe_series_of(st, &qd, days, 4, true, __LINE__);
	store_close(st);
}
END_TEST

/* Starts that never come back go once they expire: the table does not grow. */
START_TEST(test_probe_expire)
{
	char			 dir[PATH_MAX], db[PATH_MAX];
	struct store		*st;
	struct probe_start	 p[100];
	int64_t			 ids[100], n;
	int			 i, round;

	newdir(dir, sizeof(dir));
	join(db, sizeof(db), dir, "d.db");
	st = open_ok(db, 0, OPEN_MS);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 100; i++)
			p[i] = pstart_at(T0 + round * 100 + i, (enum probe_kind)(i % 3),
			    4, KIND_GLOBAL, "192.0.2.0/24", (char)('a' + i % 6));
		ck_assert_int_eq(store_probe_start(st, p, 100, ids), STORE_OK);
		/* Not yet expired: kept. */
		ck_assert_int_eq(store_maintain(st, T0 + round * 100), STORE_OK);
		ck_assert_int_eq(store_probe_pending(st, &n), STORE_OK);
		ck_assert_int_eq(n, 100);
		ck_assert_int_eq(store_maintain(st, T0 + round * 100 + 200), STORE_OK);
		ck_assert_int_eq(store_probe_pending(st, &n), STORE_OK);
		ck_assert_int_eq(n, 0);
	}
	ck_assert_int_eq(db_int(db, "SELECT COUNT(*) FROM probe"), 0);
	store_close(st);
}
END_TEST

/* A start that cannot be one is refused whole, and nothing is written. */
START_TEST(test_probe_invalid)
{
	char			 dir[PATH_MAX], db[PATH_MAX];
	struct store		*st;
	struct probe_start	 p[2];
	int64_t			 ids[2], n;

	newdir(dir, sizeof(dir));
	join(db, sizeof(db), dir, "d.db");
	st = open_ok(db, 0, OPEN_MS);
	p[0] = pstart_at(T0, PROBE_V6, 4, KIND_GLOBAL, "192.0.2.0/24", 'a');
	p[1] = pstart_at(T0, PROBE_V6, 5, KIND_GLOBAL, "192.0.2.0/24", 'a');
	ck_assert_int_eq(store_probe_start(st, p, 2, ids), STORE_ERROR);
	ck_assert_int_eq(store_probe_pending(st, &n), STORE_OK);
	ck_assert_int_eq(n, 0);
	store_close(st);
}
END_TEST

/* A version 3 database (import's) gains the probe tables, its rows kept. */
START_TEST(test_probe_migrate)
{
	char			 dir[PATH_MAX], db[PATH_MAX];
	struct store		*st;
	struct probe_start	 p;
	sqlite3			*raw;
	int64_t			 id;

	newdir(dir, sizeof(dir));
	join(db, sizeof(db), dir, "d.db");
	st = open_ok(db, 0, OPEN_MS);
	record_ok(st, T0, 4, KIND_GLOBAL, "192.0.2.0/24");
	store_close(st);
	raw = raw_open(db, SQLITE_OPEN_READWRITE);
	/* Schema 3 as it was: no probe tables, no node (schema 5). */
	raw_exec(raw, "DROP TABLE probe; DROP TABLE probe_cell;"
	    " DROP TABLE probe_cell_prefixes; ALTER TABLE request DROP COLUMN node;"
	    " CREATE TABLE h (id INTEGER PRIMARY KEY, host TEXT NOT NULL UNIQUE);"
	    " INSERT INTO h SELECT id, host FROM rollup_host; DROP TABLE rollup_host;"
	    " ALTER TABLE h RENAME TO rollup_host; PRAGMA user_version = 3");
	sqlite3_close(raw);

	st = open_ok(db, 0, OPEN_MS);
	ck_assert_int_eq(db_int(db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	ck_assert_int_eq(db_int(db, "SELECT COUNT(*) FROM request"), 1);
	ck_assert_int_eq(db_int(db, "SELECT COUNT(*) FROM import_file"), 0);
	p = pstart_at(T0, PROBE_V6, 4, KIND_GLOBAL, "192.0.2.0/24", 'a');
	ck_assert_int_eq(store_probe_start(st, &p, 1, &id), STORE_OK);
	ck_assert_int_eq(db_int(db, "SELECT COUNT(*) FROM probe"), 1);
	store_close(st);
}
END_TEST

/*
 * Schema 4 as it was, on either backend, from a database of today: the
 * node columns dropped, rollup_host one host per id again.
 */
static const char *const v4_downgrade[] = {
	/* SQLite */
	"ALTER TABLE request DROP COLUMN node; ALTER TABLE probe DROP COLUMN node;"
	" CREATE TABLE h (id INTEGER PRIMARY KEY, host TEXT NOT NULL UNIQUE);"
	" INSERT INTO h SELECT id, host FROM rollup_host; DROP TABLE rollup_host;"
	" ALTER TABLE h RENAME TO rollup_host; PRAGMA user_version = 4",
	/* PostgreSQL */
	"ALTER TABLE request DROP COLUMN node; ALTER TABLE probe DROP COLUMN node;"
	" ALTER TABLE rollup_host DROP CONSTRAINT rollup_host_host_node;"
	" ALTER TABLE rollup_host DROP COLUMN node;"
	" ALTER TABLE rollup_host ADD CONSTRAINT rollup_host_host_key UNIQUE (host);"
	" UPDATE dualstat_schema SET version = 4",
};

static void	 exec_sql(const char *db, const char *sql);

/*
 * 4 -> 5: what was recorded before is of no node known ("", the report's
 * "(unknown)"), its cells and host ids kept; rows recorded after carry
 * their node, one host under two nodes is two pairs, and the report and
 * its node filter agree with the GROUP BY reference.
 */
START_TEST(test_node_migrate)
{
	char			 dir[PATH_MAX], db[PATH_MAX];
	struct store		*st;
	struct report_query	 q = RQ(T0 - DAY, T0 + 3 * DAY, DAY, 10);
	struct report		 rep;
	struct probe_start	 p;
	struct row		 r[2];
	int64_t			 id, hosts;

	use_backend(_i);
	newdir(dir, sizeof(dir));
	dbname(db, sizeof(db), dir, "d.db");
	st = open_ok(db, 0, OPEN_MS);
	record_ok(st, T0, 4, KIND_GLOBAL, "192.0.2.0/24");
	record_ok(st, T0 + 60, 6, KIND_GLOBAL, "2001:db8:1::/48");
	record_ok(st, T0 + DAY, 6, KIND_GLOBAL, "2001:db8:1::/48");
	ck_assert_int_eq(store_maintain_all(st, T0 + 3 * DAY), STORE_OK);
	p = pstart_at(T0 + 2 * DAY, PROBE_V6, 4, KIND_GLOBAL, "192.0.2.0/24", 'a');
	ck_assert_int_eq(store_probe_start(st, &p, 1, &id), STORE_OK);
	store_close(st);
	hosts = db_int(db, "SELECT COUNT(*) FROM rollup_host");
	ck_assert_int_ge(hosts, 1);
	exec_sql(db, v4_downgrade[_i]);

	st = open_ok(db, 0, OPEN_MS);
	ck_assert_int_eq(db_int(db, _i == 0 ? "PRAGMA user_version" :
	    "SELECT version FROM dualstat_schema"), STORE_SCHEMA_VERSION);
	ck_assert_int_eq(db_int(db, "SELECT COUNT(*) FROM request WHERE node = ''"), 3);
	/* The probe start had its column too (upkeep at open may have counted it). */
	ck_assert_int_eq(db_int(db, "SELECT COUNT(*) FROM probe WHERE node <> ''"), 0);
	ck_assert_int_eq(db_int(db, "SELECT COUNT(*) FROM rollup_host WHERE node = ''"),
	    hosts);
	/* Today's rows: the same host, a node of their own. */
	r[0] = row_at(T0 + 2 * DAY, 6, KIND_GLOBAL, "2001:db8:2::/48");
	r[1] = row_at(T0 + 2 * DAY + 60, 4, KIND_GLOBAL, "198.51.100.0/24");
	r[0].node = r[1].node = "web-1";
	ck_assert_int_eq(store_record_batch(st, r, 2, NULL, 0), STORE_OK);
	ck_assert_int_eq(store_report(st, &q, &rep), STORE_OK);
	ck_assert_uint_eq(rep.total, 5);
	ck_assert_uint_eq(rep.nhosts, 1);
	ck_assert_str_eq(rep.hosts[0].host, "example.org");
	ck_assert_uint_eq(rep.hosts[0].ipv4 + rep.hosts[0].ipv6, 5);
	ck_assert_uint_eq(rep.nnodes, 2);
	ck_assert_str_eq(rep.nodes[0].node, "");
	ck_assert_uint_eq(rep.nodes[0].ipv4 + rep.nodes[0].ipv6, 3);
	ck_assert_str_eq(rep.nodes[1].node, "web-1");
	ck_assert_uint_eq(rep.nodes[1].ipv4, 1);
	ck_assert_uint_eq(rep.nodes[1].ipv6, 1);
	report_free(&rep);
	check_same(st, db, &q, __LINE__);
	ck_assert_int_eq(store_maintain_all(st, T0 + 4 * DAY), STORE_OK);
	ck_assert_int_eq(db_int(db, "SELECT COUNT(*) FROM rollup_host"), hosts + 1);
	check_same(st, db, &q, __LINE__);
	snprintf(q.node, sizeof(q.node), "%s", "web-1");
	check_same(st, db, &q, __LINE__);
	ck_assert_int_eq(store_report(st, &q, &rep), STORE_OK);
	ck_assert_uint_eq(rep.total, 2);
	report_free(&rep);
	store_close(st);
}
END_TEST

#ifdef HAVE_LIBPQ
/* ---- What only the PostgreSQL backend has (DUALSTAT_TEST_PG) ---------- */

#include <sys/socket.h>

#include "store_backend.h"

/* Run sql (no rows wanted) on db behind the store's back. */
static void
pg_exec_sql(const char *db, const char *sql)
{
	PGconn		*c;
	PGresult	*res;

	c = PQconnectdb(db);
	ck_assert_msg(PQstatus(c) == CONNECTION_OK, "%s", PQerrorMessage(c));
	res = PQexec(c, sql);
	ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK ||
	    PQresultStatus(res) == PGRES_TUPLES_OK, "%s: %s", sql, PQerrorMessage(c));
	PQclear(res);
	PQfinish(c);
}

/* A fresh PostgreSQL database (a schema) for one test, and its name. */
static void
pg_fresh(char *db, size_t size)
{
	char	 dir[PATH_MAX];

	use_backend(1);
	newdir(dir, sizeof(dir));
	dbname(db, size, dir, "d");
}

/* A schema newer than this dualstat is refused, and left as it is. */
START_TEST(test_pg_too_new)
{
	char		 db[PATH_MAX], err[512];
	struct store	*st;

	pg_fresh(db, sizeof(db));
	store_close(open_ok(db, 0, OPEN_MS));
	ck_assert_int_eq(db_int(db, "SELECT version FROM dualstat_schema"),
	    STORE_SCHEMA_VERSION);
	pg_exec_sql(db, "UPDATE dualstat_schema SET version = 99");
	ck_assert_int_eq(store_open(&st, db, 0, 1000, err, sizeof(err)), STORE_TOONEW);
	ck_assert_ptr_null(st);
	ck_assert_msg(strstr(err, "newer") != NULL, "%s", err);
	ck_assert_int_eq(store_open(&st, db, STORE_READONLY_OPEN, 1000, err,
	    sizeof(err)), STORE_TOONEW);
	ck_assert_int_eq(db_int(db, "SELECT version FROM dualstat_schema"), 99);
}
END_TEST

/* A reader never creates: an empty database stays empty. */
START_TEST(test_pg_readonly_fresh)
{
	char		 db[PATH_MAX], err[512];
	struct store	*st;
	struct store_info info;

	pg_fresh(db, sizeof(db));
	ck_assert_int_ne(store_open(&st, db, STORE_READONLY_OPEN, 1000, err,
	    sizeof(err)), STORE_OK);
	ck_assert_ptr_null(st);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM pg_tables WHERE "
	    "schemaname = current_schema()"), 0);
	st = open_ok(db, 0, OPEN_MS);
	record_ok(st, T0, 4, KIND_GLOBAL, "192.0.2.0/24");
	ck_assert_int_eq(store_info(st, &info), STORE_OK);
	ck_assert_str_eq(info.journal_mode, "postgresql");
	ck_assert_int_eq(info.schema_version, STORE_SCHEMA_VERSION);
	ck_assert_int_eq(info.rows, 1);
	ck_assert_int_eq(info.last_time, T0);
	ck_assert(info.writable);
	store_close(st);
}
END_TEST

/* The connection cut just after COMMIT went out: the server committed. */
static void
cut_after_commit(void *conn)
{

	ck_assert_int_eq(PQsendQuery(conn, "COMMIT"), 1);
	ck_assert_int_eq(PQflush(conn), 0);
	(void)shutdown(PQsocket(conn), SHUT_RDWR);
}

/* ... and just before: nothing was committed. */
static void
cut_before_commit(void *conn)
{

	(void)shutdown(PQsocket(conn), SHUT_RDWR);
}

/*
 * A commit whose answer is lost is found out on a new connection: the
 * batch is counted once if it went in, and said to be lost if it did
 * not (the caller then knows its rows are not recorded).  Recording
 * (one statement, its own transaction: store_pg_cut_record) and an
 * import's transaction (its COMMIT: store_pg_before_commit).
 */
START_TEST(test_pg_commit_lost)
{
	char			 db[PATH_MAX];
	struct store		*st;
	struct row		 rows[3];
	const uint64_t		 counts[3] = { 5, 6, 7 };
	int64_t			 v;
	uint64_t		 v4, v6;

	pg_fresh(db, sizeof(db));
	st = open_ok(db, 0, 5000);
	rows[0] = row_at(T0, 6, KIND_GLOBAL, "2001:db8::/48");
	rows[1] = row_at(T0, 4, KIND_GLOBAL, "192.0.2.0/24");
	rows[2] = row_at(T0 + 1, 4, KIND_GLOBAL, "198.51.100.0/24");

	store_pg_cut_record = 2;
	ck_assert_msg(store_record_batch(st, rows, 3, "batch", 1) == STORE_OK,
	    "%s", store_errmsg(st));
	store_pg_cut_record = 0;
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM request"), 3);
	ck_assert_int_eq(store_meta_get(st, "batch", &v), STORE_OK);
	ck_assert_int_eq(v, 1);

	store_pg_cut_record = 1;
	ck_assert_int_eq(store_record_batch(st, rows, 3, "batch", 2), STORE_ERROR);
	store_pg_cut_record = 0;
	ck_assert_msg(strstr(store_errmsg(st), "nothing of it was written") != NULL,
	    "%s", store_errmsg(st));
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM request"), 3);
	ck_assert_int_eq(store_meta_get(st, "batch", &v), STORE_OK);
	ck_assert_int_eq(v, 1);

	/* The handle goes on by itself, on a new connection. */
	ck_assert_int_eq(store_record_batch(st, rows, 3, "batch", 3), STORE_OK);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM request"), 6);

	/* A transaction's COMMIT: rows added to the cells by an import. */
	store_pg_before_commit = cut_after_commit;
	ck_assert_msg(store_add_counted(st, rows, counts, 3, NULL) == STORE_OK, "%s",
	    store_errmsg(st));
	store_pg_before_commit = cut_before_commit;
	ck_assert_int_eq(store_add_counted(st, rows, counts, 3, NULL), STORE_ERROR);
	ck_assert_msg(strstr(store_errmsg(st), "nothing of it was written") != NULL,
	    "%s", store_errmsg(st));
	store_pg_before_commit = NULL;
	/* Counted once: 6 + 7 and 5, and the 6 raw rows (4 and 2). */
	ck_assert_int_eq(store_count(st, T0, T0 + 2, &v4, &v6), STORE_OK);
	ck_assert_uint_eq(v4, 17);
	ck_assert_uint_eq(v6, 7);
	ck_assert_msg(store_add_counted(st, rows, counts, 3, NULL) == STORE_OK, "%s",
	    store_errmsg(st));
	ck_assert_int_eq(store_count(st, T0, T0 + 2, &v4, &v6), STORE_OK);
	ck_assert_uint_eq(v4, 30);
	ck_assert_uint_eq(v6, 12);
	store_close(st);
}
END_TEST

/*
 * A serialization failure (40001), as PostgreSQL in SERIALIZABLE or
 * CockroachDB answer, is retried: made here by a trigger that fails the
 * first `fails` inserts (a sequence: it counts across the rollbacks).
 */
static void
fail_inserts(const char *db, int fails)
{
	char	 sql[1024];

	(void)snprintf(sql, sizeof(sql),
	    "CREATE SEQUENCE fail_seq;"
	    "CREATE FUNCTION fail_some() RETURNS trigger LANGUAGE plpgsql AS $$"
	    " BEGIN IF nextval('fail_seq') <= %d THEN"
	    " RAISE EXCEPTION 'could not serialize (test)' USING ERRCODE = '40001';"
	    " END IF; RETURN NULL; END $$;"
	    "CREATE TRIGGER fail_some BEFORE INSERT ON request"
	    " FOR EACH STATEMENT EXECUTE FUNCTION fail_some()", fails);
	pg_exec_sql(db, sql);
}

START_TEST(test_pg_retry)
{
	char		 db[PATH_MAX];
	struct store	*st;
	struct row	 rows[2];

	pg_fresh(db, sizeof(db));
	st = open_ok(db, 0, 5000);
	rows[0] = row_at(T0, 6, KIND_GLOBAL, "2001:db8::/48");
	rows[1] = row_at(T0, 4, KIND_GLOBAL, "192.0.2.0/24");
	fail_inserts(db, 2);
	ck_assert_msg(store_record_batch(st, rows, 2, NULL, 0) == STORE_OK, "%s",
	    store_errmsg(st));
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM request"), 2);
	ck_assert_int_eq(db_int(db, "SELECT nextval('fail_seq')"), 4);
	/* One row, outside a batch, too. */
	pg_exec_sql(db, "SELECT setval('fail_seq', 1, false)");
	ck_assert_msg(store_record(st, &rows[0]) == STORE_OK, "%s", store_errmsg(st));
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM request"), 3);
	/* Failing for ever: a few tries, then the failure, nothing written. */
	pg_exec_sql(db, "SELECT setval('fail_seq', 1, false);"
	    "ALTER FUNCTION fail_some() RENAME TO fail_some_old;"
	    "CREATE FUNCTION fail_some() RETURNS trigger LANGUAGE plpgsql AS $$"
	    " BEGIN PERFORM nextval('fail_seq'); RAISE EXCEPTION 'no' USING ERRCODE = '40001';"
	    " END $$;"
	    "DROP TRIGGER fail_some ON request;"
	    "CREATE TRIGGER fail_some BEFORE INSERT ON request"
	    " FOR EACH STATEMENT EXECUTE FUNCTION fail_some()");
	ck_assert_int_eq(store_record_batch(st, rows, 2, NULL, 0), STORE_BUSY);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM request"), 3);
	ck_assert_int_eq(db_int(db, "SELECT last_value FROM fail_seq"), 5);
	store_close(st);
}
END_TEST
#endif

Suite *
store_suite(void)
{
	Suite	*s;
	TCase	*tc;
	int	 i;

	s = suite_create("store");
	nbackends = 1;
#ifdef HAVE_LIBPQ
	if (getenv("DUALSTAT_TEST_PG") != NULL && getenv("DUALSTAT_TEST_PG")[0] != '\0')
		nbackends = 2;
#endif
	for (i = 0; i < nbackends; i++)
		fprintf(stderr, "%s%s", i == 0 ? "store: backends: " : " ",
		    backends[i].name);
	fprintf(stderr, "\n");

	/* Backend-neutral: each test once per backend (backends[], its _i). */
	tc = tcase_create("core");
	tcase_add_unchecked_fixture(tc, root_setup, root_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_row_columns, 0, NBACKENDS);
	tcase_add_loop_test(tc, test_report_counts, 0, NBACKENDS);
	tcase_add_loop_test(tc, test_report_hourly, 0, NBACKENDS);
	tcase_add_loop_test(tc, test_report_daily, 0, NBACKENDS);
	tcase_add_loop_test(tc, test_report_bounds, 0, NBACKENDS);
	tcase_add_loop_test(tc, test_probe_backends, 0, NBACKENDS);
	suite_add_tcase(s, tc);

	tc = tcase_create("rollup");
	tcase_add_unchecked_fixture(tc, root_setup, root_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_rollup_random, 0, NBACKENDS);
	tcase_add_loop_test(tc, test_node_migrate, 0, NBACKENDS);
	tcase_add_loop_test(tc, test_rollup_concurrent, 0, NBACKENDS);
	tcase_add_loop_test(tc, test_count_rollup, 0, NBACKENDS);
	tcase_add_loop_test(tc, test_counted_reference, 0, NBACKENDS);
	tcase_add_loop_test(tc, test_counted_import_record, 0, NBACKENDS);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_unchecked_fixture(tc, root_setup, root_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_host_cut, 0, NBACKENDS);
	tcase_add_loop_test(tc, test_invalid_rows, 0, NBACKENDS);
	tcase_add_loop_test(tc, test_report_limits, 0, NBACKENDS);
	tcase_add_loop_test(tc, test_count_widen, 0, NBACKENDS);
	tcase_add_loop_test(tc, test_counted_limits, 0, NBACKENDS);
	tcase_add_test(tc, test_open_limits);
	tcase_add_test(tc, test_open_scheme);
	tcase_add_loop_test(tc, test_db_display, 0,
	    (int)(sizeof(display_rows) / sizeof(display_rows[0])));
	tcase_add_test(tc, test_db_display_cut);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_share_free);
	suite_add_tcase(s, tc);

	/*
	 * What only the SQLite backend has: the file and its modes, WAL,
	 * schema versions written by hand, locks held by a second connection,
	 * files deleted or replaced, its own hooks counting transactions.
	 */
	tc = tcase_create("sqlite");
	tcase_add_unchecked_fixture(tc, root_setup, root_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_create_modes);
	tcase_add_test(tc, test_wal_and_version);
	tcase_add_test(tc, test_too_new);
	tcase_add_test(tc, test_migrate_empty_file);
	tcase_add_test(tc, test_migrate_version0);
	tcase_add_test(tc, test_readonly_missing);
	tcase_add_test(tc, test_readonly_handle);
	tcase_add_test(tc, test_readonly_old_schema);
	tcase_add_test(tc, test_busy);
	tcase_add_test(tc, test_wait_total);
	tcase_add_test(tc, test_batch);
	tcase_add_test(tc, test_meta_delete);
	tcase_add_test(tc, test_writers);
	tcase_add_test(tc, test_prune);
	tcase_add_test(tc, test_prune_default_batch);
	tcase_add_test(tc, test_privacy);
	tcase_add_test(tc, test_info);
	tcase_add_test(tc, test_moved);
	tcase_add_test(tc, test_rollup_migrate);
	tcase_add_test(tc, test_rollup_prune);
	tcase_add_test(tc, test_probe_flow);
	tcase_add_test(tc, test_probe_expire);
	tcase_add_test(tc, test_probe_invalid);
	tcase_add_test(tc, test_probe_migrate);
	tcase_add_test(tc, test_probe_series_cells);
	tcase_add_test(tc, test_rollup_series_cells);
	suite_add_tcase(s, tc);

#ifdef HAVE_LIBPQ
	/* What only PostgreSQL has: run when a server was given (tests/pg_store.sh). */
	if (nbackends > 1) {
		tc = tcase_create("postgresql");
		tcase_add_unchecked_fixture(tc, root_setup, root_teardown);
		tcase_set_timeout(tc, 60);
		tcase_add_test(tc, test_pg_too_new);
		tcase_add_test(tc, test_pg_readonly_fresh);
		tcase_add_test(tc, test_pg_commit_lost);
		tcase_add_test(tc, test_pg_retry);
		suite_add_tcase(s, tc);
	}
#endif

	return s;
}
