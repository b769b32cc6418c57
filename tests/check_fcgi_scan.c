/* check_fcgi_scan.c: unit tests of the FastCGI request scanner (is a request all here?). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi_scan.h"
#include "check_suites.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* A request being written, record by record, as a web server would send it. */
struct wire {
	unsigned char	 b[300 * 1024];
	size_t		 len;
};

static void
record(struct wire *w, int type, unsigned id, const void *content, size_t clen,
    unsigned pad)
{
	unsigned char	*h = w->b + w->len;

	ck_assert_uint_le(w->len + 8 + clen + pad, sizeof(w->b));
	ck_assert_uint_le(clen, 65535);
	h[0] = 1;
	h[1] = (unsigned char)type;
	h[2] = (unsigned char)(id >> 8);
	h[3] = (unsigned char)id;
	h[4] = (unsigned char)(clen >> 8);
	h[5] = (unsigned char)clen;
	h[6] = (unsigned char)pad;
	h[7] = 0;
	if (clen > 0)
		memcpy(h + 8, content, clen);
	memset(h + 8 + clen, 0xee, pad);
	w->len += 8 + clen + pad;
}

static void
begin(struct wire *w, unsigned id, int role, bool keep)
{
	unsigned char	 body[8] = { (unsigned char)(role >> 8), (unsigned char)role,
			    keep ? 1 : 0, 0, 0, 0, 0, 0 };

	record(w, 1, id, body, sizeof(body), 0);
}

/* Append a name-value pair to p (§3.4), lengths in one or four bytes. */
static size_t
pair(unsigned char *p, const char *name, size_t nlen, const char *value,
    size_t vlen, bool long_lengths)
{
	size_t	 n = 0, len[2] = { nlen, vlen }, i;

	for (i = 0; i < 2; i++) {
		if (len[i] < 128 && !long_lengths)
			p[n++] = (unsigned char)len[i];
		else {
			p[n++] = (unsigned char)(0x80 | (len[i] >> 24));
			p[n++] = (unsigned char)(len[i] >> 16);
			p[n++] = (unsigned char)(len[i] >> 8);
			p[n++] = (unsigned char)len[i];
		}
	}
	memcpy(p + n, name, nlen);
	memcpy(p + n + nlen, value, vlen);
	return n + nlen + vlen;
}

/* The params of a small GET, as one buffer (split into records by the caller). */
static size_t
get_params(unsigned char *p)
{
	size_t	 n = 0;

	n += pair(p + n, "REQUEST_METHOD", 14, "GET", 3, false);
	n += pair(p + n, "PATH_INFO", 9, "/beacon", 7, false);
	n += pair(p + n, "REMOTE_ADDR", 11, "2001:db8::1", 11, false);
	n += pair(p + n, "HTTP_X_FORWARDED_FOR", 20, "203.0.113.7", 11, true);
	return n;
}

/* A whole responder GET: begin, params in records of at most chunk bytes, stdin's end. */
static size_t
whole_get(struct wire *w, size_t chunk, size_t *params_end)
{
	unsigned char	 p[1024];
	size_t		 n = get_params(p), i, take;

	w->len = 0;
	begin(w, 1, FCGI_SCAN_RESPONDER, false);
	for (i = 0; i < n; i += take) {
		take = n - i < chunk ? n - i : chunk;
		record(w, 4, 1, p + i, take, (8 - take % 8) % 8);
	}
	record(w, 4, 1, NULL, 0, 0);
	*params_end = w->len;
	record(w, 5, 1, NULL, 0, 0);
	return w->len;
}

static struct wire	 w;

START_TEST(whole_request_ready)
{
	struct fcgi_scan	 s;
	size_t			 pe;

	whole_get(&w, 1000, &pe);
	ck_assert_int_eq(fcgi_scan(&s, w.b, w.len), FCGI_SCAN_READY);
	ck_assert_int_eq(s.role, FCGI_SCAN_RESPONDER);
	ck_assert(s.params_done);
	ck_assert(s.stdin_done);
	ck_assert(!s.keep_conn);
	ck_assert_uint_eq(s.nul_n, 0);
	ck_assert(!fcgi_scan_nul(&s, "REMOTE_ADDR"));
}
END_TEST

/*
 * Every cut of the request, wherever it falls (inside a header, a length,
 * a name, padding): not ready until the empty params record is all here;
 * ready, without stdin's end, from there until stdin's end arrives.
 * _i is the size of the params records, so pairs and lengths span them.
 */
