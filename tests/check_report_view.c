/* check_report_view.c: what every format of the report shows, computed from a struct report. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "buf.h"
#include "query.h"
#include "report.h"
#include "report_view.h"
#include "check_suites.h"

#define DAY	86400
#define NOV1	INT64_C(1793491200)	/* 2026-11-01T00:00:00Z */

/* ---- times ---- */

static const struct {
	int		 line;
	int64_t		 t;
	enum view_time	 form;
	const char	*want;
} time_rows[] = {
	{ CASE_LINE, 0, VIEW_ISO, "1970-01-01T00:00:00Z" },
	{ CASE_LINE, NOV1 + 13 * 3600 + 59, VIEW_ISO, "2026-11-01T13:00:59Z" },
	{ CASE_LINE, NOV1 + 13 * 3600 + 59, VIEW_DAY, "2026-11-01" },
	{ CASE_LINE, NOV1 + 13 * 3600 + 59, VIEW_HOUR, "2026-11-01 13:00" },
	{ CASE_LINE, NOV1 + 13 * 3600 + 59, VIEW_SHORT, "11-01 13:00" },
	{ CASE_LINE, -1, VIEW_ISO, "1969-12-31T23:59:59Z" },
	/* The last second of 9999 still has its date. */
	{ CASE_LINE, INT64_C(253402300799), VIEW_ISO, "9999-12-31T23:59:59Z" },
	/* No date at all: the number itself. */
	{ CASE_LINE, INT64_MAX, VIEW_ISO, "9223372036854775807" },
	{ CASE_LINE, INT64_MIN, VIEW_DAY, "-9223372036854775808" },
};

START_TEST(times)
{
	char	 out[32];

	view_time(out, sizeof(out), time_rows[_i].t, time_rows[_i].form);
	ck_assert_msg(strcmp(out, time_rows[_i].want) == 0,
	    "line %d: \"%s\", not \"%s\"", time_rows[_i].line, out,
	    time_rows[_i].want);
}
END_TEST

START_TEST(time_small_buffer)
{
	char	 out[8];

	/* Too small for the date: the number, cut to the buffer, still a string. */
	view_time(out, sizeof(out), NOV1, VIEW_ISO);
	ck_assert_str_eq(out, "1793491");
	view_time(out, sizeof(out), 0, VIEW_SHORT);
	ck_assert_str_eq(out, "0");	/* "01-01 00:00" needs 12 bytes */
}
END_TEST

START_TEST(buckets)
{
	struct report	 r;
	char		 t[32];

	memset(&r, 0, sizeof(r));
	r.q.bucket = 3600;
	ck_assert(view_hourly(&r));
	ck_assert_str_eq(view_bucket_name(&r), "hour");
	view_bucket_label(t, sizeof(t), &r, NOV1 + 7200);
	ck_assert_str_eq(t, "2026-11-01 02:00");
	r.q.bucket = 86400;
	ck_assert(!view_hourly(&r));
	ck_assert_str_eq(view_bucket_name(&r), "day");
	view_bucket_label(t, sizeof(t), &r, NOV1 + 7200);
	ck_assert_str_eq(t, "2026-11-01");
}
END_TEST

/* ---- numbers ---- */

static const struct {
	int		 line;
	double		 share;
	const char	*want;
} percent_rows[] = {
	{ CASE_LINE, 0, "0.0 %" },
	{ CASE_LINE, 0.125, "12.5 %" },
	{ CASE_LINE, 0.0625, "6.3 %" },		/* half up */
	{ CASE_LINE, 0.99949, "99.9 %" },
	{ CASE_LINE, 0.9999, "100.0 %" },
	{ CASE_LINE, 1, "100.0 %" },
	{ CASE_LINE, 1.5, "100.0 %" },
	{ CASE_LINE, -0.25, "0.0 %" },
	{ CASE_LINE, NAN, "0.0 %" },
	{ CASE_LINE, INFINITY, "0.0 %" },
	{ CASE_LINE, -INFINITY, "0.0 %" },
};

START_TEST(percent)
{
	char	 out[32];

	view_percent(out, sizeof(out), percent_rows[_i].share);
	ck_assert_msg(strcmp(out, percent_rows[_i].want) == 0,
	    "line %d: \"%s\", not \"%s\"", percent_rows[_i].line, out,
	    percent_rows[_i].want);
}
END_TEST

