/* check_probe.c: probe tokens, probe URLs, and the readiness estimate. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "probe.h"
#include "readiness.h"
#include "check_suites.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

START_TEST(kind_names)
{
	unsigned	 k;

	for (k = 0; k < PROBE__MAX; k++)
		ck_assert_int_eq(probe_kind_from_name(probe_kind_name(k)), k);
	ck_assert_str_eq(probe_kind_name(PROBE_V6), "v6");
	ck_assert_str_eq(probe_kind_name(PROBE_SELF), "self");
	ck_assert_int_eq(probe_kind_from_name("V6"), PROBE__MAX);
	ck_assert_int_eq(probe_kind_from_name(NULL), PROBE__MAX);
	ck_assert_str_eq(probe_kind_name(PROBE__MAX), "unknown");
}
END_TEST

/* Secrets: their form, and 20,000 of them all different (128 random bits each). */
static int
cmp_secret(const void *a, const void *b)
{
	return memcmp(a, b, PROBE_SECRET_LEN);
}

START_TEST(secrets_minted)
{
	enum { N = 20000 };
	static char	 t[N][PROBE_SECRET_LEN + 1];
	size_t		 i, ones = 0, j;

	for (i = 0; i < N; i++) {
		ck_assert_int_eq(probe_secret_mint(t[i]), 0);
		ck_assert_uint_eq(strlen(t[i]), PROBE_SECRET_LEN);
		ck_assert_uint_eq(strspn(t[i], "0123456789abcdef"), PROBE_SECRET_LEN);
	}
	qsort(t, N, sizeof(t[0]), cmp_secret);
	for (i = 1; i < N; i++)
		ck_assert_msg(memcmp(t[i - 1], t[i], PROBE_SECRET_LEN) != 0, "secret twice");
	/* Every bit used: about half of all hex digits' bits are set. */
	for (i = 0; i < N; i++)
		for (j = 0; j < PROBE_SECRET_LEN; j++)
			ones += (size_t)__builtin_popcount((unsigned)strtoul(
			    (char[]){ t[i][j], '\0' }, NULL, 16));
	ck_assert_msg(fabs((double)ones / (N * PROBE_SECRET_LEN * 4.0) - 0.5) < 0.01,
	    "bits set: %zu", ones);
}
END_TEST

#define SEC	"0123456789abcdef0123456789abcdef"

/* A token is the secret and the start's number in hex, and reads back as both. */
static const struct {
	int		 line;
	int64_t		 id;
	const char	*token;
} made[] = {
	{ CASE_LINE, 1, SEC "1" },
	{ CASE_LINE, 31, SEC "1f" },
	{ CASE_LINE, 4096, SEC "1000" },
	{ CASE_LINE, INT64_MAX, SEC "7fffffffffffffff" },
};

START_TEST(token_made)
{
	char	 t[PROBE_TOKEN_MAX + 1], sec[PROBE_SECRET_LEN + 1];
	int64_t	 id = 0;

	probe_token_make(t, SEC, made[_i].id);
	ck_assert_msg(strcmp(t, made[_i].token) == 0, "line %d: %s", made[_i].line, t);
	ck_assert_int_eq(probe_token_parse(t, strlen(t), sec, &id), 0);
	ck_assert_str_eq(sec, SEC);
	ck_assert_msg(id == made[_i].id, "line %d: id %jd", made[_i].line, (intmax_t)id);
}
END_TEST

START_TEST(token_form)
{
	ck_assert(probe_token_form(SEC "1", 33));
	ck_assert(probe_token_form(SEC "abc", 35));
	/* The secret alone, with no number, is no token. */
	ck_assert(!probe_token_form(SEC, 32));
	ck_assert(!probe_token_form("0123456789ABCDEF0123456789abcdef1", 33));
	ck_assert(!probe_token_form(SEC "0", 33));		/* no start 0 */
	ck_assert(!probe_token_form(SEC "01", 34));	/* one spelling */
	ck_assert(!probe_token_form(SEC "1g", 34));
	ck_assert(!probe_token_form("0123456789abcdef\0" "123456789abcdef1", 33));
	ck_assert(!probe_token_form(NULL, 33));
}
END_TEST

