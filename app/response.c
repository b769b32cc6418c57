/* response.c: the one place that writes response headers, security headers included. */
#include <string.h>

#include "response.h"

/*
 * No script at all, styles only from our own origin, and no framing: the
 * pages are static documents with links and one GET form.
 */
#define CSP_STYLE	"default-src 'none'; style-src 'self'"
#define CSP_IMG		"; img-src 'self'"
#define CSP_REST	"; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

void
response_init(struct response *r)
{
	memset(r, 0, sizeof(*r));
	r->status = 200;
}

void
response_free(struct response *r)
{
	buf_free(&r->body);
	buf_free(&r->location);
}

void
response_reset(struct response *r, int status, const char *content_type)
{
	buf_reset(&r->body);
	r->body.failed = 0;
	buf_reset(&r->location);
	r->location.failed = 0;
	r->status = status;
	r->content_type = content_type;
}

const char *
response_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 204: return "No Content";
	case 302: return "Found";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

void
response_head(const struct response *r, struct buf *out)
{
	buf_printf(out, "Status: %d %s\r\n", r->status, response_reason(r->status));
	/*
	 * An Authorizer's 200 headers are passed on to the response of the
	 * request it allowed (mod_fcgid does; FastCGI 1.0 §6.3 means only
	 * Variable-* ones), so ours would land on every page of the site.
	 */
	if (r->authorizer) {
		buf_puts(out, "\r\n");
		return;
	}
	/* RFC 9110 §15.3.5: a 204 carries no content, so no type or length. */
	if (r->status != 204 && r->content_type != NULL) {
		buf_printf(out, "Content-Type: %s\r\n", r->content_type);
		buf_printf(out, "Content-Length: %zu\r\n", r->body.len);
	}
	if (r->allow != NULL)
		buf_printf(out, "Allow: %s\r\n", r->allow);
	/* Made of checked parts (probe.h): no byte that could end the header. */
	if (r->location.len > 0) {
		buf_puts(out, "Location: ");
		buf_append(out, r->location.data, r->location.len);
		buf_puts(out, "\r\n");
	}
	if (r->no_store)
		buf_puts(out, "Cache-Control: no-store\r\n");
	else if (r->max_age > 0)
		buf_printf(out, "Cache-Control: public, max-age=%u\r\n", r->max_age);
	else
		buf_puts(out, "Cache-Control: private, max-age=0\r\n");
	/* A stylesheet on another origin (static_url) must be allowed by name. */
	buf_puts(out, "Content-Security-Policy: " CSP_STYLE);
	if (r->style_origin[0] != '\0') {
		buf_putc(out, ' ');
		buf_puts(out, r->style_origin);
	}
	/* A redirect's target is checked against img-src: the probe hosts by name. */
	buf_puts(out, CSP_IMG);
	if (r->img_origins[0] != '\0') {
		buf_putc(out, ' ');
		buf_puts(out, r->img_origins);
	}
	buf_puts(out, CSP_REST "\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "Referrer-Policy: no-referrer\r\n"
	    "X-Frame-Options: DENY\r\n"
	    "\r\n");
}
