/* logline.h: one access-log line of a known format into its time, client, host and forwarded-for. */
#ifndef DUALSTAT_LOGLINE_H
#define DUALSTAT_LOGLINE_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/*
 * The formats by their --format names.  Only the fields dualstat needs are
 * read; the rest of a line is checked for its shape (quotes closed, status
 * three digits) so a cut or foreign line is not taken, and otherwise skipped.
 */
enum logline_format {
	LOGLINE_COMBINED,	/* "combined": %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" */
	LOGLINE_COMMON,		/* "common": %h %l %u %t "%r" %>s %b */
	LOGLINE_VHOST_COMBINED,	/* "vhost_combined": %v:%p, then combined */
	LOGLINE_ALB,		/* "alb": AWS Application Load Balancer access log */
	LOGLINE_CLOUDFRONT,	/* "cloudfront": CloudFront standard log, W3C with #Fields */
	LOGLINE_CADDY,		/* "caddy": Caddy 2's JSON access log */
	LOGLINE_FORMAT__MAX
};

/* "combined", ...; "unknown" out of range. */
const char		*logline_format_name(enum logline_format);
/* The format named name, or LOGLINE_FORMAT__MAX ("auto" is none: see logline_detect). */
enum logline_format	 logline_format_from_name(const char *name);

/* Why a line gave no request.  Names in logline_reason_name(). */
enum logline_reason {
	LOGLINE_OK,		/* "ok": the line is a request */
	LOGLINE_EMPTY,		/* "empty": nothing but white space */
	LOGLINE_COMMENT,	/* "comment": a W3C header (#Version, #Fields) */
	LOGLINE_NOT_AN_ADDRESS,	/* "not_an_address": e.g. a host name (HostnameLookups On) */
	LOGLINE_BAD_TIME,	/* "bad_time": no such date, or no UTC offset */
	LOGLINE_CUT,		/* "cut": the line ends early (or was too long to read whole) */
	LOGLINE_BINARY,		/* "binary": NUL or control bytes */
	LOGLINE_BAD_FORMAT,	/* "bad_format": not a line of this format */
	LOGLINE_BAD_HEADER,	/* "bad_header": a #Fields line without date, time or c-ip, and the lines under it */
	LOGLINE_NOT_A_REQUEST,	/* "not_a_request": a Caddy log entry with no "request" */
	LOGLINE_REASON__MAX
};

const char	*logline_reason_name(enum logline_reason);

/*
 * A request as its line tells it.  client is the peer the server saw (the
 * only copy of the full address: the caller truncates it).  host and
 * forwarded point into the line (or, for caddy, into the parser) and are
 * NUL-terminated; they stay valid until the next logline_parse() on the same
 * parser or until the line's buffer changes.  NULL when the line has none.
 *
 * host: Apache's %v (vhost_combined); in combined and common the second
 * field when it is not "-" (lighttpd's default format writes %V, the
 * request's Host, there; Apache's %l is "-" unless IdentityCheck is on);
 * ALB's domain_name, else the host of the request's URL; CloudFront's
 * x-host-header (the name the visitor asked for), else cs(Host) (the
 * distribution's own name); Caddy's request.host.  Not normalised: the
 * caller passes it to host_normalize().
 *
 * forwarded: a list in X-Forwarded-For syntax for proxy_resolve(..., PROXY_XFF,
 * &forwarded, 1, ...): CloudFront's x-forwarded-for (percent-decoded), and
 * Caddy's request.client_ip when it differs from request.remote_ip.
 */
struct logline {
	int64_t		 time;		/* seconds since the epoch, UTC, from the line's own offset */
	struct addr	 client;
	const char	*host;
	const char	*forwarded;
};

/*
 * Per-file state: CloudFront's field order comes from the file's #Fields
 * line (until one is seen, the documented default order is assumed); Caddy
 * lines are held as a JSON tree until the next line.  One parser per file.
 * Returns NULL when out of memory or format is out of range.  Must be
 * released with logline_parser_free().
 */
struct logline_parser;

struct logline_parser	*logline_parser_new(enum logline_format format);
void			 logline_parser_free(struct logline_parser *);	/* NULL ok */
enum logline_format	 logline_parser_format(const struct logline_parser *);

/*
 * Parse one line (without its '\n'; a trailing '\r' is ignored).  line[len]
 * must be writable: the parser ends host and forwarded with a NUL in place
 * (over the delimiter after them) and percent-decodes CloudFront's
 * forwarded-for in place; nothing else of the line changes, and nothing of
 * it is copied.  Returns LOGLINE_OK and fills out, or the reason the line
 * was skipped (out is then undefined).
 */
enum logline_reason	 logline_parse(struct logline_parser *, char *line, size_t len,
			    struct logline *out);

/*
 * Detection for --format auto, from a file's first lines (LOGLINE_DETECT_LINES
 * is enough; more only costs time).  Each format parses every sample (the
 * lines are not changed); lines that have the format's shape count for it,
 * even when their address or time is bad.  The format taking the most wins,
 * the more specific one on a tie (vhost_combined before combined before
 * common), and it must take at least half of the lines that are not empty.
 * Returns LOGLINE_FORMAT__MAX when none does, with *why (may be NULL):
 * LOGLINE_EMPTY when no sample has text, LOGLINE_BINARY when every one is
 * binary, LOGLINE_BAD_FORMAT otherwise.
 */
#define LOGLINE_DETECT_LINES	16

struct logline_sample {
	const char	*text;
	size_t		 len;
};

enum logline_format	 logline_detect(const struct logline_sample *lines, size_t n,
			    enum logline_reason *why);

#endif
