/* check_app.c: routing, access control, recording and headers, through app_handle(). */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "app.h"
#include "check_suites.h"
#include "log.h"
#include "rollup.h"
#include "row.h"
#include "store.h"

#define PARAMS_MAX	16

struct params {
	const char	*name[PARAMS_MAX];
	const char	*value[PARAMS_MAX];
	size_t		 n;
};

static char	 dir[64];
static char	 dbpath[128];
static char	 confpath[128];

/* The k-th param called name, as a web server that sends a header twice passes it. */
static const char *
get(void *ctx, const char *name, size_t k)
{
	struct params	*p = ctx;
	size_t		 i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->name[i], name) == 0 && k-- == 0)
			return p->value[i];
	return NULL;
}

/* One more param of that name, after those there are. */
static void
add(struct params *p, const char *name, const char *value)
{
	ck_assert_uint_lt(p->n, PARAMS_MAX);
	p->name[p->n] = name;
	p->value[p->n++] = value;
}

static void
set(struct params *p, const char *name, const char *value)
{
	size_t	 i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->name[i], name) == 0) {
			p->value[i] = value;
			return;
		}
	ck_assert_uint_lt(p->n, PARAMS_MAX);
	p->name[p->n] = name;
	p->value[p->n++] = value;
}

/* A GET of path from addr, as a web server on [::1] would pass it. */
static struct params
req_from(const char *path, const char *addr)
{
	struct params	 p = { .n = 0 };

	set(&p, "REQUEST_METHOD", "GET");
	set(&p, "SCRIPT_NAME", "/dualstat");
	set(&p, "PATH_INFO", path);
	set(&p, "QUERY_STRING", "");
	set(&p, "HTTP_HOST", "example.test");
	set(&p, "REMOTE_ADDR", addr);
	set(&p, "SERVER_ADDR", "::1");
	return p;
}

static void
write_conf(const char *extra)
{
	FILE	*f;

	f = fopen(confpath, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "database = %s\n%s", dbpath, extra);
	ck_assert_int_eq(fclose(f), 0);
}

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "%s/check_app.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(dbpath, sizeof(dbpath), "%s/db/dualstat.db", dir);
	snprintf(confpath, sizeof(confpath), "%s/dualstat.conf", dir);
	write_conf("");
}

static void
teardown(void)
{
	char	 cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Run one request through a fresh app, as one CGI process would. */
static void
run(struct params *p, struct response *r, struct stats *stats)
{
	struct app	 a;
	struct request	 req;

	app_init(&a, confpath, APP_CGI, stats != NULL ? stats : stats_create());
	request_read(&req, get, p, &a.cfg);
	app_handle(&a, &req, r);
	app_free(&a);
}

static char *
head_of(const struct response *r)
{
	static struct buf	 b;

	buf_reset(&b);
	response_head(r, &b);
	return b.data;
}

/* One value from the database, straight through SQLite, so the test does not trust the store. */
static long long
db_int(const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	long long	 v = -1;

	if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return -1;
	}
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static char *
db_text(const char *sql)
{
	static char	 out[512];
	sqlite3		*db;
	sqlite3_stmt	*st;

	out[0] = '\0';
	if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return out;
	}
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
		snprintf(out, sizeof(out), "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

START_TEST(landing_records_ipv6)
{
	struct params	 p = req_from("/", "2001:db8:1:2::77");
	struct response	 r;

	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.content_type, "text/html; charset=utf-8");
	ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "IPv6"));
	ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "2001:db8:1::/48"));
	response_free(&r);
	ck_assert_int_eq(db_int("SELECT count(*) FROM request"), 1);
	ck_assert_str_eq(db_text("SELECT prefix FROM request"), "2001:db8:1::/48");
	ck_assert_str_eq(db_text("SELECT kind FROM request"), "documentation");
	ck_assert_str_eq(db_text("SELECT how FROM request"), "page");
	ck_assert_int_eq(db_int("SELECT family FROM request"), 6);
	ck_assert_int_eq(db_int("SELECT server_family FROM request"), 6);
	ck_assert_str_eq(db_text("SELECT host FROM request"), "example.test");
	ck_assert_int_eq(db_int("SELECT via_proxy FROM request"), 0);
}
END_TEST

START_TEST(landing_records_mapped_ipv4)
{
	struct params	 p = req_from("", "::ffff:198.51.100.23");
	struct response	 r;

	set(&p, "SERVER_ADDR", "::ffff:127.0.0.1");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 200);
	response_free(&r);
	ck_assert_str_eq(db_text("SELECT prefix FROM request"), "198.51.100.0/24");
	ck_assert_int_eq(db_int("SELECT family FROM request"), 4);
	ck_assert_int_eq(db_int("SELECT mapped FROM request"), 1);
	ck_assert_int_eq(db_int("SELECT server_family FROM request"), 4);
}
END_TEST

START_TEST(server_addr_bracketed)
{
	static const struct {
		int		 line;
		const char	*server_addr;
		int		 family;
	} rows[] = {
		{ CASE_LINE, "[::1]", 6 },
		{ CASE_LINE, "::1", 6 },
		{ CASE_LINE, "127.0.0.1", 4 },
		{ CASE_LINE, "[2001:db8::80]", 6 },
		{ CASE_LINE, "[127.0.0.1]", 4 },
		{ CASE_LINE, "[::1", 0 },
		{ CASE_LINE, "[]", 0 },
		{ CASE_LINE, "", 0 },
	};
	struct params	 p;
	struct response	 r;
	char		 sql[128];
	size_t		 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		p = req_from("/beacon", "192.0.2.1");
		set(&p, "SERVER_ADDR", rows[i].server_addr);
		run(&p, &r, NULL);
		response_free(&r);
		snprintf(sql, sizeof(sql), "SELECT server_family FROM request WHERE id = %zu", i + 1);
		ck_assert_msg(db_int(sql) == rows[i].family, "line %d: %s gave %lld",
		    rows[i].line, rows[i].server_addr, db_int(sql));
	}
}
END_TEST

