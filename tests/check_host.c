/* check_host.c: the Host header as a recorded key, and the hosts list of the configuration. */
#include <string.h>

#include "config.h"
#include "host.h"
#include "check_suites.h"

static const struct {
	int		 line;
	const char	*in;
	const char	*want;		/* NULL: rejected */
} rows[] = {
	{ CASE_LINE, "example.org", "example.org" },
	{ CASE_LINE, "WWW.Example.ORG", "www.example.org" },
	{ CASE_LINE, "example.org:8080", "example.org" },
	{ CASE_LINE, "example.org:", "example.org" },
	{ CASE_LINE, "example.org.", "example.org" },
	{ CASE_LINE, "example.org.:443", "example.org" },
	{ CASE_LINE, "localhost", "localhost" },
	{ CASE_LINE, "my_host-1.example", "my_host-1.example" },
	{ CASE_LINE, "192.0.2.1", "192.0.2.1" },
	{ CASE_LINE, "192.0.2.1:80", "192.0.2.1" },
	{ CASE_LINE, "[2001:DB8::1]", "[2001:db8::1]" },
	{ CASE_LINE, "[::1]:8080", "[::1]" },
	{ CASE_LINE, "[::ffff:192.0.2.1]", "[::ffff:192.0.2.1]" },
	{ CASE_LINE, "", NULL },
	{ CASE_LINE, ".", NULL },
	{ CASE_LINE, ":80", NULL },
	{ CASE_LINE, "a..b", NULL },
	{ CASE_LINE, ".example.org", NULL },
	{ CASE_LINE, "example.org..", NULL },
	{ CASE_LINE, "exa mple.org", NULL },
	{ CASE_LINE, "<script>", NULL },
	{ CASE_LINE, "example.org\"", NULL },
	{ CASE_LINE, "ex\xc3\xa4mple.org", NULL },
	{ CASE_LINE, "example.org:80:80", NULL },
	{ CASE_LINE, "example.org:8o", NULL },
	{ CASE_LINE, "example.org:123456", NULL },
	{ CASE_LINE, "2001:db8::1", NULL },
	{ CASE_LINE, "[2001:db8::1", NULL },
	{ CASE_LINE, "[]", NULL },
	{ CASE_LINE, "[not-v6]", NULL },
	{ CASE_LINE, "[::1]x", NULL },
	{ CASE_LINE, "[::1]:x", NULL },
};

START_TEST(normalize)
{
	char	 out[HOST_KEY_MAX + 1];
	int	 rc;

	rc = host_normalize(rows[_i].in, out, sizeof(out));
	if (rows[_i].want == NULL) {
		ck_assert_msg(rc == -1, "line %d: \"%s\" accepted as \"%s\"",
		    rows[_i].line, rows[_i].in, out);
		ck_assert_msg(out[0] == '\0', "line %d: out not emptied", rows[_i].line);
	} else {
		ck_assert_msg(rc == 0, "line %d: \"%s\" rejected", rows[_i].line, rows[_i].in);
		ck_assert_msg(strcmp(out, rows[_i].want) == 0, "line %d: \"%s\" gave \"%s\"",
		    rows[_i].line, rows[_i].in, out);
	}
}
END_TEST

START_TEST(in_place)
{
	char	 b[64] = "Mixed.Case.Example:8443";

	ck_assert_int_eq(host_normalize(b, b, sizeof(b)), 0);
	ck_assert_str_eq(b, "mixed.case.example");
}
END_TEST

START_TEST(lengths)
{
	char	 in[400], out[HOST_KEY_MAX + 1];
	size_t	 i;

	/* 63-byte labels are the most DNS allows; 64 is one too many. */
	memset(in, 'a', 63);
	strcpy(in + 63, ".example");
	ck_assert_int_eq(host_normalize(in, out, sizeof(out)), 0);
	memset(in, 'a', 64);
	strcpy(in + 64, ".example");
	ck_assert_int_eq(host_normalize(in, out, sizeof(out)), -1);
	/* 253 bytes in all, with a trailing dot allowed on top. */
	for (i = 0; i < 253; i++)
		in[i] = (i % 50 == 49) ? '.' : 'b';
	in[253] = '\0';
	ck_assert_int_eq(host_normalize(in, out, sizeof(out)), 0);
	in[253] = '.';
	in[254] = '\0';
	ck_assert_int_eq(host_normalize(in, out, sizeof(out)), 0);
	ck_assert_uint_eq(strlen(out), 253);
	in[253] = 'b';
	ck_assert_int_eq(host_normalize(in, out, sizeof(out)), -1);
	/* An output buffer too small is a refusal, not a cut name. */
	ck_assert_int_eq(host_normalize("example.org", out, 5), -1);
	ck_assert_int_eq(host_normalize("[::1]", out, 5), -1);
	ck_assert_int_eq(host_normalize("[::1]", out, 6), 0);
	ck_assert_int_eq(host_normalize("x", out, 0), -1);
}
END_TEST

START_TEST(listed)
{
	struct config	 cfg;
	char		 err[CONFIG_ERR_MAX];
	static const char text[] = "hosts = Example.org, www.example.org:443 [2001:DB8::1]\n";

	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert(config_host_listed(&cfg, "anything.example"));
	ck_assert_int_eq(config_parse(&cfg, "t.conf", text, sizeof(text) - 1,
	    err, sizeof(err)), 0);
	ck_assert_str_eq(cfg.hosts, " example.org www.example.org [2001:db8::1] ");
	ck_assert(config_host_listed(&cfg, "example.org"));
	ck_assert(config_host_listed(&cfg, "www.example.org"));
	ck_assert(config_host_listed(&cfg, "[2001:db8::1]"));
	ck_assert(!config_host_listed(&cfg, "example"));
	ck_assert(!config_host_listed(&cfg, "org"));
	ck_assert(!config_host_listed(&cfg, "ww.example.org"));
	ck_assert(!config_host_listed(&cfg, "evil.example.org"));
	ck_assert(!config_host_listed(&cfg, ""));
	config_free(&cfg);
}
END_TEST

START_TEST(list_errors)
{
	struct config	 cfg;
	char		 err[CONFIG_ERR_MAX];
	static const char bad[] = "hosts = example.org, <b>\n";
	static const char empty[] = "hosts =\n";

	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_int_eq(config_parse(&cfg, "t.conf", bad, sizeof(bad) - 1,
	    err, sizeof(err)), -1);
	ck_assert_str_eq(err, "t.conf:1: hosts: \"<b>\" is not a host name");
	ck_assert_ptr_null(cfg.hosts);
	ck_assert_int_eq(config_parse(&cfg, "t.conf", empty, sizeof(empty) - 1,
	    err, sizeof(err)), 0);
	ck_assert_ptr_null(cfg.hosts);
	config_free(&cfg);
}
END_TEST

Suite *
host_suite(void)
{
	Suite	*s = suite_create("host");
	TCase	*tc;

	tc = tcase_create("normalize");
	tcase_add_loop_test(tc, normalize, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tc, in_place);
	suite_add_tcase(s, tc);
	tc = tcase_create("config");
	tcase_add_test(tc, listed);
	tcase_add_test(tc, list_errors);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, lengths);
	suite_add_tcase(s, tc);
	return s;
}
