/* tally.c: requests summed in memory by hour, family, kind, listener, way, host and network, for store_add_counted. */
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "map.h"
#include "row.h"
#include "tally.h"

/* One group: what a roll-up cell tells apart, and its requests. */
struct group {
	int64_t		 hour;		/* its start */
	uint32_t	 host;		/* index in hosts + 1; 0: none */
	unsigned char	 family, kind, mapped, server_family, how;
	unsigned char	 net[16];	/* the truncated address */
	uint64_t	 count;
};

struct tally {
	unsigned	 bits4, bits6;
	struct map	 index;		/* packed key -> index in groups */
	struct group	*groups;
	size_t		 n, cap;
	struct map	 host_index;	/* host -> index in hosts + 1 */
	char		**hosts;
	size_t		 nhosts, hosts_cap;
	uint64_t	 requests;
	/* tally_rows' output */
	struct row	*rows;
	uint64_t	*counts;
	size_t		 out_cap;
};

struct tally *
tally_new(unsigned ipv4_bits, unsigned ipv6_bits)
{
	struct tally	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->bits4 = ipv4_bits > 32 ? 32 : ipv4_bits;
	t->bits6 = ipv6_bits > 128 ? 128 : ipv6_bits;
	return t;
}

static void
hosts_free(struct tally *t)
{
	size_t	 i;

	for (i = 0; i < t->nhosts; i++)
		free(t->hosts[i]);
	t->nhosts = 0;
	map_free(&t->host_index);
}

void
tally_clear(struct tally *t)
{

	map_free(&t->index);
	hosts_free(t);
	t->n = 0;
	t->requests = 0;
}

void
tally_free(struct tally *t)
{

	if (t == NULL)
		return;
	tally_clear(t);
	free(t->groups);
	free(t->hosts);
	free(t->rows);
	free(t->counts);
	free(t);
}

/* The index + 1 of host, added when new; 0 when out of memory. */
static uint32_t
host_of(struct tally *t, const char *host)
{
	size_t	 len = row_host_len(host), cap;
	int64_t	*v;
	char	**hs, *copy;
	bool	 added;

	if ((v = map_get(&t->host_index, host, len)) != NULL)
		return (uint32_t)*v;
	if (t->nhosts == t->hosts_cap) {
		cap = t->hosts_cap == 0 ? 16 : t->hosts_cap * 2;
		if ((hs = reallocarray(t->hosts, cap, sizeof(*hs))) == NULL)
			return 0;
		t->hosts = hs;
		t->hosts_cap = cap;
	}
	if ((copy = strndup(host, len)) == NULL)
		return 0;
	if ((v = map_put(&t->host_index, host, len, &added)) == NULL) {
		free(copy);
		return 0;
	}
	t->hosts[t->nhosts++] = copy;
	*v = (int64_t)t->nhosts;
	return (uint32_t)*v;
}

int
tally_add(struct tally *t, int64_t time, const struct addr *client,
    int server_family, enum how how, const char *host)
{
	unsigned char	 key[8 + 4 + 5 + 16], *p = key;
	struct group	*g;
	struct addr	 net;
	uint32_t	 hid = 0;
	int64_t		*at, hour;
	size_t		 cap, nlen;
	bool		 added;

	/* Floored, before the epoch too (cell_start's rule). */
	hour = time / 3600 * 3600;
	if (hour > time)
		hour -= 3600;
	if (host != NULL && (hid = host_of(t, host)) == 0)
		return -1;
	net = *client;
	addr_truncate(&net, net.family == 4 ? t->bits4 : t->bits6);
	nlen = net.family == 4 ? 4 : 16;
	memcpy(p, &hour, 8);
	memcpy(p += 8, &hid, 4);
	p += 4;
	*p++ = (unsigned char)net.family;
	*p++ = (unsigned char)addr_classify(client);
	*p++ = net.mapped;
	*p++ = (unsigned char)server_family;
	*p++ = (unsigned char)how;
	memcpy(p, net.bytes, nlen);
	p += nlen;
	/* Room for a new group first: a key in the map always has one. */
	if (t->n == t->cap) {
		cap = t->cap == 0 ? 1024 : t->cap * 2;
		if ((g = reallocarray(t->groups, cap, sizeof(*g))) == NULL)
			return -1;
		t->groups = g;
		t->cap = cap;
	}
	if ((at = map_put(&t->index, key, (size_t)(p - key), &added)) == NULL)
		return -1;
	if (!added) {
		t->groups[*at].count++;
		t->requests++;
		return 0;
	}
	g = &t->groups[t->n];
	memset(g, 0, sizeof(*g));
	g->hour = hour;
	g->host = hid;
	g->family = key[12];
	g->kind = key[13];
	g->mapped = key[14];
	g->server_family = key[15];
	g->how = key[16];
	memcpy(g->net, net.bytes, nlen);
	g->count = 1;
	*at = (int64_t)t->n++;
	t->requests++;
	return 0;
}

uint64_t
tally_requests(const struct tally *t)
{

	return t->requests;
}

size_t
tally_groups(const struct tally *t)
{

	return t->n;
}

int
tally_rows(struct tally *t, const struct row **rows, const uint64_t **counts,
    size_t *n)
{
	const struct group	*g;
	struct row		*r, *rs;
	struct addr		 net;
	uint64_t		*cs;
	size_t			 i, cap;

	*rows = NULL;
	*counts = NULL;
	*n = 0;
	if (t->n > t->out_cap) {
		cap = t->n;
		if ((rs = reallocarray(t->rows, cap, sizeof(*rs))) == NULL)
			return -1;
		t->rows = rs;
		if ((cs = reallocarray(t->counts, cap, sizeof(*cs))) == NULL)
			return -1;
		t->counts = cs;
		t->out_cap = cap;
	}
	for (i = 0; i < t->n; i++) {
		g = &t->groups[i];
		r = &t->rows[i];
		memset(r, 0, sizeof(*r));
		memset(&net, 0, sizeof(net));
		net.family = g->family;
		net.mapped = g->mapped != 0;
		memcpy(net.bytes, g->net, sizeof(net.bytes));
		/* Already truncated: formatting it truncates nothing more. */
		if (addr_prefix_format(&net, g->family == 4 ? t->bits4 : t->bits6,
		    r->prefix, sizeof(r->prefix)) != 0)
			return -1;
		r->time = g->hour;
		r->family = g->family;
		r->kind = (enum addr_kind)g->kind;
		r->mapped = net.mapped;
		r->server_family = g->server_family;
		r->host = g->host != 0 ? t->hosts[g->host - 1] : NULL;
		r->how = (enum how)g->how;
		t->counts[i] = g->count;
	}
	*rows = t->rows;
	*counts = t->counts;
	*n = t->n;
	return 0;
}
