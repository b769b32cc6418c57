/* addr.c: parse, classify, truncate and format client addresses (pure functions). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "num.h"

/*
 * Longest address text without its zone: INET6_ADDRSTRLEN - 1, as in
 * "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255".
 */
#define ADDR_TEXT_MAX	45
/* Longest zone id we take; IFNAMSIZ is 16 on Linux, numeric zones are shorter. */
#define ADDR_ZONE_MAX	64
/* Longest text a list item may be: "net/bits" without a zone. */
#define CIDR_TEXT_MAX	(ADDR_TEXT_MAX + 4)

struct kind_range {
	unsigned char	 prefix[16];
	unsigned	 bits;
	enum addr_kind	 kind;
};

/* Issue 2 §4, in order: the first range that holds the address decides. */
static const struct kind_range v4_kinds[] = {
	{ { 127 }, 8, KIND_LOOPBACK },			/* RFC 1122 */
	{ { 10 }, 8, KIND_PRIVATE },			/* RFC 1918 */
	{ { 172, 16 }, 12, KIND_PRIVATE },
	{ { 192, 168 }, 16, KIND_PRIVATE },
	{ { 100, 64 }, 10, KIND_CGNAT },		/* RFC 6598 */
	{ { 169, 254 }, 16, KIND_LINKLOCAL },		/* RFC 3927 */
	{ { 192, 0, 2 }, 24, KIND_DOCUMENTATION },	/* RFC 5737 */
	{ { 198, 51, 100 }, 24, KIND_DOCUMENTATION },
	{ { 203, 0, 113 }, 24, KIND_DOCUMENTATION },
	{ { 0 }, 8, KIND_RESERVED },			/* RFC 1122 "this network" */
	{ { 192, 0, 0 }, 24, KIND_RESERVED },		/* RFC 6890 IETF assignments */
	{ { 198, 18 }, 15, KIND_RESERVED },		/* RFC 2544 benchmarking */
	{ { 224 }, 4, KIND_RESERVED },			/* multicast */
	{ { 240 }, 4, KIND_RESERVED },			/* RFC 1112 class E */
};

static const struct kind_range v6_kinds[] = {
	{ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, 128,
	    KIND_LOOPBACK },				/* RFC 4291 */
	{ { 0x00, 0x64, 0xff, 0x9b }, 96, KIND_NAT64 },	/* RFC 6052 */
	{ { 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01 }, 48, KIND_NAT64 }, /* RFC 8215 */
	{ { 0x20, 0x01 }, 32, KIND_TEREDO },		/* RFC 4380 */
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32, KIND_DOCUMENTATION }, /* RFC 3849 */
	{ { 0x3f, 0xff }, 20, KIND_DOCUMENTATION },	/* RFC 9637 */
	{ { 0x20, 0x02 }, 16, KIND_6TO4 },		/* RFC 3056 */
	{ { 0xfc }, 7, KIND_ULA },			/* RFC 4193 */
	{ { 0xfe, 0x80 }, 10, KIND_LINKLOCAL },		/* RFC 4291 */
	{ { 0x20 }, 3, KIND_GLOBAL },			/* RFC 4291 global unicast */
};

static const char *const kind_names[KIND__MAX] = {
	"global",		/* KIND_GLOBAL */
	"loopback",		/* KIND_LOOPBACK */
	"private",		/* KIND_PRIVATE */
	"cgnat",		/* KIND_CGNAT */
	"link-local",		/* KIND_LINKLOCAL */
	"documentation",	/* KIND_DOCUMENTATION */
	"reserved",		/* KIND_RESERVED */
	"nat64",		/* KIND_NAT64 */
	"teredo",		/* KIND_TEREDO */
	"6to4",			/* KIND_6TO4 */
	"ula",			/* KIND_ULA */
};

