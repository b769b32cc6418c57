/* intake.h: a FastCGI worker's connections, held until their request has arrived whole. */
#ifndef DUALSTAT_INTAKE_H
#define DUALSTAT_INTAKE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "fcgi_scan.h"

/*
 * libfcgi reads a request with blocking calls: a connection that sends
 * nothing, or half a record, would hold the worker (and every request
 * queued behind it) for as long as it stays open.  So a worker accepts
 * connections itself, without blocking, and watches them in epoll; it
 * peeks at what each has sent (fcgi_scan) and hands libfcgi only a
 * connection whose request is all there.  One that is not complete within
 * the deadline is closed; one whose params are complete but whose body
 * goes on is answered at the deadline without its body.  A connection the
 * web server keeps (FCGI_KEEP_CONN) goes back to waiting for its next
 * request; one whose input was not all read is shut down for writing and
 * read to its end without blocking (a close with unread input would reset
 * it, and the response could be lost).
 */

#define INTAKE_CONNS_MAX	512	/* per worker; the oldest waiting one makes room */
#define INTAKE_LINGER_MS	2000	/* a lingering close lasts at most this */

struct intake;

/* A connection whose request is all here (or whose deadline came with its params). */
struct intake_conn {
	int		 fd;		/* blocking, with send and receive timeouts */
	struct fcgi_scan scan;		/* what its request is: role, keep, params with a NUL */
	bool		 body_cut;	/* its stdin is not all here: don't read it */
	/*
	 * Its params are more than may be held (FCGI_SCAN_PARAMS_MAX): libfcgi
	 * must not read it; it is to be answered (431, or an Authorizer's 200)
	 * without its params, and closed lingering.
	 */
	bool		 too_large;
};

/* What to do with a connection once its request is answered. */
enum intake_end {
	INTAKE_CLOSE,		/* its input is all read: close at once */
	INTAKE_LINGER,		/* input left unread: shut down, read to the end, close */
	INTAKE_KEEP,		/* the web server keeps it: wait for its next request */
	INTAKE_GONE,		/* libfcgi closed it already */
	INTAKE__MAX
};

/* Counts since the worker started, for the log. */
struct intake_stats {
	unsigned long long	 accepted;
	unsigned long long	 timed_out;	/* closed: not whole within the deadline */
	unsigned long long	 cut;		/* answered at the deadline without all of the body */
	unsigned long long	 bad;		/* closed: not a request libfcgi would take */
	unsigned long long	 too_large;	/* answered unread: params too long */
	unsigned long long	 evicted;	/* closed to make room */
};

/*
 * Watch listen_fd (made non-blocking; shared with other workers through
 * EPOLLEXCLUSIVE).  timeout_ms: how long a request may take to arrive.
 * NULL when epoll cannot be had.  Release with intake_free().
 */
struct intake	*intake_new(int listen_fd, unsigned timeout_ms);
void		 intake_free(struct intake *);	/* closes every connection it holds */

/*
 * Wait until requests are ready and put up to max of them in out (which
 * stay the caller's until intake_done).  Signals not in open are blocked
 * but while waiting.  Returns how many; 0 when a signal interrupted the
 * wait or idle_ms passed with nothing to do (-1: no limit); -1 when the
 * listening socket broke (said in the log).
 */
int	 intake_wait(struct intake *, const sigset_t *open,
	    struct intake_conn **out, size_t max, int idle_ms);
/*
 * Stop: accept no more, close kept connections that have begun no request.
 * Those that have go on to their deadline; intake_busy() says while.
 */
void	 intake_drain(struct intake *);
bool	 intake_busy(const struct intake *);
/* Hand back a connection intake_wait gave, its request answered. */
void	 intake_done(struct intake *, struct intake_conn *, enum intake_end);

void	 intake_stats(const struct intake *, struct intake_stats *);

#endif
