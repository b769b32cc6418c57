/* check_logrow.c: a parsed log line into the request recorded of it: trusted proxies, the listener's family, the host key. */
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "config.h"
#include "logrow.h"
#include "check_suites.h"

static const struct {
	int		 line;
	const char	*conf;		/* dualstat.conf text */
	const char	*peer;
	const char	*forwarded;	/* NULL: the line has none */
	const char	*host;		/* the line's; NULL: none */
	const char	*dflt;		/* --host, as given */
	/* expected */
	const char	*client;
	int		 server_family;
	bool		 via_proxy;
	const char	*key;		/* NULL: no host */
} rows[] = {
	{ CASE_LINE, "", "203.0.113.7", NULL, NULL, NULL,
	  "203.0.113.7", 4, false, NULL },
	{ CASE_LINE, "", "2001:db8::7", NULL, NULL, NULL,
	  "2001:db8::7", 6, false, NULL },
	/* A v4-mapped peer came to an IPv6 socket that shows it as IPv4 (SERVER_ADDR too). */
	{ CASE_LINE, "", "::ffff:203.0.113.7", NULL, NULL, NULL,
	  "203.0.113.7", 4, false, NULL },
	/* Host from the line, normalised; else --host; the line's wins. */
	{ CASE_LINE, "", "203.0.113.7", NULL, "WWW.Example.ORG:8080", NULL,
	  "203.0.113.7", 4, false, "www.example.org" },
	{ CASE_LINE, "", "203.0.113.7", NULL, NULL, "Site.Example",
	  "203.0.113.7", 4, false, "site.example" },
	{ CASE_LINE, "", "203.0.113.7", NULL, "a.example", "site.example",
	  "203.0.113.7", 4, false, "a.example" },
	{ CASE_LINE, "", "203.0.113.7", NULL, "[2001:DB8::1]:443", NULL,
	  "203.0.113.7", 4, false, "[2001:db8::1]" },
	/* A line's host that is no name: --host (or none). */
	{ CASE_LINE, "", "203.0.113.7", NULL, "not a name", "site.example",
	  "203.0.113.7", 4, false, "site.example" },
	{ CASE_LINE, "", "203.0.113.7", NULL, "not a name", NULL,
	  "203.0.113.7", 4, false, NULL },
	{ CASE_LINE, "", "203.0.113.7", NULL, "", NULL,
	  "203.0.113.7", 4, false, NULL },
	/* The hosts list: others are "(other)", --host too, as live. */
	{ CASE_LINE, "hosts = a.example", "203.0.113.7", NULL, "b.example", NULL,
	  "203.0.113.7", 4, false, "(other)" },
	{ CASE_LINE, "hosts = a.example", "203.0.113.7", NULL, "A.example", NULL,
	  "203.0.113.7", 4, false, "a.example" },
	{ CASE_LINE, "hosts = a.example", "203.0.113.7", NULL, NULL, "b.example",
	  "203.0.113.7", 4, false, "(other)" },
	/* Forwarded-for: only from a trusted peer; the listener stays the peer's. */
	{ CASE_LINE, "", "192.0.2.10", "2001:db8:5::1", NULL, NULL,
	  "192.0.2.10", 4, false, NULL },
	{ CASE_LINE, "trusted_proxies = 192.0.2.0/24", "192.0.2.10", "2001:db8:5::1",
	  NULL, NULL, "2001:db8:5::1", 4, true, NULL },
	{ CASE_LINE, "trusted_proxies = 192.0.2.0/24", "198.51.100.1", "2001:db8:5::1",
	  NULL, NULL, "198.51.100.1", 4, false, NULL },
	{ CASE_LINE, "trusted_proxies = 192.0.2.0/24", "192.0.2.10",
	  "203.0.113.9, 192.0.2.11", NULL, NULL, "203.0.113.9", 4, true, NULL },
	{ CASE_LINE, "trusted_proxies = 192.0.2.0/24", "192.0.2.10", "[2001:db8::9]:5000",
	  NULL, NULL, "2001:db8::9", 4, true, NULL },
	/* A hop no proxy may report, or garbage: the peer stands. */
	{ CASE_LINE, "trusted_proxies = 192.0.2.0/24", "192.0.2.10", "127.0.0.1",
	  NULL, NULL, "192.0.2.10", 4, false, NULL },
	{ CASE_LINE, "trusted_proxies = 192.0.2.0/24", "192.0.2.10", "unknown",
	  NULL, NULL, "192.0.2.10", 4, false, NULL },
	{ CASE_LINE, "trusted_proxies = 192.0.2.0/24", "192.0.2.10", NULL,
	  NULL, NULL, "192.0.2.10", 4, false, NULL },
	/* proxy_header = none never reads one; forwarded (RFC 7239) reads the log's list. */
	{ CASE_LINE, "trusted_proxies = 192.0.2.0/24\nproxy_header = none", "192.0.2.10",
	  "2001:db8:5::1", NULL, NULL, "192.0.2.10", 4, false, NULL },
	{ CASE_LINE, "trusted_proxies = 2001:db8:ffff::/48\nproxy_header = forwarded",
	  "2001:db8:ffff::1", "203.0.113.50", NULL, NULL, "203.0.113.50", 6, true, NULL },
};