START_TEST(every_prefix)
{
	struct fcgi_scan	 s;
	size_t			 pe, total, cut;
	enum fcgi_scan_result	 r;

	total = whole_get(&w, (size_t)_i, &pe);
	for (cut = 0; cut <= total; cut++) {
		r = fcgi_scan(&s, w.b, cut);
		if (cut < pe)
			ck_assert_msg(r == FCGI_SCAN_MORE, "chunk %d cut %zu: %d (%s)",
			    _i, cut, r, s.why != NULL ? s.why : "");
		else {
			ck_assert_msg(r == FCGI_SCAN_READY, "chunk %d cut %zu: %d", _i, cut, r);
			ck_assert_msg(s.stdin_done == (cut == total), "chunk %d cut %zu", _i, cut);
		}
	}
}
END_TEST

START_TEST(authorizer_needs_no_stdin)
{
	struct fcgi_scan	 s;
	unsigned char		 p[256];
	size_t			 n = get_params(p);

	w.len = 0;
	begin(&w, 7, FCGI_SCAN_AUTHORIZER, true);
	record(&w, 4, 7, p, n, 0);
	ck_assert_int_eq(fcgi_scan(&s, w.b, w.len), FCGI_SCAN_MORE);
	record(&w, 4, 7, NULL, 0, 0);
	ck_assert_int_eq(fcgi_scan(&s, w.b, w.len), FCGI_SCAN_READY);
	ck_assert_int_eq(s.role, FCGI_SCAN_AUTHORIZER);
	ck_assert(s.keep_conn);
	ck_assert(!s.stdin_done);
}
END_TEST

START_TEST(body_counted_until_its_end)
{
	struct fcgi_scan	 s;
	unsigned char		 body[4000];
	size_t			 pe;

	whole_get(&w, 1000, &pe);
	w.len = pe;
	memset(body, 'x', sizeof(body));
	record(&w, 5, 1, body, sizeof(body), 0);
	ck_assert_int_eq(fcgi_scan(&s, w.b, w.len), FCGI_SCAN_READY);
	ck_assert(!s.stdin_done);
	ck_assert_uint_eq(s.stdin_len, sizeof(body));
	record(&w, 5, 1, NULL, 0, 0);
	/* Whatever follows the end of stdin is not this request's. */
	record(&w, 99, 1, "junk", 4, 0);
	ck_assert_int_eq(fcgi_scan(&s, w.b, w.len), FCGI_SCAN_READY);
	ck_assert(s.stdin_done);
}
END_TEST

/* Records libfcgi passes over: management, other request ids, a second begin. */
START_TEST(passed_over)
{
	struct fcgi_scan	 s;
	unsigned char		 p[256], gv[64];
	size_t			 n = get_params(p), g;

	w.len = 0;
	g = pair(gv, "FCGI_MAX_CONNS", 14, "", 0, false);
	record(&w, 9, 0, gv, g, 0);			/* FCGI_GET_VALUES */
	begin(&w, 3, FCGI_SCAN_RESPONDER, false);
	record(&w, 9, 0, gv, g, 0);
	begin(&w, 4, FCGI_SCAN_FILTER, false);		/* multiplexing: refused */
	record(&w, 4, 4, "\x01\x01zz", 4, 4);		/* request 4's params */
	record(&w, 4, 3, p, n, 0);
	record(&w, 4, 3, NULL, 0, 0);
	ck_assert_int_eq(fcgi_scan(&s, w.b, w.len), FCGI_SCAN_READY);
	ck_assert_int_eq(s.role, FCGI_SCAN_RESPONDER);
}
END_TEST

