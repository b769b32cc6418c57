/* page_report-int.h: what the report's renderers share among themselves (app/page_report*.c only). */
#ifndef DUALSTAT_PAGE_REPORT_INT_H
#define DUALSTAT_PAGE_REPORT_INT_H

#include "buf.h"
#include "report.h"

/*
 * The HTML report's two charts, one <svg> each, drawn from r->series,
 * which must hold at least one bucket (the page says "No data" instead).
 * Every text goes through svg.c; the tables beside them hold the same
 * numbers for those who cannot see the chart.
 */
void	 page_report_svg_share(struct buf *, const struct report *r);	/* the IPv6 share, a line */
void	 page_report_svg_families(struct buf *, const struct report *r);	/* IPv4 and IPv6, stacked bars */

#endif
