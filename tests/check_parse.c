/* check_parse.c: the readers every parser shares: num (decimal), utf8 (well-formed UTF-8), utc (the calendar), text (inert text). */
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "num.h"
#include "text.h"
#include "utc.h"
#include "utf8.h"
#include "check_suites.h"

#define N(a)	((int)(sizeof(a) / sizeof((a)[0])))

/* ---- num */

static const struct {
	int		 line;
	const char	*s;
	uint64_t	 max;
	int		 flags;
	int		 rc;
	uint64_t	 v;
} num_rows[] = {
	{ CASE_LINE, "0", 10, 0, 0, 0 },
	{ CASE_LINE, "7", 10, 0, 0, 7 },
	{ CASE_LINE, "10", 10, 0, 0, 10 },
	{ CASE_LINE, "11", 10, 0, -1, 0 },
	{ CASE_LINE, "007", 10, 0, 0, 7 },
	{ CASE_LINE, "007", 10, NUM_NO_LEADING_ZERO, -1, 0 },
	{ CASE_LINE, "0", 10, NUM_NO_LEADING_ZERO, 0, 0 },
	{ CASE_LINE, "", 10, 0, -1, 0 },
	{ CASE_LINE, "-1", 10, 0, -1, 0 },
	{ CASE_LINE, "+1", 10, 0, -1, 0 },
	{ CASE_LINE, " 1", 10, 0, -1, 0 },
	{ CASE_LINE, "1 ", 10, 0, -1, 0 },
	{ CASE_LINE, "0x1", 10, 0, -1, 0 },
	{ CASE_LINE, "1e3", 10000, 0, -1, 0 },
	{ CASE_LINE, "65535", 65535, 0, 0, 65535 },
	{ CASE_LINE, "65536", 65535, 0, -1, 0 },
	{ CASE_LINE, "4294967295", UINT32_MAX, 0, 0, UINT32_MAX },
	{ CASE_LINE, "4294967296", UINT32_MAX, 0, -1, 0 },
	{ CASE_LINE, "18446744073709551615", UINT64_MAX, 0, 0, UINT64_MAX },
	/* One past UINT64_MAX and far past it: refused, never wrapped. */
	{ CASE_LINE, "18446744073709551616", UINT64_MAX, 0, -1, 0 },
	{ CASE_LINE, "99999999999999999999999", UINT64_MAX, 0, -1, 0 },
	{ CASE_LINE, "5", 0, 0, -1, 0 },
	{ CASE_LINE, "0", 0, 0, 0, 0 },
};

START_TEST(test_num)
{
	uint64_t	 v = 12345;
	int		 rc;

	rc = num_parse_str(num_rows[_i].s, num_rows[_i].max, num_rows[_i].flags, &v);
	ck_assert_msg(rc == num_rows[_i].rc, "line %d: rc %d", num_rows[_i].line, rc);
	if (rc == 0)
		ck_assert_msg(v == num_rows[_i].v, "line %d: %ju",
		    num_rows[_i].line, (uintmax_t)v);
	else
		ck_assert_msg(v == 12345, "line %d: *out written on failure",
		    num_rows[_i].line);
}
END_TEST

/* The length decides, not a NUL: digits followed by more text, or a NUL inside. */
START_TEST(test_num_len)
{
	uint64_t	 v;

	ck_assert_int_eq(num_parse("123abc", 3, 1000, 0, &v), 0);
	ck_assert_uint_eq(v, 123);
	ck_assert_int_eq(num_parse("12\0003", 4, 100000, 0, &v), -1);
	ck_assert_int_eq(num_parse("123", 0, 1000, 0, &v), -1);
	ck_assert_int_eq(num_parse(NULL, 3, 1000, 0, &v), -1);
	ck_assert_int_eq(num_parse_str(NULL, 1000, 0, &v), -1);
}
END_TEST

/* ---- utf8 */

static const struct {
	int		 line;
	const char	*s;
	size_t		 seq;	/* utf8_seq of the first character */
	size_t		 bad;	/* its maximal subpart when seq is 0 */
} utf8_rows[] = {
	{ CASE_LINE, "a", 1, 0 },
	{ CASE_LINE, "\xc3\xa9", 2, 0 },		/* é */
	{ CASE_LINE, "\xe2\x82\xac", 3, 0 },		/* € */
	{ CASE_LINE, "\xf0\x9f\x98\x80", 4, 0 },	/* U+1F600 */
	{ CASE_LINE, "\xf4\x8f\xbf\xbf", 4, 0 },	/* U+10FFFF, the last */
	{ CASE_LINE, "\xf4\x90\x80\x80", 0, 1 },	/* U+110000 */
	{ CASE_LINE, "\xc0\xaf", 0, 1 },		/* overlong / */
	{ CASE_LINE, "\xc1\xbf", 0, 1 },
	{ CASE_LINE, "\xe0\x80\xaf", 0, 1 },		/* overlong, three bytes */
	{ CASE_LINE, "\xe0\xa0\x80", 3, 0 },		/* U+0800, the first */
	{ CASE_LINE, "\xed\xa0\x80", 0, 1 },		/* U+D800, a surrogate */
	{ CASE_LINE, "\xed\x9f\xbf", 3, 0 },		/* U+D7FF */
	{ CASE_LINE, "\xf0\x8f\xbf\xbf", 0, 1 },	/* overlong, four bytes */
	{ CASE_LINE, "\xf5\x80\x80\x80", 0, 1 },
	{ CASE_LINE, "\xff", 0, 1 },
	{ CASE_LINE, "\x80", 0, 1 },			/* a lone continuation */
	{ CASE_LINE, "\xe2\x82", 0, 2 },		/* cut at the NUL */
	{ CASE_LINE, "\xe2\x82z", 0, 2 },
	{ CASE_LINE, "\xf0\x9f\x98", 0, 3 },
};