START_TEST(prefix_lengths_from_config)
{
	struct params	 p = req_from("/beacon", "2001:db8:aaaa:bbbb::1");
	struct response	 r;

	write_conf("ipv6_prefix = 56\nipv4_prefix = 16\n");
	run(&p, &r, NULL);
	response_free(&r);
	ck_assert_str_eq(db_text("SELECT prefix FROM request"), "2001:db8:aaaa:bb00::/56");
	p = req_from("/beacon", "203.0.113.200");
	run(&p, &r, NULL);
	response_free(&r);
	ck_assert_str_eq(db_text("SELECT prefix FROM request WHERE family = 4"), "203.0.0.0/16");
}
END_TEST

START_TEST(beacon_gif)
{
	struct params	 p = req_from("/beacon.gif", "192.0.2.9");
	struct response	 r;

	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.content_type, "image/gif");
	ck_assert_uint_ge(r.body.len, 6);
	ck_assert_int_eq(memcmp(r.body.data, "GIF89a", 6), 0);
	ck_assert_ptr_nonnull(strstr(head_of(&r), "Cache-Control: no-store\r\n"));
	response_free(&r);
	ck_assert_str_eq(db_text("SELECT how FROM request"), "beacon");
	ck_assert_str_eq(db_text("SELECT prefix FROM request"), "192.0.2.0/24");
}
END_TEST

START_TEST(beacon_no_content)
{
	struct params	 p = req_from("/beacon", "192.0.2.9");
	struct response	 r;
	char		*h;

	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 204);
	h = head_of(&r);
	ck_assert_ptr_nonnull(strstr(h, "Status: 204 No Content\r\n"));
	ck_assert_ptr_null(strstr(h, "Content-Length"));
	ck_assert_ptr_nonnull(strstr(h, "Cache-Control: no-store\r\n"));
	ck_assert_uint_eq(r.body.len, 0);
	response_free(&r);
	ck_assert_int_eq(db_int("SELECT count(*) FROM request WHERE how = 'beacon'"), 1);
}
END_TEST

START_TEST(record_any_method)
{
	struct params	 p = req_from("/record", "2001:db8::5");
	struct response	 r;

	set(&p, "REQUEST_METHOD", "POST");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 204);
	response_free(&r);
	ck_assert_str_eq(db_text("SELECT how FROM request"), "record");
}
END_TEST

START_TEST(authorizer_allows_and_records)
{
	struct params	 p = req_from("/some/static/file.css", "203.0.113.7");
	struct response	 r;

	set(&p, "FCGI_ROLE", "AUTHORIZER");
	set(&p, "REQUEST_METHOD", "PUT");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_uint_eq(r.body.len, 0);
	/* Nothing of ours may reach the page the authorizer let through. */
	ck_assert_str_eq(head_of(&r), "Status: 200 OK\r\n\r\n");
	response_free(&r);
	ck_assert_str_eq(db_text("SELECT how FROM request"), "authorizer");
	ck_assert_str_eq(db_text("SELECT prefix FROM request"), "203.0.113.0/24");
}
END_TEST

START_TEST(report_owner_loopback)
{
	struct params	 p = req_from("/report.json", "::1");
	struct response	 r;

	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.content_type, "application/json; charset=utf-8");
	ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "\"ipv6_share\""));
	response_free(&r);
	/* Looking at the report records nothing. */
	ck_assert_int_eq(db_int("SELECT count(*) FROM request"), 0);
}
END_TEST

START_TEST(report_forbidden_outside)
{
	static const char *const paths[] = { "/report", "/report.json",
	    "/report.csv", "/status", "/status.json" };
	struct params	 p;
	struct response	 r;
	size_t		 i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		p = req_from(paths[i], "203.0.113.50");
		run(&p, &r, NULL);
		ck_assert_msg(r.status == 403, "%s: %d", paths[i], r.status);
		ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "admin_allow"));
		response_free(&r);
	}
}
END_TEST

START_TEST(report_remote_user)
{
	struct params	 p = req_from("/report", "203.0.113.50");
	struct response	 r;

	set(&p, "REMOTE_USER", "owner");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.content_type, "text/html; charset=utf-8");
	response_free(&r);
}
END_TEST

START_TEST(admin_allow_configured)
{
	struct params	 p = req_from("/report.csv", "203.0.113.50");
	struct response	 r;

	write_conf("admin_allow = 203.0.113.0/24\n");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.content_type, "text/csv; charset=utf-8");
	response_free(&r);
	/* The list replaces the default: loopback is no longer the owner. */
	p = req_from("/report.csv", "127.0.0.1");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 403);
	response_free(&r);
}
END_TEST

START_TEST(report_bad_period)
{
	static const char *const bad[] = { "days=2", "days=x", "from=2026-01-01",
	    "from=2026-02-30&to=2026-03-01", "bogus=1", "days=7&days=7" };
	struct params	 p;
	struct response	 r;
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p = req_from("/report", "127.0.0.1");
		set(&p, "QUERY_STRING", bad[i]);
		run(&p, &r, NULL);
		ck_assert_msg(r.status == 400, "%s: %d", bad[i], r.status);
		ck_assert_str_eq(r.content_type, "text/html; charset=utf-8");
		response_free(&r);
	}
}
END_TEST

START_TEST(report_counts_rows)
{
	static const char *const from[] = { "2001:db8::1", "2001:db8::2",
	    "192.0.2.1", "2001:db8:5::1" };
	struct params	 p;
	struct response	 r;
	size_t		 i;

	for (i = 0; i < 4; i++) {
		p = req_from("/beacon", from[i]);
		run(&p, &r, NULL);
		response_free(&r);
	}
	p = req_from("/report.json", "127.0.0.1");
	set(&p, "QUERY_STRING", "days=1");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "\"total\":4"));
	ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "\"ipv4\":1"));
	ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "\"ipv6\":3"));
	response_free(&r);
}
END_TEST

START_TEST(unknown_path_404)
{
	struct params	 p = req_from("/nope", "127.0.0.1");
	struct response	 r;

	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 404);
	response_free(&r);
	ck_assert_int_eq(db_int("SELECT count(*) FROM request"), 0);
}
END_TEST

START_TEST(method_not_allowed)
{
	struct params	 p = req_from("/", "127.0.0.1");
	struct response	 r;

	set(&p, "REQUEST_METHOD", "POST");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 405);
	ck_assert_ptr_nonnull(strstr(head_of(&r), "Allow: GET, HEAD\r\n"));
	response_free(&r);
}
END_TEST

