/* num.h: plain decimal numbers, read one way everywhere (pure). */
#ifndef DUALSTAT_NUM_H
#define DUALSTAT_NUM_H

#include <stddef.h>
#include <stdint.h>

/*
 * The len bytes at s as a decimal number: ASCII digits only, at least one;
 * no sign, no space, no 0x, nothing after them.  A value over max is
 * refused, without overflowing on the way.  NUM_NO_LEADING_ZERO refuses
 * "007" (but "0" is zero).  0 and *out, or -1.
 */
#define NUM_NO_LEADING_ZERO	0x01

int	 num_parse(const char *s, size_t len, uint64_t max, int flags, uint64_t *out);
/* The same for a whole C string. */
int	 num_parse_str(const char *s, uint64_t max, int flags, uint64_t *out);

#endif
