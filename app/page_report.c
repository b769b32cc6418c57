/* page_report.c: the usage report as HTML, JSON, CSV and terminal text. */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "addr.h"
#include "buf.h"
#include "csv.h"
#include "html.h"
#include "json.h"
#include "page.h"
#include "report.h"

#define DAY	86400

enum utc_form {
	UTC_ISO,	/* ISO 8601, "2026-11-19T00:00:00Z", for machines */
	UTC_DAY,	/* "2026-11-19", also the query's date form */
	UTC_HOUR	/* "2026-11-19 13:00", for people */
};

static void
utc_format(char *out, size_t sz, int64_t t, enum utc_form form)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;
	size_t		 n = 0;

	if (gmtime_r(&tt, &tm) != NULL) {
		switch (form) {
		case UTC_ISO:
			n = strftime(out, sz, "%Y-%m-%dT%H:%M:%SZ", &tm);
			break;
		case UTC_DAY:
			n = strftime(out, sz, "%Y-%m-%d", &tm);
			break;
		case UTC_HOUR:
			n = strftime(out, sz, "%Y-%m-%d %H:%M", &tm);
			break;
		}
	}
	if (n == 0)
		snprintf(out, sz, "%" PRId64, t);
}

static void
iso_time(char *out, size_t sz, int64_t t)
{
	utc_format(out, sz, t, UTC_ISO);
}

static const char *
bucket_name(const struct report *r)
{
	return r->q.bucket == 3600 ? "hour" : "day";
}

/* ---- HTML -------------------------------------------------------------- */

/*
 * The query that asks for this report's period again.  Day-aligned periods
 * are written as from/to (to is inclusive there); the hourly 24-hour
 * window is only reachable as days=1.
 */
static void
period_query(char *out, size_t sz, const struct report *r)
{
	char	 from[16], to[16];

	if (r->q.from % DAY == 0 && r->q.to % DAY == 0 && r->q.to > r->q.from) {
		utc_format(from, sizeof(from), r->q.from, UTC_DAY);
		utc_format(to, sizeof(to), r->q.to - DAY, UTC_DAY);
		snprintf(out, sz, "from=%s&to=%s", from, to);
	} else
		snprintf(out, sz, "days=%" PRId64,
		    (r->q.to - r->q.from + DAY - 1) / DAY);
}

static void
report_link(struct buf *b, const struct page_site *site, const char *path,
    const char *query, const char *label, bool current)
{
	html(b, "<a href=\"");
	html_attr(b, site->base);
	html_attr(b, path);
	html_attr(b, "?");
	html_attr(b, query);
	html(b, current ? "\" aria-current=\"page\">" : "\">");
	html_txt(b, label);
	html(b, "</a>");
}

static void
report_nav(struct buf *b, const struct page_site *site, const struct report *r)
{
	static const struct {
		unsigned	 days;
		const char	*label;
	} periods[] = {
		{ 1, "24 hours" },
		{ 7, "7 days" },
		{ 30, "30 days" },
		{ 90, "90 days" },
		{ 365, "1 year" },
	};
	char	 q[64];
	size_t	 i;

	html(b, "<nav class=\"periods\">\n<p>Period:");
	for (i = 0; i < sizeof(periods) / sizeof(periods[0]); i++) {
		snprintf(q, sizeof(q), "days=%u", periods[i].days);
		html(b, " ");
		report_link(b, site, "/report", q, periods[i].label,
		    r->q.to - r->q.from == (int64_t)periods[i].days * DAY);
	}
	period_query(q, sizeof(q), r);
	html(b, "</p>\n<p>This period as: ");
	report_link(b, site, "/report.json", q, "JSON", false);
	html(b, " \xc2\xb7 ");
	report_link(b, site, "/report.csv", q, "CSV", false);
	html(b, "</p>\n</nav>\n");
}

/* Column heads; columns from num on hold numbers and align right. */
static void
th_cols(struct buf *b, const char *const *cols, size_t n, size_t num)
{
	size_t	 i;

	html(b, "<thead><tr>");
	for (i = 0; i < n; i++) {
		html(b, i < num ? "<th scope=\"col\">" :
		    "<th scope=\"col\" class=\"num\">");
		html_txt(b, cols[i]);
		html(b, "</th>");
	}
	html(b, "</tr></thead>\n<tbody>\n");
}

static void
td_u64(struct buf *b, uint64_t v)
{
	html(b, "<td class=\"num\">");
	html_u64(b, v);
	html(b, "</td>");
}

static void
td_percent(struct buf *b, double share)
{
	html(b, "<td class=\"num\">");
	html_percent(b, share);
	html(b, "</td>");
}

static void
td_txt(struct buf *b, const char *s)
{
	html(b, "<td>");
	html_txt(b, s);
	html(b, "</td>");
}

