/* page_report_html.c: the usage report as an HTML page: period picker, links, tables; the charts are page_report_svg.c's. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "addr.h"
#include "buf.h"
#include "html.h"
#include "page.h"
#include "page_report-int.h"
#include "report.h"
#include "report_view.h"
#include "url.h"

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
 * it (host, node, how), the other filters kept: class says which filter
 * it sets.
 */
static void
filter_link(struct buf *b, const struct page_site *site, const struct report *r,
    const char *class, const char *host, const char *node, int how,
    const char *label)
{
	struct buf	 q = { 0 };

	view_period_query(&q, r);
	view_filter_query(&q, host, node, how);
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
	view_filter_query(&q, r->q.host, r->q.node, r->q.how);
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
		view_filter_query(&q, r->q.host, r->q.node, r->q.how);
		url_param(&q, "table", report_table_name(t[i]));
		if (i > 0)
			html(b, " \xc2\xb7 ");
		report_link(b, site, "/report.csv", &q, label[i], false);
	}
	html(b, "</p>\n");
	buf_free(&q);
}

void
page_report_csv_link(struct buf *b, const struct page_site *site,
    const struct report *r, enum report_table t, const char *label)
{
	csv_links(b, site, r, t, label, TABLE__MAX, NULL);
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
	html(b, "</select></label>\n<label>Server <select name=\"node\">\n");
	option(b, "", "All servers", r->q.node[0] == '\0');
	for (i = 0; i < r->nnodes; i++) {
		if (r->nodes[i].node[0] == '\0')
			continue;	/* "unknown" cannot be asked for */
		option(b, r->nodes[i].node, r->nodes[i].node,
		    strcmp(r->nodes[i].node, r->q.node) == 0);
	}
	if (r->q.node[0] != '\0' && !view_node_listed(r))
		option(b, r->q.node, r->q.node, true);
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
	page_report_svg_share(b, r);
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
	page_report_svg_families(b, r);
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
			filter_link(b, site, r, "host", h->host, r->q.node,
			    r->q.how, h->host);
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

/*
 * By server: each node's share of the requests, a fleet's tasks side by
 * side; four columns, so it fits a phone's width (the families are in
 * the JSON and CSV).
 */
static void
report_html_nodes(struct buf *b, const struct page_site *site,
    const struct report *r)
{
	static const char *const cols[] = {
		"Server", "Requests", "Share", "IPv6 share"
	};
	size_t		 i;

	html(b, "<section>\n<h2>By server</h2>\n");
	if (r->nnodes == 0) {
		html(b, "<p>No requests by server in this period.</p>\n"
		    "</section>\n");
		return;
	}
	table_open(b, NULL, cols, 4, 1);
	for (i = 0; i < r->nnodes; i++) {
		const struct report_node	*n = &r->nodes[i];

		html(b, "<tr><th scope=\"row\">");
		if (n->node[0] == '\0')
			html(b, "(unknown)");	/* recorded before schema 5 */
		else
			filter_link(b, site, r, "node", r->q.host, n->node,
			    r->q.how, n->node);
		html(b, "</th>");
		td_u64(b, n->ipv4 + n->ipv6);
		td_percent(b, view_part(n->ipv4 + n->ipv6, r->total));
		td_share(b, n->ipv4, n->ipv6);
		html(b, "</tr>\n");
	}
	table_close(b);
	csv_links(b, site, r, TABLE_NODES, "requests by server", TABLE__MAX, NULL);
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
			filter_link(b, site, r, "how", r->q.host, r->q.node, how,
			    view_how_label(how));
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
	if (r->q.node[0] != '\0') {
		html(b, ", server <code class=\"node\">");
		html_txt(b, r->q.node);
		html(b, "</code>");
	}
	if (view_how_known(r->q.how)) {
		html(b, ", measured by ");
		html_txt(b, view_how_label(r->q.how));
	}
	html(b, ".</p>\n");
	report_nav(b, site, r);
	report_html_headline(b, r);
	page_report_html_readiness(b, site, r);
	report_html_charts(b, site, r);
	report_html_totals(b, site, r);
	report_html_kinds(b, site, r);
	report_html_prefixes(b, site, r);
	report_html_hosts(b, site, r);
	report_html_nodes(b, site, r);
	report_html_listeners(b, site, r);
	report_html_hows(b, site, r);
	report_form(b, site, r);
	html_close(b);
}
