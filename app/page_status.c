/* page_status.c: the status page (health, versions, database, the viewer's own request) as HTML, JSON and text. */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "addr.h"
#include "buf.h"
#include "html.h"
#include "json.h"
#include "page.h"
#include "status.h"
#include "text.h"
#include "utc.h"

/* "3d 4h 5m"; short uptimes keep their seconds. */
static void
fmt_uptime(char *out, size_t sz, int64_t s)
{
	if (s < 0)
		s = 0;
	if (s < 60)
		snprintf(out, sz, "%" PRId64 "s", s);
	else if (s < 3600)
		snprintf(out, sz, "%" PRId64 "m %" PRId64 "s", s / 60, s % 60);
	else if (s < 86400)
		snprintf(out, sz, "%" PRId64 "h %" PRId64 "m", s / 3600,
		    s % 3600 / 60);
	else
		snprintf(out, sz, "%" PRId64 "d %" PRId64 "h %" PRId64 "m",
		    s / 86400, s % 86400 / 3600, s % 3600 / 60);
}

/* "1.5 MiB"; bytes below 1 KiB stay exact. */
static void
fmt_size(char *out, size_t sz, int64_t bytes)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
	double	 v;
	size_t	 u;

	if (bytes < 0) {
		snprintf(out, sz, "unknown");
		return;
	}
	if (bytes < 1024) {
		snprintf(out, sz, "%" PRId64 " bytes", bytes);
		return;
	}
	v = (double)bytes / 1024;
	for (u = 0; v >= 1024 && u < sizeof(unit) / sizeof(unit[0]) - 1; u++)
		v /= 1024;
	snprintf(out, sz, "%.1f %s", v, unit[u]);
}

static const char *
str_or(const char *s, const char *dflt)
{
	return s != NULL && s[0] != '\0' ? s : dflt;
}

/* Which family a listener or peer address has, for the dual-stack hint. */
static const char *
addr_family_words(const char *text)
{
	struct addr	 a;

	if (text == NULL || addr_parse(text, &a) == -1)
		return "not an address";
	if (a.family == 6)
		return "IPv6";
	return a.mapped ? "IPv4 (mapped, on an IPv6 socket)" : "IPv4";
}

/* ---- HTML -------------------------------------------------------------- */

static void
row_txt(struct buf *b, const char *label, const char *value)
{
	html(b, "<tr><th scope=\"row\">");
	html_txt(b, label);
	html(b, "</th><td>");
	html_txt(b, value);
	html(b, "</td></tr>\n");
}

static void
row_u64(struct buf *b, const char *label, uint64_t v)
{
	html(b, "<tr><th scope=\"row\">");
	html_txt(b, label);
	html(b, "</th><td>");
	html_u64(b, v);
	html(b, "</td></tr>\n");
}

static void
row_time(struct buf *b, const char *label, int64_t t)
{
	char	 s[32];

	if (t == 0)
		row_txt(b, label, "never");
	else {
		utc_format(s, sizeof(s), t, UTC_ISO);
		row_txt(b, label, s);
	}
}

/* Requests, failures and peers: of whom, in words. */
static const char *
counted_by(const struct status *st)
{
	return st->counters_shared ? "every dualstat process on this database" :
	    "this process only";
}

/* Seconds from the newest line's own time to now: how far behind the log is read. */
static int64_t
ingest_lag(const struct status *st, const struct stats_ingest *g)
{
	return g->last_line == 0 ? -1 : st->now - g->last_line < 0 ? 0 :
	    st->now - g->last_line;
}

