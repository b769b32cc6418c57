/* num.c: plain decimal numbers, read one way everywhere (pure). */
#include <string.h>

#include "num.h"

int
num_parse(const char *s, size_t len, uint64_t max, int flags, uint64_t *out)
{
	uint64_t	 v = 0, d;
	size_t		 i;

	if (s == NULL || len == 0)
		return -1;
	if ((flags & NUM_NO_LEADING_ZERO) && s[0] == '0' && len > 1)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = (uint64_t)(s[i] - '0');
		if (d > max || v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int
num_parse_str(const char *s, uint64_t max, int flags, uint64_t *out)
{
	return s == NULL ? -1 : num_parse(s, strlen(s), max, flags, out);
}
