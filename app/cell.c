/* cell.c: roll-up cells: their units of time, count codes, and the encoding of their two blobs. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "buf.h"
#include "cell.h"
#include "varint.h"

const int64_t	 cell_span[CELL_LEVELS] = {
	CELL_HOUR, CELL_DAY, 8 * CELL_DAY, 64 * CELL_DAY
};

int64_t
cell_start(int64_t t, int64_t span)
{
	int64_t	 r = t % span;

	/* C rounds toward zero: a time before the epoch belongs one unit down. */
	return r < 0 ? t - r - span : t - r;
}

int
cell_code(int kind, bool mapped, int server_family)
{
	int	 l = server_family == 4 ? 1 : server_family == 6 ? 2 : 0;

	if (kind < 0 || kind >= CELL_KINDS)
		kind = KIND__MAX;
	return (kind * 2 + (mapped ? 1 : 0)) * 3 + l;
}

int
cell_code_kind(int code)
{
	return code / 6;
}

bool
cell_code_mapped(int code)
{
	return (code / 3) % 2 != 0;
}

int
cell_code_server_family(int code)
{
	return code % 3 == 1 ? 4 : code % 3 == 2 ? 6 : 0;
}

void
cell_counts_putn(struct buf *b, const uint64_t *counts, size_t ncodes)
{
	size_t	 code;

	for (code = 0; code < ncodes; code++)
		if (counts[code] != 0) {
			varint_put(b, (uint64_t)code);
			varint_put(b, counts[code]);
		}
}

void
cell_counts_put(struct buf *b, const uint64_t counts[CELL_CODES])
{
	cell_counts_putn(b, counts, CELL_CODES);
}

uint64_t
cell_counts_addn(const void *blob, size_t len, uint64_t *counts, size_t ncodes)
{
	const unsigned char	*p = blob, *end;
	uint64_t		 c, n, t = 0;

	if (blob == NULL)
		return 0;
	end = p + len;
	while (varint_get(&p, end, &c) && varint_get(&p, end, &n)) {
		if (c < ncodes)
			counts[c] += n;
		t += n;
	}
	return t;
}

uint64_t
cell_counts_add(const void *blob, size_t len, uint64_t counts[CELL_CODES])
{
	return cell_counts_addn(blob, len, counts, CELL_CODES);
}

void
cell_counts_each(const void *blob, size_t len,
    void (*fn)(void *arg, uint64_t code, uint64_t n), void *arg)
{
	const unsigned char	*p = blob, *end;
	uint64_t		 c, n;

	if (blob == NULL)
		return;
	end = p + len;
	while (varint_get(&p, end, &c) && varint_get(&p, end, &n))
		fn(arg, c, n);
}

uint64_t
cell_counts_total(const void *blob, size_t len)
{
	const unsigned char	*p = blob, *end;
	uint64_t		 c, n, t = 0;

	if (blob == NULL)
		return 0;
	end = p + len;
	while (varint_get(&p, end, &c) && varint_get(&p, end, &n))
		t += n;
	return t;
}

/*
 * qsort is guarded by a count: C11 7.22.5p1 makes a NULL array undefined
 * even with no element to sort.
 */
static int
prefix_cmp(const void *a, const void *b)
{
	const struct cell_prefix	*x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * By id, a byte of it a pass (LSD radix), the bytes all ids share skipped:
 * an import writes cells of hundreds of prefixes a batch, and qsort with
 * its comparator call was most of their writing.  The order of equal ids
 * does not matter (they are summed).  false when out of memory.
 */
static bool
prefix_radix(struct cell_prefix *v, size_t n)
{
	struct cell_prefix	*tmp, *from = v, *to, *sw;
	size_t			 count[256], i, at, c;
	uint64_t		 lo, hi, span, k;
	unsigned		 shift;

	if ((tmp = malloc(n * sizeof(*tmp))) == NULL)
		return false;
	to = tmp;
	lo = hi = (uint64_t)v[0].id;
	for (i = 1; i < n; i++) {
		k = (uint64_t)v[i].id;
		/* Compared as signed ids are: the sign bit flipped. */
		if ((k ^ (1ULL << 63)) < (lo ^ (1ULL << 63)))
			lo = k;
		if ((k ^ (1ULL << 63)) > (hi ^ (1ULL << 63)))
			hi = k;
	}
	span = hi - lo;
	for (shift = 0; shift < 64 && (span >> shift) != 0; shift += 8) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[(((uint64_t)from[i].id - lo) >> shift) & 0xff]++;
		for (i = 0, at = 0; i < 256; i++) {
			c = count[i];
			count[i] = at;
			at += c;
		}
		for (i = 0; i < n; i++)
			to[count[(((uint64_t)from[i].id - lo) >> shift) & 0xff]++] =
			    from[i];
		sw = from;
		from = to;
		to = sw;
	}
	if (from != v)
		memcpy(v, from, n * sizeof(*v));
	free(tmp);
	return true;
}

void
cell_prefixes_put(struct buf *b, struct cell_prefix *v, size_t n)
{
	size_t		 i, j;
	uint64_t	 sum;
	int64_t		 last = 0;

	/* A few by qsort; many by radix, or by qsort when there is no memory for it. */
	if (n > 0 && (n < 64 || !prefix_radix(v, n)))
		qsort(v, n, sizeof(*v), prefix_cmp);
	for (i = 0; i < n; i = j) {
		for (sum = 0, j = i; j < n && v[j].id == v[i].id; j++)
			sum += v[j].n;
		varint_put(b, (uint64_t)(v[i].id - last));
		varint_put(b, sum);
		last = v[i].id;
	}
}

int
cell_prefixes_read(const void *blob, size_t len, struct cell_prefix **v,
    size_t *n, size_t *cap)
{
	const unsigned char	*p = blob, *end;
	struct cell_prefix	*nv;
	uint64_t		 d, k;
	int64_t			 id = 0;

	if (blob == NULL)
		return 0;
	end = p + len;
	while (varint_get(&p, end, &d) && varint_get(&p, end, &k)) {
		id += (int64_t)d;
		if (*n == *cap) {
			size_t	 c = *cap == 0 ? 16 : *cap * 2;

			if ((nv = reallocarray(*v, c, sizeof(*nv))) == NULL)
				return -1;
			*v = nv;
			*cap = c;
		}
		(*v)[*n].id = id;
		(*v)[(*n)++].n = k;
	}
	return 0;
}

void
cell_prefixes_add(const void *blob, size_t len, uint64_t *counts, size_t ncounts)
{
	const unsigned char	*p = blob, *end;
	uint64_t		 d, k;
	int64_t			 id = 0;

	if (blob == NULL)
		return;
	end = p + len;
	while (varint_get(&p, end, &d) && varint_get(&p, end, &k)) {
		id += (int64_t)d;
		if (id < 0 || (size_t)id >= ncounts)
			break;
		counts[id] += k;
	}
}

int
cell_series_code(int how, int family)
{
	if (how < 0 || how >= CELL_SERIES_HOWS)
		how = CELL_SERIES_HOWS - 1;
	return how * 2 + (family == 6);
}

int
cell_series_code_how(int code)
{
	return code / 2;
}

int
cell_series_code_family(int code)
{
	return code % 2 != 0 ? 6 : 4;
}
