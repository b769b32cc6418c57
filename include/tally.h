/* tally.h: requests summed in memory by what a roll-up cell tells apart, before a batch of log lines is written: pure. */
#ifndef DUALSTAT_TALLY_H
#define DUALSTAT_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "row.h"

/*
 * dualstat import and ingest count millions of requests and write a few
 * thousand groups: one per hour, family, kind, mapped, listener, way of
 * measuring, host and network.  That is all a roll-up cell keeps
 * (cell.h), so the groups go to store_add_counted() as rows with counts
 * and the report is what the same raw rows would have made.  Only the
 * truncated network is kept: the full address never leaves tally_add().
 */
struct tally;

/* ipv4_bits and ipv6_bits: the prefix lengths kept (ipv4_prefix, ipv6_prefix). NULL out of memory. */
struct tally	*tally_new(unsigned ipv4_bits, unsigned ipv6_bits);
void		 tally_free(struct tally *);	/* NULL ok */
/*
 * The node (row.h) every row of the tally is from: the dualstat that
 * reads the log (config key node).  The caller keeps it; NULL: none.
 */
void		 tally_node(struct tally *, const char *node);

/*
 * Count one request at time t (UTC seconds) from client, classified as
 * live recording classifies it (addr_classify of the whole address),
 * that came in on a listener of server_family (0, 4 or 6), measured
 * how, for host (a host key, host.h; NULL: none; cut as rows are,
 * row_host_len).  Returns 0, or -1 when out of memory (not counted).
 */
int		 tally_add(struct tally *, int64_t t, const struct addr *client,
		    int server_family, enum how how, const char *host);

uint64_t	 tally_requests(const struct tally *);	/* counted since the last clear */
size_t		 tally_groups(const struct tally *);

/*
 * The groups as rows (time: the start of the hour; prefix: the network
 * as addr_prefix_format writes it) and how many requests each holds: n
 * entries, valid until the next tally_add(), tally_clear() or
 * tally_free().  The rows of one network (family, kind, prefix) come
 * together, networks in the order first met, and within one the order
 * first met.  Returns 0, or -1 when out of memory.
 */
int		 tally_rows(struct tally *, const struct row **rows,
		    const uint64_t **counts, size_t *n);

/* Empty again (memory kept for the next batch). */
void		 tally_clear(struct tally *);

#endif
