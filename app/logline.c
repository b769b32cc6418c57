/* logline.c: one access-log line of a known format into its time, client, host and forwarded-for. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "logline-int.h"
#include "logline.h"
#include "logtime.h"
#include "num.h"
#include "proxy.h"

static const char *const format_names[LOGLINE_FORMAT__MAX] = {
	"combined",		/* LOGLINE_COMBINED */
	"common",		/* LOGLINE_COMMON */
	"vhost_combined",	/* LOGLINE_VHOST_COMBINED */
	"alb",			/* LOGLINE_ALB */
	"cloudfront",		/* LOGLINE_CLOUDFRONT */
	"caddy",		/* LOGLINE_CADDY */
};

static const char *const reason_names[LOGLINE_REASON__MAX] = {
	"ok",			/* LOGLINE_OK */
	"empty",		/* LOGLINE_EMPTY */
	"comment",		/* LOGLINE_COMMENT */
	"not_an_address",	/* LOGLINE_NOT_AN_ADDRESS */
	"bad_time",		/* LOGLINE_BAD_TIME */
	"cut",			/* LOGLINE_CUT */
	"binary",		/* LOGLINE_BINARY */
	"bad_format",		/* LOGLINE_BAD_FORMAT */
	"bad_header",		/* LOGLINE_BAD_HEADER */
	"not_a_request",	/* LOGLINE_NOT_A_REQUEST */
};

static const char *const cf_names[CF__MAX] = {
	"date",			/* CF_DATE */
	"time",			/* CF_TIME */
	"c-ip",			/* CF_C_IP */
	"cs(Host)",		/* CF_CS_HOST */
	"x-host-header",	/* CF_X_HOST_HEADER */
	"x-forwarded-for",	/* CF_X_FORWARDED_FOR */
};

/*
 * The order CloudFront documents for its standard log, used until a file's
 * #Fields line says otherwise (a file whose header was stripped).
 */
static const char cf_default_fields[] =
    "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem "
    "sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) "
    "x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes "
    "time-taken x-forwarded-for ssl-protocol ssl-cipher "
    "x-edge-response-result-type cs-protocol-version fle-status "
    "fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type "
    "sc-content-type sc-content-len sc-range-start sc-range-end";

const char *
logline_format_name(enum logline_format f)
{
	if ((unsigned)f >= LOGLINE_FORMAT__MAX)
		return "unknown";
	return format_names[f];
}

enum logline_format
logline_format_from_name(const char *name)
{
	unsigned	 f;

	if (name == NULL)
		return LOGLINE_FORMAT__MAX;
	for (f = 0; f < LOGLINE_FORMAT__MAX; f++)
		if (strcmp(name, format_names[f]) == 0)
			return (enum logline_format)f;
	return LOGLINE_FORMAT__MAX;
}

