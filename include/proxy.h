/* proxy.h: find the client behind trusted proxies (X-Forwarded-For, RFC 7239 Forwarded). */
#ifndef DUALSTAT_PROXY_H
#define DUALSTAT_PROXY_H

#include <stdbool.h>

#include "addr.h"

enum proxy_header {
	PROXY_NONE,		/* "none": never look at headers */
	PROXY_XFF,		/* "x-forwarded-for" */
	PROXY_FORWARDED,	/* "forwarded": RFC 7239 */
	PROXY__MAX
};

const char		*proxy_header_name(enum proxy_header);
/* The header named name (case-insensitive), or PROXY__MAX. */
enum proxy_header	 proxy_header_from_name(const char *name);

/*
 * Decide the client.  client starts as peer.  When peer is in trusted and
 * the header has lines (n of them, in the order they arrived: RFC 7230
 * §3.2.2 makes them one comma-separated list), its hops are walked from
 * the right: each hop that is an address in trusted is skipped, the first
 * one that is not becomes the client.  "unknown", an obfuscated "_name",
 * a malformed hop, or an address no proxy may report (loopback, the
 * unspecified address: the proxy's own machine, never a visitor) stops the
 * walk; the last address known stands.  Untrusted peers: the header is
 * ignored.
 *
 * Accepted hops: bare IPv4 or IPv6, "v4:port", "[v6]" and "[v6]:port",
 * and in Forwarded the for= parameter, quoted or not.
 *
 * Returns true when the header decided the client (client != peer).
 */
bool	 proxy_resolve(const struct addr *peer, const struct cidr_list *trusted,
	    enum proxy_header which, const char *const *lines, size_t n,
	    struct addr *client);

/*
 * One hop's node as it appears in X-Forwarded-For or a Forwarded for=
 * value (quotes already removed by the caller for Forwarded): fills out
 * and returns 0 when it is an address, -1 otherwise (unknown, _name,
 * garbage).  Exposed for the tests and the fuzzer.
 */
int	 proxy_parse_node(const char *text, size_t len, struct addr *out);

#endif
