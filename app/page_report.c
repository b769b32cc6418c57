/* page_report.c: the usage report's one entry point: the formats by name, and which file writes each. */
#include <stddef.h>
#include <string.h>

#include "buf.h"
#include "page.h"
#include "report.h"

static const char *const format_names[REPORT__MAX] = {
	"html",		/* REPORT_HTML */
	"json",		/* REPORT_JSON */
	"csv",		/* REPORT_CSV */
	"text",		/* REPORT_TEXT */
};

const char *
page_report_format_name(enum report_format f)
{
	return (int)f >= 0 && f < REPORT__MAX ? format_names[f] : "";
}

enum report_format
page_report_format_from_name(const char *name)
{
	int	 f;

	if (name == NULL)
		return REPORT__MAX;
	for (f = 0; f < REPORT__MAX; f++)
		if (strcmp(name, format_names[f]) == 0)
			return (enum report_format)f;
	return REPORT__MAX;
}

void
page_report(struct buf *b, const struct page_site *site, const struct report *r,
    enum report_format f)
{
	/* Unnamed, unstyled, linked from the root: what a page without a site can be. */
	static const struct page_site	 nowhere = { NULL, NULL, "" };

	switch (f) {
	case REPORT_HTML:
		page_report_html(b, site != NULL ? site : &nowhere, r);
		break;
	case REPORT_JSON:
		page_report_json(b, r);
		break;
	case REPORT_CSV:
		page_report_csv(b, r);
		break;
	case REPORT_TEXT:
		page_report_text(b, r);
		break;
	case REPORT__MAX:
		break;
	}
}
