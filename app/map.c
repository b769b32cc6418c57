/* map.c: one hash map from byte strings to integers: roll-up cells, prefix and host ids. */
#include <stdlib.h>
#include <string.h>

#include "map.h"

/*
 * An entry lives in its slot: a lookup that hits reads the slot (its hash,
 * key pointer and value together) and the key, two places in memory, not
 * an index, then an entry, then the key (three misses a lookup, which an
 * import that numbers tens of thousands of networks paid per row).
 */
struct map_entry {
	uint64_t		 hash;
	const unsigned char	*key;		/* NULL: a free slot */
	size_t			 len;
	int64_t			 value;
};

/* Keys live in chunks that never move, so entries may point into them. */
struct map_chunk {
	struct map_chunk	*next;
	size_t			 used, size;
	unsigned char		 data[];
};

#define MAP_SLOTS_MIN	64
#define MAP_CHUNK	16384

static uint64_t
mix(uint64_t h)
{

	/* MurmurHash3's finalizer: every input bit reaches every output bit. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

uint64_t
map_hash(const void *key, size_t len)
{
	const unsigned char	*p = key;
	uint64_t		 h = 0x9e3779b97f4a7c15ULL ^ len, w;

	/* Eight bytes at a time; memcpy is one load, at any alignment. */
	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x9fb21c651e98df25ULL;
		h ^= h >> 31;
	}
	if (len > 0) {
		w = 0;
		memcpy(&w, p, len);
		h = (h ^ w) * 0x9fb21c651e98df25ULL;
	}
	return mix(h);
}

/* The slot of key: where it is (*hit), or the free slot it would take. */
static size_t
slot_of(const struct map *m, const void *key, size_t len, uint64_t h, bool *hit)
{
	const struct map_entry	*e;
	size_t			 j, mask = m->nslots - 1;

	for (j = (size_t)h & mask; (e = &m->slots[j])->key != NULL;
	    j = (j + 1) & mask) {
		if (e->hash == h && e->len == len &&
		    (len == 0 || memcmp(e->key, key, len) == 0)) {
			*hit = true;
			return j;
		}
	}
	*hit = false;
	return j;
}

int64_t *
map_get(const struct map *m, const void *key, size_t len)
{
	size_t	 j;
	bool	 hit;

	if (m->n == 0)
		return NULL;
	j = slot_of(m, key, len, map_hash(key, len), &hit);
	return hit ? &m->slots[j].value : NULL;
}

/* Twice the slots, every entry filed again by its hash. */
static int
grow_slots(struct map *m)
{
	struct map_entry	*slots;
	size_t			 i, j, nslots = m->nslots == 0 ? MAP_SLOTS_MIN :
				    m->nslots * 2;

	if ((slots = calloc(nslots, sizeof(*slots))) == NULL)
		return -1;
	for (i = 0; i < m->nslots; i++) {
		if (m->slots[i].key == NULL)
			continue;
		for (j = (size_t)m->slots[i].hash & (nslots - 1);
		    slots[j].key != NULL; j = (j + 1) & (nslots - 1))
			;
		slots[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = slots;
	m->nslots = nslots;
	return 0;
}

/*
 * A copy of key that stays where it is; NULL when out of memory.  Never
 * NULL otherwise, for the empty key too: a key pointer marks a slot in use.
 */
static const unsigned char *
key_copy(struct map *m, const void *key, size_t len)
{
	struct map_chunk	*c = m->chunks;
	size_t			 size;

	if (c == NULL || c->size - c->used < len) {
		size = len > MAP_CHUNK ? len : MAP_CHUNK;
		if ((c = malloc(sizeof(*c) + size)) == NULL)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = m->chunks;
		m->chunks = c;
	}
	if (len > 0)
		memcpy(c->data + c->used, key, len);
	c->used += len;
	return c->data + c->used - len;
}

int64_t *
map_put(struct map *m, const void *key, size_t len, bool *added)
{
	struct map_entry	*e;
	const unsigned char	*copy;
	uint64_t		 h = map_hash(key, len);
	size_t			 j;
	bool			 hit;

	*added = false;
	if (m->nslots > 0) {
		j = slot_of(m, key, len, h, &hit);
		if (hit)
			return &m->slots[j].value;
	}
	/* Everything that may fail first, so a failure changes nothing. */
	if ((m->n + 1) * 2 > m->nslots && grow_slots(m) == -1)
		return NULL;
	if ((copy = key_copy(m, key, len)) == NULL)
		return NULL;
	j = slot_of(m, key, len, h, &hit);
	e = &m->slots[j];
	e->hash = h;
	e->key = copy;
	e->len = len;
	e->value = 0;
	m->n++;
	*added = true;
	return &e->value;
}

size_t
map_count(const struct map *m)
{
	return m->n;
}

void
map_free(struct map *m)
{
	struct map_chunk	*c, *next;

	for (c = m->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
