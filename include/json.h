/* json.h: writing JSON (RFC 8259).  Strings are always escaped; commas are tracked. */
#ifndef DUALSTAT_JSON_H
#define DUALSTAT_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"

#define JSON_DEPTH_MAX	16

/*
 * jansson (linked to read Caddy's logs) owns the rest of the json_ names:
 * json_string, json_null, json_object...  Two definitions of one name only
 * show when linking -static (dualstat-static), so none is reused here.
 */

struct json {
	struct buf	*out;
	int		 depth;
	bool		 first[JSON_DEPTH_MAX];	/* no comma needed yet at this level */
};

void	 json_init(struct json *, struct buf *);
/* key is NULL inside arrays and at the top level. */
void	 json_obj_open(struct json *, const char *key);
void	 json_obj_close(struct json *);
void	 json_arr_open(struct json *, const char *key);
void	 json_arr_close(struct json *);
void	 json_str(struct json *, const char *key, const char *value);	/* NULL value -> null */
void	 json_u64(struct json *, const char *key, uint64_t);
void	 json_i64(struct json *, const char *key, int64_t);
void	 json_double(struct json *, const char *key, double);	/* non-finite -> null */
void	 json_bool(struct json *, const char *key, bool);
void	 json_none(struct json *, const char *key);
/* Escape s as a JSON string, quotes included.  Invalid UTF-8 becomes U+FFFD. */
void	 json_quote(struct buf *, const char *s);

#endif