START_TEST(head_has_no_body_flag)
{
	struct params	 p = req_from("/", "127.0.0.1");
	struct response	 r;

	set(&p, "REQUEST_METHOD", "HEAD");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert(r.head);
	/* Content-Length still says what a GET would carry. */
	ck_assert_ptr_nonnull(strstr(head_of(&r), "Content-Length: "));
	response_free(&r);
}
END_TEST

/*
 * Every response carries the security headers, whatever page, status or
 * method; text types say their charset.  The exceptions are deliberate:
 * a 204 has no Content-Type (RFC 9110 §15.3.5), the GIF is image/gif,
 * and an Authorizer's 200 is a Status line alone, because its headers
 * would land on the page it let through.
 */
#define HTML	"text/html; charset=utf-8"
#define JSON	"application/json; charset=utf-8"
#define CSV	"text/csv; charset=utf-8"
#define TEXT	"text/plain; charset=utf-8"
#define BAD	"no_such_key = 1\n"

START_TEST(security_headers_everywhere)
{
	static const struct {
		int		 line;
		const char	*method;
		const char	*path;
		const char	*query;
		const char	*addr;
		const char	*conf;		/* extra configuration lines */
		bool		 authorizer;
		int		 status;
		const char	*type;		/* NULL: no Content-Type */
	} rows[] = {
		{ CASE_LINE, "GET", "/", "", "127.0.0.1", "", false, 200, HTML },
		{ CASE_LINE, "HEAD", "/", "", "127.0.0.1", "", false, 200, HTML },
		{ CASE_LINE, "GET", "/beacon", "", "127.0.0.1", "", false, 204, NULL },
		{ CASE_LINE, "HEAD", "/beacon", "", "127.0.0.1", "", false, 204, NULL },
		{ CASE_LINE, "GET", "/beacon.gif", "", "127.0.0.1", "", false, 200, "image/gif" },
		{ CASE_LINE, "GET", "/record", "", "127.0.0.1", "", false, 204, NULL },
		{ CASE_LINE, "GET", "/report", "", "127.0.0.1", "", false, 200, HTML },
		{ CASE_LINE, "HEAD", "/report", "", "127.0.0.1", "", false, 200, HTML },
		{ CASE_LINE, "GET", "/report.json", "", "::1", "", false, 200, JSON },
		{ CASE_LINE, "GET", "/report.csv", "", "::1", "", false, 200, CSV },
		{ CASE_LINE, "GET", "/status", "", "127.0.0.1", "", false, 200, HTML },
		{ CASE_LINE, "GET", "/status.json", "", "::1", "", false, 200, JSON },
		{ CASE_LINE, "GET", "/nope", "", "127.0.0.1", "", false, 404, HTML },
		{ CASE_LINE, "GET", "/report", "", "203.0.113.50", "", false, 403, HTML },
		{ CASE_LINE, "GET", "/report.json", "", "203.0.113.50", "", false, 403, JSON },
		{ CASE_LINE, "POST", "/", "", "127.0.0.1", "", false, 405, HTML },
		{ CASE_LINE, "GET", "/report", "days=2", "127.0.0.1", "", false, 400, HTML },
		{ CASE_LINE, "GET", "/report.json", "days=2", "::1", "", false, 400, JSON },
		{ CASE_LINE, "GET", "/report.csv", "days=2", "::1", "", false, 400, TEXT },
		{ CASE_LINE, "GET", "/", "", "127.0.0.1", BAD, false, 500, HTML },
		{ CASE_LINE, "GET", "/report.json", "", "::1", BAD, false, 500, JSON },
		{ CASE_LINE, "GET", "/file.css", "", "203.0.113.7", "", true, 200, NULL },
	};
	struct params	 p;
	struct response	 r;
	char		 want[128];
	size_t		 i;
	char		*h;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		write_conf(rows[i].conf);
		p = req_from(rows[i].path, rows[i].addr);
		set(&p, "REQUEST_METHOD", rows[i].method);
		set(&p, "QUERY_STRING", rows[i].query);
		if (rows[i].authorizer)
			set(&p, "FCGI_ROLE", "AUTHORIZER");
		run(&p, &r, NULL);
		h = head_of(&r);
		ck_assert_msg(r.status == rows[i].status, "line %d: status %d",
		    rows[i].line, r.status);
		if (rows[i].authorizer) {
			ck_assert_msg(strcmp(h, "Status: 200 OK\r\n\r\n") == 0,
			    "line %d: %s", rows[i].line, h);
			response_free(&r);
			continue;
		}
		if (rows[i].type == NULL)
			ck_assert_msg(strstr(h, "Content-Type:") == NULL,
			    "line %d: %s", rows[i].line, h);
		else {
			snprintf(want, sizeof(want), "\r\nContent-Type: %s\r\n", rows[i].type);
			ck_assert_msg(strstr(h, want) != NULL, "line %d: %s", rows[i].line, h);
		}
		ck_assert_msg(strstr(h, "\r\nContent-Security-Policy: default-src 'none'; ")
		    != NULL, "line %d: %s", rows[i].line, h);
		ck_assert_msg(strstr(h, "script-src") == NULL, "line %d: %s", rows[i].line, h);
		ck_assert_msg(strstr(h, "frame-ancestors 'none'\r\n") != NULL,
		    "line %d: %s", rows[i].line, h);
		ck_assert_msg(strstr(h, "\r\nX-Content-Type-Options: nosniff\r\n") != NULL,
		    "line %d: %s", rows[i].line, h);
		ck_assert_msg(strstr(h, "\r\nReferrer-Policy: no-referrer\r\n") != NULL,
		    "line %d: %s", rows[i].line, h);
		ck_assert_msg(strstr(h, "\r\nX-Frame-Options: DENY\r\n") != NULL,
		    "line %d: %s", rows[i].line, h);
		/* HEAD says what a GET would carry, and carries nothing. */
		ck_assert_msg(r.head == (strcmp(rows[i].method, "HEAD") == 0),
		    "line %d: head %d", rows[i].line, r.head);
		response_free(&r);
	}
}
END_TEST

#undef HTML
#undef JSON
#undef CSV
#undef TEXT
#undef BAD

