/* page_report-int.h: what the report's renderers share among themselves (app/page_report*.c only). */
#ifndef DUALSTAT_PAGE_REPORT_INT_H
#define DUALSTAT_PAGE_REPORT_INT_H

#include "buf.h"
#include "page.h"
#include "report.h"

/*
 * The HTML report's two charts, one <svg> each, drawn from r->series,
 * which must hold at least one bucket (the page says "No data" instead).
 * Every text goes through svg.c; the tables beside them hold the same
 * numbers for those who cannot see the chart.
 */
void	 page_report_svg_share(struct buf *, const struct report *r);	/* the IPv6 share, a line */
void	 page_report_svg_families(struct buf *, const struct report *r);	/* IPv4 and IPv6, stacked bars */
void	 page_report_svg_readiness(struct buf *, const struct report *r);	/* the probes' share, points */

/*
 * The readiness probes' section of the HTML report (issue 10 §3:
 * page_report_readiness.c): the verdict, by arrival, the networks lost,
 * the series; nothing when no probe ran in the period.
 */
void	 page_report_html_readiness(struct buf *, const struct page_site *,
	    const struct report *r);
/* "As CSV:" and a link to table t of this report (page_report_html.c). */
void	 page_report_csv_link(struct buf *, const struct page_site *,
	    const struct report *r, enum report_table t, const char *label);

#endif