const char *
logline_reason_name(enum logline_reason r)
{
	if ((unsigned)r >= LOGLINE_REASON__MAX)
		return "unknown";
	return reason_names[r];
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A port: 1 to 5 digits, at most 65535. */
static bool
port_ok(const char *s, size_t n)
{
	uint64_t	 v;

	return n <= 5 && num_parse(s, n, 65535, 0, &v) == 0;
}

int
logline_client(const char *text, size_t len, struct addr *out)
{
	if (addr_parse_n(text, len, out) == 0)
		return 0;
	/* Not the servers' default, but a LogFormat of someone's may bracket or add the port. */
	return proxy_parse_node(text, len, out);
}

/*
 * ALB's client:port, where an IPv6 client comes without brackets
 * ("2001:db8::1:50718"): the port is whatever follows the last colon.
 */
static int
client_port(const char *text, size_t len, struct addr *out)
{
	const char	*colon;

	if (len > 0 && text[0] == '[')
		return proxy_parse_node(text, len, out);
	for (colon = text + len; colon > text && colon[-1] != ':'; colon--)
		continue;
	if (colon == text || !port_ok(colon, (size_t)(text + len - colon)))
		return -1;
	return addr_parse_n(text, (size_t)(colon - 1 - text), out);
}

/*
 * The closing quote of a field that starts at p (after its opening quote).
 * Apache writes a quote inside as \" and a backslash as \\ (nginx and
 * lighttpd write \x22), so a quote ends the field when an even number of
 * backslashes stands before it.  NULL when the line ends first.
 */
static const char *
quote_end(const char *p, const char *end)
{
	const char	*q, *b;

	while ((q = memchr(p, '"', (size_t)(end - p))) != NULL) {
		for (b = q; b > p && b[-1] == '\\'; b--)
			continue;
		if ((q - b) % 2 == 0)
			return q;
		p = q + 1;
	}
	return NULL;
}

static bool
is_dash(const char *p, size_t n)
{
	return n == 1 && *p == '-';
}

static struct logline_span
span(const char *p, size_t n)
{
	struct logline_span	 s = { p, n };

	if (n == 0 || is_dash(p, n))
		s.p = NULL;
	return s;
}

/*
 * ` "..."` at *pp: the quoted field after one space.  Returns OK and moves
 * *pp past the closing quote, CUT when the line ends first, BAD_FORMAT when
 * the space or the opening quote is missing.
 */
static enum logline_reason
quoted_field(const char **pp, const char *end, struct logline_span *out)
{
	const char	*p = *pp, *q;

	if (end - p < 2)
		return LOGLINE_CUT;
	if (p[0] != ' ' || p[1] != '"')
		return LOGLINE_BAD_FORMAT;
	if ((q = quote_end(p + 2, end)) == NULL)
		return LOGLINE_CUT;
	if (out != NULL) {
		out->p = p + 2;
		out->n = (size_t)(q - p - 2);
	}
	*pp = q + 1;
	return LOGLINE_OK;
}

/* The end of a line's known part: its end, or a space before fields someone added. */
static enum logline_reason
fields_end(const char *p, const char *end)
{
	return p == end || *p == ' ' ? LOGLINE_OK : LOGLINE_BAD_FORMAT;
}

/*
 * logtime_clf() behind a one-minute cache: a busy log has hundreds of lines
 * a minute, and only the seconds differ ("10/Oct/2000:13:55:SS -0700").
 */
static int
clf_time(struct logline_parser *lp, const char *t, int64_t *out)
{
	int	 s;

	if (lp->clf_cached && memcmp(t, lp->clf_minute, 18) == 0 &&
	    memcmp(t + 20, lp->clf_minute + 20, LOGTIME_CLF_LEN - 20) == 0 &&
	    is_digit(t[18]) && is_digit(t[19]) &&
	    (s = (t[18] - '0') * 10 + (t[19] - '0')) <= 60) {
		*out = lp->clf_minute_at + s;
		return 0;
	}
	if (logtime_clf(t, LOGTIME_CLF_LEN, out) != 0)
		return -1;
	memcpy(lp->clf_minute, t, LOGTIME_CLF_LEN);
	lp->clf_minute_at = *out - ((t[18] - '0') * 10 + (t[19] - '0'));
	lp->clf_cached = true;
	return 0;
}

/*
 * Common and combined, as Apache, nginx and lighttpd write them, and
 * vhost_combined.  The time is the one field in brackets: everything
 * between the second field and " [" is the user, which may hold spaces.
 */
static enum logline_reason
scan_clf(struct logline_parser *lp, const char *p, const char *end,
    struct logline_scan *sc)
{
	const char		*sp, *b, *colon;
	struct logline_span	 client, second;
	enum logline_format	 f = lp->format;
	enum logline_reason	 r;
	size_t			 n;

	if (f == LOGLINE_VHOST_COMBINED) {
		/* %v:%p: the name, then the port after the last colon. */
		if ((sp = memchr(p, ' ', (size_t)(end - p))) == NULL)
			return LOGLINE_CUT;
		for (colon = sp; colon > p && colon[-1] != ':'; colon--)
			continue;
		if (colon - 1 <= p || !port_ok(colon, (size_t)(sp - colon)))
			return LOGLINE_BAD_FORMAT;
		sc->host = span(p, (size_t)(colon - 1 - p));
		p = sp + 1;
	}
	if ((sp = memchr(p, ' ', (size_t)(end - p))) == NULL)
		return LOGLINE_CUT;
	if (sp == p)
		return LOGLINE_BAD_FORMAT;
	client.p = p;
	client.n = (size_t)(sp - p);
	p = sp + 1;
	if ((sp = memchr(p, ' ', (size_t)(end - p))) == NULL)
		return LOGLINE_CUT;
	if (sp == p)
		return LOGLINE_BAD_FORMAT;
	second = span(p, (size_t)(sp - p));
	if (f != LOGLINE_VHOST_COMBINED)
		sc->host = second;
	p = sp + 1;
	/* The user, then " [" and the 26 bytes of the time and "]". */
	if ((b = memchr(p, '[', (size_t)(end - p))) == NULL)
		/* A quoted field without the time before it is no CLF line; nothing at all is a cut one. */
		return memchr(p, '"', (size_t)(end - p)) != NULL ?
		    LOGLINE_BAD_FORMAT : LOGLINE_CUT;
	if (b == p || b - 1 == p || b[-1] != ' ')
		return LOGLINE_BAD_FORMAT;
	if ((size_t)(end - b) < LOGTIME_CLF_LEN + 2)
		return LOGLINE_CUT;
	if (b[LOGTIME_CLF_LEN + 1] != ']')
		return LOGLINE_BAD_FORMAT;
	p = b + LOGTIME_CLF_LEN + 2;
	if ((r = quoted_field(&p, end, NULL)) != LOGLINE_OK)
		return r;
	/* " 200 1234": the status, three digits, then the size or "-". */
	if (end - p < 5)
		return LOGLINE_CUT;
	if (p[0] != ' ' || !is_digit(p[1]) || !is_digit(p[2]) || !is_digit(p[3]))
		return LOGLINE_BAD_FORMAT;
	p += 4;
	if (p == end)
		return LOGLINE_CUT;
	if (*p++ != ' ')
		return LOGLINE_BAD_FORMAT;
	for (n = 0; p + n < end && is_digit(p[n]); n++)
		continue;
	if (n == 0 && p < end && *p == '-')
		n = 1;
	else if (n == 0)
		return p == end ? LOGLINE_CUT : LOGLINE_BAD_FORMAT;
	p += n;
	if (f != LOGLINE_COMMON) {
		if ((r = quoted_field(&p, end, NULL)) != LOGLINE_OK ||
		    (r = quoted_field(&p, end, NULL)) != LOGLINE_OK)
			return r;
	}
	if ((r = fields_end(p, end)) != LOGLINE_OK)
		return r;

	if (clf_time(lp, b + 1, &sc->time) != 0)
		return LOGLINE_BAD_TIME;
	if (logline_client(client.p, client.n, &sc->client) != 0)
		return LOGLINE_NOT_AN_ADDRESS;
	sc->in_line = true;
	return LOGLINE_OK;
}

/*
 * One ALB field at *pp: quoted ("..."), or up to the next space.  Moves *pp
 * to the start of the next field, or to end after the last one.
 */
static enum logline_reason
alb_field(const char **pp, const char *end, struct logline_span *out)
{
	const char	*p = *pp, *q;

	if (p == end)
		return LOGLINE_CUT;
	if (*p == '"') {
		if ((q = quote_end(p + 1, end)) == NULL)
			return LOGLINE_CUT;
		out->p = p + 1;
		out->n = (size_t)(q - p - 1);
		q++;
	} else {
		if ((q = memchr(p, ' ', (size_t)(end - p))) == NULL)
			q = end;
		out->p = p;
		out->n = (size_t)(q - p);
	}
	if (q < end && *q++ != ' ')
		return LOGLINE_BAD_FORMAT;
	*pp = q;
	return LOGLINE_OK;
}

/* The host of the absolute URL in ALB's request field: "GET https://host:443/p HTTP/1.1". */
static struct logline_span
alb_url_host(struct logline_span req)
{
	const char		*end = req.p + req.n, *s, *h;
	struct logline_span	 none = { NULL, 0 };

	if ((s = memchr(req.p, ' ', req.n)) == NULL)
		return none;
	s++;
	for (h = s; h < end && *h != ':' && *h != '/' && *h != ' '; h++)
		continue;
	if (end - h < 3 || memcmp(h, "://", 3) != 0)
		return none;
	h += 3;
	for (s = h; s < end && *s != '/' && *s != ' '; s++)
		continue;
	return span(h, (size_t)(s - h));
}

/*
 * AWS ALB: type time elb client:port target:port request_processing_time
 * target_processing_time response_processing_time elb_status_code
 * target_status_code received_bytes sent_bytes "request" "user_agent"
 * ssl_cipher ssl_protocol target_group_arn "trace_id" "domain_name"
 * "chosen_cert_arn" matched_rule_priority request_creation_time ... (AWS
 * adds fields at the end; the first 14 are in every version).  The time of
 * the request is request_creation_time, as %t is in Apache; "time" is when
 * the response ended (a WebSocket's close), used only when the line has no
 * request_creation_time.
 */
enum {
	ALB_TYPE = 1, ALB_TIME = 2, ALB_CLIENT = 4, ALB_REQUEST = 13,
	ALB_USER_AGENT = 14, ALB_DOMAIN_NAME = 19, ALB_REQUEST_CREATION_TIME = 22
};

static bool
alb_type_ok(struct logline_span t)
{
	static const char *const types[] = { "http", "https", "h2", "grpcs", "ws", "wss" };
	size_t	 i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strlen(types[i]) == t.n && memcmp(types[i], t.p, t.n) == 0)
			return true;
	return false;
}

