/* check_proxy.c: unit tests of the client behind trusted proxies (X-Forwarded-For, RFC 7239 Forwarded). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "proxy.h"
#include "check_suites.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* What most tests trust: a private proxy tier and one IPv6 proxy range. */
#define TRUSTED		"10.0.0.0/8, 2001:db8:ffff::/48"
#define PEER		"10.0.0.1"

struct result {
	bool	 decided;
	char	 client[ADDR_PREFIX_MAX];
	bool	 mapped;
};

static struct addr
must_parse(const char *text)
{
	struct addr	 a;

	ck_assert_msg(addr_parse(text, &a) == 0, "\"%s\" did not parse", text);
	return a;
}

/*
 * Resolve a header sent as n lines from peer with trusted; the client
 * comes back as text.
 */
static struct result
resolve_lines(const char *peer, const char *trusted, enum proxy_header which,
    const char *const *lines, size_t n)
{
	struct cidr_list	 l = { NULL, 0 };
	struct addr		 p = must_parse(peer), c;
	struct result		 r;

	ck_assert_int_eq(cidr_list_parse(&l, trusted, NULL, 0), 0);
	memset(&c, 0xa5, sizeof(c));
	r.decided = proxy_resolve(&p, &l, which, lines, n, &c);
	ck_assert_int_eq(addr_format(&c, r.client, sizeof(r.client)), 0);
	r.mapped = c.mapped;
	cidr_list_free(&l);
	return r;
}

/* The same for a header of one line (none when header is NULL). */
static struct result
resolve(const char *peer, const char *trusted, enum proxy_header which,
    const char *header)
{
	return resolve_lines(peer, trusted, which, &header, header != NULL);
}

static void
check_resolve(int line, const char *peer, const char *trusted,
    enum proxy_header which, const char *header, const char *want, bool decided)
{
	struct result	 r = resolve(peer, trusted, which, header);

	ck_assert_msg(strcmp(r.client, want) == 0,
	    "line %d: %s: client %s, want %s", line, proxy_header_name(which),
	    r.client, want);
	ck_assert_msg(r.decided == decided, "line %d: %s: decided %d, want %d",
	    line, proxy_header_name(which), r.decided, decided);
}

/* names */

START_TEST(header_name_roundtrip)
{
	static const char *const want[PROXY__MAX] = {
		[PROXY_NONE] = "none",
		[PROXY_XFF] = "x-forwarded-for",
		[PROXY_FORWARDED] = "forwarded",
	};
	enum proxy_header	 h = (enum proxy_header)_i;

	ck_assert_str_eq(proxy_header_name(h), want[h]);
	ck_assert_int_eq(proxy_header_from_name(want[h]), h);
}
END_TEST

START_TEST(header_from_name_cases)
{
	ck_assert_int_eq(proxy_header_from_name("X-Forwarded-For"), PROXY_XFF);
	ck_assert_int_eq(proxy_header_from_name("X-FORWARDED-FOR"), PROXY_XFF);
	ck_assert_int_eq(proxy_header_from_name("Forwarded"), PROXY_FORWARDED);
	ck_assert_int_eq(proxy_header_from_name("NONE"), PROXY_NONE);
	ck_assert_int_eq(proxy_header_from_name(NULL), PROXY__MAX);
	ck_assert_int_eq(proxy_header_from_name(""), PROXY__MAX);
	ck_assert_int_eq(proxy_header_from_name("x-real-ip"), PROXY__MAX);
	ck_assert_int_eq(proxy_header_from_name("x-forwarded-for "), PROXY__MAX);
	ck_assert_int_eq(proxy_header_from_name("xff"), PROXY__MAX);
	ck_assert_str_eq(proxy_header_name(PROXY__MAX), "unknown");
	ck_assert_str_eq(proxy_header_name((enum proxy_header)-1), "unknown");
}
END_TEST

/* node */

static const struct {
	int		 line;
	const char	*in;
	const char	*addr;
	int		 family;
	bool		 mapped;
} nodes[] = {
	{ CASE_LINE, "192.0.2.1", "192.0.2.1", 4, false },
	{ CASE_LINE, "192.0.2.1:8080", "192.0.2.1", 4, false },
	{ CASE_LINE, "192.0.2.1:0", "192.0.2.1", 4, false },
	{ CASE_LINE, "192.0.2.1:65535", "192.0.2.1", 4, false },
	{ CASE_LINE, "192.0.2.1:00080", "192.0.2.1", 4, false },
	{ CASE_LINE, "192.0.2.1:_abc", "192.0.2.1", 4, false },
	{ CASE_LINE, "192.0.2.1:_a.b-c_9", "192.0.2.1", 4, false },
	{ CASE_LINE, "2001:db8::1", "2001:db8::1", 6, false },
	{ CASE_LINE, "2001:DB8:0:0::1", "2001:db8::1", 6, false },
	{ CASE_LINE, "[2001:db8::1]", "2001:db8::1", 6, false },
	{ CASE_LINE, "[2001:db8:cafe::17]:4711", "2001:db8:cafe::17", 6, false },
	{ CASE_LINE, "[2001:db8::1]:_abc", "2001:db8::1", 6, false },
	{ CASE_LINE, "[::1]:65535", "::1", 6, false },
	{ CASE_LINE, "[::ffff:192.0.2.9]:80", "192.0.2.9", 4, true },
	{ CASE_LINE, "::ffff:192.0.2.9", "192.0.2.9", 4, true },
	{ CASE_LINE, "::ffff:c000:209", "192.0.2.9", 4, true },
	{ CASE_LINE, "[fe80::1%eth0]:80", "fe80::1", 6, false },
};

