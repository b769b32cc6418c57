/* ingest.h: dualstat ingest: a web server's log as it is written (a pipe, or syslog datagrams) into the store, in batches. */
#ifndef DUALSTAT_INGEST_H
#define DUALSTAT_INGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "logline.h"
#include "stats.h"

/*
 * The lines come on standard input (Apache's CustomLog "||...", lighttpd's
 * accesslog.filename = "|..."), or one per datagram on a Unix datagram
 * socket (nginx's access_log syslog:server=unix:PATH, the header taken
 * off by syslog_line.h) or a loopback UDP one (syslog:server=127.0.0.1:PORT;
 * the same datagrams, read by the same loop), each parsed as import parses it (logline.h,
 * logrow.h, how = log) and counted into a tally (tally.h).  The tally goes to the roll-up cells in one transaction
 * (store_add_counted) INGEST_BATCH_MS after its first request, or sooner
 * when it holds INGEST_BATCH_GROUPS groups.
 *
 * The web server never waits for the database: a commit waits at most
 * INGEST_BUSY_MS for a lock, and while the database cannot take the rows
 * (locked, read-only, full, missing) they stay in the tally, the backlog,
 * and are tried again every INGEST_RETRY_MS.  The backlog is bounded by
 * its groups (one per hour, network, family... as a cell counts): at
 * INGEST_BACKLOG_GROUPS, lines are still read and their requests dropped,
 * and counted, until a commit empties it.  What a web server writes while
 * a commit runs waits in the pipe (made INGEST_PIPE_BYTES big) or the
 * socket's buffer.
 *
 * End of input, SIGTERM and SIGINT commit what is in memory, then return
 * (on a signal, after reading what is already in the pipe or socket:
 * Apache stops its old piped logger so on a graceful restart).
 * A kill -9 loses what was in memory: the requests read since the last
 * commit (at most INGEST_BATCH_MS of them while the database takes rows;
 * the backlog while it does not), and the lines not yet read from the pipe
 * or socket.  Never more: a commit is one transaction, whole or not at all.
 * Nothing is counted twice: each process commits only what it read.
 */
#define INGEST_BATCH_MS		1000
#define INGEST_BATCH_GROUPS	16384
#define INGEST_BACKLOG_GROUPS	65536
#define INGEST_BUSY_MS		50
#define INGEST_RETRY_MS		1000
#define INGEST_PIPE_BYTES	(1024 * 1024)
#define INGEST_DGRAM_MAX	(16 * 1024)	/* a datagram (and so a line) at most: longer is skipped */
#define INGEST_DGRAMS_AT_ONCE	64		/* datagrams per system call */
#define INGEST_QLEN_ADVISED	4096		/* net.unix.max_dgram_qlen below this is warned of */

struct ingest_opts {
	const struct config	*cfg;		/* database, trusted proxies, prefixes, hosts */
	enum logline_format	 format;	/* LOGLINE_FORMAT__MAX: auto, from the first lines */
	const char		*host;		/* the key for lines without a host (logrow_host), or NULL */
	const char		*listen;	/* "unixgram:PATH", "udp:ADDR:PORT" (loopback), or NULL: standard input */
	const char		*follow;	/* a log file read as it grows (follow.h), or NULL */
	unsigned		 batch_ms;	/* 0: INGEST_BATCH_MS */
	size_t			 backlog_groups; /* 0: INGEST_BACKLOG_GROUPS */
	int			 rcvbuf;	/* UDP: 0 as big as may be; else this, as a user's SO_RCVBUF (the bench) */
};

/*
 * Run until the end of input or a signal.  The process's counters are in
 * a slot of stats (stats.h: /status and dualstat status show them).
 * Returns 0, or -1 with a line in err: the socket could not be made, or
 * input could not be read; what was read before is committed if the
 * database takes it.
 */
int	 ingest_run(const struct ingest_opts *, struct stats *, char *err, size_t errsz);

#endif