START_TEST(test_utf8_seq)
{
	size_t	 bad = 99, n;

	n = utf8_seq((const unsigned char *)utf8_rows[_i].s, &bad);
	ck_assert_msg(n == utf8_rows[_i].seq, "line %d: %zu", utf8_rows[_i].line, n);
	if (n == 0)
		ck_assert_msg(bad == utf8_rows[_i].bad, "line %d: bad %zu",
		    utf8_rows[_i].line, bad);
	ck_assert_msg(utf8_valid(utf8_rows[_i].s) == (n == strlen(utf8_rows[_i].s)),
	    "line %d: utf8_valid", utf8_rows[_i].line);
}
END_TEST

START_TEST(test_utf8_cut)
{
	const char	*s = "a\xc3\xa9\xe2\x82\xac";	/* a é € */

	ck_assert(utf8_valid(""));
	ck_assert(utf8_valid("plain ASCII ~"));
	ck_assert(!utf8_valid("ok \xc3 then"));
	ck_assert_uint_eq(utf8_cut(s, 0), 0);
	ck_assert_uint_eq(utf8_cut(s, 1), 1);
	ck_assert_uint_eq(utf8_cut(s, 2), 1);	/* inside é */
	ck_assert_uint_eq(utf8_cut(s, 3), 3);
	ck_assert_uint_eq(utf8_cut(s, 4), 3);	/* inside € */
	ck_assert_uint_eq(utf8_cut(s, 5), 3);
	ck_assert_uint_eq(utf8_cut(s, 6), 6);
}
END_TEST

/* ---- utc */

static const struct {
	int		 line;
	int64_t		 y;
	unsigned	 m, d;
	int64_t		 days;
} days_rows[] = {
	{ CASE_LINE, 1970, 1, 1, 0 },
	{ CASE_LINE, 1969, 12, 31, -1 },
	{ CASE_LINE, 2000, 2, 29, 11016 },
	{ CASE_LINE, 2000, 3, 1, 11017 },
	{ CASE_LINE, 2026, 12, 3, 20790 },
	{ CASE_LINE, 1900, 3, 1, -25508 },	/* 1900 was no leap year */
	{ CASE_LINE, 1600, 1, 1, -135140 },
	{ CASE_LINE, 9999, 12, 31, 2932896 },
};

START_TEST(test_utc_days)
{
	int64_t	 d;

	d = utc_days(days_rows[_i].y, days_rows[_i].m, days_rows[_i].d);
	ck_assert_msg(d == days_rows[_i].days, "line %d: %jd", days_rows[_i].line, (intmax_t)d);
}
END_TEST

