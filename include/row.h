/* row.h: one measured request as it is recorded, and the ways of measuring: the domain every module shares. */
#ifndef DUALSTAT_ROW_H
#define DUALSTAT_ROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/* How a request was measured. */
enum how {
	HOW_PAGE,		/* "page": the landing page */
	HOW_BEACON,		/* "beacon": beacon.gif or /beacon */
	HOW_AUTHORIZER,		/* "authorizer": the FastCGI Authorizer role */
	HOW_RECORD,		/* "record": /record, for nginx auth_request */
	HOW_LOG,		/* "log": the web server's access log (dualstat import, ingest) */
	HOW__MAX
};

/* The name the database, ?how= and the JSON spell: "beacon"; "unknown" when out of range. */
const char	*how_name(enum how);
enum how	 how_from_name(const char *);	/* HOW__MAX if none (NULL too) */

#define ROW_HOST_MAX	255	/* bytes of a host a row keeps */
#define ROW_NODE_MAX	64	/* bytes of a node's name (config key node) */

/*
 * One measured request.  prefix is the truncated network, never the full
 * address ("2001:db8:1::/48").
 */
struct row {
	int64_t		 time;		/* seconds since the epoch, UTC */
	int		 family;	/* 4 or 6 */
	enum addr_kind	 kind;
	char		 prefix[ADDR_PREFIX_MAX];
	bool		 mapped;
	int		 server_family;	/* 4, 6, or 0 when SERVER_ADDR was unusable */
	const char	*host;		/* may be NULL; cut to ROW_HOST_MAX bytes (row_host_len) */
	enum how	 how;
	bool		 via_proxy;	/* a proxy header decided the client */
	/*
	 * The dualstat that recorded it (config key node, row_node_valid),
	 * so a fleet's report tells its servers apart; NULL or "": not
	 * known (rows from before schema 5).
	 */
	const char	*node;
};

/*
 * Whether row may be written: family 4 or 6, a known kind and way, a
 * server family of 0, 4 or 6, and a prefix that is a network ("net/bits",
 * NUL-terminated), never an address, and a node that is NULL, "" or
 * valid.  NULL when it may; otherwise why not,
 * in a few words ("family is not 4 or 6").
 */
const char	*row_invalid(const struct row *);

/*
 * Bytes of host a row keeps: at most ROW_HOST_MAX, cut before a UTF-8
 * sequence that would not fit whole.
 */
size_t		 row_host_len(const char *host);

/*
 * Whether name can name a node: 1..ROW_NODE_MAX bytes of ASCII letters,
 * digits, '.', '-' and '_' (what host names, container ids and pod names
 * are made of), so that a node is the same text in the database, a URL,
 * a CSV field and a log line.
 */
bool		 row_node_valid(const char *name);

#endif
