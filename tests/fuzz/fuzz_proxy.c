/* fuzz_proxy.c: libFuzzer target for the proxy headers: X-Forwarded-For, RFC 7239 Forwarded, one node. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "proxy.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Trusted: a private network, one IPv4 proxy and a documentation /32 for IPv6. */
#define TRUSTED	"10.0.0.0/8, 192.0.2.1, 2001:db8::/32"

static struct cidr_list	 trusted;
static struct addr	 peers[4];

static void
setup(void)
{
	static const char *const p[4] = {
		"192.0.2.1", "2001:db8::1", "10.1.2.3", "198.51.100.7"	/* last: untrusted */
	};
	char	 bad[64];
	size_t	 i;

	if (trusted.n != 0)
		return;
	if (cidr_list_parse(&trusted, TRUSTED, bad, sizeof(bad)) != 0)
		abort();
	for (i = 0; i < 4; i++)
		if (addr_parse(p[i], &peers[i]) != 0)
			abort();
}

static bool
same(const struct addr *a, const struct addr *b)
{
	return a->family == b->family &&
	    memcmp(a->bytes, b->bytes, a->family == 4 ? 4 : 16) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct addr	 client, node;
	const struct addr *peer;
	const char	*lines[8];
	char		*s, *raw, *split, *nl;
	unsigned	 sel;
	size_t		 n;
	bool		 decided;
	int		 h;

	setup();
	if (size == 0)
		return 0;
	/* The first byte picks the peer; the rest is the header. */
	sel = data[0] % 4;
	peer = &peers[sel];
	data++;
	size--;

	raw = malloc(size == 0 ? 1 : size);
	s = malloc(size + 1);
	if (raw == NULL || s == NULL)
		abort();
	memcpy(raw, data, size);
	memcpy(s, data, size);
	s[size] = '\0';

	if (proxy_parse_node(raw, size, &node) == 0 &&
	    node.family != 4 && node.family != 6)
		abort();

	/* The header as the web server may pass it: lines, cut at each newline. */
	if ((split = strdup(s)) == NULL)
		abort();
	lines[0] = split;
	for (n = 1; n < 8 && (nl = strchr(split, '\n')) != NULL; n++) {
		*nl = '\0';
		split = nl + 1;
		lines[n] = split;
	}
	split = (char *)lines[0];

	for (h = PROXY_NONE; h < PROXY__MAX; h++) {
		decided = proxy_resolve(peer, &trusted, (enum proxy_header)h, lines, n, &client);
		if (client.family != 4 && client.family != 6)
			abort();
		/* Nobody but a trusted peer, and only with a header, moves the client. */
		if ((sel == 3 || h == PROXY_NONE) && decided)
			abort();
		/* The contract: true exactly when the client is not the peer. */
		if (decided == same(&client, peer))
			abort();
	}
	(void)proxy_header_from_name(s);

	free(split);
	free(raw);
	free(s);
	return 0;
}
