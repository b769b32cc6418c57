/* logtime.h: access-log timestamps as UTC seconds, with no time zone database (pure). */
#ifndef DUALSTAT_LOGTIME_H
#define DUALSTAT_LOGTIME_H

#include <stddef.h>
#include <stdint.h>

/*
 * Every function here reads the UTC offset from the text itself and does
 * the calendar arithmetic alone (proleptic Gregorian, days from civil):
 * no mktime(3), no TZ, no DST rules, so a log imports the same on any
 * machine.  Seconds are floored (fractions dropped); a leap second ":60"
 * counts as the first second of the next minute.  Offsets up to ±18:00
 * are taken (+14:00 is the largest in use), minutes below 60.
 * Each returns 0 and sets *out, or -1 when the text is not that form or
 * names a date that does not exist (31 April, 29 February 2023).
 */

/*
 * Common Log Format, Apache %t, nginx $time_local, lighttpd %t, without
 * the brackets: exactly "10/Oct/2000:13:55:36 -0700" (26 bytes; English
 * month abbreviations as the C locale writes them).
 */
#define LOGTIME_CLF_LEN	26
int	 logtime_clf(const char *text, size_t len, int64_t *out);

/*
 * ISO 8601 / RFC 3339 date and time with a zone: "2018-07-02T22:23:00.186641Z",
 * "2024-03-09T21:30:01+01:00", "...+0100", "...-05"; 'T', 't' or one space
 * between date and time.  A time without a zone is local time somewhere
 * unknown: refused.
 */
int	 logtime_iso8601(const char *text, size_t len, int64_t *out);

/* A date "2019-12-04" and a time "21:02:31[.frac]" that are UTC by definition (W3C logs). */
int	 logtime_date_time_utc(const char *date, size_t dlen, const char *time,
	    size_t tlen, int64_t *out);

/*
 * Seconds since the epoch as a number (Caddy's "ts": 1646861401.5241024).
 * Caddy's time_format can also write milliseconds or nanoseconds: a value
 * of 1e11 or more (past the year 5000 in seconds) is divided by 1000 until
 * it is not (milliseconds, microseconds, nanoseconds).  NaN, infinities,
 * negatives and values too large even as nanoseconds: -1.
 */
int	 logtime_epoch(double seconds, int64_t *out);

#endif
