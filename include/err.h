/* err.h: writing a one-line error message into a caller's buffer. */
#ifndef DUALSTAT_ERR_H
#define DUALSTAT_ERR_H

#include <stddef.h>

/*
 * Format into err (NULL or errsz 0: nothing is written).  A message that
 * does not fit is cut: that loses text, never safety.
 */
void	 errf(char *err, size_t errsz, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));

#endif
