/* page_report_svg.c: the report's charts as inline SVG (the IPv6 share and the requests by family over time). */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "probe.h"
#include "readiness.h"
#include "page_report-int.h"
#include "report.h"
#include "report_view.h"
#include "svg.h"

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
void
page_report_svg_share(struct buf *b, const struct report *r)
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
void
page_report_svg_families(struct buf *b, const struct report *r)
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
 * The readiness share per bucket (readiness.h: the IPv6-only probe
 * against the control) as points, joined where neighbours both have one;
 * a bucket without probes has none.  The x axis is the requests' series:
 * the two series have the same buckets (aggregate.c).
 */
void
page_report_svg_readiness(struct buf *b, const struct report *r)
{
	static const char *const yl[] = { "0 %", "25 %", "50 %", "75 %", "100 %" };
	static const double	 ya[] = { 0, 0.25, 0.5, 0.75, 1 };
	const struct report_readiness	*rd = &r->readiness;
	struct readiness	 e, prev;
	char			 desc[200], t[32], pc[32], tip[160];
	size_t			 i, n = rd->nseries;

	snprintf(desc, sizeof(desc), "Points of the share of visitors whose "
	    "browser reached the IPv6-only host, one per %s with probes; the "
	    "table below holds the same numbers.", view_bucket_name(r));
	svg_open(b, "chart", CHART_W, CHART_H, "Readiness for IPv6-only over time",
	    desc);
	chart_grid(b, yl, ya, 5);
	if (r->nseries == n)
		chart_xaxis(b, r);
	svg_group_open(b, "points readiness");
	memset(&prev, 0, sizeof(prev));
	for (i = 0; i < n; i++) {
		const struct report_probe	*p = rd->series[i].probe;

		readiness_estimate(p[PROBE_V6].started, p[PROBE_V6].reached,
		    p[PROBE_SELF].started, p[PROBE_SELF].reached, &e);
		if (e.ok && prev.ok)
			svg_line(b, "line v6", bucket_x(i - 1, n), PLOT_T + PLOT_H -
			    prev.share * PLOT_H, bucket_x(i, n), PLOT_T + PLOT_H -
			    e.share * PLOT_H);
		prev = e;
		if (!e.ok)
			continue;
		view_bucket_label(t, sizeof(t), r, rd->series[i].start);
		view_percent(pc, sizeof(pc), e.share);
		snprintf(tip, sizeof(tip), "%s: about %s could reach an IPv6-only "
		    "site, from %" PRIu64 " probes", t, pc, e.probes);
		svg_circle(b, "pt", bucket_x(i, n), PLOT_T + PLOT_H - e.share *
		    PLOT_H, n > 120 ? 1.5 : 3, tip);
	}
	svg_group_close(b);
	svg_close(b);
}
