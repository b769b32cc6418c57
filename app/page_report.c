/* page_report.c: the usage report as HTML (with inline SVG charts), JSON, CSV and terminal text. */
#include <inttypes.h>
#include <math.h>
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
#include "report_view.h"
#include "svg.h"
#include "url.h"

/* ---- HTML -------------------------------------------------------------- */

/*
 * The current period is text, not a link to itself (tidy 5.6 does not
 * know aria-current yet, and a link to the page one is on helps nobody).
 */
static void
report_link(struct buf *b, const struct page_site *site, const char *path,
    const struct buf *query, const char *label, bool current)
{
	if (current) {
		html(b, "<strong class=\"current\">");
		html_txt(b, label);
		html(b, "</strong>");
		return;
	}
	html(b, "<a href=\"");
	html_attr(b, site->base);
	html_attr(b, path);
	html_attr(b, "?");
	html_attr(b, buf_str(query));
	html(b, "\">");
	html_txt(b, label);
	html(b, "</a>");
}

/*
 * A breakdown row's label as a link to this period's report filtered on
 * it (host, how), the other filter kept: class says which filter it sets.
 */
static void
filter_link(struct buf *b, const struct page_site *site, const struct report *r,
    const char *class, const char *host, int how, const char *label)
{
	struct buf	 q = { 0 };

	view_period_query(&q, r);
	view_filter_query(&q, host, how);
	html(b, "<a class=\"");
	html_attr(b, class);
	html(b, "\" href=\"");
	html_attr(b, site->base);
	html(b, "/report?");
	html_attr(b, buf_str(&q));
	html(b, "\">");
	html_txt(b, label);
	html(b, "</a>");
	buf_free(&q);
}

static void
report_nav(struct buf *b, const struct page_site *site, const struct report *r)
{
	const struct view_preset	*p;
	struct buf			 q = { 0 };
	size_t				 i;

	html(b, "<nav class=\"periods\" aria-label=\"Report period\">\n"
	    "<p>Period:");
	for (i = 0; (p = view_preset(i)) != NULL; i++) {
		buf_reset(&q);
		view_preset_query(&q, r, p->days);
		html(b, " ");
		/*
		 * By the preset asked for, not the length: a custom range of
		 * 30 days is not "the last 30 days", which must stay a link.
		 */
		report_link(b, site, "/report", &q, p->label, r->q.days == p->days);
	}
	if (view_filtered(r)) {
		buf_reset(&q);
		view_period_query(&q, r);
		html(b, "</p>\n<p>Filters: ");
		report_link(b, site, "/report", &q, "show everything", false);
	}
	buf_reset(&q);
	view_period_query(&q, r);
	view_filter_query(&q, r->q.host, r->q.how);
	html(b, "</p>\n<p>This report as: ");
	report_link(b, site, "/report.json", &q, "JSON", false);
	html(b, " \xc2\xb7 ");
	report_link(b, site, "/report.csv", &q, "CSV", false);
	html(b, "</p>\n</nav>\n");
	buf_free(&q);
}

/*
 * "As CSV:" and a link to each of one or two tables (t2 == TABLE__MAX:
 * one), with this report's period and filters, placed by the tables that
 * show the same numbers.
 */
static void
csv_links(struct buf *b, const struct page_site *site, const struct report *r,
    enum report_table t1, const char *label1, enum report_table t2,
    const char *label2)
{
	const enum report_table	 t[2] = { t1, t2 };
	const char		*label[2] = { label1, label2 };
	struct buf		 q = { 0 };
	size_t			 i;

	html(b, "<p class=\"csv\">As CSV: ");
	for (i = 0; i < 2 && t[i] < TABLE__MAX; i++) {
		buf_reset(&q);
		view_period_query(&q, r);
		view_filter_query(&q, r->q.host, r->q.how);
		url_param(&q, "table", report_table_name(t[i]));
		if (i > 0)
			html(b, " \xc2\xb7 ");
		report_link(b, site, "/report.csv", &q, label[i], false);
	}
	html(b, "</p>\n");
	buf_free(&q);
}

static void
option(struct buf *b, const char *value, const char *label, bool selected)
{
	html(b, "<option value=\"");
	html_attr(b, value);
	html(b, selected ? "\" selected>" : "\">");
	html_txt(b, label);
	html(b, "</option>\n");
}

/*
 * A GET form: the browser builds the same query the links use, and
 * form-action 'self' lets it go to the report itself.  Empty host and how
 * values ("all") are what query_parse reads as no filter.
 */
static void
report_form(struct buf *b, const struct page_site *site, const struct report *r)
{
	char	 from[16], to[16];
	size_t	 i;
	int	 h;

	view_time(from, sizeof(from), r->q.from, VIEW_DAY);
	view_time(to, sizeof(to), r->q.to > r->q.from ? r->q.to - 1 : r->q.to,
	    VIEW_DAY);
	html(b, "<form class=\"picker\" method=\"get\" action=\"");
	html_attr(b, site->base);
	html(b, "/report\">\n<fieldset>\n<legend>Custom range and filters"
	    "</legend>\n<div class=\"fields\">\n"
	    "<label>From <input type=\"date\" name=\"from\" required "
	    "min=\"1970-01-01\" max=\"9999-12-31\" value=\"");
	html_attr(b, from);
	html(b, "\"></label>\n<label>To <input type=\"date\" name=\"to\" "
	    "required min=\"1970-01-01\" max=\"9999-12-31\" value=\"");
	html_attr(b, to);
	html(b, "\"></label>\n<label>Host <select name=\"host\">\n");
	option(b, "", "All hosts", r->q.host[0] == '\0');
	for (i = 0; i < r->nhosts; i++) {
		if (r->hosts[i].host[0] == '\0')
			continue;	/* "no Host header" cannot be asked for */
		option(b, r->hosts[i].host, r->hosts[i].host,
		    strcmp(r->hosts[i].host, r->q.host) == 0);
	}
	if (r->q.host[0] != '\0' && !view_host_listed(r))
		option(b, r->q.host, r->q.host, true);
	html(b, "</select></label>\n<label>Measured by <select name=\"how\">\n");
	option(b, "", "Every way", !view_how_known(r->q.how));
	for (h = 0; view_how_known(h); h++)
		option(b, view_how_name(h), view_how_label(h), r->q.how == h);
	html(b, "</select></label>\n<button type=\"submit\">Show</button>\n"
	    "</div>\n</fieldset>\n</form>\n");
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
	html(b, "</tr></thead>\n");
}

