/* server.h: the request loops: FastCGI on fd 0, plain CGI, and dualstat serve. */
#ifndef DUALSTAT_SERVER_H
#define DUALSTAT_SERVER_H

#include <stdbool.h>

/* Serve FastCGI on the listening socket the web server passed as fd 0. */
int	 server_fastcgi(const char *conf);
/* Answer the one CGI request in the environment. */
int	 server_cgi(const char *conf);

struct serve_opts {
	const char	*listen;	/* unix:PATH, 127.0.0.1:PORT, [::1]:PORT */
	unsigned	 workers;	/* 1..64 */
	bool		 allow_remote;	/* permit a non-loopback TCP address */
	const char	*conf;
	/*
	 * USER[:GROUP] to serve as once the socket is bound (root only: the
	 * database is opened after the drop).  Started as root, serve
	 * refuses to go on without it; "root" says to stay root.
	 */
	const char	*user;
	const char	*socket_owner;	/* USER[:GROUP] of a Unix socket, or NULL */
	const char	*socket_mode;	/* octal mode of a Unix socket, or NULL: 0660 */
};

/*
 * Parse a --listen value.  Returns 0, or -1 with a one-line reason in err
 * (bad syntax, or non-loopback without allow_remote).
 */
int	 server_listen_check(const char *listen, bool allow_remote, char *err, size_t errsz);
/* Open the socket, fork the workers, replace those that die; SIGTERM drains. */
int	 server_serve(const struct serve_opts *);

#endif