static const struct {
	int		 line;
	double		 points;
	const char	*want;
} points_rows[] = {
	{ CASE_LINE, 0, "0.0" },
	{ CASE_LINE, 5, "5.0" },
	{ CASE_LINE, -5, "5.0" },		/* no sign: the words say up or down */
	{ CASE_LINE, 2.25, "2.3" },
	{ CASE_LINE, -2.25, "2.3" },
	{ CASE_LINE, 100, "100.0" },
	{ CASE_LINE, NAN, "0.0" },
	{ CASE_LINE, INFINITY, "0.0" },
	{ CASE_LINE, -INFINITY, "0.0" },
};

START_TEST(points)
{
	char	 out[32];

	view_points(out, sizeof(out), points_rows[_i].points);
	ck_assert_msg(strcmp(out, points_rows[_i].want) == 0,
	    "line %d: \"%s\", not \"%s\"", points_rows[_i].line, out,
	    points_rows[_i].want);
}
END_TEST

START_TEST(parts)
{
	ck_assert(view_part(0, 0) == 0);
	ck_assert(view_part(5, 0) == 0);
	ck_assert(view_part(1, 4) == 0.25);
	ck_assert(view_part(UINT64_MAX, UINT64_MAX) == 1);
}
END_TEST

static const struct {
	int		 line;
	uint64_t	 v, want;
} scale_rows[] = {
	{ CASE_LINE, 0, 1 },
	{ CASE_LINE, 1, 1 },
	{ CASE_LINE, 2, 2 },
	{ CASE_LINE, 3, 5 },
	{ CASE_LINE, 5, 5 },
	{ CASE_LINE, 6, 10 },
	{ CASE_LINE, 10, 10 },
	{ CASE_LINE, 11, 20 },
	{ CASE_LINE, 20, 20 },
	{ CASE_LINE, 21, 50 },
	{ CASE_LINE, 51, 100 },
	{ CASE_LINE, 999, 1000 },
	{ CASE_LINE, 1001, 2000 },
	{ CASE_LINE, UINT64_C(1000000000000000000), UINT64_C(1000000000000000000) },
	{ CASE_LINE, UINT64_C(1000000000000000001), UINT64_C(2000000000000000000) },
	{ CASE_LINE, UINT64_C(5000000000000000001), UINT64_C(10000000000000000000) },
	{ CASE_LINE, UINT64_C(10000000000000000000), UINT64_C(10000000000000000000) },
	/* Past the last power of ten that fits, twice or five times it would wrap. */
	{ CASE_LINE, UINT64_C(10000000000000000001), UINT64_C(10000000000000000001) },
	{ CASE_LINE, UINT64_MAX, UINT64_MAX },
};

START_TEST(scale)
{
	uint64_t	 got = view_scale_top(scale_rows[_i].v);

	ck_assert_msg(got == scale_rows[_i].want, "line %d: %llu, not %llu",
	    scale_rows[_i].line, (unsigned long long)got,
	    (unsigned long long)scale_rows[_i].want);
	ck_assert_msg(got >= scale_rows[_i].v, "line %d: below v", scale_rows[_i].line);
}
END_TEST

static const struct {
	int		 line;
	uint64_t	 prev4, prev6, ipv4, ipv6;
	bool		 known;
	int		 dir;
	double		 points;	/* checked when known, to 1e-9 */
} change_rows[] = {
	{ CASE_LINE, 0, 0, 10, 10, false, 0, 0 },	/* nothing before */
	{ CASE_LINE, 10, 10, 0, 0, false, 0, 0 },	/* nothing now */
	{ CASE_LINE, 50, 50, 45, 55, true, 1, 5 },
	{ CASE_LINE, 45, 55, 50, 50, true, -1, -5 },
	{ CASE_LINE, 1, 1, 1, 1, true, 0, 0 },
	/* Under 0.05 points either way is "unchanged". */
	{ CASE_LINE, 5000, 5000, 49996, 50004, true, 0, 0.004 },
	{ CASE_LINE, 5000, 5000, 50004, 49996, true, 0, -0.004 },
	{ CASE_LINE, 1000, 1000, 9900, 10100, true, 1, 0.5 },
	{ CASE_LINE, 0, 1, 1, 0, true, -1, -100 },
};

