/* config.h: the dualstat.conf file: key = value lines, # comments. */
#ifndef DUALSTAT_CONFIG_H
#define DUALSTAT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"
#include "proxy.h"

struct config {
	char			*database;	/* path of the SQLite file, or a postgresql:// URI */
	unsigned		 ipv4_prefix;	/* 0..32, default 24 */
	unsigned		 ipv6_prefix;	/* 0..128, default 48 */
	struct cidr_list	 trusted_proxies;	/* default empty: trust nobody */
	enum proxy_header	 proxy_header;	/* default x-forwarded-for */
	struct cidr_list	 admin_allow;	/* default 127.0.0.0/8, ::1 */
	unsigned		 retention_days;	/* raw rows; 0 = keep; default 90 */
	unsigned		 busy_timeout_ms;	/* SQLite busy timeout; default 1000 */
	unsigned		 request_timeout_ms;	/* a FastCGI request arrives whole within; default 2000 */
	char			*site_name;	/* default "this site" */
	char			*static_url;	/* URL prefix of www/; default "/static" */
	char			*hosts;		/* " a.example b.example ": the Host names recorded
						   as such, others as "(other)"; NULL: any name */
	/* Readiness probes (issue 10: probe.h); NULL: that probe is not configured. */
	char			*probe_v6_url;	/* dualstat on a host name with only an AAAA record */
	char			*probe_v4_url;	/* the same with only an A record */
	unsigned		 probe_timeout;	/* seconds a probe may take; default 15 */
	unsigned		 probe_sample_ppm;	/* share of visits probed, per million; default all */
	char			*source;	/* file it came from, or NULL for built-in defaults */
	/* This server's name in the rows (row_node_valid); default: the host name. */
	char			*node;
};

/* Longest error config_load() writes: "FILE:LINE: message". */
#define CONFIG_ERR_MAX	512

/*
 * Built-in defaults (node: this machine's host name, made a valid node
 * name by config_node_of).  Always succeeds unless memory runs out (-1).
 */
int	 config_defaults(struct config *);

/*
 * Load path over the defaults.  When path is NULL the search order is
 * $DUALSTAT_CONF, then SYSCONFDIR/dualstat.conf; a missing *default* file
 * means the defaults, a missing named file is an error.  On error returns
 * -1 with "file:line: what" (or "file: why") in err; cfg then holds the
 * defaults and must still be freed.
 */
int	 config_load(struct config *, const char *path, char *err, size_t errsz);

/*
 * Parse the text of a configuration (name is used in messages) over what
 * cfg holds.  Returns 0, or -1 with "name:line: what" in err.
 */
int	 config_parse(struct config *, const char *name, const char *text,
	    size_t len, char *err, size_t errsz);

/*
 * The origin ("https://cdn.example:8443") of an absolute static_url, which
 * the Content-Security-Policy must allow stylesheets from; "" when
 * static_url is a path on this site, or its host an IPv6 address (a CSP
 * cannot name one: it works only as the site's own origin, 'self').
 * Returns -1 when static_url is not one config_load accepts.
 */
int	 config_static_origin(const char *static_url, char *out, size_t outsz);

/* Whether name (already lower case, no port) is in the hosts list. */
bool	 config_host_listed(const struct config *, const char *name);

/*
 * A host name as a node name (row.h): cut to ROW_NODE_MAX bytes, each
 * byte a node may not hold made '-'; "localhost" for an empty one.
 */
void	 config_node_of(const char *hostname, char *out, size_t outsz);

/* The name of the i-th key the parser knows; NULL past the last. */
const char	*config_key(size_t i);

/* The file config_load(NULL) would read. */
const char	*config_default_path(void);
void	 config_free(struct config *);

#endif
