/* check_query.c: report parameters (?days=, ?from=&to=, ?host=, ?how=, ?table=) and the periods they turn into. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check_suites.h"

/* report.c's table names, in order: what an unknown table's message lists. */
#define TABLE_NAMES	"series, kinds, prefixes, unique, hosts, listeners, hows, " \
			"summary, readiness, readiness_arrival, readiness_back, " \
			"readiness_lost, readiness_series, nodes"
#include "query.h"

/* Epoch seconds of some UTC instants the tests use. */
#define T_2026_01_01	INT64_C(1767225600)
#define T_2026_01_31	INT64_C(1769817600)
#define T_2026_11_20	INT64_C(1795132800)
#define T_2026_11_25_14	INT64_C(1795615200)	/* 14:00:00 */
#define T_2026_11_26	INT64_C(1795651200)
#define T_2026_11_26_13	INT64_C(1795698000)	/* 13:00:00 */
#define T_2026_11_26_14	INT64_C(1795701600)	/* 14:00:00 */
#define T_2026_11_27	INT64_C(1795737600)
#define NOW		INT64_C(1795700710)	/* 2026-11-26T13:45:10Z */

/* A period the parser must overwrite, so that "unchanged" can not pass. */
static const struct period poison = { 12345, 1, 2, "poison", 2, TABLE_SUMMARY, "poison" };

START_TEST(test_days_valid)
{
	static const struct {
		int		 line;
		const char	*qs;
		unsigned	 want;
	} rows[] = {
		{ CASE_LINE, "days=1", 1 },
		{ CASE_LINE, "days=7", 7 },
		{ CASE_LINE, "days=30", 30 },
		{ CASE_LINE, "days=90", 90 },
		{ CASE_LINE, "days=365", 365 },
		{ CASE_LINE, "&days=30&", 30 },
	};
	struct period	 p;
	char		 err[QUERY_ERR_MAX] = "";
	size_t		 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		p = poison;
		ck_assert_msg(query_parse(rows[i].qs, &p, err,
		    sizeof(err)) == 0, "line %d: %s", rows[i].line, err);
		ck_assert_msg(p.days == rows[i].want && p.from_day == 0 &&
		    p.to_day == 0, "line %d: days %u from %lld to %lld",
		    rows[i].line, p.days, (long long)p.from_day,
		    (long long)p.to_day);
	}
}
END_TEST

START_TEST(test_days_invalid)
{
	static const struct {
		int		 line;
		const char	*qs;
	} rows[] = {
		{ CASE_LINE, "days=0" },
		{ CASE_LINE, "days=2" },
		{ CASE_LINE, "days=-1" },
		{ CASE_LINE, "days=7x" },
		{ CASE_LINE, "days=" },
		{ CASE_LINE, "days" },
		{ CASE_LINE, "days=99999999999999999999" },
		{ CASE_LINE, "days=4294967303" },	/* 7 modulo 2^32 */
		{ CASE_LINE, "days=07" },
		{ CASE_LINE, "days=+7" },
		{ CASE_LINE, "days=%207" },
		{ CASE_LINE, "days=7+" },
		{ CASE_LINE, "days=7.0" },
		{ CASE_LINE, "days=1e1" },
		{ CASE_LINE, "days=366" },
		{ CASE_LINE, "days=3650" },
	};
	struct period	 p;
	char		 err[QUERY_ERR_MAX];
	size_t		 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		p = poison;
		err[0] = '\0';
		ck_assert_msg(query_parse(rows[i].qs, &p, err,
		    sizeof(err)) == -1, "line %d: accepted", rows[i].line);
		ck_assert_msg(strcmp(err,
		    "days must be one of 1, 7, 30, 90, 365") == 0,
		    "line %d: %s", rows[i].line, err);
		ck_assert_msg(p.days == poison.days, "line %d: out written",
		    rows[i].line);
	}
}
END_TEST

/* No period at all means the last seven days. */
START_TEST(test_default_period)
{
	static const char *const qs[] = { NULL, "", "&", "&&", "&&&&" };
	struct period	 p;
	char		 err[QUERY_ERR_MAX] = "";
	size_t		 i;

	for (i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		p = poison;
		ck_assert_msg(query_parse(qs[i], &p, err, sizeof(err)) == 0,
		    "row %zu: %s", i, err);
		ck_assert_msg(p.days == 7 && p.from_day == 0 && p.to_day == 0,
		    "row %zu: days %u", i, p.days);
		/* No filter: every host, every way. */
		ck_assert_msg(p.host[0] == '\0' && p.how == -1,
		    "row %zu: host \"%s\" how %d", i, p.host, p.how);
	}
}
END_TEST

START_TEST(test_date_valid)
{
	static const struct {
		int		 line;
		const char	*text;
		int64_t		 want;
	} rows[] = {
		{ CASE_LINE, "1970-01-01", 0 },
		{ CASE_LINE, "1970-01-02", 86400 },
		{ CASE_LINE, "2000-02-29", INT64_C(951782400) },
		{ CASE_LINE, "2016-12-31", INT64_C(1483142400) },
		{ CASE_LINE, "2024-02-29", INT64_C(1709164800) },
		{ CASE_LINE, "2026-01-01", T_2026_01_01 },
		{ CASE_LINE, "2026-01-31", T_2026_01_31 },
		{ CASE_LINE, "2026-11-26", T_2026_11_26 },
		{ CASE_LINE, "9999-12-31", INT64_C(253402214400) },
	};
	int64_t		 t;
	size_t		 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		t = -7;
		ck_assert_msg(query_date(rows[i].text, &t) == 0,
		    "line %d: rejected", rows[i].line);
		ck_assert_msg(t == rows[i].want, "line %d: %lld, want %lld",
		    rows[i].line, (long long)t, (long long)rows[i].want);
	}
}
END_TEST

