/* url.h: writing URL query strings (the report's links): every value percent-encoded. */
#ifndef DUALSTAT_URL_H
#define DUALSTAT_URL_H

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

#endif