START_TEST(bad_peer_not_recorded)
{
	static const char *const bad[] = { "", "not-an-address", "[::1]",
	    "192.0.2.1:80", "01.2.3.4", "<script>" };
	struct stats	*stats = stats_create();
	struct params	 p;
	struct response	 r;
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p = req_from(i % 2 ? "/" : "/beacon.gif", bad[i]);
		run(&p, &r, stats);
		ck_assert_msg(r.status == 200, "%s: %d", bad[i], r.status);
		ck_assert_ptr_null(strstr(buf_str(&r.body), "<script>"));
		response_free(&r);
	}
	ck_assert_uint_eq(stats->bad_peers, 6);
	ck_assert_int_eq(db_int("SELECT count(*) FROM request"), 0);
}
END_TEST

START_TEST(proxy_trusted_decides)
{
	struct params	 p = req_from("/beacon", "127.0.0.1");
	struct response	 r;

	write_conf("trusted_proxies = 127.0.0.1 ::1\n");
	set(&p, "HTTP_X_FORWARDED_FOR", "2001:db8:77:1::9");
	run(&p, &r, NULL);
	response_free(&r);
	ck_assert_str_eq(db_text("SELECT prefix FROM request"), "2001:db8:77::/48");
	ck_assert_int_eq(db_int("SELECT via_proxy FROM request"), 1);
}
END_TEST

START_TEST(proxy_untrusted_ignored)
{
	struct params	 p = req_from("/beacon", "192.0.2.44");
	struct response	 r;

	write_conf("trusted_proxies = 127.0.0.1\n");
	set(&p, "HTTP_X_FORWARDED_FOR", "2001:db8:77:1::9");
	run(&p, &r, NULL);
	response_free(&r);
	ck_assert_str_eq(db_text("SELECT prefix FROM request"), "192.0.2.0/24");
	ck_assert_int_eq(db_int("SELECT via_proxy FROM request"), 0);
}
END_TEST

START_TEST(proxy_client_is_not_owner)
{
	struct params	 p = req_from("/report", "127.0.0.1");
	struct response	 r;

	/* A local reverse proxy must not make every visitor the owner. */
	write_conf("trusted_proxies = 127.0.0.1\n");
	set(&p, "HTTP_X_FORWARDED_FOR", "203.0.113.9");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 403);
	response_free(&r);
}
END_TEST

/*
 * nginx passes a header that came twice as two params: they are one list
 * (RFC 7230 §3.2.2), whose right end is what the trusted proxy added.
 */
START_TEST(proxy_repeated_header_lines)
{
	struct params	 p = req_from("/report", "127.0.0.1");
	struct response	 r;

	write_conf("trusted_proxies = 127.0.0.1\nadmin_allow = 198.51.100.5\n");
	add(&p, "HTTP_X_FORWARDED_FOR", "198.51.100.5");
	add(&p, "HTTP_X_FORWARDED_FOR", "203.0.113.77");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 403);
	response_free(&r);
	p = req_from("/beacon", "127.0.0.1");
	add(&p, "HTTP_X_FORWARDED_FOR", "198.51.100.5");
	add(&p, "HTTP_X_FORWARDED_FOR", "203.0.113.77");
	run(&p, &r, NULL);
	response_free(&r);
	ck_assert_str_eq(db_text("SELECT prefix FROM request"), "203.0.113.0/24");
}
END_TEST

START_TEST(proxy_repeated_forwarded_lines)
{
	struct params	 p = req_from("/beacon", "::1");
	struct response	 r;

	write_conf("trusted_proxies = ::1 2001:db8:ffff::/48\nproxy_header = forwarded\n");
	add(&p, "HTTP_FORWARDED", "for=198.51.100.5");
	add(&p, "HTTP_FORWARDED", "for=\"[2001:db8:cafe::17]\"");
	add(&p, "HTTP_FORWARDED", "for=\"[2001:db8:ffff::2]\"");
	run(&p, &r, NULL);
	response_free(&r);
	ck_assert_str_eq(db_text("SELECT prefix FROM request"), "2001:db8:cafe::/48");
}
END_TEST

/*
 * A trusted proxy is never the owner, nor is a loopback client it reports:
 * with a proxy on this machine, loopback is what every request through it
 * would otherwise be when its header says nothing usable.
 */
START_TEST(proxy_loopback_never_owner)
{
	static const char *const headers[] = {
		NULL,			/* none at all: the proxy's own address stands */
		"127.0.0.1",		/* claims this machine */
		"::1",
		"203.0.113.9, 127.0.0.1",
		"garbage",
		"unknown",
	};
	struct params	 p;
	struct response	 r;
	size_t		 i;

	write_conf("trusted_proxies = 127.0.0.1\n");
	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		p = req_from("/status", "127.0.0.1");
		if (headers[i] != NULL)
			set(&p, "HTTP_X_FORWARDED_FOR", headers[i]);
		run(&p, &r, NULL);
		ck_assert_msg(r.status == 403, "X-Forwarded-For %s: status %d",
		    headers[i] != NULL ? headers[i] : "(none)", r.status);
		response_free(&r);
	}
	/* Without the proxy trusted, loopback is the owner as before. */
	write_conf("");
	p = req_from("/status", "127.0.0.1");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 200);
	response_free(&r);
}
END_TEST

/* An admin_allow range still lets a client the proxy reports in. */
START_TEST(proxy_client_in_admin_allow)
{
	struct params	 p = req_from("/status", "127.0.0.1");
	struct response	 r;

	write_conf("trusted_proxies = 127.0.0.1\nadmin_allow = 2001:db8:77::/48\n");
	set(&p, "HTTP_X_FORWARDED_FOR", "2001:db8:77:1::9");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 200);
	response_free(&r);
}
END_TEST

/*
 * A param whose value held a NUL byte (libfcgi cuts it there) is no
 * value: not an address, not a path, not a query.
 */