START_TEST(node_valid)
{
	struct addr	 a;
	char		 buf[ADDR_PREFIX_MAX];
	const char	*in = nodes[_i].in;

	ck_assert_msg(proxy_parse_node(in, strlen(in), &a) == 0,
	    "line %d: \"%s\" refused", nodes[_i].line, in);
	ck_assert_int_eq(addr_format(&a, buf, sizeof(buf)), 0);
	ck_assert_msg(strcmp(buf, nodes[_i].addr) == 0, "line %d: got %s",
	    nodes[_i].line, buf);
	ck_assert_msg(a.family == nodes[_i].family && a.mapped == nodes[_i].mapped,
	    "line %d: family %d mapped %d", nodes[_i].line, a.family, a.mapped);
}
END_TEST

static const struct { int line; const char *in; } bad_nodes[] = {
	{ CASE_LINE, "" },
	{ CASE_LINE, "unknown" },
	{ CASE_LINE, "UNKNOWN" },
	{ CASE_LINE, "Unknown" },
	{ CASE_LINE, "_hidden" },
	{ CASE_LINE, "_gazonk" },
	{ CASE_LINE, "_" },
	{ CASE_LINE, "[]" },
	{ CASE_LINE, "[]:80" },
	{ CASE_LINE, "[::1" },
	{ CASE_LINE, "::1]" },
	{ CASE_LINE, "[::1]x" },
	{ CASE_LINE, "[::1]:" },
	{ CASE_LINE, "[::1]::" },
	{ CASE_LINE, "[::1]:65536" },
	{ CASE_LINE, "[::1]:123456" },
	{ CASE_LINE, "[::1]:99999999999999999999" },
	{ CASE_LINE, "[::1]:+80" },
	{ CASE_LINE, "[::1]:_" },
	{ CASE_LINE, "[[::1]]" },
	{ CASE_LINE, "[::1]]" },
	{ CASE_LINE, "[ ::1]" },
	{ CASE_LINE, "[192.0.2.1]" },
	{ CASE_LINE, "[192.0.2.1]:80" },
	{ CASE_LINE, "192.0.2.1:" },
	{ CASE_LINE, "192.0.2.1:65536" },
	{ CASE_LINE, "192.0.2.1:-1" },
	{ CASE_LINE, "192.0.2.1:8a" },
	{ CASE_LINE, "192.0.2.1:0x50" },
	{ CASE_LINE, "192.0.2.1: 80" },
	{ CASE_LINE, "192.0.2.1:_" },
	{ CASE_LINE, "192.0.2.1:_a b" },
	{ CASE_LINE, "192.0.2.1:_a/b" },
	{ CASE_LINE, "192.0.2.1:80:80" },
	{ CASE_LINE, " 192.0.2.1" },
	{ CASE_LINE, "192.0.2.1 " },
	{ CASE_LINE, "\"192.0.2.1\"" },
	{ CASE_LINE, "01.2.3.4" },
	{ CASE_LINE, "1.2.3.4/24" },
	{ CASE_LINE, "1.2.3" },
	{ CASE_LINE, "example.com" },
	{ CASE_LINE, "example.com:80" },
	{ CASE_LINE, "spoofed-garbage" },
	{ CASE_LINE, "2001:db8::1:80:" },
	{ CASE_LINE, "2001:db8::g" },
	{ CASE_LINE, "for=192.0.2.1" },
	{ CASE_LINE, "192.0.2.1%eth0" },
	{ CASE_LINE, "<script>" },
};

START_TEST(node_invalid)
{
	struct addr	 a;
	const char	*in = bad_nodes[_i].in;

	ck_assert_msg(proxy_parse_node(in, strlen(in), &a) == -1,
	    "line %d: \"%s\" accepted", bad_nodes[_i].line, in);
}
END_TEST