START_TEST(change)
{
	struct report		 r;
	struct view_change	 c;

	memset(&r, 0, sizeof(r));
	r.prev_ipv4 = change_rows[_i].prev4;
	r.prev_ipv6 = change_rows[_i].prev6;
	r.ipv4 = change_rows[_i].ipv4;
	r.ipv6 = change_rows[_i].ipv6;
	r.total = r.ipv4 + r.ipv6;
	c = view_change(&r);
	ck_assert_msg(c.known == change_rows[_i].known, "line %d: known",
	    change_rows[_i].line);
	if (!c.known) {
		ck_assert_msg(c.dir == 0 && c.points == 0 && c.prev == 0,
		    "line %d: not zeroed", change_rows[_i].line);
		return;
	}
	ck_assert_msg(c.dir == change_rows[_i].dir, "line %d: dir %d",
	    change_rows[_i].line, c.dir);
	ck_assert_msg(fabs(c.points - change_rows[_i].points) < 1e-9,
	    "line %d: points %g", change_rows[_i].line, c.points);
	ck_assert_msg(c.prev == report_share(r.prev_ipv4, r.prev_ipv6),
	    "line %d: prev", change_rows[_i].line);
}
END_TEST

START_TEST(change_threshold)
{
	static const struct {
		uint64_t	 ipv6;	/* of 100000, against 50 % before */
		int		 dir;
	} rows[] = {
		{ 50049, 0 }, { 50051, 1 }, { 49951, 0 }, { 49949, -1 },
	};
	struct report	 r;
	size_t		 i;

	memset(&r, 0, sizeof(r));
	r.prev_ipv4 = r.prev_ipv6 = 1;
	r.total = 100000;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		r.ipv6 = rows[i].ipv6;
		r.ipv4 = r.total - r.ipv6;
		ck_assert_msg(view_change(&r).dir == rows[i].dir, "%llu of 100000",
		    (unsigned long long)rows[i].ipv6);
	}
}
END_TEST

/* ---- names ---- */

START_TEST(names)
{
	ck_assert_str_eq(view_family_name(4), "IPv4");
	ck_assert_str_eq(view_family_name(6), "IPv6");
	ck_assert_str_eq(view_family_name(0), "unknown");
	ck_assert_str_eq(view_family_name(5), "unknown");

	ck_assert_str_eq(view_how_name(0), "page");
	ck_assert_str_eq(view_how_name(1), "beacon");
	ck_assert_str_eq(view_how_name(2), "authorizer");
	ck_assert_str_eq(view_how_name(3), "record");
	ck_assert_str_eq(view_how_name(4), "log");
	ck_assert_str_eq(view_how_label(0), "the landing page");
	ck_assert_str_eq(view_how_label(1), "the beacon");
	ck_assert_str_eq(view_how_label(2), "the whole site (authorizer)");
	ck_assert_str_eq(view_how_label(3), "the whole site (/record)");
	ck_assert_str_eq(view_how_label(4), "the web server's log");
	ck_assert_str_eq(view_group_name(VIEW_GROUP_NATIVE), "Native (global)");
	ck_assert_str_eq(view_group_name(VIEW_GROUP_OTHER),
	    "Other (CGNAT, documentation, reserved)");
}
END_TEST

/* Every name a filter can ask for is one query_parse takes, and no other. */
START_TEST(how_names_parse)
{
	struct period	 per;
	char		 qs[64], err[QUERY_ERR_MAX];
	int		 how;

	for (how = 0; view_how_known(how); how++) {
		snprintf(qs, sizeof(qs), "how=%s", view_how_name(how));
		ck_assert_msg(query_parse(qs, &per, err, sizeof(err)) == 0, "%s: %s", qs, err);
		ck_assert_int_eq(per.how, how);
		ck_assert_str_ne(view_how_label(how), "an unknown way");
	}
	ck_assert_int_eq(how, 5);
}
END_TEST

START_TEST(how_limits)
{
	static const int	 bad[] = { -1, 5, 6, -2147483647 - 1, 2147483647 };
	size_t			 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(!view_how_known(bad[i]), "%d known", bad[i]);
		ck_assert_str_eq(view_how_name(bad[i]), "");
		ck_assert_str_eq(view_how_label(bad[i]), "an unknown way");
	}
	ck_assert_str_eq(view_group_name(VIEW_GROUP__MAX), "");
	ck_assert_str_eq(view_group_name((enum view_group)-1), "");
}
END_TEST

