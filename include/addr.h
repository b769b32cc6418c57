/* addr.h: parse, classify, truncate and format client addresses (pure functions). */
#ifndef DUALSTAT_ADDR_H
#define DUALSTAT_ADDR_H

#include <stdbool.h>
#include <stddef.h>

/*
 * An address as dualstat sees it.  IPv4-mapped IPv6 (::ffff:a.b.c.d) is
 * stored as IPv4 with mapped set: that is what a visitor who came over
 * IPv4 to a dual-stack [::] socket really is.
 */
struct addr {
	int		family;		/* 4 or 6 */
	unsigned char	bytes[16];	/* network order; IPv4 uses bytes[0..3] */
	bool		mapped;		/* came as ::ffff:a.b.c.d */
};

/* Kinds, in the order the classification tries them.  Names in addr_kind_name(). */
enum addr_kind {
	KIND_GLOBAL,		/* "global" */
	KIND_LOOPBACK,		/* "loopback" */
	KIND_PRIVATE,		/* "private": RFC 1918 */
	KIND_CGNAT,		/* "cgnat": RFC 6598 100.64/10 */
	KIND_LINKLOCAL,		/* "link-local" */
	KIND_DOCUMENTATION,	/* "documentation": RFC 5737, RFC 3849, RFC 9637 */
	KIND_RESERVED,		/* "reserved" */
	KIND_NAT64,		/* "nat64": RFC 6052 64:ff9b::/96, RFC 8215 64:ff9b:1::/48 */
	KIND_TEREDO,		/* "teredo": RFC 4380 2001::/32 */
	KIND_6TO4,		/* "6to4": RFC 3056 2002::/16 */
	KIND_ULA,		/* "ula": RFC 4193 fc00::/7 */
	KIND__MAX
};

/* Longest text addr_prefix_format() writes, with its NUL: "ffff:...:ffff/128". */
#define ADDR_PREFIX_MAX	64

/*
 * Parse the text of an address exactly as inet_pton(3) accepts it, plus
 * an optional IPv6 zone ("fe80::1%eth0"), which is dropped.  Rejected:
 * leading zeros in IPv4, brackets, ports, CIDR suffixes, an empty zone,
 * surrounding space.  Returns 0, or -1 when text is not an address.
 */
int	 addr_parse(const char *text, struct addr *out);
/* The same for a text that is not NUL-terminated. */
int	 addr_parse_n(const char *text, size_t len, struct addr *out);

enum addr_kind	 addr_classify(const struct addr *);
/* "global", "6to4", ...; "unknown" for values out of range. */
const char	*addr_kind_name(enum addr_kind);
/* The kind named name, or KIND__MAX when there is none. */
enum addr_kind	 addr_kind_from_name(const char *name);

/* Zero every bit after the first bits (clamped to 32 or 128). */
void	 addr_truncate(struct addr *, unsigned bits);
/*
 * Canonical text: dotted quad for IPv4 (also when mapped), RFC 5952 for
 * IPv6.  Returns 0, or -1 when size is too small.
 */
int	 addr_format(const struct addr *, char *buf, size_t size);
/* Truncate a copy to bits and write "net/bits", e.g. "2001:db8:1::/48". */
int	 addr_prefix_format(const struct addr *, unsigned bits, char *buf, size_t size);

/* A network: "192.0.2.0/24", "2001:db8::/32", or a bare address (/32, /128). */
struct cidr {
	struct addr	net;	/* host bits already zeroed */
	unsigned	bits;
};

struct cidr_list {
	struct cidr	*v;
	size_t		 n;
};

/* Returns 0, or -1 when text is not a network or has host bits set past bits. */
int	 cidr_parse(const char *text, struct cidr *out);
bool	 cidr_contains(const struct cidr *, const struct addr *);
bool	 cidr_list_contains(const struct cidr_list *, const struct addr *);
/*
 * Parse a list separated by commas and/or spaces and append to list.
 * Returns 0, or -1 and the offending item copied into bad (NUL-terminated,
 * cut to badsz) when an item is not a network.
 */
int	 cidr_list_parse(struct cidr_list *, const char *text, char *bad, size_t badsz);
void	 cidr_list_free(struct cidr_list *);

#endif