START_TEST(node_reads_only_len)
{
	static const char	 text[] = "192.0.2.1:80, [2001:db8::5]:9";
	struct addr		 a;
	char			 buf[ADDR_PREFIX_MAX];

	ck_assert_int_eq(proxy_parse_node(text, 9, &a), 0);
	ck_assert_int_eq(addr_format(&a, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "192.0.2.1");
	ck_assert_int_eq(proxy_parse_node(text, 12, &a), 0);
	ck_assert_int_eq(proxy_parse_node(text, 13, &a), -1);
	ck_assert_int_eq(proxy_parse_node(text, 11, &a), 0);
	ck_assert_int_eq(proxy_parse_node(text, 10, &a), -1);
	ck_assert_int_eq(proxy_parse_node(text + 14, 15, &a), 0);
	ck_assert_int_eq(addr_format(&a, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "2001:db8::5");
	ck_assert_int_eq(proxy_parse_node(text + 14, 13, &a), 0);
	ck_assert_int_eq(proxy_parse_node(text + 14, 14, &a), -1);
	ck_assert_int_eq(proxy_parse_node(text + 14, 12, &a), -1);
}
END_TEST

START_TEST(node_null)
{
	struct addr	 a;

	ck_assert_int_eq(proxy_parse_node(NULL, 3, &a), -1);
	ck_assert_int_eq(proxy_parse_node("::1", 3, NULL), -1);
	ck_assert_int_eq(proxy_parse_node("::1", 0, &a), -1);
	ck_assert_int_eq(proxy_parse_node("::1\0", 4, &a), -1);
	ck_assert_int_eq(proxy_parse_node("[::1\0]", 6, &a), -1);
	ck_assert_int_eq(proxy_parse_node("::1", 3, &a), 0);
}
END_TEST

/* ignored headers */

START_TEST(untrusted_peer_ignored)
{
	/* The visitor itself sends the header: it must not choose its own address. */
	check_resolve(__LINE__, "203.0.113.50", TRUSTED, PROXY_XFF,
	    "198.51.100.1", "203.0.113.50", false);
	check_resolve(__LINE__, "203.0.113.50", TRUSTED, PROXY_FORWARDED,
	    "for=198.51.100.1", "203.0.113.50", false);
	check_resolve(__LINE__, "2001:db8:1::50", TRUSTED, PROXY_XFF,
	    "10.0.0.2", "2001:db8:1::50", false);
	check_resolve(__LINE__, "11.0.0.1", TRUSTED, PROXY_XFF,
	    "203.0.113.7, 10.0.0.2", "11.0.0.1", false);
	/* A trusted IPv4 range does not trust an IPv6 peer with the same bits. */
	check_resolve(__LINE__, "a00:1::", TRUSTED, PROXY_XFF,
	    "203.0.113.7", "a00:1::", false);
}
END_TEST

START_TEST(empty_trust_ignored)
{
	check_resolve(__LINE__, PEER, "", PROXY_XFF, "203.0.113.7", PEER, false);
	check_resolve(__LINE__, PEER, "", PROXY_FORWARDED, "for=203.0.113.7",
	    PEER, false);
}
END_TEST

START_TEST(null_trust_ignored)
{
	struct addr	 p = must_parse(PEER), c;

	const char	*line = "203.0.113.7";

	ck_assert(!proxy_resolve(&p, NULL, PROXY_XFF, &line, 1, &c));
	ck_assert(memcmp(&c, &p, sizeof(c)) == 0);
}
END_TEST

START_TEST(none_ignored)
{
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_NONE, "203.0.113.7", PEER,
	    false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY__MAX, "203.0.113.7", PEER,
	    false);
	check_resolve(__LINE__, PEER, TRUSTED, (enum proxy_header)77,
	    "203.0.113.7", PEER, false);
}
END_TEST

START_TEST(null_header_ignored)
{
	struct cidr_list	 l = { NULL, 0 };
	struct addr		 p = must_parse(PEER), c;

	ck_assert_int_eq(cidr_list_parse(&l, TRUSTED, NULL, 0), 0);
	memset(&c, 0xa5, sizeof(c));
	ck_assert(!proxy_resolve(&p, &l, PROXY_XFF, NULL, 0, &c));
	ck_assert(memcmp(&c, &p, sizeof(c)) == 0);
	memset(&c, 0xa5, sizeof(c));
	ck_assert(!proxy_resolve(&p, &l, PROXY_FORWARDED, NULL, 0, &c));
	ck_assert(memcmp(&c, &p, sizeof(c)) == 0);
	cidr_list_free(&l);
}
END_TEST

/* the walk, for both headers */

/*
 * Hops left to right as proxies append them; want NULL means the peer
 * stands.  Rendered as X-Forwarded-For and as quoted Forwarded for= values.
 */
static const struct {
	int		 line;
	const char	*hops[6];
	const char	*want;
	bool		 decided;
} walks[] = {
	{ CASE_LINE, { "203.0.113.7" }, "203.0.113.7", true },
	{ CASE_LINE, { "203.0.113.7", "10.0.0.2" }, "203.0.113.7", true },
	{ CASE_LINE, { "198.51.100.1", "203.0.113.7", "10.0.0.2", "10.0.0.3" },
	    "203.0.113.7", true },
	{ CASE_LINE, { "spoofed-garbage", "203.0.113.7" }, "203.0.113.7", true },
	{ CASE_LINE, { "10.0.0.99", "203.0.113.7" }, "203.0.113.7", true },
	{ CASE_LINE, { "203.0.113.7", "garbage" }, NULL, false },
	{ CASE_LINE, { "203.0.113.7", "unknown" }, NULL, false },
	{ CASE_LINE, { "1.2.3.4", "UNKNOWN" }, NULL, false },
	{ CASE_LINE, { "203.0.113.9", "unknown", "10.0.0.2" }, "10.0.0.2", true },
	{ CASE_LINE, { "203.0.113.9", "_hidden", "10.0.0.2" }, "10.0.0.2", true },
	{ CASE_LINE, { "203.0.113.9", "_hidden", "10.0.0.3", "10.0.0.2" },
	    "10.0.0.3", true },
	{ CASE_LINE, { "1.1.1.1", "203.0.113.7", "garbage", "10.0.0.2" },
	    "10.0.0.2", true },
	{ CASE_LINE, { "203.0.113.7", "10.0.0.2", "garbage" }, NULL, false },
	{ CASE_LINE, { "10.0.0.3", "10.0.0.2" }, "10.0.0.3", true },
	{ CASE_LINE, { "10.0.0.1" }, NULL, false },
	{ CASE_LINE, { "10.0.0.1", "10.0.0.1" }, NULL, false },
	{ CASE_LINE, { "2001:db8::17" }, "2001:db8::17", true },
	{ CASE_LINE, { "2001:db8::17", "10.0.0.2" }, "2001:db8::17", true },
	{ CASE_LINE, { "[2001:db8::17]:4711", "10.0.0.2" }, "2001:db8::17", true },
	{ CASE_LINE, { "203.0.113.7:51234" }, "203.0.113.7", true },
	{ CASE_LINE, { "203.0.113.7:51234", "[2001:db8:ffff::8]:443" },
	    "203.0.113.7", true },
	{ CASE_LINE, { "2001:db8:ffff::9", "2001:db8:ffff::8" },
	    "2001:db8:ffff::9", true },
	{ CASE_LINE, { "192.0.2.5", "[2001:db8:ffff::8]" }, "192.0.2.5", true },
	{ CASE_LINE, { "192.0.2.5", "2001:db8:fffe::8" }, "2001:db8:fffe::8", true },
	{ CASE_LINE, { "::ffff:203.0.113.7" }, "203.0.113.7", true },
	{ CASE_LINE, { "203.0.113.7", "::ffff:10.0.0.9" }, "203.0.113.7", true },
	{ CASE_LINE, { "::ffff:10.0.0.9", "10.0.0.2" }, "10.0.0.9", true },
	{ CASE_LINE, { "203.0.113.7", "[::1" }, NULL, false },
	{ CASE_LINE, { "203.0.113.7", "[]" }, NULL, false },
	{ CASE_LINE, { "203.0.113.7", "[::1]x" }, NULL, false },
	{ CASE_LINE, { "203.0.113.7", "10.0.0.2:99999" }, NULL, false },
	{ CASE_LINE, { "203.0.113.7", "[10.0.0.2]" }, NULL, false },
	{ CASE_LINE, { "203.0.113.7", "010.0.0.2" }, NULL, false },
	{ CASE_LINE, { "203.0.113.7", "10.0.0.2/8" }, NULL, false },
	{ CASE_LINE, { "203.0.113.7", "localhost" }, NULL, false },
};

START_TEST(xff_walk)
{
	char		 h[512];
	size_t		 n = 0;
	unsigned	 j;

	h[0] = '\0';
	for (j = 0; j < 6 && walks[_i].hops[j] != NULL; j++)
		n += (size_t)snprintf(h + n, sizeof(h) - n, "%s%s", j ? ", " : "",
		    walks[_i].hops[j]);
	ck_assert(n < sizeof(h));
	check_resolve(walks[_i].line, PEER, TRUSTED, PROXY_XFF, h,
	    walks[_i].want != NULL ? walks[_i].want : PEER, walks[_i].decided);
}
END_TEST

START_TEST(forwarded_walk)
{
	char		 h[512];
	size_t		 n = 0;
	unsigned	 j;

	h[0] = '\0';
	for (j = 0; j < 6 && walks[_i].hops[j] != NULL; j++)
		n += (size_t)snprintf(h + n, sizeof(h) - n, "%sfor=\"%s\";proto=https",
		    j ? ", " : "", walks[_i].hops[j]);
	ck_assert(n < sizeof(h));
	check_resolve(walks[_i].line, PEER, TRUSTED, PROXY_FORWARDED, h,
	    walks[_i].want != NULL ? walks[_i].want : PEER, walks[_i].decided);
}
END_TEST

/* Every malformed node, appended by the trusted peer after a real client, is never believed. */
START_TEST(malformed_never_believed)
{
	const char	*in = bad_nodes[_i].in;
	size_t		 len = strlen(in);
	char		 h[256];

	/* XFF trims OWS around items, so " 192.0.2.1" is an address there. */
	if (len == 0 || (in[0] != ' ' && in[len - 1] != ' ')) {
		snprintf(h, sizeof(h), "203.0.113.7, %s", in);
		check_resolve(bad_nodes[_i].line, PEER, TRUSTED, PROXY_XFF, h,
		    len == 0 ? "203.0.113.7" : PEER, len == 0);
	}
	/* Inside quotes the node is read as it is; for="" is no address either. */
	snprintf(h, sizeof(h), "for=203.0.113.7, for=\"%s\"", in);
	if (strchr(in, '"') == NULL)
		check_resolve(bad_nodes[_i].line, PEER, TRUSTED, PROXY_FORWARDED, h,
		    PEER, false);
}
END_TEST

/* X-Forwarded-For */

START_TEST(xff_ows_and_empty_items)
{
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_XFF,
	    " 203.0.113.7 ,\t10.0.0.2 , ", "203.0.113.7", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_XFF,
	    "203.0.113.7,,10.0.0.2", "203.0.113.7", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_XFF,
	    "203.0.113.7,10.0.0.2,", "203.0.113.7", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_XFF, "", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_XFF, ",", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_XFF, " , ,\t, ", PEER, false);
	/* Only SP and HTAB are OWS (RFC 7230 §3.2.3). */
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_XFF, "203.0.113.7\n", PEER,
	    false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_XFF, "203.0.113.7 10.0.0.2",
	    PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_XFF, "203.0.113.7;10.0.0.2",
	    PEER, false);
}
END_TEST

