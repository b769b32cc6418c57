/* aggregate.h: the report and the landing page's count, summed from cells and the raw rows above the watermark; no SQL. */
#ifndef DUALSTAT_AGGREGATE_H
#define DUALSTAT_AGGREGATE_H

#include <stdint.h>

#include "report.h"
#include "store.h"

/*
 * store_report(): a period [from, to) of whole hours read as at most two
 * runs of cells per level up to the last closed day, hours after it, and
 * the raw rows above the watermark (recorded since the last upkeep; all
 * of them for a read-only handle), in one read transaction: exact at any
 * time, for every filter.  A writable handle rolls up first.
 */
enum store_err	 aggregate_report(struct store *, const struct report_query *,
		    struct report *);

/* store_count(): hour cells and the raw rows above the watermark (store.h). */
enum store_err	 aggregate_count(struct store *, int64_t from, int64_t to,
		    uint64_t *ipv4, uint64_t *ipv6);

#endif
