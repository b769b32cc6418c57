/* tally.c: requests summed in memory by hour, family, kind, listener, way, host and network, for store_add_counted. */
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "map.h"
#include "row.h"
#include "tally.h"

/*
 * What a roll-up cell tells apart, packed with no padding left undefined
 * (the key is compared and hashed as bytes).
 */
struct gkey {
	int64_t		 hour;		/* its start */
	uint32_t	 host;		/* index in hosts + 1; 0: none */
	unsigned char	 family, kind, mapped, server_family, how;
	unsigned char	 zero[3];
	unsigned char	 net[16];	/* the truncated address; IPv4 in the first 4 */
};

/* A group: its key and its requests. */
struct group {
	uint64_t	 hash;
	struct gkey	 key;
	uint64_t	 count;
};

/*
 * The groups in the order first met, and an open-addressing table of
 * slots, at most half full, each the group's index + 1 (0: free) and the
 * high half of its hash: eight bytes a slot, so the table of a batch
 * (16384 groups, 256 KiB) stays in the cache and a line costs one probe
 * there and one group; tally_rows reads the groups in order, not all
 * over a table (this is the per-line cost of an import).
 */
#define TABLE_MIN	4096

/* A network of the batch in tally_rows: the groups that have it. */
struct net {
	uint64_t	 hash;		/* 0: free */
	uint32_t	 first;		/* a group that has it (its index) */
	uint32_t	 n;		/* groups */
	uint32_t	 at;		/* where its rows begin */
};

