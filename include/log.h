/* log.h: one-line, rate-limited messages to stderr (the web server's error log). */
#ifndef DUALSTAT_LOG_H
#define DUALSTAT_LOG_H

#include <time.h>

/*
 * "dualstat[PID]: message".  At most LOG_BURST lines per minute per
 * process, so a broken database under load cannot flood the log; the
 * number left out is reported with the next line that gets through.
 * Never pass a client's full address: logs are disk too.
 */
#define LOG_BURST	10

void	 log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The clock the minute is read from: time(3), unless a test sets its own. */
extern time_t	(*log_clock)(time_t *);

#endif
