/* varint.h: the integers of the roll-up blobs, 1 to 10 bytes each (unsigned LEB128): pure. */
#ifndef DUALSTAT_VARINT_H
#define DUALSTAT_VARINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

/*
 * 7 bits a byte, the lowest first; every byte but the last has its top
 * bit set.  0..127 take one byte, UINT64_MAX ten.
 */
#define VARINT_MAX	10

/* Write v into out; the bytes written. */
size_t	 varint_encode(uint64_t v, unsigned char out[VARINT_MAX]);
/* Append v to b (a failed allocation sticks in b, see buf.h). */
void	 varint_put(struct buf *b, uint64_t v);

/*
 * Decode the varint at *p, reading nothing at or past end: true, *v and
 * *p moved past it; false when the input ends inside it or it does not
 * fit 64 bits (more than 10 bytes, or a 10th byte over 1), *p then
 * anywhere up to end.  Inline: a year's report decodes millions.
 */
static inline bool
varint_get(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	uint64_t	 x = 0;
	unsigned	 shift;
	unsigned char	 c;

	for (shift = 0; *p < end; shift += 7) {
		c = *(*p)++;
		/* The 10th byte holds bit 63 alone, and ends the varint. */
		if (shift == 63 && c > 1)
			return false;
		x |= (uint64_t)(c & 0x7f) << shift;
		if ((c & 0x80) == 0) {
			*v = x;
			return true;
		}
	}
	return false;
}

#endif