static enum logline_reason
scan_alb(const char *p, const char *end, struct logline_scan *sc)
{
	struct logline_span	 f, time = { NULL, 0 }, client = { NULL, 0 },
				 request = { NULL, 0 }, created = { NULL, 0 };
	enum logline_reason	 r;
	unsigned		 i;

	for (i = 1; i <= ALB_REQUEST_CREATION_TIME && p < end; i++) {
		if ((r = alb_field(&p, end, &f)) != LOGLINE_OK)
			return r;
		switch (i) {
		case ALB_TYPE:
			if (!alb_type_ok(f))
				return LOGLINE_BAD_FORMAT;
			break;
		case ALB_TIME:
			time = f;
			break;
		case ALB_CLIENT:
			client = f;
			break;
		case ALB_REQUEST:
			request = f;
			break;
		case ALB_DOMAIN_NAME:
			sc->host = span(f.p, f.n);
			break;
		case ALB_REQUEST_CREATION_TIME:
			created = span(f.p, f.n);
			break;
		default:
			break;
		}
	}
	if (i <= ALB_USER_AGENT)
		return LOGLINE_CUT;
	if (sc->host.p == NULL)
		sc->host = alb_url_host(request);

	if (created.p == NULL || logtime_iso8601(created.p, created.n, &sc->time) != 0)
		if (logtime_iso8601(time.p, time.n, &sc->time) != 0)
			return LOGLINE_BAD_TIME;
	if (client_port(client.p, client.n, &sc->client) != 0)
		return LOGLINE_NOT_AN_ADDRESS;
	sc->in_line = true;
	return LOGLINE_OK;
}

