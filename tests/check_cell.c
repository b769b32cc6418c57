/* check_cell.c: roll-up cells: units of time, count codes, and the bytes of their two blobs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "buf.h"
#include "cell.h"
#include "check_suites.h"

static const struct {
	int	 line;
	int64_t	 t, span, want;
} start_rows[] = {
	{ CASE_LINE, 0, CELL_HOUR, 0 },
	{ CASE_LINE, 3599, CELL_HOUR, 0 },
	{ CASE_LINE, 3600, CELL_HOUR, 3600 },
	{ CASE_LINE, 1699920000 + 86399, CELL_DAY, 1699920000 },
	{ CASE_LINE, -1, CELL_HOUR, -3600 },
	{ CASE_LINE, -3600, CELL_HOUR, -3600 },
	{ CASE_LINE, -3601, CELL_HOUR, -7200 },
	{ CASE_LINE, 64 * CELL_DAY * 3 + 5, 64 * CELL_DAY, 64 * CELL_DAY * 3 },
	{ CASE_LINE, INT64_MAX, CELL_HOUR, INT64_MAX - INT64_MAX % CELL_HOUR },
	{ CASE_LINE, INT64_MIN + CELL_HOUR, CELL_HOUR, -9223372036854774000 },
};

START_TEST(test_start)
{
	int64_t	 got = cell_start(start_rows[_i].t, start_rows[_i].span);

	ck_assert_msg(got == start_rows[_i].want, "line %d: %jd", start_rows[_i].line,
	    (intmax_t)got);
}
END_TEST

START_TEST(test_spans)
{
	int	 lv;

	ck_assert_int_eq(cell_span[0], 3600);
	for (lv = 1; lv < CELL_LEVELS; lv++)
		/* A unit holds whole units of the level below: cells build from them. */
		ck_assert_int_eq(cell_span[lv] % cell_span[lv - 1], 0);
	ck_assert_int_eq(cell_span[CELL_LEVELS - 1], 64 * 86400);
}
END_TEST

static const struct {
	int	 line;
	int	 kind;
	bool	 mapped;
	int	 server_family;
	int	 code;
	int	 kind_back;	/* what the code says */
	int	 server_back;
} code_rows[] = {
	{ CASE_LINE, 0, false, 0, 0, 0, 0 },
	{ CASE_LINE, 0, false, 4, 1, 0, 4 },
	{ CASE_LINE, 0, false, 6, 2, 0, 6 },
	{ CASE_LINE, 0, true, 0, 3, 0, 0 },
	{ CASE_LINE, 1, false, 6, 8, 1, 6 },
	{ CASE_LINE, CELL_KINDS - 1, true, 6, CELL_CODES - 1, CELL_KINDS - 1, 6 },
	/* A listener neither 4 nor 6 is unknown. */
	{ CASE_LINE, 2, false, 5, 12, 2, 0 },
	/* A kind with no room counts as KIND__MAX. */
	{ CASE_LINE, CELL_KINDS, false, 4, KIND__MAX * 6 + 1, KIND__MAX, 4 },
	{ CASE_LINE, -1, true, 6, KIND__MAX * 6 + 5, KIND__MAX, 6 },
};

START_TEST(test_code)
{
	int	 c = cell_code(code_rows[_i].kind, code_rows[_i].mapped,
	    code_rows[_i].server_family);

	ck_assert_msg(c == code_rows[_i].code, "line %d: code %d", code_rows[_i].line, c);
	ck_assert_msg(c >= 0 && c < CELL_CODES, "line %d: out of range", code_rows[_i].line);
	ck_assert_msg(cell_code_kind(c) == code_rows[_i].kind_back &&
	    cell_code_mapped(c) == code_rows[_i].mapped &&
	    cell_code_server_family(c) == code_rows[_i].server_back,
	    "line %d: decoded %d %d %d", code_rows[_i].line, cell_code_kind(c),
	    cell_code_mapped(c), cell_code_server_family(c));
}
END_TEST