START_TEST(test_date_invalid)
{
	static const struct {
		int		 line;
		const char	*text;
	} rows[] = {
		{ CASE_LINE, "2023-02-29" },
		{ CASE_LINE, "2100-02-29" },	/* not a leap year */
		{ CASE_LINE, "2026-04-31" },
		{ CASE_LINE, "2026-01-32" },
		{ CASE_LINE, "2026-01-00" },
		{ CASE_LINE, "2026-13-01" },
		{ CASE_LINE, "2026-00-10" },
		{ CASE_LINE, "2026-1-01" },
		{ CASE_LINE, "2026-01-1" },
		{ CASE_LINE, "26-01-01" },
		{ CASE_LINE, "1969-12-31" },
		{ CASE_LINE, "0000-01-01" },
		{ CASE_LINE, "10000-01-01" },
		{ CASE_LINE, "2026-01-01x" },
		{ CASE_LINE, "2026-01-01 " },
		{ CASE_LINE, " 2026-01-01" },
		{ CASE_LINE, "2026/01/01" },
		{ CASE_LINE, "20260101" },
		{ CASE_LINE, "+026-01-01" },
		{ CASE_LINE, "2026-+1-01" },
		{ CASE_LINE, "2026-01-01T00:00:00Z" },
		{ CASE_LINE, "" },
		{ CASE_LINE, NULL },
	};
	int64_t		 t;
	size_t		 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		t = -7;
		ck_assert_msg(query_date(rows[i].text, &t) == -1,
		    "line %d: accepted", rows[i].line);
		ck_assert_msg(t == -7, "line %d: out written", rows[i].line);
	}
}
END_TEST