START_TEST(xff_alb_forms)
{
	/* AWS ALB appends the client as it saw it: bare IPv6 or bare IPv4. */
	check_resolve(__LINE__, "10.0.3.4", "10.0.0.0/8", PROXY_XFF,
	    "2001:db8:85a3::8a2e:370:7334", "2001:db8:85a3::8a2e:370:7334", true);
	check_resolve(__LINE__, "10.0.3.4", "10.0.0.0/8", PROXY_XFF,
	    "198.51.100.10, 2001:db8:85a3::8a2e:370:7334",
	    "2001:db8:85a3::8a2e:370:7334", true);
	/* Azure Application Gateway appends "v4:port". */
	check_resolve(__LINE__, "10.0.3.4", "10.0.0.0/8", PROXY_XFF,
	    "198.51.100.10:54321", "198.51.100.10", true);
	/* An ALB reached over IPv6 inside a dual-stack VPC. */
	check_resolve(__LINE__, "fd00:ec2::1", "fd00:ec2::/32", PROXY_XFF,
	    "203.0.113.7", "203.0.113.7", true);
}
END_TEST

START_TEST(xff_mapped_peer)
{
	struct result	 r;

	/* An IPv6 socket sees the IPv4 proxy as ::ffff:10.0.0.1: still trusted. */
	r = resolve("::ffff:10.0.0.1", TRUSTED, PROXY_XFF, "203.0.113.7");
	ck_assert_str_eq(r.client, "203.0.113.7");
	ck_assert(r.decided);
	ck_assert(!r.mapped);
	r = resolve(PEER, TRUSTED, PROXY_XFF, "::ffff:203.0.113.7");
	ck_assert_str_eq(r.client, "203.0.113.7");
	ck_assert(r.mapped);
	/* The same proxy named both ways is the same address: not decided. */
	r = resolve("::ffff:10.0.0.1", TRUSTED, PROXY_XFF, "10.0.0.1");
	ck_assert_str_eq(r.client, "10.0.0.1");
	ck_assert(!r.decided);
}
END_TEST

