/* stats.h: counters for /status, shared by every dualstat process on one database. */
#ifndef DUALSTAT_STATS_H
#define DUALSTAT_STATS_H

#include <stdbool.h>
#include <stdint.h>

#define STATS_ERR_MAX	256
#define STATS_SUFFIX	"-counters"	/* the file beside the database */

/*
 * A `dualstat ingest` process (ingest.h), one slot each, claimed by pid:
 * what /status and `dualstat status` show of it.  Written by its process
 * alone, read by anyone: each field on its own (relaxed atomics), so a
 * reader may see lines a moment ahead of rows.
 */
#define STATS_INGEST_SLOTS	8
#define STATS_SOURCE_MAX	112
struct stats_ingest {
	int32_t		 pid;		/* 0: free */
	int64_t		 started;
	uint64_t	 lines;		/* read */
	uint64_t	 rows;		/* requests committed */
	uint64_t	 skipped;	/* lines that are no request (logline.h's reasons) */
	uint64_t	 dropped;	/* requests lost: the backlog was full */
	uint64_t	 backlog;	/* requests waiting for the database now */
	int64_t		 last_line;	/* the newest line's own time */
	int64_t		 last_commit;	/* when rows last went in */
	char		 source[STATS_SOURCE_MAX];	/* "stdin" or the socket */
};

struct stats {
	/*
	 * Checked when a file is mapped: a file of another layout (an
	 * older or newer dualstat) is started afresh, not misread.
	 */
	char		 magic[16];
	uint32_t	 size;		/* sizeof(struct stats) */
	int64_t		 since;		/* when counting started */
	bool		 shared;	/* a file beside the database, not this process's memory */
	uint64_t	 requests;
	uint64_t	 record_failures;
	uint64_t	 bad_peers;	/* REMOTE_ADDR that was not an address */
	/*
	 * Readiness probes (probe.h), by probe (v6, v4, self): started,
	 * come back over the probe's family, come back over the other one
	 * (the probe host's name has a record of that family: misconfigured);
	 * completions with a token that was unknown, forged, expired or
	 * used already.
	 */
	uint64_t	 probe_started[3];
	uint64_t	 probe_reached[3];
	uint64_t	 probe_wrong[3];
	uint64_t	 probe_rejected;
	int64_t		 last_error_time;
	/*
	 * Which came last, a recorded row or a failure: both take a number
	 * from seq (seconds are too coarse to order them).
	 */
	uint64_t	 seq;
	uint64_t	 ok_seq;
	uint64_t	 failure_seq;
	char		 last_error[STATS_ERR_MAX];
	int		 lock;		/* guards last_error; see stats.c */
	struct stats_ingest ingest[STATS_INGEST_SLOTS];
};

/*
 * Counters in shared anonymous memory, so the workers forked after this
 * call all count into one place.  Never fails: falls back to a private
 * static block.  Not freed: it lives as long as the process.
 */
struct stats	*stats_create(void);
/*
 * The counters of every process that uses the database at path: the file
 * path STATS_SUFFIX (0600), mapped shared, so CGI processes, the FastCGI
 * processes a web server spawns and serve's workers add up, and `dualstat
 * status` reads them.  With create, a missing or foreign file is made
 * (its folder must exist); without, only a good existing file is mapped.
 * NULL when it cannot be had; the caller falls back to stats_create().
 */
struct stats	*stats_open(const char *database, bool create);
void		 stats_request(struct stats *);
void		 stats_bad_peer(struct stats *);
void		 stats_failure(struct stats *, int64_t now, const char *message);
void		 stats_recorded(struct stats *);
/* A probe (0 v6, 1 v4, 2 self: enum probe_kind) started; come back, fitting its family or not. */
void		 stats_probe_started(struct stats *, int probe);
void		 stats_probe_back(struct stats *, int probe, bool fits);
void		 stats_probe_rejected(struct stats *);
/* A consistent copy to render from. */
void		 stats_read(struct stats *, struct stats *copy);

/*
 * The slot of this process (ingest), source its name: a free one, or one
 * whose process is gone (a kill -9 never let go of it).  NULL when all
 * eight are taken.  Released with stats_ingest_release().
 */
struct stats_ingest	*stats_ingest_claim(struct stats *, const char *source);
void			 stats_ingest_release(struct stats_ingest *);	/* NULL ok */
/*
 * In a copy (stats_read): the slots of processes still running moved to
 * the front, the others cleared; how many there are.
 */
size_t			 stats_ingest_live(struct stats *copy);

#endif