/*
 * "#Fields: date time ..." sets where each field is.  A header without
 * date, time or c-ip makes the lines under it unreadable (bad_header)
 * until the next usable one.
 */
static enum logline_reason
cf_fields(struct logline_parser *lp, const char *p, const char *end)
{
	const char	*e;
	unsigned	 idx, slot, need = 0;
	bool		 seen[CF__MAX] = { false };

	memset(lp->cf_slot, CF_SLOT_NONE, sizeof(lp->cf_slot));
	for (idx = 0; p < end; idx++) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			break;
		for (e = p; e < end && *e != ' ' && *e != '\t'; e++)
			continue;
		for (slot = 0; slot < CF__MAX; slot++)
			if (strlen(cf_names[slot]) == (size_t)(e - p) &&
			    memcmp(cf_names[slot], p, (size_t)(e - p)) == 0)
				break;
		if (slot < CF__MAX && idx < CF_FIELDS_MAX && !seen[slot]) {
			lp->cf_slot[idx] = (unsigned char)slot;
			seen[slot] = true;
			need = idx + 1;
		}
		p = e;
	}
	lp->cf_need = need;
	lp->cf_usable = seen[CF_DATE] && seen[CF_TIME] && seen[CF_C_IP];
	return lp->cf_usable ? LOGLINE_COMMENT : LOGLINE_BAD_HEADER;
}