START_TEST(nul_in_value)
{
	struct fcgi_scan	 s;
	unsigned char		 p[512];
	size_t			 n = 0, pe;

	n += pair(p + n, "REMOTE_ADDR", 11, "198.51.100.5\0junk", 17, false);
	n += pair(p + n, "PATH_INFO", 9, "/report\0.json", 13, true);
	n += pair(p + n, "HTTP_HOST", 9, "example.test", 12, false);
	/* A name with a NUL cannot be looked up at all: not kept. */
	n += pair(p + n, "X\0Y", 3, "v\0", 2, false);
	w.len = 0;
	begin(&w, 1, FCGI_SCAN_RESPONDER, false);
	/* Split inside the first value, so the NUL is in the second record. */
	record(&w, 4, 1, p, 20, 4);
	record(&w, 4, 1, p + 20, n - 20, 0);
	record(&w, 4, 1, NULL, 0, 0);
	pe = w.len;
	ck_assert_int_eq(fcgi_scan(&s, w.b, pe), FCGI_SCAN_READY);
	ck_assert_uint_eq(s.nul_n, 2);
	ck_assert(fcgi_scan_nul(&s, "REMOTE_ADDR"));
	ck_assert(fcgi_scan_nul(&s, "PATH_INFO"));
	ck_assert(!fcgi_scan_nul(&s, "HTTP_HOST"));
	ck_assert(!fcgi_scan_nul(&s, "X"));
	ck_assert(!s.nul_overflow);
}
END_TEST