static const struct {
	int		 line;
	int		 family;
	enum addr_kind	 kind;
	bool		 mapped;
	enum view_group	 want;
} group_rows[] = {
	{ CASE_LINE, 6, KIND_GLOBAL, false, VIEW_GROUP_NATIVE },
	{ CASE_LINE, 4, KIND_GLOBAL, false, VIEW_GROUP_NATIVE },
	{ CASE_LINE, 6, KIND_6TO4, false, VIEW_GROUP_6TO4 },
	{ CASE_LINE, 6, KIND_TEREDO, false, VIEW_GROUP_TEREDO },
	{ CASE_LINE, 6, KIND_NAT64, false, VIEW_GROUP_NAT64 },
	/* Mapped wins over the kind: it says how the request reached the socket. */
	{ CASE_LINE, 4, KIND_GLOBAL, true, VIEW_GROUP_MAPPED },
	{ CASE_LINE, 4, KIND_PRIVATE, true, VIEW_GROUP_MAPPED },
	{ CASE_LINE, 6, KIND_ULA, false, VIEW_GROUP_INTERNAL },
	{ CASE_LINE, 4, KIND_PRIVATE, false, VIEW_GROUP_INTERNAL },
	{ CASE_LINE, 4, KIND_LOOPBACK, false, VIEW_GROUP_INTERNAL },
	{ CASE_LINE, 6, KIND_LOOPBACK, false, VIEW_GROUP_INTERNAL },
	{ CASE_LINE, 6, KIND_LINKLOCAL, false, VIEW_GROUP_INTERNAL },
	{ CASE_LINE, 4, KIND_CGNAT, false, VIEW_GROUP_OTHER },
	{ CASE_LINE, 4, KIND_DOCUMENTATION, false, VIEW_GROUP_OTHER },
	{ CASE_LINE, 6, KIND_RESERVED, false, VIEW_GROUP_OTHER },
	{ CASE_LINE, 6, KIND__MAX, false, VIEW_GROUP_OTHER },
};

START_TEST(groups)
{
	struct report_kind	 k = { group_rows[_i].family, group_rows[_i].kind,
				    group_rows[_i].mapped, 1 };

	ck_assert_msg(view_kind_group(&k) == group_rows[_i].want, "line %d: group %d",
	    group_rows[_i].line, (int)view_kind_group(&k));
}
END_TEST

START_TEST(group_sums)
{
	struct report_kind	 kinds[] = {
		{ 6, KIND_GLOBAL, false, 10 },
		{ 4, KIND_GLOBAL, false, 5 },
		{ 4, KIND_GLOBAL, true, 3 },
		{ 6, KIND_ULA, false, 2 },
		{ 4, KIND_PRIVATE, false, 1 },
	};
	struct report		 r;
	uint64_t		 sums[VIEW_GROUP__MAX];

	memset(&r, 0, sizeof(r));
	memset(sums, 0xff, sizeof(sums));
	view_group_sums(&r, sums);
	ck_assert_uint_eq(sums[VIEW_GROUP_NATIVE], 0);
	ck_assert_uint_eq(sums[VIEW_GROUP_OTHER], 0);
	r.kinds = kinds;
	r.nkinds = sizeof(kinds) / sizeof(kinds[0]);
	view_group_sums(&r, sums);
	ck_assert_uint_eq(sums[VIEW_GROUP_NATIVE], 15);
	ck_assert_uint_eq(sums[VIEW_GROUP_MAPPED], 3);
	ck_assert_uint_eq(sums[VIEW_GROUP_INTERNAL], 3);
	ck_assert_uint_eq(sums[VIEW_GROUP_6TO4], 0);
	ck_assert_uint_eq(sums[VIEW_GROUP_OTHER], 0);
}
END_TEST

/* ---- filters and links ---- */

