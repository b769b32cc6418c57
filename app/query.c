/* query.c: turn ?days=, ?from=&to=, ?host=, ?node=, ?how= and ?table= into a validated period, and a period into times. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "num.h"
#include "query.h"
#include "utc.h"
#include "utf8.h"

#define DAY		86400
#define HOUR		3600
#define PARAM_MAX	64	/* decoded key, or value other than host: every valid one is short */
#define ECHO_MAX	40	/* how much of the visitor's input a message repeats */


static const char *const params[QUERY__MAX] = {
	"days",		/* QUERY_DAYS */
	"from",		/* QUERY_FROM */
	"to",		/* QUERY_TO */
	"host",		/* QUERY_HOST */
	"how",		/* QUERY_HOW */
	"table",	/* QUERY_TABLE */
	"node",		/* QUERY_NODE */
};

/* Longest decoded value of each: a host is as long as the store keeps it. */
static const size_t param_max[QUERY__MAX] = {
	PARAM_MAX,		/* QUERY_DAYS */
	PARAM_MAX,		/* QUERY_FROM */
	PARAM_MAX,		/* QUERY_TO */
	REPORT_HOST_MAX,	/* QUERY_HOST */
	PARAM_MAX,		/* QUERY_HOW */
	PARAM_MAX,		/* QUERY_TABLE */
	ROW_NODE_MAX + 1,	/* QUERY_NODE: one more, to say what is wrong */
};

/* The periods the report page offers; anything else is a from/to range. */
static const unsigned days_allowed[] = { 1, 7, 30, 90, 365 };

/*
 * A short, printable-ASCII copy of the visitor's input for a message:
 * the 400 page escapes it anyway, but a cut multibyte character or a
 * control byte has no business in a message.
 */
static void
echo(char *dst, size_t dstsz, const char *s, size_t len)
{
	size_t	 i, n;

	if (dstsz < 4)
		return;
	n = len > ECHO_MAX ? ECHO_MAX : len;
	if (n > dstsz - 4)
		n = dstsz - 4;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		dst[i] = (c < ' ' || c > '~') ? '?' : (char)c;
	}
	dst[n] = '\0';
	if (n < len)
		memcpy(dst + n, "...", 4);
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
 * Decode application/x-www-form-urlencoded text of len bytes into out
 * (max + 1 bytes).  Returns 0 and the decoded length, -1 for a bad
 * %-escape, -2 when the result would be longer than max.
 */
static int
urldecode(const char *s, size_t len, char *out, size_t max, size_t *outlen)
{
	size_t	 i, n = 0;
	int	 hi, lo;

	for (i = 0; i < len; i++) {
		if (n == max)
			return -2;
		if (s[i] == '+')
			out[n++] = ' ';
		else if (s[i] == '%') {
			if (len - i < 3 || (hi = hexval(s[i + 1])) == -1 ||
			    (lo = hexval(s[i + 2])) == -1)
				return -1;
			out[n++] = (char)(hi << 4 | lo);
			i += 2;
		} else
			out[n++] = s[i];
	}
	out[n] = '\0';
	*outlen = n;
	return 0;
}

/* 0, -1 when text is not YYYY-MM-DD or not a calendar date, -2 when out of 1970..9999. */
static int
parse_date(const char *text, int64_t *midnight)
{
	uint64_t	 y, m, d;

	if (text == NULL || strlen(text) != 10 ||
	    text[4] != '-' || text[7] != '-' ||
	    num_parse(text, 4, 9999, 0, &y) != 0 ||
	    num_parse(text + 5, 2, 12, 0, &m) != 0 ||
	    num_parse(text + 8, 2, 31, 0, &d) != 0 ||
	    !utc_date_ok((int64_t)y, (unsigned)m, (unsigned)d))
		return -1;
	if (y < 1970)
		return -2;
	*midnight = utc_days((int64_t)y, (unsigned)m, (unsigned)d) * DAY;
	return 0;
}

int
query_date(const char *text, int64_t *midnight)
{
	int64_t	 t;

	if (parse_date(text, &t) != 0)
		return -1;
	*midnight = t;
	return 0;
}

