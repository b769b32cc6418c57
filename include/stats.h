/* stats.h: counters for /status, shared by every worker of one process tree. */
#ifndef DUALSTAT_STATS_H
#define DUALSTAT_STATS_H

#include <stdint.h>

#define STATS_ERR_MAX	256

struct stats {
	uint64_t	 requests;
	uint64_t	 record_failures;
	uint64_t	 bad_peers;	/* REMOTE_ADDR that was not an address */
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
};

/*
 * Counters in shared anonymous memory, so the workers forked after this
 * call all count into one place.  Never fails: falls back to a private
 * static block.  Not freed: it lives as long as the process.
 */
struct stats	*stats_create(void);
void		 stats_request(struct stats *);
void		 stats_bad_peer(struct stats *);
void		 stats_failure(struct stats *, int64_t now, const char *message);
void		 stats_recorded(struct stats *);
/* A consistent copy to render from. */
void		 stats_read(struct stats *, struct stats *copy);

#endif