START_TEST(test_range)
{
	struct period	 p = poison;
	char		 err[QUERY_ERR_MAX] = "";

	ck_assert_msg(query_parse("from=2026-01-01&to=2026-01-31", &p, err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(p.days, 0);
	ck_assert_int_eq(p.from_day, T_2026_01_01);
	ck_assert_int_eq(p.to_day, T_2026_01_31);

	/* Order does not matter, and one day is a range. */
	p = poison;
	ck_assert_msg(query_parse("to=2026-11-26&from=2026-11-26", &p, err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(p.days, 0);
	ck_assert_int_eq(p.from_day, T_2026_11_26);
	ck_assert_int_eq(p.to_day, T_2026_11_26);
}
END_TEST

START_TEST(test_percent_decoding)
{
	static const struct {
		int		 line;
		const char	*qs;
		unsigned	 days;
		int64_t		 from;
	} rows[] = {
		{ CASE_LINE, "d%61ys=%37", 7, 0 },
		{ CASE_LINE, "days=3%30", 30, 0 },
		{ CASE_LINE, "%64%41%59%53=1", 0, -1 },	/* "dAYS": unknown */
		{ CASE_LINE, "%64%61%79%73=365", 365, 0 },
		{ CASE_LINE, "from=2026%2D01%2d01&to=2026-01-31", 0,
		    T_2026_01_01 },
	};
	struct period	 p;
	char		 err[QUERY_ERR_MAX];
	size_t		 i;
	int		 rc;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		p = poison;
		err[0] = '\0';
		rc = query_parse(rows[i].qs, &p, err, sizeof(err));
		if (rows[i].from == -1) {
			ck_assert_msg(rc == -1 && strcmp(err,
			    "unknown parameter \"dAYS\"") == 0,
			    "line %d: rc %d \"%s\"", rows[i].line, rc, err);
			continue;
		}
		ck_assert_msg(rc == 0, "line %d: %s", rows[i].line, err);
		ck_assert_msg(p.days == rows[i].days &&
		    p.from_day == rows[i].from, "line %d: days %u from %lld",
		    rows[i].line, p.days, (long long)p.from_day);
	}
}
END_TEST

/* Every rejected query string and the exact message the 400 page shows. */
static const struct {
	int		 line;
	const char	*qs;
	const char	*want;
} errors[] = {
	{ CASE_LINE, "x=1", "unknown parameter \"x\"" },
	{ CASE_LINE, "days=7&x", "unknown parameter \"x\"" },
	{ CASE_LINE, "Days=7", "unknown parameter \"Days\"" },
	{ CASE_LINE, "+days=7", "unknown parameter \" days\"" },
	{ CASE_LINE, "=7", "unknown parameter \"\"" },
	{ CASE_LINE, "days%00=7", "unknown parameter \"days?\"" },
	{ CASE_LINE, "%e2%82%ac=1", "unknown parameter \"???\"" },
	{ CASE_LINE, "days=7&days=7", "days is given more than once" },
	{ CASE_LINE, "from=2026-01-01&from=2026-01-02&to=2026-01-03",
	    "from is given more than once" },
	{ CASE_LINE, "d%61ys=1&days=1", "days is given more than once" },
	{ CASE_LINE, "days=%3", "days: bad %-escape" },
	{ CASE_LINE, "days=%", "days: bad %-escape" },
	{ CASE_LINE, "days=%zz", "days: bad %-escape" },
	{ CASE_LINE, "days=%+7", "days: bad %-escape" },
	{ CASE_LINE, "day%=7", "bad %-escape in parameter \"day%\"" },
	{ CASE_LINE, "from=2026-01-01", "from and to must be given together" },
	{ CASE_LINE, "to=2026-01-01", "from and to must be given together" },
	{ CASE_LINE, "days=7&from=2026-01-01&to=2026-01-02",
	    "give days or from and to, not both" },
	{ CASE_LINE, "days=7&to=2026-01-02",
	    "give days or from and to, not both" },
	{ CASE_LINE, "from=2026-02-30&to=2026-03-01",
	    "from: \"2026-02-30\" is not a date (YYYY-MM-DD)" },
	{ CASE_LINE, "from=2026-02-01&to=2026-1-1",
	    "to: \"2026-1-1\" is not a date (YYYY-MM-DD)" },
	{ CASE_LINE, "from=&to=2026-01-01",
	    "from: \"\" is not a date (YYYY-MM-DD)" },
	{ CASE_LINE, "from&to",
	    "from: \"\" is not a date (YYYY-MM-DD)" },
	{ CASE_LINE, "from=1969-12-31&to=2026-01-01",
	    "from: \"1969-12-31\" is outside 1970-01-01..9999-12-31" },
	{ CASE_LINE, "from=0001-01-01&to=2026-01-01",
	    "from: \"0001-01-01\" is outside 1970-01-01..9999-12-31" },
	{ CASE_LINE, "from=2026-01-01&to=0000-01-01",
	    "to: \"0000-01-01\" is outside 1970-01-01..9999-12-31" },
	{ CASE_LINE, "from=2026-01-01&to=10000-01-01",
	    "to: \"10000-01-01\" is not a date (YYYY-MM-DD)" },
	{ CASE_LINE, "from=2026-01-01&to=2026-01-01%0a",
	    "to: \"2026-01-01?\" is not a date (YYYY-MM-DD)" },
	{ CASE_LINE, "from=2026-01-01%00&to=2026-01-02",
	    "from: NUL byte in value" },
	{ CASE_LINE, "from=2026-03-01&to=2026-02-01",
	    "from (2026-03-01) is after to (2026-02-01)" },
	{ CASE_LINE, "from=2026-01-01&to=2036-01-09",
	    "from..to spans 3661 days; at most 3660 are allowed" },
	{ CASE_LINE, "from=1970-01-01&to=9999-12-31",
	    "from..to spans 2932897 days; at most 3660 are allowed" },
	{ CASE_LINE, "how=pages", "how: \"pages\" is not one of page, beacon, "
	    "authorizer, record, log" },
	{ CASE_LINE, "how=Page", "how: \"Page\" is not one of page, beacon, "
	    "authorizer, record, log" },
	{ CASE_LINE, "how=%3Cb%3E%0a", "how: \"<b>?\" is not one of page, "
	    "beacon, authorizer, record, log" },
	{ CASE_LINE, "how=page&how=beacon", "how is given more than once" },
	{ CASE_LINE, "host=a&host=b", "host is given more than once" },
	{ CASE_LINE, "host=a%0d%0aX-Evil:1", "host: control character in value" },
	{ CASE_LINE, "host=%09", "host: control character in value" },
	{ CASE_LINE, "host=a%7f", "host: control character in value" },
	{ CASE_LINE, "host=a%00b", "host: NUL byte in value" },
	{ CASE_LINE, "host=%ff", "host: not valid UTF-8" },
	{ CASE_LINE, "host=%c0%af", "host: not valid UTF-8" },	/* overlong "/" */
	{ CASE_LINE, "host=%ed%a0%80", "host: not valid UTF-8" },	/* surrogate */
	{ CASE_LINE, "host=%e2%82", "host: not valid UTF-8" },	/* cut short */
	{ CASE_LINE, "host=%zz", "host: bad %-escape" },
	{ CASE_LINE, "days=2&host=x", "days must be one of 1, 7, 30, 90, 365" },
	{ CASE_LINE, "host=x&how=nope&days=2", "how: \"nope\" is not one of page, "
	    "beacon, authorizer, record, log" },
	/* An unknown table says which ones there are. */
	{ CASE_LINE, "table=nope", "table: \"nope\" is not one of " TABLE_NAMES },
	{ CASE_LINE, "days=30&table=Hosts", "table: \"Hosts\" is not one of "
	    TABLE_NAMES },
	{ CASE_LINE, "table=%3Cb%3E%0d", "table: \"<b>?\" is not one of "
	    TABLE_NAMES },
	{ CASE_LINE, "table=kinds&table=hosts", "table is given more than once" },
	{ CASE_LINE, "table=kinds%00", "table: NUL byte in value" },
};

START_TEST(test_errors)
{
	struct period	 p = poison;
	char		 err[QUERY_ERR_MAX] = "";

	ck_assert_msg(query_parse(errors[_i].qs, &p, err, sizeof(err)) == -1,
	    "line %d: accepted", errors[_i].line);
	ck_assert_msg(strcmp(err, errors[_i].want) == 0,
	    "line %d: got \"%s\", want \"%s\"", errors[_i].line, err,
	    errors[_i].want);
	ck_assert_msg(p.days == poison.days && p.from_day == poison.from_day &&
	    strcmp(p.host, poison.host) == 0 && p.how == poison.how &&
	    p.table == poison.table, "line %d: out written", errors[_i].line);
}
END_TEST

/* Filters as a GET form sends them, and as they reach the report query. */
START_TEST(test_filters)
{
	static const struct {
		int		 line;
		const char	*qs;
		const char	*host;
		int		 how;
		unsigned	 days;
	} rows[] = {
		{ CASE_LINE, "host=example.org", "example.org", -1, 7 },
		{ CASE_LINE, "days=30&host=example.org&how=beacon",
		    "example.org", 1, 30 },
		{ CASE_LINE, "how=page", "", 0, 7 },
		{ CASE_LINE, "how=beacon", "", 1, 7 },
		{ CASE_LINE, "how=authorizer", "", 2, 7 },
		{ CASE_LINE, "how=record&days=1", "", 3, 1 },
		{ CASE_LINE, "how=log", "", 4, 7 },
		/* A form's "all" options send empty values. */
		{ CASE_LINE, "from=2026-01-01&to=2026-01-31&host=&how=", "", -1, 0 },
		{ CASE_LINE, "host", "", -1, 7 },
		{ CASE_LINE, "host=%5B%3A%3A1%5D%3A8080", "[::1]:8080", -1, 7 },
		{ CASE_LINE, "host=a+b", "a b", -1, 7 },
		{ CASE_LINE, "host=%3Cscript%3E", "<script>", -1, 7 },
		{ CASE_LINE, "host=b%C3%BCcher.example", "b\xc3\xbc" "cher.example", -1, 7 },
		{ CASE_LINE, "host=%F0%9F%98%80", "\xf0\x9f\x98\x80", -1, 7 },
	};
	struct period		 p;
	struct report_query	 q;
	char			 err[QUERY_ERR_MAX];
	size_t			 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		p = poison;
		err[0] = '\0';
		ck_assert_msg(query_parse(rows[i].qs, &p, err, sizeof(err)) == 0,
		    "line %d: %s", rows[i].line, err);
		ck_assert_msg(strcmp(p.host, rows[i].host) == 0 &&
		    p.how == rows[i].how && p.days == rows[i].days,
		    "line %d: host \"%s\" how %d days %u", rows[i].line, p.host,
		    p.how, p.days);
		memset(&q, 0xa5, sizeof(q));
		query_period(&p, NOW, &q);
		ck_assert_msg(strcmp(q.host, rows[i].host) == 0 &&
		    q.how == rows[i].how, "line %d: query host \"%s\" how %d",
		    rows[i].line, q.host, q.how);
	}
}
END_TEST

/* ?table= picks the CSV's table; none or an empty one is the series. */
START_TEST(test_table)
{
	static const struct {
		int			 line;
		const char		*qs;
		enum report_table	 table;
	} rows[] = {
		{ CASE_LINE, NULL, TABLE_SERIES },
		{ CASE_LINE, "days=30", TABLE_SERIES },
		{ CASE_LINE, "table=", TABLE_SERIES },
		{ CASE_LINE, "table", TABLE_SERIES },
		{ CASE_LINE, "table=series", TABLE_SERIES },
		{ CASE_LINE, "table=kinds", TABLE_KINDS },
		{ CASE_LINE, "table=prefixes&days=1", TABLE_PREFIXES },
		{ CASE_LINE, "table=unique", TABLE_UNIQUE },
		{ CASE_LINE, "days=7&host=a&how=beacon&table=hosts", TABLE_HOSTS },
		{ CASE_LINE, "table=listeners", TABLE_LISTENERS },
		{ CASE_LINE, "t%61ble=h%6fws", TABLE_HOWS },
		{ CASE_LINE, "from=2026-01-01&to=2026-01-31&table=summary",
		    TABLE_SUMMARY },
	};
	struct period		 p;
	struct report_query	 q;
	char			 err[QUERY_ERR_MAX];
	size_t			 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		p = poison;
		p.table = TABLE__MAX;
		err[0] = '\0';
		ck_assert_msg(query_parse(rows[i].qs, &p, err, sizeof(err)) == 0,
		    "line %d: %s", rows[i].line, err);
		ck_assert_msg(p.table == rows[i].table, "line %d: table %d",
		    rows[i].line, (int)p.table);
		memset(&q, 0xa5, sizeof(q));
		query_period(&p, NOW, &q);
		ck_assert_msg(q.table == rows[i].table, "line %d: query table %d",
		    rows[i].line, (int)q.table);
	}
	/* Each name is the one report_table_name gives, and back. */
	for (i = 0; i < TABLE__MAX; i++) {
		char	 qs[64];

		snprintf(qs, sizeof(qs), "table=%s",
		    report_table_name((enum report_table)i));
		ck_assert_msg(query_parse(qs, &p, err, sizeof(err)) == 0, "%s", err);
		ck_assert_int_eq(p.table, (int)i);
	}
	ck_assert_str_eq(report_table_name(TABLE__MAX), "");
}
END_TEST

/* Options as the command line hands them to query_arg: name, value, ..., NULL. */
static int
args_period(const char *const *nv, struct period *p, char *err, size_t errsz)
{
	struct query_args	 a = { { NULL } };

	for (; nv[0] != NULL; nv += 2)
		if (query_arg(&a, nv[0], nv[1], err, errsz) != 0)
			return -1;
	return query_args_period(&a, p, err, errsz);
}

/*
 * The command line's --days, --from, --to, --host, --how and --table: the
 * rules of the URL query (each once, the same date range and checks),
 * with any number of days up to QUERY_DAYS_MAX.
 */
START_TEST(test_args)
{
	static const struct {
		int		 line;
		const char	*nv[9];
		unsigned	 days;
		int64_t		 from, to;
		const char	*host;
		int		 how;
		enum report_table table;
	} rows[] = {
		{ CASE_LINE, { NULL }, 7, 0, 0, "", -1, TABLE_SERIES },
		{ CASE_LINE, { "days", "1", NULL }, 1, 0, 0, "", -1, TABLE_SERIES },
		{ CASE_LINE, { "days", "14", NULL }, 14, 0, 0, "", -1, TABLE_SERIES },
		{ CASE_LINE, { "days", "3660", NULL }, 3660, 0, 0, "", -1, TABLE_SERIES },
		{ CASE_LINE, { "from", "1970-01-01", "to", "1970-01-02", NULL },
		    0, 0, 86400, "", -1, TABLE_SERIES },
		{ CASE_LINE, { "to", "9999-12-31", "from", "9999-12-31", NULL },
		    0, 253402214400, 253402214400, "", -1, TABLE_SERIES },
		{ CASE_LINE, { "host", "example.org", "how", "authorizer",
		    "table", "hosts", NULL }, 7, 0, 0, "example.org", 2, TABLE_HOSTS },
		{ CASE_LINE, { "how", "", "table", "", NULL }, 7, 0, 0, "", -1,
		    TABLE_SERIES },
	};
	static const struct {
		int		 line;
		const char	*nv[9];
		const char	*want;
	} bad[] = {
		{ CASE_LINE, { "days", "1", "days", "7", NULL },
		    "--days is given more than once" },
		{ CASE_LINE, { "days", "7", "days", "7", NULL },
		    "--days is given more than once" },
		{ CASE_LINE, { "from", "2026-01-01", "from", "2026-01-02", "to",
		    "2026-01-03", NULL }, "--from is given more than once" },
		{ CASE_LINE, { "from", "2026-01-01", "to", "2026-01-02", "to",
		    "2026-01-03", NULL }, "--to is given more than once" },
		{ CASE_LINE, { "host", "a.example", "host", "b.example", NULL },
		    "--host is given more than once" },
		{ CASE_LINE, { "how", "page", "how", "page", NULL },
		    "--how is given more than once" },
		{ CASE_LINE, { "table", "hosts", "table", "kinds", NULL },
		    "--table is given more than once" },
		{ CASE_LINE, { "days", "0", NULL }, "--days must be 1..3660, not \"0\"" },
		{ CASE_LINE, { "days", "3661", NULL },
		    "--days must be 1..3660, not \"3661\"" },
		{ CASE_LINE, { "days", "07", NULL }, "--days must be 1..3660, not \"07\"" },
		{ CASE_LINE, { "days", "", NULL }, "--days must be 1..3660, not \"\"" },
		{ CASE_LINE, { "days", "4294967303", NULL },
		    "--days must be 1..3660, not \"4294967303\"" },
		{ CASE_LINE, { "from", "0001-01-01", "to", "2026-01-01", NULL },
		    "--from: \"0001-01-01\" is outside 1970-01-01..9999-12-31" },
		{ CASE_LINE, { "from", "2026-02-30", "to", "2026-03-01", NULL },
		    "--from: \"2026-02-30\" is not a date (YYYY-MM-DD)" },
		{ CASE_LINE, { "from", "2026-01-01", NULL },
		    "--from and --to must be given together" },
		{ CASE_LINE, { "days", "7", "from", "2026-01-01", "to", "2026-01-02",
		    NULL }, "give --days or --from and --to, not both" },
		{ CASE_LINE, { "from", "2026-03-01", "to", "2026-02-01", NULL },
		    "--from (2026-03-01) is after --to (2026-02-01)" },
		{ CASE_LINE, { "from", "2026-01-01", "to", "2036-01-09", NULL },
		    "--from..--to spans 3661 days; at most 3660 are allowed" },
		{ CASE_LINE, { "how", "bogus", NULL }, "--how: \"bogus\" is not one "
		    "of page, beacon, authorizer, record, log" },
		{ CASE_LINE, { "host", "a\x1b[2J", NULL },
		    "--host: control character in value" },
		{ CASE_LINE, { "table", "tables", NULL }, "--table: \"tables\" is "
		    "not one of " TABLE_NAMES },
		{ CASE_LINE, { "format", "csv", NULL }, "unknown option --format" },
	};
	struct period	 p;
	char		 err[QUERY_ERR_MAX];
	size_t		 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		p = poison;
		err[0] = '\0';
		ck_assert_msg(args_period(rows[i].nv, &p, err, sizeof(err)) == 0,
		    "line %d: %s", rows[i].line, err);
		ck_assert_msg(p.days == rows[i].days && p.from_day == rows[i].from &&
		    p.to_day == rows[i].to && strcmp(p.host, rows[i].host) == 0 &&
		    p.how == rows[i].how && p.table == rows[i].table,
		    "line %d: days %u from %lld to %lld host %s how %d table %d",
		    rows[i].line, p.days, (long long)p.from_day,
		    (long long)p.to_day, p.host, p.how, (int)p.table);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p = poison;
		ck_assert_msg(args_period(bad[i].nv, &p, err, sizeof(err)) == -1,
		    "line %d: accepted", bad[i].line);
		ck_assert_msg(strcmp(err, bad[i].want) == 0, "line %d: \"%s\"",
		    bad[i].line, err);
		ck_assert_msg(p.days == poison.days && p.from_day == poison.from_day &&
		    strcmp(p.host, poison.host) == 0 && p.table == poison.table,
		    "line %d: out written", bad[i].line);
	}
}
END_TEST