/* The `dualstat ingest` processes: one table, a row per figure, a column per process. */
static void
ingest_html(struct buf *b, const struct status *st)
{
	char	 s[64];
	size_t	 i;

	html(b, "<section>\n<h2>Log ingest</h2>\n<p>The <code>dualstat ingest</code> "
	    "processes reading a web server&#39;s log on this database.</p>\n");
	for (i = 0; i < st->ningest; i++) {
		const struct stats_ingest	*g = &st->ingest[i];

		html(b, "<table class=\"kv\">\n<tbody>\n");
		row_txt(b, "Reading", g->source);
		snprintf(s, sizeof(s), "%ld", (long)g->pid);
		row_txt(b, "Process id", s);
		row_time(b, "Started", g->started);
		row_u64(b, "Lines read", g->lines);
		row_u64(b, "Requests recorded", g->rows);
		row_u64(b, "Lines skipped", g->skipped);
		row_u64(b, "Waiting for the database", g->backlog);
		row_u64(b, "Dropped (backlog full)", g->dropped);
		row_time(b, "Last line's time", g->last_line);
		if (ingest_lag(st, g) < 0)
			row_txt(b, "Lag", "no line yet");
		else {
			fmt_uptime(s, sizeof(s), ingest_lag(st, g));
			row_txt(b, "Lag", s);
		}
		row_time(b, "Last commit", g->last_commit);
		html(b, "</tbody>\n</table>\n");
	}
	html(b, "</section>\n");
}

static const char *const probe_names[3] = { "IPv6-only host", "IPv4-only host",
    "control (this site)" };

/* Readiness probes (probe.h): the hosts, the counters, the warnings. */
static void
probes_html(struct buf *b, const struct status *st)
{
	size_t	 i;

	html(b, "<section>\n<h2>Readiness probes</h2>\n");
	for (i = 0; i < 2; i++)
		if (st->probe_warning[i] != NULL) {
			html(b, "<p class=\"bad\">");
			html_txt(b, st->probe_warning[i]);
			html(b, "</p>\n");
		}
	html(b, "<table class=\"kv\">\n<tbody>\n");
	row_txt(b, "probe_v6_url", str_or(st->probe_url[0], "not set"));
	row_txt(b, "probe_v4_url", str_or(st->probe_url[1], "not set"));
	html(b, "</tbody>\n</table>\n<table>\n<thead><tr><th scope=\"col\">Probe"
	    "</th><th scope=\"col\">Started</th><th scope=\"col\">Reached</th>"
	    "<th scope=\"col\">Wrong family</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < 3; i++) {
		html(b, "<tr><th scope=\"row\">");
		html_txt(b, probe_names[i]);
		html(b, "</th><td>");
		html_u64(b, st->probe_started[i]);
		html(b, "</td><td>");
		html_u64(b, st->probe_reached[i]);
		html(b, "</td><td>");
		html_u64(b, st->probe_wrong[i]);
		html(b, "</td></tr>\n");
	}
	html(b, "</tbody>\n</table>\n<table class=\"kv\">\n<tbody>\n");
	row_u64(b, "Rejected completions (unknown, expired or used token)",
	    st->probe_rejected);
	html(b, "</tbody>\n</table>\n</section>\n");
}