static const struct {
	int		 line;
	const char	*url;
	const char	*why;		/* NULL: a probe URL; else part of why not */
	const char	*origin;	/* the img-src origin */
} urls[] = {
	{ CASE_LINE, "https://v6.example.org/dualstat", NULL, "https://v6.example.org" },
	{ CASE_LINE, "http://v4.example.org:8080", NULL, "http://v4.example.org:8080" },
	{ CASE_LINE, "https://{token}.v6.example.org/dualstat", NULL, "https://*.v6.example.org" },
	{ CASE_LINE, "https://p-{token}.v6.example.org:8443/", NULL, "https://*.v6.example.org:8443" },
	{ CASE_LINE, "http://[2001:db8::1]:8080/d", NULL, "http://[2001:db8::1]:8080" },
	{ CASE_LINE, "/probe", "http:// or https://", NULL },
	{ CASE_LINE, "https://{token}.{token}.example.org/", "once only", NULL },
	{ CASE_LINE, "https://v6.{token}.example.org/", "first host label", NULL },
	{ CASE_LINE, "https://{token}/", "first host label", NULL },
	{ CASE_LINE, "https://v6.example.org/{token}", "first host label", NULL },
	{ CASE_LINE, "https://{token}.v6.example.org/?t=1", "? or #", NULL },
	{ CASE_LINE, "https://v6.example.org:0/", "outside 1 to 65535", NULL },
	{ CASE_LINE, "https://{tok}.v6.example.org/", "no host name", NULL },
	/* 15 bytes besides the token fit a label of 63; 16 do not. */
	{ CASE_LINE, "https://abcdefghijklmn-{token}.v6.example.org/", NULL,
	    "https://*.v6.example.org" },
	{ CASE_LINE, "https://abcdefghijklmno-{token}.v6.example.org/", "too long", NULL },
};

START_TEST(url_check)
{
	const char	*why = probe_url_check(urls[_i].url);
	char		 origin[256];

	if (urls[_i].why != NULL) {
		ck_assert_msg(why != NULL && strstr(why, urls[_i].why) != NULL,
		    "line %d: %s: %s", urls[_i].line, urls[_i].url, why ? why : "accepted");
		ck_assert_int_eq(probe_url_origin(urls[_i].url, origin, sizeof(origin)), -1);
		return;
	}
	ck_assert_msg(why == NULL, "line %d: %s", urls[_i].line, why);
	ck_assert_int_eq(probe_url_origin(urls[_i].url, origin, sizeof(origin)), 0);
	ck_assert_msg(strcmp(origin, urls[_i].origin) == 0, "line %d: origin %s",
	    urls[_i].line, origin);
}
END_TEST

#define TOK	SEC "2a"

/* Where a probe goes, and that the completion brings its token back from there. */
static const struct {
	int		 line;
	const char	*url;
	const char	*target;
	const char	*host;		/* the Host the completion arrives with */
	const char	*query;
} targets[] = {
	{ CASE_LINE, "https://v6.example.org/dualstat",
	    "https://v6.example.org/dualstat/probe/done.gif?t=" TOK, "v6.example.org", "t=" TOK },
	{ CASE_LINE, "https://v6.example.org/dualstat/",
	    "https://v6.example.org/dualstat/probe/done.gif?t=" TOK, "v6.example.org", "t=" TOK },
	{ CASE_LINE, "http://v4.example.org",
	    "http://v4.example.org/probe/done.gif?t=" TOK, "v4.example.org", "x=1&t=" TOK "&y" },
	{ CASE_LINE, "https://{token}.v6.example.org/d",
	    "https://" TOK ".v6.example.org/d/probe/done.gif", TOK ".v6.example.org", "" },
	{ CASE_LINE, "https://p-{token}-x.v6.example.org:8443",
	    "https://p-" TOK "-x.v6.example.org:8443/probe/done.gif", "p-" TOK "-x.v6.example.org", NULL },
};

