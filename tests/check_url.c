/* check_url.c: the query-string encoder of the report's links, and that query.c reads it back. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "query.h"
#include "url.h"
#include "check_suites.h"

static const struct {
	int		 line;
	const char	*in;
	const char	*want;
} enc_rows[] = {
	{ CASE_LINE, "", "" },
	{ CASE_LINE, "example.org", "example.org" },
	{ CASE_LINE, "AZaz09-._~", "AZaz09-._~" },
	/* What would end or split a value, or be read as a space. */
	{ CASE_LINE, "a&b=c", "a%26b%3Dc" },
	{ CASE_LINE, "a b+c", "a%20b%2Bc" },
	{ CASE_LINE, "#frag?q", "%23frag%3Fq" },
	{ CASE_LINE, "100%", "100%25" },
	{ CASE_LINE, "/path;x", "%2Fpath%3Bx" },
	/* What would end an attribute if html_attr were forgotten: encoded anyway. */
	{ CASE_LINE, "\"'<>`", "%22%27%3C%3E%60" },
	{ CASE_LINE, "[2001:db8::1]", "%5B2001%3Adb8%3A%3A1%5D" },
	/* UTF-8 byte by byte, upper-case hex. */
	{ CASE_LINE, "\xc3\xbc", "%C3%BC" },
	{ CASE_LINE, "\xe2\x80\x94", "%E2%80%94" },
	{ CASE_LINE, "=cmd", "%3Dcmd" },
};

START_TEST(encode)
{
	struct buf	 b = { 0 };

	url_encode(&b, enc_rows[_i].in);
	ck_assert_msg(strcmp(buf_str(&b), enc_rows[_i].want) == 0,
	    "line %d: \"%s\" gave \"%s\", not \"%s\"", enc_rows[_i].line,
	    enc_rows[_i].in, buf_str(&b), enc_rows[_i].want);
	buf_free(&b);
}
END_TEST

static const struct {
	int		 line;
	const char	*before;	/* the query so far */
	const char	*key, *value;
	const char	*want;
} param_rows[] = {
	{ CASE_LINE, "", "days", "7", "days=7" },
	{ CASE_LINE, "days=7", "host", "a&b", "days=7&host=a%26b" },
	{ CASE_LINE, "days=7", "how", "", "days=7&how=" },
	{ CASE_LINE, "from=2026-01-01", "to", "2026-01-31",
	  "from=2026-01-01&to=2026-01-31" },
};

START_TEST(param)
{
	struct buf	 b = { 0 };

	buf_puts(&b, param_rows[_i].before);
	url_param(&b, param_rows[_i].key, param_rows[_i].value);
	ck_assert_msg(strcmp(buf_str(&b), param_rows[_i].want) == 0,
	    "line %d: gave \"%s\", not \"%s\"", param_rows[_i].line,
	    buf_str(&b), param_rows[_i].want);
	buf_free(&b);
}
END_TEST

/* Every host the store may hold comes back from query_parse as it went in. */
static const struct {
	int		 line;
	const char	*host;
} trip_rows[] = {
	{ CASE_LINE, "example.org" },
	{ CASE_LINE, "a&how=beacon" },
	{ CASE_LINE, "a+b c" },
	{ CASE_LINE, "%41" },
	{ CASE_LINE, "<b>\"q'</b>" },
	{ CASE_LINE, "=cmd|calc" },
	{ CASE_LINE, "\xc3\xbcn\xc3\xaf" "code.test" },
	{ CASE_LINE, "[2001:db8::1]" },
};

START_TEST(round_trip)
{
	struct buf	 q = { 0 };
	struct period	 per;
	char		 err[QUERY_ERR_MAX];

	buf_puts(&q, "days=7");
	url_param(&q, "host", trip_rows[_i].host);
	ck_assert_msg(query_parse(buf_str(&q), &per, err, sizeof(err)) == 0,
	    "line %d: \"%s\" refused: %s", trip_rows[_i].line, buf_str(&q), err);
	ck_assert_msg(strcmp(per.host, trip_rows[_i].host) == 0,
	    "line %d: \"%s\" read back as \"%s\"", trip_rows[_i].line,
	    trip_rows[_i].host, per.host);
	ck_assert_int_eq(per.how, -1);
	buf_free(&q);
}
END_TEST

/* Every byte value, and the longest host: three bytes out per byte in at most. */
START_TEST(every_byte)
{
	struct buf	 b = { 0 };
	char		 in[256], want[4];
	struct period	 per;
	char		 err[QUERY_ERR_MAX];
	unsigned	 c;

	for (c = 1; c < 256; c++) {
		in[0] = (char)c;
		in[1] = '\0';
		buf_reset(&b);
		url_encode(&b, in);
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", (int)c) != NULL)
			ck_assert_msg(b.len == 1 && b.data[0] == (char)c,
			    "byte %u changed", c);
		else {
			snprintf(want, sizeof(want), "%%%02X", c);
			ck_assert_msg(strcmp(buf_str(&b), want) == 0,
			    "byte %u gave \"%s\"", c, buf_str(&b));
		}
	}
	memset(in, '%', REPORT_HOST_MAX);
	in[REPORT_HOST_MAX] = '\0';
	buf_reset(&b);
	url_param(&b, "host", in);
	ck_assert_uint_eq(b.len, strlen("host=") + 3 * REPORT_HOST_MAX);
	ck_assert_int_eq(query_parse(buf_str(&b), &per, err, sizeof(err)), 0);
	ck_assert_str_eq(per.host, in);
	buf_free(&b);
}
END_TEST