void
page_status_html(struct buf *b, const struct page_site *site,
    const struct status *st)
{
	char	 s[64];

	html_open(b, "dualstat status", site->static_url);
	html(b, "<h1>dualstat status</h1>\n");
	if (st->db_ok)
		html(b, "<p class=\"ok\">Database: OK</p>\n");
	else {
		html(b, "<p class=\"bad\">Database: NOT WRITABLE \xe2\x80\x94 ");
		html_txt(b, str_or(st->last_error, "no error recorded"));
		html(b, "</p>\n");
	}

	html(b, "<section>\n<h2>Program</h2>\n<table class=\"kv\">\n<tbody>\n");
	row_txt(b, "Version", str_or(st->version, "unknown"));
	row_txt(b, "libfcgi", str_or(st->fcgi_version, "unknown"));
	row_txt(b, "SQLite", str_or(st->sqlite_version, "unknown"));
	row_txt(b, "Mode", str_or(st->mode, "unknown"));
	row_time(b, "Now", st->now);
	fmt_uptime(s, sizeof(s), st->uptime);
	row_txt(b, "Uptime", s);
	snprintf(s, sizeof(s), "%ld", st->pid);
	row_txt(b, "Process id", s);
	row_txt(b, "Server (node)", str_or(st->node, "unknown"));
	row_u64(b, "Requests handled", st->requests);
	html(b, "</tbody>\n</table>\n</section>\n");

	html(b, "<section>\n<h2>Database</h2>\n<table class=\"kv\">\n<tbody>\n");
	row_txt(b, "Path", str_or(st->database, "none"));
	if (st->have_info) {
		snprintf(s, sizeof(s), "%d", st->info.schema_version);
		row_txt(b, "Schema version", s);
		row_txt(b, "Journal mode", str_or(st->info.journal_mode,
		    "unknown"));
		row_u64(b, "Rows", st->info.rows < 0 ? 0 :
		    (uint64_t)st->info.rows);
		row_time(b, "Last record", st->info.last_time);
		fmt_size(s, sizeof(s), st->info.size);
		row_txt(b, "Size", s);
		row_txt(b, "Writable", st->info.writable ? "yes" : "no");
	} else
		row_txt(b, "Details", "unavailable");
	html(b, "</tbody>\n</table>\n</section>\n");

	html(b, "<section>\n<h2>Recording</h2>\n<table class=\"kv\">\n<tbody>\n");
	row_u64(b, "Record failures", st->record_failures);
	row_txt(b, "Last error", str_or(st->last_error, "none"));
	row_time(b, "Last error at", st->last_error_time);
	row_u64(b, "Unreadable peer addresses", st->bad_peers);
	row_txt(b, "Counted by", counted_by(st));
	row_time(b, "Counted since", st->counters_since);
	html(b, "</tbody>\n</table>\n</section>\n");

	if (st->ningest > 0)
		ingest_html(b, st);

	probes_html(b, st);

	if (st->remote_addr != NULL) {
		html(b, "<section>\n<h2>Your request</h2>\n"
		    "<p>What the web server passed on: a dual-stack check.</p>\n"
		    "<table class=\"kv\">\n<tbody>\n");
		row_txt(b, "REMOTE_ADDR", st->remote_addr);
		row_txt(b, "Peer family", addr_family_words(st->remote_addr));
		row_txt(b, "SERVER_ADDR", str_or(st->server_addr, "not set"));
		row_txt(b, "Listener family",
		    addr_family_words(st->server_addr));
		row_txt(b, "Proxy header believed", st->via_proxy ? "yes" :
		    "no");
		row_txt(b, "Prefix that would be stored",
		    str_or(st->client_prefix, "none"));
		html(b, "</tbody>\n</table>\n</section>\n");
	}
	html_close(b);
}

/* ---- JSON -------------------------------------------------------------- */

static void
json_time(struct json *j, const char *key, int64_t t)
{
	char	 s[32];

	if (t == 0) {
		json_none(j, key);
		return;
	}
	utc_format(s, sizeof(s), t, UTC_ISO);
	json_str(j, key, s);
}

static void
probes_json(struct json *j, const struct status *st)
{
	static const char *const keys[3] = { "v6", "v4", "self" };
	size_t	 i;

	json_obj_open(j, "probes");
	for (i = 0; i < 3; i++) {
		json_obj_open(j, keys[i]);
		if (i < 2)
			json_str(j, "url", st->probe_url[i]);
		json_u64(j, "started", st->probe_started[i]);
		json_u64(j, "reached", st->probe_reached[i]);
		json_u64(j, "wrong_family", st->probe_wrong[i]);
		json_obj_close(j);
	}
	json_u64(j, "rejected", st->probe_rejected);
	json_arr_open(j, "warnings");
	for (i = 0; i < 2; i++)
		if (st->probe_warning[i] != NULL)
			json_str(j, NULL, st->probe_warning[i]);
	json_arr_close(j);
	json_obj_close(j);
}