/* Forwarded */

START_TEST(forwarded_rfc7239_examples)
{
	/* §4 and §7 examples, from a trusted peer. */
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=\"_gazonk\"", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "For=\"[2001:db8:cafe::17]:4711\"", "2001:db8:cafe::17", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=192.0.2.60;proto=http;by=203.0.113.43", "192.0.2.60", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=192.0.2.43, for=198.51.100.17", "198.51.100.17", true);
	check_resolve(__LINE__, PEER, TRUSTED ", 198.51.100.17", PROXY_FORWARDED,
	    "for=192.0.2.43, for=198.51.100.17", "192.0.2.43", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=unknown", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=192.0.2.43, for=\"[2001:db8:cafe::17]\", for=unknown", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED ", 2001:db8:cafe::/48",
	    PROXY_FORWARDED,
	    "for=192.0.2.43, for=\"[2001:db8:cafe::17]\", for=10.0.0.9",
	    "192.0.2.43", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=192.0.2.43,for=\"[2001:db8:cafe::17]\";by=_abc", "2001:db8:cafe::17",
	    true);
}
END_TEST

START_TEST(forwarded_param_case)
{
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "FOR=203.0.113.7", "203.0.113.7", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "fOr=203.0.113.7;PROTO=https", "203.0.113.7", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "proto=https;by=10.0.0.1;For=203.0.113.7;host=example.org",
	    "203.0.113.7", true);
	/* Names that only begin or end like for are other parameters. */
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "fore=203.0.113.7", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "xfor=203.0.113.7", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "fo=203.0.113.7", PEER, false);
}
END_TEST

START_TEST(forwarded_element_without_for)
{
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=203.0.113.7, proto=https", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=203.0.113.7, by=10.0.0.2", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "proto=https, for=203.0.113.7", "203.0.113.7", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=203.0.113.7, ;", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=203.0.113.7, for=10.0.0.2, host=x", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=203.0.113.7, host=x, for=10.0.0.2", "10.0.0.2", true);
}
END_TEST

START_TEST(forwarded_duplicate_for)
{
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=203.0.113.7;for=198.51.100.1", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=10.0.0.3, for=203.0.113.7;FOR=10.0.0.2", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=203.0.113.7;for=198.51.100.1, for=10.0.0.2", "10.0.0.2", true);
}
END_TEST

START_TEST(forwarded_quoted_string)
{
	/* RFC 7230 §3.2.6 quoted-pair: the backslash escapes the next character. */
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=\"\\[2001:db8::1\\]:80\"", "2001:db8::1", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=\"192.0.2.\\61\"", "192.0.2.61", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=\"203.0.113.7\";ext=\"a\\\"b, for=1.1.1.1\"", "203.0.113.7", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=\"192.0.2.1\\\"", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=\"192.0.2.1\\", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=\"\"", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=\"192.0.2.1 \"", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=\"192.0.2.1\"x", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=\"192.0.2.1\x01\"", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=\"192.0.2.1\";x=\"\x7f\"", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=\"192.0.2.1\";x=\"a\001b\"", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=\"192.0.2.1\";x=\"a\\\nb\"", PEER, false);
	/* HTAB, SP and obs-text are qdtext. */
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=\"192.0.2.1\";x=\"a\t b\xe9\\\xff\"", "192.0.2.1", true);
}
END_TEST

