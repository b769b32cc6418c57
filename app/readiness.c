/* readiness.c: "if this site were IPv6-only, about X % of its visitors could reach it": the estimate (pure). */
#include <math.h>
#include <string.h>

#include "readiness.h"

#define Z95	1.959963984540054	/* the normal quantile of 0.975 */

void
readiness_estimate(uint64_t started, uint64_t reached, uint64_t ctl_started,
    uint64_t ctl_reached, struct readiness *out)
{
	double	 r1, n1, r2, n2, lr, se;

	memset(out, 0, sizeof(*out));
	/* More reached than started cannot be: count it as all. */
	if (reached > started)
		reached = started;
	if (ctl_reached > ctl_started)
		ctl_reached = ctl_started;
	out->probes = started + ctl_started;
	if (started == 0 || ctl_started == 0 || ctl_reached == 0)
		return;
	out->ok = true;
	out->share = ((double)reached / (double)started) /
	    ((double)ctl_reached / (double)ctl_started);
	if (out->share > 1)
		out->share = 1;
	r1 = (double)reached + 0.5;
	n1 = (double)started + 1;
	r2 = (double)ctl_reached + 0.5;
	n2 = (double)ctl_started + 1;
	lr = log((r1 / n1) / (r2 / n2));
	se = sqrt(1 / r1 - 1 / n1 + 1 / r2 - 1 / n2);
	out->low = exp(lr - Z95 * se);
	out->high = exp(lr + Z95 * se);
	if (out->high > 1)
		out->high = 1;
	if (out->low > out->share)
		out->low = out->share;
	if (out->high < out->share)
		out->high = out->share;
	if (out->low < 0)
		out->low = 0;
}
