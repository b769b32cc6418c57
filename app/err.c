/* err.c: writing a one-line error message into a caller's buffer. */
#include <stdarg.h>
#include <stdio.h>

#include "err.h"

void
errf(char *err, size_t errsz, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}
