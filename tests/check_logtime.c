/* check_logtime.c: access-log timestamps as UTC seconds, checked against date(1)'s figures and a day-by-day walk. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logtime.h"
#include "check_suites.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define BAD		INT64_MIN

enum form { CLF, ISO, DT };

/*
 * Expected values from GNU date: date -u -d "2000-10-10 13:55:36 -0700" +%s.
 * DT rows are "date|time" (CloudFront's two fields).
 */
static const struct {
	int		 line;
	enum form	 form;
	const char	*in;
	int64_t		 want;
} rows[] = {
	/* Apache's documentation example, every offset sign and size. */
	{ CASE_LINE, CLF, "10/Oct/2000:13:55:36 -0700", 971211336 },
	{ CASE_LINE, CLF, "10/Oct/2000:20:55:36 +0000", 971211336 },
	{ CASE_LINE, CLF, "10/Oct/2000:20:55:36 -0000", 971211336 },
	{ CASE_LINE, CLF, "29/Feb/2024:12:00:00 +1400", 1709157600 },
	{ CASE_LINE, CLF, "01/Mar/2024:00:30:00 -1200", 1709296200 },
	{ CASE_LINE, CLF, "09/Mar/2024:21:30:01 +0530", 1710000001 },
	{ CASE_LINE, CLF, "09/Mar/2024:21:30:01 -0930", 1710054001 },
	{ CASE_LINE, CLF, "10/Oct/2000:13:55:36 +1800", 971121336 },
	{ CASE_LINE, CLF, "10/Oct/2000:13:55:36 -1800", 971250936 },
	{ CASE_LINE, CLF, "31/Dec/1999:23:59:59 +0000", 946684799 },
	{ CASE_LINE, CLF, "01/Jan/1970:00:00:00 +0000", 0 },
	{ CASE_LINE, CLF, "31/Dec/1969:23:59:59 +0000", -1 },
	{ CASE_LINE, CLF, "01/Jan/1970:01:00:00 +0100", 0 },
	{ CASE_LINE, CLF, "19/Jan/2038:03:14:08 +0000", 2147483648 },
	{ CASE_LINE, CLF, "01/Mar/2100:00:00:00 +0000", 4107542400 },
	{ CASE_LINE, CLF, "31/Dec/9999:23:59:59 +0000", 253402300799 },
	/* A leap second is the next minute's first second. */
	{ CASE_LINE, CLF, "31/Dec/2016:23:59:60 +0000", 1483228800 },
	{ CASE_LINE, CLF, "01/Jan/2017:00:00:00 +0000", 1483228800 },
	/* Every month's name. */
	{ CASE_LINE, CLF, "01/Jan/2000:00:00:00 +0000", 946684800 },
	{ CASE_LINE, CLF, "01/Feb/2000:00:00:00 +0000", 949363200 },
	{ CASE_LINE, CLF, "01/Mar/2000:00:00:00 +0000", 951868800 },
	{ CASE_LINE, CLF, "01/Apr/2000:00:00:00 +0000", 954547200 },
	{ CASE_LINE, CLF, "01/May/2000:00:00:00 +0000", 957139200 },
	{ CASE_LINE, CLF, "01/Jun/2000:00:00:00 +0000", 959817600 },
	{ CASE_LINE, CLF, "01/Jul/2000:00:00:00 +0000", 962409600 },
	{ CASE_LINE, CLF, "01/Aug/2000:00:00:00 +0000", 965088000 },
	{ CASE_LINE, CLF, "01/Sep/2000:00:00:00 +0000", 967766400 },
	{ CASE_LINE, CLF, "01/Oct/2000:00:00:00 +0000", 970358400 },
	{ CASE_LINE, CLF, "01/Nov/2000:00:00:00 +0000", 973036800 },
	{ CASE_LINE, CLF, "01/Dec/2000:00:00:00 +0000", 975628800 },
	{ CASE_LINE, CLF, "29/Feb/2000:00:00:00 +0000", 951782400 },	/* 400-year leap */
	/* Not CLF, or no such time. */
	{ CASE_LINE, CLF, "29/Feb/2023:00:00:00 +0000", BAD },
	{ CASE_LINE, CLF, "29/Feb/1900:00:00:00 +0000", BAD },		/* 100-year rule */
	{ CASE_LINE, CLF, "31/Apr/2024:00:00:00 +0000", BAD },
	{ CASE_LINE, CLF, "00/Jan/2024:00:00:00 +0000", BAD },
	{ CASE_LINE, CLF, "32/Jan/2024:00:00:00 +0000", BAD },
	{ CASE_LINE, CLF, "10/oct/2000:13:55:36 -0700", BAD },
	{ CASE_LINE, CLF, "10/Okt/2000:13:55:36 -0700", BAD },
	{ CASE_LINE, CLF, "10/Oct/2000:24:00:00 -0700", BAD },
	{ CASE_LINE, CLF, "10/Oct/2000:13:60:00 -0700", BAD },
	{ CASE_LINE, CLF, "10/Oct/2000:13:55:61 -0700", BAD },
	{ CASE_LINE, CLF, "10/Oct/2000:13:55:36 -0760", BAD },
	{ CASE_LINE, CLF, "10/Oct/2000:13:55:36 +1801", BAD },
	{ CASE_LINE, CLF, "10/Oct/2000:13:55:36 +2500", BAD },
	{ CASE_LINE, CLF, "10/Oct/2000:13:55:36 0700", BAD },
	{ CASE_LINE, CLF, "10/Oct/2000:13:55:36 *0700", BAD },
	{ CASE_LINE, CLF, "10/Oct/2000:13:55:36 Z0000", BAD },
	{ CASE_LINE, CLF, "10/Oct/2000:13:55:36 -07:0", BAD },
	{ CASE_LINE, CLF, "10/Oct/2000 13:55:36 -0700", BAD },
	{ CASE_LINE, CLF, "10/Oct/2000:13:55:36-07000", BAD },
	{ CASE_LINE, CLF, "1/Oct/2000:13:55:36 -0700 ", BAD },
	{ CASE_LINE, CLF, "10/Oct/2000:13:55:36 -070", BAD },
	{ CASE_LINE, CLF, "10/Oct/2000:13:55:36 -07000", BAD },
	{ CASE_LINE, CLF, "10/Oct/-200:13:55:36 -0700", BAD },
	{ CASE_LINE, CLF, "", BAD },

	/* ALB, Caddy's iso8601 and rfc3339, nginx $time_iso8601. */
	{ CASE_LINE, ISO, "2018-07-02T22:23:00.186641Z", 1530570180 },
	{ CASE_LINE, ISO, "2018-11-30T22:22:48.364000Z", 1543616568 },
	{ CASE_LINE, ISO, "2022-03-09T21:30:01Z", 1646861401 },
	{ CASE_LINE, ISO, "2022-03-09t21:30:01z", 1646861401 },
	{ CASE_LINE, ISO, "2022-03-09 21:30:01Z", 1646861401 },
	{ CASE_LINE, ISO, "2024-03-09T21:30:01+01:00", 1710016201 },
	{ CASE_LINE, ISO, "2024-03-09T21:30:01+0100", 1710016201 },
	{ CASE_LINE, ISO, "2024-03-09T21:30:01+01", 1710016201 },
	{ CASE_LINE, ISO, "2024-03-09T21:30:01.999999999+05:30", 1710000001 },
	{ CASE_LINE, ISO, "2024-03-09T21:30:01,5-09:30", 1710054001 },
	{ CASE_LINE, ISO, "2024-02-29T12:00:00+14:00", 1709157600 },
	{ CASE_LINE, ISO, "2024-03-01T00:30:00-12:00", 1709296200 },
	{ CASE_LINE, ISO, "1969-12-31T23:59:59.5Z", -1 },
	{ CASE_LINE, ISO, "2016-12-31T23:59:60Z", 1483228800 },
	{ CASE_LINE, ISO, "2022-03-09T21:30:01", BAD },		/* local time: which? */
	{ CASE_LINE, ISO, "2022-03-09T21:30:01.Z", BAD },
	{ CASE_LINE, ISO, "2022-03-09T21:30:01.123", BAD },
	{ CASE_LINE, ISO, "2022-03-09T21:30:01ZZ", BAD },
	{ CASE_LINE, ISO, "2022-03-09T21:30:01+1", BAD },
	{ CASE_LINE, ISO, "2022-03-09T21:30:01+01:0", BAD },
	{ CASE_LINE, ISO, "2022-03-09T21:30:01+01:60", BAD },
	{ CASE_LINE, ISO, "2022-03-09T21:30:01+19:00", BAD },
	{ CASE_LINE, ISO, "2022-03-09T21:30:01 +01:00", BAD },
	{ CASE_LINE, ISO, "2022-03-09X21:30:01Z", BAD },
	{ CASE_LINE, ISO, "2022-3-09T21:30:01Z", BAD },
	{ CASE_LINE, ISO, "2022-13-09T21:30:01Z", BAD },
	{ CASE_LINE, ISO, "2022-02-30T21:30:01Z", BAD },
	{ CASE_LINE, ISO, "2022-03-09T21:30Z", BAD },
	{ CASE_LINE, ISO, "2022-03-09", BAD },
	{ CASE_LINE, ISO, "", BAD },

	/* CloudFront: date and time fields, UTC by definition. */
	{ CASE_LINE, DT, "2019-12-04|21:02:31", 1575493351 },
	{ CASE_LINE, DT, "2019-12-04|21:02:31.123", 1575493351 },
	{ CASE_LINE, DT, "2019-12-04|21:02:31Z", BAD },
	{ CASE_LINE, DT, "2019-12-04|21:02", BAD },
	{ CASE_LINE, DT, "2019-12-32|21:02:31", BAD },
	{ CASE_LINE, DT, "2019/12/04|21:02:31", BAD },
	{ CASE_LINE, DT, "2019-12-04|", BAD },
};

