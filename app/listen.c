/* listen.c: what `dualstat serve --listen` names, and whether it is reachable from the network (pure). */
#include <sys/un.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "listen.h"
#include "num.h"

#define REMOTE_REFUSED	"not a loopback address; the FastCGI socket must not be " \
			"reachable from the network (--allow-remote to insist)"

bool
listen_loopback(const struct sockaddr_storage *ss)
{
	const struct sockaddr_in	*sin = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6	*sin6 = (const struct sockaddr_in6 *)ss;

	switch (ss->ss_family) {
	case AF_UNIX:
		return true;
	case AF_INET:
		return (ntohl(sin->sin_addr.s_addr) >> 24) == 127;
	case AF_INET6:
		return IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr) ||
		    (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr) &&
		     sin6->sin6_addr.s6_addr[12] == 127);
	default:
		return false;
	}
}

/* A decimal 1..max with no sign, no leading zero, nothing after it. */
static int
number(const char *s, uint64_t max, uint64_t *out)
{
	return *s == '0' ? -1 : num_parse_str(s, max, 0, out);
}

/* "HOST:PORT" with HOST an IPv4 address or a bracketed IPv6 one. */
static int
inet_parse(const char *text, struct listen_addr *la)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)&la->ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&la->ss;
	char			 host[INET6_ADDRSTRLEN + 1];
	const char		*colon, *end;
	uint64_t		 port;
	size_t			 n;

	if (text[0] == '[') {
		if ((end = strchr(text, ']')) == NULL || end[1] != ':')
			return -1;
		n = (size_t)(end - text - 1);
		colon = end + 1;
		if (n >= sizeof(host))
			return -1;
		memcpy(host, text + 1, n);
		host[n] = '\0';
		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1 ||
		    number(colon + 1, 65535, &port) != 0)
			return -1;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((in_port_t)port);
		la->len = sizeof(*sin6);
		return 0;
	}
	if ((colon = strrchr(text, ':')) == NULL)
		return -1;
	n = (size_t)(colon - text);
	if (n >= sizeof(host))
		return -1;
	memcpy(host, text, n);
	host[n] = '\0';
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1 ||
	    number(colon + 1, 65535, &port) != 0)
		return -1;
	sin->sin_family = AF_INET;
	sin->sin_port = htons((in_port_t)port);
	la->len = sizeof(*sin);
	return 0;
}

int
listen_parse(const char *text, bool allow_remote, struct listen_addr *la,
    char *err, size_t errsz)
{
	struct sockaddr_un	*sun = (struct sockaddr_un *)&la->ss;
	uint64_t		 fd;
	size_t			 n;

	memset(la, 0, sizeof(*la));
	la->fd = -1;
	if (strncmp(text, "fd:", 3) == 0) {
		/* fd:0 is the one form with a leading zero: "0" alone. */
		if (strcmp(text + 3, "0") == 0)
			fd = 0;
		else if (number(text + 3, 1024, &fd) != 0) {
			snprintf(err, errsz, "--listen %s: expected fd:N with N a file descriptor",
			    text);
			return -1;
		}
		la->kind = LISTEN_FD;
		la->fd = (int)fd;
		return 0;
	}
	if (strncmp(text, "unix:", 5) == 0) {
		n = strlen(text + 5);
		if (n == 0 || n >= sizeof(sun->sun_path) || n >= sizeof(la->path)) {
			snprintf(err, errsz, "--listen %s: the socket path is empty or "
			    "longer than %zu bytes", text, sizeof(sun->sun_path) - 1);
			return -1;
		}
		la->kind = LISTEN_UNIX;
		memcpy(la->path, text + 5, n + 1);
		sun->sun_family = AF_UNIX;
		memcpy(sun->sun_path, text + 5, n + 1);
		la->len = sizeof(*sun);
		return 0;
	}
	la->kind = LISTEN_INET;
	if (inet_parse(text, la) != 0) {
		snprintf(err, errsz, "--listen %s: expected unix:PATH, 127.0.0.1:PORT, "
		    "[::1]:PORT or fd:N", text);
		return -1;
	}
	if (!allow_remote && !listen_loopback(&la->ss)) {
		snprintf(err, errsz, "--listen %s: " REMOTE_REFUSED, text);
		return -1;
	}
	return 0;
}