void
page_status_json(struct buf *b, const struct status *st)
{
	struct json	 j;
	size_t		 i;

	json_init(&j, b);
	json_obj_open(&j, NULL);
	json_str(&j, "version", st->version);
	json_str(&j, "fcgi_version", st->fcgi_version);
	json_str(&j, "sqlite_version", st->sqlite_version);
	json_str(&j, "mode", st->mode);
	json_time(&j, "now", st->now);
	json_i64(&j, "uptime", st->uptime);
	json_i64(&j, "pid", st->pid);
	json_str(&j, "node", st->node);
	json_u64(&j, "requests", st->requests);

	json_obj_open(&j, "database");
	json_str(&j, "path", st->database);
	json_bool(&j, "ok", st->db_ok);
	if (st->have_info) {
		json_i64(&j, "schema_version", st->info.schema_version);
		json_str(&j, "journal_mode", st->info.journal_mode);
		json_i64(&j, "rows", st->info.rows);
		json_time(&j, "last_record", st->info.last_time);
		if (st->info.size < 0)
			json_none(&j, "size");
		else
			json_i64(&j, "size", st->info.size);
		json_bool(&j, "writable", st->info.writable);
	} else {
		json_none(&j, "schema_version");
		json_none(&j, "journal_mode");
		json_none(&j, "rows");
		json_none(&j, "last_record");
		json_none(&j, "size");
		json_none(&j, "writable");
	}
	json_obj_close(&j);

	json_u64(&j, "record_failures", st->record_failures);
	json_str(&j, "last_error", st->last_error != NULL &&
	    st->last_error[0] != '\0' ? st->last_error : NULL);
	json_time(&j, "last_error_time", st->last_error_time);
	json_u64(&j, "bad_peers", st->bad_peers);
	json_bool(&j, "counters_shared", st->counters_shared);
	json_time(&j, "counters_since", st->counters_since);
	probes_json(&j, st);

	json_arr_open(&j, "ingest");
	for (i = 0; i < st->ningest; i++) {
		const struct stats_ingest	*g = &st->ingest[i];

		json_obj_open(&j, NULL);
		json_str(&j, "source", g->source);
		json_i64(&j, "pid", g->pid);
		json_time(&j, "started", g->started);
		json_u64(&j, "lines", g->lines);
		json_u64(&j, "rows", g->rows);
		json_u64(&j, "skipped", g->skipped);
		json_u64(&j, "backlog", g->backlog);
		json_u64(&j, "dropped", g->dropped);
		json_time(&j, "last_line", g->last_line);
		if (ingest_lag(st, g) < 0)
			json_none(&j, "lag");
		else
			json_i64(&j, "lag", ingest_lag(st, g));
		json_time(&j, "last_commit", g->last_commit);
		json_obj_close(&j);
	}
	json_arr_close(&j);

	if (st->remote_addr == NULL)
		json_none(&j, "viewer");
	else {
		json_obj_open(&j, "viewer");
		json_str(&j, "remote_addr", st->remote_addr);
		json_str(&j, "server_addr", st->server_addr);
		json_bool(&j, "via_proxy", st->via_proxy);
		json_str(&j, "client_prefix", st->client_prefix);
		json_obj_close(&j);
	}
	json_obj_close(&j);
	buf_putc(b, '\n');
}

/* ---- text -------------------------------------------------------------- */

/* Control characters in a value (an error message) must not reach a terminal. */
static void
text_line(struct buf *b, const char *label, const char *value)
{
	buf_printf(b, "%-22s ", label);
	text_put(b, value);
	buf_putc(b, '\n');
}

static void
text_time(struct buf *b, const char *label, int64_t t)
{
	char	 s[32];

	if (t == 0)
		text_line(b, label, "never");
	else {
		utc_format(s, sizeof(s), t, UTC_ISO);
		text_line(b, label, s);
	}
}