/* A part of the total, as a share; 0 when there is nothing. */
static double
part(uint64_t n, uint64_t total)
{
	return total == 0 ? 0 : (double)n / (double)total;
}

static void
report_html_totals(struct buf *b, const struct report *r)
{
	static const char *const cols[] = { "Family", "Requests", "Share" };

	html(b, "<section>\n<h2>Requests by family</h2>\n<table>\n");
	th_cols(b, cols, 3, 1);
	html(b, "<tr><th scope=\"row\">IPv4</th>");
	td_u64(b, r->ipv4);
	td_percent(b, part(r->ipv4, r->total));
	html(b, "</tr>\n<tr><th scope=\"row\">IPv6</th>");
	td_u64(b, r->ipv6);
	td_percent(b, part(r->ipv6, r->total));
	html(b, "</tr>\n</tbody>\n<tfoot><tr><th scope=\"row\">Total</th>");
	td_u64(b, r->total);
	td_percent(b, r->total == 0 ? 0 : 1);
	html(b, "</tr></tfoot>\n</table>\n</section>\n");
}

static void
report_html_kinds(struct buf *b, const struct report *r)
{
	static const char *const cols[] = {
		"Family", "Kind", "What it means", "Requests", "Share"
	};
	size_t	 i;

	html(b, "<section>\n<h2>Requests by kind of network</h2>\n");
	if (r->nkinds == 0) {
		html(b, "<p>No requests in this period.</p>\n</section>\n");
		return;
	}
	html(b, "<table>\n");
	th_cols(b, cols, 5, 3);
	for (i = 0; i < r->nkinds; i++) {
		const struct report_kind	*k = &r->kinds[i];

		html(b, "<tr>");
		td_txt(b, k->family == 6 ? "IPv6" : "IPv4");
		html(b, "<td>");
		html_txt(b, addr_kind_name(k->kind));
		if (k->mapped)
			html(b, " (mapped)");
		html(b, "</td>");
		td_txt(b, page_kind_words(k->family, k->kind, k->mapped));
		td_u64(b, k->requests);
		td_percent(b, part(k->requests, r->total));
		html(b, "</tr>\n");
	}
	html(b, "</tbody>\n</table>\n</section>\n");
}

static void
report_html_prefixes(struct buf *b, const struct report *r)
{
	static const char *const cols[] = {
		"Prefix", "Family", "Kind", "Requests", "Share"
	};
	size_t	 i;

	html(b, "<section>\n<h2>Networks</h2>\n<p>Unique prefixes: ");
	html_u64(b, r->unique_ipv4);
	html(b, " IPv4, ");
	html_u64(b, r->unique_ipv6);
	html(b, " IPv6.</p>\n");
	if (r->nprefixes == 0) {
		html(b, "</section>\n");
		return;
	}
	html(b, "<h3>Busiest prefixes</h3>\n<table>\n");
	th_cols(b, cols, 5, 3);
	for (i = 0; i < r->nprefixes; i++) {
		const struct report_prefix	*p = &r->prefixes[i];

		html(b, "<tr><td><code>");
		html_txt(b, p->prefix);
		html(b, "</code></td>");
		td_txt(b, p->family == 6 ? "IPv6" : "IPv4");
		td_txt(b, addr_kind_name(p->kind));
		td_u64(b, p->requests);
		td_percent(b, part(p->requests, r->total));
		html(b, "</tr>\n");
	}
	html(b, "</tbody>\n</table>\n</section>\n");
}

static void
report_html_series(struct buf *b, const struct report *r)
{
	static const char *const cols[] = {
		"Start (UTC)", "IPv4", "IPv6", "IPv6 share"
	};
	char	 t[32];
	size_t	 i;

	html(b, "<section>\n<h2>");
	html(b, r->q.bucket == 3600 ? "Hour by hour" : "Day by day");
	html(b, "</h2>\n");
	if (r->nseries == 0) {
		html(b, "<p>No data in this period.</p>\n</section>\n");
		return;
	}
	html(b, "<table class=\"series\">\n");
	th_cols(b, cols, 4, 1);
	for (i = 0; i < r->nseries; i++) {
		const struct report_point	*p = &r->series[i];

		utc_format(t, sizeof(t), p->start, r->q.bucket == 3600 ?
		    UTC_HOUR : UTC_DAY);
		html(b, "<tr>");
		td_txt(b, t);
		td_u64(b, p->ipv4);
		td_u64(b, p->ipv6);
		if (p->ipv4 + p->ipv6 == 0)
			html(b, "<td class=\"num\">\xe2\x80\x93</td>");
		else
			td_percent(b, report_share(p->ipv4, p->ipv6));
		html(b, "</tr>\n");
	}
	html(b, "</tbody>\n</table>\n</section>\n");
}