/* More NUL params than are kept, or a name too long to keep: all are suspect. */
START_TEST(nul_overflow)
{
	struct fcgi_scan	 s;
	unsigned char		 p[4096];
	char			 name[FCGI_SCAN_NAME_MAX + 2];
	size_t			 n = 0, i;

	for (i = 0; i < FCGI_SCAN_NUL_MAX; i++) {
		snprintf(name, sizeof(name), "HTTP_X_%zu", i);
		n += pair(p + n, name, strlen(name), "a\0b", 3, false);
	}
	w.len = 0;
	begin(&w, 1, FCGI_SCAN_RESPONDER, false);
	record(&w, 4, 1, p, n, 0);
	record(&w, 4, 1, NULL, 0, 0);
	ck_assert_int_eq(fcgi_scan(&s, w.b, w.len), FCGI_SCAN_READY);
	ck_assert(!s.nul_overflow);
	ck_assert(!fcgi_scan_nul(&s, "REMOTE_ADDR"));

	n += pair(p + n, "ONE_MORE", 8, "\0", 1, false);
	w.len = 0;
	begin(&w, 1, FCGI_SCAN_RESPONDER, false);
	record(&w, 4, 1, p, n, 0);
	record(&w, 4, 1, NULL, 0, 0);
	ck_assert_int_eq(fcgi_scan(&s, w.b, w.len), FCGI_SCAN_READY);
	ck_assert(s.nul_overflow);
	ck_assert(fcgi_scan_nul(&s, "REMOTE_ADDR"));

	memset(name, 'N', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	n = pair(p, name, strlen(name), "\0", 1, false);
	w.len = 0;
	begin(&w, 1, FCGI_SCAN_RESPONDER, false);
	record(&w, 4, 1, p, n, 0);
	record(&w, 4, 1, NULL, 0, 0);
	ck_assert_int_eq(fcgi_scan(&s, w.b, w.len), FCGI_SCAN_READY);
	ck_assert(s.nul_overflow);
}
END_TEST

/* Requests libfcgi would not take: each is BAD, with a reason. */
static const struct bad_case {
	int		 line;
	const char	*what;
} bad_cases[] = {
	{ __LINE__, "version 2" },
	{ __LINE__, "begin with request id 0" },
	{ __LINE__, "begin of 7 bytes" },
	{ __LINE__, "role 0" },
	{ __LINE__, "role 4" },
	{ __LINE__, "params before begin" },
	{ __LINE__, "stdin before the params' end" },
	{ __LINE__, "params after their end" },
	{ __LINE__, "a param cut short at the params' end" },
	{ __LINE__, "an abort record" },
	{ __LINE__, "stdout from the web server" },
	{ __LINE__, "a pair longer than all params" },
};

START_TEST(bad_requests)
{
	const struct bad_case	*t = &bad_cases[_i];
	struct fcgi_scan	 s;
	unsigned char		 p[256], b7[7] = { 0, 1, 0, 0, 0, 0, 0 };
	size_t			 n = get_params(p);

	w.len = 0;
	switch (_i) {
	case 0:
		begin(&w, 1, FCGI_SCAN_RESPONDER, false);
		w.b[0] = 2;
		break;
	case 1:
		begin(&w, 0, FCGI_SCAN_RESPONDER, false);
		break;
	case 2:
		record(&w, 1, 1, b7, sizeof(b7), 1);
		break;
	case 3:
		begin(&w, 1, 0, false);
		break;
	case 4:
		begin(&w, 1, 4, false);
		break;
	case 5:
		record(&w, 4, 1, p, n, 0);
		break;
	case 6:
		begin(&w, 1, FCGI_SCAN_RESPONDER, false);
		record(&w, 4, 1, p, n, 0);
		record(&w, 5, 1, "x", 1, 7);
		break;
	case 7:
		begin(&w, 1, FCGI_SCAN_AUTHORIZER, false);
		record(&w, 4, 1, NULL, 0, 0);
		record(&w, 4, 1, p, n, 0);
		break;
	case 8:
		begin(&w, 1, FCGI_SCAN_RESPONDER, false);
		record(&w, 4, 1, p, n - 3, 3);
		record(&w, 4, 1, NULL, 0, 0);
		break;
	case 9:
		begin(&w, 1, FCGI_SCAN_RESPONDER, false);
		record(&w, 2, 1, NULL, 0, 0);
		break;
	case 10:
		begin(&w, 1, FCGI_SCAN_RESPONDER, false);
		record(&w, 6, 1, "hi", 2, 6);
		break;
	case 11:
		begin(&w, 1, FCGI_SCAN_RESPONDER, false);
		/* A one-byte name length, a four-byte value length, the name. */
		p[0] = 1;
		p[1] = 0x80 | (unsigned char)((FCGI_SCAN_PARAMS_MAX + 1) >> 24);
		p[2] = (unsigned char)((FCGI_SCAN_PARAMS_MAX + 1) >> 16);
		p[3] = (unsigned char)((FCGI_SCAN_PARAMS_MAX + 1) >> 8);
		p[4] = (unsigned char)(FCGI_SCAN_PARAMS_MAX + 1);
		p[5] = 'A';
		record(&w, 4, 1, p, 6, 2);
		break;
	}
	ck_assert_msg(fcgi_scan(&s, w.b, w.len) == FCGI_SCAN_BAD, "line %d: %s",
	    t->line, t->what);
	ck_assert_ptr_nonnull(s.why);
}
END_TEST

/* Params may not add up to more than FCGI_SCAN_PARAMS_MAX. */
START_TEST(limit_params)
{
	struct fcgi_scan	 s;
	static unsigned char	 big[65535];
	size_t			 total = 0;

	w.len = 0;
	begin(&w, 1, FCGI_SCAN_RESPONDER, false);
	memset(big, 0, sizeof(big));
	while (total + sizeof(big) <= FCGI_SCAN_PARAMS_MAX) {
		record(&w, 4, 1, big, sizeof(big), 1);
		total += sizeof(big);
	}
	ck_assert_int_eq(fcgi_scan(&s, w.b, w.len), FCGI_SCAN_MORE);
	record(&w, 4, 1, big, FCGI_SCAN_PARAMS_MAX - total + 1, 0);
	ck_assert_int_eq(fcgi_scan(&s, w.b, w.len), FCGI_SCAN_BAD);
}
END_TEST

/* An empty input, and headers whose record is not all here. */
START_TEST(limit_short)
{
	struct fcgi_scan	 s;

	ck_assert_int_eq(fcgi_scan(&s, w.b, 0), FCGI_SCAN_MORE);
	w.len = 0;
	record(&w, 4, 1, "abc", 3, 200);
	ck_assert_int_eq(fcgi_scan(&s, w.b, w.len - 1), FCGI_SCAN_MORE);
	ck_assert_int_eq(fcgi_scan(&s, w.b, w.len), FCGI_SCAN_BAD);
}
END_TEST

Suite *
fcgi_scan_suite(void)
{
	Suite	*s = suite_create("fcgi_scan");
	TCase	*tc;

	tc = tcase_create("requests");
	tcase_add_test(tc, whole_request_ready);
	tcase_add_loop_test(tc, every_prefix, 1, 40);
	tcase_add_test(tc, authorizer_needs_no_stdin);
	tcase_add_test(tc, body_counted_until_its_end);
	tcase_add_test(tc, passed_over);
	suite_add_tcase(s, tc);

	tc = tcase_create("nul");
	tcase_add_test(tc, nul_in_value);
	tcase_add_test(tc, nul_overflow);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad");
	tcase_add_loop_test(tc, bad_requests, 0, NELEM(bad_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_test(tc, limit_params);
	tcase_add_test(tc, limit_short);
	suite_add_tcase(s, tc);
	return s;
}