/* A table inside a box that scrolls sideways on a narrow screen. */
static void
table_open(struct buf *b, const char *caption, const char *const *cols,
    size_t n, size_t num)
{
	html(b, "<div class=\"scroll\">\n<table>\n");
	if (caption != NULL) {
		html(b, "<caption>");
		html_txt(b, caption);
		html(b, "</caption>\n");
	}
	th_cols(b, cols, n, num);
	html(b, "<tbody>\n");
}

static void
table_close(struct buf *b)
{
	html(b, "</tbody>\n</table>\n</div>\n");
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

/* A share of requests that may not exist: a dash when there were none. */
static void
td_share(struct buf *b, uint64_t ipv4, uint64_t ipv6)
{
	if (ipv4 + ipv6 == 0)
		html(b, "<td class=\"num\">\xe2\x80\x93</td>");
	else
		td_percent(b, report_share(ipv4, ipv6));
}

static void
td_txt(struct buf *b, const char *s)
{
	html(b, "<td>");
	html_txt(b, s);
	html(b, "</td>");
}

static void
th_row(struct buf *b, const char *s)
{
	html(b, "<th scope=\"row\">");
	html_txt(b, s);
	html(b, "</th>");
}

static void
report_html_headline(struct buf *b, const struct report *r)
{
	struct view_change	 c = view_change(r);
	char		 pts[32], prev[32];
	uint64_t	 ptotal = r->prev_ipv4 + r->prev_ipv6;

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

	view_percent(prev, sizeof(prev), report_share(r->prev_ipv4, r->prev_ipv6));
	if (!c.known) {
		html(b, "<p class=\"change\">");
		if (ptotal == 0)
			html(b, "No previous data: the period of the same length "
			    "before this one has no requests to compare with.");
		else {
			html(b, "The period of the same length before this one "
			    "had ");
			html_u64(b, ptotal);
			html(b, ptotal == 1 ? " request, " : " requests, ");
			html_txt(b, prev);
			html(b, " over IPv6.");
		}
		html(b, "</p>\n");
		return;
	}
	view_points(pts, sizeof(pts), c.points);
	html(b, c.dir > 0 ? "<p class=\"change up\">" : c.dir < 0 ?
	    "<p class=\"change down\">" : "<p class=\"change same\">");
	if (c.dir == 0)
		html(b, "<span aria-hidden=\"true\">= </span>Unchanged");
	else {
		html(b, c.dir > 0 ? "<span aria-hidden=\"true\">\xe2\x96\xb2 </span>Up " :
		    "<span aria-hidden=\"true\">\xe2\x96\xbc </span>Down ");
		html_txt(b, pts);
		html(b, " percentage points");
	}
	html(b, " from ");
	html_txt(b, prev);
	html(b, " in the period of the same length before (");
	html_u64(b, ptotal);
	html(b, ptotal == 1 ? " request)." : " requests).");
	html(b, "</p>\n");
}

/* ---- charts ------------------------------------------------------------ */

#define CHART_W		640
#define CHART_H		220
#define PLOT_L		76	/* room for the y labels */
#define PLOT_R		12
#define PLOT_T		12
#define PLOT_B		40	/* room for the x labels */
#define PLOT_W		(CHART_W - PLOT_L - PLOT_R)
#define PLOT_H		(CHART_H - PLOT_T - PLOT_B)
#define XLABELS		2	/* at most this many + 1 dates on the x axis */

static double
bucket_x(size_t i, size_t n)
{
	return PLOT_L + ((double)i + 0.5) * PLOT_W / (double)n;
}

/* The x axis: a few bucket starts, evenly spread, first and last included. */
static void
chart_xaxis(struct buf *b, const struct report *r)
{
	char	 t[32];
	size_t	 k, i, last = (size_t)-1, n = r->nseries, nl;

	svg_line(b, "axis", PLOT_L, PLOT_T + PLOT_H, PLOT_L + PLOT_W,
	    PLOT_T + PLOT_H);
	nl = n - 1 < XLABELS ? n - 1 : XLABELS;
	svg_group_open(b, "xlabels");
	for (k = 0; k <= nl; k++) {
		i = nl == 0 ? 0 : k * (n - 1) / nl;
		if (i == last)
			continue;
		last = i;
		view_time(t, sizeof(t), r->series[i].start,
		    view_hourly(r) ? VIEW_SHORT : VIEW_DAY);
		svg_line(b, "tick", bucket_x(i, n), PLOT_T + PLOT_H,
		    bucket_x(i, n), PLOT_T + PLOT_H + 5);
		svg_text(b, NULL, bucket_x(i, n), PLOT_T + PLOT_H + 22,
		    nl == 0 ? "middle" : k == 0 ? "start" : k == nl ? "end" :
		    "middle", t);
	}
	svg_group_close(b);
}

/* Horizontal grid lines with their labels on the left. */
static void
chart_grid(struct buf *b, const char *const *labels, const double *at, size_t n)
{
	size_t	 i;
	double	 y;

	svg_group_open(b, "grid");
	for (i = 0; i < n; i++) {
		y = PLOT_T + PLOT_H - at[i] * PLOT_H;
		svg_line(b, NULL, PLOT_L, y, PLOT_L + PLOT_W, y);
		svg_text(b, "ylabel", PLOT_L - 6, y + 4, "end", labels[i]);
	}
	svg_group_close(b);
}

/*
 * The IPv6 share per bucket as a line with a point on every bucket that
 * had requests; buckets without requests have no share and break the
 * line rather than draw it through zero.
 */
static void
chart_share(struct buf *b, const struct report *r)
{
	static const char *const yl[] = { "0 %", "25 %", "50 %", "75 %", "100 %" };
	static const double	 ya[] = { 0, 0.25, 0.5, 0.75, 1 };
	char	 desc[160], t[32], pc[32], tip[128];
	size_t	 i, n = r->nseries, run;
	double	 y;

	snprintf(desc, sizeof(desc), "A line of the share of requests that came "
	    "over IPv6, one point per %s with requests; the table below holds "
	    "the same numbers.", view_bucket_name(r));
	svg_open(b, "chart", CHART_W, CHART_H, "IPv6 share over time", desc);
	chart_grid(b, yl, ya, 5);
	chart_xaxis(b, r);
	for (i = 0; i < n; i = run) {
		while (i < n && r->series[i].ipv4 + r->series[i].ipv6 == 0)
			i++;
		for (run = i; run < n &&
		    r->series[run].ipv4 + r->series[run].ipv6 > 0; run++)
			;
		if (run - i < 2) {
			if (run == i)
				run++;
			continue;
		}
		svg_poly_open(b, "line v6");
		for (; i < run; i++)
			svg_poly_point(b, bucket_x(i, n), PLOT_T + PLOT_H -
			    report_share(r->series[i].ipv4,
			    r->series[i].ipv6) * PLOT_H);
		svg_poly_close(b);
	}
	svg_group_open(b, "points v6");
	for (i = 0; i < n; i++) {
		const struct report_point	*p = &r->series[i];

		if (p->ipv4 + p->ipv6 == 0)
			continue;
		y = PLOT_T + PLOT_H - report_share(p->ipv4, p->ipv6) * PLOT_H;
		view_bucket_label(t, sizeof(t), r, p->start);
		view_percent(pc, sizeof(pc), report_share(p->ipv4, p->ipv6));
		snprintf(tip, sizeof(tip), "%s: %s IPv6 of %" PRIu64
		    " requests", t, pc, p->ipv4 + p->ipv6);
		svg_circle(b, "pt", bucket_x(i, n), y, n > 120 ? 1.5 : 3, tip);
	}
	svg_group_close(b);
	svg_close(b);
}

/* Requests per bucket as stacked bars: IPv4 below, IPv6 on top. */
static void
chart_families(struct buf *b, const struct report *r)
{
	char		 desc[160], t[32], tip[128], yl0[24], yl1[24], yl2[24];
	const char	*yl[3] = { yl0, yl1, yl2 };
	static const double ya[] = { 0, 0.5, 1 };
	uint64_t	 top = 0;
	size_t		 i, n = r->nseries;
	double		 w, x, h4, h6;

	for (i = 0; i < n; i++)
		if (r->series[i].ipv4 + r->series[i].ipv6 > top)
			top = r->series[i].ipv4 + r->series[i].ipv6;
	top = view_scale_top(top < 2 ? 2 : top);
	snprintf(yl0, sizeof(yl0), "0");
	snprintf(yl1, sizeof(yl1), "%" PRIu64, top / 2);
	snprintf(yl2, sizeof(yl2), "%" PRIu64, top);

	snprintf(desc, sizeof(desc), "Stacked bars of requests per %s, IPv4 "
	    "below and IPv6 above; the table below holds the same numbers.",
	    view_bucket_name(r));
	svg_open(b, "chart", CHART_W, CHART_H, "Requests by family over time",
	    desc);
	chart_grid(b, yl, ya, 3);
	w = (double)PLOT_W / (double)n;
	svg_group_open(b, "bars");
	for (i = 0; i < n; i++) {
		const struct report_point	*p = &r->series[i];

		if (p->ipv4 + p->ipv6 == 0)
			continue;
		x = bucket_x(i, n) - w * 0.4;
		h4 = (double)p->ipv4 / (double)top * PLOT_H;
		h6 = (double)p->ipv6 / (double)top * PLOT_H;
		view_bucket_label(t, sizeof(t), r, p->start);
		snprintf(tip, sizeof(tip), "%s: %" PRIu64 " IPv4", t, p->ipv4);
		if (p->ipv4 > 0)
			svg_rect(b, "v4", x, PLOT_T + PLOT_H - h4, w * 0.8, h4,
			    tip);
		snprintf(tip, sizeof(tip), "%s: %" PRIu64 " IPv6", t, p->ipv6);
		if (p->ipv6 > 0)
			svg_rect(b, "v6", x, PLOT_T + PLOT_H - h4 - h6, w * 0.8,
			    h6, tip);
	}
	svg_group_close(b);
	chart_xaxis(b, r);
	svg_group_open(b, "legend");
	svg_rect(b, "v4", PLOT_L + 8, PLOT_T + 2, 12, 12, NULL);
	svg_text(b, NULL, PLOT_L + 25, PLOT_T + 12, "start", "IPv4");
	svg_rect(b, "v6", PLOT_L + 90, PLOT_T + 2, 12, 12, NULL);
	svg_text(b, NULL, PLOT_L + 107, PLOT_T + 12, "start", "IPv6");
	svg_group_close(b);
	svg_close(b);
}

/*
 * Long series fold their table away (details is keyboard- and screen-
 * reader-accessible without script); a week of days stays open.
 */
#define OPEN_ROWS	14

static void
details_open(struct buf *b, const struct report *r, const char *summary)
{
	html(b, r->nseries <= OPEN_ROWS ? "<details open>\n<summary>" :
	    "<details>\n<summary>");
	html_txt(b, summary);
	html(b, "</summary>\n");
}

static void
report_html_charts(struct buf *b, const struct page_site *site,
    const struct report *r)
{
	static const char *const share_cols[] = {
		"Start (UTC)", "Requests", "IPv6 share"
	};
	static const char *const fam_cols[] = {
		"Start (UTC)", "IPv4", "IPv6", "Total"
	};
	char	 t[32];
	size_t	 i;

	html(b, "<section>\n<h2>IPv6 share ");
	html(b, view_hourly(r) ? "hour by hour" : "day by day");
	html(b, "</h2>\n");
	if (r->nseries == 0) {
		html(b, "<p>No data in this period.</p>\n</section>\n");
		return;
	}
	html(b, "<figure>\n");
	chart_share(b, r);
	html(b, "</figure>\n");
	details_open(b, r, "The IPv6 share as a table");
	table_open(b, NULL, share_cols, 3, 1);
	for (i = 0; i < r->nseries; i++) {
		const struct report_point	*p = &r->series[i];

		view_bucket_label(t, sizeof(t), r, p->start);
		html(b, "<tr>");
		th_row(b, t);
		td_u64(b, p->ipv4 + p->ipv6);
		td_share(b, p->ipv4, p->ipv6);
		html(b, "</tr>\n");
	}
	table_close(b);
	html(b, "</details>\n");
	csv_links(b, site, r, TABLE_SERIES, "the series", TABLE__MAX, NULL);
	html(b, "</section>\n");

	html(b, "<section>\n<h2>Requests by family ");
	html(b, view_hourly(r) ? "hour by hour" : "day by day");
	html(b, "</h2>\n<figure>\n");
	chart_families(b, r);
	html(b, "</figure>\n");
	details_open(b, r, "Requests by family as a table");
	table_open(b, NULL, fam_cols, 4, 1);
	for (i = 0; i < r->nseries; i++) {
		const struct report_point	*p = &r->series[i];

		view_bucket_label(t, sizeof(t), r, p->start);
		html(b, "<tr>");
		th_row(b, t);
		td_u64(b, p->ipv4);
		td_u64(b, p->ipv6);
		td_u64(b, p->ipv4 + p->ipv6);
		html(b, "</tr>\n");
	}
	table_close(b);
	html(b, "</details>\n");
	csv_links(b, site, r, TABLE_SERIES, "the series", TABLE__MAX, NULL);
	html(b, "</section>\n");
}

/* ---- breakdowns -------------------------------------------------------- */

static void
report_html_totals(struct buf *b, const struct page_site *site,
    const struct report *r)
{
	static const char *const cols[] = {
		"Family", "Requests", "Share", "Unique prefixes"
	};

	html(b, "<section>\n<h2>Requests by family</h2>\n");
	table_open(b, NULL, cols, 4, 1);
	html(b, "<tr>");
	th_row(b, "IPv4");
	td_u64(b, r->ipv4);
	td_percent(b, view_part(r->ipv4, r->total));
	td_u64(b, r->unique_ipv4);
	html(b, "</tr>\n<tr>");
	th_row(b, "IPv6");
	td_u64(b, r->ipv6);
	td_percent(b, view_part(r->ipv6, r->total));
	td_u64(b, r->unique_ipv6);
	html(b, "</tr>\n</tbody>\n<tfoot><tr>");
	th_row(b, "Total");
	td_u64(b, r->total);
	td_percent(b, r->total == 0 ? 0 : 1);
	td_u64(b, r->unique_ipv4 + r->unique_ipv6);
	html(b, "</tr></tfoot>\n</table>\n</div>\n");
	csv_links(b, site, r, TABLE_SUMMARY, "the totals",
	    TABLE_UNIQUE, "unique prefixes");
	html(b, "</section>\n");
}

static void
report_html_kinds(struct buf *b, const struct page_site *site,
    const struct report *r)
{
	static const char *const cols[] = {
		"Kind", "What it means", "Requests", "Share"
	};
	uint64_t	 sums[VIEW_GROUP__MAX];
	size_t		 i;
	int		 g;

	html(b, "<section>\n<h2>Requests by kind of network</h2>\n");
	if (r->nkinds == 0) {
		html(b, "<p>No requests in this period.</p>\n</section>\n");
		return;
	}
	view_group_sums(r, sums);
	html(b, "<div class=\"scroll\">\n<table class=\"groups\">\n");
	th_cols(b, cols, 4, 2);
	for (g = 0; g < VIEW_GROUP__MAX; g++) {
		if (sums[g] == 0)
			continue;
		html(b, "<tbody>\n<tr class=\"group\"><th scope=\"rowgroup\" "
		    "colspan=\"2\">");
		html_txt(b, view_group_name((enum view_group)g));
		html(b, "</th>");
		td_u64(b, sums[g]);
		td_percent(b, view_part(sums[g], r->total));
		html(b, "</tr>\n");
		for (i = 0; i < r->nkinds; i++) {
			const struct report_kind	*k = &r->kinds[i];

			if ((int)view_kind_group(k) != g || k->requests == 0)
				continue;
			html(b, "<tr><td>");
			html_txt(b, view_family_name(k->family));
			html(b, " ");
			html_txt(b, addr_kind_name(k->kind));
			if (k->mapped)
				html(b, " (mapped)");
			html(b, "</td>");
			td_txt(b, page_kind_words(k->family, k->kind, k->mapped));
			td_u64(b, k->requests);
			td_percent(b, view_part(k->requests, r->total));
			html(b, "</tr>\n");
		}
		html(b, "</tbody>\n");
	}
	html(b, "</table>\n</div>\n");
	csv_links(b, site, r, TABLE_KINDS, "requests by kind", TABLE__MAX, NULL);
	html(b, "</section>\n");
}

static void
report_html_hosts(struct buf *b, const struct page_site *site,
    const struct report *r)
{
	static const char *const cols[] = {
		"Host", "IPv4", "IPv6", "Total", "IPv6 share"
	};
	size_t		 i;

	html(b, "<section>\n<h2>By host</h2>\n");
	if (r->nhosts == 0) {
		html(b, "<p>No requests by host in this period.</p>\n"
		    "</section>\n");
		return;
	}
	table_open(b, NULL, cols, 5, 1);
	for (i = 0; i < r->nhosts; i++) {
		const struct report_host	*h = &r->hosts[i];

		html(b, "<tr><th scope=\"row\">");
		if (h->host[0] == '\0')
			html(b, "(no Host header)");
		else
			filter_link(b, site, r, "host", h->host, r->q.how, h->host);
		html(b, "</th>");
		td_u64(b, h->ipv4);
		td_u64(b, h->ipv6);
		td_u64(b, h->ipv4 + h->ipv6);
		td_share(b, h->ipv4, h->ipv6);
		html(b, "</tr>\n");
	}
	table_close(b);
	csv_links(b, site, r, TABLE_HOSTS, "requests by host", TABLE__MAX, NULL);
	html(b, "</section>\n");
}

static void
report_html_listeners(struct buf *b, const struct page_site *site,
    const struct report *r)
{
	static const char *const cols[] = {
		"Socket", "IPv4 clients", "IPv6 clients", "Total"
	};
	size_t	 i;

	html(b, "<section>\n<h2>By the server's listening socket</h2>\n");
	if (r->nlisteners == 0) {
		html(b, "<p>No requests by socket in this period.</p>\n"
		    "</section>\n");
		return;
	}
	html(b, "<p>IPv4 clients on an IPv6 socket came as IPv4-mapped "
	    "addresses.</p>\n");
	table_open(b, NULL, cols, 4, 1);
	for (i = 0; i < r->nlisteners; i++) {
		const struct report_listener	*l = &r->listeners[i];

		html(b, "<tr>");
		th_row(b, l->server_family == 6 ? "IPv6 socket" :
		    l->server_family == 4 ? "IPv4 socket" : "unknown");
		td_u64(b, l->ipv4);
		td_u64(b, l->ipv6);
		td_u64(b, l->ipv4 + l->ipv6);
		html(b, "</tr>\n");
	}
	table_close(b);
	csv_links(b, site, r, TABLE_LISTENERS, "requests by socket",
	    TABLE__MAX, NULL);
	html(b, "</section>\n");
}

/* Each way of measuring links its own report, the host filter kept, as the hosts do. */
static void
report_html_hows(struct buf *b, const struct page_site *site,
    const struct report *r)
{
	static const char *const cols[] = { "Measured by", "Requests", "Share" };
	size_t		 i;
	int		 how;

	html(b, "<section>\n<h2>By way of measuring</h2>\n");
	if (r->nhows == 0) {
		html(b, "<p>No requests by way of measuring in this period.</p>\n"
		    "</section>\n");
		return;
	}
	table_open(b, NULL, cols, 3, 1);
	for (i = 0; i < r->nhows; i++) {
		how = r->hows[i].how;
		html(b, "<tr><th scope=\"row\">");
		if (!view_how_known(how))
			html_txt(b, view_how_label(how));	/* no filter asks for it */
		else
			filter_link(b, site, r, "how", r->q.host, how, view_how_label(how));
		html(b, "</th>");
		td_u64(b, r->hows[i].requests);
		td_percent(b, view_part(r->hows[i].requests, r->total));
		html(b, "</tr>\n");
	}
	table_close(b);
	csv_links(b, site, r, TABLE_HOWS, "requests by way of measuring",
	    TABLE__MAX, NULL);
	html(b, "</section>\n");
}

static void
report_html_prefixes(struct buf *b, const struct page_site *site,
    const struct report *r)
{
	static const char *const cols[] = {
		"Prefix", "Kind", "Requests", "Share of family"
	};
	static const int	 fams[] = { 6, 4 };
	size_t			 i, f, n;
	uint64_t		 ftotal;

	html(b, "<section>\n<h2>Busiest networks</h2>\n<p>Unique prefixes: ");
	html_u64(b, r->unique_ipv4);
	html(b, " IPv4, ");
	html_u64(b, r->unique_ipv6);
	html(b, " IPv6.</p>\n");
	for (f = 0; f < 2; f++) {
		for (i = n = 0; i < r->nprefixes; i++)
			n += r->prefixes[i].family == fams[f];
		html(b, "<h3>");
		html_txt(b, view_family_name(fams[f]));
		html(b, "</h3>\n");
		if (n == 0) {
			html(b, "<p>None in this period.</p>\n");
			continue;
		}
		ftotal = fams[f] == 6 ? r->ipv6 : r->ipv4;
		table_open(b, NULL, cols, 4, 2);
		for (i = 0; i < r->nprefixes; i++) {
			const struct report_prefix	*p = &r->prefixes[i];

			if (p->family != fams[f])
				continue;
			html(b, "<tr><td><code>");
			html_txt(b, p->prefix);
			html(b, "</code></td>");
			td_txt(b, addr_kind_name(p->kind));
			td_u64(b, p->requests);
			td_percent(b, view_part(p->requests, ftotal));
			html(b, "</tr>\n");
		}
		table_close(b);
	}
	csv_links(b, site, r, TABLE_PREFIXES, "busiest prefixes",
	    TABLE_UNIQUE, "unique prefixes");
	html(b, "</section>\n");
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
	html(b, "</h1>\n<p class=\"period\">From <time datetime=\"");
	view_time(from, sizeof(from), r->q.from, VIEW_ISO);
	view_time(to, sizeof(to), r->q.to, VIEW_ISO);
	html_attr(b, from);
	html(b, "\">");
	view_time(from, sizeof(from), r->q.from, VIEW_HOUR);
	html_txt(b, from);
	html(b, "</time> to <time datetime=\"");
	html_attr(b, to);
	html(b, "\">");
	view_time(to, sizeof(to), r->q.to, VIEW_HOUR);
	html_txt(b, to);
	html(b, "</time> UTC");
	if (r->q.host[0] != '\0') {
		html(b, ", host <code class=\"host\">");
		html_txt(b, r->q.host);
		html(b, "</code>");
	}
	if (view_how_known(r->q.how)) {
		html(b, ", measured by ");
		html_txt(b, view_how_label(r->q.how));
	}
	html(b, ".</p>\n");
	report_nav(b, site, r);
	report_html_headline(b, r);
	report_html_charts(b, site, r);
	report_html_totals(b, site, r);
	report_html_kinds(b, site, r);
	report_html_prefixes(b, site, r);
	report_html_hosts(b, site, r);
	report_html_listeners(b, site, r);
	report_html_hows(b, site, r);
	report_form(b, site, r);
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
	view_time(t, sizeof(t), r->q.from, VIEW_ISO);
	json_str(&j, "from", t);
	view_time(t, sizeof(t), r->q.to, VIEW_ISO);
	json_str(&j, "to", t);
	json_str(&j, "bucket", view_bucket_name(r));
	/* null: every host, every way. */
	json_obj_open(&j, "filters");
	json_str(&j, "host", r->q.host[0] != '\0' ? r->q.host : NULL);
	json_str(&j, "how", view_how_known(r->q.how) ?
	    view_how_name(r->q.how) : NULL);
	json_obj_close(&j);
	json_u64(&j, "total", r->total);
	json_u64(&j, "ipv4", r->ipv4);
	json_u64(&j, "ipv6", r->ipv6);
	json_double(&j, "ipv6_share", report_share(r->ipv4, r->ipv6));
	json_u64(&j, "prev_ipv4", r->prev_ipv4);
	json_u64(&j, "prev_ipv6", r->prev_ipv6);

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

	json_arr_open(&j, "hosts");
	for (i = 0; i < r->nhosts; i++) {
		json_obj_open(&j, NULL);
		json_str(&j, "host", r->hosts[i].host);
		json_u64(&j, "ipv4", r->hosts[i].ipv4);
		json_u64(&j, "ipv6", r->hosts[i].ipv6);
		json_obj_close(&j);
	}
	json_arr_close(&j);

	json_arr_open(&j, "listeners");
	for (i = 0; i < r->nlisteners; i++) {
		json_obj_open(&j, NULL);
		json_i64(&j, "server_family", r->listeners[i].server_family);
		json_u64(&j, "ipv4", r->listeners[i].ipv4);
		json_u64(&j, "ipv6", r->listeners[i].ipv6);
		json_obj_close(&j);
	}
	json_arr_close(&j);

	json_arr_open(&j, "hows");
	for (i = 0; i < r->nhows; i++) {
		json_obj_open(&j, NULL);
		json_str(&j, "how", view_how_name(r->hows[i].how));
		json_u64(&j, "requests", r->hows[i].requests);
		json_obj_close(&j);
	}
	json_arr_close(&j);

	json_arr_open(&j, "series");
	for (i = 0; i < r->nseries; i++) {
		json_obj_open(&j, NULL);
		view_time(t, sizeof(t), r->series[i].start, VIEW_ISO);
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
 * CSV is one table, so ?table= (rep->q.table) picks which; every table
 * has a header row and the URL's period and filters, as the JSON has:
 *
 *	series     start,ipv4,ipv6,ipv6_share (the default)
 *	kinds      family,kind,mapped,requests
 *	prefixes   prefix,family,kind,requests (the busiest per family)
 *	unique     family,unique_prefixes
 *	hosts      host,ipv4,ipv6,ipv6_share ("" = no Host header)
 *	listeners  server_family,ipv4,ipv6 (0 = unknown)
 *	hows       how,requests
 *	summary    from,to,host,how,total,ipv4,ipv6,ipv6_share,
 *	           prev_ipv4,prev_ipv6,prev_ipv6_share (one row)
 *
 * Times are ISO 8601 UTC (start is a bucket's first second, to is
 * exclusive); a share is 0..1 and empty where there were no requests; the
 * names are the JSON's.  Every text field goes through csv_field, which
 * quotes it and defuses a leading formula character.
 */

static void
csv_header(struct buf *b, const char *const *cols, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		csv_field(b, cols[i], i == 0);
	csv_eol(b);
}

/* A share of requests that may not exist: empty when there were none. */
static void
csv_share(struct buf *b, uint64_t ipv4, uint64_t ipv6)
{
	if (ipv4 + ipv6 == 0)
		csv_field(b, "", 0);
	else
		csv_double(b, report_share(ipv4, ipv6), 0);
}

static void
csv_series(struct buf *b, const struct report *r)
{
	static const char *const cols[] = { "start", "ipv4", "ipv6", "ipv6_share" };
	char	 t[32];
	size_t	 i;

	csv_header(b, cols, 4);
	for (i = 0; i < r->nseries; i++) {
		const struct report_point	*p = &r->series[i];

		view_time(t, sizeof(t), p->start, VIEW_ISO);
		csv_field(b, t, 1);
		csv_u64(b, p->ipv4, 0);
		csv_u64(b, p->ipv6, 0);
		csv_share(b, p->ipv4, p->ipv6);
		csv_eol(b);
	}
}

static void
csv_kinds(struct buf *b, const struct report *r)
{
	static const char *const cols[] = { "family", "kind", "mapped", "requests" };
	size_t	 i;

	csv_header(b, cols, 4);
	for (i = 0; i < r->nkinds; i++) {
		csv_u64(b, (uint64_t)r->kinds[i].family, 1);
		csv_field(b, addr_kind_name(r->kinds[i].kind), 0);
		csv_field(b, r->kinds[i].mapped ? "true" : "false", 0);
		csv_u64(b, r->kinds[i].requests, 0);
		csv_eol(b);
	}
}

static void
csv_prefixes(struct buf *b, const struct report *r)
{
	static const char *const cols[] = { "prefix", "family", "kind", "requests" };
	size_t	 i;

	csv_header(b, cols, 4);
	for (i = 0; i < r->nprefixes; i++) {
		csv_field(b, r->prefixes[i].prefix, 1);
		csv_u64(b, (uint64_t)r->prefixes[i].family, 0);
		csv_field(b, addr_kind_name(r->prefixes[i].kind), 0);
		csv_u64(b, r->prefixes[i].requests, 0);
		csv_eol(b);
	}
}

static void
csv_unique(struct buf *b, const struct report *r)
{
	static const char *const cols[] = { "family", "unique_prefixes" };

	csv_header(b, cols, 2);
	csv_u64(b, 4, 1);
	csv_u64(b, r->unique_ipv4, 0);
	csv_eol(b);
	csv_u64(b, 6, 1);
	csv_u64(b, r->unique_ipv6, 0);
	csv_eol(b);
}

static void
csv_hosts(struct buf *b, const struct report *r)
{
	static const char *const cols[] = { "host", "ipv4", "ipv6", "ipv6_share" };
	size_t	 i;

	csv_header(b, cols, 4);
	for (i = 0; i < r->nhosts; i++) {
		csv_field(b, r->hosts[i].host, 1);
		csv_u64(b, r->hosts[i].ipv4, 0);
		csv_u64(b, r->hosts[i].ipv6, 0);
		csv_share(b, r->hosts[i].ipv4, r->hosts[i].ipv6);
		csv_eol(b);
	}
}

static void
csv_listeners(struct buf *b, const struct report *r)
{
	static const char *const cols[] = { "server_family", "ipv4", "ipv6" };
	size_t	 i;

	csv_header(b, cols, 3);
	for (i = 0; i < r->nlisteners; i++) {
		csv_u64(b, (uint64_t)r->listeners[i].server_family, 1);
		csv_u64(b, r->listeners[i].ipv4, 0);
		csv_u64(b, r->listeners[i].ipv6, 0);
		csv_eol(b);
	}
}

static void
csv_hows(struct buf *b, const struct report *r)
{
	static const char *const cols[] = { "how", "requests" };
	size_t	 i;

	csv_header(b, cols, 2);
	for (i = 0; i < r->nhows; i++) {
		csv_field(b, view_how_name(r->hows[i].how), 1);
		csv_u64(b, r->hows[i].requests, 0);
		csv_eol(b);
	}
}

static void
csv_summary(struct buf *b, const struct report *r)
{
	static const char *const cols[] = {
		"from", "to", "host", "how", "total", "ipv4", "ipv6",
		"ipv6_share", "prev_ipv4", "prev_ipv6", "prev_ipv6_share"
	};
	char	 t[32];

	csv_header(b, cols, 11);
	view_time(t, sizeof(t), r->q.from, VIEW_ISO);
	csv_field(b, t, 1);
	view_time(t, sizeof(t), r->q.to, VIEW_ISO);
	csv_field(b, t, 0);
	/* Empty: every host, every way (the JSON's null). */
	csv_field(b, r->q.host, 0);
	csv_field(b, view_how_name(r->q.how), 0);
	csv_u64(b, r->total, 0);
	csv_u64(b, r->ipv4, 0);
	csv_u64(b, r->ipv6, 0);
	csv_share(b, r->ipv4, r->ipv6);
	csv_u64(b, r->prev_ipv4, 0);
	csv_u64(b, r->prev_ipv6, 0);
	csv_share(b, r->prev_ipv4, r->prev_ipv6);
	csv_eol(b);
}

void
page_report_csv(struct buf *b, const struct report *r)
{
	switch (r->q.table) {
	case TABLE_KINDS:
		csv_kinds(b, r);
		break;
	case TABLE_PREFIXES:
		csv_prefixes(b, r);
		break;
	case TABLE_UNIQUE:
		csv_unique(b, r);
		break;
	case TABLE_HOSTS:
		csv_hosts(b, r);
		break;
	case TABLE_LISTENERS:
		csv_listeners(b, r);
		break;
	case TABLE_HOWS:
		csv_hows(b, r);
		break;
	case TABLE_SUMMARY:
		csv_summary(b, r);
		break;
	default:
		csv_series(b, r);
		break;
	}
}

/* ---- text -------------------------------------------------------------- */

#define BAR_WIDTH	40
#define SMALL_BAR	20

/*
 * Text for a terminal: control characters (escape sequences) from a
 * damaged database must not reach it.  width counts bytes.
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
text_bar(struct buf *b, double share, int width)
{
	int	 i, n;

	if (!(share >= 0))
		share = 0;
	if (share > 1)
		share = 1;
	n = (int)(share * width + 0.5);
	buf_putc(b, '|');
	for (i = 0; i < width; i++)
		buf_putc(b, i < n ? '#' : '.');
	buf_putc(b, '|');
}

static void
text_headline(struct buf *b, const struct report *r)
{
	struct view_change	 c = view_change(r);
	char		 pts[32];
	uint64_t	 ptotal = r->prev_ipv4 + r->prev_ipv6;

	if (r->total == 0)
		buf_puts(b, "No requests were recorded in this period.\n");
	else {
		buf_puts(b, "IPv6 share ");
		text_percent(b, report_share(r->ipv4, r->ipv6));
		buf_printf(b, " of %" PRIu64 " request%s ", r->total,
		    r->total == 1 ? "" : "s");
		text_bar(b, report_share(r->ipv4, r->ipv6), BAR_WIDTH);
		buf_putc(b, '\n');
	}
	if (!c.known) {
		if (ptotal == 0)
			buf_puts(b, "No previous data: the period of the same "
			    "length before had no requests.\n");
		else {
			buf_printf(b, "The period of the same length before had "
			    "%" PRIu64 " requests, ", ptotal);
			text_percent(b, report_share(r->prev_ipv4, r->prev_ipv6));
			buf_puts(b, " over IPv6.\n");
		}
		return;
	}
	view_points(pts, sizeof(pts), c.points);
	if (c.dir == 0)
		buf_puts(b, "Unchanged");
	else
		buf_printf(b, "%s %s percentage points", c.dir > 0 ? "Up" :
		    "Down", pts);
	buf_puts(b, " from ");
	text_percent(b, c.prev);
	buf_printf(b, " in the period of the same length before (%" PRIu64
	    " requests).\n", ptotal);
}

void
page_report_text(struct buf *b, const struct report *r)
{
	uint64_t	 sums[VIEW_GROUP__MAX];
	char		 from[32], to[32], t[32];
	size_t		 i, w;
	int		 g;

	view_time(from, sizeof(from), r->q.from, VIEW_ISO);
	view_time(to, sizeof(to), r->q.to, VIEW_ISO);
	buf_printf(b, "IPv6 usage from %s to %s (by %s)\n", from, to,
	    view_bucket_name(r));
	if (r->q.host[0] != '\0') {
		buf_puts(b, "Host: ");
		text_safe(b, r->q.host, 0);
		buf_putc(b, '\n');
	}
	if (view_how_known(r->q.how))
		buf_printf(b, "Measured by: %s\n", view_how_name(r->q.how));
	buf_putc(b, '\n');
	text_headline(b, r);

	buf_printf(b, "\n  %-8s %12s %7s %8s\n", "", "requests", "share",
	    "prefixes");
	buf_printf(b, "  %-8s %12" PRIu64 " ", "IPv4", r->ipv4);
	text_percent(b, view_part(r->ipv4, r->total));
	buf_printf(b, " %8" PRIu64 "\n  %-8s %12" PRIu64 " ", r->unique_ipv4,
	    "IPv6", r->ipv6);
	text_percent(b, view_part(r->ipv6, r->total));
	buf_printf(b, " %8" PRIu64 "\n  %-8s %12" PRIu64 "\n\n",
	    r->unique_ipv6, "total", r->total);

	buf_puts(b, "By kind\n");
	if (r->nkinds == 0)
		buf_puts(b, "  (none)\n");
	view_group_sums(r, sums);
	for (g = 0; g < VIEW_GROUP__MAX; g++) {
		if (sums[g] == 0)
			continue;
		buf_printf(b, "  %-46s %12" PRIu64 " ", view_group_name((enum view_group)g), sums[g]);
		text_percent(b, view_part(sums[g], r->total));
		buf_putc(b, ' ');
		text_bar(b, view_part(sums[g], r->total), SMALL_BAR);
		buf_putc(b, '\n');
		for (i = 0; i < r->nkinds; i++) {
			const struct report_kind	*k = &r->kinds[i];

			if ((int)view_kind_group(k) != g || k->requests == 0)
				continue;
			buf_printf(b, "    %-4s ", view_family_name(k->family));
			text_safe(b, addr_kind_name(k->kind), 14);
			buf_printf(b, " %-6s %30" PRIu64 " ",
			    k->mapped ? "mapped" : "", k->requests);
			text_percent(b, view_part(k->requests, r->total));
			buf_putc(b, '\n');
		}
	}

	buf_puts(b, "\nBusiest prefixes\n");
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
		buf_printf(b, " %-4s ", view_family_name(p->family));
		text_safe(b, addr_kind_name(p->kind), 14);
		buf_printf(b, " %12" PRIu64 "\n", p->requests);
	}

	if (r->nhosts > 0) {
		for (i = 0, w = 4; i < r->nhosts; i++)
			if (strlen(r->hosts[i].host) > w)
				w = strlen(r->hosts[i].host);
		if (w > 40)
			w = 40;
		buf_printf(b, "\nBy host\n  %-*s %10s %10s  %s\n", (int)w,
		    "host", "IPv4", "IPv6", "IPv6 share");
		for (i = 0; i < r->nhosts; i++) {
			const struct report_host	*h = &r->hosts[i];

			buf_puts(b, "  ");
			text_safe(b, h->host[0] == '\0' ? "(none)" : h->host,
			    (int)w);
			buf_printf(b, " %10" PRIu64 " %10" PRIu64 "  ", h->ipv4,
			    h->ipv6);
			text_percent(b, report_share(h->ipv4, h->ipv6));
			buf_putc(b, '\n');
		}
	}
	if (r->nlisteners > 0) {
		buf_printf(b, "\nBy listening socket\n  %-8s %12s %12s\n",
		    "socket", "IPv4", "IPv6");
		for (i = 0; i < r->nlisteners; i++)
			buf_printf(b, "  %-8s %12" PRIu64 " %12" PRIu64 "\n",
			    r->listeners[i].server_family == 0 ? "unknown" :
			    view_family_name(r->listeners[i].server_family),
			    r->listeners[i].ipv4, r->listeners[i].ipv6);
	}
	if (r->nhows > 0) {
		buf_puts(b, "\nBy way of measuring\n");
		for (i = 0; i < r->nhows; i++) {
			buf_printf(b, "  %-12s %12" PRIu64 " ",
			    view_how_known(r->hows[i].how) ?
			    view_how_name(r->hows[i].how) : "unknown",
			    r->hows[i].requests);
			text_percent(b, view_part(r->hows[i].requests, r->total));
			buf_putc(b, '\n');
		}
	}

	buf_printf(b, "\n%s       IPv4       IPv6  IPv6 share\n",
	    view_hourly(r) ? "Hour (UTC)      " : "Day (UTC)       ");
	for (i = 0; i < r->nseries; i++) {
		const struct report_point	*p = &r->series[i];

		view_bucket_label(t, sizeof(t), r, p->start);
		buf_printf(b, "%-16s %10" PRIu64 " %10" PRIu64 "  ", t,
		    p->ipv4, p->ipv6);
		if (p->ipv4 + p->ipv6 == 0) {
			buf_puts(b, "     -\n");
			continue;
		}
		text_percent(b, report_share(p->ipv4, p->ipv6));
		buf_putc(b, ' ');
		text_bar(b, report_share(p->ipv4, p->ipv6), BAR_WIDTH);
		buf_putc(b, '\n');
	}
}
