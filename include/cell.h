/* cell.h: a roll-up cell (its key, its levels of time) and the two varint blobs it holds: pure. */
#ifndef DUALSTAT_CELL_H
#define DUALSTAT_CELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

/*
 * A cell is one unit of time at one level (an hour, a day, 8 days or 64
 * days, aligned to the epoch), one family, one host and one way of
 * measuring.  It holds two blobs:
 *  - counts: (code, requests) pairs, codes ascending, no zero counts;
 *  - prefixes: (prefix id - the previous id, requests) pairs, ids
 *    ascending, each once (the first delta is from 0).
 * Every integer is a varint (varint.h).
 */
#define CELL_HOUR	3600
#define CELL_DAY	86400
#define CELL_LEVELS	4
extern const int64_t	 cell_span[CELL_LEVELS];	/* seconds of a unit, by level */

struct cell_key {
	int		 level;		/* 0 .. CELL_LEVELS - 1 */
	int64_t		 start;		/* a multiple of cell_span[level] */
	int		 family;	/* 4 or 6 */
	int64_t		 host;		/* a host id (store_backend.h) */
	int		 how;		/* an enum how */
};

/* The start of the unit of span seconds that holds t: floored, t < 0 too. */
int64_t		 cell_start(int64_t t, int64_t span);

/*
 * A count's code: (kind * 2 + mapped) * 3 + listener, the listener 0
 * (unknown), 1 (IPv4) or 2 (IPv6).  Room for kinds appended to addr.h; a
 * kind outside it counts as KIND__MAX.
 */
#define CELL_KINDS	32
#define CELL_CODES	(CELL_KINDS * 2 * 3)
int		 cell_code(int kind, bool mapped, int server_family);
int		 cell_code_kind(int code);
bool		 cell_code_mapped(int code);
int		 cell_code_server_family(int code);	/* 0, 4 or 6 */

/*
 * Series cells: what a report's series reads (aggregate.c), the cells of
 * one level, start and host summed over their families and ways: one cell
 * a host where the series would read one per family and way (a year's
 * daily series: 365 cells a host).  A series cell has the level
 * CELL_SERIES_LEVEL + the level of the cells it sums, so that a run of
 * them is one range of the table's key, apart from the others; family 0
 * and how 0.  A request series cell counts by cell_series_code (the way
 * and the family); a probe series cell by slot (probe_cell.h).  The
 * roll-up writes them beside the cells they sum; meta CELL_SERIES_META is
 * 1 once every cell has its series cell (a database made before them gets
 * them, summed from its cells, in its first write transaction: rollup.c),
 * and a report reads them only then.
 */
#define CELL_SERIES_LEVEL	16
#define CELL_SERIES_META	"series_cells"
#define CELL_SERIES_HOWS	16	/* room for ways; one past it counts as the last */
#define CELL_SERIES_CODES	(CELL_SERIES_HOWS * 2)
int		 cell_series_code(int how, int family);
int		 cell_series_code_how(int code);
int		 cell_series_code_family(int code);	/* 4 or 6 */

/* Append the counts blob of counts (zero counts left out). */
void		 cell_counts_put(struct buf *, const uint64_t counts[CELL_CODES]);
/*
 * Add a counts blob to counts (codes past CELL_CODES are not ours: not
 * added) and answer its total, every code's.  A blob cut short counts up
 * to its last whole pair.
 */
uint64_t	 cell_counts_add(const void *blob, size_t len,
		    uint64_t counts[CELL_CODES]);
uint64_t	 cell_counts_total(const void *blob, size_t len);
/*
 * The same for a table of ncodes codes of another scheme (a probe cell's,
 * probe_cell.h): the blob's format does not depend on what codes mean.
 */
void		 cell_counts_putn(struct buf *, const uint64_t *counts, size_t ncodes);
uint64_t	 cell_counts_addn(const void *blob, size_t len, uint64_t *counts,
		    size_t ncodes);
/* fn for each (code, count) pair of a counts blob, in order; a pair cut short ends it. */
void		 cell_counts_each(const void *blob, size_t len,
		    void (*fn)(void *arg, uint64_t code, uint64_t n), void *arg);

/* The requests of one prefix id in one cell. */
struct cell_prefix {
	int64_t		 id;
	uint64_t	 n;
};
/*
 * Append the prefixes blob of the n entries of v, in any order, an id
 * met more than once summed: v is sorted by id.
 */
void		 cell_prefixes_put(struct buf *, struct cell_prefix *v, size_t n);
/*
 * Append the entries of a prefixes blob to the list *v of *n entries
 * (room for *cap, grown as needed).  -1 when out of memory: *v then
 * holds what was read so far.
 */
int		 cell_prefixes_read(const void *blob, size_t len,
		    struct cell_prefix **v, size_t *n, size_t *cap);
/*
 * Add each entry of a prefixes blob to counts[id]; the first id past
 * ncounts ends it (ids ascend: the rest are not ours either).
 */
void		 cell_prefixes_add(const void *blob, size_t len, uint64_t *counts,
		    size_t ncounts);

#endif
