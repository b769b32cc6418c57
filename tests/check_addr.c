/* check_addr.c: unit tests of address parsing, classification, truncation and formatting. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "check_suites.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

struct text_case {
	int		 line;
	const char	*in;
	const char	*out;
};

struct kind_case {
	int		 line;
	const char	*in;
	enum addr_kind	 kind;
};

struct cidr_case {
	int		 line;
	const char	*net;
	const char	*addr;
	bool		 in;
};

/* Parse text that the test expects to be an address. */
static struct addr
must_parse(const char *text, int line)
{
	struct addr	 a;

	ck_assert_msg(addr_parse(text, &a) == 0, "line %d: \"%s\" did not parse",
	    line, text);
	return a;
}

static void
check_format(const struct addr *a, const char *want, int line)
{
	char	 buf[ADDR_PREFIX_MAX];

	ck_assert_msg(addr_format(a, buf, sizeof(buf)) == 0,
	    "line %d: format failed", line);
	ck_assert_msg(strcmp(buf, want) == 0, "line %d: got \"%s\", want \"%s\"",
	    line, buf, want);
}

/* Independent oracle for IPv6 text: glibc inet_ntop, which follows RFC 5952 outside ::/80. */
static void
ntop6(const unsigned char *b, char *buf)
{
	ck_assert(inet_ntop(AF_INET6, b, buf, INET6_ADDRSTRLEN) != NULL);
}

/* First bits set, the rest clear, built bit by bit (independent of addr_truncate). */
static void
make_mask(unsigned char *m, size_t n, unsigned bits)
{
	unsigned	 i;

	memset(m, 0, n);
	for (i = 0; i < bits; i++)
		m[i / 8] |= (unsigned char)(0x80u >> (i % 8));
}

/* Deterministic generator so failures reproduce. */
static uint32_t
lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* parse */

static const struct text_case v4_valid[] = {
	{ CASE_LINE, "192.0.2.1", "192.0.2.1" },
	{ CASE_LINE, "0.0.0.0", "0.0.0.0" },
	{ CASE_LINE, "255.255.255.255", "255.255.255.255" },
	{ CASE_LINE, "10.0.0.1", "10.0.0.1" },
	{ CASE_LINE, "1.2.3.4", "1.2.3.4" },
	{ CASE_LINE, "100.64.0.0", "100.64.0.0" },
	{ CASE_LINE, "0.1.0.10", "0.1.0.10" },
};

START_TEST(parse_ipv4_valid)
{
	const struct text_case	*c = &v4_valid[_i];
	struct addr		 a = must_parse(c->in, c->line);
	unsigned char		 want[4];
	unsigned		 j;

	ck_assert_int_eq(inet_pton(AF_INET, c->in, want), 1);
	ck_assert_msg(a.family == 4, "line %d: family %d", c->line, a.family);
	ck_assert_msg(!a.mapped, "line %d: marked mapped", c->line);
	ck_assert_msg(memcmp(a.bytes, want, 4) == 0, "line %d: bytes", c->line);
	for (j = 4; j < 16; j++)
		ck_assert_msg(a.bytes[j] == 0, "line %d: byte %u set", c->line, j);
	check_format(&a, c->out, c->line);
}
END_TEST