START_TEST(url_target)
{
	struct buf	 b = { 0 };
	char		 t[PROBE_TOKEN_MAX + 1];

	probe_url_target(&b, targets[_i].url, TOK, "done.gif");
	ck_assert_msg(strcmp(buf_str(&b), targets[_i].target) == 0, "line %d: %s",
	    targets[_i].line, buf_str(&b));
	ck_assert_msg(probe_token_of(targets[_i].url, targets[_i].host, targets[_i].query, t) == 0,
	    "line %d: no token back", targets[_i].line);
	ck_assert_str_eq(t, TOK);
	buf_free(&b);
}
END_TEST

/* Completions that bring no token, or one of the wrong form or place. */
START_TEST(token_not_of)
{
	char	 t[PROBE_TOKEN_MAX + 1];
	const char *tok_url = "https://p-{token}.v6.example.org/d";

	ck_assert_int_eq(probe_token_of("https://v6.example.org", "v6.example.org", "", t), -1);
	ck_assert_int_eq(probe_token_of("https://v6.example.org", "v6.example.org", NULL, t), -1);
	ck_assert_int_eq(probe_token_of("https://v6.example.org", "v6.example.org",
	    "t=" TOK "0123456789abcdef", t), -1);
	ck_assert_int_eq(probe_token_of("https://v6.example.org", "v6.example.org",
	    "t=0123456789ABCDEF0123456789abcdef1", t), -1);
	ck_assert_int_eq(probe_token_of("https://v6.example.org", "v6.example.org",
	    "tt=" TOK, t), -1);
	ck_assert_int_eq(probe_token_of("https://v6.example.org", "v6.example.org",
	    "t=" SEC, t), -1);
	/* The host's token is the one that counts: not one in the query. */
	ck_assert_int_eq(probe_token_of(tok_url, "v6.example.org", "t=" TOK, t), -1);
	ck_assert_int_eq(probe_token_of(tok_url, "p-" TOK ".v6.example.net", NULL, t), -1);
	ck_assert_int_eq(probe_token_of(tok_url, "q-" TOK ".v6.example.org", NULL, t), -1);
	ck_assert_int_eq(probe_token_of(tok_url, "p-" TOK "g.v6.example.org", NULL, t), -1);
	ck_assert_int_eq(probe_token_of(tok_url, "p-.v6.example.org", NULL, t), -1);
	ck_assert_int_eq(probe_token_of(tok_url, "p", NULL, t), -1);
	ck_assert_int_eq(probe_token_of(tok_url, NULL, NULL, t), -1);
	ck_assert_int_eq(probe_token_of(tok_url, "P-" TOK ".V6.example.org", NULL, t), 0);
	ck_assert_str_eq(t, TOK);
}
END_TEST

/* Which probe a completion is, by the host it came to. */
static const struct {
	int		 line;
	const char	*v6, *v4;	/* the configured URLs */
	const char	*host, *query;
	int		 rc;
	enum probe_kind	 kind;
} completions[] = {
	{ CASE_LINE, "https://v6.example.org/d", "https://v4.example.org/d",
	    "v6.example.org", "t=" TOK, 0, PROBE_V6 },
	{ CASE_LINE, "https://v6.example.org/d", "https://v4.example.org/d",
	    "v4.example.org", "t=" TOK, 0, PROBE_V4 },
	/* Any other host is the site's own: the control. */
	{ CASE_LINE, "https://v6.example.org/d", "https://v4.example.org/d",
	    "www.example.org", "t=" TOK, 0, PROBE_SELF },
	{ CASE_LINE, NULL, NULL, "www.example.org", "t=" TOK, 0, PROBE_SELF },
	{ CASE_LINE, "https://{token}.v6.example.org", "http://v4.example.org:8080",
	    TOK ".v6.example.org", NULL, 0, PROBE_V6 },
	/* The URL's host as a Host key: lower case, no port. */
	{ CASE_LINE, "https://{token}.v6.example.org", "http://V4.Example.org:8080",
	    "v4.example.org", "t=" TOK, 0, PROBE_V4 },
	{ CASE_LINE, "http://[2001:DB8::1]:8080", NULL, "[2001:db8::1]", "t=" TOK, 0, PROBE_V6 },
	/* A probe host without a token is no completion of anything. */
	{ CASE_LINE, "https://v6.example.org/d", NULL, "v6.example.org", "", -1, PROBE_V6 },
	{ CASE_LINE, "https://{token}.v6.example.org", NULL, "x.v6.example.org", "t=" TOK,
	    0, PROBE_SELF },
	{ CASE_LINE, NULL, NULL, NULL, NULL, -1, PROBE_SELF },
};

