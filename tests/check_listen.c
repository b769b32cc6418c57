/* check_listen.c: unit tests of --listen parsing and the loopback rule. */
#include <sys/un.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "listen.h"
#include "check_suites.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const struct listen_case {
	int		 line;
	const char	*text;
	bool		 allow_remote;
	int		 rc;		/* 0 or -1 */
	enum listen_kind kind;
	int		 family;	/* of ss, for UNIX and INET */
	const char	*addr;		/* INET: the address as text */
	unsigned	 port;
	int		 fd;
	const char	*err;		/* a part of the message, for -1 */
} cases[] = {
	{ __LINE__, "unix:/run/dualstat.sock", false, 0, LISTEN_UNIX, AF_UNIX, NULL, 0, -1, NULL },
	{ __LINE__, "unix:relative.sock", false, 0, LISTEN_UNIX, AF_UNIX, NULL, 0, -1, NULL },
	{ __LINE__, "unix:", false, -1, 0, 0, NULL, 0, -1, "empty or longer" },
	{ __LINE__, "127.0.0.1:9000", false, 0, LISTEN_INET, AF_INET, "127.0.0.1", 9000, -1, NULL },
	{ __LINE__, "127.8.9.10:1", false, 0, LISTEN_INET, AF_INET, "127.8.9.10", 1, -1, NULL },
	{ __LINE__, "[::1]:65535", false, 0, LISTEN_INET, AF_INET6, "::1", 65535, -1, NULL },
	{ __LINE__, "[::ffff:127.0.0.1]:80", false, 0, LISTEN_INET, AF_INET6, "::ffff:127.0.0.1", 80, -1, NULL },
	/* Reachable from the network: refused unless insisted on. */
	{ __LINE__, "0.0.0.0:9000", false, -1, 0, 0, NULL, 0, -1, "not a loopback address" },
	{ __LINE__, "[::]:9000", false, -1, 0, 0, NULL, 0, -1, "not a loopback address" },
	{ __LINE__, "192.0.2.1:9000", false, -1, 0, 0, NULL, 0, -1, "not a loopback address" },
	{ __LINE__, "[2001:db8::1]:9000", false, -1, 0, 0, NULL, 0, -1, "not a loopback address" },
	{ __LINE__, "[::ffff:192.0.2.1]:9000", false, -1, 0, 0, NULL, 0, -1, "not a loopback address" },
	{ __LINE__, "192.0.2.1:9000", true, 0, LISTEN_INET, AF_INET, "192.0.2.1", 9000, -1, NULL },
	{ __LINE__, "[::]:9000", true, 0, LISTEN_INET, AF_INET6, "::", 9000, -1, NULL },
	/* Ports: 1..65535, digits only, no leading zero. */
	{ __LINE__, "127.0.0.1:0", false, -1, 0, 0, NULL, 0, -1, "expected" },
	{ __LINE__, "127.0.0.1:65536", false, -1, 0, 0, NULL, 0, -1, "expected" },
	{ __LINE__, "127.0.0.1:08080", false, -1, 0, 0, NULL, 0, -1, "expected" },
	{ __LINE__, "127.0.0.1:+80", false, -1, 0, 0, NULL, 0, -1, "expected" },
	{ __LINE__, "127.0.0.1:80 ", false, -1, 0, 0, NULL, 0, -1, "expected" },
	{ __LINE__, "127.0.0.1:", false, -1, 0, 0, NULL, 0, -1, "expected" },
	{ __LINE__, "127.0.0.1:99999999999999999999", false, -1, 0, 0, NULL, 0, -1, "expected" },
	/* Hosts: addresses only, IPv6 in brackets. */
	{ __LINE__, "localhost:9000", false, -1, 0, 0, NULL, 0, -1, "expected" },
	{ __LINE__, "::1:9000", false, -1, 0, 0, NULL, 0, -1, "expected" },
	{ __LINE__, "[::1]9000", false, -1, 0, 0, NULL, 0, -1, "expected" },
	{ __LINE__, "[::1:9000", false, -1, 0, 0, NULL, 0, -1, "expected" },
	{ __LINE__, "[127.0.0.1]:9000", false, -1, 0, 0, NULL, 0, -1, "expected" },
	{ __LINE__, "9000", false, -1, 0, 0, NULL, 0, -1, "expected" },
	{ __LINE__, "", false, -1, 0, 0, NULL, 0, -1, "expected" },
	/* fd:N */
	{ __LINE__, "fd:0", false, 0, LISTEN_FD, 0, NULL, 0, 0, NULL },
	{ __LINE__, "fd:3", false, 0, LISTEN_FD, 0, NULL, 0, 3, NULL },
	{ __LINE__, "fd:1024", false, 0, LISTEN_FD, 0, NULL, 0, 1024, NULL },
	{ __LINE__, "fd:1025", false, -1, 0, 0, NULL, 0, -1, "file descriptor" },
	{ __LINE__, "fd:", false, -1, 0, 0, NULL, 0, -1, "file descriptor" },
	{ __LINE__, "fd:03", false, -1, 0, 0, NULL, 0, -1, "file descriptor" },
	{ __LINE__, "fd:-1", false, -1, 0, 0, NULL, 0, -1, "file descriptor" },
	{ __LINE__, "fd:3x", false, -1, 0, 0, NULL, 0, -1, "file descriptor" },
};

