/* status.h: what the status page shows, gathered by app.c, rendered by page_status.c. */
#ifndef DUALSTAT_STATUS_H
#define DUALSTAT_STATUS_H

#include <stdbool.h>
#include <stdint.h>

#include "stats.h"
#include "store.h"

struct status {
	const char	*version;	/* PACKAGE_VERSION */
	const char	*fcgi_version;	/* libfcgi as far as it tells ("2.4.2") */
	const char	*sqlite_version;
	const char	*mode;		/* "fastcgi", "cgi", "serve", "cli" */
	int64_t		 now;
	int64_t		 uptime;	/* seconds */
	long		 pid;
	const char	*node;		/* this server's name in the rows (config `node`) */
	uint64_t	 requests;	/* handled since counters_since */
	const char	*database;	/* path */
	bool		 db_ok;		/* opened and a write transaction could start */
	struct store_info info;		/* valid when have_info */
	bool		 have_info;
	uint64_t	 record_failures;
	const char	*last_error;	/* "" when none */
	int64_t		 last_error_time;	/* 0 when none */
	uint64_t	 bad_peers;	/* unparseable REMOTE_ADDR seen */
	/*
	 * Whose the counters are: every process on the database (its
	 * counters file), or only this process (or its worker pool).
	 */
	bool		 counters_shared;
	int64_t		 counters_since;
	/*
	 * Readiness probes (probe.h): the URLs (NULL: not configured), the
	 * counters by probe (v6, v4, self), and what is wrong with them, in
	 * sentences (up to two; NULL when fewer).
	 */
	const char	*probe_url[2];
	uint64_t	 probe_started[3], probe_reached[3], probe_wrong[3];
	uint64_t	 probe_rejected;
	const char	*probe_warning[2];
	/* The viewer's own request: a dual-stack setup diagnostic.  NULL when from the CLI. */
	const char	*remote_addr;
	const char	*server_addr;
	bool		 via_proxy;
	const char	*client_prefix;	/* what would be stored for the viewer, or NULL */
	/* The `dualstat ingest` processes on this database (the counters file's). */
	const struct stats_ingest *ingest;
	size_t		 ningest;
};

#endif