START_TEST(forwarded_quoted_comma)
{
	/* A comma inside quotes does not end the element. */
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=203.0.113.7;ext=\"a, for=198.51.100.1\"", "203.0.113.7", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=198.51.100.9, for=203.0.113.7;ext=\",\"", "203.0.113.7", true);
	/*
	 * A client's unterminated quote swallows what the proxy appended:
	 * nothing can be read from the right, so the peer stands.
	 */
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=\"1.2.3.4, for=203.0.113.5", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=1.2.3.4;x=\"y, for=203.0.113.5", PEER, false);
}
END_TEST

START_TEST(forwarded_resync_after_bad_element)
{
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=garbage@@, for=203.0.113.7", "203.0.113.7", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "@@@, for=203.0.113.7", "203.0.113.7", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=203.0.113.7, for=bad@@, for=10.0.0.2", "10.0.0.2", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=203.0.113.7, for=bad\"q,q\"x, for=10.0.0.2", "10.0.0.2", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=203.0.113.7, =x, for=10.0.0.2", "10.0.0.2", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=203.0.113.7, for, for=10.0.0.2", "10.0.0.2", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=203.0.113.7, for=, for=10.0.0.2", "10.0.0.2", true);
}
END_TEST

START_TEST(forwarded_unquoted_lenient)
{
	/* RFC 7239 §6 wants these quoted; proxies are trusted, so take them. */
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=[2001:db8::1]:4711", "2001:db8::1", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=[2001:db8::1]", "2001:db8::1", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=192.0.2.1:8080", "192.0.2.1", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=2001:db8::1", "2001:db8::1", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=_hidden", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=192.0.2.1/24", PEER, false);
}
END_TEST

START_TEST(forwarded_whitespace)
{
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "  for=203.0.113.7 ;\tproto=http  ,  for=10.0.0.2\t", "203.0.113.7",
	    true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for =203.0.113.7", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for= 203.0.113.7", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=203.0.113.7 x", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=203.0.113.7\n", PEER, false);
}
END_TEST

START_TEST(forwarded_empty_elements)
{
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    ", , for=203.0.113.7 ,", "203.0.113.7", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=203.0.113.7,,,for=10.0.0.2", "203.0.113.7", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED, "", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED, " ,\t, ", PEER,
	    false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED,
	    "for=203.0.113.7;;proto=http;", "203.0.113.7", true);
}
END_TEST

/* limits */

/* Build a header of n trusted hops behind one client, in either syntax. */
static char *
long_header(enum proxy_header which, const char *client, unsigned n)
{
	char		*h, *p;
	unsigned	 i;

	ck_assert_ptr_nonnull(h = malloc(64 + (size_t)n * 32));
	p = h;
	p += sprintf(p, which == PROXY_XFF ? "%s" : "for=\"%s\"", client);
	for (i = 0; i < n; i++)
		p += sprintf(p, which == PROXY_XFF ? ", 10.%u.%u.%u" :
		    ", for=10.%u.%u.%u;proto=https", (i >> 16) & 0xff,
		    (i >> 8) & 0xff, i & 0xff);
	return h;
}

/* several lines: RFC 7230 §3.2.2 makes them one list, walked as one */

struct lines_case {
	int		 line;
	enum proxy_header which;
	const char	*peer;
	const char	*lines[4];	/* up to the first NULL */
	const char	*want;
	bool		 decided;
};

static const struct lines_case lines_cases[] = {
	/* The last line is the trusted proxy's: a client's own line is to its left. */
	{ __LINE__, PROXY_XFF, "127.0.0.1", { "198.51.100.5", "203.0.113.77" },
	    "203.0.113.77", true },
	{ __LINE__, PROXY_XFF, "127.0.0.1", { "198.51.100.5, 192.0.2.1", "203.0.113.77" },
	    "203.0.113.77", true },
	/* Trusted hops are walked across lines. */
	{ __LINE__, PROXY_XFF, PEER, { "203.0.113.7", "10.0.0.5, 10.0.0.6" },
	    "203.0.113.7", true },
	{ __LINE__, PROXY_XFF, PEER, { "203.0.113.7", "", "10.0.0.5" },
	    "203.0.113.7", true },
	{ __LINE__, PROXY_XFF, PEER, { "192.0.2.9, 203.0.113.7", "10.0.0.5" },
	    "203.0.113.7", true },
	/* A bad hop in a later line stops the walk there. */
	{ __LINE__, PROXY_XFF, PEER, { "203.0.113.7", "junk, 10.0.0.5" },
	    "10.0.0.5", true },
	{ __LINE__, PROXY_FORWARDED, "127.0.0.1", { "for=198.51.100.5", "for=203.0.113.77" },
	    "203.0.113.77", true },
	{ __LINE__, PROXY_FORWARDED, PEER,
	    { "for=\"[2001:db8:cafe::17]:4711\"", "for=10.0.0.2;proto=https" },
	    "2001:db8:cafe::17", true },
	{ __LINE__, PROXY_FORWARDED, PEER, { "for=203.0.113.7", "", "for=10.0.0.2" },
	    "203.0.113.7", true },
	/* A quoted string never spans lines: an unterminated one is bad where it is. */
	{ __LINE__, PROXY_FORWARDED, PEER, { "for=203.0.113.7", "for=\"10.0.0.2", "for=10.0.0.3" },
	    "10.0.0.3", true },
};