START_TEST(param_with_nul)
{
	struct params	 p = req_from("/report", request_param_bad);
	struct response	 r;
	struct stats	*stats = stats_create();

	write_conf("admin_allow = 0.0.0.0/0 ::/0\n");
	run(&p, &r, stats);
	ck_assert_int_eq(r.status, 403);
	response_free(&r);
	ck_assert_uint_eq(stats->bad_peers, 0);	/* /report records nothing */
	p = req_from("/beacon", request_param_bad);
	run(&p, &r, stats);
	response_free(&r);
	ck_assert_uint_eq(stats->bad_peers, 1);
	ck_assert_int_eq(db_int("SELECT count(*) FROM request"), 0);
	p = req_from(request_param_bad, "127.0.0.1");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 404);
	response_free(&r);
	p = req_from("/report", "127.0.0.1");
	set(&p, "QUERY_STRING", request_param_bad);
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 400);
	ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "NUL"));
	response_free(&r);
	write_conf("");
	p = req_from("/report", "198.51.100.9");
	set(&p, "REMOTE_USER", request_param_bad);
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 403);
	response_free(&r);
}
END_TEST

START_TEST(forwarded_header)
{
	struct params	 p = req_from("/beacon", "::1");
	struct response	 r;

	write_conf("trusted_proxies = ::1\nproxy_header = forwarded\n");
	set(&p, "HTTP_FORWARDED", "for=\"[2001:db8:cafe::17]:4711\"");
	set(&p, "HTTP_X_FORWARDED_FOR", "192.0.2.1");
	run(&p, &r, NULL);
	response_free(&r);
	ck_assert_str_eq(db_text("SELECT prefix FROM request"), "2001:db8:cafe::/48");
}
END_TEST

START_TEST(config_error_500)
{
	struct params	 p = req_from("/", "127.0.0.1");
	struct response	 r;

	write_conf("no_such_key = 1\n");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 500);
	/* The owner sees file and line. */
	ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "dualstat.conf:2"));
	response_free(&r);
	p = req_from("/", "203.0.113.1");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 500);
	ck_assert_ptr_null(strstr(buf_str(&r.body), "dualstat.conf:2"));
	response_free(&r);
}
END_TEST

START_TEST(config_error_never_blocks_site)
{
	struct params	 p = req_from("/index.html", "203.0.113.1");
	struct response	 r;

	write_conf("ipv4_prefix = 99\n");
	set(&p, "FCGI_ROLE", "AUTHORIZER");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 200);
	response_free(&r);
	p = req_from("/record", "203.0.113.1");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 204);
	response_free(&r);
}
END_TEST

START_TEST(database_unavailable)
{
	struct stats	*stats = stats_create();
	struct params	 p;
	struct response	 r;
	FILE		*f;

	/* A regular file where the database folder should be: it can never be created. */
	snprintf(dbpath, sizeof(dbpath), "%s/blocker", dir);
	f = fopen(dbpath, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	snprintf(dbpath, sizeof(dbpath), "%s/blocker/dualstat.db", dir);
	write_conf("");

	p = req_from("/", "2001:db8::1");
	run(&p, &r, stats);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "not recorded"));
	response_free(&r);
	p = req_from("/beacon.gif", "2001:db8::1");
	run(&p, &r, stats);
	ck_assert_int_eq(r.status, 200);
	response_free(&r);
	p = req_from("/status.json", "::1");
	run(&p, &r, stats);
	ck_assert_int_eq(r.status, 503);
	response_free(&r);
	ck_assert_uint_ge(stats->record_failures, 2);
	/* The reason survives the failures after it. */
	ck_assert_ptr_nonnull(strstr(stats->last_error, "Not a directory"));
}
END_TEST

/* The landing page's 24-hour count is taken at most once a second per process. */
START_TEST(landing_share_cached)
{
	struct app	 a;
	struct request	 req;
	struct response	 r;
	struct params	 p = req_from("/", "2001:db8::1");
	time_t		 t0;
	int		 tries;
	bool		 same_second = false;

	for (tries = 0; tries < 20 && !same_second; tries++) {
		teardown();
		setup();
		app_init(&a, confpath, APP_FASTCGI, stats_create());
		t0 = time(NULL);
		request_read(&req, get, &p, &a.cfg);
		app_handle(&a, &req, &r);
		ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "(1 of 1)"));
		response_free(&r);
		app_handle(&a, &req, &r);
		/* Only meaningful when both views fell in one second. */
		if (time(NULL) == t0) {
			same_second = true;
			ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "(1 of 1)"));
			ck_assert_int_eq(db_int("SELECT count(*) FROM request"), 2);
		}
		response_free(&r);
		/* A new second counts again, own rows included. */
		a.share_at = 0;
		app_handle(&a, &req, &r);
		ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "(3 of 3)"));
		response_free(&r);
		app_free(&a);
	}
	ck_assert(same_second);
}
END_TEST

START_TEST(status_ok)
{
	struct params	 p = req_from("/status.json", "::1");
	struct response	 r;

	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "\"journal_mode\":\"wal\""));
	ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "\"remote_addr\":\"::1\""));
	response_free(&r);
}
END_TEST

START_TEST(csp_allows_static_origin)
{
	struct params	 p = req_from("/", "127.0.0.1");
	struct response	 r;

	write_conf("static_url = https://cdn.example:8443/ds/\n");
	run(&p, &r, NULL);
	ck_assert_ptr_nonnull(strstr(head_of(&r),
	    "Content-Security-Policy: default-src 'none'; style-src 'self' "
	    "https://cdn.example:8443; img-src 'self'"));
	ck_assert_ptr_nonnull(strstr(buf_str(&r.body),
	    "href=\"https://cdn.example:8443/ds/dualstat.css\""));
	response_free(&r);
	/* A path on this site adds nothing. */
	write_conf("static_url = /assets\n");
	run(&p, &r, NULL);
	ck_assert_ptr_nonnull(strstr(head_of(&r), "style-src 'self'; img-src"));
	response_free(&r);
	/* Anything that could start another directive is refused by the configuration. */
	write_conf("static_url = https://cdn.example;script-src/x\n");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 500);
	ck_assert_ptr_null(strstr(head_of(&r), "script-src"));
	response_free(&r);
}
END_TEST

