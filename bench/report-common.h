/* report-common.h: what the report benchmark's programs agree on. */
#ifndef DUALSTAT_REPORT_COMMON_H
#define DUALSTAT_REPORT_COMMON_H

/* The generated data ends here: 2025-01-01T00:00:00Z, a UTC midnight. */
#define BENCH_END	((int64_t)1735689600)
#define BENCH_DAYS_MAX	3660

#endif
