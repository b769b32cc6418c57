/* topk.h: the busiest of a list of counts, ties at the edge included: pure. */
#ifndef DUALSTAT_TOPK_H
#define DUALSTAT_TOPK_H

#include <stddef.h>
#include <stdint.h>

/*
 * The least value among the k largest nonzero values of v[0 .. n): every
 * index whose value is at least *least is one of the k largest or tied
 * with the last of them, so a caller that orders ties by something else
 * (the prefix's text) sees every one it must order.  *least is 1 when v
 * holds fewer than k nonzero values (each of them is in), and 0 when k
 * is 0 or v holds none (nothing is).  0, or -1 when out of memory.
 * O(n log k).
 */
int	 topk_floor(const uint64_t *v, size_t n, size_t k, uint64_t *least);

#endif
