/* readiness.h: "if this site were IPv6-only, about X % of its visitors could reach it": the estimate (pure). */
#ifndef DUALSTAT_READINESS_H
#define DUALSTAT_READINESS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * What probes of one kind say.  Some clients follow no image redirect at
 * all (bots, image blockers, prefetchers that drop redirects): the
 * control probe, which redirects to this same site, counts how many do.
 * Among those who do, the share that reached the probe host is
 *
 *	share = (reached / started) / (ctl_reached / ctl_started), at most 1,
 *
 * so a client that follows no redirect is not counted as lacking IPv6.
 * The 95 % interval is Katz's log interval for a ratio of two independent
 * proportions, with the Haldane–Anscombe correction (0.5 added to every
 * cell) so that none reached, or all, still gives a finite interval.
 */
struct readiness {
	bool		 ok;		/* false: nothing to rest on (no probe, no control that came back) */
	double		 share;		/* 0..1 */
	double		 low, high;	/* the 95 % interval, within 0..1, low <= share <= high */
	uint64_t	 probes;	/* the starts it rests on: probe and control together */
};

void	 readiness_estimate(uint64_t started, uint64_t reached, uint64_t ctl_started,
	    uint64_t ctl_reached, struct readiness *out);

#endif