/*
 * Digits only, no leading zero, 1..QUERY_DAYS_MAX; and unless any, one of
 * the periods the report page offers.
 */
static int
parse_days(const char *v, bool any, unsigned *out)
{
	uint64_t	 n;
	size_t		 i;

	if (num_parse_str(v, QUERY_DAYS_MAX, NUM_NO_LEADING_ZERO, &n) != 0 || n == 0)
		return -1;
	for (i = 0; i < sizeof(days_allowed) / sizeof(days_allowed[0]); i++)
		if (days_allowed[i] == n)
			break;
	if (!any && i == sizeof(days_allowed) / sizeof(days_allowed[0]))
		return -1;
	*out = (unsigned)n;
	return 0;
}

/*
 * A host as the store may hold it: any bytes but control characters
 * (C0 and DEL), in well-formed UTF-8 (RFC 3629 §4) since the page writes
 * it back.  0, -1 for a control character, -2 for bad UTF-8.
 */
static int
check_host(const char *s)
{
	const char	*p;

	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return -1;
	return utf8_valid(s) ? 0 : -2;
}

static void
set_filters(struct period *out, const char *host, const char *node, int how)
{
	/* host fits: the decoder stops at REPORT_HOST_MAX bytes; node is checked. */
	snprintf(out->host, sizeof(out->host), "%s", host);
	snprintf(out->node, sizeof(out->node), "%s", node);
	out->how = how;
}

/* A node filter: "" (none) or a node's name (row_node_valid); -1 and why. */
static int
check_node(const char *node, const char *dash, char *err, size_t errsz)
{
	char	 e[ECHO_MAX + 4];

	if (node[0] == '\0' || row_node_valid(node))
		return 0;
	echo(e, sizeof(e), node, strlen(node));
	errf(err, errsz, "%snode: \"%s\" is not a node name (1..%d letters, "
	    "digits, '.', '-', '_')", dash, e, ROW_NODE_MAX);
	return -1;
}

/*
 * Check host and how ("" = no filter); how becomes an enum how or
 * -1.  dash goes before the names in messages: "" for a URL, "--" for the
 * command line.
 */
static int
filters(const char *host, const char *how, int *howp, const char *dash,
    char *err, size_t errsz)
{
	char		 e[ECHO_MAX + 4];
	enum how	 w;
	int		 rc;

	if (strlen(host) > REPORT_HOST_MAX) {
		errf(err, errsz, "%shost: longer than %d bytes", dash,
		    REPORT_HOST_MAX);
		return -1;
	}
	if ((rc = check_host(host)) != 0) {
		errf(err, errsz, rc == -1 ? "%shost: control character in value" :
		    "%shost: not valid UTF-8", dash);
		return -1;
	}
	*howp = -1;
	if (how[0] == '\0')
		return 0;
	if ((w = how_from_name(how)) != HOW__MAX) {
		*howp = (int)w;
		return 0;
	}
	echo(e, sizeof(e), how, strlen(how));
	errf(err, errsz, "%show: \"%s\" is not one of page, beacon, "
	    "authorizer, record, log", dash, e);
	return -1;
}

/* name ("" = the series) to a table; -1 and the valid names in err. */
static int
table_of(const char *name, enum report_table *t, const char *dash, char *err,
    size_t errsz)
{
	char	 e[ECHO_MAX + 4], names[224];
	size_t	 n = 0;
	int	 i, w;

	if (name[0] == '\0') {
		*t = TABLE_SERIES;
		return 0;
	}
	for (i = 0; i < TABLE__MAX; i++)
		if (strcmp(name, report_table_name((enum report_table)i)) == 0) {
			*t = (enum report_table)i;
			return 0;
		}
	/* From report.c's names, so the message never lags behind them. */
	names[0] = '\0';
	for (i = 0; i < TABLE__MAX; i++) {
		w = snprintf(names + n, sizeof(names) - n, "%s%s",
		    i == 0 ? "" : ", ", report_table_name((enum report_table)i));
		if (w < 0 || (size_t)w >= sizeof(names) - n) {
			names[n] = '\0';	/* whole names only */
			break;
		}
		n += (size_t)w;
	}
	echo(e, sizeof(e), name, strlen(name));
	errf(err, errsz, "%stable: \"%s\" is not one of %s", dash, e, names);
	return -1;
}

