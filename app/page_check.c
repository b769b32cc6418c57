/* page_check.c: the setup check (/check for the owner, `dualstat check-config` in a terminal). */
#include <stddef.h>

#include "buf.h"
#include "html.h"
#include "page.h"
#include "text.h"

/* Class names of the levels (the stylesheet marks warnings and problems). */
static const char *const level_class[SETUP_LEVEL__MAX] = {
	[SETUP_OK] = "check-ok",
	[SETUP_NOTE] = "check-note",
	[SETUP_UNCHECKED] = "check-unchecked",
	[SETUP_WARNING] = "check-warning",
	[SETUP_PROBLEM] = "check-problem",
};

/* "No problems found." / "2 problems and 1 warning." */
static void
summary(struct buf *b, const struct setup_report *r)
{
	if (r->problems == 0 && r->warnings == 0) {
		buf_puts(b, "No problems found.");
		return;
	}
	if (r->problems > 0)
		buf_printf(b, "%u problem%s", r->problems, r->problems == 1 ? "" : "s");
	if (r->problems > 0 && r->warnings > 0)
		buf_puts(b, " and ");
	if (r->warnings > 0)
		buf_printf(b, "%u warning%s", r->warnings, r->warnings == 1 ? "" : "s");
	buf_puts(b, ".");
}

void
page_check_html(struct buf *b, const struct page_site *site,
    const struct setup_report *r)
{
	enum setup_topic	 t;
	enum setup_level	 l;

	html_open(b, "dualstat setup check", site->static_url);
	html(b, "<h1>dualstat setup check</h1>\n");
	html(b, r->problems > 0 ? "<p class=\"bad\">" : "<p class=\"ok\">");
	summary(b, r);
	html(b, "</p>\n<p>What dualstat finds about its setup, looked at as the web "
	    "server runs it. Nothing was changed.</p>\n<dl class=\"checks\">\n");
	for (t = 0; t < SETUP__MAX; t++) {
		l = r->f[t].level < SETUP_LEVEL__MAX ? r->f[t].level : SETUP_PROBLEM;
		html(b, "<dt class=\"");
		html(b, level_class[l]);
		html(b, "\">");
		html_txt(b, setup_topic_name(t));
		html(b, ": ");
		html_txt(b, setup_level_name(l));
		html(b, "</dt>\n<dd>");
		html_txt(b, r->f[t].text);
		html(b, "</dd>\n");
	}
	html(b, "</dl>\n<nav>\n<p><a href=\"");
	html_attr(b, site->base);
	html(b, "/status\">Status</a> \xc2\xb7 <a href=\"");
	html_attr(b, site->base);
	html(b, "/\">Back to the start page</a></p>\n</nav>\n");
	html_close(b);
}

/*
 * One line per topic, "LEVEL  TOPIC: TEXT", then the summary.  Paths come
 * from the configuration and the file system: control characters are
 * shown as "?" so a name cannot move a terminal's cursor.
 */
void
page_check_text(struct buf *b, const struct setup_report *r)
{
	enum setup_topic	 t;

	for (t = 0; t < SETUP__MAX; t++) {
		buf_printf(b, "%-12s %s: ", setup_level_name(r->f[t].level),
		    setup_topic_name(t));
		text_put(b, r->f[t].text);
		buf_putc(b, '\n');
	}
	summary(b, r);
	buf_putc(b, '\n');
}