/* The built-in stylesheet: www/dualstat.css byte for byte, cacheable, never recorded. */
START_TEST(stylesheet_built_in)
{
	struct params	 p = req_from("/dualstat.css", "203.0.113.1");
	struct response	 r;
	char		 path[512], *want;
	FILE		*f;
	long		 n;
	const char	*src = getenv("top_srcdir");

	write_conf("static_url = /dualstat\n");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.content_type, "text/css; charset=utf-8");
	ck_assert_ptr_nonnull(strstr(head_of(&r), "Cache-Control: public, max-age=86400\r\n"));
	ck_assert_ptr_nonnull(strstr(head_of(&r), "style-src 'self'; img-src"));
	snprintf(path, sizeof(path), "%s/www/dualstat.css", src != NULL ? src : ".");
	ck_assert_ptr_nonnull(f = fopen(path, "rb"));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	ck_assert_ptr_nonnull(want = malloc((size_t)n));
	ck_assert_uint_eq(fread(want, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	ck_assert_uint_eq(r.body.len, (size_t)n);
	ck_assert(memcmp(r.body.data, want, (size_t)n) == 0);
	free(want);
	response_free(&r);
	ck_assert_int_eq(db_int("SELECT count(*) FROM request"), 0);
	/* static_url = dualstat's own path: the pages link it there. */
	p = req_from("/", "203.0.113.1");
	run(&p, &r, NULL);
	ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "href=\"/dualstat/dualstat.css\""));
	response_free(&r);
	/* A broken configuration: the stylesheet still dresses its 500 page. */
	write_conf("ipv4_prefix = 99\n");
	p = req_from("/dualstat.css", "203.0.113.1");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 200);
	response_free(&r);
	p = req_from("/dualstat.css", "203.0.113.1");
	set(&p, "REQUEST_METHOD", "POST");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 405);
	response_free(&r);
}
END_TEST

/* /check: for the owner only, and the one page that works with a broken configuration. */
START_TEST(check_page)
{
	struct params	 p = req_from("/check", "127.0.0.1");
	struct response	 r;

	set(&p, "DOCUMENT_ROOT", dir);
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.content_type, "text/html; charset=utf-8");
	ck_assert(r.no_store);
	ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "<h1>dualstat setup check</h1>"));
	/* DOCUMENT_ROOT reached the checks: the database below it is named. */
	ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "anyone could download it"));
	response_free(&r);
	ck_assert_int_eq(db_int("SELECT count(*) FROM request"), 0);
	p = req_from("/check", "203.0.113.1");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 403);
	response_free(&r);
	write_conf("ipv4_prefix = 99\n");
	p = req_from("/check", "127.0.0.1");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "dualstat.conf:2: ipv4_prefix"));
	response_free(&r);
	/* ... still for the owner only (the built-in admin_allow). */
	p = req_from("/check", "203.0.113.1");
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 403);
	response_free(&r);
	/* Over https, an http:// stylesheet is a problem the page names. */
	write_conf("static_url = http://cdn.example/ds\n");
	p = req_from("/check", "127.0.0.1");
	set(&p, "HTTPS", "on");
	run(&p, &r, NULL);
	ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "browsers refuse an http:// stylesheet"));
	response_free(&r);
	p = req_from("/check", "127.0.0.1");
	set(&p, "REQUEST_SCHEME", "https");
	run(&p, &r, NULL);
	ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "browsers refuse an http:// stylesheet"));
	response_free(&r);
}
END_TEST

START_TEST(hostile_host_not_recorded)
{
	static char	 host[4096];
	struct params	 p = req_from("/beacon", "192.0.2.1");
	struct response	 r;

	/* Too long to be a host name: answered, recorded without a host. */
	memset(host, 'h', sizeof(host) - 1);
	set(&p, "HTTP_HOST", host);
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 204);
	response_free(&r);
	set(&p, "HTTP_HOST", "<script>alert(1)</script>");
	run(&p, &r, NULL);
	response_free(&r);
	set(&p, "HTTP_HOST", "Example.TEST:8080");
	run(&p, &r, NULL);
	response_free(&r);
	ck_assert_int_eq(db_int("SELECT count(*) FROM request WHERE host IS NULL"), 2);
	ck_assert_int_eq(db_int("SELECT count(*) FROM request WHERE host = 'example.test'"), 1);
}
END_TEST

START_TEST(hosts_list_bounds_hosts)
{
	struct params	 p = req_from("/beacon", "192.0.2.1");
	struct response	 r;

	write_conf("hosts = example.test www.example.test\n");
	set(&p, "HTTP_HOST", "WWW.example.test.");
	run(&p, &r, NULL);
	response_free(&r);
	set(&p, "HTTP_HOST", "made-up.example");
	run(&p, &r, NULL);
	response_free(&r);
	ck_assert_str_eq(db_text("SELECT group_concat(host, ' ') FROM "
	    "(SELECT host FROM request ORDER BY id)"), "www.example.test (other)");
}
END_TEST

START_TEST(status_503_after_failed_commit)
{
	struct stats	*stats = stats_create();
	struct params	 p = req_from("/beacon", "192.0.2.1");
	struct response	 r;

	run(&p, &r, stats);
	response_free(&r);
	p = req_from("/status.json", "::1");
	run(&p, &r, stats);
	ck_assert_int_eq(r.status, 200);
	response_free(&r);
	/* A commit that failed (a full disk) and nothing recorded since: 503. */
	stats_failure(stats, time(NULL), "record failed (full): disk full");
	run(&p, &r, stats);
	ck_assert_int_eq(r.status, 503);
	ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "disk full"));
	response_free(&r);
	/* Recording works again: 200 again. */
	stats_recorded(stats);
	run(&p, &r, stats);
	ck_assert_int_eq(r.status, 200);
	response_free(&r);
}
END_TEST

/*
 * More rows than one upkeep batch came in (a busy site's 10 s): serve's
 * idle moments roll them all up, one after the other, in steps, not one
 * batch every APP_MAINTAIN_SECONDS while the backlog grows.
 */
