/* host.c: the Host header as a recorded key: lower case, no port, a real host name. */
#include <arpa/inet.h>

#include <stdbool.h>
#include <string.h>

#include "host.h"

static bool
port_ok(const char *p)
{
	size_t	 n = 0;

	/* RFC 9110 §7.2: Host = uri-host [ ":" port ]; an empty port is allowed. */
	for (; *p != '\0'; p++, n++)
		if (*p < '0' || *p > '9' || n >= 5)
			return false;
	return true;
}

static bool
name_ok(const char *s, size_t n)
{
	size_t	 label = 0, i;

	if (n == 0 || n > HOST_KEY_MAX)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '-' || s[i] == '_'))
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0;
}

int
host_normalize(const char *in, char *out, size_t outsz)
{
	char		 buf[HOST_KEY_MAX + 2];
	unsigned char	 a6[16];
	const char	*end, *colon;
	size_t		 n, i;

	if (outsz == 0)
		return -1;
	if (in[0] == '[') {
		/* An IPv6 literal (RFC 3986 §3.2.2): kept bracketed, as written. */
		if ((end = strchr(in, ']')) == NULL ||
		    (end[1] != '\0' && (end[1] != ':' || !port_ok(end + 2))))
			goto bad;
		n = (size_t)(end - in - 1);
		if (n == 0 || n >= sizeof(buf))
			goto bad;
		memcpy(buf, in + 1, n);
		buf[n] = '\0';
		if (inet_pton(AF_INET6, buf, a6) != 1 || n + 3 > outsz)
			goto bad;
		for (i = 0; i < n; i++)
			if (buf[i] >= 'A' && buf[i] <= 'Z')
				buf[i] += 'a' - 'A';
		out[0] = '[';
		memcpy(out + 1, buf, n);
		out[n + 1] = ']';
		out[n + 2] = '\0';
		return 0;
	}
	colon = strchr(in, ':');
	if (colon != NULL && (strchr(colon + 1, ':') != NULL || !port_ok(colon + 1)))
		goto bad;
	n = colon != NULL ? (size_t)(colon - in) : strlen(in);
	if (n > 0 && in[n - 1] == '.')
		n--;
	if (n >= sizeof(buf))
		goto bad;
	for (i = 0; i < n; i++)
		buf[i] = in[i] >= 'A' && in[i] <= 'Z' ? in[i] + ('a' - 'A') : in[i];
	buf[n] = '\0';
	if (!name_ok(buf, n) || n + 1 > outsz)
		goto bad;
	memcpy(out, buf, n + 1);
	return 0;
bad:
	out[0] = '\0';
	return -1;
}
