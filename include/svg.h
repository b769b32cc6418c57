/* svg.h: writing inline SVG charts.  Markup is literal; text goes through svg_txt, numbers through svg_num. */
#ifndef DUALSTAT_SVG_H
#define DUALSTAT_SVG_H

#include <stddef.h>

#include "buf.h"

/*
 * The opening <svg> of a chart drawn in a width x height user space that
 * scales with its box (viewBox), with its <title> and <desc> (escaped) as
 * first children: the accessible name and description (SVG 2 §5.9).  No
 * style attributes: the page's Content-Security-Policy (style-src 'self')
 * forbids them, so every look comes from classes in the stylesheet.
 */
void	 svg_open(struct buf *, const char *cls, unsigned width, unsigned height,
	    const char *title, const char *desc);
void	 svg_close(struct buf *);

/* Text content or attribute value: escapes & < > " ' and makes NUL U+FFFD. */
void	 svg_txt(struct buf *, const char *text);
/* A coordinate with at most one decimal, locale-free; non-finite is 0. */
void	 svg_num(struct buf *, double);

void	 svg_group_open(struct buf *, const char *cls);
void	 svg_group_close(struct buf *);
void	 svg_line(struct buf *, const char *cls, double x1, double y1, double x2, double y2);
/* A rectangle with a tooltip (<title>, escaped; NULL for none). */
void	 svg_rect(struct buf *, const char *cls, double x, double y, double w, double h,
	    const char *tip);
void	 svg_circle(struct buf *, const char *cls, double cx, double cy, double r,
	    const char *tip);
/* anchor: "start", "middle" or "end". */
void	 svg_text(struct buf *, const char *cls, double x, double y, const char *anchor,
	    const char *text);

/* A polyline: open, add points, close.  A line of one point draws nothing. */
void	 svg_poly_open(struct buf *, const char *cls);
void	 svg_poly_point(struct buf *, double x, double y);
void	 svg_poly_close(struct buf *);

#endif