static const struct text_case v6_valid[] = {
	{ CASE_LINE, "2001:db8::1", "2001:db8::1" },
	{ CASE_LINE, "::", "::" },
	{ CASE_LINE, "::1", "::1" },
	{ CASE_LINE, "1::", "1::" },
	{ CASE_LINE, "2001:DB8::A", "2001:db8::a" },
	{ CASE_LINE, "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1" },
	{ CASE_LINE, "fe80::1:2:3:4", "fe80::1:2:3:4" },
	{ CASE_LINE, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
	{ CASE_LINE, "::1.2.3.4", "::102:304" },
	{ CASE_LINE, "64:ff9b::192.0.2.33", "64:ff9b::c000:221" },
	{ CASE_LINE, "::ffff:0:192.0.2.1", "::ffff:0:c000:201" },
	{ CASE_LINE, "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8" },
	/* "::" for one group, at either end or inside (addr.c's fast path). */
	{ CASE_LINE, "1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0" },
	{ CASE_LINE, "::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8" },
	{ CASE_LINE, "1:2:3::5:6:7:8", "1:2:3:0:5:6:7:8" },
	{ CASE_LINE, "0:0::0:0", "::" },
	{ CASE_LINE, "Fe80:0:0:0:0:0:0:0a", "fe80::a" },
	{ CASE_LINE, "2001:db8:0:1::", "2001:db8:0:1::" },
};

START_TEST(parse_ipv6_valid)
{
	const struct text_case	*c = &v6_valid[_i];
	struct addr		 a = must_parse(c->in, c->line);
	unsigned char		 want[16];

	ck_assert_int_eq(inet_pton(AF_INET6, c->in, want), 1);
	ck_assert_msg(a.family == 6, "line %d: family %d", c->line, a.family);
	ck_assert_msg(!a.mapped, "line %d: marked mapped", c->line);
	ck_assert_msg(memcmp(a.bytes, want, 16) == 0, "line %d: bytes", c->line);
	check_format(&a, c->out, c->line);
}
END_TEST

static const struct { int line; const char *in; } invalid[] = {
	{ CASE_LINE, "" },
	{ CASE_LINE, " " },
	{ CASE_LINE, "01.2.3.4" },
	{ CASE_LINE, "1.2.3.04" },
	{ CASE_LINE, "010.1.1.1" },
	{ CASE_LINE, "192.0.02.1" },
	{ CASE_LINE, "::ffff:01.2.3.4" },
	{ CASE_LINE, "1.2.3" },
	{ CASE_LINE, "1.2.3.4.5" },
	{ CASE_LINE, "256.1.1.1" },
	{ CASE_LINE, "1.2.3.256" },
	{ CASE_LINE, "1.2.3.4." },
	{ CASE_LINE, ".1.2.3.4" },
	{ CASE_LINE, "0x1.2.3.4" },
	{ CASE_LINE, "1.2.3.-1" },
	{ CASE_LINE, "16909060" },
	{ CASE_LINE, ":::" },
	{ CASE_LINE, "1::2::3" },
	{ CASE_LINE, ":1::" },
	{ CASE_LINE, "1:2:3:4:5:6:7:8:9" },
	{ CASE_LINE, "1:2:3:4:5:6:7" },
	{ CASE_LINE, "00001::" },
	{ CASE_LINE, "1::2:3:4:5:6:7:8" },
	{ CASE_LINE, "1:2:3:4:5:6:7:8::" },
	{ CASE_LINE, "::1:2:3:4:5:6:7:8" },
	{ CASE_LINE, "1:2:3:4:5:6:7:" },
	{ CASE_LINE, ":2:3:4:5:6:7:8" },
	{ CASE_LINE, "1:::2" },
	{ CASE_LINE, "::1:" },
	{ CASE_LINE, "1.2.3.4a" },
	{ CASE_LINE, "1..2.3" },
	{ CASE_LINE, "1234.1.1.1" },
	{ CASE_LINE, "g::1" },
	{ CASE_LINE, "2001:db8::/48" },
	{ CASE_LINE, "192.0.2.0/24" },
	{ CASE_LINE, "[::1]" },
	{ CASE_LINE, "[::1" },
	{ CASE_LINE, "::1]" },
	{ CASE_LINE, "::1]:80" },
	{ CASE_LINE, "[::1]:80" },
	{ CASE_LINE, "127.0.0.1:80" },
	{ CASE_LINE, " 127.0.0.1" },
	{ CASE_LINE, "127.0.0.1 " },
	{ CASE_LINE, "127.0.0.1\n" },
	{ CASE_LINE, "::1 " },
	{ CASE_LINE, "\t::1" },
	{ CASE_LINE, ":: 1" },
	{ CASE_LINE, "localhost" },
	{ CASE_LINE, "unknown" },
	{ CASE_LINE, "::ffff:1.2.3.4.5" },
	{ CASE_LINE, "1.2.3.4::" },
	{ CASE_LINE, "%eth0" },
	{ CASE_LINE, "fe80::1%" },
	{ CASE_LINE, "192.0.2.1%eth0" },
};

START_TEST(parse_invalid)
{
	struct addr	 a;

	ck_assert_msg(addr_parse(invalid[_i].in, &a) == -1,
	    "line %d: \"%s\" accepted", invalid[_i].line, invalid[_i].in);
}
END_TEST

static const struct text_case mapped[] = {
	{ CASE_LINE, "::ffff:192.0.2.1", "192.0.2.1" },
	{ CASE_LINE, "::FFFF:192.0.2.1", "192.0.2.1" },
	{ CASE_LINE, "::ffff:c000:0201", "192.0.2.1" },
	{ CASE_LINE, "::ffff:c000:201", "192.0.2.1" },
	{ CASE_LINE, "0:0:0:0:0:ffff:192.0.2.1", "192.0.2.1" },
	{ CASE_LINE, "0000:0000:0000:0000:0000:ffff:c000:0201", "192.0.2.1" },
	{ CASE_LINE, "::ffff:0.0.0.0", "0.0.0.0" },
	{ CASE_LINE, "::ffff:ffff:ffff", "255.255.255.255" },
	{ CASE_LINE, "::ffff:127.0.0.1", "127.0.0.1" },
	{ CASE_LINE, "::ffff:10.1.2.3%eth0", "10.1.2.3" },
};

START_TEST(parse_mapped)
{
	const struct text_case	*c = &mapped[_i];
	struct addr		 a = must_parse(c->in, c->line);
	unsigned		 j;

	ck_assert_msg(a.family == 4, "line %d: family %d", c->line, a.family);
	ck_assert_msg(a.mapped, "line %d: not marked mapped", c->line);
	for (j = 4; j < 16; j++)
		ck_assert_msg(a.bytes[j] == 0, "line %d: byte %u set", c->line, j);
	check_format(&a, c->out, c->line);
}
END_TEST

/* Neighbours of ::ffff:0:0/96 that embed IPv4 too, but are not mapped. */
static const struct { int line; const char *in; } not_mapped[] = {
	{ CASE_LINE, "::ffff:0:1.2.3.4" },	/* RFC 6052 translated (SIIT) */
	{ CASE_LINE, "::1.2.3.4" },		/* deprecated compatible */
	{ CASE_LINE, "::fffe:1.2.3.4" },
	{ CASE_LINE, "1::ffff:1.2.3.4" },
	{ CASE_LINE, "0:0:0:0:1:ffff:1.2.3.4" },
	{ CASE_LINE, "64:ff9b::1.2.3.4" },
};

START_TEST(parse_not_mapped)
{
	struct addr	 a = must_parse(not_mapped[_i].in, not_mapped[_i].line);

	ck_assert_msg(a.family == 6 && !a.mapped, "line %d: family %d mapped %d",
	    not_mapped[_i].line, a.family, a.mapped);
}
END_TEST

static const struct text_case zones[] = {
	{ CASE_LINE, "fe80::1%eth0", "fe80::1" },
	{ CASE_LINE, "fe80::1%1", "fe80::1" },
	{ CASE_LINE, "FE80::ABCD%en0", "fe80::abcd" },
	{ CASE_LINE, "ff02::1%wlp3s0.100", "ff02::1" },
	{ CASE_LINE, "::1%lo", "::1" },
	{ CASE_LINE, "fe80::1%br-0_x", "fe80::1" },
};

START_TEST(parse_zone_valid)
{
	const struct text_case	*c = &zones[_i];
	struct addr		 a = must_parse(c->in, c->line);

	ck_assert_msg(a.family == 6, "line %d: family", c->line);
	check_format(&a, c->out, c->line);
}
END_TEST

static const struct { int line; const char *in; } bad_zones[] = {
	{ CASE_LINE, "fe80::1%" },
	{ CASE_LINE, "fe80::1%%" },
	{ CASE_LINE, "fe80::1%eth0%1" },
	{ CASE_LINE, "fe80::1%eth 0" },
	{ CASE_LINE, "fe80::1%eth0 " },
	{ CASE_LINE, "fe80::1%eth0]" },
	{ CASE_LINE, "[fe80::1%eth0]" },
	{ CASE_LINE, "fe80::1%eth0:80" },
	{ CASE_LINE, "fe80::1%eth0/64" },
	{ CASE_LINE, "fe80::1%\teth0" },
	{ CASE_LINE, "fe80::1%eth\x7f" },
	{ CASE_LINE, "fe80::1%eth\xc3\xa9" },
	{ CASE_LINE, "10.0.0.1%eth0" },
	{ CASE_LINE, "fe80::%1%" },
	{ CASE_LINE, "fe80:::1%eth0" },
};

START_TEST(parse_zone_invalid)
{
	struct addr	 a;

	ck_assert_msg(addr_parse(bad_zones[_i].in, &a) == -1,
	    "line %d: \"%s\" accepted", bad_zones[_i].line, bad_zones[_i].in);
}
END_TEST

START_TEST(parse_null)
{
	struct addr	 a;

	ck_assert_int_eq(addr_parse(NULL, &a), -1);
	ck_assert_int_eq(addr_parse_n(NULL, 4, &a), -1);
	ck_assert_int_eq(addr_parse("::1", NULL), -1);
	ck_assert_int_eq(addr_parse("::1", &a), 0);
}
END_TEST

START_TEST(parse_n_unterminated)
{
	static const char	 text[] = "192.0.2.1garbage2001:db8::7abc";
	struct addr		 a;

	ck_assert_int_eq(addr_parse_n(text, 9, &a), 0);
	check_format(&a, "192.0.2.1", __LINE__);
	ck_assert_int_eq(addr_parse_n(text + 16, 14, &a), 0);
	ck_assert_int_eq(a.family, 6);
	check_format(&a, "2001:db8::7abc", __LINE__);
	ck_assert_int_eq(addr_parse_n(text + 16, 12, &a), 0);
	check_format(&a, "2001:db8::7a", __LINE__);
	ck_assert_int_eq(addr_parse_n(text, 10, &a), -1);
	ck_assert_int_eq(addr_parse_n(text, 8, &a), -1);
	ck_assert_int_eq(addr_parse_n(text, 7, &a), -1);
}
END_TEST

START_TEST(parse_n_embedded_nul)
{
	struct addr	 a;

	ck_assert_int_eq(addr_parse_n("1.2.3.4\0", 8, &a), -1);
	ck_assert_int_eq(addr_parse_n("::1\0%x", 6, &a), -1);
	ck_assert_int_eq(addr_parse_n("fe80::1%a\0b", 11, &a), -1);
	ck_assert_int_eq(addr_parse_n("1.2.3.4\0", 7, &a), 0);
}
END_TEST

START_TEST(parse_clears_output)
{
	struct addr	 a;
	unsigned	 j;

	memset(&a, 0xaa, sizeof(a));
	ck_assert_int_eq(addr_parse("198.51.100.7", &a), 0);
	ck_assert(!a.mapped);
	for (j = 4; j < 16; j++)
		ck_assert_msg(a.bytes[j] == 0, "byte %u = %#x", j, a.bytes[j]);
	memset(&a, 0xaa, sizeof(a));
	ck_assert_int_eq(addr_parse("::ffff:198.51.100.7", &a), 0);
	for (j = 4; j < 16; j++)
		ck_assert_msg(a.bytes[j] == 0, "mapped byte %u = %#x", j, a.bytes[j]);
}
END_TEST

/* classify */

static const struct kind_case v4_kinds[] = {
	{ CASE_LINE, "126.255.255.255", KIND_GLOBAL },
	{ CASE_LINE, "127.0.0.0", KIND_LOOPBACK },
	{ CASE_LINE, "127.0.0.1", KIND_LOOPBACK },
	{ CASE_LINE, "127.255.255.255", KIND_LOOPBACK },
	{ CASE_LINE, "128.0.0.0", KIND_GLOBAL },
	{ CASE_LINE, "9.255.255.255", KIND_GLOBAL },
	{ CASE_LINE, "10.0.0.0", KIND_PRIVATE },
	{ CASE_LINE, "10.255.255.255", KIND_PRIVATE },
	{ CASE_LINE, "11.0.0.0", KIND_GLOBAL },
	{ CASE_LINE, "172.15.255.255", KIND_GLOBAL },
	{ CASE_LINE, "172.16.0.0", KIND_PRIVATE },
	{ CASE_LINE, "172.31.255.255", KIND_PRIVATE },
	{ CASE_LINE, "172.32.0.0", KIND_GLOBAL },
	{ CASE_LINE, "192.167.255.255", KIND_GLOBAL },
	{ CASE_LINE, "192.168.0.0", KIND_PRIVATE },
	{ CASE_LINE, "192.168.255.255", KIND_PRIVATE },
	{ CASE_LINE, "192.169.0.0", KIND_GLOBAL },
	{ CASE_LINE, "100.63.255.255", KIND_GLOBAL },
	{ CASE_LINE, "100.64.0.0", KIND_CGNAT },
	{ CASE_LINE, "100.127.255.255", KIND_CGNAT },
	{ CASE_LINE, "100.128.0.0", KIND_GLOBAL },
	{ CASE_LINE, "169.253.255.255", KIND_GLOBAL },
	{ CASE_LINE, "169.254.0.0", KIND_LINKLOCAL },
	{ CASE_LINE, "169.254.255.255", KIND_LINKLOCAL },
	{ CASE_LINE, "169.255.0.0", KIND_GLOBAL },
	{ CASE_LINE, "192.0.1.255", KIND_GLOBAL },
	{ CASE_LINE, "192.0.2.0", KIND_DOCUMENTATION },
	{ CASE_LINE, "192.0.2.255", KIND_DOCUMENTATION },
	{ CASE_LINE, "192.0.3.0", KIND_GLOBAL },
	{ CASE_LINE, "198.51.99.255", KIND_GLOBAL },
	{ CASE_LINE, "198.51.100.0", KIND_DOCUMENTATION },
	{ CASE_LINE, "198.51.100.255", KIND_DOCUMENTATION },
	{ CASE_LINE, "198.51.101.0", KIND_GLOBAL },
	{ CASE_LINE, "203.0.112.255", KIND_GLOBAL },
	{ CASE_LINE, "203.0.113.0", KIND_DOCUMENTATION },
	{ CASE_LINE, "203.0.113.255", KIND_DOCUMENTATION },
	{ CASE_LINE, "203.0.114.0", KIND_GLOBAL },
	{ CASE_LINE, "0.0.0.0", KIND_RESERVED },
	{ CASE_LINE, "0.255.255.255", KIND_RESERVED },
	{ CASE_LINE, "1.0.0.0", KIND_GLOBAL },
	{ CASE_LINE, "191.255.255.255", KIND_GLOBAL },
	{ CASE_LINE, "192.0.0.0", KIND_RESERVED },
	{ CASE_LINE, "192.0.0.255", KIND_RESERVED },
	{ CASE_LINE, "192.0.1.0", KIND_GLOBAL },
	{ CASE_LINE, "198.17.255.255", KIND_GLOBAL },
	{ CASE_LINE, "198.18.0.0", KIND_RESERVED },
	{ CASE_LINE, "198.19.255.255", KIND_RESERVED },
	{ CASE_LINE, "198.20.0.0", KIND_GLOBAL },
	{ CASE_LINE, "223.255.255.255", KIND_GLOBAL },
	{ CASE_LINE, "224.0.0.0", KIND_RESERVED },
	{ CASE_LINE, "239.255.255.255", KIND_RESERVED },
	{ CASE_LINE, "240.0.0.0", KIND_RESERVED },
	{ CASE_LINE, "255.255.255.255", KIND_RESERVED },
	{ CASE_LINE, "8.8.8.8", KIND_GLOBAL },
};

START_TEST(classify_v4_boundaries)
{
	const struct kind_case	*c = &v4_kinds[_i];
	struct addr		 a = must_parse(c->in, c->line);
	enum addr_kind		 k = addr_classify(&a);

	ck_assert_msg(k == c->kind, "line %d: %s is %s, want %s", c->line, c->in,
	    addr_kind_name(k), addr_kind_name(c->kind));
}
END_TEST

static const struct kind_case v6_kinds[] = {
	{ CASE_LINE, "::1", KIND_LOOPBACK },
	{ CASE_LINE, "::", KIND_RESERVED },
	{ CASE_LINE, "::2", KIND_RESERVED },
	{ CASE_LINE, "::0.0.0.1", KIND_LOOPBACK },
	{ CASE_LINE, "0:0:0:0:0:0:1:1", KIND_RESERVED },
	{ CASE_LINE, "64:ff9a:ffff:ffff:ffff:ffff:ffff:ffff", KIND_RESERVED },
	{ CASE_LINE, "64:ff9b::", KIND_NAT64 },
	{ CASE_LINE, "64:ff9b::192.0.2.33", KIND_NAT64 },
	{ CASE_LINE, "64:ff9b::ffff:ffff", KIND_NAT64 },
	{ CASE_LINE, "64:ff9b::1:0:0", KIND_RESERVED },
	{ CASE_LINE, "64:ff9b:0:ffff:ffff:ffff:ffff:ffff", KIND_RESERVED },
	{ CASE_LINE, "64:ff9b:1::", KIND_NAT64 },
	{ CASE_LINE, "64:ff9b:1:ffff:ffff:ffff:ffff:ffff", KIND_NAT64 },
	{ CASE_LINE, "64:ff9b:2::", KIND_RESERVED },
	{ CASE_LINE, "2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff", KIND_GLOBAL },
	{ CASE_LINE, "2001::", KIND_TEREDO },
	{ CASE_LINE, "2001:0:4136:e378:8000:63bf:3fff:fdd2", KIND_TEREDO },
	{ CASE_LINE, "2001:0:ffff:ffff:ffff:ffff:ffff:ffff", KIND_TEREDO },
	{ CASE_LINE, "2001:1::", KIND_GLOBAL },
	{ CASE_LINE, "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", KIND_GLOBAL },
	{ CASE_LINE, "2001:db8::", KIND_DOCUMENTATION },
	{ CASE_LINE, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", KIND_DOCUMENTATION },
	{ CASE_LINE, "2001:db9::", KIND_GLOBAL },
	{ CASE_LINE, "3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", KIND_GLOBAL },
	{ CASE_LINE, "3fff::", KIND_DOCUMENTATION },
	{ CASE_LINE, "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", KIND_DOCUMENTATION },
	{ CASE_LINE, "3fff:1000::", KIND_GLOBAL },
	{ CASE_LINE, "2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff", KIND_GLOBAL },
	{ CASE_LINE, "2002::", KIND_6TO4 },
	{ CASE_LINE, "2002:c000:201::1", KIND_6TO4 },
	{ CASE_LINE, "2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff", KIND_6TO4 },
	{ CASE_LINE, "2003::", KIND_GLOBAL },
	{ CASE_LINE, "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", KIND_RESERVED },
	{ CASE_LINE, "fc00::", KIND_ULA },
	{ CASE_LINE, "fd12:3456:789a::1", KIND_ULA },
	{ CASE_LINE, "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", KIND_ULA },
	{ CASE_LINE, "fe00::", KIND_RESERVED },
	{ CASE_LINE, "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", KIND_RESERVED },
	{ CASE_LINE, "fe80::", KIND_LINKLOCAL },
	{ CASE_LINE, "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", KIND_LINKLOCAL },
	{ CASE_LINE, "fec0::", KIND_RESERVED },
	{ CASE_LINE, "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", KIND_RESERVED },
	{ CASE_LINE, "2000::", KIND_GLOBAL },
	{ CASE_LINE, "2a00:1450:4001::1", KIND_GLOBAL },
	{ CASE_LINE, "3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", KIND_GLOBAL },
	{ CASE_LINE, "4000::", KIND_RESERVED },
	{ CASE_LINE, "ff02::1", KIND_RESERVED },
	{ CASE_LINE, "::ffff:0:192.0.2.1", KIND_RESERVED },
};

START_TEST(classify_v6_boundaries)
{
	const struct kind_case	*c = &v6_kinds[_i];
	struct addr		 a = must_parse(c->in, c->line);
	enum addr_kind		 k;

	ck_assert_msg(a.family == 6, "line %d: family %d", c->line, a.family);
	k = addr_classify(&a);
	ck_assert_msg(k == c->kind, "line %d: %s is %s, want %s", c->line, c->in,
	    addr_kind_name(k), addr_kind_name(c->kind));
}
END_TEST

static const struct kind_case mapped_kinds[] = {
	{ CASE_LINE, "::ffff:127.0.0.1", KIND_LOOPBACK },
	{ CASE_LINE, "::ffff:10.1.2.3", KIND_PRIVATE },
	{ CASE_LINE, "::ffff:172.16.0.1", KIND_PRIVATE },
	{ CASE_LINE, "::ffff:100.64.0.1", KIND_CGNAT },
	{ CASE_LINE, "::ffff:169.254.1.1", KIND_LINKLOCAL },
	{ CASE_LINE, "::ffff:c000:0201", KIND_DOCUMENTATION },
	{ CASE_LINE, "::ffff:0.0.0.0", KIND_RESERVED },
	{ CASE_LINE, "::ffff:8.8.8.8", KIND_GLOBAL },
};

START_TEST(classify_mapped)
{
	const struct kind_case	*c = &mapped_kinds[_i];
	struct addr		 a = must_parse(c->in, c->line);
	enum addr_kind		 k = addr_classify(&a);

	ck_assert_msg(a.mapped, "line %d: not mapped", c->line);
	ck_assert_msg(k == c->kind, "line %d: %s is %s, want %s", c->line, c->in,
	    addr_kind_name(k), addr_kind_name(c->kind));
}
END_TEST

/*
 * Every first octet: the /8s that are wholly one kind, and for the others
 * that x.255.255.255 (outside every partial range here) is global.
 */
START_TEST(classify_v4_every_octet)
{
	struct addr	 a;
	enum addr_kind	 want, k;
	unsigned	 o = (unsigned)_i;

	memset(&a, 0, sizeof(a));
	a.family = 4;
	a.bytes[0] = (unsigned char)o;
	a.bytes[1] = a.bytes[2] = a.bytes[3] = 0xff;
	if (o == 0 || o >= 224)
		want = KIND_RESERVED;
	else if (o == 10)
		want = KIND_PRIVATE;
	else if (o == 127)
		want = KIND_LOOPBACK;
	else
		want = KIND_GLOBAL;
	k = addr_classify(&a);
	ck_assert_msg(k == want, "%u.255.255.255 is %s, want %s", o,
	    addr_kind_name(k), addr_kind_name(want));
}
END_TEST

/* A mapped address and its IPv4 twin agree on kind and text. */
START_TEST(classify_mapped_equals_v4)
{
	struct addr	 a, m;
	char		 t4[32], t6[48], f4[32], f6[32];
	uint32_t	 s = (uint32_t)_i * 2654435761u + 1;

	snprintf(t4, sizeof(t4), "%u.%u.%u.%u", lcg(&s) & 0xff, lcg(&s) & 0xff,
	    lcg(&s) & 0xff, lcg(&s) & 0xff);
	snprintf(t6, sizeof(t6), "::ffff:%s", t4);
	ck_assert_int_eq(addr_parse(t4, &a), 0);
	ck_assert_int_eq(addr_parse(t6, &m), 0);
	ck_assert_msg(addr_classify(&a) == addr_classify(&m), "%s", t6);
	ck_assert(memcmp(a.bytes, m.bytes, 16) == 0);
	ck_assert_int_eq(addr_format(&a, f4, sizeof(f4)), 0);
	ck_assert_int_eq(addr_format(&m, f6, sizeof(f6)), 0);
	ck_assert_str_eq(f4, t4);
	ck_assert_str_eq(f6, t4);
}
END_TEST

static const char *const names[KIND__MAX] = {
	[KIND_GLOBAL] = "global",
	[KIND_LOOPBACK] = "loopback",
	[KIND_PRIVATE] = "private",
	[KIND_CGNAT] = "cgnat",
	[KIND_LINKLOCAL] = "link-local",
	[KIND_DOCUMENTATION] = "documentation",
	[KIND_RESERVED] = "reserved",
	[KIND_NAT64] = "nat64",
	[KIND_TEREDO] = "teredo",
	[KIND_6TO4] = "6to4",
	[KIND_ULA] = "ula",
};

START_TEST(kind_name_roundtrip)
{
	enum addr_kind	 k = (enum addr_kind)_i;

	ck_assert_str_eq(addr_kind_name(k), names[k]);
	ck_assert_int_eq(addr_kind_from_name(names[k]), k);
}
END_TEST

START_TEST(kind_name_unknown)
{
	ck_assert_str_eq(addr_kind_name(KIND__MAX), "unknown");
	ck_assert_str_eq(addr_kind_name((enum addr_kind)1000), "unknown");
	ck_assert_str_eq(addr_kind_name((enum addr_kind)-1), "unknown");
	ck_assert_int_eq(addr_kind_from_name(NULL), KIND__MAX);
	ck_assert_int_eq(addr_kind_from_name(""), KIND__MAX);
	ck_assert_int_eq(addr_kind_from_name("unknown"), KIND__MAX);
	ck_assert_int_eq(addr_kind_from_name("linklocal"), KIND__MAX);
	ck_assert_int_eq(addr_kind_from_name("global "), KIND__MAX);
	ck_assert_int_eq(addr_kind_from_name("6to"), KIND__MAX);
}
END_TEST

/* format */

/* RFC 5952 §4 and its examples. */
static const struct text_case rfc5952[] = {
	{ CASE_LINE, "2001:db8::1", "2001:db8::1" },
	{ CASE_LINE, "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },
	{ CASE_LINE, "2001:0db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },
	{ CASE_LINE, "2001:db8::0:1:0:0:1", "2001:db8::1:0:0:1" },
	{ CASE_LINE, "2001:db8:0:0:1::1", "2001:db8::1:0:0:1" },
	{ CASE_LINE, "2001:db8::1:0:0:1", "2001:db8::1:0:0:1" },
	{ CASE_LINE, "2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },
	{ CASE_LINE, "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1" },
	{ CASE_LINE, "2001:db8::1:1:1:1:1", "2001:db8:0:1:1:1:1:1" },
	{ CASE_LINE, "2001:0db8:0000:0000:0000:0000:0002:0001", "2001:db8::2:1" },
	{ CASE_LINE, "2001:db8:0000:1:1:1:1:1", "2001:db8:0:1:1:1:1:1" },
	{ CASE_LINE, "2001:0:0:1:0:0:0:1", "2001:0:0:1::1" },
	{ CASE_LINE, "2001:db8:0:0:1:0:0:0", "2001:db8:0:0:1::" },
	{ CASE_LINE, "2001:db8:0:0:aaaa:0:0:1", "2001:db8::aaaa:0:0:1" },
	{ CASE_LINE, "1:0:0:2:0:0:0:3", "1:0:0:2::3" },
	{ CASE_LINE, "0:0:1:0:0:0:0:0", "0:0:1::" },
	{ CASE_LINE, "0:0:1:0:0:1:0:0", "::1:0:0:1:0:0" },
	{ CASE_LINE, "1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0" },
	{ CASE_LINE, "0:1:2:3:4:5:6:7", "0:1:2:3:4:5:6:7" },
	{ CASE_LINE, "1:2:3:0:5:6:7:8", "1:2:3:0:5:6:7:8" },
	{ CASE_LINE, "1:2:3:4:5:6:0:0", "1:2:3:4:5:6::" },
	{ CASE_LINE, "0:0:3:4:5:6:7:8", "::3:4:5:6:7:8" },
	{ CASE_LINE, "0:0:0:0:0:0:0:0", "::" },
	{ CASE_LINE, "0:0:0:0:0:0:0:1", "::1" },
	{ CASE_LINE, "1:0:0:0:0:0:0:0", "1::" },
	{ CASE_LINE, "ABCD:EF01:2345:6789:ABCD:EF01:2345:6789",
	    "abcd:ef01:2345:6789:abcd:ef01:2345:6789" },
	{ CASE_LINE, "2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001",
	    "2001:db8:aaaa:bbbb:cccc:dddd:eeee:1" },
	{ CASE_LINE, "fe80:0000:0000:0000:0200:5efe:c000:0201",
	    "fe80::200:5efe:c000:201" },
	{ CASE_LINE, "0:0:0:ffff:0:0:0:0", "0:0:0:ffff::" },
	{ CASE_LINE, "::ffff:0:0:0", "::ffff:0:0:0" },
	{ CASE_LINE, "0:0:0:ffff:0:0:0:1", "::ffff:0:0:0:1" },
	{ CASE_LINE, "0010:0100:1000:0001::", "10:100:1000:1::" },
};

START_TEST(format_rfc5952)
{
	const struct text_case	*c = &rfc5952[_i];
	struct addr		 a = must_parse(c->in, c->line);

	ck_assert_msg(a.family == 6, "line %d: family", c->line);
	check_format(&a, c->out, c->line);
}
END_TEST

/* Random addresses with many zero groups, against glibc's RFC 5952 inet_ntop. */
START_TEST(format_vs_inet_ntop)
{
	struct addr	 a;
	char		 want[INET6_ADDRSTRLEN], got[ADDR_PREFIX_MAX];
	uint32_t	 s = (uint32_t)_i + 7, r;
	unsigned	 n, g;

	for (n = 0; n < 1000; n++) {
		memset(&a, 0, sizeof(a));
		a.family = 6;
		for (g = 0; g < 8; g++) {
			r = lcg(&s);
			if (r & 1)
				continue;
			r = lcg(&s);
			/* Some short groups, to exercise leading zeros. */
			a.bytes[2 * g] = (r & 2) ? (unsigned char)(r >> 8) : 0;
			a.bytes[2 * g + 1] = (unsigned char)(r >> 16);
		}
		/* glibc writes ::/96 and ::ffff:0:0/96 in mixed notation. */
		if (memcmp(a.bytes, "\0\0\0\0\0\0\0\0\0\0", 10) == 0)
			continue;
		ntop6(a.bytes, want);
		ck_assert_int_eq(addr_format(&a, got, sizeof(got)), 0);
		ck_assert_msg(strcmp(got, want) == 0, "got %s want %s", got, want);
	}
}
END_TEST

/* What we write, we read back as the same address. */
START_TEST(format_roundtrip)
{
	struct addr	 a, b;
	char		 buf[ADDR_PREFIX_MAX];
	uint32_t	 s = (uint32_t)_i + 99, r;
	unsigned	 n, j;

	for (n = 0; n < 1000; n++) {
		memset(&a, 0, sizeof(a));
		a.family = (n & 1) ? 6 : 4;
		for (j = 0; j < (a.family == 4 ? 4u : 16u); j++) {
			r = lcg(&s);
			a.bytes[j] = (r & 0x30) ? 0 : (unsigned char)(r >> 8);
		}
		/* Mapped bit patterns come back as IPv4 by design. */
		if (a.family == 6 && memcmp(a.bytes,
		    "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0)
			continue;
		ck_assert_int_eq(addr_format(&a, buf, sizeof(buf)), 0);
		ck_assert_msg(addr_parse(buf, &b) == 0, "%s does not parse", buf);
		ck_assert_msg(b.family == a.family && !b.mapped &&
		    memcmp(a.bytes, b.bytes, 16) == 0, "%s changed", buf);
	}
}
END_TEST

START_TEST(format_small_buffer)
{
	struct addr	 a = must_parse("2001:db8::1", __LINE__);
	struct addr	 b = must_parse("192.0.2.1", __LINE__);
	char		 buf[ADDR_PREFIX_MAX];

	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(addr_format(&a, buf, 11), -1);
	ck_assert_int_eq(addr_format(&a, buf, 12), 0);
	ck_assert_str_eq(buf, "2001:db8::1");
	ck_assert_int_eq(addr_format(&b, buf, 9), -1);
	ck_assert_int_eq(addr_format(&b, buf, 10), 0);
	ck_assert_str_eq(buf, "192.0.2.1");
	ck_assert_int_eq(addr_format(&b, buf, 0), -1);
	ck_assert_int_eq(addr_format(&b, NULL, 0), -1);
}
END_TEST

START_TEST(format_bad_family)
{
	struct addr	 a;
	char		 buf[ADDR_PREFIX_MAX];

	memset(&a, 0, sizeof(a));
	ck_assert_int_eq(addr_format(&a, buf, sizeof(buf)), -1);
	a.family = 5;
	ck_assert_int_eq(addr_format(&a, buf, sizeof(buf)), -1);
	ck_assert_int_eq(addr_prefix_format(&a, 8, buf, sizeof(buf)), -1);
}
END_TEST

/* prefix */

static const unsigned char v6_sample[16] = {
	0x20, 0x01, 0x0d, 0xb8, 0x85, 0xa3, 0x12, 0x34,
	0x56, 0x78, 0x8a, 0x2e, 0x03, 0x70, 0x73, 0x34,
};

/* 2001:db8:85a3:1234:5678:8a2e:370:7334 cut to every length. */
START_TEST(prefix_v6_every_length)
{
	unsigned	 bits = (unsigned)_i, j;
	unsigned char	 m[16], net[16];
	char		 want[INET6_ADDRSTRLEN + 8], got[ADDR_PREFIX_MAX];
	struct addr	 a;

	make_mask(m, sizeof(m), bits);
	for (j = 0; j < 16; j++)
		net[j] = v6_sample[j] & m[j];
	ntop6(net, want);
	snprintf(want + strlen(want), 8, "/%u", bits);
	memset(&a, 0, sizeof(a));
	a.family = 6;
	memcpy(a.bytes, v6_sample, 16);
	ck_assert_int_eq(addr_prefix_format(&a, bits, got, sizeof(got)), 0);
	ck_assert_msg(strcmp(got, want) == 0, "/%u: got %s want %s", bits, got, want);
	ck_assert_msg(memcmp(a.bytes, v6_sample, 16) == 0, "/%u: input changed", bits);

	addr_truncate(&a, bits);
	ck_assert_msg(memcmp(a.bytes, net, 16) == 0, "/%u: truncate", bits);
}
END_TEST

/* All ones cut to every length: the mask itself, e.g. ffff:ffff:8000::/33. */
START_TEST(prefix_v6_ones_every_length)
{
	unsigned	 bits = (unsigned)_i;
	unsigned char	 m[16];
	char		 want[INET6_ADDRSTRLEN + 8], got[ADDR_PREFIX_MAX];
	struct addr	 a;

	make_mask(m, sizeof(m), bits);
	memset(&a, 0, sizeof(a));
	a.family = 6;
	memset(a.bytes, 0xff, 16);
	ntop6(m, want);
	snprintf(want + strlen(want), 8, "/%u", bits);
	ck_assert_int_eq(addr_prefix_format(&a, bits, got, sizeof(got)), 0);
	ck_assert_msg(strcmp(got, want) == 0, "/%u: got %s want %s", bits, got, want);
	addr_truncate(&a, bits);
	ck_assert_msg(memcmp(a.bytes, m, 16) == 0, "/%u: truncate", bits);
}
END_TEST

/* 198.51.100.231 and 255.255.255.255 cut to every length, against a mask built bit by bit. */
START_TEST(prefix_v4_every_length)
{
	static const unsigned char	 samples[][4] = {
		{ 198, 51, 100, 231 }, { 255, 255, 255, 255 }, { 172, 31, 7, 129 },
	};
	unsigned			 bits = (unsigned)_i, j, s;
	unsigned char			 m[4];
	char				 want[32], got[ADDR_PREFIX_MAX];
	struct addr			 a;

	make_mask(m, sizeof(m), bits);
	for (s = 0; s < NELEM(samples); s++) {
		memset(&a, 0, sizeof(a));
		a.family = 4;
		memcpy(a.bytes, samples[s], 4);
		snprintf(want, sizeof(want), "%u.%u.%u.%u/%u",
		    samples[s][0] & m[0], samples[s][1] & m[1],
		    samples[s][2] & m[2], samples[s][3] & m[3], bits);
		ck_assert_int_eq(addr_prefix_format(&a, bits, got, sizeof(got)), 0);
		ck_assert_msg(strcmp(got, want) == 0, "/%u: got %s want %s", bits,
		    got, want);
		addr_truncate(&a, bits);
		for (j = 0; j < 4; j++)
			ck_assert_msg(a.bytes[j] == (samples[s][j] & m[j]),
			    "/%u: byte %u", bits, j);
		for (j = 4; j < 16; j++)
			ck_assert_msg(a.bytes[j] == 0, "/%u: byte %u", bits, j);
	}
}
END_TEST

static const struct {
	int		 line;
	const char	*in;
	unsigned	 bits;
	const char	*out;
} prefixes[] = {
	{ CASE_LINE, "2001:db8:1:2:3:4:5:6", 48, "2001:db8:1::/48" },
	{ CASE_LINE, "2001:db8:1:2:3:4:5:6", 64, "2001:db8:1:2::/64" },
	{ CASE_LINE, "2001:db8:1:2:3:4:5:6", 56, "2001:db8:1::/56" },
	{ CASE_LINE, "2001:db8:1:2ff:3:4:5:6", 56, "2001:db8:1:200::/56" },
	{ CASE_LINE, "2001:db8:1:2:3:4:5:6", 0, "::/0" },
	{ CASE_LINE, "2001:db8:1:2:3:4:5:6", 128, "2001:db8:1:2:3:4:5:6/128" },
	{ CASE_LINE, "2001:db8:0:0:1::1", 128, "2001:db8::1:0:0:1/128" },
	{ CASE_LINE, "2001:db8:0:1::1", 48, "2001:db8::/48" },
	{ CASE_LINE, "2001:0:1:2::1", 48, "2001:0:1::/48" },
	{ CASE_LINE, "2002:c000:201:7::1", 48, "2002:c000:201::/48" },
	{ CASE_LINE, "192.0.2.77", 24, "192.0.2.0/24" },
	{ CASE_LINE, "192.0.2.77", 0, "0.0.0.0/0" },
	{ CASE_LINE, "192.0.2.77", 32, "192.0.2.77/32" },
	{ CASE_LINE, "192.0.2.77", 26, "192.0.2.64/26" },
	{ CASE_LINE, "::ffff:192.0.2.77", 24, "192.0.2.0/24" },
	{ CASE_LINE, "fe80::1%eth0", 10, "fe80::/10" },
	{ CASE_LINE, "192.0.2.77", 33, "192.0.2.77/32" },
	{ CASE_LINE, "192.0.2.77", 48, "192.0.2.77/32" },
	{ CASE_LINE, "2001:db8::77", 129, "2001:db8::77/128" },
	{ CASE_LINE, "2001:db8::77", 4000000000u, "2001:db8::77/128" },
};

START_TEST(prefix_format_examples)
{
	struct addr	 a = must_parse(prefixes[_i].in, prefixes[_i].line);
	char		 got[ADDR_PREFIX_MAX];

	ck_assert_msg(addr_prefix_format(&a, prefixes[_i].bits, got,
	    sizeof(got)) == 0, "line %d: failed", prefixes[_i].line);
	ck_assert_msg(strcmp(got, prefixes[_i].out) == 0,
	    "line %d: got %s want %s", prefixes[_i].line, got, prefixes[_i].out);
}
END_TEST

START_TEST(prefix_format_small_buffer)
{
	struct addr	 a = must_parse("2001:db8:1::9", __LINE__);
	char		 buf[ADDR_PREFIX_MAX];

	/* "2001:db8:1::/48" is 15 characters. */
	ck_assert_int_eq(addr_prefix_format(&a, 48, buf, 15), -1);
	ck_assert_int_eq(addr_prefix_format(&a, 48, buf, 16), 0);
	ck_assert_str_eq(buf, "2001:db8:1::/48");
	ck_assert_int_eq(addr_prefix_format(&a, 48, buf, 0), -1);
	ck_assert_int_eq(addr_prefix_format(&a, 48, NULL, 0), -1);
}
END_TEST

START_TEST(truncate_keeps_family_and_mapped)
{
	struct addr	 a = must_parse("::ffff:203.0.113.99", __LINE__);

	addr_truncate(&a, 24);
	ck_assert_int_eq(a.family, 4);
	ck_assert(a.mapped);
	check_format(&a, "203.0.113.0", __LINE__);
	a = must_parse("2001:db8:aaaa:bbbb::1", __LINE__);
	addr_truncate(&a, 40);
	ck_assert_int_eq(a.family, 6);
	check_format(&a, "2001:db8:aa00::", __LINE__);
}
END_TEST

/* cidr */

static const struct text_case cidr_valid[] = {
	{ CASE_LINE, "192.0.2.0/24", "192.0.2.0/24" },
	{ CASE_LINE, "10.0.0.0/8", "10.0.0.0/8" },
	{ CASE_LINE, "0.0.0.0/0", "0.0.0.0/0" },
	{ CASE_LINE, "192.0.2.1/32", "192.0.2.1/32" },
	{ CASE_LINE, "192.0.2.1", "192.0.2.1/32" },
	{ CASE_LINE, "172.16.0.0/12", "172.16.0.0/12" },
	{ CASE_LINE, "2001:db8::/32", "2001:db8::/32" },
	{ CASE_LINE, "2001:DB8:0::/32", "2001:db8::/32" },
	{ CASE_LINE, "::/0", "::/0" },
	{ CASE_LINE, "::1", "::1/128" },
	{ CASE_LINE, "::1/128", "::1/128" },
	{ CASE_LINE, "fe80::/10", "fe80::/10" },
	{ CASE_LINE, "2001:db8:8000::/33", "2001:db8:8000::/33" },
	{ CASE_LINE, "::ffff:192.0.2.0/120", "192.0.2.0/24" },
	{ CASE_LINE, "::ffff:0:0/96", "0.0.0.0/0" },
	{ CASE_LINE, "::ffff:192.0.2.7", "192.0.2.7/32" },
	{ CASE_LINE, "::ffff:192.0.2.7/128", "192.0.2.7/32" },
};

START_TEST(cidr_parse_valid)
{
	const struct text_case	*c = &cidr_valid[_i];
	struct cidr		 n;
	char			 got[ADDR_PREFIX_MAX];

	ck_assert_msg(cidr_parse(c->in, &n) == 0, "line %d: %s refused", c->line,
	    c->in);
	ck_assert_msg(!n.net.mapped, "line %d: net is mapped", c->line);
	ck_assert_int_eq(addr_prefix_format(&n.net, n.bits, got, sizeof(got)), 0);
	ck_assert_msg(strcmp(got, c->out) == 0, "line %d: got %s want %s",
	    c->line, got, c->out);
}
END_TEST

static const struct { int line; const char *in; } cidr_invalid[] = {
	{ CASE_LINE, "" },
	{ CASE_LINE, "/" },
	{ CASE_LINE, "/24" },
	{ CASE_LINE, "192.0.2.0/" },
	{ CASE_LINE, "192.0.2.1/24" },
	{ CASE_LINE, "192.0.2.128/24" },
	{ CASE_LINE, "11.0.0.0/7" },
	{ CASE_LINE, "192.0.2.0/33" },
	{ CASE_LINE, "192.0.2.0/-1" },
	{ CASE_LINE, "192.0.2.0/+24" },
	{ CASE_LINE, "192.0.2.0/024" },
	{ CASE_LINE, "0.0.0.0/00" },
	{ CASE_LINE, "192.0.2.0/24 " },
	{ CASE_LINE, " 192.0.2.0/24" },
	{ CASE_LINE, "192.0.2.0 /24" },
	{ CASE_LINE, "192.0.2.0/ 24" },
	{ CASE_LINE, "192.0.2.0/24/24" },
	{ CASE_LINE, "192.0.2.0/2x" },
	{ CASE_LINE, "192.0.2.0/1000" },
	{ CASE_LINE, "192.0.2/24" },
	{ CASE_LINE, "2001:db8::/129" },
	{ CASE_LINE, "2001:db8::1/32" },
	{ CASE_LINE, "2001:db8::/0032" },
	{ CASE_LINE, "fe80::%eth0/64" },
	{ CASE_LINE, "fe80::1%eth0" },
	{ CASE_LINE, "[2001:db8::]/32" },
	{ CASE_LINE, "::ffff:192.0.2.0/95" },
	{ CASE_LINE, "::ffff:192.0.2.0/129" },
	{ CASE_LINE, "::ffff:192.0.2.1/120" },
	{ CASE_LINE, "any" },
	{ CASE_LINE, "192.0.2.0/24,10.0.0.0/8" },
};

START_TEST(cidr_parse_invalid)
{
	struct cidr	 n;

	ck_assert_msg(cidr_parse(cidr_invalid[_i].in, &n) == -1,
	    "line %d: \"%s\" accepted", cidr_invalid[_i].line, cidr_invalid[_i].in);
}
END_TEST

START_TEST(cidr_parse_null)
{
	struct cidr	 n;

	ck_assert_int_eq(cidr_parse(NULL, &n), -1);
	ck_assert_int_eq(cidr_parse("10.0.0.0/8", NULL), -1);
}
END_TEST

static const struct cidr_case contains[] = {
	{ CASE_LINE, "10.0.0.0/8", "10.0.0.0", true },
	{ CASE_LINE, "10.0.0.0/8", "10.255.255.255", true },
	{ CASE_LINE, "10.0.0.0/8", "9.255.255.255", false },
	{ CASE_LINE, "10.0.0.0/8", "11.0.0.0", false },
	{ CASE_LINE, "172.16.0.0/12", "172.31.255.255", true },
	{ CASE_LINE, "172.16.0.0/12", "172.32.0.0", false },
	{ CASE_LINE, "192.0.2.7", "192.0.2.7", true },
	{ CASE_LINE, "192.0.2.7", "192.0.2.6", false },
	{ CASE_LINE, "192.0.2.7", "192.0.2.8", false },
	{ CASE_LINE, "0.0.0.0/0", "255.255.255.255", true },
	{ CASE_LINE, "0.0.0.0/0", "::1", false },
	{ CASE_LINE, "::/0", "192.0.2.1", false },
	{ CASE_LINE, "::/0", "2001:db8::1", true },
	{ CASE_LINE, "::/0", "::ffff:192.0.2.1", false },
	{ CASE_LINE, "192.0.2.0/24", "::ffff:192.0.2.9", true },
	{ CASE_LINE, "192.0.2.0/24", "::ffff:192.0.3.9", false },
	{ CASE_LINE, "::ffff:192.0.2.0/120", "192.0.2.200", true },
	{ CASE_LINE, "::ffff:192.0.2.0/120", "::ffff:192.0.2.200", true },
	{ CASE_LINE, "::ffff:192.0.2.0/120", "192.0.3.0", false },
	{ CASE_LINE, "192.0.2.0/24", "::c000:209", false },
	{ CASE_LINE, "192.0.2.0/24", "c000:209::", false },
	{ CASE_LINE, "2001:db8::/32", "2001:db8:ffff::1", true },
	{ CASE_LINE, "2001:db8::/32", "2001:db9::", false },
	{ CASE_LINE, "2001:db8::/32", "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", false },
	{ CASE_LINE, "2001:db8:8000::/33", "2001:db8:8000::", true },
	{ CASE_LINE, "2001:db8:8000::/33", "2001:db8:7fff:ffff::", false },
	{ CASE_LINE, "fe80::/10", "febf::1", true },
	{ CASE_LINE, "fe80::/10", "fec0::1", false },
	{ CASE_LINE, "fe80::/10", "fe80::1%eth0", true },
	{ CASE_LINE, "::1", "::1", true },
	{ CASE_LINE, "::1", "::", false },
	{ CASE_LINE, "::1", "127.0.0.1", false },
	{ CASE_LINE, "2001:db8::1/128", "2001:db8::1", true },
	{ CASE_LINE, "2001:db8::1/128", "2001:db8::1:0", false },
};

START_TEST(cidr_contains_table)
{
	const struct cidr_case	*c = &contains[_i];
	struct cidr		 n;
	struct addr		 a = must_parse(c->addr, c->line);

	ck_assert_msg(cidr_parse(c->net, &n) == 0, "line %d: %s", c->line, c->net);
	ck_assert_msg(cidr_contains(&n, &a) == c->in, "line %d: %s in %s is %d",
	    c->line, c->addr, c->net, !c->in);
}
END_TEST

/* Each IPv4 prefix length: its first and last address in, the neighbours out. */
START_TEST(cidr_contains_every_v4_length)
{
	unsigned	 bits = (unsigned)_i;
	uint32_t	 base = 0xc6336400u, mask, net, lo, hi;	/* 198.51.100.0 */
	struct cidr	 n;
	struct addr	 a;
	char		 text[32];

	mask = bits == 0 ? 0 : 0xffffffffu << (32 - bits);
	net = base & mask;
	lo = net;
	hi = net | ~mask;
	snprintf(text, sizeof(text), "%u.%u.%u.%u/%u", net >> 24, (net >> 16) & 0xff,
	    (net >> 8) & 0xff, net & 0xff, bits);
	ck_assert_msg(cidr_parse(text, &n) == 0, "%s refused", text);
	memset(&a, 0, sizeof(a));
	a.family = 4;
#define PUT(v) do { a.bytes[0] = (unsigned char)((v) >> 24);		\
	a.bytes[1] = (unsigned char)((v) >> 16);				\
	a.bytes[2] = (unsigned char)((v) >> 8); a.bytes[3] = (unsigned char)(v); } while (0)
	PUT(lo);
	ck_assert_msg(cidr_contains(&n, &a), "%s: first", text);
	PUT(hi);
	ck_assert_msg(cidr_contains(&n, &a), "%s: last", text);
	if (lo != 0) {
		PUT(lo - 1);
		ck_assert_msg(!cidr_contains(&n, &a), "%s: before", text);
	}
	if (hi != 0xffffffffu) {
		PUT(hi + 1);
		ck_assert_msg(!cidr_contains(&n, &a), "%s: after", text);
	}
#undef PUT
	if (bits < 32) {
		/* A host bit set past the prefix is refused. */
		snprintf(text, sizeof(text), "%u.%u.%u.%u/%u", hi >> 24,
		    (hi >> 16) & 0xff, (hi >> 8) & 0xff, hi & 0xff, bits);
		ck_assert_msg(cidr_parse(text, &n) == -1, "%s accepted", text);
	}
}
END_TEST

/* list */

START_TEST(list_parse_separators)
{
	struct cidr_list	 l = { NULL, 0 };
	char			 bad[64] = "x";
	char			 got[ADDR_PREFIX_MAX];

	ck_assert_int_eq(cidr_list_parse(&l,
	    "10.0.0.0/8,192.168.0.0/16 ,\t2001:db8::/32\n::1 , , 127.0.0.1\r\n",
	    bad, sizeof(bad)), 0);
	ck_assert_str_eq(bad, "");
	ck_assert_uint_eq(l.n, 5);
	ck_assert_int_eq(addr_prefix_format(&l.v[0].net, l.v[0].bits, got, sizeof(got)), 0);
	ck_assert_str_eq(got, "10.0.0.0/8");
	ck_assert_int_eq(addr_prefix_format(&l.v[1].net, l.v[1].bits, got, sizeof(got)), 0);
	ck_assert_str_eq(got, "192.168.0.0/16");
	ck_assert_int_eq(addr_prefix_format(&l.v[2].net, l.v[2].bits, got, sizeof(got)), 0);
	ck_assert_str_eq(got, "2001:db8::/32");
	ck_assert_int_eq(addr_prefix_format(&l.v[3].net, l.v[3].bits, got, sizeof(got)), 0);
	ck_assert_str_eq(got, "::1/128");
	ck_assert_int_eq(addr_prefix_format(&l.v[4].net, l.v[4].bits, got, sizeof(got)), 0);
	ck_assert_str_eq(got, "127.0.0.1/32");
	cidr_list_free(&l);
}
END_TEST

static const struct { int line; const char *in; } empty_lists[] = {
	{ CASE_LINE, "" },
	{ CASE_LINE, " " },
	{ CASE_LINE, "," },
	{ CASE_LINE, ",,, ,\t\n" },
};

START_TEST(list_parse_empty)
{
	struct cidr_list	 l = { NULL, 0 };

	ck_assert_msg(cidr_list_parse(&l, empty_lists[_i].in, NULL, 0) == 0,
	    "line %d", empty_lists[_i].line);
	ck_assert_msg(l.n == 0, "line %d: %zu items", empty_lists[_i].line, l.n);
	cidr_list_free(&l);
}
END_TEST

START_TEST(list_parse_appends)
{
	struct cidr_list	 l = { NULL, 0 };
	struct addr		 a = must_parse("2001:db8::5", __LINE__);

	ck_assert_int_eq(cidr_list_parse(&l, "10.0.0.0/8", NULL, 0), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert(!cidr_list_contains(&l, &a));
	ck_assert_int_eq(cidr_list_parse(&l, "2001:db8::/32 ::1", NULL, 0), 0);
	ck_assert_uint_eq(l.n, 3);
	ck_assert(cidr_list_contains(&l, &a));
	ck_assert_uint_eq(l.v[0].bits, 8);
	ck_assert_int_eq(l.v[0].net.family, 4);
	cidr_list_free(&l);
}
END_TEST

static const struct {
	int		 line;
	const char	*in;
	const char	*bad;
} bad_lists[] = {
	{ CASE_LINE, "10.0.0.0/8, 192.0.2.1/24, ::1", "192.0.2.1/24" },
	{ CASE_LINE, "10.0.0.0/8;192.0.2.0/24", "10.0.0.0/8;192.0.2.0/24" },
	{ CASE_LINE, "::1 localhost", "localhost" },
	{ CASE_LINE, "10.0.0.0/ 8", "10.0.0.0/" },
	{ CASE_LINE, "fe80::1%eth0", "fe80::1%eth0" },
	{ CASE_LINE, "2001:db8::/32 2001:db8::/33x", "2001:db8::/33x" },
};

START_TEST(list_parse_bad)
{
	struct cidr_list	 l = { NULL, 0 };
	char			 bad[64];

	ck_assert_int_eq(cidr_list_parse(&l, "203.0.113.0/24", NULL, 0), 0);
	ck_assert_msg(cidr_list_parse(&l, bad_lists[_i].in, bad, sizeof(bad)) == -1,
	    "line %d: accepted", bad_lists[_i].line);
	ck_assert_msg(strcmp(bad, bad_lists[_i].bad) == 0, "line %d: bad \"%s\"",
	    bad_lists[_i].line, bad);
	/* What the failed call parsed before the bad item is not kept. */
	ck_assert_msg(l.n == 1, "line %d: %zu items", bad_lists[_i].line, l.n);
	cidr_list_free(&l);
}
END_TEST

START_TEST(list_contains)
{
	struct cidr_list	 l = { NULL, 0 };
	struct addr		 a;

	ck_assert_int_eq(cidr_list_parse(&l, "10.0.0.0/8 192.0.2.0/24 fd00::/8",
	    NULL, 0), 0);
	a = must_parse("10.9.8.7", __LINE__);
	ck_assert(cidr_list_contains(&l, &a));
	a = must_parse("::ffff:192.0.2.200", __LINE__);
	ck_assert(cidr_list_contains(&l, &a));
	a = must_parse("fd12::1", __LINE__);
	ck_assert(cidr_list_contains(&l, &a));
	a = must_parse("fe80::1", __LINE__);
	ck_assert(!cidr_list_contains(&l, &a));
	a = must_parse("11.0.0.1", __LINE__);
	ck_assert(!cidr_list_contains(&l, &a));
	ck_assert(!cidr_list_contains(NULL, &a));
	cidr_list_free(&l);
	a = must_parse("10.9.8.7", __LINE__);
	ck_assert(!cidr_list_contains(&l, &a));
}
END_TEST

START_TEST(list_free_resets)
{
	struct cidr_list	 l = { NULL, 0 };

	cidr_list_free(&l);
	cidr_list_free(NULL);
	ck_assert_int_eq(cidr_list_parse(&l, "::1 127.0.0.1", NULL, 0), 0);
	ck_assert_ptr_nonnull(l.v);
	cidr_list_free(&l);
	ck_assert_ptr_null(l.v);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_int_eq(cidr_list_parse(&l, "::1", NULL, 0), 0);
	ck_assert_uint_eq(l.n, 1);
	cidr_list_free(&l);
}
END_TEST

/* limits */

START_TEST(limit_text_length)
{
	char		 buf[256];
	struct addr	 a;
	size_t		 i;

	/* The longest address text, 45 characters. */
	ck_assert_int_eq(addr_parse("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255",
	    &a), 0);
	ck_assert_int_eq(a.family, 6);
	ck_assert_int_eq(addr_parse("0000:0000:0000:0000:0000:ffff:255.255.255.255",
	    &a), 0);
	ck_assert(a.mapped);
	/* 46 characters is too long even when inet_pton would not mind. */
	ck_assert_int_eq(addr_parse("0000:0000:0000:0000:0000:ffff:255.255.255.255a",
	    &a), -1);
	memset(buf, '1', sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	ck_assert_int_eq(addr_parse(buf, &a), -1);
	for (i = 0; i < sizeof(buf) - 1; i++)
		buf[i] = (i % 2) ? ':' : '0';
	ck_assert_int_eq(addr_parse(buf, &a), -1);
	ck_assert_int_eq(addr_parse_n(buf, sizeof(buf) - 1, &a), -1);
}
END_TEST

START_TEST(limit_zone_length)
{
	char		 buf[128];
	struct addr	 a;

	snprintf(buf, sizeof(buf), "fe80::1%%%064d", 7);
	ck_assert_uint_eq(strlen(buf), 8 + 64);
	ck_assert_int_eq(addr_parse(buf, &a), 0);
	snprintf(buf, sizeof(buf), "fe80::1%%%065d", 7);
	ck_assert_int_eq(addr_parse(buf, &a), -1);
	/* The longest text: a 45-character address and a 64-character zone. */
	snprintf(buf, sizeof(buf), "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255%%%064d", 1);
	ck_assert_int_eq(addr_parse(buf, &a), 0);
	ck_assert_int_eq(addr_parse_n(buf, strlen(buf), &a), 0);
	snprintf(buf, sizeof(buf), "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255%%%065d", 1);
	ck_assert_int_eq(addr_parse(buf, &a), -1);
	ck_assert_int_eq(addr_parse("fe80::1%x", &a), 0);
}
END_TEST

START_TEST(limit_parse_n_zero)
{
	struct addr	 a;

	ck_assert_int_eq(addr_parse_n("::1", 0, &a), -1);
	ck_assert_int_eq(addr_parse_n("::1", 1, &a), -1);
	ck_assert_int_eq(addr_parse_n("::1", 2, &a), 0);
	ck_assert_int_eq(a.family, 6);
	check_format(&a, "::", __LINE__);
}
END_TEST

START_TEST(limit_extremes_format)
{
	struct addr	 a;
	char		 buf[ADDR_PREFIX_MAX];

	memset(&a, 0, sizeof(a));
	a.family = 4;
	check_format(&a, "0.0.0.0", __LINE__);
	memset(a.bytes, 0xff, 4);
	check_format(&a, "255.255.255.255", __LINE__);
	a.family = 6;
	memset(a.bytes, 0xff, 16);
	check_format(&a, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", __LINE__);
	/* The longest prefix text fits ADDR_PREFIX_MAX. */
	ck_assert_int_eq(addr_prefix_format(&a, 128, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
	ck_assert_int_eq(addr_prefix_format(&a, 128, buf, 44), 0);
	ck_assert_int_eq(addr_prefix_format(&a, 128, buf, 43), -1);
	memset(a.bytes, 0, 16);
	check_format(&a, "::", __LINE__);
}
END_TEST

START_TEST(limit_prefix_lengths)
{
	struct cidr	 n;

	ck_assert_int_eq(cidr_parse("255.255.255.255/32", &n), 0);
	ck_assert_uint_eq(n.bits, 32);
	ck_assert_int_eq(cidr_parse("0.0.0.0/0", &n), 0);
	ck_assert_uint_eq(n.bits, 0);
	ck_assert_int_eq(cidr_parse("255.255.255.255/33", &n), -1);
	ck_assert_int_eq(cidr_parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", &n), 0);
	ck_assert_uint_eq(n.bits, 128);
	ck_assert_int_eq(n.net.family, 6);
	ck_assert_int_eq(cidr_parse("::/129", &n), -1);
	ck_assert_int_eq(cidr_parse("::/0", &n), 0);
	ck_assert_uint_eq(n.bits, 0);
	ck_assert_int_eq(cidr_parse("::/4294967296", &n), -1);
	ck_assert_int_eq(cidr_parse("::/99999999999999999999", &n), -1);
}
END_TEST

START_TEST(limit_truncate_clamp)
{
	struct addr	 a = must_parse("192.0.2.255", __LINE__);
	struct addr	 b = must_parse("2001:db8::ffff", __LINE__);

	addr_truncate(&a, 33);
	check_format(&a, "192.0.2.255", __LINE__);
	addr_truncate(&a, 0xffffffffu);
	check_format(&a, "192.0.2.255", __LINE__);
	addr_truncate(&a, 32);
	check_format(&a, "192.0.2.255", __LINE__);
	addr_truncate(&a, 31);
	check_format(&a, "192.0.2.254", __LINE__);
	addr_truncate(&b, 129);
	check_format(&b, "2001:db8::ffff", __LINE__);
	addr_truncate(&b, 127);
	check_format(&b, "2001:db8::fffe", __LINE__);
	addr_truncate(&b, 0);
	check_format(&b, "::", __LINE__);
}
END_TEST

START_TEST(limit_long_list)
{
	struct cidr_list	 l = { NULL, 0 };
	char			*text, *p;
	struct addr		 a;
	unsigned		 i;

	ck_assert_ptr_nonnull(text = malloc(4000 * 20));
	p = text;
	for (i = 0; i < 4000; i++)
		p += sprintf(p, "10.%u.%u.0/24,", i >> 8, i & 0xff);
	ck_assert_int_eq(cidr_list_parse(&l, text, NULL, 0), 0);
	ck_assert_uint_eq(l.n, 4000);
	a = must_parse("10.15.159.3", __LINE__);	/* item 3999 */
	ck_assert(cidr_list_contains(&l, &a));
	a = must_parse("10.15.160.3", __LINE__);
	ck_assert(!cidr_list_contains(&l, &a));
	cidr_list_free(&l);
	free(text);
}
END_TEST

START_TEST(limit_list_bad_cut)
{
	struct cidr_list	 l = { NULL, 0 };
	char			 bad[8];
	char			 huge[300];

	memset(bad, 'x', sizeof(bad));
	ck_assert_int_eq(cidr_list_parse(&l, "10.0.0.0/8 2001:db8::zz/32", bad,
	    sizeof(bad)), -1);
	ck_assert_str_eq(bad, "2001:db");
	ck_assert_int_eq(cidr_list_parse(&l, "garbage", bad, 1), -1);
	ck_assert_str_eq(bad, "");
	ck_assert_int_eq(cidr_list_parse(&l, "garbage", NULL, 0), -1);
	/* An item too long for any network is refused, not overrun. */
	memset(huge, '1', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	ck_assert_int_eq(cidr_list_parse(&l, huge, bad, sizeof(bad)), -1);
	ck_assert_str_eq(bad, "1111111");
	ck_assert_uint_eq(l.n, 0);
	cidr_list_free(&l);
}
END_TEST

Suite *
addr_suite(void)
{
	Suite	*s = suite_create("addr");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, parse_ipv4_valid, 0, NELEM(v4_valid));
	tcase_add_loop_test(tc, parse_ipv6_valid, 0, NELEM(v6_valid));
	tcase_add_loop_test(tc, parse_invalid, 0, NELEM(invalid));
	tcase_add_loop_test(tc, parse_mapped, 0, NELEM(mapped));
	tcase_add_loop_test(tc, parse_not_mapped, 0, NELEM(not_mapped));
	tcase_add_loop_test(tc, parse_zone_valid, 0, NELEM(zones));
	tcase_add_loop_test(tc, parse_zone_invalid, 0, NELEM(bad_zones));
	tcase_add_test(tc, parse_null);
	tcase_add_test(tc, parse_n_unterminated);
	tcase_add_test(tc, parse_n_embedded_nul);
	tcase_add_test(tc, parse_clears_output);
	suite_add_tcase(s, tc);

	tc = tcase_create("classify");
	tcase_add_loop_test(tc, classify_v4_boundaries, 0, NELEM(v4_kinds));
	tcase_add_loop_test(tc, classify_v6_boundaries, 0, NELEM(v6_kinds));
	tcase_add_loop_test(tc, classify_mapped, 0, NELEM(mapped_kinds));
	tcase_add_loop_test(tc, classify_v4_every_octet, 0, 256);
	tcase_add_loop_test(tc, classify_mapped_equals_v4, 0, 64);
	tcase_add_loop_test(tc, kind_name_roundtrip, 0, KIND__MAX);
	tcase_add_test(tc, kind_name_unknown);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_loop_test(tc, format_rfc5952, 0, NELEM(rfc5952));
	tcase_add_loop_test(tc, format_vs_inet_ntop, 0, 8);
	tcase_add_loop_test(tc, format_roundtrip, 0, 4);
	tcase_add_test(tc, format_small_buffer);
	tcase_add_test(tc, format_bad_family);
	suite_add_tcase(s, tc);

	tc = tcase_create("prefix");
	tcase_add_loop_test(tc, prefix_v6_every_length, 0, 129);
	tcase_add_loop_test(tc, prefix_v6_ones_every_length, 0, 129);
	tcase_add_loop_test(tc, prefix_v4_every_length, 0, 33);
	tcase_add_loop_test(tc, prefix_format_examples, 0, NELEM(prefixes));
	tcase_add_test(tc, prefix_format_small_buffer);
	tcase_add_test(tc, truncate_keeps_family_and_mapped);
	suite_add_tcase(s, tc);

	tc = tcase_create("cidr");
	tcase_add_loop_test(tc, cidr_parse_valid, 0, NELEM(cidr_valid));
	tcase_add_loop_test(tc, cidr_parse_invalid, 0, NELEM(cidr_invalid));
	tcase_add_test(tc, cidr_parse_null);
	tcase_add_loop_test(tc, cidr_contains_table, 0, NELEM(contains));
	tcase_add_loop_test(tc, cidr_contains_every_v4_length, 0, 33);
	suite_add_tcase(s, tc);

	tc = tcase_create("list");
	tcase_add_test(tc, list_parse_separators);
	tcase_add_loop_test(tc, list_parse_empty, 0, NELEM(empty_lists));
	tcase_add_test(tc, list_parse_appends);
	tcase_add_loop_test(tc, list_parse_bad, 0, NELEM(bad_lists));
	tcase_add_test(tc, list_contains);
	tcase_add_test(tc, list_free_resets);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_test(tc, limit_text_length);
	tcase_add_test(tc, limit_zone_length);
	tcase_add_test(tc, limit_parse_n_zero);
	tcase_add_test(tc, limit_extremes_format);
	tcase_add_test(tc, limit_prefix_lengths);
	tcase_add_test(tc, limit_truncate_clamp);
	tcase_add_test(tc, limit_long_list);
	tcase_add_test(tc, limit_list_bad_cut);
	suite_add_tcase(s, tc);

	return s;
}
