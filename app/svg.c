/* svg.c: writing inline SVG: the only code that emits SVG markup; every text is escaped. */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "svg.h"

static void
svg(struct buf *b, const char *markup)
{
	buf_puts(b, markup);
}

/*
 * Inline SVG in an HTML page is parsed by the HTML parser (HTML §13.2.6.5,
 * foreign content): the same five escapes as HTML text are right, and
 * html_txtn already writes them.
 */
void
svg_txt(struct buf *b, const char *text)
{
	if (text != NULL)
		html_txtn(b, text, strlen(text));
}

/* Integer arithmetic, so the decimal mark never follows the locale. */
void
svg_num(struct buf *b, double v)
{
	int64_t	 tenths;

	/* Rounded half away from zero without libm. */
	if (!isfinite(v) || v > 1e9 || v < -1e9)
		v = 0;
	tenths = (int64_t)(v * 10.0 + (v < 0 ? -0.5 : 0.5));
	if (tenths < 0) {
		buf_putc(b, '-');
		tenths = -tenths;
	}
	if (tenths % 10 == 0)
		buf_printf(b, "%" PRId64, tenths / 10);
	else
		buf_printf(b, "%" PRId64 ".%" PRId64, tenths / 10, tenths % 10);
}

static void
attr_num(struct buf *b, const char *name, double v)
{
	buf_putc(b, ' ');
	svg(b, name);
	svg(b, "=\"");
	svg_num(b, v);
	buf_putc(b, '"');
}

static void
attr_cls(struct buf *b, const char *cls)
{
	if (cls == NULL || cls[0] == '\0')
		return;
	svg(b, " class=\"");
	svg_txt(b, cls);
	buf_putc(b, '"');
}

void
svg_open(struct buf *b, const char *cls, unsigned width, unsigned height,
    const char *title, const char *desc)
{
	/*
	 * role="img" with aria-label: tidy 5.6 rejects id on <title>, so the
	 * name is given twice rather than by aria-labelledby.
	 */
	svg(b, "<svg xmlns=\"http://www.w3.org/2000/svg\"");
	attr_cls(b, cls);
	buf_printf(b, " viewBox=\"0 0 %u %u\" role=\"img\" aria-label=\"",
	    width, height);
	svg_txt(b, title);
	svg(b, "\">\n<title>");
	svg_txt(b, title);
	svg(b, "</title>\n<desc>");
	svg_txt(b, desc);
	svg(b, "</desc>\n");
}

void
svg_close(struct buf *b)
{
	svg(b, "</svg>\n");
}

void
svg_group_open(struct buf *b, const char *cls)
{
	svg(b, "<g");
	attr_cls(b, cls);
	svg(b, ">\n");
}

void
svg_group_close(struct buf *b)
{
	svg(b, "</g>\n");
}

void
svg_line(struct buf *b, const char *cls, double x1, double y1, double x2,
    double y2)
{
	svg(b, "<line");
	attr_cls(b, cls);
	attr_num(b, "x1", x1);
	attr_num(b, "y1", y1);
	attr_num(b, "x2", x2);
	attr_num(b, "y2", y2);
	svg(b, "/>\n");
}

static void
close_tip(struct buf *b, const char *element, const char *tip)
{
	if (tip == NULL) {
		svg(b, "/>\n");
		return;
	}
	svg(b, "><title>");
	svg_txt(b, tip);
	svg(b, "</title></");
	svg(b, element);
	svg(b, ">\n");
}

void
svg_rect(struct buf *b, const char *cls, double x, double y, double w,
    double h, const char *tip)
{
	svg(b, "<rect");
	attr_cls(b, cls);
	attr_num(b, "x", x);
	attr_num(b, "y", y);
	attr_num(b, "width", w < 0 ? 0 : w);
	attr_num(b, "height", h < 0 ? 0 : h);
	close_tip(b, "rect", tip);
}

void
svg_circle(struct buf *b, const char *cls, double cx, double cy, double r,
    const char *tip)
{
	svg(b, "<circle");
	attr_cls(b, cls);
	attr_num(b, "cx", cx);
	attr_num(b, "cy", cy);
	attr_num(b, "r", r);
	close_tip(b, "circle", tip);
}

void
svg_text(struct buf *b, const char *cls, double x, double y,
    const char *anchor, const char *text)
{
	svg(b, "<text");
	attr_cls(b, cls);
	attr_num(b, "x", x);
	attr_num(b, "y", y);
	if (anchor != NULL && strcmp(anchor, "start") != 0) {
		svg(b, " text-anchor=\"");
		svg(b, strcmp(anchor, "end") == 0 ? "end" : "middle");
		buf_putc(b, '"');
	}
	buf_putc(b, '>');
	svg_txt(b, text);
	svg(b, "</text>\n");
}

void
svg_poly_open(struct buf *b, const char *cls)
{
	svg(b, "<polyline");
	attr_cls(b, cls);
	svg(b, " points=\"");
}

void
svg_poly_point(struct buf *b, double x, double y)
{
	svg_num(b, x);
	buf_putc(b, ',');
	svg_num(b, y);
	buf_putc(b, ' ');
}

void
svg_poly_close(struct buf *b)
{
	svg(b, "\"/>\n");
}