START_TEST(upkeep_keeps_up)
{
	enum { BATCHES = 60, PER = 1000 };
	static struct row rows[PER];
	struct store	*st = NULL;
	struct app	 a;
	char		 err[256], folder[160];
	int64_t		 now = (int64_t)time(NULL);
	long long	 last;
	int		 i, j, calls;

	snprintf(folder, sizeof(folder), "%s/db", dir);
	ck_assert_int_eq(mkdir(folder, 0700), 0);
	ck_assert_int_eq(store_open(&st, dbpath, 0, 5000, err, sizeof(err)), STORE_OK);
	for (i = 0; i < BATCHES; i++) {
		for (j = 0; j < PER; j++) {
			memset(&rows[j], 0, sizeof(rows[j]));
			rows[j].time = now - 60 + j % 60;
			rows[j].family = 6;
			rows[j].kind = KIND_GLOBAL;
			snprintf(rows[j].prefix, sizeof(rows[j].prefix), "2001:db8:%x::/48", j % 7);
			rows[j].server_family = 6;
			rows[j].host = "example.test";
			rows[j].how = HOW_BEACON;
		}
		ck_assert_int_eq(store_record_batch(st, rows, PER, NULL, 0), STORE_OK);
	}
	store_close(st);
	ck_assert_int_gt(BATCHES * PER, 50000);	/* more than one batch of the old upkeep */

	app_init(&a, confpath, APP_SERVE, stats_create());
	for (calls = 0; calls < 100; calls++) {
		app_idle(&a);	/* no time passes for it: only a turn left unfinished goes on */
		if (db_int("SELECT value FROM meta WHERE key = '" ROLLUP_WATERMARK "'") ==
		    BATCHES * PER)
			break;
	}
	last = db_int("SELECT value FROM meta WHERE key = '" ROLLUP_WATERMARK "'");
	ck_assert_msg(last == BATCHES * PER, "rolled up to row %lld of %d after %d calls",
	    last, BATCHES * PER, calls);
	/* In steps: a call takes one, no more. */
	ck_assert_int_eq(calls, (BATCHES * PER - 1) / STORE_MAINTAIN_STEP);
	/*
	 * The last step took a whole one: serve's loop is told to call again
	 * at once, and the turn is due (the clock's own now: under valgrind
	 * this test takes longer than APP_MAINTAIN_SECONDS)...
	 */
	ck_assert(app_upkeep_pending(&a));
	ck_assert_int_ge((int64_t)time(NULL) - a.maintained, APP_MAINTAIN_SECONDS);
	app_idle(&a);
	/* ...one more finds nothing and ends the turn: the next waits its APP_MAINTAIN_SECONDS. */
	ck_assert(!app_upkeep_pending(&a));
	ck_assert_int_lt((int64_t)time(NULL) - a.maintained, APP_MAINTAIN_SECONDS);
	app_free(&a);
	ck_assert_int_eq(db_int("SELECT COUNT(*) FROM request"), BATCHES * PER);
}
END_TEST

/* prefix, then filler up to len bytes (at most one over REQUEST_PARAM_MAX). */
static const char *
filled(const char *prefix, char filler, size_t len)
{
	static char	 big[REQUEST_PARAM_MAX + 2];
	size_t		 n = strlen(prefix);

	ck_assert_uint_lt(len, sizeof(big));
	memcpy(big, prefix, n);
	memset(big + n, filler, len - n);
	big[len] = '\0';
	return big;
}

/* One byte over the limit. */
static const char *
oversized(const char *prefix, char filler)
{
	return filled(prefix, filler, REQUEST_PARAM_MAX + 1);
}

/* Too long a path names no page: 404, and nothing recorded (not the landing page). */
START_TEST(oversized_path_404)
{
	static const char *const prefixes[] = { "/", "/beacon/", "/report.json" };
	struct params	 p;
	struct response	 r;
	size_t		 i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		p = req_from(oversized(prefixes[i], i == 0 ? '/' : 'x'), "2001:db8::1");
		run(&p, &r, NULL);
		ck_assert_msg(r.status == 404, "%s...: %d", prefixes[i], r.status);
		response_free(&r);
	}
	ck_assert_int_eq(db_int("SELECT count(*) FROM request"), 0);
	/* Too long an address is no address: the page, not recorded. */
	p = req_from("/", oversized("2001:db8::", '1'));
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 200);
	response_free(&r);
	ck_assert_int_eq(db_int("SELECT count(*) FROM request"), 0);
}
END_TEST

/*
 * Too long a query: a page that reads it answers 400 saying so, instead of
 * the default period (or, as here, what the query would say if read: it is
 * a valid one, days=7 and empty parameters); the pages that read none serve
 * and record as ever.
 */
START_TEST(oversized_query)
{
	static const struct {
		int		 line;
		const char	*path;
		int		 status;
		const char	*type;
	} rows[] = {
		{ CASE_LINE, "/report", 400, "text/html; charset=utf-8" },
		{ CASE_LINE, "/report.json", 400, "application/json; charset=utf-8" },
		{ CASE_LINE, "/report.csv", 400, "text/plain; charset=utf-8" },
	};
	struct params	 p;
	struct response	 r;
	size_t		 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		p = req_from(rows[i].path, "127.0.0.1");
		set(&p, "QUERY_STRING", oversized("days=7", '&'));
		run(&p, &r, NULL);
		ck_assert_msg(r.status == rows[i].status, "line %d: %d", rows[i].line, r.status);
		ck_assert_msg(strcmp(r.content_type, rows[i].type) == 0, "line %d: %s",
		    rows[i].line, r.content_type);
		ck_assert_msg(strstr(buf_str(&r.body), "too long") != NULL, "line %d: %s",
		    rows[i].line, buf_str(&r.body));
		response_free(&r);
	}
	/* One byte shorter, at the limit, the same query is read: empty parameters are skipped. */
	p = req_from("/report.json", "127.0.0.1");
	set(&p, "QUERY_STRING", filled("days=7", '&', REQUEST_PARAM_MAX));
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "\"total\":0"));
	response_free(&r);
	ck_assert_int_eq(db_int("SELECT count(*) FROM request"), 0);

	p = req_from("/", "2001:db8:1::1");
	set(&p, "QUERY_STRING", oversized("x=", 'x'));
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(buf_str(&r.body), "2001:db8:1::/48"));
	response_free(&r);
	p = req_from("/beacon", "2001:db8:2::1");
	set(&p, "QUERY_STRING", oversized("x=", 'x'));
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 204);
	response_free(&r);
	p = req_from("/beacon.gif", "2001:db8:3::1");
	set(&p, "QUERY_STRING", oversized("x=", 'x'));
	run(&p, &r, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.content_type, "image/gif");
	response_free(&r);
	ck_assert_str_eq(db_text("SELECT group_concat(how || ' ' || prefix, ', ') FROM "
	    "(SELECT how, prefix FROM request ORDER BY id)"),
	    "page 2001:db8:1::/48, beacon 2001:db8:2::/48, beacon 2001:db8:3::/48");
}
END_TEST

