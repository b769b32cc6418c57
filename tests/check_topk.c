/* check_topk.c: the least count among the k busiest: ties, k past the list, k = 0, nothing counted. */
#include <stdint.h>

#include "topk.h"
#include "check_suites.h"

#define V(...)	((const uint64_t[]){ __VA_ARGS__ }), \
	(sizeof((const uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t))

static const struct {
	int		 line;
	const uint64_t	*v;
	size_t		 n;
	size_t		 k;
	uint64_t	 floor;
} rows[] = {
	{ CASE_LINE, V(5, 1, 9, 3), 1, 9 },
	{ CASE_LINE, V(5, 1, 9, 3), 2, 5 },
	{ CASE_LINE, V(5, 1, 9, 3), 3, 3 },
	{ CASE_LINE, V(5, 1, 9, 3), 4, 1 },
	/* Ties at the edge: the floor is the tied value, so all of them are candidates. */
	{ CASE_LINE, V(4, 7, 4, 4, 1), 2, 4 },
	{ CASE_LINE, V(4, 7, 4, 4, 1), 3, 4 },
	{ CASE_LINE, V(4, 7, 4, 4, 1), 4, 4 },
	{ CASE_LINE, V(4, 7, 4, 4, 1), 5, 1 },
	{ CASE_LINE, V(2, 2, 2, 2), 1, 2 },
	/* Zeros are never counted: fewer than k nonzero, so every nonzero is in. */
	{ CASE_LINE, V(0, 3, 0, 0, 8, 0), 3, 1 },
	{ CASE_LINE, V(0, 3, 0, 0, 8, 0), 2, 3 },
	{ CASE_LINE, V(0, 3, 0, 0, 8, 0), 1, 8 },
	/* Order does not matter. */
	{ CASE_LINE, V(1, 2, 3, 4, 5, 6, 7, 8), 3, 6 },
	{ CASE_LINE, V(8, 7, 6, 5, 4, 3, 2, 1), 3, 6 },
	{ CASE_LINE, V(UINT64_MAX, 1, UINT64_MAX - 1), 2, UINT64_MAX - 1 },
};

START_TEST(test_floor)
{
	uint64_t	 f = 42;

	ck_assert_int_eq(topk_floor(rows[_i].v, rows[_i].n, rows[_i].k, &f), 0);
	ck_assert_msg(f == rows[_i].floor, "line %d: %ju, want %ju", rows[_i].line,
	    (uintmax_t)f, (uintmax_t)rows[_i].floor);
}
END_TEST

static const struct {
	int		 line;
	const uint64_t	*v;
	size_t		 n;
	size_t		 k;
	uint64_t	 floor;
} limit_rows[] = {
	/* k = 0: nothing is a candidate. */
	{ CASE_LINE, V(5, 1, 9), 0, 0 },
	/* k > n, and k = n: every nonzero one. */
	{ CASE_LINE, V(5, 1, 9), 4, 1 },
	{ CASE_LINE, V(5, 1, 9), 3, 1 },
	{ CASE_LINE, V(5, 1, 9), SIZE_MAX, 1 },
	/* Nothing counted: no candidate, whatever k. */
	{ CASE_LINE, V(0, 0, 0), 1, 0 },
	{ CASE_LINE, V(0, 0, 0), 2, 0 },
	{ CASE_LINE, V(0, 0, 0), 10, 0 },
	{ CASE_LINE, V(0), 1, 0 },
	{ CASE_LINE, V(7), 1, 7 },
};

START_TEST(test_floor_limits)
{
	uint64_t	 f = 42;

	ck_assert_int_eq(topk_floor(limit_rows[_i].v, limit_rows[_i].n, limit_rows[_i].k,
	    &f), 0);
	ck_assert_msg(f == limit_rows[_i].floor, "line %d: %ju, want %ju",
	    limit_rows[_i].line, (uintmax_t)f, (uintmax_t)limit_rows[_i].floor);
}
END_TEST

START_TEST(test_empty)
{
	uint64_t	 f = 42;

	ck_assert_int_eq(topk_floor(NULL, 0, 10, &f), 0);
	ck_assert_uint_eq(f, 0);
	ck_assert_int_eq(topk_floor(NULL, 0, 0, &f), 0);
	ck_assert_uint_eq(f, 0);
}
END_TEST

/* A long list against sorting it: the floor is the k-th largest nonzero. */
START_TEST(test_many)
{
	static uint64_t	 v[10000];
	uint64_t	 f, x = 7, want;
	size_t		 i, k, nz, above;

	for (i = 0; i < 10000; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		v[i] = (x >> 33) % 50;	/* many ties, some zeros */
	}
	for (k = 1; k <= 10000; k *= 3) {
		ck_assert_int_eq(topk_floor(v, 10000, k, &f), 0);
		for (nz = 0, i = 0; i < 10000; i++)
			nz += v[i] != 0;
		if (nz < k)
			want = 1;
		else {
			/* The largest value with at least k values at or above it. */
			for (want = 49; want > 0; want--) {
				for (above = 0, i = 0; i < 10000; i++)
					above += v[i] >= want;
				if (above >= k)
					break;
			}
		}
		ck_assert_msg(f == want, "k %zu: %ju, want %ju", k, (uintmax_t)f, (uintmax_t)want);
	}
}
END_TEST

#define N(a)	((int)(sizeof(a) / sizeof((a)[0])))

Suite *
topk_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("topk");
	tc = tcase_create("core");
	tcase_add_loop_test(tc, test_floor, 0, N(rows));
	tcase_add_test(tc, test_many);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_loop_test(tc, test_floor_limits, 0, N(limit_rows));
	tcase_add_test(tc, test_empty);
	suite_add_tcase(s, tc);
	return s;
}