static unsigned
month_days(int64_t y, unsigned m)
{
	static const unsigned	 dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return dim[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

/* utc_days and utc_date_ok: walk every day from 1970 to 2400 and back to 1600, counting: the formula agrees with the count. */
START_TEST(days_walk)
{
	int64_t		 y, n;
	unsigned	 m, d;

	for (n = 0, y = 1970, m = 1, d = 1; y < 2400; n++) {
		ck_assert_msg(utc_days(y, m, d) == n,
		    "%lld-%02u-%02u: %lld, want %lld", (long long)y, m, d,
		    (long long)utc_days(y, m, d), (long long)n);
		ck_assert(utc_date_ok(y, m, d));
		if (++d > month_days(y, m)) {
			ck_assert_msg(!utc_date_ok(y, m, d), "%lld-%02u-%02u", (long long)y, m, d);
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	for (n = -1, y = 1969, m = 12, d = 31; y >= 1600; n--) {
		ck_assert_msg(utc_days(y, m, d) == n,
		    "%lld-%02u-%02u: %lld, want %lld", (long long)y, m, d,
		    (long long)utc_days(y, m, d), (long long)n);
		if (--d == 0) {
			if (--m == 0) {
				m = 12;
				y--;
			}
			d = month_days(y, m);
		}
	}
}
END_TEST

START_TEST(test_utc_date_ok)
{
	ck_assert(utc_date_ok(2024, 2, 29));
	ck_assert(!utc_date_ok(2023, 2, 29));
	ck_assert(utc_date_ok(2000, 2, 29));
	ck_assert(!utc_date_ok(1900, 2, 29));
	ck_assert(!utc_date_ok(2026, 4, 31));
	ck_assert(utc_date_ok(2026, 12, 31));
	ck_assert(!utc_date_ok(2026, 13, 1));
	ck_assert(!utc_date_ok(2026, 0, 1));
	ck_assert(!utc_date_ok(2026, 1, 0));
	ck_assert(!utc_date_ok(2026, 1, 32));
}
END_TEST

START_TEST(test_utc_format)
{
	char	 s[32];
	int64_t	 t = 20790 * 86400LL + 14 * 3600 + 5 * 60 + 9;	/* 2026-12-03 14:05:09 */

	utc_format(s, sizeof(s), t, UTC_ISO);
	ck_assert_str_eq(s, "2026-12-03T14:05:09Z");
	utc_format(s, sizeof(s), t, UTC_DAY);
	ck_assert_str_eq(s, "2026-12-03");
	utc_format(s, sizeof(s), t, UTC_MINUTE);
	ck_assert_str_eq(s, "2026-12-03 14:05");
	utc_format(s, sizeof(s), t, UTC_SHORT);
	ck_assert_str_eq(s, "12-03 14:05");
	utc_format(s, sizeof(s), 0, UTC_ISO);
	ck_assert_str_eq(s, "1970-01-01T00:00:00Z");
	/* Too small for the form: the bare number, cut to fit, never a half date. */
	utc_format(s, 8, t, UTC_ISO);
	ck_assert_str_eq(s, "1796306");
	/* A form that does not exist: the number. */
	utc_format(s, sizeof(s), 5, UTC__MAX);
	ck_assert_str_eq(s, "5");
}
END_TEST

/* ---- text */

START_TEST(test_text_put)
{
	struct buf	 b = { 0 };

	text_put(&b, "ok\x1b[31m red\r\nnext\x7f\tend \xc3\xa9");
	buf_putc(&b, '\0');
	ck_assert(!b.failed);
	ck_assert_str_eq(b.data, "ok?[31m red??next??end \xc3\xa9");
	buf_free(&b);
}
END_TEST

static const struct {
	int		 line;
	const char	*s;
	size_t		 max;
	const char	*out;
} echo_rows[] = {
	{ CASE_LINE, "short", 10, "short" },
	{ CASE_LINE, "exactly10!", 10, "exactly10!" },
	{ CASE_LINE, "eleven char", 10, "eleven cha..." },
	{ CASE_LINE, "a\nb", 10, "a?b" },
	{ CASE_LINE, "\x1b]0;x\x07", 10, "?]0;x?" },
	{ CASE_LINE, "bad \xff byte", 20, "bad ? byte" },
	{ CASE_LINE, "half \xe2\x82", 20, "half ??" },
	/* é would straddle the limit: cut before it, never in it. */
	{ CASE_LINE, "abcdefghi\xc3\xa9", 10, "abcdefghi..." },
	{ CASE_LINE, "abcdefgh\xc3\xa9", 10, "abcdefgh\xc3\xa9" },
	{ CASE_LINE, "", 10, "" },
};

START_TEST(test_text_echo)
{
	char	 out[64];

	text_echo(out, sizeof(out), echo_rows[_i].s, strlen(echo_rows[_i].s), echo_rows[_i].max);
	ck_assert_msg(strcmp(out, echo_rows[_i].out) == 0, "line %d: \"%s\"",
	    echo_rows[_i].line, out);
	ck_assert_msg(utf8_valid(out), "line %d: not UTF-8", echo_rows[_i].line);
}
END_TEST

/* The destination bounds the copy whatever max says; a NUL inside the length is a '?'. */
START_TEST(test_text_echo_limits)
{
	char	 out[8];

	memset(out, 'x', sizeof(out));
	text_echo(out, sizeof(out), "0123456789", 10, 100);
	ck_assert_str_eq(out, "0123...");
	text_echo(out, sizeof(out), "a\0b", 3, 100);
	ck_assert_str_eq(out, "a?b");
	memset(out, 'x', sizeof(out));
	text_echo(out, 3, "abc", 3, 10);	/* too small to say anything: untouched */
	ck_assert_int_eq(out[0], 'x');
}
END_TEST

Suite *
parse_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("parse");
	tc = tcase_create("core");
	tcase_add_loop_test(tc, test_num, 0, N(num_rows));
	tcase_add_loop_test(tc, test_utf8_seq, 0, N(utf8_rows));
	tcase_add_test(tc, test_utf8_cut);
	tcase_add_loop_test(tc, test_utc_days, 0, N(days_rows));
	tcase_add_test(tc, test_utc_date_ok);
	tcase_add_test(tc, days_walk);
	tcase_add_test(tc, test_utc_format);
	tcase_add_test(tc, test_text_put);
	tcase_add_loop_test(tc, test_text_echo, 0, N(echo_rows));
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, test_num_len);
	tcase_add_test(tc, test_text_echo_limits);
	suite_add_tcase(s, tc);
	return s;
}