START_TEST(test_period_days1)
{
	static const struct {
		int		 line;
		int64_t		 now;
		int64_t		 to;
	} rows[] = {
		{ CASE_LINE, NOW, T_2026_11_26_14 },
		{ CASE_LINE, T_2026_11_26_13, T_2026_11_26_14 },
		{ CASE_LINE, T_2026_11_26_14 - 1, T_2026_11_26_14 },
		{ CASE_LINE, T_2026_11_26_14, T_2026_11_26_14 + 3600 },
		{ CASE_LINE, 0, 3600 },
	};
	struct period		 p = { 1, 0, 0, "", -1, TABLE_SERIES, "" };
	struct report_query	 q;
	size_t			 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&q, 0xa5, sizeof(q));
		query_period(&p, rows[i].now, &q);
		ck_assert_msg(q.to == rows[i].to && q.from == rows[i].to - 86400,
		    "line %d: [%lld, %lld)", rows[i].line, (long long)q.from,
		    (long long)q.to);
		ck_assert_msg(q.bucket == 3600 && q.top == 10 && q.days == 1,
		    "line %d: bucket %u top %u days %u", rows[i].line, q.bucket,
		    q.top, q.days);
	}
	query_period(&p, NOW, &q);
	ck_assert_int_eq(q.from, T_2026_11_25_14);
}
END_TEST

