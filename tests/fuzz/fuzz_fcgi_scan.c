/* fuzz_fcgi_scan.c: libFuzzer target for the FastCGI request scanner, at every cut of the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi_scan.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fcgi_scan	 s, whole;
	enum fcgi_scan_result	 r, rw;
	size_t			 cut, i;

	rw = fcgi_scan(&whole, data, size);
	if (rw == FCGI_SCAN_READY && (whole.role < 1 || whole.role > 3 || !whole.params_done))
		abort();
	if (rw == FCGI_SCAN_BAD && whole.why == NULL)
		abort();
	if (whole.nul_n > FCGI_SCAN_NUL_MAX)
		abort();
	for (i = 0; i < whole.nul_n; i++)
		if (strlen(whole.nul[i]) > FCGI_SCAN_NAME_MAX)
			abort();
	/*
	 * A prefix is never further along than the whole: more input can turn
	 * MORE into READY or BAD, never READY back into MORE.
	 */
	for (cut = 0; cut < size && cut < 512; cut++) {
		r = fcgi_scan(&s, data, cut);
		if (r == FCGI_SCAN_READY && rw == FCGI_SCAN_MORE)
			abort();
	}
	return 0;
}
