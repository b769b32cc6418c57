/* report.h: what a usage report holds, independent of its format. */
#ifndef DUALSTAT_REPORT_H
#define DUALSTAT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/* Which requests a report covers: [from, to) in seconds since the epoch, UTC. */
struct report_query {
	int64_t		 from;
	int64_t		 to;
	unsigned	 bucket;	/* series step in seconds: 3600 or 86400 */
	unsigned	 top;		/* how many busiest prefixes, default 10 */
};

struct report_kind {
	int		 family;
	enum addr_kind	 kind;
	bool		 mapped;
	uint64_t	 requests;
};

struct report_prefix {
	char		 prefix[ADDR_PREFIX_MAX];
	int		 family;
	enum addr_kind	 kind;
	uint64_t	 requests;
};

struct report_point {
	int64_t		 start;		/* bucket start, UTC */
	uint64_t	 ipv4;
	uint64_t	 ipv6;
};

struct report {
	struct report_query	 q;
	uint64_t		 total, ipv4, ipv6;
	struct report_kind	*kinds;		/* by family, then requests descending */
	size_t			 nkinds;
	uint64_t		 unique_ipv4, unique_ipv6;
	struct report_prefix	*prefixes;	/* busiest first, at most q.top */
	size_t			 nprefixes;
	struct report_point	*series;	/* every bucket in [from, to), zeros included */
	size_t			 nseries;
};

/* IPv6 share in 0..1; 0 when there were no requests. */
double	 report_share(uint64_t ipv4, uint64_t ipv6);
void	 report_free(struct report *);	/* frees the arrays, zeroes rep */

#endif