/*
 * A parameter given once, as a URL query or the command line gives it:
 * the second time is an error, not a silent replacement.
 */
static int
take(const char **slot, const char *value, enum query_param i, const char *dash,
    char *err, size_t errsz)
{
	if (*slot != NULL) {
		errf(err, errsz, "%s%s is given more than once", dash, params[i]);
		return -1;
	}
	*slot = value;
	return 0;
}

/*
 * The rules for the parameters together (val[i] NULL: not given), for a
 * URL query and the command line alike; any_days lets days be any of
 * 1..QUERY_DAYS_MAX.  out is written only on success, so a caller never
 * acts on half a query.
 */
static int
check(const char *const val[QUERY__MAX], bool any_days, const char *dash,
    struct period *out, char *err, size_t errsz)
{
	char		 e[ECHO_MAX + 4];
	const char	*host = val[QUERY_HOST] != NULL ? val[QUERY_HOST] : "";
	const char	*node = val[QUERY_NODE] != NULL ? val[QUERY_NODE] : "";
	size_t		 i;
	int		 rc, rcf, rct, how = -1;
	int64_t		 from, to, span;
	unsigned	 days;
	enum report_table table;

	/* An empty value is what a form's "all" option sends: no filter. */
	if (filters(host, val[QUERY_HOW] != NULL ? val[QUERY_HOW] : "", &how,
	    dash, err, errsz) != 0 || check_node(node, dash, err, errsz) != 0)
		return -1;
	if (table_of(val[QUERY_TABLE] != NULL ? val[QUERY_TABLE] : "", &table,
	    dash, err, errsz) != 0)
		return -1;

	if (val[QUERY_DAYS] != NULL && (val[QUERY_FROM] != NULL ||
	    val[QUERY_TO] != NULL)) {
		errf(err, errsz, "give %sdays or %sfrom and %sto, not both",
		    dash, dash, dash);
		return -1;
	}
	if ((val[QUERY_FROM] != NULL) != (val[QUERY_TO] != NULL)) {
		errf(err, errsz, "%sfrom and %sto must be given together",
		    dash, dash);
		return -1;
	}

	if (val[QUERY_FROM] != NULL) {
		rcf = parse_date(val[QUERY_FROM], &from);
		rct = rcf == 0 ? parse_date(val[QUERY_TO], &to) : 0;
		if (rcf != 0 || rct != 0) {
			i = rcf != 0 ? QUERY_FROM : QUERY_TO;
			rc = rcf != 0 ? rcf : rct;
			echo(e, sizeof(e), val[i], strlen(val[i]));
			errf(err, errsz, rc == -2 ?
			    "%s%s: \"%s\" is outside 1970-01-01..9999-12-31" :
			    "%s%s: \"%s\" is not a date (YYYY-MM-DD)",
			    dash, params[i], e);
			return -1;
		}
		if (from > to) {
			errf(err, errsz, "%sfrom (%s) is after %sto (%s)",
			    dash, val[QUERY_FROM], dash, val[QUERY_TO]);
			return -1;
		}
		span = (to - from) / DAY + 1;
		if (span > QUERY_DAYS_MAX) {
			errf(err, errsz, "%sfrom..%sto spans %lld days; "
			    "at most %d are allowed", dash, dash,
			    (long long)span, QUERY_DAYS_MAX);
			return -1;
		}
		days = 0;
	} else {
		from = to = 0;
		days = 7;
		if (val[QUERY_DAYS] != NULL &&
		    parse_days(val[QUERY_DAYS], any_days, &days) == -1) {
			echo(e, sizeof(e), val[QUERY_DAYS],
			    strlen(val[QUERY_DAYS]));
			if (any_days)
				errf(err, errsz, "%sdays must be 1..%d, not "
				    "\"%s\"", dash, QUERY_DAYS_MAX, e);
			else
				errf(err, errsz, "days must be one of 1, 7, 30, "
				    "90, 365");
			return -1;
		}
	}
	out->days = days;
	out->from_day = from;
	out->to_day = to;
	set_filters(out, host, node, how);
	out->table = table;
	return 0;
}

