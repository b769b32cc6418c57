/* host.h: the Host header as a recorded key: lower case, no port, a real host name. */
#ifndef DUALSTAT_HOST_H
#define DUALSTAT_HOST_H

#include <stddef.h>

#define HOST_KEY_MAX	253	/* RFC 1035 §2.3.4, without the trailing dot */

/*
 * Turn a Host header value ("WWW.Example.org:8080", "[2001:db8::1]:443")
 * into its key ("www.example.org", "[2001:db8::1]"): port and one trailing
 * dot dropped, letters lowered.  Accepted: DNS names (labels of letters,
 * digits, '-' and '_', 1..63 bytes), dotted IPv4, bracketed IPv6.
 * Returns 0, or -1 when text is none of those (out is then "").  in and
 * out may be the same buffer.
 */
int	 host_normalize(const char *in, char *out, size_t outsz);

#endif
