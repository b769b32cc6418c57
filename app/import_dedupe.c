/* import_dedupe.c: which lines of a log file were imported before: a content hash and the decision, line by line. */
#include <string.h>

#include "import_dedupe.h"

/* Odd 64-bit constants with well-spread bits (the golden ratio's and others). */
#define K1	0x9e3779b185ebca87ULL
#define K2	0xc2b2ae3d27d4eb4fULL
#define K3	0x165667b19e3779f9ULL
#define K4	0x85ebca77c2b2ae63ULL

static uint64_t
rotl(uint64_t x, unsigned r)
{

	return (x << r) | (x >> (64 - r));
}

static uint64_t
round64(uint64_t acc, uint64_t w)
{

	acc += w * K2;
	acc = rotl(acc, 31);
	return acc * K1;
}

static uint64_t
load64(const unsigned char *p)
{
	uint64_t	 w;

	/* Little-endian whatever the machine: the hashes are stored. */
	w = (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	    (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
	    (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
	return w;
}

void
content_hash_init(struct content_hash *h)
{

	memset(h, 0, sizeof(*h));
	h->a = K1 + K2;
	h->b = K2;
}

/* Two lanes, sixteen bytes a round: the lanes' multiplications overlap. */
static void
blocks(struct content_hash *h, const unsigned char *p, size_t n)
{
	uint64_t	 a = h->a, b = h->b;

	for (; n >= 16; p += 16, n -= 16) {
		a = round64(a, load64(p));
		b = round64(b, load64(p + 8));
	}
	h->a = a;
	h->b = b;
}

void
content_hash_add(struct content_hash *h, const void *data, size_t n)
{
	const unsigned char	*p = data;
	size_t			 k;

	h->len += n;
	if (h->ntail > 0) {
		k = 16 - h->ntail < n ? 16 - h->ntail : n;
		memcpy(h->tail + h->ntail, p, k);
		h->ntail += k;
		p += k;
		n -= k;
		if (h->ntail < 16)
			return;
		blocks(h, h->tail, 16);
		h->ntail = 0;
	}
	k = n & ~(size_t)15;
	blocks(h, p, k);
	memcpy(h->tail, p + k, n - k);
	h->ntail = n - k;
}

uint64_t
content_hash_value(const struct content_hash *h)
{
	uint64_t	 v;
	size_t		 i = 0;

	v = rotl(h->a, 1) + rotl(h->b, 12) + h->len * K3;
	for (; i + 8 <= h->ntail; i += 8) {
		v ^= round64(0, load64(h->tail + i));
		v = rotl(v, 27) * K1 + K4;
	}
	for (; i < h->ntail; i++) {
		v ^= (uint64_t)h->tail[i] * K3;
		v = rotl(v, 11) * K1;
	}
	/* Every bit of the state reaches every bit of the value. */
	v ^= v >> 33;
	v *= K2;
	v ^= v >> 29;
	v *= K3;
	v ^= v >> 32;
	return v;
}

void
content_hash_line(struct content_hash *h, const struct line *line)
{
	unsigned char	 cut[1 + 8];
	uint64_t	 len = line->len;
	size_t		 i;

	if (line->text != NULL) {
		content_hash_add(h, line->text, line->len);
		content_hash_add(h, "\n", 1);
		return;
	}
	/* Its bytes were never kept: a marker no text line holds, and its length. */
	cut[0] = 0xff;
	for (i = 0; i < 8; i++)
		cut[1 + i] = (unsigned char)(len >> (8 * i));
	content_hash_add(h, cut, sizeof(cut));
	content_hash_add(h, "\n", 1);
}

void
dedupe_init(struct dedupe *d)
{

	memset(d, 0, sizeof(*d));
	content_hash_init(&d->hash);
	d->matched = -1;
}

bool
dedupe_key(struct dedupe *d, const struct line *line)
{
	struct content_hash	 h;

	if (d->keyed)
		return false;
	/* Headers and blank lines are alike in many files. */
	if (line->text != NULL && (line->len == 0 || line->text[0] == '#'))
		return false;
	h = d->hash;
	content_hash_line(&h, line);
	d->key = content_hash_value(&h);
	d->keyed = true;
	return true;
}

void
dedupe_candidates(struct dedupe *d, const struct store_import *c, size_t n)
{
	size_t	 i;

	d->ncand = 0;
	for (i = 0; i < n && d->ncand < STORE_IMPORTS_MAX; i++)
		if (c[i].first_line == d->key)
			d->cand[d->ncand++] = c[i];
}

/*
 * At a line's start, the candidates still possible; the one whose offset
 * is here and whose hash matches becomes the match.
 */
static void
weigh(struct dedupe *d)
{
	uint64_t	 h;
	size_t		 i, k;

	if (d->matched >= 0 || d->ncand == 0)
		return;
	h = content_hash_value(&d->hash);
	for (i = k = 0; i < d->ncand; i++) {
		if (d->cand[i].offset < d->offset)
			continue;	/* its offset fell inside a line: another file */
		if (d->cand[i].offset == d->offset) {
			if (d->cand[i].prefix_hash != h)
				continue;
			d->cand[k] = d->cand[i];
			d->matched = (int)k;
			d->ncand = k + 1;
			return;
		}
		d->cand[k++] = d->cand[i];
	}
	d->ncand = k;
}

enum dedupe_verdict
dedupe_line(struct dedupe *d, const struct line *line)
{
	enum dedupe_verdict	 v;

	weigh(d);
	if (d->matched >= 0)
		v = DEDUPE_IMPORT;
	else if (d->ncand > 0) {
		v = DEDUPE_SKIP;
		d->skipped = true;
	} else
		v = d->skipped ? DEDUPE_RESTART : DEDUPE_IMPORT;
	content_hash_line(&d->hash, line);
	d->offset = line->offset + line->len + 1;
	d->lines++;
	return v;
}

enum dedupe_verdict
dedupe_end(struct dedupe *d)
{

	weigh(d);
	if (d->matched >= 0)
		return DEDUPE_DONE;
	if (d->ncand > 0)
		return DEDUPE_EARLIER;
	return d->skipped ? DEDUPE_RESTART : DEDUPE_DONE;
}

const struct store_import *
dedupe_match(const struct dedupe *d)
{

	return d->matched >= 0 ? &d->cand[d->matched] : NULL;
}