START_TEST(test_counts)
{
	/* (1, 5), (8, 128), (191, 2): 128 and 191 take two bytes. */
	static const unsigned char	 want[] = { 0x01, 0x05, 0x08, 0x80, 0x01,
	    0xbf, 0x01, 0x02 };
	uint64_t			 counts[CELL_CODES], back[CELL_CODES];
	struct buf			 b = { 0 };

	memset(counts, 0, sizeof(counts));
	memset(back, 0, sizeof(back));
	counts[1] = 5;
	counts[8] = 128;
	counts[CELL_CODES - 1] = 2;
	cell_counts_put(&b, counts);
	/* Codes ascending, zero counts left out. */
	ck_assert_uint_eq(b.len, sizeof(want));
	ck_assert_int_eq(memcmp(b.data, want, sizeof(want)), 0);
	ck_assert_uint_eq(cell_counts_total(b.data, b.len), 135);
	ck_assert_uint_eq(cell_counts_add(b.data, b.len, back), 135);
	ck_assert_int_eq(memcmp(counts, back, sizeof(back)), 0);
	/* Adding twice adds. */
	ck_assert_uint_eq(cell_counts_add(b.data, b.len, back), 135);
	ck_assert_uint_eq(back[8], 256);
	buf_free(&b);
}
END_TEST

START_TEST(test_counts_limits)
{
	/* (1, 5), (code past CELL_CODES, 7), then a pair cut short. */
	static const unsigned char	 blob[] = { 0x01, 0x05, 0xff, 0x7f, 0x07, 0x03 };
	uint64_t			 counts[CELL_CODES];
	struct buf			 b = { 0 };

	memset(counts, 0, sizeof(counts));
	/* Not ours: not added, but part of the total. */
	ck_assert_uint_eq(cell_counts_add(blob, sizeof(blob), counts), 12);
	ck_assert_uint_eq(counts[1], 5);
	ck_assert_uint_eq(cell_counts_total(blob, sizeof(blob)), 12);
	ck_assert_uint_eq(cell_counts_total(blob, 1), 0);
	ck_assert_uint_eq(cell_counts_total(NULL, 0), 0);
	ck_assert_uint_eq(cell_counts_add(NULL, 0, counts), 0);
	/* No counts: an empty blob. */
	memset(counts, 0, sizeof(counts));
	cell_counts_put(&b, counts);
	ck_assert_uint_eq(b.len, 0);
	buf_free(&b);
}
END_TEST

/* A table of another size: the same bytes, codes past it not added. */
START_TEST(test_counts_n)
{
	enum { N = 5000 };
	static uint64_t	 counts[N], back[N];
	struct buf	 b = { 0 };

	memset(counts, 0, sizeof(counts));
	memset(back, 0, sizeof(back));
	counts[0] = 1;
	counts[CELL_CODES] = 3;
	counts[N - 1] = 300;
	cell_counts_putn(&b, counts, N);
	ck_assert_uint_eq(cell_counts_addn(b.data, b.len, back, N), 304);
	ck_assert_int_eq(memcmp(counts, back, sizeof(back)), 0);
	/* Read into the request cells' table: only code 0 is theirs. */
	memset(back, 0, sizeof(back));
	ck_assert_uint_eq(cell_counts_add(b.data, b.len, back), 304);
	ck_assert_uint_eq(back[0], 1);
	ck_assert_uint_eq(back[CELL_CODES], 0);
	/* Only the first ncodes codes are written. */
	buf_reset(&b);
	cell_counts_putn(&b, counts, CELL_CODES);
	ck_assert_uint_eq(cell_counts_total(b.data, b.len), 1);
	buf_free(&b);
}
END_TEST

struct pairs {
	uint64_t	 code[4], n[4];
	int		 k;
};

static void
one_pair(void *arg, uint64_t code, uint64_t n)
{
	struct pairs	*p = arg;

	ck_assert_int_lt(p->k, 4);
	p->code[p->k] = code;
	p->n[p->k++] = n;
}

/* Each pair of a blob, in order; one cut short is not one. */
START_TEST(test_counts_each)
{
	static const unsigned char	 blob[] = { 0x01, 0x05, 0xbf, 0x01, 0x02, 0x07 };
	struct pairs			 p;

	memset(&p, 0, sizeof(p));
	cell_counts_each(blob, sizeof(blob), one_pair, &p);
	ck_assert_int_eq(p.k, 2);
	ck_assert_uint_eq(p.code[0], 1);
	ck_assert_uint_eq(p.n[0], 5);
	ck_assert_uint_eq(p.code[1], 191);
	ck_assert_uint_eq(p.n[1], 2);
	memset(&p, 0, sizeof(p));
	cell_counts_each(NULL, 0, one_pair, &p);
	ck_assert_int_eq(p.k, 0);
}
END_TEST

