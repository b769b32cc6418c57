/* listen.h: what `dualstat serve --listen` names, and whether it is reachable from the network (pure). */
#ifndef DUALSTAT_LISTEN_H
#define DUALSTAT_LISTEN_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>

/*
 * The forms: unix:PATH, 127.0.0.1:PORT (any IPv4 address), [::1]:PORT (any
 * IPv6 address, bracketed), and fd:N, a socket somebody else opened and
 * passes (systemd's socket activation with StandardInput=socket: fd:0).
 */
enum listen_kind {
	LISTEN_UNIX,
	LISTEN_INET,		/* IPv4 or IPv6: family in ss */
	LISTEN_FD,
	LISTEN__MAX
};

struct listen_addr {
	enum listen_kind	 kind;
	struct sockaddr_storage	 ss;	/* UNIX and INET: where to bind */
	socklen_t		 len;
	char			 path[108];	/* UNIX: the socket's path */
	int			 fd;		/* FD: the descriptor; else -1 */
};

/*
 * Parse text into la.  A TCP address that is not loopback is refused
 * unless allow_remote: the FastCGI socket must never be reachable from the
 * network by accident.  (For fd:N the address is only known once the
 * descriptor is looked at: listen_sockaddr_ok says the same of it.)
 * Returns 0, or -1 with a one-line reason in err.
 */
int	 listen_parse(const char *text, bool allow_remote, struct listen_addr *la,
	    char *err, size_t errsz);

/* Whether an address is loopback only: a Unix socket, 127.0.0.0/8, ::1, ::ffff:127.x. */
bool	 listen_loopback(const struct sockaddr_storage *ss);

#endif
