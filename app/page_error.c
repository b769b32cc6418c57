/* page_error.c: the error pages (400, 403, 404, 405, 500, 503). */
#include <stddef.h>

#include "buf.h"
#include "html.h"
#include "json.h"
#include "page.h"
#include "text.h"

static const char *
error_title(int status)
{
	switch (status) {
	case 400:
		return "Bad request";
	case 403:
		return "Forbidden";
	case 404:
		return "Not found";
	case 405:
		return "Method not allowed";
	case 500:
		return "Internal error";
	case 503:
		return "Service unavailable";
	default:
		return "Error";
	}
}

void
page_error_html(struct buf *b, const struct page_site *site, int status,
    const char *message)
{
	const char	*title = error_title(status);

	html_open(b, title, site->static_url);
	html(b, "<h1>");
	html_txt(b, title);
	html(b, "</h1>\n");
	if (message != NULL && message[0] != '\0') {
		html(b, "<p class=\"message\">");
		html_txt(b, message);
		html(b, "</p>\n");
	}
	if (status == 403)
		html(b, "<p>The report and status pages are for the site owner. "
		    "Allow your network with admin_allow in dualstat.conf, "
		    "or have the web server authenticate you "
		    "(REMOTE_USER).</p>\n");
	html(b, "<p><a href=\"");
	html_attr(b, site->base);
	html(b, "/\">Back to the start page</a></p>\n");
	html_close(b);
}

/* 403 says more in prose; the data formats say where to look. */
static const char *
error_message(int status, const char *message)
{
	if (message != NULL && message[0] != '\0')
		return message;
	if (status == 403)
		return "for the site owner only: see admin_allow in dualstat.conf";
	return "";
}

void
page_error_json(struct buf *b, int status, const char *message)
{
	struct json	 j;

	json_init(&j, b);
	json_obj_open(&j, NULL);
	json_i64(&j, "status", status);
	json_str(&j, "error", error_title(status));
	json_str(&j, "message", error_message(status, message));
	json_obj_close(&j);
	buf_append(b, "\n", 1);
}

void
page_error_text(struct buf *b, int status, const char *message)
{
	const char	*m;

	buf_printf(b, "%d %s", status, error_title(status));
	m = error_message(status, message);
	if (m[0] != '\0')
		buf_append(b, ": ", 2);
	/* One line whatever the message quotes. */
	text_put(b, m);
	buf_append(b, "\n", 1);
}