START_TEST(test_period_days)
{
	static const struct {
		int		 line;
		unsigned	 days;
		int64_t		 now;
		int64_t		 from;
		int64_t		 to;
	} rows[] = {
		{ CASE_LINE, 7, NOW, T_2026_11_20, T_2026_11_27 },
		{ CASE_LINE, 7, T_2026_11_26, T_2026_11_20, T_2026_11_27 },
		{ CASE_LINE, 7, T_2026_11_27 - 1, T_2026_11_20, T_2026_11_27 },
		{ CASE_LINE, 7, T_2026_11_27, T_2026_11_20 + 86400,
		    T_2026_11_27 + 86400 },
		{ CASE_LINE, 30, NOW, T_2026_11_27 - 30 * 86400, T_2026_11_27 },
		{ CASE_LINE, 90, NOW, T_2026_11_27 - 90 * 86400, T_2026_11_27 },
		{ CASE_LINE, 365, NOW, T_2026_11_27 - INT64_C(365) * 86400,
		    T_2026_11_27 },
		{ CASE_LINE, 2, NOW, T_2026_11_27 - 2 * 86400, T_2026_11_27 },
		{ CASE_LINE, QUERY_DAYS_MAX, NOW,
		    T_2026_11_27 - (int64_t)QUERY_DAYS_MAX * 86400,
		    T_2026_11_27 },
	};
	struct period		 p;
	struct report_query	 q;
	size_t			 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		p.days = rows[i].days;
		p.from_day = p.to_day = 0;
		memset(&q, 0xa5, sizeof(q));
		query_period(&p, rows[i].now, &q);
		ck_assert_msg(q.from == rows[i].from && q.to == rows[i].to,
		    "line %d: [%lld, %lld)", rows[i].line, (long long)q.from,
		    (long long)q.to);
		ck_assert_msg(q.bucket == 86400 && q.top == 10,
		    "line %d: bucket %u top %u", rows[i].line, q.bucket, q.top);
		/* The page marks the preset current by this, not the length. */
		ck_assert_msg(q.days == rows[i].days, "line %d: days %u",
		    rows[i].line, q.days);
	}
}
END_TEST

