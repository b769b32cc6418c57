/* fuzz_linereader.c: libFuzzer target for the line reader: plain and gzip input, cut lines, peeking, offsets. */
#include <sys/mman.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linereader.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * The input is the file (gzip when the fuzzer finds the magic bytes; the
 * seeds have some).  A small line limit reaches the cut paths with short
 * inputs.  For plain input every line must be the bytes at its offset.
 */
#define MAX_LINE	40

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct line_view	 v[8];
	struct linereader	*lr;
	struct line		 l;
	uint64_t		 next = 0, number = 0;
	char			 err[256];
	int			 fd, rc, k, i;
	bool			 gz;

	if ((fd = memfd_create("fuzz", 0)) < 0)
		abort();
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	if (lseek(fd, 0, SEEK_SET) != 0)
		abort();
	if ((lr = linereader_fdopen(fd, "fuzz", true, MAX_LINE, err, sizeof(err))) == NULL)
		abort();
	if ((k = linereader_peek(lr, v, 8, err, sizeof(err))) > 0)
		for (i = 0; i < k; i++)
			if (v[i].len > MAX_LINE || (v[i].len > 0 && v[i].text == NULL))
				abort();
	while ((rc = linereader_next(lr, &l, err, sizeof(err))) == 1) {
		gz = linereader_gzip(lr);
		if (l.number != ++number || l.offset != next)
			abort();
		if (l.cut != (l.text == NULL) || (l.cut && l.len <= MAX_LINE))
			abort();
		if (!l.cut && l.text[l.len] != '\0')
			abort();
		if (!gz && !l.cut && (l.offset + l.len > size ||
		    memcmp(l.text, data + l.offset, l.len) != 0))
			abort();
		next = l.offset + l.len + 1;
	}
	if (rc == 0 && !linereader_gzip(lr) && next < size)
		abort();
	linereader_close(lr);
	return 0;
}