struct tally {
	unsigned	 bits4, bits6;
	uint64_t	*slots;
	size_t		 nslots;	/* a power of two */
	struct group	*groups;	/* in the order first met */
	size_t		 n, groups_cap;
	struct map	 host_index;	/* host -> index in hosts + 1 */
	char		**hosts;
	size_t		 nhosts, hosts_cap;
	uint64_t	 requests;
	/* tally_rows' output */
	struct row	*rows;
	uint64_t	*counts;
	size_t		 out_cap;
	const char	*node;		/* tally_node */
	/*
	 * tally_rows' scratch, kept from batch to batch: allocated anew
	 * each time, a table this big came as fresh pages from the kernel,
	 * every one a fault and a clearing.
	 */
	struct net	*nets;
	size_t		 nets_cap;	/* slots */
	uint32_t	*of;
	size_t		 of_cap;
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

void
tally_node(struct tally *t, const char *node)
{

	t->node = node;
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

	/* Eight bytes a slot: cleared whole, fast. */
	if (t->n > 0)
		memset(t->slots, 0, t->nslots * sizeof(*t->slots));
	t->n = 0;
	hosts_free(t);
	t->requests = 0;
}

void
tally_free(struct tally *t)
{

	if (t == NULL)
		return;
	tally_clear(t);
	free(t->slots);
	free(t->groups);
	free(t->hosts);
	free(t->rows);
	free(t->counts);
	free(t->nets);
	free(t->of);
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

/* Twice the slots, every group filed again there; -1 out of memory. */
static int
grow(struct tally *t)
{
	struct group	*ng;
	uint64_t	*ns;
	size_t		 n = t->nslots == 0 ? TABLE_MIN : t->nslots * 2, i, j;

	if ((ns = calloc(n, sizeof(*ns))) == NULL)
		return -1;
	if ((ng = reallocarray(t->groups, n / 2, sizeof(*ng))) == NULL) {
		free(ns);
		return -1;
	}
	t->groups = ng;
	t->groups_cap = n / 2;
	for (i = 0; i < t->n; i++) {
		for (j = t->groups[i].hash & (n - 1); ns[j] != 0; j = (j + 1) & (n - 1))
			;
		ns[j] = (t->groups[i].hash & ~(uint64_t)UINT32_MAX) | (i + 1);
	}
	free(t->slots);
	t->slots = ns;
	t->nslots = n;
	return 0;
}

int
tally_add(struct tally *t, int64_t time, const struct addr *client,
    int server_family, enum how how, const char *host)
{
	struct gkey	 k;
	struct group	*g;
	struct addr	 net;
	uint64_t	 h, sl, tag;
	size_t		 j, mask;

	memset(&k, 0, sizeof(k));
	/* Floored, before the epoch too (cell_start's rule). */
	k.hour = time / 3600 * 3600;
	if (k.hour > time)
		k.hour -= 3600;
	if (host != NULL && (k.host = host_of(t, host)) == 0)
		return -1;
	net = *client;
	addr_truncate(&net, net.family == 4 ? t->bits4 : t->bits6);
	k.family = (unsigned char)net.family;
	k.kind = (unsigned char)addr_classify(client);
	k.mapped = net.mapped;
	k.server_family = (unsigned char)server_family;
	k.how = (unsigned char)how;
	memcpy(k.net, net.bytes, net.family == 4 ? 4 : 16);
	h = map_hash(&k, sizeof(k));
	if (2 * (t->n + 1) > t->nslots && grow(t) != 0)
		return -1;
	mask = t->nslots - 1;
	tag = h & ~(uint64_t)UINT32_MAX;
	for (j = h & mask; (sl = t->slots[j]) != 0; j = (j + 1) & mask) {
		if ((sl & ~(uint64_t)UINT32_MAX) != tag)
			continue;
		g = &t->groups[(sl & UINT32_MAX) - 1];
		if (g->hash == h && memcmp(&g->key, &k, sizeof(k)) == 0) {
			g->count++;
			t->requests++;
			return 0;
		}
	}
	g = &t->groups[t->n];
	g->hash = h;
	g->key = k;
	g->count = 1;
	t->slots[j] = tag | (t->n + 1);
	t->n++;
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

static uint64_t
net_hash(const struct gkey *k)
{
	unsigned char	 b[2 + 16];
	uint64_t	 h;

	/* What names a prefix id (rollup.c): family, kind, the network. */
	b[0] = k->family;
	b[1] = k->kind;
	memcpy(b + 2, k->net, 16);
	h = map_hash(b, sizeof(b));
	return h == 0 ? 1 : h;
}

static bool
same_net(const struct gkey *a, const struct gkey *b)
{

	return a->family == b->family && a->kind == b->kind &&
	    memcmp(a->net, b->net, sizeof(a->net)) == 0;
}

int
tally_rows(struct tally *t, const struct row **rows, const uint64_t **counts,
    size_t *n)
{
	const struct group	*g;
	struct net		*nets, *nt;
	struct row		*r, *rs;
	struct addr		 net;
	uint64_t		*cs, h;
	uint32_t		*of;
	size_t			 i, j, k, cap, nslots, mask;

	*rows = NULL;
	*counts = NULL;
	*n = 0;
	if (t->n == 0)
		return 0;
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
	/*
	 * The rows of one network together, so the roll-up looks its
	 * prefix up once (rollup_add keeps the last one) and it is
	 * formatted once here: a hash table of the batch's networks.
	 */
	for (nslots = 64; nslots < 2 * t->n; nslots *= 2)
		;
	mask = nslots - 1;
	if (nslots > t->nets_cap) {
		free(t->nets);
		if ((t->nets = calloc(nslots, sizeof(*t->nets))) == NULL) {
			t->nets_cap = 0;
			return -1;
		}
		t->nets_cap = nslots;
	} else
		memset(t->nets, 0, nslots * sizeof(*t->nets));
	if (t->n > t->of_cap) {
		if ((of = reallocarray(t->of, t->n, sizeof(*of))) == NULL)
			return -1;
		t->of = of;
		t->of_cap = t->n;
	}
	nets = t->nets;
	of = t->of;
	for (i = 0; i < t->n; i++) {
		g = &t->groups[i];
		h = net_hash(&g->key);
		for (j = h & mask; (nt = &nets[j])->hash != 0; j = (j + 1) & mask)
			if (nt->hash == h &&
			    same_net(&t->groups[nt->first].key, &g->key))
				break;
		if (nt->hash == 0) {
			nt->hash = h;
			nt->first = (uint32_t)i;
		}
		nt->n++;
		of[i] = (uint32_t)j;
	}
	/* Networks in the order first met: each one's first group says where. */
	for (i = 0, k = 0; i < t->n; i++) {
		nt = &nets[of[i]];
		if (nt->first == i) {
			nt->at = (uint32_t)k;
			k += nt->n;
		}
	}
	for (i = 0; i < t->n; i++) {
		g = &t->groups[i];
		nt = &nets[of[i]];
		k = nt->at++;
		r = &t->rows[k];
		if (nt->first == i) {
			memset(&net, 0, sizeof(net));
			net.family = g->key.family;
			memcpy(net.bytes, g->key.net, sizeof(net.bytes));
			/* Already truncated: formatting it truncates nothing more. */
			if (addr_prefix_format(&net, net.family == 4 ? t->bits4 :
			    t->bits6, r->prefix, sizeof(r->prefix)) != 0)
				return -1;
		} else
			/* The run's first row is written: it comes first in the run. */
			memcpy(r->prefix, t->rows[k - 1].prefix, sizeof(r->prefix));
		r->time = g->key.hour;
		r->family = g->key.family;
		r->kind = (enum addr_kind)g->key.kind;
		r->mapped = g->key.mapped != 0;
		r->server_family = g->key.server_family;
		r->host = g->key.host != 0 ? t->hosts[g->key.host - 1] : NULL;
		r->how = (enum how)g->key.how;
		r->via_proxy = false;
		r->node = t->node;
		t->counts[k] = g->count;
	}
	*rows = t->rows;
	*counts = t->counts;
	*n = t->n;
	return 0;
}