/* The first bits of a and b agree. */
static bool
prefix_match(const unsigned char *a, const unsigned char *b, unsigned bits)
{
	unsigned	 whole = bits / 8, rest = bits % 8, i;
	unsigned char	 mask;

	/* Byte by byte, not memcmp: most ranges differ in the first byte. */
	for (i = 0; i < whole; i++)
		if (a[i] != b[i])
			return false;
	if (rest == 0)
		return true;
	mask = (unsigned char)(0xff << (8 - rest));
	return (a[whole] & mask) == (b[whole] & mask);
}

static unsigned
family_bits(int family)
{
	return family == 4 ? 32 : 128;
}

/*
 * glibc and OpenBSD inet_pton already refuse "010.1.1.1", but POSIX leaves
 * it open and some libcs read it as octal; refuse it here whatever libc says.
 */
static bool
dotted_has_leading_zero(const char *s)
{
	const char	*p;

	if ((p = strrchr(s, ':')) != NULL)
		s = p + 1;
	for (p = s; *p != '\0'; p++)
		if (*p == '0' && (p == s || p[-1] == '.') &&
		    p[1] >= '0' && p[1] <= '9')
			return true;
	return false;
}

/*
 * A zone id (RFC 4007 §11) names an interface.  Only printable ASCII, and
 * none of the characters that would let a bracket, port or prefix hide in it.
 */