static enum logline_reason
scan_cloudfront(struct logline_parser *lp, const char *p, const char *end,
    struct logline_scan *sc)
{
	struct logline_span	 v[CF__MAX];
	const char		*t;
	unsigned		 idx, slot;

	if (*p == '#') {
		if (end - p >= 8 && memcmp(p, "#Fields:", 8) == 0)
			return cf_fields(lp, p + 8, end);
		return LOGLINE_COMMENT;
	}
	if (!lp->cf_usable)
		return LOGLINE_BAD_HEADER;
	memset(v, 0, sizeof(v));
	for (idx = 0; idx < lp->cf_need; idx++) {
		if ((t = memchr(p, '\t', (size_t)(end - p))) == NULL)
			t = end;
		if ((slot = lp->cf_slot[idx]) != CF_SLOT_NONE) {
			v[slot].p = p;
			v[slot].n = (size_t)(t - p);
		}
		if (t == end)
			break;
		p = t + 1;
	}
	if (idx + 1 < lp->cf_need)
		return LOGLINE_CUT;
	/* A space is never in a W3C field (CloudFront encodes it as %20): this is not such a line. */
	if (memchr(v[CF_C_IP].p, ' ', v[CF_C_IP].n) != NULL ||
	    memchr(v[CF_DATE].p, ' ', v[CF_DATE].n) != NULL)
		return LOGLINE_BAD_FORMAT;

	sc->host = span(v[CF_X_HOST_HEADER].p, v[CF_X_HOST_HEADER].n);
	if (sc->host.p == NULL)
		sc->host = span(v[CF_CS_HOST].p, v[CF_CS_HOST].n);
	sc->forwarded = span(v[CF_X_FORWARDED_FOR].p, v[CF_X_FORWARDED_FOR].n);
	sc->forwarded_pct = true;
	if (logtime_date_time_utc(v[CF_DATE].p, v[CF_DATE].n, v[CF_TIME].p,
	    v[CF_TIME].n, &sc->time) != 0)
		return LOGLINE_BAD_TIME;
	if (logline_client(v[CF_C_IP].p, v[CF_C_IP].n, &sc->client) != 0)
		return LOGLINE_NOT_AN_ADDRESS;
	sc->in_line = true;
	return LOGLINE_OK;
}

struct logline_parser *
logline_parser_new(enum logline_format format)
{
	struct logline_parser	*lp;

	if ((unsigned)format >= LOGLINE_FORMAT__MAX)
		return NULL;
	if ((lp = calloc(1, sizeof(*lp))) == NULL)
		return NULL;
	lp->format = format;
	if (format == LOGLINE_CLOUDFRONT)
		(void)cf_fields(lp, cf_default_fields,
		    cf_default_fields + sizeof(cf_default_fields) - 1);
	return lp;
}

void
logline_parser_free(struct logline_parser *lp)
{
	if (lp == NULL)
		return;
	logline_caddy_release(lp);
	free(lp);
}

enum logline_format
logline_parser_format(const struct logline_parser *lp)
{
	return lp->format;
}

static bool
blank(const char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return false;
	return true;
}

