/* request.h: the view of one request built from FastCGI params or the CGI environment. */
#ifndef DUALSTAT_REQUEST_H
#define DUALSTAT_REQUEST_H

#include <stdbool.h>

#include "addr.h"
#include "config.h"
#include "host.h"

/*
 * Looks up the i-th parameter called name (i = 0: the first; a web server
 * may send a header that came twice as two params of one name); NULL when
 * there is none.  request_param_bad: the value held a NUL byte, and the C
 * string would be cut there, so it is not to be believed.
 */
typedef const char *(*request_param_fn)(void *ctx, const char *name, size_t i);
extern const char	 request_param_bad[];

/* Lines of the proxy header walked; a header sent on more is cut from the left. */
#define REQUEST_HEADER_LINES	16

#define REQUEST_PARAM_MAX	8192	/* longer params are treated as absent */
#define REQUEST_PARAM_MAX_TEXT	"8192"	/* the same, for messages */

struct request {
	/* Raw parameters; never NULL ("" when absent, too long or holding a NUL). */
	const char	*method;
	const char	*script_name;
	const char	*path_info;
	const char	*query;
	const char	*host;
	const char	*remote_addr;
	const char	*server_addr;
	const char	*remote_user;
	const char	*document_root;	/* DOCUMENT_ROOT: for the setup check (/check) */
	bool		 https;		/* HTTPS=on or REQUEST_SCHEME=https */
	bool		 authorizer;	/* FCGI_ROLE=AUTHORIZER */
	/*
	 * PATH_INFO or QUERY_STRING was longer than REQUEST_PARAM_MAX or held
	 * a NUL byte: the path then names no page (404) and a page that reads
	 * the query answers 400 with query_why, rather than taking the absent
	 * value's default.
	 */
	bool		 path_bad;
	const char	*query_why;	/* NULL when the query is usable */
	/*
	 * The host a row records: host_normalize(HTTP_HOST), "(other)" when
	 * the configuration lists hosts and this is not one, "" when absent
	 * or not a host name.
	 */
	char		 host_key[HOST_KEY_MAX + 1];

	/* Derived once, here, so pages only see validated values. */
	bool		 client_ok;	/* false: REMOTE_ADDR was not an address */
	struct addr	 peer;		/* REMOTE_ADDR */
	struct addr	 client;	/* the peer, or who a trusted proxy says */
	bool		 via_proxy;
	int		 server_family;	/* from SERVER_ADDR; 0 when unusable */
};

/* Fill req from get/ctx; the strings stay owned by the caller's params. */
void	 request_read(struct request *req, request_param_fn get, void *ctx,
	    const struct config *);

#endif