static bool
zone_ok(const char *z, size_t len)
{
	size_t	 i;

	if (len == 0 || len > ADDR_ZONE_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (z[i] <= ' ' || z[i] > '~' || strchr("%/:[]", z[i]) != NULL)
			return false;
	return true;
}

/*
 * Dotted IPv4 in its plain form ("192.0.2.1": four parts of one to three
 * digits, none with a leading zero, each at most 255), without a copy or
 * a libc call: the form of nearly every access-log line.  1 when it is
 * one (b holds it), 0 when unsure: then the general path below decides,
 * so this only ever answers as that path would.
 */
static int
fast4(const char *t, size_t len, unsigned char *b)
{
	const char	*end = t + len, *s;
	unsigned	 v, part;

	for (part = 0; part < 4; part++) {
		if (part > 0) {
			if (t == end || *t != '.')
				return 0;
			t++;
		}
		for (v = 0, s = t; t < end && *t >= '0' && *t <= '9'; t++)
			v = v * 10 + (unsigned)(*t - '0');
		if (t == s || t - s > 3 || v > 255 || (t - s > 1 && *s == '0'))
			return 0;
		b[part] = (unsigned char)v;
	}
	return t == end;
}

static int
hexval(char c)
{

	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * IPv6 in hex groups, at most one "::", no dotted tail and no zone
 * ("2001:db8::1"), as inet_pton reads it: 1 when it is one, 0 when unsure
 * (then the general path decides, as for fast4).
 */
static int
fast6(const char *t, size_t len, unsigned char *b)
{
	const char	*end = t + len;
	unsigned	 g[8], v;
	int		 n = 0, gap = -1, digits, h, i, tail;

	if (len < 2 || len > 39)
		return 0;
	if (t[0] == ':') {
		if (t[1] != ':')
			return 0;
		gap = 0;
		t += 2;
		if (t == end)
			goto done;
	}
	for (;;) {
		for (v = 0, digits = 0; t < end && (h = hexval(*t)) >= 0;
		    t++, digits++)
			v = v << 4 | (unsigned)h;
		if (digits == 0 || digits > 4 || n == 8)
			return 0;
		g[n++] = v;
		if (t == end)
			break;
		if (*t != ':')
			return 0;
		t++;
		if (t < end && *t == ':') {
			if (gap >= 0)
				return 0;
			gap = n;
			t++;
			if (t == end)
				break;
		} else if (t == end)
			return 0;
	}
done:
	/* "::" stands for one group or more: eight besides it are too many. */
	if (gap >= 0 ? n > 7 : n != 8)
		return 0;
	memset(b, 0, 16);
	tail = gap >= 0 ? n - gap : 0;
	for (i = 0; i < n; i++) {
		int	 at = gap >= 0 && i >= gap ? 8 - tail + (i - gap) : i;

		b[2 * at] = (unsigned char)(g[i] >> 8);
		b[2 * at + 1] = (unsigned char)g[i];
	}
	return 1;
}

int
addr_parse_n(const char *text, size_t len, struct addr *out)
{
	char		 buf[ADDR_TEXT_MAX + 1 + ADDR_ZONE_MAX + 1];
	unsigned char	 b[16];
	const char	*pct;
	size_t		 alen;

	if (text == NULL || out == NULL || len == 0 || len >= sizeof(buf))
		return -1;
	if (fast4(text, len, b)) {
		memset(out, 0, sizeof(*out));
		out->family = 4;
		memcpy(out->bytes, b, 4);
		return 0;
	}
	if (fast6(text, len, b))
		goto v6;
	if (memchr(text, '\0', len) != NULL)
		return -1;

	alen = len;
	if ((pct = memchr(text, '%', len)) != NULL) {
		alen = (size_t)(pct - text);
		if (!zone_ok(pct + 1, len - alen - 1))
			return -1;
		/* Zones exist only for IPv6 (RFC 4007); "1.2.3.4%eth0" is junk. */
		if (memchr(text, ':', alen) == NULL)
			return -1;
	}
	if (alen == 0 || alen > ADDR_TEXT_MAX)
		return -1;
	memcpy(buf, text, alen);
	buf[alen] = '\0';

	if (strchr(buf, '.') != NULL && dotted_has_leading_zero(buf))
		return -1;

	memset(out, 0, sizeof(*out));
	if (strchr(buf, ':') == NULL) {
		if (inet_pton(AF_INET, buf, b) != 1)
			return -1;
		out->family = 4;
		memcpy(out->bytes, b, 4);
		return 0;
	}
	if (inet_pton(AF_INET6, buf, b) != 1)
		return -1;
v6:
	memset(out, 0, sizeof(*out));
	/* RFC 4291 §2.5.5.2: ::ffff:0:0/96 is an IPv4 client on an IPv6 socket. */
	if (memcmp(b, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0) {
		out->family = 4;
		out->mapped = true;
		memcpy(out->bytes, b + 12, 4);
		return 0;
	}
	out->family = 6;
	memcpy(out->bytes, b, 16);
	return 0;
}

int
addr_parse(const char *text, struct addr *out)
{
	if (text == NULL)
		return -1;
	return addr_parse_n(text, strnlen(text, ADDR_TEXT_MAX + ADDR_ZONE_MAX + 2),
	    out);
}

enum addr_kind
addr_classify(const struct addr *a)
{
	const struct kind_range	*t;
	size_t			 i, n;

	if (a->family == 4) {
		t = v4_kinds;
		n = sizeof(v4_kinds) / sizeof(v4_kinds[0]);
	} else {
		t = v6_kinds;
		n = sizeof(v6_kinds) / sizeof(v6_kinds[0]);
	}
	for (i = 0; i < n; i++)
		if (prefix_match(a->bytes, t[i].prefix, t[i].bits))
			return t[i].kind;
	/* IPv4 outside the special ranges is global; IPv6 outside 2000::/3 is not. */
	return a->family == 4 ? KIND_GLOBAL : KIND_RESERVED;
}

const char *
addr_kind_name(enum addr_kind k)
{
	if ((unsigned)k >= KIND__MAX)
		return "unknown";
	return kind_names[k];
}

enum addr_kind
addr_kind_from_name(const char *name)
{
	unsigned	 k;

	if (name == NULL)
		return KIND__MAX;
	for (k = 0; k < KIND__MAX; k++)
		if (strcmp(name, kind_names[k]) == 0)
			return (enum addr_kind)k;
	return KIND__MAX;
}

void
addr_truncate(struct addr *a, unsigned bits)
{
	unsigned	 nbits = family_bits(a->family), i;

	if (bits >= nbits)
		return;
	if (bits % 8 != 0)
		a->bytes[bits / 8] &= (unsigned char)(0xff << (8 - bits % 8));
	for (i = (bits + 7) / 8; i < 16; i++)
		a->bytes[i] = 0;
}

/*
 * Written by hand, not with printf: an import formats a prefix for every
 * network of every batch, and printf was most of that.
 */
static char *
put_hex(char *s, unsigned v)
{
	static const char	 hex[] = "0123456789abcdef";
	int			 shift;

	/* Without leading zeros; 0 is "0". */
	for (shift = 12; shift > 0 && (v >> shift) == 0; shift -= 4)
		continue;
	for (; shift >= 0; shift -= 4)
		*s++ = hex[(v >> shift) & 0xf];
	return s;
}

static char *
put_dec(char *s, unsigned v)
{
	char	 d[10];
	int	 n = 0;

	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		*s++ = d[--n];
	return s;
}

/*
 * RFC 5952 §4: lowercase hex without leading zeros; "::" replaces the
 * longest run of two or more zero groups, the first one on a tie; a single
 * zero group stays "0".  §5 only RECOMMENDS mixed notation for embedded
 * IPv4, and mapped addresses never reach here (they are family 4), so all
 * IPv6 is written in hex: prefixes in the store read the same way.
 */
static void
format6(const unsigned char *b, char *s)
{
	unsigned	 g[8];
	int		 i, best = -1, bestlen = 0, run;

	for (i = 0; i < 8; i++)
		g[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
	for (i = 0; i < 8; i++) {
		if (g[i] != 0)
			continue;
		for (run = 0; i + run < 8 && g[i + run] == 0; run++)
			continue;
		if (run >= 2 && run > bestlen) {
			best = i;
			bestlen = run;
		}
		i += run;
	}
	for (i = 0; i < 8; ) {
		if (i == best) {
			*s++ = ':';
			*s++ = ':';
			i += bestlen;
			continue;
		}
		if (i > 0 && i != best + bestlen)
			*s++ = ':';
		s = put_hex(s, g[i]);
		i++;
	}
	*s = '\0';
}

int
addr_format(const struct addr *a, char *buf, size_t size)
{
	char	 s[INET6_ADDRSTRLEN], *e;
	size_t	 len;
	int	 i;

	if (a->family == 4) {
		for (e = s, i = 0; i < 4; i++) {
			if (i > 0)
				*e++ = '.';
			e = put_dec(e, a->bytes[i]);
		}
		*e = '\0';
	} else if (a->family == 6)
		format6(a->bytes, s);
	else
		return -1;
	len = strlen(s);
	if (buf == NULL || len >= size)
		return -1;
	memcpy(buf, s, len + 1);
	return 0;
}

int
addr_prefix_format(const struct addr *a, unsigned bits, char *buf, size_t size)
{
	struct addr	 t = *a;
	char		 s[INET6_ADDRSTRLEN + 4], *e;
	size_t		 len;

	if (bits > family_bits(a->family))
		bits = family_bits(a->family);
	addr_truncate(&t, bits);
	if (addr_format(&t, s, sizeof(s)) == -1)
		return -1;
	if (buf == NULL || size == 0)
		return -1;
	/* "net/bits": at most 45 + 4 bytes, room in s. */
	e = s + strlen(s);
	*e++ = '/';
	e = put_dec(e, bits);
	*e = '\0';
	len = (size_t)(e - s);
	if (len >= size)
		return -1;
	memcpy(buf, s, len + 1);
	return 0;
}

/* 1 to 3 decimal digits, no leading zero, at most max. */
static int
prefix_len_parse(const char *s, unsigned max, unsigned *out)
{
	uint64_t	 v;

	if (strlen(s) > 3 || num_parse_str(s, max, NUM_NO_LEADING_ZERO, &v) != 0)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/*
 * A mapped network "::ffff:192.0.2.0/120" is converted to 192.0.2.0/24,
 * since mapped addresses are IPv4 everywhere else; one shorter than /96
 * would reach outside ::ffff:0:0/96 and is refused.  Zones are refused:
 * a network is not on one link.
 */
int
cidr_parse(const char *text, struct cidr *out)
{
	char		 buf[CIDR_TEXT_MAX + 1];
	const char	*slash;
	struct addr	 a, t;
	unsigned	 bits;
	size_t		 len;

	if (text == NULL || out == NULL)
		return -1;
	len = strnlen(text, sizeof(buf));
	if (len == 0 || len >= sizeof(buf) || strchr(text, '%') != NULL)
		return -1;
	memcpy(buf, text, len + 1);

	if ((slash = strchr(buf, '/')) != NULL)
		buf[slash - buf] = '\0';
	if (addr_parse(buf, &a) == -1)
		return -1;
	if (slash == NULL)
		bits = family_bits(a.family);
	else if (!a.mapped) {
		if (prefix_len_parse(slash + 1, family_bits(a.family),
		    &bits) == -1)
			return -1;
	} else {
		if (prefix_len_parse(slash + 1, 128, &bits) == -1 || bits < 96)
			return -1;
		bits -= 96;
	}
	a.mapped = false;
	t = a;
	addr_truncate(&t, bits);
	if (memcmp(t.bytes, a.bytes, sizeof(a.bytes)) != 0)
		return -1;
	out->net = t;
	out->bits = bits;
	return 0;
}

bool
cidr_contains(const struct cidr *c, const struct addr *a)
{
	unsigned	 bits;

	if (c == NULL || a == NULL || c->net.family != a->family)
		return false;
	bits = c->bits;
	if (bits > family_bits(a->family))
		bits = family_bits(a->family);
	return prefix_match(c->net.bytes, a->bytes, bits);
}

bool
cidr_list_contains(const struct cidr_list *l, const struct addr *a)
{
	size_t	 i;

	if (l == NULL)
		return false;
	for (i = 0; i < l->n; i++)
		if (cidr_contains(&l->v[i], a))
			return true;
	return false;
}

static bool
list_sep(char c)
{
	return c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void
copy_bad(char *bad, size_t badsz, const char *s, size_t len)
{
	if (bad == NULL || badsz == 0)
		return;
	if (len >= badsz)
		len = badsz - 1;
	memcpy(bad, s, len);
	bad[len] = '\0';
}

/*
 * All or nothing: on error the list holds what it held before the call.
 * Running out of memory also returns -1, with an empty bad and errno set.
 */
int
cidr_list_parse(struct cidr_list *l, const char *text, char *bad, size_t badsz)
{
	char		 item[CIDR_TEXT_MAX + 1];
	struct cidr	 c, *v;
	const char	*p, *s;
	size_t		 len, n0 = l->n, cap = l->n;

	if (bad != NULL && badsz > 0)
		bad[0] = '\0';
	if (text == NULL)
		return 0;
	for (p = text; *p != '\0'; ) {
		while (list_sep(*p))
			p++;
		if (*p == '\0')
			break;
		for (s = p; *p != '\0' && !list_sep(*p); p++)
			continue;
		len = (size_t)(p - s);
		if (len >= sizeof(item))
			goto bad;
		memcpy(item, s, len);
		item[len] = '\0';
		if (cidr_parse(item, &c) == -1)
			goto bad;
		if (l->n == cap) {
			cap = cap < 8 ? 8 : cap * 2;
			if ((v = reallocarray(l->v, cap, sizeof(*v))) == NULL) {
				l->n = n0;
				errno = ENOMEM;
				return -1;
			}
			l->v = v;
		}
		l->v[l->n++] = c;
		continue;
bad:
		copy_bad(bad, badsz, s, len);
		l->n = n0;
		return -1;
	}
	return 0;
}

void
cidr_list_free(struct cidr_list *l)
{
	if (l == NULL)
		return;
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
