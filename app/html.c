/* html.c: writing HTML: literal markup, escaped text and attributes, the page frame. */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "html.h"

void
html(struct buf *b, const char *markup)
{
	buf_puts(b, markup);
}

/*
 * Escaping all five characters makes the same output safe as text and
 * inside a quoted attribute (either quote), so callers cannot pick wrong.
 */
void
html_txtn(struct buf *b, const char *text, size_t len)
{
	size_t	 i, run;

	for (i = run = 0; i < len; i++) {
		const char	*rep;

		switch (text[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		case '\0':
			/* HTML5 forbids U+0000 in text; nothing legitimate carries it. */
			rep = "\xef\xbf\xbd";
			break;
		default:
			continue;
		}
		buf_append(b, text + run, i - run);
		buf_puts(b, rep);
		run = i + 1;
	}
	buf_append(b, text + run, len - run);
}

void
html_txt(struct buf *b, const char *text)
{
	if (text != NULL)
		html_txtn(b, text, strlen(text));
}

void
html_attr(struct buf *b, const char *value)
{
	html_txt(b, value);
}

void
html_u64(struct buf *b, uint64_t v)
{
	buf_printf(b, "%" PRIu64, v);
}

/*
 * One decimal, rounded half up, computed in integers so the decimal mark
 * never depends on the locale.
 */
void
html_percent(struct buf *b, double share)
{
	uint64_t	 tenths;

	if (!isfinite(share) || share < 0)
		share = 0;
	if (share > 1)
		share = 1;
	tenths = (uint64_t)(share * 1000.0 + 0.5);
	buf_printf(b, "%" PRIu64 ".%" PRIu64 " %%", tenths / 10, tenths % 10);
}

void
html_open(struct buf *b, const char *title, const char *static_url)
{
	html(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<title>");
	html_txt(b, title);
	html(b, "</title>\n<link rel=\"stylesheet\" href=\"");
	html_attr(b, static_url != NULL ? static_url : "");
	html(b, "/dualstat.css\">\n</head>\n<body>\n<main>\n");
}

void
html_close(struct buf *b)
{
	html(b, "</main>\n</body>\n</html>\n");
}
