/* check_setup.c: the setup checks (check-config, /check) against real folders, files and databases. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "config.h"
#include "page.h"
#include "setup_check.h"
#include "store.h"
#include "check_suites.h"

/* ---- setup_path_below: by components, never by a shared string prefix */

static const struct {
	int		 line;
	const char	*path, *root;
	bool		 below;
} below_rows[] = {
	{ CASE_LINE, "/srv/www/db/x.db", "/srv/www", true },
	{ CASE_LINE, "/srv/www", "/srv/www", true },
	{ CASE_LINE, "/srv/www/", "/srv/www", true },
	{ CASE_LINE, "/srv/www/db", "/srv/www/", true },
	{ CASE_LINE, "/srv/www/db", "/srv/www//", true },
	{ CASE_LINE, "/srv/www2/db", "/srv/www", false },
	{ CASE_LINE, "/srv/ww", "/srv/www", false },
	{ CASE_LINE, "/srv", "/srv/www", false },
	{ CASE_LINE, "/home/u/dualstat/x.db", "/home/u/public_html", false },
};

/* The edges: the root folder, empty and relative names. */
static const struct {
	int		 line;
	const char	*path, *root;
	bool		 below;
} below_limits[] = {
	{ CASE_LINE, "/anything", "/", true },
	{ CASE_LINE, "/", "/", true },
	{ CASE_LINE, "/anything", "//", true },
	{ CASE_LINE, "/a", "", false },
	{ CASE_LINE, "a/b", "a", false },
	{ CASE_LINE, "/a/b", "a", false },
	{ CASE_LINE, "", "/", false },
};

START_TEST(path_below)
{
	ck_assert_msg(setup_path_below(below_rows[_i].path, below_rows[_i].root) ==
	    below_rows[_i].below, "line %d: \"%s\" below \"%s\" is not %d", below_rows[_i].line,
	    below_rows[_i].path, below_rows[_i].root, below_rows[_i].below);
}
END_TEST

START_TEST(path_below_limits)
{
	ck_assert_msg(setup_path_below(below_limits[_i].path, below_limits[_i].root) ==
	    below_limits[_i].below, "line %d: \"%s\" below \"%s\" is not %d",
	    below_limits[_i].line, below_limits[_i].path, below_limits[_i].root,
	    below_limits[_i].below);
}
END_TEST

/* ---- the checks, each in a folder of its own */

static char	 dir[256];
static char	 conf_path[300];
static struct config cfg;
static char	 conf_err[CONFIG_ERR_MAX];
static struct setup_env env;
static struct setup_report rep;

static void
setup(void)
{
	const char	*tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/check-setup.XXXXXX", tmp != NULL ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	memset(&cfg, 0, sizeof(cfg));
	memset(&env, 0, sizeof(env));
	memset(&rep, 0, sizeof(rep));
}