START_TEST(completion)
{
	char		 t[PROBE_TOKEN_MAX + 1];
	enum probe_kind	 k = PROBE__MAX;
	int		 rc;

	rc = probe_completion(completions[_i].v6, completions[_i].v4, completions[_i].host,
	    completions[_i].query, t, &k);
	ck_assert_msg(rc == completions[_i].rc, "line %d: rc %d", completions[_i].line, rc);
	ck_assert_msg(k == completions[_i].kind, "line %d: kind %s", completions[_i].line,
	    probe_kind_name(k));
	if (rc == 0)
		ck_assert_str_eq(t, TOK);
}
END_TEST

START_TEST(family_fits)
{
	ck_assert(probe_family_fits(PROBE_V6, 6));
	ck_assert(!probe_family_fits(PROBE_V6, 4));
	ck_assert(probe_family_fits(PROBE_V4, 4));
	ck_assert(!probe_family_fits(PROBE_V4, 6));
	ck_assert(probe_family_fits(PROBE_SELF, 4));
	ck_assert(probe_family_fits(PROBE_SELF, 6));
	ck_assert(!probe_family_fits(PROBE_SELF, 0));
	ck_assert(!probe_family_fits(PROBE__MAX, 6));
}
END_TEST

START_TEST(start_invalid)
{
	struct probe_start	 s;

	memset(&s, 0, sizeof(s));
	s.time = 100;
	s.expires = 115;
	s.probe = PROBE_V6;
	s.family = 4;
	s.kind = KIND_GLOBAL;
	snprintf(s.prefix, sizeof(s.prefix), "192.0.2.0/24");
	snprintf(s.secret, sizeof(s.secret), SEC);
	ck_assert_ptr_null(probe_start_invalid(&s));
	s.probe = PROBE__MAX;
	ck_assert_str_eq(probe_start_invalid(&s), "unknown probe");
	s.probe = PROBE_SELF;
	snprintf(s.prefix, sizeof(s.prefix), "192.0.2.7");
	ck_assert_str_eq(probe_start_invalid(&s), "prefix is not a network");
	snprintf(s.prefix, sizeof(s.prefix), "192.0.2.0/24");
	s.secret[5] = 'G';
	ck_assert_str_eq(probe_start_invalid(&s), "secret is not 32 hex digits");
	snprintf(s.secret, sizeof(s.secret), SEC);
	s.expires = 99;
	ck_assert_str_eq(probe_start_invalid(&s), "expires before it starts");
	s.expires = 100;
	s.family = 5;
	ck_assert_str_eq(probe_start_invalid(&s), "family is not 4 or 6");
}
END_TEST

/* The estimate, on inputs worked by hand (Katz with the 0.5 correction). */
START_TEST(estimate_known)
{
	struct readiness	 r;

	readiness_estimate(1000, 400, 1000, 800, &r);
	ck_assert(r.ok);
	ck_assert_double_eq_tol(r.share, 0.5, 1e-12);
	ck_assert_double_eq_tol(r.low, 0.4609, 5e-4);
	ck_assert_double_eq_tol(r.high, 0.5430, 5e-4);
	ck_assert_uint_eq(r.probes, 2000);

	/* Everyone who follows redirects reached it: 100 %, the interval below. */
	readiness_estimate(500, 450, 500, 450, &r);
	ck_assert_double_eq_tol(r.share, 1, 1e-12);
	ck_assert(r.low > 0.9 && r.low < 1);
	ck_assert_double_eq_tol(r.high, 1, 1e-12);

	/* More reached the probe than the control (chance): at most 1. */
	readiness_estimate(100, 95, 100, 90, &r);
	ck_assert_double_eq_tol(r.share, 1, 1e-12);
	ck_assert(r.low <= r.share && r.high <= 1);

	/* None reached: 0 %, and an upper bound that says how sure that is. */
	readiness_estimate(200, 0, 200, 180, &r);
	ck_assert(r.ok);
	ck_assert_double_eq_tol(r.share, 0, 1e-12);
	ck_assert_double_eq_tol(r.low, 0, 1e-12);
	/* Conservative: the rule of three would say 3 / 200 / 0.9 = 1.7 %. */
	ck_assert(r.high > 0.017 && r.high < 0.05);

	/* Few probes: a wide interval. */
	readiness_estimate(4, 2, 4, 4, &r);
	ck_assert(r.high - r.low > 0.4);
}
END_TEST

