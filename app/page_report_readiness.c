/* page_report_readiness.c: the HTML report's "Could this site go IPv6-only?" section, from the readiness probes. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "buf.h"
#include "html.h"
#include "page.h"
#include "page_report-int.h"
#include "probe.h"
#include "readiness.h"
#include "report.h"
#include "report_view.h"

/* What probe k says against the control (readiness.h). */
static void
estimate_of(const struct report_probe *p, enum probe_kind k, struct readiness *e)
{
	readiness_estimate(p[k].started, p[k].reached, p[PROBE_SELF].started,
	    p[PROBE_SELF].reached, e);
}

/* "(95 % interval: 62.3 % to 90.7 %, from 200 probes)", of e or of what it leaves out. */
static void
interval(struct buf *b, const struct readiness *e, bool lost)
{
	html(b, " (95 % interval: ");
	html_percent(b, lost ? 1 - e->high : e->low);
	html(b, " to ");
	html_percent(b, lost ? 1 - e->low : e->high);
	html(b, ", from ");
	html_u64(b, e->probes);
	html(b, e->probes == 1 ? " probe)" : " probes)");
}

static void
td_u64(struct buf *b, uint64_t v)
{
	html(b, "<td class=\"num\">");
	html_u64(b, v);
	html(b, "</td>");
}

/* A part of a whole that may be empty: a dash then. */
static void
td_part(struct buf *b, uint64_t part, uint64_t whole)
{
	html(b, "<td class=\"num\">");
	if (whole == 0)
		html(b, "\xe2\x80\x93");
	else
		html_percent(b, (double)part / (double)whole);
	html(b, "</td>");
}

static void
table_head(struct buf *b, const char *caption, const char *const *cols, size_t n)
{
	size_t	 i;

	html(b, "<div class=\"scroll\">\n<table>\n<caption>");
	html_txt(b, caption);
	html(b, "</caption>\n<thead><tr>");
	for (i = 0; i < n; i++) {
		html(b, i == 0 ? "<th scope=\"col\">" : "<th scope=\"col\" class=\"num\">");
		html_txt(b, cols[i]);
		html(b, "</th>");
	}
	html(b, "</tr></thead>\n<tbody>\n");
}

static void
table_end(struct buf *b)
{
	html(b, "</tbody>\n</table>\n</div>\n");
}

/* The verdict: what an IPv6-only and an IPv4-only site would keep or lose. */
static void
verdict(struct buf *b, const struct report *r)
{
	const struct report_probe	*p = r->readiness.probe;
	struct readiness		 e6, e4;

	estimate_of(p, PROBE_V6, &e6);
	estimate_of(p, PROBE_V4, &e4);
	html(b, "<p class=\"headline verdict\">");
	if (e6.ok) {
		html(b, "If this site were IPv6-only, about <strong>");
		html_percent(b, e6.share);
		html(b, "</strong> of its visitors could reach it");
		interval(b, &e6, false);
		html(b, ".");
	} else
		html(b, "Too few probes for a verdict: it needs probes of the "
		    "IPv6-only host and controls that came back.");
	html(b, "</p>\n");
	if (e4.ok) {
		html(b, "<p class=\"verdict\">An IPv4-only site would lose about "
		    "<strong>");
		html_percent(b, 1 - e4.share);
		html(b, "</strong> of them");
		interval(b, &e4, true);
		html(b, ".</p>\n");
	}
	/* Wrong-family completions are no reach: say so where the figures are. */
	if (p[PROBE_V6].wrong + p[PROBE_V4].wrong > 0) {
		html(b, "<p class=\"bad\">");
		html_u64(b, p[PROBE_V6].wrong + p[PROBE_V4].wrong);
		html(b, " probes came back over the wrong family: a probe host "
		    "name has a record of the other family. /status says which.</p>\n");
	}
}

static void
per_probe(struct buf *b, const struct page_site *site, const struct report *r)
{
	static const char *const cols[] = { "Probe", "Started", "Reached",
	    "Share reached", "Wrong family" };
	static const char *const names[PROBE__MAX] = { "IPv6-only host",
	    "IPv4-only host", "Control (this site)" };
	const struct report_probe	*p = r->readiness.probe;
	int				 k;

	table_head(b, "Probes", cols, 5);
	for (k = 0; k < PROBE__MAX; k++) {
		html(b, "<tr><th scope=\"row\">");
		html_txt(b, names[k]);
		html(b, "</th>");
		td_u64(b, p[k].started);
		td_u64(b, p[k].reached);
		td_part(b, p[k].reached, p[k].started);
		td_u64(b, p[k].wrong);
		html(b, "</tr>\n");
	}
	table_end(b);
	page_report_csv_link(b, site, r, TABLE_READINESS, "the probes");
}

/*
 * By how the visit came: of those that came over IPv4, the ones whose
 * browser reached the IPv6-only host prefer IPv4; the others have no
 * IPv6 (as far as the control lets one say: it is per group below).
 */
