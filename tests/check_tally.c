/* check_tally.c: requests summed by hour, family, kind, listener, way, host and network: groups, kinds, hosts, hours, clearing. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "row.h"
#include "tally.h"
#include "check_suites.h"

#define T0	((int64_t)1700000000)	/* 2023-11-14 22:13:20 UTC */
#define H0	((int64_t)1699999200)	/* its hour */

static struct addr
A(const char *text)
{
	struct addr	 a;

	ck_assert_msg(addr_parse(text, &a) == 0, "%s", text);
	return a;
}

/* What one request becomes: its group as a row. */
static const struct {
	int		 line;
	const char	*client;
	int64_t		 t;
	int		 server_family;
	enum how	 how;
	const char	*host;
	/* expected */
	int64_t		 hour;
	int		 family;
	enum addr_kind	 kind;
	bool		 mapped;
	const char	*prefix;
} one_rows[] = {
	{ CASE_LINE, "203.0.113.77", T0, 4, HOW_LOG, NULL,
	  H0, 4, KIND_DOCUMENTATION, false, "203.0.113.0/24" },
	{ CASE_LINE, "2001:db8:1:2:3:4:5:6", T0, 6, HOW_LOG, "www.example",
	  H0, 6, KIND_DOCUMENTATION, false, "2001:db8:1::/48" },
	/* Classified whole, before truncation: 2002:c000:0204:: is 6to4 of 192.0.2.4. */
	{ CASE_LINE, "2002:c000:204::1", T0, 6, HOW_LOG, NULL,
	  H0, 6, KIND_6TO4, false, "2002:c000:204::/48" },
	{ CASE_LINE, "::ffff:198.51.100.7", T0, 4, HOW_LOG, NULL,
	  H0, 4, KIND_DOCUMENTATION, true, "198.51.100.0/24" },
	{ CASE_LINE, "8.8.8.8", T0, 4, HOW_BEACON, NULL,
	  H0, 4, KIND_GLOBAL, false, "8.8.8.0/24" },
	{ CASE_LINE, "fd00:1:2:3::9", T0, 6, HOW_LOG, NULL,
	  H0, 6, KIND_ULA, false, "fd00:1:2::/48" },
	/* The hour's first and last second. */
	{ CASE_LINE, "192.0.2.1", H0, 4, HOW_LOG, NULL,
	  H0, 4, KIND_DOCUMENTATION, false, "192.0.2.0/24" },
	{ CASE_LINE, "192.0.2.1", H0 + 3599, 4, HOW_LOG, NULL,
	  H0, 4, KIND_DOCUMENTATION, false, "192.0.2.0/24" },
	{ CASE_LINE, "192.0.2.1", H0 + 3600, 4, HOW_LOG, NULL,
	  H0 + 3600, 4, KIND_DOCUMENTATION, false, "192.0.2.0/24" },
	/* Before the epoch: floored, not rounded toward zero. */
	{ CASE_LINE, "192.0.2.1", -1, 4, HOW_LOG, NULL,
	  -3600, 4, KIND_DOCUMENTATION, false, "192.0.2.0/24" },
	{ CASE_LINE, "192.0.2.1", -3600, 4, HOW_LOG, NULL,
	  -3600, 4, KIND_DOCUMENTATION, false, "192.0.2.0/24" },
	{ CASE_LINE, "192.0.2.1", -3601, 4, HOW_LOG, NULL,
	  -7200, 4, KIND_DOCUMENTATION, false, "192.0.2.0/24" },
};

