/* syslog_line.c: the message of a syslog datagram, its RFC 3164 header taken off (pure). */
#include "syslog_line.h"

long
syslog_line_body(const char *msg, size_t len)
{
	size_t	 i = 1, t, k;

	/* RFC 3164 §4.1.1: "<" 1-3 digits ">". */
	if (len < 1 || msg[0] != '<')
		return -1;
	while (i < len && i < 4 && msg[i] >= '0' && msg[i] <= '9')
		i++;
	if (i == 1 || i >= len || msg[i] != '>')
		return -1;
	i++;
	/* §4.1.2: "Mmm dd hh:mm:ss" and a space, the day padded with a space. */
	if (len - i < 16 || msg[i + 3] != ' ' || msg[i + 6] != ' ' ||
	    msg[i + 9] != ':' || msg[i + 12] != ':' || msg[i + 15] != ' ')
		return -1;
	i += 16;
	/*
	 * Then HOSTNAME and TAG ending in ':' (nginx: "nginx:"), or only the
	 * TAG (nohostname).  Neither has a space or a ':' inside, so the first
	 * word ending in ':' is the tag; the message (whose address may hold
	 * colons) begins after the space that follows.
	 */
	for (k = 0; k < 2; k++) {
		for (t = i; t < len && msg[t] != ' ' && msg[t] != ':'; t++)
			continue;
		if (t == i || t >= len)
			return -1;
		if (msg[t] == ':')
			return t + 1 < len && msg[t + 1] == ' ' ? (long)(t + 2) : -1;
		i = t + 1;
	}
	return -1;
}