START_TEST(header_lines_joined)
{
	const struct lines_case	*t = &lines_cases[_i];
	struct result		 r;
	size_t			 n = 0;

	while (n < NELEM(t->lines) && t->lines[n] != NULL)
		n++;
	r = resolve_lines(t->peer, strcmp(t->peer, "127.0.0.1") == 0 ?
	    "127.0.0.1" : TRUSTED, t->which, t->lines, n);
	ck_assert_msg(strcmp(r.client, t->want) == 0, "line %d: client %s, want %s",
	    t->line, r.client, t->want);
	ck_assert_msg(r.decided == t->decided, "line %d: decided %d", t->line,
	    r.decided);
}
END_TEST

/*
 * Addresses no proxy may report: this machine (loopback) and the
 * unspecified address.  The walk stops there and the last address known
 * stands, as with Apache's RemoteIPTrustedProxy; trusted ones are walked.
 */
START_TEST(loopback_claims_refused)
{
	static const struct {
		int		 line;
		const char	*header;
		const char	*want;
	} xff[] = {
		{ __LINE__, "127.0.0.1", PEER },
		{ __LINE__, "127.1.2.3", PEER },
		{ __LINE__, "::1", PEER },
		{ __LINE__, "::ffff:127.0.0.1", PEER },
		{ __LINE__, "0.0.0.0", PEER },
		{ __LINE__, "::", PEER },
		{ __LINE__, "203.0.113.7, 127.0.0.1", PEER },
		{ __LINE__, "127.0.0.1, 10.0.0.2", "10.0.0.2" },
		/* A private client is somebody's: believed (and recorded as private). */
		{ __LINE__, "192.168.1.20", "192.168.1.20" },
	}, fwd[] = {
		{ __LINE__, "for=127.0.0.1", PEER },
		{ __LINE__, "for=\"[::1]\"", PEER },
		{ __LINE__, "for=203.0.113.7, for=127.0.0.1", PEER },
		{ __LINE__, "for=127.0.0.1, for=10.0.0.2", "10.0.0.2" },
		{ __LINE__, "for=192.168.1.20", "192.168.1.20" },
	};
	struct result	 r;
	size_t		 i;

	for (i = 0; i < NELEM(xff); i++) {
		r = resolve(PEER, TRUSTED, PROXY_XFF, xff[i].header);
		ck_assert_msg(strcmp(r.client, xff[i].want) == 0,
		    "line %d: client %s, want %s", xff[i].line, r.client, xff[i].want);
	}
	for (i = 0; i < NELEM(fwd); i++) {
		r = resolve(PEER, TRUSTED, PROXY_FORWARDED, fwd[i].header);
		ck_assert_msg(strcmp(r.client, fwd[i].want) == 0,
		    "line %d: client %s, want %s", fwd[i].line, r.client, fwd[i].want);
	}
	/* A loopback proxy that is trusted is walked past like any other. */
	check_resolve(__LINE__, "127.0.0.1", "127.0.0.1", PROXY_XFF,
	    "203.0.113.7, 127.0.0.1", "203.0.113.7", true);
}
END_TEST

START_TEST(limit_ten_thousand_hops)
{
	enum proxy_header	 which = _i ? PROXY_FORWARDED : PROXY_XFF;
	char			*h;

	h = long_header(which, "203.0.113.7", 10000);
	check_resolve(__LINE__, PEER, TRUSTED, which, h, "203.0.113.7", true);
	free(h);
	h = long_header(which, "unknown", 10000);
	check_resolve(__LINE__, PEER, TRUSTED, which, h, "10.0.0.0", true);
	free(h);
}
END_TEST

/* 300,000 hops, up to 9 MB: a quadratic walk would not finish within the test timeout. */
START_TEST(limit_linear_time)
{
	enum proxy_header	 which = _i ? PROXY_FORWARDED : PROXY_XFF;
	char			*h;

	h = long_header(which, "2001:db8::7", 300000);
	check_resolve(__LINE__, PEER, TRUSTED, which, h, "2001:db8::7", true);
	free(h);
}
END_TEST

/* Characters that mean something to one of the parsers, and some that do not. */
static const char junk[] = "a,\" \\;=[]:_0.%\t\x01\xff";

/* One megabyte of each: never believed, never a crash. */
START_TEST(limit_megabyte_junk)
{
	enum proxy_header	 which = (_i & 1) ? PROXY_FORWARDED : PROXY_XFF;
	size_t			 n = 1 << 20;
	char			*h;

	ck_assert_ptr_nonnull(h = malloc(n + 1));
	memset(h, junk[_i / 2], n);
	h[n] = '\0';
	check_resolve(__LINE__, PEER, TRUSTED, which, h, PEER, false);
	/*
	 * A valid hop after it is read from the right, in either header; but
	 * 1 MiB - 17 quotes are an odd number, so Forwarded's last quote is
	 * still open at its end: one unterminated value, nothing believed.
	 */
	if (which == PROXY_XFF)
		memcpy(h + n - 12, ",203.0.113.7", 12);
	else
		memcpy(h + n - 17, ", for=203.0.113.7", 17);
	if (which == PROXY_FORWARDED && junk[_i / 2] == '"')
		check_resolve(__LINE__, PEER, TRUSTED, which, h, PEER, false);
	else
		check_resolve(__LINE__, PEER, TRUSTED, which, h, "203.0.113.7", true);
	free(h);
}
END_TEST

