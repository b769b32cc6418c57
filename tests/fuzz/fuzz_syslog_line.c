/* fuzz_syslog_line.c: libFuzzer target for the syslog header ingest takes off a datagram: syslog_line_body. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "syslog_line.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*copy;
	long	 off;

	/* Exactly size bytes, no NUL after them: a read past the end is ASan's. */
	if ((copy = malloc(size > 0 ? size : 1)) == NULL)
		abort();
	memcpy(copy, data, size);
	off = syslog_line_body(copy, size);
	if (off < -1 || off > (long)size)
		abort();
	/* A header starts with '<' and ends with ": ". */
	if (off >= 0 && (size == 0 || copy[0] != '<' || off < 2 ||
	    copy[off - 1] != ' ' || copy[off - 2] != ':'))
		abort();
	free(copy);
	return 0;
}
