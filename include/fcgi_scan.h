/* fcgi_scan.h: is a FastCGI request all here?  Read its records as they arrive, without taking them. */
#ifndef DUALSTAT_FCGI_SCAN_H
#define DUALSTAT_FCGI_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The server loop peeks at what a connection has sent (MSG_PEEK: nothing
 * is consumed) and hands the connection to libfcgi only once libfcgi can
 * read the request without waiting: the begin record and every param up
 * to the empty params record.  libfcgi reads with blocking calls, so a
 * connection that stops half-way would otherwise hold the worker and every
 * request behind it.  Whether stdin is all here too (up to its empty
 * record) says whether it can be read without waiting; dualstat needs no
 * body, so one that is not is never read.
 *
 * It also finds what libfcgi cannot tell: FastCGI params are counted
 * strings, libfcgi keeps them as C strings, so a value holding a NUL byte
 * would be cut there ("198.51.100.5\0junk" read as a valid address).  The
 * names of such params are kept, and the request view treats them as
 * invalid.
 */

enum fcgi_scan_result {
	FCGI_SCAN_MORE,		/* not all here yet */
	FCGI_SCAN_READY,	/* libfcgi can read the params without waiting */
	FCGI_SCAN_BAD,		/* not a request libfcgi would take: close it */
	FCGI_SCAN__MAX
};

/* FastCGI 1.0 §5.1 roles. */
#define FCGI_SCAN_RESPONDER	1
#define FCGI_SCAN_AUTHORIZER	2
#define FCGI_SCAN_FILTER	3

#define FCGI_SCAN_NUL_MAX	8	/* names kept; more and every param is suspect */
#define FCGI_SCAN_NAME_MAX	64	/* longest name kept */
/* Params (all records together) longer than this are refused. */
#define FCGI_SCAN_PARAMS_MAX	(64 * 1024)
#define FCGI_SCAN_PARAMS_MAX_TEXT	"64 KiB"

struct fcgi_scan {
	int		 role;		/* 0 until the begin record */
	unsigned	 request_id;	/* the begin record's */
	bool		 keep_conn;	/* FCGI_KEEP_CONN: the web server reuses the connection */
	bool		 params_done;
	bool		 stdin_done;	/* stdin's empty record is here too */
	size_t		 params_len;	/* content bytes of the params records */
	size_t		 stdin_len;	/* content bytes of stdin records seen */
	/* Params whose value holds a NUL byte. */
	size_t		 nul_n;
	char		 nul[FCGI_SCAN_NUL_MAX][FCGI_SCAN_NAME_MAX + 1];
	bool		 nul_overflow;	/* more of them than fit, or a name too long */
	const char	*why;		/* FCGI_SCAN_BAD: what was wrong (static text) */
	bool		 too_large;	/* FCGI_SCAN_BAD because params are too long */
};

/*
 * Scan the first len bytes a connection has sent, from its start, into s
 * (which needs no set-up: it is cleared first).  Management records
 * (request id 0) and records of other request ids are passed over, as
 * libfcgi does; so is anything after stdin's end.
 */
enum fcgi_scan_result	 fcgi_scan(struct fcgi_scan *s, const unsigned char *buf,
			    size_t len);

/* Whether the param called name held a NUL byte (or may have: overflow). */
bool	 fcgi_scan_nul(const struct fcgi_scan *s, const char *name);

#endif