void
page_report_html(struct buf *b, const struct page_site *site,
    const struct report *r)
{
	const char	*name;
	char		 from[32], to[32];

	name = site->site_name != NULL && site->site_name[0] != '\0' ?
	    site->site_name : "this site";
	html_open(b, "IPv6 usage report", site->static_url);
	html(b, "<h1>IPv6 usage of ");
	html_txt(b, name);
	html(b, "</h1>\n<p class=\"period\">From <time>");
	iso_time(from, sizeof(from), r->q.from);
	iso_time(to, sizeof(to), r->q.to);
	html_txt(b, from);
	html(b, "</time> to <time>");
	html_txt(b, to);
	html(b, "</time></p>\n");
	report_nav(b, site, r);

	html(b, "<p class=\"headline\">");
	if (r->total == 0)
		html(b, "No requests were recorded in this period.");
	else {
		html(b, "<strong>");
		html_percent(b, report_share(r->ipv4, r->ipv6));
		html(b, "</strong> of ");
		html_u64(b, r->total);
		html(b, r->total == 1 ? " request" : " requests");
		html(b, " came over IPv6.");
	}
	html(b, "</p>\n");

	report_html_totals(b, r);
	report_html_kinds(b, r);
	report_html_prefixes(b, r);
	report_html_series(b, r);
	html_close(b);
}

/* ---- JSON -------------------------------------------------------------- */

