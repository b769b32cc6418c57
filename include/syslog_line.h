/* syslog_line.h: the message of a syslog datagram, its RFC 3164 header taken off (pure). */
#ifndef DUALSTAT_SYSLOG_LINE_H
#define DUALSTAT_SYSLOG_LINE_H

#include <stddef.h>

/*
 * The message of an RFC 3164 datagram as nginx writes it (access_log
 * syslog:...): "<PRI>Mmm dd hh:mm:ss HOSTNAME TAG: MSG", HOSTNAME absent
 * with nohostname.  Returns the offset of MSG in msg[0..len) (len when MSG
 * is empty), or -1 when the datagram has no such header.  Never reads
 * past len.
 */
long	 syslog_line_body(const char *msg, size_t len);

#endif