static time_t	 fake_now;

static time_t
fake_clock(time_t *t)
{
	if (t != NULL)
		*t = fake_now;
	return fake_now;
}

/* Run log_warnx n times (message i of n) with stderr going to out. */
static void
log_into(FILE *out, int from, int n)
{
	int	 saved, i;

	fflush(stderr);
	ck_assert_int_ne(saved = dup(STDERR_FILENO), -1);
	ck_assert_int_ne(dup2(fileno(out), STDERR_FILENO), -1);
	for (i = from; i < from + n; i++)
		log_warnx("message %d", i);
	fflush(stderr);
	ck_assert_int_ne(dup2(saved, STDERR_FILENO), -1);
	close(saved);
}

/* The lines written to out since its start, in one buffer; *lines counts them. */
static char *
log_read(FILE *out, int *lines)
{
	static char	 text[4096];
	size_t		 n, i;

	rewind(out);
	n = fread(text, 1, sizeof(text) - 1, out);
	text[n] = '\0';
	*lines = 0;
	for (i = 0; i < n; i++)
		if (text[i] == '\n')
			(*lines)++;
	return text;
}

/* At most LOG_BURST lines a minute; the next line that gets through says how many did not. */
START_TEST(log_rate_limited)
{
	FILE	*out = tmpfile(), *before;
	char	*text, want[64];
	int	 lines;

	ck_assert_ptr_nonnull(out);
	log_clock = fake_clock;
	/*
	 * A day ahead: past any window this process may have opened already.
	 * Without a fork per test (CK_FORK=no, as under valgrind) earlier
	 * tests may have had lines left out: one line in a window of its own
	 * says their count, so the window under test starts with none.
	 */
	fake_now = time(NULL) + 86400 - 3600;
	ck_assert_ptr_nonnull(before = tmpfile());
	log_into(before, 999, 1);
	log_read(before, &lines);
	ck_assert_int_eq(lines, 1);
	fclose(before);
	fake_now += 3600;
	log_into(out, 0, LOG_BURST + 5);
	text = log_read(out, &lines);
	ck_assert_int_eq(lines, LOG_BURST);
	snprintf(want, sizeof(want), "dualstat[%ld]: message 0\n", (long)getpid());
	ck_assert_msg(strncmp(text, want, strlen(want)) == 0, "%s", text);
	snprintf(want, sizeof(want), "message %d\n", LOG_BURST - 1);
	ck_assert_ptr_nonnull(strstr(text, want));
	snprintf(want, sizeof(want), "message %d", LOG_BURST);
	ck_assert_ptr_null(strstr(text, want));
	ck_assert_ptr_null(strstr(text, "suppressed"));

	/* 59 s on, the minute is not over: still nothing. */
	fake_now += 59;
	log_into(out, 100, 1);
	log_read(out, &lines);
	ck_assert_int_eq(lines, LOG_BURST);

	/* A new minute: written again, with the count of what was left out. */
	fake_now += 1;
	log_into(out, 200, 2);
	text = log_read(out, &lines);
	ck_assert_int_eq(lines, LOG_BURST + 2);
	ck_assert_msg(strstr(text, ": message 200 (6 similar messages suppressed)\n") != NULL,
	    "%s", text);
	/* The count is said once. */
	ck_assert_ptr_nonnull(strstr(text, ": message 201\n"));
	fclose(out);
	log_clock = time;
}
END_TEST

Suite *
app_suite(void)
{
	Suite	*s = suite_create("app");
	TCase	*tc;

	tc = tcase_create("record");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, landing_records_ipv6);
	tcase_add_test(tc, landing_records_mapped_ipv4);
	tcase_add_test(tc, server_addr_bracketed);
	tcase_add_test(tc, prefix_lengths_from_config);
	tcase_add_test(tc, beacon_gif);
	tcase_add_test(tc, beacon_no_content);
	tcase_add_test(tc, record_any_method);
	tcase_add_test(tc, authorizer_allows_and_records);
	suite_add_tcase(s, tc);

	tc = tcase_create("access");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, report_owner_loopback);
	tcase_add_test(tc, report_forbidden_outside);
	tcase_add_test(tc, report_remote_user);
	tcase_add_test(tc, admin_allow_configured);
	tcase_add_test(tc, proxy_client_is_not_owner);
	tcase_add_test(tc, proxy_loopback_never_owner);
	tcase_add_test(tc, proxy_client_in_admin_allow);
	tcase_add_test(tc, param_with_nul);
	suite_add_tcase(s, tc);

	tc = tcase_create("route");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, report_bad_period);
	tcase_add_test(tc, report_counts_rows);
	tcase_add_test(tc, unknown_path_404);
	tcase_add_test(tc, method_not_allowed);
	tcase_add_test(tc, head_has_no_body_flag);
	tcase_add_test(tc, security_headers_everywhere);
	tcase_add_test(tc, csp_allows_static_origin);
	tcase_add_test(tc, stylesheet_built_in);
	tcase_add_test(tc, check_page);
	tcase_add_test(tc, status_ok);
	tcase_add_test(tc, landing_share_cached);
	suite_add_tcase(s, tc);

	tc = tcase_create("proxy");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, proxy_trusted_decides);
	tcase_add_test(tc, proxy_untrusted_ignored);
	tcase_add_test(tc, proxy_repeated_header_lines);
	tcase_add_test(tc, proxy_repeated_forwarded_lines);
	tcase_add_test(tc, forwarded_header);
	suite_add_tcase(s, tc);

	tc = tcase_create("faults");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, bad_peer_not_recorded);
	tcase_add_test(tc, config_error_500);
	tcase_add_test(tc, config_error_never_blocks_site);
	tcase_add_test(tc, database_unavailable);
	tcase_add_test(tc, status_503_after_failed_commit);
	tcase_add_test(tc, upkeep_keeps_up);
	tcase_add_test(tc, log_rate_limited);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, hostile_host_not_recorded);
	tcase_add_test(tc, hosts_list_bounds_hosts);
	tcase_add_test(tc, oversized_path_404);
	tcase_add_test(tc, oversized_query);
	suite_add_tcase(s, tc);
	return s;
}