void
page_report_json(struct buf *b, const struct report *r)
{
	struct json	 j;
	char		 t[32];
	size_t		 i;

	json_init(&j, b);
	json_obj_open(&j, NULL);
	iso_time(t, sizeof(t), r->q.from);
	json_str(&j, "from", t);
	iso_time(t, sizeof(t), r->q.to);
	json_str(&j, "to", t);
	json_str(&j, "bucket", bucket_name(r));
	json_u64(&j, "total", r->total);
	json_u64(&j, "ipv4", r->ipv4);
	json_u64(&j, "ipv6", r->ipv6);
	json_double(&j, "ipv6_share", report_share(r->ipv4, r->ipv6));

	json_arr_open(&j, "kinds");
	for (i = 0; i < r->nkinds; i++) {
		json_obj_open(&j, NULL);
		json_u64(&j, "family", (uint64_t)r->kinds[i].family);
		json_str(&j, "kind", addr_kind_name(r->kinds[i].kind));
		json_bool(&j, "mapped", r->kinds[i].mapped);
		json_u64(&j, "requests", r->kinds[i].requests);
		json_obj_close(&j);
	}
	json_arr_close(&j);

	json_obj_open(&j, "unique_prefixes");
	json_u64(&j, "ipv4", r->unique_ipv4);
	json_u64(&j, "ipv6", r->unique_ipv6);
	json_obj_close(&j);

	json_arr_open(&j, "prefixes");
	for (i = 0; i < r->nprefixes; i++) {
		json_obj_open(&j, NULL);
		json_str(&j, "prefix", r->prefixes[i].prefix);
		json_u64(&j, "family", (uint64_t)r->prefixes[i].family);
		json_str(&j, "kind", addr_kind_name(r->prefixes[i].kind));
		json_u64(&j, "requests", r->prefixes[i].requests);
		json_obj_close(&j);
	}
	json_arr_close(&j);

	json_arr_open(&j, "series");
	for (i = 0; i < r->nseries; i++) {
		json_obj_open(&j, NULL);
		iso_time(t, sizeof(t), r->series[i].start);
		json_str(&j, "start", t);
		json_u64(&j, "ipv4", r->series[i].ipv4);
		json_u64(&j, "ipv6", r->series[i].ipv6);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_obj_close(&j);
	buf_putc(b, '\n');
}

/* ---- CSV --------------------------------------------------------------- */

/*
 * CSV is one table, so it carries the series: one row per bucket,
 *
 *	start,ipv4,ipv6,ipv6_share
 *	2026-11-19T00:00:00Z,120,80,0.4
 *
 * start is the bucket's first second (ISO 8601 UTC); ipv6_share is 0..1
 * and empty for a bucket without requests.  Totals are the column sums;
 * kinds and prefixes are in the JSON.
 */
void
page_report_csv(struct buf *b, const struct report *r)
{
	char	 t[32];
	size_t	 i;

	csv_field(b, "start", 1);
	csv_field(b, "ipv4", 0);
	csv_field(b, "ipv6", 0);
	csv_field(b, "ipv6_share", 0);
	csv_eol(b);
	for (i = 0; i < r->nseries; i++) {
		const struct report_point	*p = &r->series[i];

		iso_time(t, sizeof(t), p->start);
		csv_field(b, t, 1);
		csv_u64(b, p->ipv4, 0);
		csv_u64(b, p->ipv6, 0);
		if (p->ipv4 + p->ipv6 == 0)
			csv_field(b, "", 0);
		else
			csv_double(b, report_share(p->ipv4, p->ipv6), 0);
		csv_eol(b);
	}
}

/* ---- text -------------------------------------------------------------- */

#define BAR_WIDTH	40

/*
 * Text for a terminal: control characters (escape sequences) from a
 * damaged database must not reach it.
 */
static void
text_safe(struct buf *b, const char *s, int width)
{
	int	 n = 0;

	for (; *s != '\0'; s++, n++)
		buf_putc(b, (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
	for (; n < width; n++)
		buf_putc(b, ' ');
}

static void
text_percent(struct buf *b, double share)
{
	uint64_t	 tenths;

	if (!(share >= 0))
		share = 0;
	if (share > 1)
		share = 1;
	tenths = (uint64_t)(share * 1000.0 + 0.5);
	buf_printf(b, "%3" PRIu64 ".%" PRIu64 " %%", tenths / 10, tenths % 10);
}

static void
text_bar(struct buf *b, double share)
{
	int	 i, n;

	n = (int)(share * BAR_WIDTH + 0.5);
	buf_putc(b, '|');
	for (i = 0; i < BAR_WIDTH; i++)
		buf_putc(b, i < n ? '#' : '.');
	buf_putc(b, '|');
}

void
page_report_text(struct buf *b, const struct report *r)
{
	char	 from[32], to[32], t[32];
	size_t	 i, w;

	iso_time(from, sizeof(from), r->q.from);
	iso_time(to, sizeof(to), r->q.to);
	buf_printf(b, "IPv6 usage from %s to %s (by %s)\n\n", from, to,
	    bucket_name(r));

	buf_printf(b, "  %-8s %12s %7s\n", "", "requests", "share");
	buf_printf(b, "  %-8s %12" PRIu64 " ", "IPv4", r->ipv4);
	text_percent(b, part(r->ipv4, r->total));
	buf_printf(b, "\n  %-8s %12" PRIu64 " ", "IPv6", r->ipv6);
	text_percent(b, part(r->ipv6, r->total));
	buf_printf(b, "\n  %-8s %12" PRIu64 "\n\n", "total", r->total);

	buf_puts(b, "By kind\n");
	if (r->nkinds == 0)
		buf_puts(b, "  (none)\n");
	else
		buf_printf(b, "  %-6s %-14s %-6s %12s %7s\n", "family", "kind",
		    "", "requests", "share");
	for (i = 0; i < r->nkinds; i++) {
		const struct report_kind	*k = &r->kinds[i];

		buf_printf(b, "  %-6s ", k->family == 6 ? "IPv6" : "IPv4");
		text_safe(b, addr_kind_name(k->kind), 14);
		buf_printf(b, " %-6s %12" PRIu64 " ", k->mapped ? "mapped" : "",
		    k->requests);
		text_percent(b, part(k->requests, r->total));
		buf_putc(b, '\n');
	}

	buf_printf(b, "\nUnique prefixes: %" PRIu64 " IPv4, %" PRIu64
	    " IPv6\n\nBusiest prefixes\n", r->unique_ipv4, r->unique_ipv6);
	if (r->nprefixes == 0)
		buf_puts(b, "  (none)\n");
	for (i = 0, w = 6; i < r->nprefixes; i++)
		if (strlen(r->prefixes[i].prefix) > w)
			w = strlen(r->prefixes[i].prefix);
	if (r->nprefixes > 0)
		buf_printf(b, "  %-*s %-4s %-14s %12s\n", (int)w, "prefix",
		    "fam", "kind", "requests");
	for (i = 0; i < r->nprefixes; i++) {
		const struct report_prefix	*p = &r->prefixes[i];

		buf_puts(b, "  ");
		text_safe(b, p->prefix, (int)w);
		buf_printf(b, " %-4s ", p->family == 6 ? "IPv6" : "IPv4");
		text_safe(b, addr_kind_name(p->kind), 14);
		buf_printf(b, " %12" PRIu64 "\n", p->requests);
	}

	buf_printf(b, "\n%s       IPv4       IPv6  IPv6 share\n",
	    r->q.bucket == 3600 ? "Hour (UTC)      " : "Day (UTC)       ");
	for (i = 0; i < r->nseries; i++) {
		const struct report_point	*p = &r->series[i];

		utc_format(t, sizeof(t), p->start, r->q.bucket == 3600 ?
		    UTC_HOUR : UTC_DAY);
		buf_printf(b, "%-16s %10" PRIu64 " %10" PRIu64 "  ", t,
		    p->ipv4, p->ipv6);
		if (p->ipv4 + p->ipv6 == 0) {
			buf_puts(b, "     -\n");
			continue;
		}
		text_percent(b, report_share(p->ipv4, p->ipv6));
		buf_putc(b, ' ');
		text_bar(b, report_share(p->ipv4, p->ipv6));
		buf_putc(b, '\n');
	}
}