static void
teardown(void)
{
	char	 cmd[600];

	config_free(&cfg);
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s' && rm -rf '%s'", dir, dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* DIR/name */
static const char *
at(const char *name)
{
	static char	 p[4][400];
	static int	 k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

static void
touch(const char *path)
{
	FILE	*f = fopen(path, "w");

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	fputs("x\n", f);
	fclose(f);
}

static void	 conf(const char *, ...) __attribute__((format(printf, 1, 2)));

/*
 * A configuration file DIR/dualstat.conf with these lines, loaded the way
 * the program loads it; env describes it.
 */
static void
conf(const char *fmt, ...)
{
	FILE	*f;
	va_list	 ap;

	snprintf(conf_path, sizeof(conf_path), "%s/dualstat.conf", dir);
	ck_assert_ptr_nonnull(f = fopen(conf_path, "w"));
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
	config_free(&cfg);
	env.conf_ok = config_load(&cfg, conf_path, conf_err, sizeof(conf_err)) == 0;
	env.conf_path = conf_path;
	env.conf_err = conf_err;
	env.cfg = &cfg;
	env.uid = 1234;
	env.gid = 5678;
}

static enum setup_level
one(enum setup_topic t)
{
	setup_check_one(&env, t, &rep);
	return rep.f[t].level;
}

#define ck_level(t, want, needle) do {						\
	enum setup_level _l = one(t);						\
	ck_assert_msg(_l == (want), "%s: %s, not %s: %s", setup_topic_name(t),	\
	    setup_level_name(_l), setup_level_name(want), rep.f[t].text);	\
	ck_assert_msg(strstr(rep.f[t].text, (needle)) != NULL,			\
	    "%s: [%s] not in: %s", setup_topic_name(t), (needle), rep.f[t].text); \
} while (0)

START_TEST(config_findings)
{
	conf("database = %s/db/x.db\n", dir);
	ck_level(SETUP_CONFIG, SETUP_OK, "dualstat.conf was read without errors");
	conf("database = %s/db/x.db\nipv6_prefix = 200\n", dir);
	ck_level(SETUP_CONFIG, SETUP_PROBLEM, "dualstat.conf:2: ipv6_prefix");
	ck_level(SETUP_CONFIG, SETUP_PROBLEM, "every page but this one answers 500");
	/* What needs the configuration says so instead of checking defaults. */
	ck_level(SETUP_FOLDER, SETUP_UNCHECKED, "the configuration has an error");
	ck_level(SETUP_DATABASE, SETUP_UNCHECKED, "the configuration has an error");
	ck_level(SETUP_STYLESHEET, SETUP_UNCHECKED, "the configuration has an error");
	/* A named file that is not there: the hint about its name. */
	unlink(conf_path);
	config_free(&cfg);
	env.conf_ok = config_load(&cfg, conf_path, conf_err, sizeof(conf_err)) == 0;
	ck_level(SETUP_CONFIG, SETUP_PROBLEM, "the whole path of the file");
	/* No file at the default place: the defaults, said as a note. */
	config_free(&cfg);
	ck_assert_int_eq(config_defaults(&cfg), 0);
	env.conf_ok = true;
	ck_level(SETUP_CONFIG, SETUP_NOTE, "built-in defaults");
}
END_TEST

START_TEST(config_unreadable)
{
	conf("database = %s/db/x.db\n", dir);
	chmod(conf_path, 0);
	config_free(&cfg);
	env.conf_ok = config_load(&cfg, conf_path, conf_err, sizeof(conf_err)) == 0;
	if (env.conf_ok)	/* root reads through modes: tests/e2e_check.sh runs as nobody */
		return;
	ck_level(SETUP_CONFIG, SETUP_PROBLEM, "must be able to read the file");
}
END_TEST

START_TEST(folder_findings)
{
	conf("database = %s/db/x.db\n", dir);
	ck_level(SETUP_FOLDER, SETUP_NOTE, "does not exist yet: dualstat makes it");
	ck_assert_int_eq(mkdir(at("db"), 0700), 0);
	ck_level(SETUP_FOLDER, SETUP_OK, "can create files in it");
	/* The try left nothing behind. */
	ck_assert_int_eq(rmdir(at("db")), 0);
	/* Two levels missing: made as mkdir -p does. */
	conf("database = %s/a/b/x.db\n", dir);
	ck_level(SETUP_FOLDER, SETUP_NOTE, "does not exist yet");
	/* The folder is a file. */
	touch(at("file"));
	conf("database = %s/file/x.db\n", dir);
	ck_level(SETUP_FOLDER, SETUP_PROBLEM, "is not a folder");
	/* Below a file: nothing can be made. */
	conf("database = %s/file/db/x.db\n", dir);
	ck_level(SETUP_FOLDER, SETUP_PROBLEM, "cannot reach");
	ck_level(SETUP_FOLDER, SETUP_PROBLEM, "Not a directory");
	/* Missing below a missing folder below a file: the nearest one there cannot take it. */
	conf("database = %s/file/a/b/x.db\n", dir);
	ck_level(SETUP_FOLDER, SETUP_PROBLEM, "cannot reach");
	/* Not writable: only a non-root user sees modes (e2e_check.sh: nobody). */
	if (geteuid() != 0) {
		ck_assert_int_eq(mkdir(at("ro"), 0500), 0);
		conf("database = %s/ro/x.db\n", dir);
		ck_level(SETUP_FOLDER, SETUP_PROBLEM, "cannot create files in");
	}
}
END_TEST

static void
make_db(const char *path, int version)
{
	sqlite3	*db;
	char	 sql[64];

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

START_TEST(database_findings)
{
	char	 msg[128];

	ck_assert_int_eq(mkdir(at("db"), 0700), 0);
	conf("database = %s/db/x.db\n", dir);
	ck_level(SETUP_DATABASE, SETUP_NOTE, "does not exist yet");
	make_db(at("db/x.db"), 99);
	snprintf(msg, sizeof(msg), "database schema 99 is newer than this dualstat (%d)",
	    STORE_SCHEMA_VERSION);
	ck_level(SETUP_DATABASE, SETUP_PROBLEM, msg);
	ck_level(SETUP_DATABASE, SETUP_PROBLEM, "put the newer program back");
	unlink(at("db/x.db"));
	make_db(at("db/x.db"), 1);
	ck_level(SETUP_DATABASE, SETUP_NOTE, "older than this dualstat");
	/* Something beside it that SQLite could not write (here: not even a file). */
	ck_assert_int_eq(mkdir(at("db/x.db-shm"), 0700), 0);
	ck_level(SETUP_DATABASE, SETUP_PROBLEM, "x.db-shm");
	ck_level(SETUP_DATABASE, SETUP_PROBLEM, "Is a directory");
	ck_assert_int_eq(rmdir(at("db/x.db-shm")), 0);
	/* The database itself a folder. */
	unlink(at("db/x.db"));
	ck_assert_int_eq(mkdir(at("db/x.db"), 0700), 0);
	ck_level(SETUP_DATABASE, SETUP_PROBLEM, "cannot write");
}
END_TEST

START_TEST(database_ok)
{
	struct store	*st;
	struct stat	 before, after;
	char		 e[256], msg[128];

	ck_assert_int_eq(mkdir(at("db"), 0700), 0);
	conf("database = %s/db/x.db\n", dir);
	ck_assert_int_eq(store_open(&st, at("db/x.db"), 0, 100, e, sizeof(e)), STORE_OK);
	store_close(st);
	ck_assert_int_eq(stat(at("db/x.db"), &before), 0);
	snprintf(msg, sizeof(msg), "schema %d, 0 raw rows, writable by uid 1234",
	    STORE_SCHEMA_VERSION);
	ck_level(SETUP_DATABASE, SETUP_OK, msg);
	/* Looked at, not changed. */
	ck_assert_int_eq(stat(at("db/x.db"), &after), 0);
	ck_assert_int_eq(before.st_size, after.st_size);
	ck_assert_int_eq(before.st_mtim.tv_sec, after.st_mtim.tv_sec);
	ck_assert_int_eq(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
}
END_TEST

START_TEST(exposed_places)
{
	ck_assert_int_eq(mkdir(at("htdocs"), 0755), 0);
	ck_assert_int_eq(mkdir(at("htdocs2"), 0755), 0);
	ck_assert_int_eq(mkdir(at("home"), 0755), 0);
	/* The configuration lives in DIR, beside htdocs: not below it. */
	conf("database = %s/htdocs2/x.db\n", dir);
	ck_level(SETUP_EXPOSED, SETUP_UNCHECKED, "known only through the web server");
	env.document_root = at("htdocs");
	ck_level(SETUP_EXPOSED, SETUP_OK, "Neither the database nor the configuration");
	conf("database = %s/htdocs/db/x.db\n", dir);
	ck_level(SETUP_EXPOSED, SETUP_PROBLEM, "anyone could download it");
	/* Through a link that points into the document root. */
	ck_assert_int_eq(symlink(at("htdocs"), at("home/link")), 0);
	conf("database = %s/home/link/x.db\n", dir);
	ck_level(SETUP_EXPOSED, SETUP_PROBLEM, "anyone could download it");
	/* The configuration itself below it. */
	conf("database = %s/home/x.db\n", dir);
	env.conf_path = at("htdocs/dualstat.conf");
	ck_level(SETUP_EXPOSED, SETUP_WARNING, "where the web server may hand it to anyone");
	/* A document root given with a trailing slash is the same folder. */
	env.conf_path = conf_path;
	conf("database = %s/htdocs/x.db\n", dir);
	env.document_root = at("htdocs/");
	ck_level(SETUP_EXPOSED, SETUP_PROBLEM, "anyone could download it");
}
END_TEST

START_TEST(stylesheet_findings)
{
	ck_assert_int_eq(mkdir(at("htdocs"), 0755), 0);
	conf("database = %s/x.db\nstatic_url = /dualstat-www\n", dir);
	ck_level(SETUP_STYLESHEET, SETUP_UNCHECKED, "known only through the web server");
	env.document_root = at("htdocs");
	ck_level(SETUP_STYLESHEET, SETUP_WARNING, "There is no stylesheet at");
	ck_level(SETUP_STYLESHEET, SETUP_WARNING, "htdocs/dualstat-www/dualstat.css");
	env.script_name = "/stats";
	ck_level(SETUP_STYLESHEET, SETUP_WARNING, "the path dualstat answers at (/stats)");
	ck_assert_int_eq(mkdir(at("htdocs/dualstat-www"), 0755), 0);
	touch(at("htdocs/dualstat-www/dualstat.css"));
	ck_level(SETUP_STYLESHEET, SETUP_OK, "is there");
	/* dualstat's own path: it serves the built-in stylesheet. */
	conf("database = %s/x.db\nstatic_url = /stats\n", dir);
	ck_level(SETUP_STYLESHEET, SETUP_OK, "built-in stylesheet, at /stats/dualstat.css");
	/* From the command line with the document root: /stats is the program, a file. */
	env.script_name = NULL;
	touch(at("htdocs/stats"));
	ck_level(SETUP_STYLESHEET, SETUP_NOTE, "if that is dualstat itself");
	/* At the site root ("/" is kept as ""). */
	conf("database = %s/x.db\nstatic_url = /\n", dir);
	env.script_name = "";
	ck_level(SETUP_STYLESHEET, SETUP_OK, "built-in stylesheet");
	env.script_name = "/stats";
	ck_level(SETUP_STYLESHEET, SETUP_WARNING, "htdocs/dualstat.css");
	/* Another site: never fetched; over https, an http:// one is refused by browsers. */
	conf("database = %s/x.db\nstatic_url = http://cdn.example/ds\n", dir);
	ck_level(SETUP_STYLESHEET, SETUP_UNCHECKED, "fetches nothing");
	env.https = true;
	ck_level(SETUP_STYLESHEET, SETUP_PROBLEM, "browsers refuse an http:// stylesheet");
	conf("database = %s/x.db\nstatic_url = https://cdn.example/ds\n", dir);
	env.https = true;
	ck_level(SETUP_STYLESHEET, SETUP_UNCHECKED, "https://cdn.example/ds/dualstat.css");
}
END_TEST

START_TEST(program_findings)
{
	conf("database = %s/x.db\n", dir);
	env.is_static = true;
	ck_level(SETUP_PROGRAM, SETUP_OK, "linked statically");
	ck_level(SETUP_PROGRAM, SETUP_OK, "serve --user and --socket-owner are refused");
	ck_level(SETUP_PROGRAM, SETUP_OK, "uid 1234, gid 5678");
	ck_level(SETUP_PROGRAM, SETUP_OK, "the command line");
	env.is_static = false;
	env.web = true;
	ck_level(SETUP_PROGRAM, SETUP_OK, "linked dynamically");
	ck_level(SETUP_PROGRAM, SETUP_OK, "as the web server runs it");
	/* This test program is linked dynamically. */
	ck_assert(!setup_is_static());
}
END_TEST

START_TEST(report_counts)
{
	ck_assert_int_eq(mkdir(at("htdocs"), 0755), 0);
	conf("database = %s/htdocs/x.db\nstatic_url = /nowhere\n", dir);
	env.document_root = at("htdocs");
	setup_check(&env, &rep);
	ck_assert_uint_eq(rep.problems, 1);	/* the database in the document root */
	ck_assert_uint_eq(rep.warnings, 1);	/* no stylesheet */
	conf("database = %s/x.db\nipv4_prefix = x\n", dir);
	setup_check(&env, &rep);
	ck_assert_uint_eq(rep.problems, 1);
	ck_assert_uint_eq(rep.warnings, 0);
}
END_TEST

START_TEST(report_rendered)
{
	struct buf	 b = { 0 };
	struct page_site site = { "site", "/static", "/stats" };

	ck_assert_int_eq(mkdir(at("a<b>\x1b[2J"), 0755), 0);
	/* The parser takes no control characters: a name from elsewhere may hold them. */
	conf("database = %s/x.db\n", dir);
	free(cfg.database);
	ck_assert_ptr_nonnull(cfg.database = strdup(at("a<b>\x1b[2J/x.db")));
	setup_check(&env, &rep);
	page_check_html(&b, &site, &rep);
	ck_assert(!b.failed);
	ck_assert_ptr_null(strstr(buf_str(&b), "a<b>"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "a&lt;b&gt;"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "<dt class=\"check-unchecked\">stylesheet: not checked</dt>"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "No problems found."));
	buf_reset(&b);
	page_check_text(&b, &rep);
	ck_assert_ptr_null(strchr(buf_str(&b), '\x1b'));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "a<b>?[2J"));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "not checked  stylesheet: "));
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "\nNo problems found.\n"));
	buf_free(&b);
}
END_TEST

