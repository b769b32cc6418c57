/* topk.c: the count a value must reach to be among the k largest, by a min-heap of k. */
#include <stdlib.h>

#include "topk.h"

/* Restore the min-heap h[0 .. n) below i. */
static void
sift_down(uint64_t *h, size_t n, size_t i)
{
	size_t		 c;
	uint64_t	 v;

	for (;;) {
		c = 2 * i + 1;
		if (c >= n)
			return;
		if (c + 1 < n && h[c + 1] < h[c])
			c++;
		if (h[i] <= h[c])
			return;
		v = h[i];
		h[i] = h[c];
		h[c] = v;
		i = c;
	}
}

static void
sift_up(uint64_t *h, size_t i)
{
	uint64_t	 v;

	while (i > 0 && h[(i - 1) / 2] > h[i]) {
		v = h[i];
		h[i] = h[(i - 1) / 2];
		h[(i - 1) / 2] = v;
		i = (i - 1) / 2;
	}
}

int
topk_floor(const uint64_t *v, size_t n, size_t k, uint64_t *least)
{
	uint64_t	*h;
	size_t		 i, nh = 0;

	*least = 0;
	if (k == 0)
		return 0;
	/* At most n are nonzero: with k > n every one is in, no heap needed. */
	if (k > n) {
		for (i = 0; i < n; i++)
			if (v[i] != 0) {
				*least = 1;
				break;
			}
		return 0;
	}
	if ((h = calloc(k, sizeof(*h))) == NULL)
		return -1;
	/* The k largest so far, the least of them on top. */
	for (i = 0; i < n; i++) {
		if (v[i] == 0)
			continue;
		if (nh < k) {
			h[nh] = v[i];
			sift_up(h, nh++);
		} else if (v[i] > h[0]) {
			h[0] = v[i];
			sift_down(h, nh, 0);
		}
	}
	*least = nh == 0 ? 0 : nh < k ? 1 : h[0];
	free(h);
	return 0;
}