START_TEST(test_one)
{
	const struct row	*rows;
	const uint64_t		*counts;
	struct tally		*t;
	struct addr		 c = A(one_rows[_i].client);
	size_t			 n;
	int			 line = one_rows[_i].line;

	ck_assert_ptr_nonnull(t = tally_new(24, 48));
	ck_assert_int_eq(tally_add(t, one_rows[_i].t, &c, one_rows[_i].server_family,
	    one_rows[_i].how, one_rows[_i].host), 0);
	ck_assert_int_eq(tally_rows(t, &rows, &counts, &n), 0);
	ck_assert_msg(n == 1, "line %d: %zu groups", line, n);
	ck_assert_msg(rows[0].time == one_rows[_i].hour, "line %d: hour %jd", line,
	    (intmax_t)rows[0].time);
	ck_assert_msg(rows[0].family == one_rows[_i].family, "line %d", line);
	ck_assert_msg(rows[0].kind == one_rows[_i].kind, "line %d: kind %s", line,
	    addr_kind_name(rows[0].kind));
	ck_assert_msg(rows[0].mapped == one_rows[_i].mapped, "line %d", line);
	ck_assert_msg(strcmp(rows[0].prefix, one_rows[_i].prefix) == 0,
	    "line %d: prefix %s", line, rows[0].prefix);
	ck_assert_msg(rows[0].server_family == one_rows[_i].server_family, "line %d", line);
	ck_assert_msg(rows[0].how == one_rows[_i].how, "line %d", line);
	ck_assert_msg((rows[0].host == NULL) == (one_rows[_i].host == NULL) &&
	    (rows[0].host == NULL || strcmp(rows[0].host, one_rows[_i].host) == 0),
	    "line %d: host", line);
	ck_assert_msg(row_invalid(&rows[0]) == NULL, "line %d: %s", line,
	    row_invalid(&rows[0]));
	ck_assert_uint_eq(counts[0], 1);
	ck_assert_uint_eq(tally_requests(t), 1);
	tally_free(t);
}
END_TEST

