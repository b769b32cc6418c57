/* fuzz_listen.c: libFuzzer target for --listen values: parse, and the loopback rule holds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "listen.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct listen_addr	 la;
	char			*s, err[256];
	int			 rc;

	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	rc = listen_parse(s, false, &la, err, sizeof(err));
	/* Without --allow-remote nothing but loopback (or a descriptor, checked later) passes. */
	if (rc == 0 && la.kind == LISTEN_INET && !listen_loopback(&la.ss))
		abort();
	if (rc == 0 && la.kind == LISTEN_UNIX && strlen(la.path) == 0)
		abort();
	if (rc != 0 && memchr(err, '\0', sizeof(err)) == NULL)
		abort();
	(void)listen_parse(s, true, &la, err, sizeof(err));
	free(s);
	return 0;
}
