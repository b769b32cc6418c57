/* utc.c: the calendar in UTC: days from a date, whether a date exists, and times written out (pure). */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "utc.h"

/*
 * Howard Hinnant's days_from_civil ("chrono-Compatible Low-Level Date
 * Algorithms", public domain): eras of 400 years, March-based years so the
 * leap day falls at the end.  Exact for every year an int64 can hold here.
 */
int64_t
utc_days(int64_t y, unsigned m, unsigned d)
{
	int64_t		 era;
	unsigned	 yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);			/* [0, 399] */
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;	/* [0, 365] */
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;		/* [0, 146096] */
	return era * 146097 + (int64_t)doe - 719468;
}

bool
utc_date_ok(int64_t y, unsigned m, unsigned d)
{
	static const unsigned char	 dim[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	bool	 leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12 || d < 1)
		return false;
	return d <= (unsigned)dim[m - 1] + (unsigned)(m == 2 && leap);
}

/* One strftime(3) per form, each with a literal format the compiler checks. */
static size_t
format_tm(char *out, size_t sz, const struct tm *tm, enum utc_form form)
{
	switch (form) {
	case UTC_ISO:
		return strftime(out, sz, "%Y-%m-%dT%H:%M:%SZ", tm);
	case UTC_DAY:
		return strftime(out, sz, "%Y-%m-%d", tm);
	case UTC_MINUTE:
		return strftime(out, sz, "%Y-%m-%d %H:%M", tm);
	case UTC_SHORT:
		return strftime(out, sz, "%m-%d %H:%M", tm);
	default:
		return 0;
	}
}

void
utc_format(char *out, size_t sz, int64_t t, enum utc_form form)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	if (sz == 0)
		return;
	if (gmtime_r(&tt, &tm) == NULL || format_tm(out, sz, &tm, form) == 0)
		snprintf(out, sz, "%" PRId64, t);
}