/* A range covers whole days, to inclusive; up to two days are hourly. */
START_TEST(test_period_range)
{
	static const struct {
		int		 line;
		int64_t		 from_day;
		int64_t		 to_day;
		unsigned	 bucket;
	} rows[] = {
		{ CASE_LINE, T_2026_11_26, T_2026_11_26, 3600 },
		{ CASE_LINE, T_2026_11_26, T_2026_11_26 + 86400, 3600 },
		{ CASE_LINE, T_2026_11_26, T_2026_11_26 + 2 * 86400, 86400 },
		{ CASE_LINE, T_2026_01_01, T_2026_01_31, 86400 },
	};
	struct period		 p;
	struct report_query	 q;
	size_t			 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		p.days = 0;
		p.from_day = rows[i].from_day;
		p.to_day = rows[i].to_day;
		memset(&q, 0xa5, sizeof(q));
		/* now must not matter for a range. */
		query_period(&p, NOW, &q);
		ck_assert_msg(q.from == rows[i].from_day &&
		    q.to == rows[i].to_day + 86400, "line %d: [%lld, %lld)",
		    rows[i].line, (long long)q.from, (long long)q.to);
		ck_assert_msg(q.bucket == rows[i].bucket && q.top == 10,
		    "line %d: bucket %u top %u", rows[i].line, q.bucket, q.top);
		/* A range is no preset, even when as long as one. */
		ck_assert_msg(q.days == 0, "line %d: days %u", rows[i].line,
		    q.days);
	}
}
END_TEST

