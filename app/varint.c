/* varint.c: writing the integers of the roll-up blobs (reading is inline, in varint.h). */
#include "buf.h"
#include "varint.h"

size_t
varint_encode(uint64_t v, unsigned char out[VARINT_MAX])
{
	size_t	 n = 0;

	while (v >= 0x80) {
		out[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	out[n++] = (unsigned char)v;
	return n;
}

void
varint_put(struct buf *b, uint64_t v)
{
	unsigned char	 tmp[VARINT_MAX];

	buf_append(b, tmp, varint_encode(v, tmp));
}