int
query_arg(struct query_args *a, const char *name, const char *value,
    char *err, size_t errsz)
{
	size_t	 i;

	for (i = 0; i < QUERY__MAX; i++)
		if (strcmp(name, params[i]) == 0)
			return take(&a->value[i], value != NULL ? value : "",
			    (enum query_param)i, "--", err, errsz);
	errf(err, errsz, "unknown option --%s", name);
	return -1;
}

int
query_args_period(const struct query_args *a, struct period *out, char *err,
    size_t errsz)
{
	return check(a->value, true, "--", out, err, errsz);
}

int
query_parse(const char *qs, struct period *out, char *err, size_t errsz)
{
	char		 val[QUERY__MAX][REPORT_HOST_MAX + 1];
	char		 key[PARAM_MAX + 1], e[ECHO_MAX + 4];
	const char	*p, *amp, *eq;
	const char	*given[QUERY__MAX] = { NULL };
	size_t		 plen, klen, vlen, i;
	int		 rc;

	for (p = qs; p != NULL && *p != '\0'; p = amp == NULL ? NULL : amp + 1) {
		amp = strchr(p, '&');
		plen = amp == NULL ? strlen(p) : (size_t)(amp - p);
		if (plen == 0)
			continue;
		eq = memchr(p, '=', plen);
		klen = eq == NULL ? plen : (size_t)(eq - p);

		if ((rc = urldecode(p, klen, key, PARAM_MAX, &klen)) != 0) {
			echo(e, sizeof(e), p, klen);
			errf(err, errsz, rc == -1 ?
			    "bad %%-escape in parameter \"%s\"" :
			    "parameter name \"%s\" is too long", e);
			return -1;
		}
		for (i = 0; i < QUERY__MAX; i++)
			if (strcmp(key, params[i]) == 0)
				break;
		if (i == QUERY__MAX || strlen(key) != klen) {
			echo(e, sizeof(e), key, klen);
			errf(err, errsz, "unknown parameter \"%s\"", e);
			return -1;
		}
		if (take(&given[i], val[i], (enum query_param)i, "", err, errsz) != 0)
			return -1;

		if (eq == NULL)
			val[i][0] = '\0';
		else {
			vlen = plen - (size_t)(eq + 1 - p);
			if ((rc = urldecode(eq + 1, vlen, val[i], param_max[i],
			    &vlen)) != 0) {
				errf(err, errsz, rc == -1 ?
				    "%s: bad %%-escape" : "%s: value is too long",
				    params[i]);
				return -1;
			}
			/* A NUL would hide the rest of the value from the checks below. */
			if (strlen(val[i]) != vlen) {
				errf(err, errsz, "%s: NUL byte in value",
				    params[i]);
				return -1;
			}
		}
	}
	return check(given, false, "", out, err, errsz);
}

/* Floor division: the boundaries must not move for times before 1970. */
static int64_t
floor_to(int64_t t, int64_t step)
{
	int64_t	 r;

	r = t % step;
	return r < 0 ? t - r - step : t - r;
}

void
query_period(const struct period *p, int64_t now, struct report_query *out)
{
	memset(out, 0, sizeof(*out));
	if (p->days == 1) {
		out->to = floor_to(now, HOUR) + HOUR;
		out->from = out->to - DAY;
		out->bucket = HOUR;
	} else if (p->days > 1) {
		out->to = floor_to(now, DAY) + DAY;
		out->from = out->to - (int64_t)p->days * DAY;
		out->bucket = DAY;
	} else {
		out->from = p->from_day;
		out->to = p->to_day + DAY;
		out->bucket = out->to - out->from <= 2 * DAY ? HOUR : DAY;
	}
	out->top = 10;
	memcpy(out->host, p->host, sizeof(out->host));
	out->host[sizeof(out->host) - 1] = '\0';
	memcpy(out->node, p->node, sizeof(out->node));
	out->node[sizeof(out->node) - 1] = '\0';
	out->how = p->how;
	out->days = p->days;
	out->table = p->table;
}
