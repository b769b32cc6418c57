/* report.h: what a usage report holds, independent of its format. */
#ifndef DUALSTAT_REPORT_H
#define DUALSTAT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "probe.h"
#include "row.h"

#define REPORT_HOST_MAX	ROW_HOST_MAX	/* a filter's host is as long as a row's */

/*
 * The tables of a report.  CSV is one table, so a CSV holds one of them
 * (?table=NAME); HTML, JSON and text hold them all.
 */
enum report_table {
	TABLE_SERIES,		/* requests per bucket: the CSV's default */
	TABLE_KINDS,		/* by family, kind and mapped */
	TABLE_PREFIXES,		/* the busiest prefixes per family */
	TABLE_UNIQUE,		/* unique prefixes per family */
	TABLE_HOSTS,
	TABLE_LISTENERS,
	TABLE_HOWS,		/* by way of measuring */
	TABLE_SUMMARY,		/* period, filters, totals, previous period */
	/* Readiness probes (issue 10). */
	TABLE_READINESS,	/* per probe: started, reached, wrong family; the estimates */
	TABLE_READINESS_ARRIVAL,	/* by the family and kind the visit came over */
	TABLE_READINESS_BACK,	/* how the probes came back: family and kind */
	TABLE_READINESS_LOST,	/* the networks the IPv6-only host did not see */
	TABLE_READINESS_SERIES,	/* per bucket */
	TABLE_NODES,		/* by server (config key node): a fleet's shares */
	TABLE__MAX
};

/*
 * Which requests a report covers: [from, to) in seconds since the epoch,
 * UTC, optionally only one host, one node and one way of measuring.
 */
struct report_query {
	int64_t		 from;
	int64_t		 to;
	unsigned	 bucket;	/* series step in seconds: 3600 or 86400 */
	unsigned	 top;		/* busiest prefixes per family, and hosts; default 10 */
	char		 host[REPORT_HOST_MAX + 1];	/* "" = every host */
	char		 node[ROW_NODE_MAX + 1];	/* "" = every node; else row_node_valid */
	int		 how;		/* an enum how (row.h), or -1 = every way */
	/*
	 * The preset the period was asked for (days=N), 0 for a from/to
	 * range: the page marks a preset current and links it again by
	 * this, not by the length, which a custom range can share.
	 */
	unsigned	 days;
	enum report_table table;	/* what a CSV holds; the store ignores it */
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

/* Requests per Host header (the busiest first; "" for requests without one). */
struct report_host {
	char		 host[REPORT_HOST_MAX + 1];
	uint64_t	 ipv4;
	uint64_t	 ipv6;
};

/*
 * Requests per server (the node that recorded them, the busiest first;
 * "" for rows recorded before schema 5, which no node is known of).
 */
struct report_node {
	char		 node[ROW_NODE_MAX + 1];
	uint64_t	 ipv4;
	uint64_t	 ipv6;
};

/* Requests per listener family: which socket took them (0 = unknown). */
struct report_listener {
	int		 server_family;
	uint64_t	 ipv4;
	uint64_t	 ipv6;
};

/* Requests per way of measuring (an enum how, row.h). */
struct report_how {
	int		 how;
	uint64_t	 requests;
};

struct report_point {
	int64_t		 start;		/* bucket start, UTC */
	uint64_t	 ipv4;
	uint64_t	 ipv6;
};

/*
 * ---- Readiness probes (issue 10: probe.h, readiness.h) ----
 * Probes are not requests: they are in no figure above, and the how
 * filter does not apply to them (the host filter does: the host of the
 * visit that started them).  A probe counts once it has resolved.
 */
struct report_probe {
	uint64_t	 started;
	uint64_t	 reached;	/* came back over the probe's family */
	uint64_t	 wrong;		/* came back over the other: not reached (misconfigured) */
};

/* Probes by how the visit that started them came (IPv4-mapped as IPv4). */
struct report_arrival {
	int		 family;
	enum addr_kind	 kind;
	enum probe_kind	 probe;
	uint64_t	 started, reached;
};

/* How probes came back: the family and kind of address they reached the host from. */
struct report_back {
	enum probe_kind	 probe;
	int		 family;	/* the probe's own (reached) or the other (wrong family) */
	enum addr_kind	 kind;
	uint64_t	 n;
};

/* A network of visits whose IPv6-only probe did not come back. */
struct report_lost {
	char		 prefix[ADDR_PREFIX_MAX];
	int		 family;
	enum addr_kind	 kind;
	uint64_t	 not_reached;	/* v6 probes of its visits that did not come back */
};

struct report_probe_point {
	int64_t			 start;
	struct report_probe	 probe[PROBE__MAX];
};

struct report_readiness {
	struct report_probe	 probe[PROBE__MAX];
	struct report_arrival	*arrivals;	/* by family, then kind, then probe */
	size_t			 narrivals;
	struct report_back	*backs;		/* by probe, then family, then kind */
	size_t			 nbacks;
	struct report_lost	*lost;		/* most not reached first, at most q.top */
	size_t			 nlost;
	struct report_probe_point *series;	/* the buckets of series, zeros included */
	size_t			 nseries;
};

struct report {
	struct report_query	 q;
	uint64_t		 total, ipv4, ipv6;
	/* The period of the same length just before [from, to), same filters. */
	uint64_t		 prev_ipv4, prev_ipv6;
	struct report_kind	*kinds;		/* by family, then requests descending */
	size_t			 nkinds;
	uint64_t		 unique_ipv4, unique_ipv6;
	struct report_prefix	*prefixes;	/* busiest first: at most q.top per family */
	size_t			 nprefixes;
	struct report_host	*hosts;		/* busiest first, at most q.top */
	size_t			 nhosts;
	struct report_node	*nodes;		/* busiest first, at most q.top */
	size_t			 nnodes;
	struct report_listener	*listeners;	/* by server_family */
	size_t			 nlisteners;
	struct report_how	*hows;		/* by how */
	size_t			 nhows;
	struct report_point	*series;	/* every bucket in [from, to), zeros included */
	size_t			 nseries;
	struct report_readiness	 readiness;
};

/* A table's name as ?table= and the CSV links spell it; "" when out of range. */
const char	*report_table_name(enum report_table);

/* IPv6 share in 0..1; 0 when there were no requests. */
double	 report_share(uint64_t ipv4, uint64_t ipv6);
void	 report_free(struct report *);	/* frees the arrays, zeroes rep */

#endif
