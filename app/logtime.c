/* logtime.c: access-log timestamps as UTC seconds, with no time zone database (pure). */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "logtime.h"
#include "utc.h"

/* Largest UTC offset taken, in minutes: ±18:00, as RFC 3339 parsers commonly allow. */
#define OFFSET_MAX_MIN	(18 * 60)

/* n decimal digits at s; -1 when one is not a digit. */
static int
digits(const char *s, unsigned n)
{
	int	 v = 0;

	while (n-- > 0) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

/* "Jan".."Dec", case as strftime's C locale writes them; 0 when none. */
static unsigned
month_abbr(const char *s)
{
	static const char	 names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	unsigned		 i;

	for (i = 0; i < 12; i++)
		if (memcmp(names + 3 * i, s, 3) == 0)
			return i + 1;
	return 0;
}

static int
combine(int64_t y, unsigned mo, unsigned d, int h, int mi, int s,
    int offset_min, int64_t *out)
{
	if (!utc_date_ok(y, mo, d) || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    s < 0 || s > 60)
		return -1;
	*out = utc_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + s -
	    (int64_t)offset_min * 60;
	return 0;
}

/* "+hhmm", "-hh:mm", "+hh" or "Z" filling the whole of [s, end); minutes east of UTC. */
static int
zone(const char *s, const char *end, int *offset_min)
{
	size_t	 n = (size_t)(end - s);
	int	 sign, hh, mm = 0;

	if (n == 1 && (*s == 'Z' || *s == 'z')) {
		*offset_min = 0;
		return 0;
	}
	if (n < 3 || (*s != '+' && *s != '-'))
		return -1;
	sign = *s == '-' ? -1 : 1;
	if ((hh = digits(s + 1, 2)) < 0)
		return -1;
	if (n == 6 && s[3] == ':')
		mm = digits(s + 4, 2);
	else if (n == 5)
		mm = digits(s + 3, 2);
	else if (n != 3)
		return -1;
	if (mm < 0 || mm > 59 || hh * 60 + mm > OFFSET_MAX_MIN)
		return -1;
	*offset_min = sign * (hh * 60 + mm);
	return 0;
}

int
logtime_clf(const char *t, size_t len, int64_t *out)
{
	int	 d, y, h, mi, s, off;
	unsigned mo;

	/* 0         1         2      */
	/* 01234567890123456789012345 */
	/* 10/Oct/2000:13:55:36 -0700 */
	if (len != LOGTIME_CLF_LEN || t[2] != '/' || t[6] != '/' || t[11] != ':' ||
	    t[14] != ':' || t[17] != ':' || t[20] != ' ')
		return -1;
	if ((d = digits(t, 2)) < 0 || (mo = month_abbr(t + 3)) == 0 ||
	    (y = digits(t + 7, 4)) < 0 || (h = digits(t + 12, 2)) < 0 ||
	    (mi = digits(t + 15, 2)) < 0 || (s = digits(t + 18, 2)) < 0 ||
	    zone(t + 21, t + 26, &off) != 0)
		return -1;
	return combine(y, mo, (unsigned)d, h, mi, s, off, out);
}

/* "2019-12-04" */
static int
ymd(const char *t, size_t len, int *y, unsigned *mo, unsigned *d)
{
	int	 m, dd;

	if (len != 10 || t[4] != '-' || t[7] != '-')
		return -1;
	if ((*y = digits(t, 4)) < 0 || (m = digits(t + 5, 2)) < 0 ||
	    (dd = digits(t + 8, 2)) < 0)
		return -1;
	*mo = (unsigned)m;
	*d = (unsigned)dd;
	return 0;
}

/* "21:02:31", then an optional fraction; returns the bytes read, or -1. */
static int
hms(const char *t, const char *end, int *h, int *mi, int *s)
{
	const char	*p;

	if (end - t < 8 || t[2] != ':' || t[5] != ':')
		return -1;
	if ((*h = digits(t, 2)) < 0 || (*mi = digits(t + 3, 2)) < 0 ||
	    (*s = digits(t + 6, 2)) < 0)
		return -1;
	p = t + 8;
	if (p < end && (*p == '.' || *p == ',')) {
		/* ISO 8601 §4.2.2.4: a decimal fraction, comma or full stop, one digit at least. */
		if (++p == end || *p < '0' || *p > '9')
			return -1;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	return (int)(p - t);
}

int
logtime_iso8601(const char *t, size_t len, int64_t *out)
{
	const char	*end = t + len;
	int		 y, h, mi, s, n, off;
	unsigned	 mo, d;

	if (len < 20 || ymd(t, 10, &y, &mo, &d) != 0)
		return -1;
	if (t[10] != 'T' && t[10] != 't' && t[10] != ' ')
		return -1;
	if ((n = hms(t + 11, end, &h, &mi, &s)) < 0 ||
	    zone(t + 11 + n, end, &off) != 0)
		return -1;
	return combine(y, mo, d, h, mi, s, off, out);
}

int
logtime_date_time_utc(const char *date, size_t dlen, const char *time,
    size_t tlen, int64_t *out)
{
	int		 y, h, mi, s, n;
	unsigned	 mo, d;

	if (ymd(date, dlen, &y, &mo, &d) != 0 ||
	    (n = hms(time, time + tlen, &h, &mi, &s)) < 0 || (size_t)n != tlen)
		return -1;
	return combine(y, mo, d, h, mi, s, 0, out);
}

int
logtime_epoch(double v, int64_t *out)
{
	/* 1e11 s is the year 5138: past it the number is in a finer unit. */
	static const double	 limit = 1e11;

	if (!isfinite(v) || v < 0)
		return -1;
	if (v >= limit)
		v /= 1e3;		/* unix_milli_float */
	if (v >= limit)
		v /= 1e3;		/* microseconds */
	if (v >= limit)
		v /= 1e3;		/* unix_nano */
	if (v >= limit)
		return -1;
	*out = (int64_t)floor(v);
	return 0;
}