static void
by_arrival(struct buf *b, const struct page_site *site, const struct report *r)
{
	static const char *const cols[] = { "The visit came over",
	    "IPv6-only probes", "Reached", "Share", "IPv4-only probes", "Reached",
	    "Controls", "Reached" };
	const struct report_readiness	*rd = &r->readiness;
	uint64_t			 c[PROBE__MAX][2], v4s = 0, v4r = 0;
	size_t				 i, j;

	for (i = 0; i < rd->narrivals; i++)
		if (rd->arrivals[i].family == 4 && rd->arrivals[i].probe == PROBE_V6) {
			v4s += rd->arrivals[i].started;
			v4r += rd->arrivals[i].reached;
		}
	html(b, "<h3>By how the visit came</h3>\n");
	if (v4s > 0) {
		html(b, "<p>Of the visits that came over IPv4, ");
		html_u64(b, v4r);
		html(b, " of ");
		html_u64(b, v4s);
		html(b, " probed could reach the IPv6-only host: their system "
		    "prefers IPv4. The other ");
		html_u64(b, v4s - v4r);
		html(b, " have no working IPv6 (or follow no image redirect: "
		    "compare the controls).</p>\n");
	}
	table_head(b, "Probes by the family and kind the visit came over", cols, 8);
	/* arrivals are by family, then kind, then probe: one row per family and kind. */
	for (i = 0; i < rd->narrivals; i = j) {
		for (j = 0; j < PROBE__MAX; j++)
			c[j][0] = c[j][1] = 0;
		for (j = i; j < rd->narrivals &&
		    rd->arrivals[j].family == rd->arrivals[i].family &&
		    rd->arrivals[j].kind == rd->arrivals[i].kind; j++) {
			c[rd->arrivals[j].probe][0] += rd->arrivals[j].started;
			c[rd->arrivals[j].probe][1] += rd->arrivals[j].reached;
		}
		html(b, "<tr><th scope=\"row\">");
		html_txt(b, page_kind_words(rd->arrivals[i].family,
		    rd->arrivals[i].kind, false));
		html(b, "</th>");
		td_u64(b, c[PROBE_V6][0]);
		td_u64(b, c[PROBE_V6][1]);
		td_part(b, c[PROBE_V6][1], c[PROBE_V6][0]);
		td_u64(b, c[PROBE_V4][0]);
		td_u64(b, c[PROBE_V4][1]);
		td_u64(b, c[PROBE_SELF][0]);
		td_u64(b, c[PROBE_SELF][1]);
		html(b, "</tr>\n");
	}
	table_end(b);
	page_report_csv_link(b, site, r, TABLE_READINESS_ARRIVAL, "by arrival");
}

/* Who exactly an IPv6-only site would lose: the busiest networks without IPv6. */
static void
lost(struct buf *b, const struct page_site *site, const struct report *r)
{
	static const char *const cols[] = { "Network", "Kind",
	    "IPv6-only probes not reached" };
	const struct report_readiness	*rd = &r->readiness;
	size_t				 i;

	html(b, "<h3>Networks an IPv6-only site would lose</h3>\n");
	if (rd->nlost == 0) {
		html(b, "<p>None: every network's IPv6-only probe came back.</p>\n");
		return;
	}
	table_head(b, "The busiest networks whose IPv6-only probe did not come back",
	    cols, 3);
	for (i = 0; i < rd->nlost; i++) {
		html(b, "<tr><th scope=\"row\"><code>");
		html_txt(b, rd->lost[i].prefix);
		html(b, "</code></th><td>");
		html_txt(b, addr_kind_name(rd->lost[i].kind));
		html(b, "</td>");
		td_u64(b, rd->lost[i].not_reached);
		html(b, "</tr>\n");
	}
	table_end(b);
	page_report_csv_link(b, site, r, TABLE_READINESS_LOST, "the networks");
}

static void
series(struct buf *b, const struct page_site *site, const struct report *r)
{
	static const char *const cols[] = { "Start (UTC)", "IPv6-only probes",
	    "Reached", "Controls", "Reached", "Could reach IPv6-only" };
	const struct report_readiness	*rd = &r->readiness;
	struct readiness		 e;
	char				 t[32];
	size_t				 i;

	html(b, "<h3>Readiness ");
	html(b, view_hourly(r) ? "hour by hour" : "day by day");
	html(b, "</h3>\n");
	if (rd->nseries == 0)
		return;
	html(b, "<figure>\n");
	page_report_svg_readiness(b, r);
	html(b, "</figure>\n");
	html(b, rd->nseries <= 14 ? "<details open>\n" : "<details>\n");
	html(b, "<summary>Readiness as a table</summary>\n");
	table_head(b, "Readiness per bucket", cols, 6);
	for (i = 0; i < rd->nseries; i++) {
		const struct report_probe	*p = rd->series[i].probe;

		view_bucket_label(t, sizeof(t), r, rd->series[i].start);
		html(b, "<tr><th scope=\"row\">");
		html_txt(b, t);
		html(b, "</th>");
		td_u64(b, p[PROBE_V6].started);
		td_u64(b, p[PROBE_V6].reached);
		td_u64(b, p[PROBE_SELF].started);
		td_u64(b, p[PROBE_SELF].reached);
		estimate_of(p, PROBE_V6, &e);
		html(b, "<td class=\"num\">");
		if (e.ok)
			html_percent(b, e.share);
		else
			html(b, "\xe2\x80\x93");
		html(b, "</td></tr>\n");
	}
	table_end(b);
	html(b, "</details>\n");
	page_report_csv_link(b, site, r, TABLE_READINESS_SERIES, "the series");
}

void
page_report_html_readiness(struct buf *b, const struct page_site *site,
    const struct report *r)
{
	const struct report_probe	*p = r->readiness.probe;

	if (p[PROBE_V6].started + p[PROBE_V4].started + p[PROBE_SELF].started == 0)
		return;
	html(b, "<section class=\"readiness\">\n<h2>Could this site go IPv6-only?</h2>\n");
	verdict(b, r);
	html(b, "<p>From readiness probes: images on the landing page that only "
	    "an IPv6-only host, an IPv4-only host or this site (the control: "
	    "who follows an image redirect at all) answer.</p>\n");
	per_probe(b, site, r);
	by_arrival(b, site, r);
	lost(b, site, r);
	series(b, site, r);
	html(b, "</section>\n");
}
