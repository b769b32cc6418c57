/* response.h: one response, and the one place that writes its headers. */
#ifndef DUALSTAT_RESPONSE_H
#define DUALSTAT_RESPONSE_H

#include <stdbool.h>

#include "buf.h"

struct response {
	int		 status;
	const char	*content_type;	/* with charset for text; NULL for no body */
	bool		 no_store;	/* Cache-Control: no-store (beacons, reports) */
	unsigned	 max_age;	/* else > 0: public, max-age (the stylesheet) */
	const char	*allow;		/* Allow header for 405, else NULL */
	bool		 head;		/* HEAD: send the headers only */
	bool		 authorizer;	/* FastCGI Authorizer answer: Status only */
	char		 style_origin[256];	/* another origin style-src allows, or "" */
	char		 img_origins[512];	/* the probe hosts img-src allows (probe.h), or "" */
	struct buf	 location;	/* Location header (302); empty: none */
	struct buf	 body;
};

void	 response_init(struct response *);
void	 response_free(struct response *);
/* Empty the body and set status and type (for switching to an error page). */
void	 response_reset(struct response *, int status, const char *content_type);

/*
 * The CGI/FastCGI header block ("Status: 200 OK\r\n...\r\n\r\n"): status,
 * Content-Type, Content-Length, cache policy and the security headers
 * every response carries (CSP without inline script, nosniff,
 * Referrer-Policy, frame-ancestors).
 */
void	 response_head(const struct response *, struct buf *out);
const char	*response_reason(int status);

#endif