START_TEST(table)
{
	const char	*in = rows[_i].in, *bar;
	int64_t		 got = 12345;
	int		 rc;

	switch (rows[_i].form) {
	case CLF:
		rc = logtime_clf(in, strlen(in), &got);
		break;
	case ISO:
		rc = logtime_iso8601(in, strlen(in), &got);
		break;
	default:
		bar = strchr(in, '|');
		ck_assert(bar != NULL);
		rc = logtime_date_time_utc(in, (size_t)(bar - in), bar + 1,
		    strlen(bar + 1), &got);
		break;
	}
	if (rows[_i].want == BAD) {
		ck_assert_msg(rc == -1, "line %d: \"%s\" taken as %lld", rows[_i].line,
		    in, (long long)got);
		ck_assert_msg(got == 12345, "line %d: out written on failure", rows[_i].line);
	} else {
		ck_assert_msg(rc == 0, "line %d: \"%s\" refused", rows[_i].line, in);
		ck_assert_msg(got == rows[_i].want, "line %d: \"%s\" gave %lld, want %lld",
		    rows[_i].line, in, (long long)got, (long long)rows[_i].want);
	}
}
END_TEST

/* The text is not NUL-terminated where it ends: nothing past len is read. */
START_TEST(lengths_respected)
{
	const char	 clf[] = "10/Oct/2000:13:55:36 -0700]junk";
	const char	 iso[] = "2018-07-02T22:23:00.186641Z\" \"more";
	int64_t		 t;

	ck_assert_int_eq(logtime_clf(clf, LOGTIME_CLF_LEN, &t), 0);
	ck_assert_int_eq(t, 971211336);
	ck_assert_int_eq(logtime_clf(clf, LOGTIME_CLF_LEN + 1, &t), -1);
	ck_assert_int_eq(logtime_iso8601(iso, 27, &t), 0);
	ck_assert_int_eq(t, 1530570180);
	ck_assert_int_eq(logtime_iso8601(iso, 28, &t), -1);
	ck_assert_int_eq(logtime_iso8601(iso, 26, &t), -1);	/* the Z cut off: no zone */
}
END_TEST