START_TEST(test_prefixes)
{
	struct cell_prefix	 v[] = { { 300, 1 }, { 2, 4 }, { 300, 2 }, { 1, 1 }, { 2, 1 } };
	/* Sorted, one id once: (1, 1), (2 - 1, 5), (300 - 2, 3). */
	static const unsigned char	 want[] = { 0x01, 0x01, 0x01, 0x05, 0xaa, 0x02, 0x03 };
	struct cell_prefix	*back = NULL;
	uint64_t		 counts[301];
	struct buf		 b = { 0 };
	size_t			 n = 0, cap = 0;

	cell_prefixes_put(&b, v, sizeof(v) / sizeof(v[0]));
	ck_assert_uint_eq(b.len, sizeof(want));
	ck_assert_int_eq(memcmp(b.data, want, sizeof(want)), 0);
	ck_assert_int_eq(cell_prefixes_read(b.data, b.len, &back, &n, &cap), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert(back[0].id == 1 && back[0].n == 1);
	ck_assert(back[1].id == 2 && back[1].n == 5);
	ck_assert(back[2].id == 300 && back[2].n == 3);
	/* Read appends. */
	ck_assert_int_eq(cell_prefixes_read(b.data, b.len, &back, &n, &cap), 0);
	ck_assert_uint_eq(n, 6);
	ck_assert(back[5].id == 300 && back[5].n == 3);
	memset(counts, 0, sizeof(counts));
	cell_prefixes_add(b.data, b.len, counts, 301);
	ck_assert(counts[1] == 1 && counts[2] == 5 && counts[300] == 3);
	/* An id past the counts ends it: 300 is not added. */
	cell_prefixes_add(b.data, b.len, counts, 300);
	ck_assert(counts[1] == 2 && counts[2] == 10 && counts[300] == 3);
	free(back);
	buf_free(&b);
}
END_TEST

START_TEST(test_prefixes_limits)
{
	struct cell_prefix	*v = NULL, one = { 0, 9 };
	uint64_t		 counts[4] = { 0 };
	struct buf		 b = { 0 };
	size_t			 n = 0, cap = 0, i;

	/* Nothing: an empty blob, and nothing read back. */
	cell_prefixes_put(&b, NULL, 0);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_int_eq(cell_prefixes_read(NULL, 0, &v, &n, &cap), 0);
	ck_assert_uint_eq(n, 0);
	cell_prefixes_add(NULL, 0, counts, 4);
	/* Id 0 is a delta of 0. */
	cell_prefixes_put(&b, &one, 1);
	ck_assert_uint_eq(b.len, 2);
	cell_prefixes_add(b.data, b.len, counts, 4);
	ck_assert_uint_eq(counts[0], 9);
	/* Cut in the middle of a pair: the whole pairs before it count. */
	ck_assert_int_eq(cell_prefixes_read(b.data, 1, &v, &n, &cap), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(cell_prefixes_read(b.data, 2, &v, &n, &cap), 0);
	ck_assert_uint_eq(n, 1);
	n = 0;
	/* Many entries: the list grows. */
	buf_reset(&b);
	{
		struct cell_prefix	 many[1000];

		for (i = 0; i < 1000; i++) {
			many[i].id = (int64_t)(999 - i) * 1000;
			many[i].n = 1;
		}
		cell_prefixes_put(&b, many, 1000);
	}
	ck_assert_int_eq(cell_prefixes_read(b.data, b.len, &v, &n, &cap), 0);
	ck_assert_uint_eq(n, 1000);
	for (i = 0; i < 1000; i++)
		ck_assert(v[i].id == (int64_t)i * 1000 && v[i].n == 1);
	free(v);
	buf_free(&b);
}
END_TEST

#define N(a)	((int)(sizeof(a) / sizeof((a)[0])))

Suite *
cell_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("cell");
	tc = tcase_create("core");
	tcase_add_loop_test(tc, test_start, 0, N(start_rows));
	tcase_add_test(tc, test_spans);
	tcase_add_loop_test(tc, test_code, 0, N(code_rows));
	tcase_add_test(tc, test_counts);
	tcase_add_test(tc, test_counts_n);
	tcase_add_test(tc, test_counts_each);
	tcase_add_test(tc, test_prefixes);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, test_counts_limits);
	tcase_add_test(tc, test_prefixes_limits);
	suite_add_tcase(s, tc);
	return s;
}