/* What query_parse gives, query_period turns into the documented window. */
START_TEST(test_parse_then_period)
{
	struct period		 p;
	struct report_query	 q;
	char			 err[QUERY_ERR_MAX] = "";

	ck_assert_msg(query_parse(NULL, &p, err, sizeof(err)) == 0, "%s", err);
	query_period(&p, NOW, &q);
	ck_assert_int_eq(q.from, T_2026_11_20);
	ck_assert_int_eq(q.to, T_2026_11_27);
	ck_assert_uint_eq(q.bucket, 86400);

	ck_assert_msg(query_parse("from=2026-01-01&to=2026-01-31", &p, err,
	    sizeof(err)) == 0, "%s", err);
	query_period(&p, NOW, &q);
	ck_assert_int_eq(q.from, T_2026_01_01);
	ck_assert_int_eq(q.to, T_2026_01_31 + 86400);
	ck_assert_int_eq((q.to - q.from) / 86400, 31);
	ck_assert_uint_eq(q.days, 0);

	/* 30 days as a range and as the preset: same length, not the same. */
	ck_assert_msg(query_parse("from=2026-10-28&to=2026-11-26", &p, err,
	    sizeof(err)) == 0, "%s", err);
	query_period(&p, NOW, &q);
	ck_assert_int_eq(q.to - q.from, 30 * 86400);
	ck_assert_uint_eq(q.days, 0);
	ck_assert_msg(query_parse("days=30", &p, err, sizeof(err)) == 0, "%s",
	    err);
	query_period(&p, NOW, &q);
	ck_assert_int_eq(q.to - q.from, 30 * 86400);
	ck_assert_uint_eq(q.days, 30);
}
END_TEST