START_TEST(estimate_without_data)
{
	struct readiness	 r;

	readiness_estimate(0, 0, 100, 90, &r);
	ck_assert(!r.ok);
	ck_assert_uint_eq(r.probes, 100);
	readiness_estimate(100, 40, 0, 0, &r);
	ck_assert(!r.ok);
	/* No client followed the control: nothing to divide by. */
	readiness_estimate(100, 40, 100, 0, &r);
	ck_assert(!r.ok);
	readiness_estimate(0, 0, 0, 0, &r);
	ck_assert(!r.ok);
	ck_assert_uint_eq(r.probes, 0);
}
END_TEST

/* The sample: none at 0, all at 1, the share between. */
START_TEST(limit_sample)
{
	uint32_t	 r;
	unsigned	 n = 0;

	ck_assert(!probe_sampled(0, 0));
	ck_assert(!probe_sampled(0, UINT32_MAX));
	ck_assert(probe_sampled(1000000, 0));
	ck_assert(probe_sampled(1000000, UINT32_MAX));
	ck_assert(probe_sampled(1, 0));
	ck_assert(!probe_sampled(1, 4295));	/* 4295 / 2^32 > 10^-6 */
	ck_assert(probe_sampled(500000, UINT32_MAX / 2));
	ck_assert(!probe_sampled(500000, UINT32_MAX / 2 + 1));
	for (r = 0; r < 1000; r++)
		n += probe_sampled(250000, r * 4294968u);	/* 2^32 / 1000, up */
	ck_assert_uint_eq(n, 250);
}
END_TEST

START_TEST(limit_estimate)
{
	struct readiness	 r;

	/* Counts can never be inconsistent the wrong way: reached is capped at started. */
	readiness_estimate(10, 20, 10, 10, &r);
	ck_assert_double_eq_tol(r.share, 1, 1e-12);
	/* Very large counts stay finite and tight. */
	readiness_estimate(UINT64_C(4000000000), UINT64_C(1000000000),
	    UINT64_C(4000000000), UINT64_C(2000000000), &r);
	ck_assert_double_eq_tol(r.share, 0.5, 1e-9);
	ck_assert(r.high - r.low < 1e-3 && r.low <= r.share && r.share <= r.high);
}
END_TEST

Suite *
probe_suite(void)
{
	Suite	*s = suite_create("probe");
	TCase	*tc;

	tc = tcase_create("tokens");
	tcase_add_test(tc, kind_names);
	tcase_add_test(tc, secrets_minted);
	tcase_add_loop_test(tc, token_made, 0, NELEM(made));
	tcase_add_test(tc, token_form);
	tcase_add_test(tc, start_invalid);
	suite_add_tcase(s, tc);
	tc = tcase_create("urls");
	tcase_add_loop_test(tc, url_check, 0, NELEM(urls));
	tcase_add_loop_test(tc, url_target, 0, NELEM(targets));
	tcase_add_test(tc, token_not_of);
	tcase_add_loop_test(tc, completion, 0, NELEM(completions));
	tcase_add_test(tc, family_fits);
	suite_add_tcase(s, tc);
	tc = tcase_create("estimate");
	tcase_add_test(tc, estimate_known);
	tcase_add_test(tc, estimate_without_data);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, limit_estimate);
	tcase_add_test(tc, limit_sample);
	suite_add_tcase(s, tc);
	return s;
}