/* url_split: absolute http(s) URLs; want NULL: accepted, else a part of why not. */
static const struct {
	int		 line;
	const char	*url;
	const char	*why;
	const char	*host;		/* accepted: the host as split */
	unsigned	 port;
	const char	*path;
} split_rows[] = {
	{ CASE_LINE, "https://v6.example.org/dualstat", NULL, "v6.example.org", 0, "/dualstat" },
	{ CASE_LINE, "http://v4.example.org", NULL, "v4.example.org", 0, "" },
	{ CASE_LINE, "https://EXAMPLE.org:8443/", NULL, "EXAMPLE.org", 8443, "/" },
	{ CASE_LINE, "http://[2001:db8::1]:80/x", NULL, "[2001:db8::1]", 80, "/x" },
	{ CASE_LINE, "http://192.0.2.1:65535/", NULL, "192.0.2.1", 65535, "/" },
	{ CASE_LINE, "ftp://example.org/", "http:// or https://", NULL, 0, NULL },
	{ CASE_LINE, "//example.org/", "http:// or https://", NULL, 0, NULL },
	{ CASE_LINE, "/static", "http:// or https://", NULL, 0, NULL },
	{ CASE_LINE, "https://", "no host name", NULL, 0, NULL },
	{ CASE_LINE, "https://a..b/", "empty label", NULL, 0, NULL },
	{ CASE_LINE, "https://.a/", "empty label", NULL, 0, NULL },
	{ CASE_LINE, "http://[::1", "without its ]", NULL, 0, NULL },
	{ CASE_LINE, "http://[example]/", "IPv6 address", NULL, 0, NULL },
	{ CASE_LINE, "http://[192.0.2.1]/", "IPv6 address", NULL, 0, NULL },
	{ CASE_LINE, "http://a:0/", "outside 1 to 65535", NULL, 0, NULL },
	{ CASE_LINE, "http://a:65536/", "outside 1 to 65535", NULL, 0, NULL },
	{ CASE_LINE, "http://a:99999999999999999999/", "outside 1 to 65535", NULL, 0, NULL },
	{ CASE_LINE, "http://a:/", "outside 1 to 65535", NULL, 0, NULL },
	{ CASE_LINE, "http://a:80x/", "optional :port", NULL, 0, NULL },
	{ CASE_LINE, "http://user@a/", "optional :port", NULL, 0, NULL },
	{ CASE_LINE, "http://a b/", "spaces", NULL, 0, NULL },
	{ CASE_LINE, "http://a\\b/", "browsers read it", NULL, 0, NULL },
	{ CASE_LINE, "http://a/?q", "? or #", NULL, 0, NULL },
	{ CASE_LINE, "http://a/#f", "? or #", NULL, 0, NULL },
	{ CASE_LINE, "http://a/\x01", "control", NULL, 0, NULL },
};

START_TEST(split)
{
	struct url_parts	 u;
	const char		*why = url_split(split_rows[_i].url, &u);

	if (split_rows[_i].why != NULL) {
		ck_assert_msg(why != NULL && strstr(why, split_rows[_i].why) != NULL,
		    "line %d: %s: %s", split_rows[_i].line, split_rows[_i].url,
		    why != NULL ? why : "accepted");
		return;
	}
	ck_assert_msg(why == NULL, "line %d: %s", split_rows[_i].line, why);
	ck_assert_uint_eq(u.host_len, strlen(split_rows[_i].host));
	ck_assert(strncmp(u.host, split_rows[_i].host, u.host_len) == 0);
	ck_assert_uint_eq(u.port, split_rows[_i].port);
	ck_assert_str_eq(u.path, split_rows[_i].path);
	ck_assert(u.https == (strncmp(split_rows[_i].url, "https", 5) == 0));
}
END_TEST

Suite *
url_suite(void)
{
	Suite	*s = suite_create("url");
	TCase	*tc;

	tc = tcase_create("encode");
	tcase_add_loop_test(tc, encode, 0, sizeof(enc_rows) / sizeof(enc_rows[0]));
	tcase_add_loop_test(tc, param, 0, sizeof(param_rows) / sizeof(param_rows[0]));
	tcase_add_loop_test(tc, round_trip, 0, sizeof(trip_rows) / sizeof(trip_rows[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("split");
	tcase_add_loop_test(tc, split, 0, sizeof(split_rows) / sizeof(split_rows[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, every_byte);
	suite_add_tcase(s, tc);
	return s;
}