START_TEST(test_limit_span)
{
	struct period	 p = poison;
	char		 err[QUERY_ERR_MAX] = "";

	/* 2026-01-01 + 3659 days = 2036-01-08: exactly QUERY_DAYS_MAX days. */
	ck_assert_msg(query_parse("from=2026-01-01&to=2036-01-08", &p, err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq((p.to_day - p.from_day) / 86400 + 1, QUERY_DAYS_MAX);
	ck_assert_int_eq(query_parse("from=2026-01-01&to=2036-01-09", &p, err,
	    sizeof(err)), -1);
}
END_TEST

START_TEST(test_limit_dates)
{
	struct period	 p = poison;
	char		 err[QUERY_ERR_MAX] = "";

	ck_assert_msg(query_parse("from=1970-01-01&to=1970-01-01", &p, err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(p.from_day, 0);
	ck_assert_msg(query_parse("from=9999-12-31&to=9999-12-31", &p, err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(p.to_day, INT64_C(253402214400));
}
END_TEST

/* A key or value of 64 bytes is read; 65 is refused before any check. */
START_TEST(test_limit_length)
{
	char		 qs[512], err[QUERY_ERR_MAX] = "", want[128];
	struct period	 p = poison;
	int		 n;

	memset(want, 'a', 64);
	want[64] = '\0';

	n = snprintf(qs, sizeof(qs), "%s=1", want);
	ck_assert_int_lt(n, (int)sizeof(qs));
	ck_assert_int_eq(query_parse(qs, &p, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "unknown parameter "
	    "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\"");
	snprintf(qs, sizeof(qs), "a%s=1", want);
	ck_assert_int_eq(query_parse(qs, &p, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "parameter name "
	    "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\" is too long");

	snprintf(qs, sizeof(qs), "from=%s&to=2026-01-01", want);
	ck_assert_int_eq(query_parse(qs, &p, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "from: "
	    "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\" "
	    "is not a date (YYYY-MM-DD)");
	snprintf(qs, sizeof(qs), "from=a%s&to=2026-01-01", want);
	ck_assert_int_eq(query_parse(qs, &p, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "from: value is too long");

	/* The limit is on the decoded bytes: 64 escapes are 64 bytes. */
	n = snprintf(qs, sizeof(qs), "days=%s", "");
	for (; n < 5 + 64 * 3; n += 3)
		memcpy(qs + n, "%31", 3);
	qs[n] = '\0';
	ck_assert_int_eq(query_parse(qs, &p, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "days must be one of 1, 7, 30, 90, 365");
	memcpy(qs + n, "%31", 4);
	ck_assert_int_eq(query_parse(qs, &p, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "days: value is too long");
	ck_assert_uint_eq(p.days, poison.days);
}
END_TEST

/* A host of REPORT_HOST_MAX bytes (also as escapes) is read; one more is refused. */
/* ?node= and --node: a server's name (row_node_valid) or nothing; anything else is refused, saying so. */
START_TEST(test_node)
{
	static const char *const bad[] = {
		"node=a%20b", "node=%3Cb%3E", "node=web%2F1", "node=%C3%BC",
		"node=" "12345678901234567890123456789012345678901234567890"
		    "123456789012345",	/* 65 bytes */
	};
	char		 err[QUERY_ERR_MAX];
	struct period	 p = poison;
	struct report_query q;
	size_t		 i;

	ck_assert_msg(query_parse("days=30&node=web-1.task_2&host=example.org",
	    &p, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(p.node, "web-1.task_2");
	query_period(&p, NOW, &q);
	ck_assert_str_eq(q.node, "web-1.task_2");
	ck_assert_str_eq(q.host, "example.org");
	/* A form's "all" is no filter. */
	p = poison;
	ck_assert_int_eq(query_parse("node=", &p, err, sizeof(err)), 0);
	ck_assert_str_eq(p.node, "");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p = poison;
		err[0] = '\0';
		ck_assert_msg(query_parse(bad[i], &p, err, sizeof(err)) == -1,
		    "%s: accepted", bad[i]);
		ck_assert_msg(strncmp(err, "node: \"", 7) == 0 &&
		    strstr(err, "is not a node name") != NULL, "%s: %s", bad[i], err);
		ck_assert_str_eq(p.node, poison.node);
	}
	ck_assert_int_eq(query_parse("node=a&node=b", &p, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "node is given more than once");
	/* The command line, by the same rules. */
	ck_assert_int_eq(args_period((const char *const[]){ "node", "web 1", NULL },
	    &p, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "--node: \"web 1\" is not a node name (1..64 letters, "
	    "digits, '.', '-', '_')");
	ck_assert_int_eq(args_period((const char *const[]){ "node", "web-2", NULL },
	    &p, err, sizeof(err)), 0);
	ck_assert_str_eq(p.node, "web-2");
}
END_TEST

START_TEST(test_limit_host)
{
	char		 qs[4 * REPORT_HOST_MAX], err[QUERY_ERR_MAX] = "";
	struct period	 p = poison;
	struct report_query q;
	char		 longest[REPORT_HOST_MAX + 1];
	int		 n, i;

	memset(longest, 'h', REPORT_HOST_MAX);
	longest[REPORT_HOST_MAX] = '\0';
	n = snprintf(qs, sizeof(qs), "host=%s", longest);
	ck_assert_int_lt(n, (int)sizeof(qs));
	ck_assert_msg(query_parse(qs, &p, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(strlen(p.host), REPORT_HOST_MAX);
	query_period(&p, NOW, &q);
	ck_assert_str_eq(q.host, longest);

	snprintf(qs, sizeof(qs), "host=h%s", longest);
	p = poison;
	ck_assert_int_eq(query_parse(qs, &p, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "host: value is too long");
	ck_assert_str_eq(p.host, poison.host);

	/* 255 decoded bytes from 765 bytes of escapes. */
	n = snprintf(qs, sizeof(qs), "host=");
	for (i = 0; i < REPORT_HOST_MAX; i++, n += 3)
		memcpy(qs + n, "%41", 4);
	ck_assert_msg(query_parse(qs, &p, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(strlen(p.host), REPORT_HOST_MAX);
	ck_assert_int_eq(p.host[0], 'A');
	memcpy(qs + n, "%41", 4);
	ck_assert_int_eq(query_parse(qs, &p, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "host: value is too long");

	/* The command line has no decoder in front of it: the length is checked. */
	memset(qs, 'h', REPORT_HOST_MAX + 1);
	qs[REPORT_HOST_MAX + 1] = '\0';
	ck_assert_int_eq(args_period((const char *const[]){ "host", qs, NULL },
	    &p, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "--host: longer than 255 bytes");
	qs[REPORT_HOST_MAX] = '\0';
	ck_assert_int_eq(args_period((const char *const[]){ "host", qs, NULL },
	    &p, err, sizeof(err)), 0);
}
END_TEST

/* Messages fit the buffer they are given and are always terminated. */
START_TEST(test_limit_err_size)
{
	struct period	 p = poison;
	char		 err[16];

	memset(err, 'Z', sizeof(err));
	ck_assert_int_eq(query_parse("days=2", &p, err, 8), -1);
	ck_assert_str_eq(err, "days mu");
	ck_assert_int_eq(err[8], 'Z');
	ck_assert_int_eq(query_parse("days=2", &p, NULL, 0), -1);
	ck_assert_int_eq(query_parse("days=7", &p, NULL, 0), 0);
	ck_assert_uint_eq(p.days, 7);
}
END_TEST

Suite *
query_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("query");

	tc = tcase_create("parse");
	tcase_add_test(tc, test_days_valid);
	tcase_add_test(tc, test_days_invalid);
	tcase_add_test(tc, test_default_period);
	tcase_add_test(tc, test_date_valid);
	tcase_add_test(tc, test_date_invalid);
	tcase_add_test(tc, test_range);
	tcase_add_test(tc, test_percent_decoding);
	tcase_add_loop_test(tc, test_errors, 0,
	    sizeof(errors) / sizeof(errors[0]));
	tcase_add_test(tc, test_filters);
	tcase_add_test(tc, test_node);
	tcase_add_test(tc, test_args);
	tcase_add_test(tc, test_table);
	suite_add_tcase(s, tc);

	tc = tcase_create("period");
	tcase_add_test(tc, test_period_days1);
	tcase_add_test(tc, test_period_days);
	tcase_add_test(tc, test_period_range);
	tcase_add_test(tc, test_parse_then_period);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_test(tc, test_limit_span);
	tcase_add_test(tc, test_limit_dates);
	tcase_add_test(tc, test_limit_length);
	tcase_add_test(tc, test_limit_err_size);
	tcase_add_test(tc, test_limit_host);
	suite_add_tcase(s, tc);

	return s;
}