START_TEST(filters)
{
	struct report_host	 hosts[] = {
		{ "example.org", 1, 1 }, { "", 2, 0 }, { "www.example.org", 0, 1 },
	};
	struct report		 r;

	memset(&r, 0, sizeof(r));
	r.q.how = -1;
	ck_assert(!view_filtered(&r));
	ck_assert(!view_host_listed(&r));
	r.hosts = hosts;
	r.nhosts = 3;
	ck_assert(!view_host_listed(&r));	/* "" is no filter, though a host is "" */
	r.q.how = 5;
	ck_assert(!view_filtered(&r));		/* an unknown way is no filter */
	r.q.how = 0;
	ck_assert(view_filtered(&r));
	r.q.how = -1;
	strcpy(r.q.host, "www.example.org");
	ck_assert(view_filtered(&r));
	ck_assert(view_host_listed(&r));
	strcpy(r.q.host, "example");
	ck_assert(!view_host_listed(&r));
	strcpy(r.q.host, "example.org.");
	ck_assert(!view_host_listed(&r));
}
END_TEST

/* The presets are the days query_parse accepts, shortest first, each named. */
START_TEST(presets)
{
	const struct view_preset	*p;
	struct period			 per;
	char				 qs[32], err[QUERY_ERR_MAX];
	unsigned			 last = 0;
	size_t				 i;

	for (i = 0; (p = view_preset(i)) != NULL; i++) {
		ck_assert_uint_gt(p->days, last);
		last = p->days;
		ck_assert(p->label != NULL && p->label[0] != '\0');
		snprintf(qs, sizeof(qs), "days=%u", p->days);
		ck_assert_msg(query_parse(qs, &per, err, sizeof(err)) == 0, "%s: %s", qs, err);
		ck_assert_uint_eq(per.days, p->days);
	}
	ck_assert_uint_eq(i, 5);
	ck_assert_str_eq(view_preset(0)->label, "24 hours");
	ck_assert_str_eq(view_preset(4)->label, "1 year");
	ck_assert_ptr_null(view_preset(5));
	ck_assert_ptr_null(view_preset((size_t)-1));
}
END_TEST

static const struct {
	int		 line;
	unsigned	 days;
	int64_t		 from, to;
	const char	*host;
	int		 how;
	const char	*period;	/* view_period_query */
	const char	*all;		/* ... then view_filter_query */
} query_rows[] = {
	{ CASE_LINE, 7, NOV1, NOV1 + 7 * DAY, "", -1, "days=7", "days=7" },
	/* A preset stays a preset, even when its window is not day-aligned. */
	{ CASE_LINE, 1, NOV1 + 3600, NOV1 + 3600 + DAY, "", -1, "days=1", "days=1" },
	{ CASE_LINE, 0, NOV1, NOV1 + 30 * DAY, "", -1,
	  "from=2026-11-01&to=2026-11-30", "from=2026-11-01&to=2026-11-30" },
	{ CASE_LINE, 0, NOV1, NOV1 + DAY, "", -1,
	  "from=2026-11-01&to=2026-11-01", "from=2026-11-01&to=2026-11-01" },
	/* Not day-aligned and no preset: the days it covers, rounded up. */
	{ CASE_LINE, 0, NOV1 + 3600, NOV1 + 3600 + DAY, "", -1, "days=1", "days=1" },
	{ CASE_LINE, 0, NOV1 + 3600, NOV1 + 2 * DAY, "", -1, "days=2", "days=2" },
	{ CASE_LINE, 7, NOV1, NOV1 + 7 * DAY, "example.org", -1, "days=7",
	  "days=7&host=example.org" },
	{ CASE_LINE, 7, NOV1, NOV1 + 7 * DAY, "a&how=page b", 1, "days=7",
	  "days=7&host=a%26how%3Dpage%20b&how=beacon" },
	{ CASE_LINE, 7, NOV1, NOV1 + 7 * DAY, "", 3, "days=7", "days=7&how=record" },
	{ CASE_LINE, 7, NOV1, NOV1 + 7 * DAY, "", 4, "days=7", "days=7&how=log" },
	{ CASE_LINE, 7, NOV1, NOV1 + 7 * DAY, "", 5, "days=7", "days=7" },
	{ CASE_LINE, 7, NOV1, NOV1 + 7 * DAY, NULL, -1, "days=7", "days=7" },
};

