/* log.c: rate-limited one-line messages to stderr. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

time_t			(*log_clock)(time_t *) = time;

static time_t		 window;	/* start of the current minute */
static unsigned		 written;	/* lines in this window */
static unsigned long	 dropped;	/* lines left out since the last one written */

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;
	time_t	 now = log_clock(NULL);

	if (now - window >= 60) {
		window = now;
		written = 0;
	}
	if (written >= LOG_BURST) {
		dropped++;
		return;
	}
	written++;
	fprintf(stderr, "dualstat[%ld]: ", (long)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (dropped > 0)
		fprintf(stderr, " (%lu similar messages suppressed)", dropped);
	dropped = 0;
	fputc('\n', stderr);
	fflush(stderr);
}