/* Control bytes no server writes raw: C0 but the tab W3C logs use, and DEL. */
static bool
has_control(const char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (((unsigned char)p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7f)
			return true;
	return false;
}

/* Scan without writing: what logline_parse and logline_detect share. */
static enum logline_reason
scan(struct logline_parser *lp, const char *line, size_t len,
    struct logline_scan *sc)
{
	enum logline_reason	 r;

	memset(sc, 0, sizeof(*sc));
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len == 0 || ((line[0] == ' ' || line[0] == '\t') && blank(line, len)))
		return LOGLINE_EMPTY;
	if (memchr(line, '\0', len) != NULL)
		return LOGLINE_BINARY;
	switch (lp->format) {
	case LOGLINE_COMBINED:
	case LOGLINE_COMMON:
	case LOGLINE_VHOST_COMBINED:
		r = scan_clf(lp, line, line + len, sc);
		break;
	case LOGLINE_ALB:
		r = scan_alb(line, line + len, sc);
		break;
	case LOGLINE_CLOUDFRONT:
		r = scan_cloudfront(lp, line, line + len, sc);
		break;
	case LOGLINE_CADDY:
		r = logline_scan_caddy(lp, line, len, sc);
		break;
	default:
		r = LOGLINE_BAD_FORMAT;
		break;
	}
	if (r != LOGLINE_OK && r != LOGLINE_COMMENT && has_control(line, len))
		return LOGLINE_BINARY;
	return r;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * End a span of line with a NUL, in place, after percent-decoding it when
 * asked (never %00: a NUL would end the text early).  Decoding only
 * shrinks, so it stays inside the span.
 */
static const char *
terminate(char *line, struct logline_span s, bool pct)
{
	char	*b, *r, *w, *e;
	int	 hi, lo;

	if (s.p == NULL)
		return NULL;
	b = line + (s.p - line);
	e = b + s.n;
	if (!pct) {
		*e = '\0';
		return b;
	}
	for (r = w = b; r < e; ) {
		if (*r == '%' && e - r >= 3 && (hi = hexval(r[1])) >= 0 &&
		    (lo = hexval(r[2])) >= 0 && (hi | lo) != 0) {
			*w++ = (char)(hi * 16 + lo);
			r += 3;
		} else
			*w++ = *r++;
	}
	*w = '\0';
	return b;
}

enum logline_reason
logline_parse(struct logline_parser *lp, char *line, size_t len, struct logline *out)
{
	struct logline_scan	 sc;
	enum logline_reason	 r;

	if ((r = scan(lp, line, len, &sc)) != LOGLINE_OK)
		return r;
	out->time = sc.time;
	out->client = sc.client;
	if (sc.in_line) {
		out->host = terminate(line, sc.host, false);
		out->forwarded = terminate(line, sc.forwarded, sc.forwarded_pct);
	} else {
		out->host = sc.host.p;
		out->forwarded = sc.forwarded.p;
	}
	return LOGLINE_OK;
}

/* A line that has the format's shape, whatever its address or time. */
static bool
shaped(enum logline_reason r)
{
	return r == LOGLINE_OK || r == LOGLINE_NOT_AN_ADDRESS ||
	    r == LOGLINE_BAD_TIME || r == LOGLINE_COMMENT;
}

/*
 * The order decides ties: a vhost_combined line never parses as combined,
 * but a combined line does parse as common (the fields after %b are
 * allowed), so combined goes first; CloudFront headers are comments only
 * to cloudfront.
 */
static const enum logline_format detect_order[] = {
	LOGLINE_CLOUDFRONT, LOGLINE_CADDY, LOGLINE_ALB, LOGLINE_VHOST_COMBINED,
	LOGLINE_COMBINED, LOGLINE_COMMON
};

enum logline_format
logline_detect(const struct logline_sample *lines, size_t n, enum logline_reason *why)
{
	struct logline_parser	*lp;
	struct logline_scan	 sc;
	enum logline_format	 best = LOGLINE_FORMAT__MAX;
	enum logline_reason	 r, dummy;
	size_t			 i, k, text = 0, binary = 0, took, best_took = 0;

	if (why == NULL)
		why = &dummy;
	for (k = 0; k < sizeof(detect_order) / sizeof(detect_order[0]); k++) {
		if ((lp = logline_parser_new(detect_order[k])) == NULL)
			break;
		took = 0;
		for (i = 0; i < n; i++) {
			if (lines[i].text == NULL)
				continue;
			r = scan(lp, lines[i].text, lines[i].len, &sc);
			if (k == 0 && r != LOGLINE_EMPTY) {
				text++;
				binary += r == LOGLINE_BINARY;
			}
			took += shaped(r);
		}
		logline_parser_free(lp);
		if (took > best_took) {
			best = detect_order[k];
			best_took = took;
		}
	}
	if (text == 0) {
		*why = LOGLINE_EMPTY;
		return LOGLINE_FORMAT__MAX;
	}
	if (best_took == 0 || best_took * 2 < text) {
		*why = binary == text ? LOGLINE_BINARY : LOGLINE_BAD_FORMAT;
		return LOGLINE_FORMAT__MAX;
	}
	*why = LOGLINE_OK;
	return best;
}