/* The result never depends on the process's time zone: no mktime, no TZ. */
START_TEST(no_time_zone)
{
	int64_t	 a, b;

	setenv("TZ", "America/Los_Angeles", 1);
	ck_assert_int_eq(logtime_clf("10/Oct/2000:13:55:36 -0700", LOGTIME_CLF_LEN, &a), 0);
	setenv("TZ", "Pacific/Kiritimati", 1);
	ck_assert_int_eq(logtime_clf("10/Oct/2000:13:55:36 -0700", LOGTIME_CLF_LEN, &b), 0);
	unsetenv("TZ");
	ck_assert_int_eq(a, 971211336);
	ck_assert_int_eq(b, a);
}
END_TEST

static const struct {
	int	 line;
	double	 in;
	int64_t	 want;
} epochs[] = {
	{ CASE_LINE, 1646861401.5241024, 1646861401 },		/* Caddy's default, seconds */
	{ CASE_LINE, 1646861401524.1024, 1646861401 },		/* unix_milli_float */
	{ CASE_LINE, 1646861401524102400.0, 1646861401 },	/* unix_nano */
	{ CASE_LINE, 0.0, 0 },
	{ CASE_LINE, 99999999999.9, 99999999999 },		/* just below 1e11: seconds */
	{ CASE_LINE, -1.0, BAD },
	{ CASE_LINE, 1e21, BAD },
};

START_TEST(epoch)
{
	int64_t	 got = 7;
	int	 rc = logtime_epoch(epochs[_i].in, &got);

	if (epochs[_i].want == BAD)
		ck_assert_msg(rc == -1 && got == 7, "line %d: taken", epochs[_i].line);
	else
		ck_assert_msg(rc == 0 && got == epochs[_i].want, "line %d: rc %d got %lld",
		    epochs[_i].line, rc, (long long)got);
}
END_TEST

START_TEST(epoch_not_finite)
{
	int64_t	 t;

	ck_assert_int_eq(logtime_epoch(NAN, &t), -1);
	ck_assert_int_eq(logtime_epoch(INFINITY, &t), -1);
	ck_assert_int_eq(logtime_epoch(-INFINITY, &t), -1);
}
END_TEST

Suite *
logtime_suite(void)
{
	Suite	*s = suite_create("logtime");
	TCase	*tc;

	tc = tcase_create("forms");
	tcase_add_loop_test(tc, table, 0, NELEM(rows));
	tcase_add_loop_test(tc, epoch, 0, NELEM(epochs));
	tcase_add_test(tc, no_time_zone);
	suite_add_tcase(s, tc);
	tc = tcase_create("calendar");
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, lengths_respected);
	tcase_add_test(tc, epoch_not_finite);
	suite_add_tcase(s, tc);
	return s;
}