START_TEST(queries)
{
	struct report	 r;
	struct buf	 q = { 0 };

	memset(&r, 0, sizeof(r));
	r.q.days = query_rows[_i].days;
	r.q.from = query_rows[_i].from;
	r.q.to = query_rows[_i].to;
	view_period_query(&q, &r);
	ck_assert_msg(strcmp(buf_str(&q), query_rows[_i].period) == 0,
	    "line %d: \"%s\"", query_rows[_i].line, buf_str(&q));
	view_filter_query(&q, query_rows[_i].host, NULL, query_rows[_i].how);
	ck_assert_msg(strcmp(buf_str(&q), query_rows[_i].all) == 0,
	    "line %d: \"%s\"", query_rows[_i].line, buf_str(&q));
	buf_free(&q);
}
END_TEST

/* A link asks for the same report again: same period, same filters. */
START_TEST(queries_read_back)
{
	static const char *const asked[] = {
		"days=7", "days=1&host=example.org", "from=2026-11-01&to=2026-11-30",
		"from=2026-11-10&to=2026-11-10&how=beacon",
		"days=365&host=%3Cb%3E%20%26&how=record", "from=2026-01-01&to=2026-12-31",
	};
	struct period		 per, again;
	struct report		 r;
	struct report_query	 q2;
	struct buf		 q = { 0 };
	char			 err[QUERY_ERR_MAX];
	size_t			 i;
	const int64_t		 now = NOV1 + 12345;

	for (i = 0; i < sizeof(asked) / sizeof(asked[0]); i++) {
		memset(&r, 0, sizeof(r));
		ck_assert_msg(query_parse(asked[i], &per, err, sizeof(err)) == 0, "%s", err);
		query_period(&per, now, &r.q);
		buf_reset(&q);
		view_period_query(&q, &r);
		view_filter_query(&q, r.q.host, r.q.node, r.q.how);
		ck_assert_msg(query_parse(buf_str(&q), &again, err, sizeof(err)) == 0,
		    "%s: %s", buf_str(&q), err);
		query_period(&again, now, &q2);
		ck_assert_msg(q2.from == r.q.from && q2.to == r.q.to &&
		    q2.bucket == r.q.bucket && q2.days == r.q.days &&
		    q2.how == r.q.how && strcmp(q2.host, r.q.host) == 0,
		    "%s came back as %s", asked[i], buf_str(&q));
		/* The preset links keep the filters and nothing else of the period. */
		buf_reset(&q);
		view_preset_query(&q, &r, 30);
		ck_assert_msg(query_parse(buf_str(&q), &again, err, sizeof(err)) == 0,
		    "%s: %s", buf_str(&q), err);
		ck_assert_uint_eq(again.days, 30);
		ck_assert_int_eq(again.how, r.q.how);
		ck_assert_str_eq(again.host, r.q.host);
	}
	buf_free(&q);
}
END_TEST

Suite *
report_view_suite(void)
{
	Suite	*s = suite_create("report_view");
	TCase	*tc;

	tc = tcase_create("times");
	tcase_add_loop_test(tc, times, 0, sizeof(time_rows) / sizeof(time_rows[0]));
	tcase_add_test(tc, buckets);
	suite_add_tcase(s, tc);
	tc = tcase_create("numbers");
	tcase_add_loop_test(tc, percent, 0, sizeof(percent_rows) / sizeof(percent_rows[0]));
	tcase_add_loop_test(tc, points, 0, sizeof(points_rows) / sizeof(points_rows[0]));
	tcase_add_test(tc, parts);
	tcase_add_loop_test(tc, change, 0, sizeof(change_rows) / sizeof(change_rows[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("names");
	tcase_add_test(tc, names);
	tcase_add_test(tc, how_names_parse);
	tcase_add_loop_test(tc, groups, 0, sizeof(group_rows) / sizeof(group_rows[0]));
	tcase_add_test(tc, group_sums);
	suite_add_tcase(s, tc);
	tc = tcase_create("links");
	tcase_add_test(tc, filters);
	tcase_add_test(tc, presets);
	tcase_add_loop_test(tc, queries, 0, sizeof(query_rows) / sizeof(query_rows[0]));
	tcase_add_test(tc, queries_read_back);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, time_small_buffer);
	tcase_add_loop_test(tc, scale, 0, sizeof(scale_rows) / sizeof(scale_rows[0]));
	tcase_add_test(tc, change_threshold);
	tcase_add_test(tc, how_limits);
	suite_add_tcase(s, tc);
	return s;
}
