/* logrow.h: a parsed access-log line into the request dualstat records of it, as live recording would (pure). */
#ifndef DUALSTAT_LOGROW_H
#define DUALSTAT_LOGROW_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"
#include "config.h"
#include "host.h"
#include "logline.h"

/*
 * What request.c decides of a live request, decided of a log line:
 *  - the client: the line's peer, or, when the peer is in trusted_proxies
 *    and the line has a forwarded-for field (X-Forwarded-For syntax), the
 *    client proxy_resolve() finds there, as live with the proxy header
 *    (unless proxy_header = none, which never reads one);
 *  - the listener's family: the peer's, which is that of the socket it
 *    connected to (both ends of a connection have one family; a v4-mapped
 *    peer on a dual-stack socket is IPv4 there, as SERVER_ADDR is);
 *  - the host: the line's own (host_normalize, "(other)" when not in the
 *    hosts list), else the default (import --host), else none.
 */
struct logrow {
	struct addr	 client;	/* the whole address: for tally_add only, never kept */
	int		 server_family;	/* 4 or 6 */
	bool		 via_proxy;
	const char	*host;		/* host_key, the default, or NULL */
	char		 host_key[HOST_KEY_MAX + 1];
};

/* cfg may be NULL (no proxies, any host); default_host a key from logrow_host() or NULL. */
void	 logrow_make(const struct logline *, const struct config *cfg,
	    const char *default_host, struct logrow *out);

/*
 * --host NAME as the key rows get: host_normalize'd, "(other)" when the
 * hosts list leaves it out.  Returns 0, or -1 when NAME is no host name.
 */
int	 logrow_host(const struct config *cfg, const char *name, char *out,
	    size_t outsz);

#endif