START_TEST(test_make)
{
	struct config	 cfg;
	struct logline	 l;
	struct logrow	 r;
	char		 err[CONFIG_ERR_MAX], text[64], dflt[HOST_KEY_MAX + 1];
	const char	*d = NULL;
	int		 line = rows[_i].line;

	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_msg(config_parse(&cfg, "test", rows[_i].conf, strlen(rows[_i].conf),
	    err, sizeof(err)) == 0, "line %d: %s", line, err);
	memset(&l, 0, sizeof(l));
	ck_assert_int_eq(addr_parse(rows[_i].peer, &l.client), 0);
	l.host = rows[_i].host;
	l.forwarded = rows[_i].forwarded;
	if (rows[_i].dflt != NULL) {
		ck_assert_int_eq(logrow_host(&cfg, rows[_i].dflt, dflt, sizeof(dflt)), 0);
		d = dflt;
	}
	logrow_make(&l, &cfg, d, &r);
	ck_assert_int_eq(addr_format(&r.client, text, sizeof(text)), 0);
	ck_assert_msg(strcmp(text, rows[_i].client) == 0, "line %d: client %s", line, text);
	ck_assert_msg(r.server_family == rows[_i].server_family, "line %d: listener %d",
	    line, r.server_family);
	ck_assert_msg(r.via_proxy == rows[_i].via_proxy, "line %d: via_proxy", line);
	if (rows[_i].key == NULL)
		ck_assert_msg(r.host == NULL, "line %d: host %s", line, r.host);
	else
		ck_assert_msg(r.host != NULL && strcmp(r.host, rows[_i].key) == 0,
		    "line %d: host %s", line, r.host != NULL ? r.host : "(none)");
	config_free(&cfg);
}
END_TEST

START_TEST(test_limits)
{
	struct logline	 l;
	struct logrow	 r;
	char		 out[HOST_KEY_MAX + 1], small[4];

	/* No configuration: nobody trusted, every host a key. */
	memset(&l, 0, sizeof(l));
	ck_assert_int_eq(addr_parse("192.0.2.10", &l.client), 0);
	l.forwarded = "2001:db8::1";
	l.host = "b.example";
	logrow_make(&l, NULL, NULL, &r);
	ck_assert(!r.via_proxy);
	ck_assert_str_eq(r.host, "b.example");
	ck_assert_int_eq(logrow_host(NULL, "x..example", out, sizeof(out)), -1);
	ck_assert_int_eq(logrow_host(NULL, "", out, sizeof(out)), -1);
	ck_assert_int_eq(logrow_host(NULL, "a.example", small, sizeof(small)), -1);
	ck_assert_int_eq(logrow_host(NULL, "a.example.", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "a.example");
}
END_TEST

Suite *
logrow_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("logrow");
	tc = tcase_create("core");
	tcase_add_loop_test(tc, test_make, 0, sizeof(rows) / sizeof(rows[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, test_limits);
	suite_add_tcase(s, tc);
	return s;
}
