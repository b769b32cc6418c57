/* url.h: URLs: writing query strings (every value percent-encoded), and reading an absolute http(s) URL. */
#ifndef DUALSTAT_URL_H
#define DUALSTAT_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/*
 * value as one application/x-www-form-urlencoded value (URL Standard
 * §5.2): the unreserved characters A-Z a-z 0-9 - . _ ~ as they are, every
 * other byte as %XX with upper-case hex, so whatever a value holds
 * (& = # + space, a quote, UTF-8, a control byte) it stays one value.
 * query.c's decoder reads it back byte for byte.  The query is data:
 * a link still writes it through html_attr.
 */
void	 url_encode(struct buf *, const char *value);

/*
 * key=value appended to a query, after a '&' when the query is not empty.
 * key is the program's own (never encoded); value goes through url_encode.
 */
void	 url_param(struct buf *query, const char *key, const char *value);

/* An absolute URL as url_split reads it; pointers into the text given. */
struct url_parts {
	bool		 https;
	const char	*host;		/* the name, or the IPv6 address with its brackets */
	size_t		 host_len;
	bool		 host_v6;
	unsigned	 port;		/* 0 when none is given */
	const char	*origin_end;	/* where scheme://host[:port] ends */
	const char	*path;		/* "" or from its "/" on */
};

/*
 * Read "http[s]://HOST[:PORT][/PATH]" with HOST a name (letters, digits,
 * '-', '.' between non-empty labels) or an IPv6 address in brackets, PORT
 * 1..65535; no spaces, controls, backslashes (browsers read them as /),
 * '?' or '#' (the program appends to the path).  NULL when it is one,
 * otherwise why not ("has a port outside 1 to 65535"), for a message.
 */
const char	*url_split(const char *url, struct url_parts *);

#endif