START_TEST(limit_megabyte_hop)
{
	size_t	 n = 1 << 20;
	char	*h;

	ck_assert_ptr_nonnull(h = malloc(n + 32));
	memset(h, '1', n);
	strcpy(h + n, ", 10.0.0.2");
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_XFF, h, "10.0.0.2", true);
	memcpy(h, "for=\"", 5);
	strcpy(h + n, "\", for=10.0.0.2");
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED, h, "10.0.0.2", true);
	memcpy(h, "for=", 4);
	memset(h + 4, '\\', n - 4);
	strcpy(h + n, ", for=10.0.0.2");
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED, h, "10.0.0.2", true);
	h[4] = '"';
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_FORWARDED, h, PEER, false);
	free(h);
}
END_TEST

START_TEST(limit_ports)
{
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_XFF,
	    "[2001:db8::1]:65535", "2001:db8::1", true);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_XFF,
	    "[2001:db8::1]:65536", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_XFF,
	    "192.0.2.1:99999999999999999999999999", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_XFF,
	    "192.0.2.1:4294967296", PEER, false);
	check_resolve(__LINE__, PEER, TRUSTED, PROXY_XFF,
	    "192.0.2.1:000000", PEER, false);
}
END_TEST

START_TEST(limit_node_length)
{
	char		 buf[256];
	struct addr	 a;
	size_t		 len;

	/* "192.0.2.1:_" and an obfuscated port up to 128 characters in all. */
	len = (size_t)snprintf(buf, sizeof(buf), "192.0.2.1:_%0117d", 0);
	ck_assert_uint_eq(len, 128);
	ck_assert_int_eq(proxy_parse_node(buf, len, &a), 0);
	len = (size_t)snprintf(buf, sizeof(buf), "192.0.2.1:_%0118d", 0);
	ck_assert_int_eq(proxy_parse_node(buf, len, &a), -1);
	/* The longest real node: bracketed, 64-character zone, port. */
	len = (size_t)snprintf(buf, sizeof(buf),
	    "[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255%%%064d]:65535", 1);
	ck_assert_int_eq(proxy_parse_node(buf, len, &a), 0);
	ck_assert_int_eq(a.family, 6);
}
END_TEST

Suite *
proxy_suite(void)
{
	Suite	*s = suite_create("proxy");
	TCase	*tc;

	tc = tcase_create("names");
	tcase_add_loop_test(tc, header_name_roundtrip, 0, PROXY__MAX);
	tcase_add_test(tc, header_from_name_cases);
	suite_add_tcase(s, tc);

	tc = tcase_create("node");
	tcase_add_loop_test(tc, node_valid, 0, NELEM(nodes));
	tcase_add_loop_test(tc, node_invalid, 0, NELEM(bad_nodes));
	tcase_add_test(tc, node_reads_only_len);
	tcase_add_test(tc, node_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("ignored");
	tcase_add_test(tc, untrusted_peer_ignored);
	tcase_add_test(tc, empty_trust_ignored);
	tcase_add_test(tc, null_trust_ignored);
	tcase_add_test(tc, none_ignored);
	tcase_add_test(tc, null_header_ignored);
	suite_add_tcase(s, tc);

	tc = tcase_create("walk");
	tcase_add_loop_test(tc, xff_walk, 0, NELEM(walks));
	tcase_add_loop_test(tc, forwarded_walk, 0, NELEM(walks));
	tcase_add_loop_test(tc, malformed_never_believed, 0, NELEM(bad_nodes));
	suite_add_tcase(s, tc);

	tc = tcase_create("xff");
	tcase_add_test(tc, xff_ows_and_empty_items);
	tcase_add_test(tc, xff_alb_forms);
	tcase_add_test(tc, xff_mapped_peer);
	suite_add_tcase(s, tc);

	tc = tcase_create("forwarded");
	tcase_add_test(tc, forwarded_rfc7239_examples);
	tcase_add_test(tc, forwarded_param_case);
	tcase_add_test(tc, forwarded_element_without_for);
	tcase_add_test(tc, forwarded_duplicate_for);
	tcase_add_test(tc, forwarded_quoted_string);
	tcase_add_test(tc, forwarded_quoted_comma);
	tcase_add_test(tc, forwarded_resync_after_bad_element);
	tcase_add_test(tc, forwarded_unquoted_lenient);
	tcase_add_test(tc, forwarded_whitespace);
	tcase_add_test(tc, forwarded_empty_elements);
	suite_add_tcase(s, tc);

	tc = tcase_create("lines");
	tcase_add_loop_test(tc, header_lines_joined, 0, NELEM(lines_cases));
	tcase_add_test(tc, loopback_claims_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_loop_test(tc, limit_ten_thousand_hops, 0, 2);
	tcase_add_loop_test(tc, limit_linear_time, 0, 2);
	tcase_add_loop_test(tc, limit_megabyte_junk, 0, 2 * (NELEM(junk) - 1));
	tcase_add_test(tc, limit_megabyte_hop);
	tcase_add_test(tc, limit_ports);
	tcase_add_test(tc, limit_node_length);
	suite_add_tcase(s, tc);

	return s;
}