/* Requests that differ only where a cell does not look are one group. */
START_TEST(test_groups)
{
	static const struct {
		const char	*client;
		int64_t		 t;
		int		 server_family;
		enum how	 how;
		const char	*host;
		size_t		 group;	/* which group it joins */
	} reqs[] = {
		{ "2001:db8:1::1", T0, 6, HOW_LOG, "a.example", 0 },
		{ "2001:db8:1:ffff::2", T0 + 60, 6, HOW_LOG, "a.example", 0 },	/* same /48, hour */
		{ "2001:db8:2::1", T0, 6, HOW_LOG, "a.example", 1 },		/* another /48 */
		{ "2001:db8:1::1", T0 + 3600, 6, HOW_LOG, "a.example", 2 },	/* next hour */
		{ "2001:db8:1::1", T0, 6, HOW_LOG, "b.example", 3 },		/* another host */
		{ "2001:db8:1::1", T0, 6, HOW_LOG, NULL, 4 },			/* no host */
		{ "2001:db8:1::1", T0, 6, HOW_PAGE, "a.example", 5 },		/* another way */
		{ "192.0.2.1", T0, 4, HOW_LOG, "a.example", 6 },
		{ "::ffff:192.0.2.9", T0, 4, HOW_LOG, "a.example", 7 },	/* mapped */
		{ "192.0.2.200", T0, 6, HOW_LOG, "a.example", 8 },		/* listener */
		{ "192.0.2.200", T0, 4, HOW_LOG, "a.example", 6 },
		{ "192.0.2.77", T0 + 1, 4, HOW_LOG, "a.example", 6 },
		{ "2001:db8:1::5", T0, 6, HOW_LOG, "b.example", 3 },
	};
	/* By network (in the order first met), then in the order first met. */
	static const uint64_t	 want[] = { 2, 1, 2, 1, 1, 1, 3, 1, 1 };
	const struct row	*rows;
	const uint64_t		*counts;
	struct tally		*t;
	struct addr		 c;
	size_t			 i, n;

	ck_assert_ptr_nonnull(t = tally_new(24, 48));
	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		c = A(reqs[i].client);
		ck_assert_int_eq(tally_add(t, reqs[i].t, &c, reqs[i].server_family,
		    reqs[i].how, reqs[i].host), 0);
	}
	ck_assert_uint_eq(tally_requests(t), sizeof(reqs) / sizeof(reqs[0]));
	ck_assert_uint_eq(tally_groups(t), sizeof(want) / sizeof(want[0]));
	ck_assert_int_eq(tally_rows(t, &rows, &counts, &n), 0);
	ck_assert_uint_eq(n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < n; i++)
		ck_assert_msg(counts[i] == want[i], "group %zu: %ju", i, (uintmax_t)counts[i]);
	ck_assert_str_eq(rows[0].prefix, "2001:db8:1::/48");
	ck_assert_str_eq(rows[4].prefix, "2001:db8:1::/48");
	ck_assert_int_eq(rows[1].time, rows[0].time + 3600);
	ck_assert_str_eq(rows[2].host, "b.example");
	ck_assert_ptr_null(rows[3].host);
	ck_assert_int_eq(rows[4].how, HOW_PAGE);
	ck_assert_str_eq(rows[5].prefix, "2001:db8:2::/48");
	/* A mapped client is the same network as an IPv4 one (the listener differs). */
	ck_assert_str_eq(rows[6].prefix, "192.0.2.0/24");
	ck_assert(rows[7].mapped);
	ck_assert_str_eq(rows[7].prefix, "192.0.2.0/24");
	ck_assert_int_eq(rows[8].server_family, 6);
	/* Cleared: nothing, and it counts again from nothing. */
	tally_clear(t);
	ck_assert_uint_eq(tally_groups(t), 0);
	ck_assert_uint_eq(tally_requests(t), 0);
	ck_assert_int_eq(tally_rows(t, &rows, &counts, &n), 0);
	ck_assert_uint_eq(n, 0);
	c = A("2001:db8:1::1");
	ck_assert_int_eq(tally_add(t, T0, &c, 6, HOW_LOG, "b.example"), 0);
	ck_assert_int_eq(tally_rows(t, &rows, &counts, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(rows[0].host, "b.example");
	tally_free(t);
}
END_TEST

/* Many groups and hosts: the tables grow, and every request is counted once. */
START_TEST(test_many)
{
	const struct row	*rows;
	const uint64_t		*counts;
	struct tally		*t;
	struct addr		 c;
	char			 text[64], host[32];
	uint64_t		 sum = 0;
	size_t			 i, n;

	ck_assert_ptr_nonnull(t = tally_new(24, 64));
	for (i = 0; i < 50000; i++) {
		snprintf(text, sizeof(text), "2001:db8:%zx:%zx::1", i % 97, i % 1013);
		snprintf(host, sizeof(host), "h%zu.example", i % 37);
		c = A(text);
		ck_assert_int_eq(tally_add(t, T0 + (int64_t)(i % 5) * 3600, &c, 6,
		    HOW_LOG, host), 0);
	}
	ck_assert_int_eq(tally_rows(t, &rows, &counts, &n), 0);
	for (i = 0; i < n; i++) {
		sum += counts[i];
		ck_assert_ptr_null(row_invalid(&rows[i]));
	}
	ck_assert_uint_eq(sum, 50000);
	ck_assert_uint_eq(tally_requests(t), 50000);
	/* 97 and 1013 are coprime: 50000 distinct /64s, each its own group. */
	ck_assert_uint_eq(n, 50000);
	tally_free(t);
}
END_TEST

/* Prefix lengths at their ends, and hosts cut as rows cut them. */
START_TEST(test_limits)
{
	const struct row	*rows;
	const uint64_t		*counts;
	struct tally		*t;
	struct addr		 c;
	char			 longhost[400];
	size_t			 n;

	ck_assert_ptr_nonnull(t = tally_new(0, 0));
	c = A("203.0.113.9");
	ck_assert_int_eq(tally_add(t, T0, &c, 4, HOW_LOG, NULL), 0);
	c = A("2001:db8::1");
	ck_assert_int_eq(tally_add(t, T0, &c, 6, HOW_LOG, NULL), 0);
	ck_assert_int_eq(tally_rows(t, &rows, &counts, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(rows[0].prefix, "0.0.0.0/0");
	ck_assert_str_eq(rows[1].prefix, "::/0");
	tally_free(t);

	/* Past the ends: clamped, as addr_truncate does. */
	ck_assert_ptr_nonnull(t = tally_new(99, 999));
	c = A("203.0.113.9");
	ck_assert_int_eq(tally_add(t, T0, &c, 4, HOW_LOG, NULL), 0);
	ck_assert_int_eq(tally_rows(t, &rows, &counts, &n), 0);
	ck_assert_str_eq(rows[0].prefix, "203.0.113.9/32");
	tally_clear(t);

	memset(longhost, 'a', sizeof(longhost) - 1);
	longhost[sizeof(longhost) - 1] = '\0';
	ck_assert_int_eq(tally_add(t, T0, &c, 4, HOW_LOG, longhost), 0);
	/* The same host once cut: the same group. */
	longhost[300] = '\0';
	ck_assert_int_eq(tally_add(t, T0, &c, 4, HOW_LOG, longhost), 0);
	ck_assert_int_eq(tally_rows(t, &rows, &counts, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(counts[0], 2);
	ck_assert_uint_eq(strlen(rows[0].host), ROW_HOST_MAX);
	tally_free(t);
	tally_free(NULL);
}
END_TEST

Suite *
tally_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("tally");
	tc = tcase_create("core");
	tcase_add_loop_test(tc, test_one, 0, sizeof(one_rows) / sizeof(one_rows[0]));
	tcase_add_test(tc, test_groups);
	tcase_add_test(tc, test_many);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, test_limits);
	suite_add_tcase(s, tc);
	return s;
}