void
page_status_text(struct buf *b, const struct status *st)
{
	char	 s[128];
	size_t	 i;

	text_line(b, "Database:", st->db_ok ? "OK" : "NOT WRITABLE");
	text_line(b, "Version:", str_or(st->version, "unknown"));
	text_line(b, "libfcgi:", str_or(st->fcgi_version, "unknown"));
	text_line(b, "SQLite:", str_or(st->sqlite_version, "unknown"));
	text_line(b, "Mode:", str_or(st->mode, "unknown"));
	text_time(b, "Now:", st->now);
	fmt_uptime(s, sizeof(s), st->uptime);
	text_line(b, "Uptime:", s);
	snprintf(s, sizeof(s), "%ld", st->pid);
	text_line(b, "Process id:", s);
	text_line(b, "Server (node):", str_or(st->node, "unknown"));
	snprintf(s, sizeof(s), "%" PRIu64, st->requests);
	text_line(b, "Requests handled:", s);
	text_line(b, "Database path:", str_or(st->database, "none"));
	if (st->have_info) {
		snprintf(s, sizeof(s), "%d", st->info.schema_version);
		text_line(b, "Schema version:", s);
		text_line(b, "Journal mode:", str_or(st->info.journal_mode,
		    "unknown"));
		snprintf(s, sizeof(s), "%" PRId64, st->info.rows);
		text_line(b, "Rows:", s);
		text_time(b, "Last record:", st->info.last_time);
		fmt_size(s, sizeof(s), st->info.size);
		text_line(b, "Size:", s);
		text_line(b, "Writable:", st->info.writable ? "yes" : "no");
	}
	snprintf(s, sizeof(s), "%" PRIu64, st->record_failures);
	text_line(b, "Record failures:", s);
	text_line(b, "Last error:", str_or(st->last_error, "none"));
	text_time(b, "Last error at:", st->last_error_time);
	snprintf(s, sizeof(s), "%" PRIu64, st->bad_peers);
	text_line(b, "Unreadable peers:", s);
	text_line(b, "Counted by:", counted_by(st));
	text_time(b, "Counted since:", st->counters_since);
	for (i = 0; i < st->ningest; i++) {
		const struct stats_ingest	*g = &st->ingest[i];

		snprintf(s, sizeof(s), "pid %ld", (long)g->pid);
		text_line(b, "Ingest:", s);
		text_line(b, "  reading:", g->source);
		snprintf(s, sizeof(s), "%" PRIu64 " read, %" PRIu64 " recorded, %"
		    PRIu64 " skipped", g->lines, g->rows, g->skipped);
		text_line(b, "  lines:", s);
		snprintf(s, sizeof(s), "%" PRIu64 " waiting, %" PRIu64 " dropped",
		    g->backlog, g->dropped);
		text_line(b, "  backlog:", s);
		text_time(b, "  last line:", g->last_line);
		if (ingest_lag(st, g) < 0)
			text_line(b, "  lag:", "no line yet");
		else {
			fmt_uptime(s, sizeof(s), ingest_lag(st, g));
			text_line(b, "  lag:", s);
		}
		text_time(b, "  last commit:", g->last_commit);
	}
	for (i = 0; i < 3; i++) {
		snprintf(s, sizeof(s), "%" PRIu64 " started, %" PRIu64 " reached, %"
		    PRIu64 " wrong family", st->probe_started[i],
		    st->probe_reached[i], st->probe_wrong[i]);
		text_line(b, i == 0 ? "Probe v6:" : i == 1 ? "Probe v4:" :
		    "Probe self:", s);
	}
	snprintf(s, sizeof(s), "%" PRIu64, st->probe_rejected);
	text_line(b, "Probes rejected:", s);
	for (i = 0; i < 2; i++)
		if (st->probe_warning[i] != NULL)
			text_line(b, "Probe warning:", st->probe_warning[i]);
	if (st->remote_addr != NULL) {
		text_line(b, "REMOTE_ADDR:", st->remote_addr);
		text_line(b, "SERVER_ADDR:", str_or(st->server_addr, "not set"));
		text_line(b, "Proxy header believed:", st->via_proxy ? "yes" :
		    "no");
		text_line(b, "Prefix stored:", str_or(st->client_prefix,
		    "none"));
	}
}
