/* check_varint.c: the roll-up blobs' integers: exact bytes, round trips, input cut short or too long. */
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "varint.h"
#include "check_suites.h"

static const struct {
	int		 line;
	uint64_t	 v;
	size_t		 len;
	unsigned char	 bytes[VARINT_MAX];
} enc_rows[] = {
	{ CASE_LINE, 0, 1, { 0x00 } },
	{ CASE_LINE, 1, 1, { 0x01 } },
	{ CASE_LINE, 127, 1, { 0x7f } },
	{ CASE_LINE, 128, 2, { 0x80, 0x01 } },
	{ CASE_LINE, 129, 2, { 0x81, 0x01 } },
	{ CASE_LINE, 300, 2, { 0xac, 0x02 } },
	{ CASE_LINE, 16383, 2, { 0xff, 0x7f } },
	{ CASE_LINE, 16384, 3, { 0x80, 0x80, 0x01 } },
	{ CASE_LINE, UINT32_MAX, 5, { 0xff, 0xff, 0xff, 0xff, 0x0f } },
	{ CASE_LINE, (uint64_t)1 << 63, 10,
	    { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 } },
	{ CASE_LINE, UINT64_MAX, 10,
	    { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 } },
};

START_TEST(test_encode)
{
	unsigned char		 out[VARINT_MAX];
	const unsigned char	*p;
	struct buf		 b = { 0 };
	uint64_t		 v = 42;
	size_t			 n;

	n = varint_encode(enc_rows[_i].v, out);
	ck_assert_msg(n == enc_rows[_i].len && memcmp(out, enc_rows[_i].bytes, n) == 0,
	    "line %d: %zu bytes", enc_rows[_i].line, n);
	varint_put(&b, enc_rows[_i].v);
	ck_assert_msg(!b.failed && b.len == n && memcmp(b.data, out, n) == 0,
	    "line %d: varint_put", enc_rows[_i].line);
	p = out;
	ck_assert_msg(varint_get(&p, out + n, &v) && v == enc_rows[_i].v && p == out + n,
	    "line %d: decoded %ju", enc_rows[_i].line, (uintmax_t)v);
	buf_free(&b);
}
END_TEST

/* Several in a row, and a decoder that reads each exactly to its end. */
START_TEST(test_sequence)
{
	struct buf		 b = { 0 };
	const unsigned char	*p, *end;
	uint64_t		 v;
	size_t			 i;

	for (i = 0; i < sizeof(enc_rows) / sizeof(enc_rows[0]); i++)
		varint_put(&b, enc_rows[i].v);
	p = (const unsigned char *)b.data;
	end = p + b.len;
	for (i = 0; i < sizeof(enc_rows) / sizeof(enc_rows[0]); i++) {
		ck_assert_msg(varint_get(&p, end, &v) && v == enc_rows[i].v,
		    "line %d", enc_rows[i].line);
	}
	ck_assert_ptr_eq(p, end);
	ck_assert(!varint_get(&p, end, &v));
	buf_free(&b);
}
END_TEST

static const struct {
	int		 line;
	size_t		 len;
	unsigned char	 bytes[12];
} bad_rows[] = {
	{ CASE_LINE, 0, { 0 } },			/* nothing */
	{ CASE_LINE, 1, { 0x80 } },			/* cut after a continuation */
	{ CASE_LINE, 2, { 0xff, 0xff } },
	{ CASE_LINE, 9, { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
	/* The 10th byte may only be 0 or 1: bit 63 and no more. */
	{ CASE_LINE, 10, { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02 } },
	{ CASE_LINE, 10, { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f } },
	/* Eleven bytes: longer than any 64-bit value. */
	{ CASE_LINE, 11, { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x81, 0x00 } },
};

START_TEST(test_bad)
{
	const unsigned char	*p = bad_rows[_i].bytes;
	uint64_t		 v = 7;

	ck_assert_msg(!varint_get(&p, bad_rows[_i].bytes + bad_rows[_i].len, &v),
	    "line %d: decoded %ju", bad_rows[_i].line, (uintmax_t)v);
	ck_assert_msg(v == 7, "line %d: value written", bad_rows[_i].line);
	ck_assert_msg(p <= bad_rows[_i].bytes + bad_rows[_i].len, "line %d: read past the end",
	    bad_rows[_i].line);
}
END_TEST

/* A varint cut at every length before its end is never decoded. */
START_TEST(test_truncated)
{
	unsigned char		 out[VARINT_MAX];
	const unsigned char	*p;
	uint64_t		 v;
	size_t			 n, k;

	n = varint_encode(UINT64_MAX, out);
	for (k = 0; k < n; k++) {
		p = out;
		ck_assert_msg(!varint_get(&p, out + k, &v), "cut at %zu", k);
	}
	/* A redundant zero byte is still a varint: the decoder is not strict about length. */
	out[0] = 0x80;
	out[1] = 0x00;
	p = out;
	ck_assert(varint_get(&p, out + 2, &v));
	ck_assert_uint_eq(v, 0);
}
END_TEST

#define N(a)	((int)(sizeof(a) / sizeof((a)[0])))

Suite *
varint_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("varint");
	tc = tcase_create("core");
	tcase_add_loop_test(tc, test_encode, 0, N(enc_rows));
	tcase_add_test(tc, test_sequence);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_loop_test(tc, test_bad, 0, N(bad_rows));
	tcase_add_test(tc, test_truncated);
	suite_add_tcase(s, tc);
	return s;
}
