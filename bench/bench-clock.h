/* bench-clock.h: the one clock the benchmark programs time with. */
#ifndef DUALSTAT_BENCH_CLOCK_H
#define DUALSTAT_BENCH_CLOCK_H

#include <time.h>

/* Seconds on the monotonic clock: differences only, immune to clock changes. */
static inline double
bench_seconds(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