/* A finding too long for its buffer is cut with "...", never overrun. */
START_TEST(long_text)
{
	char	 longname[2000];

	memset(longname, 'd', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	longname[0] = '/';
	conf("database = %s/x.db\n", dir);
	free(cfg.database);
	ck_assert_ptr_nonnull(cfg.database = malloc(strlen(longname) * 2 + 2));
	sprintf(cfg.database, "%s%s", longname, longname);
	one(SETUP_FOLDER);
	ck_assert_uint_eq(strlen(rep.f[SETUP_FOLDER].text), SETUP_TEXT_MAX - 1);
	ck_assert_str_eq(rep.f[SETUP_FOLDER].text + SETUP_TEXT_MAX - 4, "...");
}
END_TEST

Suite *
setup_suite(void)
{
	Suite	*s = suite_create("setup");
	TCase	*tc;

	tc = tcase_create("paths");
	tcase_add_loop_test(tc, path_below, 0, sizeof(below_rows) / sizeof(below_rows[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("checks");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, config_findings);
	tcase_add_test(tc, config_unreadable);
	tcase_add_test(tc, folder_findings);
	tcase_add_test(tc, database_findings);
	tcase_add_test(tc, database_ok);
	tcase_add_test(tc, exposed_places);
	tcase_add_test(tc, stylesheet_findings);
	tcase_add_test(tc, program_findings);
	tcase_add_test(tc, report_counts);
	tcase_add_test(tc, report_rendered);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, path_below_limits, 0,
	    sizeof(below_limits) / sizeof(below_limits[0]));
	tcase_add_test(tc, long_text);
	suite_add_tcase(s, tc);
	return s;
}
