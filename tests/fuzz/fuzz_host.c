/* fuzz_host.c: libFuzzer target for the Host header as a recorded key: host_normalize. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*in, out[HOST_KEY_MAX + 1], again[HOST_KEY_MAX + 1], *small;
	size_t	 i, n;
	int	 rc;

	in = malloc(size + 1);
	small = malloc(8);
	if (in == NULL || small == NULL)
		abort();
	memcpy(in, data, size);
	in[size] = '\0';

	memset(out, 'x', sizeof(out));
	rc = host_normalize(in, out, sizeof(out));
	if (rc != 0 && rc != -1)
		abort();
	n = strnlen(out, sizeof(out));
	if (n == sizeof(out) || (rc == -1 && n != 0) || (rc == 0 && n == 0))
		abort();
	if (rc == 0) {
		/* A key is lower case, printable, and its own key. */
		for (i = 0; i < n; i++)
			if ((unsigned char)out[i] <= ' ' || (unsigned char)out[i] >= 0x7f ||
			    (out[i] >= 'A' && out[i] <= 'Z'))
				abort();
		if (host_normalize(out, again, sizeof(again)) != 0 ||
		    strcmp(out, again) != 0)
			abort();
	}
	/* A short buffer: refused or cut, never overrun. */
	(void)host_normalize(in, small, 8);
	if (memchr(small, '\0', 8) == NULL)
		abort();
	/* In place, as the header allows. */
	if (size <= HOST_KEY_MAX) {
		memcpy(again, in, size + 1);
		if (host_normalize(again, again, sizeof(again)) != rc ||
		    (rc == 0 && strcmp(again, out) != 0))
			abort();
	}

	free(small);
	free(in);
	return 0;
}