START_TEST(parse_cases)
{
	const struct listen_case	*t = &cases[_i];
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;
	struct listen_addr		 la;
	char				 err[256] = "", text[INET6_ADDRSTRLEN];
	int				 rc;

	rc = listen_parse(t->text, t->allow_remote, &la, err, sizeof(err));
	ck_assert_msg(rc == t->rc, "line %d: \"%s\": rc %d (%s)", t->line, t->text, rc, err);
	if (rc != 0) {
		ck_assert_msg(strstr(err, t->err) != NULL, "line %d: message \"%s\"", t->line, err);
		ck_assert_msg(strstr(err, t->text) != NULL, "line %d: the message names the value",
		    t->line);
		return;
	}
	ck_assert_msg(la.kind == t->kind, "line %d: kind %d", t->line, la.kind);
	ck_assert_int_eq(la.fd, t->fd);
	if (t->kind == LISTEN_FD)
		return;
	ck_assert_int_eq(la.ss.ss_family, t->family);
	if (t->kind == LISTEN_UNIX) {
		ck_assert_str_eq(la.path, t->text + 5);
		ck_assert_str_eq(((const struct sockaddr_un *)&la.ss)->sun_path, t->text + 5);
		return;
	}
	if (t->family == AF_INET) {
		sin = (const struct sockaddr_in *)&la.ss;
		inet_ntop(AF_INET, &sin->sin_addr, text, sizeof(text));
		ck_assert_uint_eq(ntohs(sin->sin_port), t->port);
		ck_assert_uint_eq(la.len, sizeof(*sin));
	} else {
		sin6 = (const struct sockaddr_in6 *)&la.ss;
		inet_ntop(AF_INET6, &sin6->sin6_addr, text, sizeof(text));
		ck_assert_uint_eq(ntohs(sin6->sin6_port), t->port);
		ck_assert_uint_eq(la.len, sizeof(*sin6));
	}
	ck_assert_msg(strcmp(text, t->addr) == 0, "line %d: address %s", t->line, text);
}
END_TEST

/* The longest path a sockaddr_un holds, and one byte more. */
START_TEST(limit_unix_path)
{
	struct sockaddr_un	 sun;
	struct listen_addr	 la;
	char			 text[sizeof(sun.sun_path) + 8], err[512];

	memcpy(text, "unix:", 5);
	memset(text + 5, 'p', sizeof(sun.sun_path) - 1);
	text[5 + sizeof(sun.sun_path) - 1] = '\0';
	ck_assert_int_eq(listen_parse(text, false, &la, err, sizeof(err)), 0);
	ck_assert_uint_eq(strlen(la.path), sizeof(sun.sun_path) - 1);
	text[5 + sizeof(sun.sun_path) - 1] = 'p';
	text[5 + sizeof(sun.sun_path)] = '\0';
	ck_assert_int_eq(listen_parse(text, false, &la, err, sizeof(err)), -1);
}
END_TEST

START_TEST(loopback_rule)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	ss.ss_family = AF_UNIX;
	ck_assert(listen_loopback(&ss));
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, "127.255.255.254", &sin->sin_addr);
	ck_assert(listen_loopback(&ss));
	inet_pton(AF_INET, "128.0.0.1", &sin->sin_addr);
	ck_assert(!listen_loopback(&ss));
	memset(&ss, 0, sizeof(ss));
	sin6->sin6_family = AF_INET6;
	ck_assert(!listen_loopback(&ss));	/* :: */
	inet_pton(AF_INET6, "::1", &sin6->sin6_addr);
	ck_assert(listen_loopback(&ss));
	inet_pton(AF_INET6, "::ffff:127.0.0.1", &sin6->sin6_addr);
	ck_assert(listen_loopback(&ss));
	inet_pton(AF_INET6, "::ffff:126.0.0.1", &sin6->sin6_addr);
	ck_assert(!listen_loopback(&ss));
	ss.ss_family = AF_PACKET;
	ck_assert(!listen_loopback(&ss));
}
END_TEST

Suite *
listen_suite(void)
{
	Suite	*s = suite_create("listen");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, parse_cases, 0, NELEM(cases));
	tcase_add_test(tc, loopback_rule);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, limit_unix_path);
	suite_add_tcase(s, tc);
	return s;
}
