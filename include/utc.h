/* utc.h: the calendar in UTC: days from a date, whether a date exists, and times written out (pure). */
#ifndef DUALSTAT_UTC_H
#define DUALSTAT_UTC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Proleptic Gregorian, with no time zone database: no mktime(3), no TZ,
 * so the same text is the same second on every machine.
 */

/* Days from 1970-01-01 to y-m-d (negative before it); m 1..12, d 1..31 unchecked. */
int64_t	 utc_days(int64_t y, unsigned m, unsigned d);
/* Whether y-m-d is a day of the calendar (not 31 April, not 29 February 2023). */
bool	 utc_date_ok(int64_t y, unsigned m, unsigned d);

/* How a second is written. */
enum utc_form {
	UTC_ISO,	/* "2026-12-03T14:05:09Z" (RFC 3339) */
	UTC_DAY,	/* "2026-12-03" */
	UTC_MINUTE,	/* "2026-12-03 14:05" */
	UTC_SHORT,	/* "12-03 14:05" */
	UTC__MAX
};

/*
 * t (seconds since the epoch) in out; the bare number when the calendar
 * cannot say (gmtime fails) or out is too small for the form.
 */
void	 utc_format(char *out, size_t sz, int64_t t, enum utc_form);

#endif
