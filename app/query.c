/* query.c: turn ?days= or ?from=&to= into a validated period, and a period into times. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "query.h"

#define DAY		86400
#define HOUR		3600
#define PARAM_MAX	64	/* decoded key or value; every valid one is short */
#define ECHO_MAX	40	/* how much of the visitor's input a message repeats */

enum param {
	PARAM_DAYS,
	PARAM_FROM,
	PARAM_TO,
	PARAM__MAX
};

static const char *const params[PARAM__MAX] = {
	"days",		/* PARAM_DAYS */
	"from",		/* PARAM_FROM */
	"to",		/* PARAM_TO */
};

/* The periods the report page offers; anything else is a from/to range. */
static const unsigned days_allowed[] = { 1, 7, 30, 90, 365 };

static void
errf(char *err, size_t errsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
errf(char *err, size_t errsz, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

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
 * (PARAM_MAX + 1 bytes).  Returns the decoded length, -1 for a bad
 * %-escape, -2 when the result would be longer than PARAM_MAX.
 */
static int
urldecode(const char *s, size_t len, char *out, size_t *outlen)
{
	size_t	 i, n = 0;
	int	 hi, lo;

	for (i = 0; i < len; i++) {
		if (n == PARAM_MAX)
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

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Hinnant). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t		 era;
	unsigned	 yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int
is_leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* 0, -1 when text is not YYYY-MM-DD or not a calendar date, -2 when out of 1970..9999. */
static int
parse_date(const char *text, int64_t *midnight)
{
	static const unsigned mdays[12] =
	    { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	unsigned	 y = 0, m, d, i, dim;

	if (text == NULL || strlen(text) != 10 ||
	    text[4] != '-' || text[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9'))
			return -1;
	for (i = 0; i < 4; i++)
		y = y * 10 + (unsigned)(text[i] - '0');
	m = (unsigned)(text[5] - '0') * 10 + (unsigned)(text[6] - '0');
	d = (unsigned)(text[8] - '0') * 10 + (unsigned)(text[9] - '0');
	if (m < 1 || m > 12)
		return -1;
	dim = mdays[m - 1] + (m == 2 && is_leap(y));
	if (d < 1 || d > dim)
		return -1;
	if (y < 1970)
		return -2;
	*midnight = days_from_civil(y, m, d) * DAY;
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

static int
parse_days(const char *v, unsigned *out)
{
	unsigned	 n = 0;
	size_t		 i;

	/* Every valid value has one to three digits and no leading zero. */
	if (*v == '0' || *v == '\0' || strlen(v) > 3)
		return -1;
	for (; *v != '\0'; v++) {
		if (*v < '0' || *v > '9')
			return -1;
		n = n * 10 + (unsigned)(*v - '0');
	}
	for (i = 0; i < sizeof(days_allowed) / sizeof(days_allowed[0]); i++)
		if (days_allowed[i] == n) {
			*out = n;
			return 0;
		}
	return -1;
}

/* out is written only on success, so a caller never acts on half a query. */
int
query_parse(const char *qs, struct period *out, char *err, size_t errsz)
{
	char		 val[PARAM__MAX][PARAM_MAX + 1];
	char		 key[PARAM_MAX + 1], e[ECHO_MAX + 4];
	const char	*p, *amp, *eq;
	size_t		 plen, klen, vlen, i;
	int		 seen[PARAM__MAX] = { 0 };
	int		 rc, rcf, rct;
	int64_t		 from, to, span;
	unsigned	 days;

	for (p = qs; p != NULL && *p != '\0'; p = amp == NULL ? NULL : amp + 1) {
		amp = strchr(p, '&');
		plen = amp == NULL ? strlen(p) : (size_t)(amp - p);
		if (plen == 0)
			continue;
		eq = memchr(p, '=', plen);
		klen = eq == NULL ? plen : (size_t)(eq - p);

		if ((rc = urldecode(p, klen, key, &klen)) != 0) {
			echo(e, sizeof(e), p, klen);
			errf(err, errsz, rc == -1 ?
			    "bad %%-escape in parameter \"%s\"" :
			    "parameter name \"%s\" is too long", e);
			return -1;
		}
		for (i = 0; i < PARAM__MAX; i++)
			if (strcmp(key, params[i]) == 0)
				break;
		if (i == PARAM__MAX || strlen(key) != klen) {
			echo(e, sizeof(e), key, klen);
			errf(err, errsz, "unknown parameter \"%s\"", e);
			return -1;
		}
		if (seen[i]) {
			errf(err, errsz, "%s is given more than once",
			    params[i]);
			return -1;
		}
		seen[i] = 1;

		if (eq == NULL)
			val[i][0] = '\0';
		else {
			vlen = plen - (size_t)(eq + 1 - p);
			if ((rc = urldecode(eq + 1, vlen, val[i], &vlen)) != 0) {
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

	if (seen[PARAM_DAYS] && (seen[PARAM_FROM] || seen[PARAM_TO])) {
		errf(err, errsz, "give days or from and to, not both");
		return -1;
	}
	if (seen[PARAM_FROM] != seen[PARAM_TO]) {
		errf(err, errsz, "from and to must be given together");
		return -1;
	}

	if (seen[PARAM_FROM]) {
		rcf = parse_date(val[PARAM_FROM], &from);
		rct = rcf == 0 ? parse_date(val[PARAM_TO], &to) : 0;
		if (rcf != 0 || rct != 0) {
			i = rcf != 0 ? PARAM_FROM : PARAM_TO;
			rc = rcf != 0 ? rcf : rct;
			echo(e, sizeof(e), val[i], strlen(val[i]));
			errf(err, errsz, rc == -2 ?
			    "%s: \"%s\" is before 1970" :
			    "%s: \"%s\" is not a date (YYYY-MM-DD)",
			    params[i], e);
			return -1;
		}
		if (from > to) {
			errf(err, errsz, "from (%s) is after to (%s)",
			    val[PARAM_FROM], val[PARAM_TO]);
			return -1;
		}
		span = (to - from) / DAY + 1;
		if (span > QUERY_DAYS_MAX) {
			errf(err, errsz, "from..to spans %lld days; "
			    "at most %d are allowed", (long long)span,
			    QUERY_DAYS_MAX);
			return -1;
		}
		out->days = 0;
		out->from_day = from;
		out->to_day = to;
		return 0;
	}

	days = 7;
	if (seen[PARAM_DAYS] && parse_days(val[PARAM_DAYS], &days) == -1) {
		errf(err, errsz, "days must be one of 1, 7, 30, 90, 365");
		return -1;
	}
	out->days = days;
	out->from_day = 0;
	out->to_day = 0;
	return 0;
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
	out->how = -1;
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
}
