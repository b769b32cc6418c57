/* map.h: a hash map from byte strings to 64-bit integers, for the roll-up's and the report's lookups: pure. */
#ifndef DUALSTAT_MAP_H
#define DUALSTAT_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A map starts zeroed (struct map m = {0}) and is released with
 * map_free().  Keys are any bytes (NULs and the empty key too), copied
 * into the map; open addressing with linear probing, at most half full.
 */
struct map_entry;
struct map_chunk;
struct map {
	struct map_entry	*slots;		/* the entries, where they hash */
	size_t			 n;
	size_t			 nslots;	/* 0 or a power of two */
	struct map_chunk	*chunks;	/* the copied keys */
};

/*
 * The value of key: a pointer into the map, valid until the next
 * map_put() or map_free(); NULL when key is not in it.
 */
int64_t		*map_get(const struct map *, const void *key, size_t len);

/*
 * The value of key, put with the value 0 (and *added true) when it was
 * not in the map.  NULL when out of memory: the map is as it was.
 * Valid as map_get's.
 */
int64_t		*map_put(struct map *, const void *key, size_t len, bool *added);

size_t		 map_count(const struct map *);
void		 map_free(struct map *);	/* zeroes it: empty again */

/* The hash the map files key under (64 bits; the low ones pick a slot). */
uint64_t	 map_hash(const void *key, size_t len);

#endif
