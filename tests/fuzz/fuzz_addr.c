/* fuzz_addr.c: libFuzzer target for the address parser: parse, classify, format, prefixes, CIDR. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Exact-size heap copies, so ASan sees a read one byte past the input. */
static char *
dup_nonul(const uint8_t *data, size_t size)
{
	char	*p = malloc(size == 0 ? 1 : size);

	if (p == NULL)
		abort();
	memcpy(p, data, size);
	return p;
}

static char *
dup_str(const uint8_t *data, size_t size)
{
	char	*p = malloc(size + 1);

	if (p == NULL)
		abort();
	memcpy(p, data, size);
	p[size] = '\0';
	return p;
}

static int
same(const struct addr *a, const struct addr *b)
{
	return a->family == b->family &&
	    memcmp(a->bytes, b->bytes, a->family == 4 ? 4 : 16) == 0;
}

/* Properties every parsed address must have. */
static void
check_addr(const struct addr *a, unsigned bits)
{
	char		 text[ADDR_PREFIX_MAX], *small;
	struct addr	 back;
	struct cidr	 c;
	enum addr_kind	 k;
	size_t		 n, len;

	if (a->family != 4 && a->family != 6)
		abort();
	if (a->mapped && a->family != 4)
		abort();
	k = addr_classify(a);
	if (k >= KIND__MAX || addr_kind_from_name(addr_kind_name(k)) != k)
		abort();

	/* Canonical text parses back to the same address. */
	if (addr_format(a, text, sizeof(text)) != 0)
		abort();
	if (addr_parse(text, &back) != 0 || !same(a, &back))
		abort();
	/* Too small a buffer is refused, never overrun. */
	len = strlen(text);
	for (n = 0; n <= len; n++) {
		small = malloc(n == 0 ? 1 : n);
		if (small == NULL)
			abort();
		if (addr_format(a, small, n) != -1)
			abort();
		free(small);
	}

	/* The prefix is a network that holds the address. */
	if (addr_prefix_format(a, bits, text, sizeof(text)) != 0)
		abort();
	if (cidr_parse(text, &c) != 0 || !cidr_contains(&c, a))
		abort();
}

/* A dotted part with a leading zero ("01"), which the parser refuses. */
static int
leading_zero(const char *s)
{
	const char	*p, *start = strrchr(s, ':') != NULL ? strrchr(s, ':') + 1 : s;

	for (p = start; *p != '\0'; p++)
		if (*p == '0' && (p == start || p[-1] == '.') &&
		    p[1] >= '0' && p[1] <= '9')
			return 1;
	return 0;
}

static void
same_as_pton(const char *s, int r, const struct addr *a)
{
	unsigned char	 b[16];
	int		 ok;

	if (strchr(s, ':') == NULL)
		ok = inet_pton(AF_INET, s, b) == 1;
	else
		ok = inet_pton(AF_INET6, s, b) == 1;
	if (ok && strchr(s, '.') != NULL && leading_zero(s))
		ok = 0;
	if (ok != (r == 0))
		abort();
	if (!ok)
		return;
	if (strchr(s, ':') == NULL) {
		if (a->family != 4 || a->mapped || memcmp(a->bytes, b, 4) != 0)
			abort();
	} else if (memcmp(b, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0) {
		if (a->family != 4 || !a->mapped || memcmp(a->bytes, b + 12, 4) != 0)
			abort();
	} else if (a->family != 6 || memcmp(a->bytes, b, 16) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct addr	 a, b;
	struct cidr	 c;
	struct cidr_list l = { NULL, 0 };
	char		 bad[16], *raw, *s;
	unsigned	 bits = size > 0 ? data[0] % 140 : 0;
	int		 rn, rs;

	raw = dup_nonul(data, size);
	s = dup_str(data, size);

	rn = addr_parse_n(raw, size, &a);
	if (rn == 0)
		check_addr(&a, bits);
	rs = addr_parse(s, &b);
	if (rs == 0)
		check_addr(&b, bits);
	/* Without a NUL inside, both entry points agree. */
	if (memchr(data, '\0', size) == NULL &&
	    (rn != rs || (rn == 0 && (!same(&a, &b) || a.mapped != b.mapped))))
		abort();

	/*
	 * Without a zone, the parser reads what inet_pton reads (addr.c's
	 * fast paths must never differ from it): the same bytes, mapped
	 * addresses as IPv4, and leading zeros in dotted parts refused.
	 */
	if (memchr(data, '\0', size) == NULL && memchr(data, '%', size) == NULL &&
	    size <= 45)
		same_as_pton(s, rs, &b);

	if (cidr_parse(s, &c) == 0) {
		if (c.bits > (c.net.family == 4 ? 32u : 128u))
			abort();
		if (!cidr_contains(&c, &c.net))
			abort();
	}
	if (cidr_list_parse(&l, s, bad, sizeof(bad)) != 0 &&
	    memchr(bad, '\0', sizeof(bad)) == NULL)
		abort();
	cidr_list_free(&l);

	free(raw);
	free(s);
	return 0;
}
