/* logline-int.h: what logline.c shares with its format files (logline_caddy.c); not for callers. */
#ifndef DUALSTAT_LOGLINE_INT_H
#define DUALSTAT_LOGLINE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "logline.h"
#include "logtime.h"

/* A piece of a line, or of a string the parser holds; p NULL: none. */
struct logline_span {
	const char	*p;
	size_t		 n;
};

/*
 * What a format's scan found, before anything is written: detection scans
 * the same lines with every format, so scanning never changes a line.
 * logline_parse() then ends the spans that lie in the line with a NUL.
 */
struct logline_scan {
	int64_t			 time;
	struct addr		 client;
	struct logline_span	 host;
	struct logline_span	 forwarded;
	bool			 forwarded_pct;	/* percent-encoded (CloudFront) */
	bool			 in_line;	/* spans point into the line, not the JSON tree */
};

/* CloudFront: the fields we read, by their #Fields names. */
enum logline_cf_field {
	CF_DATE,		/* "date" */
	CF_TIME,		/* "time" */
	CF_C_IP,		/* "c-ip" */
	CF_CS_HOST,		/* "cs(Host)" */
	CF_X_HOST_HEADER,	/* "x-host-header" */
	CF_X_FORWARDED_FOR,	/* "x-forwarded-for" */
	CF__MAX
};

/* Fields past this index in a #Fields line are never ours to read. */
#define CF_FIELDS_MAX	255
#define CF_SLOT_NONE	0xff

struct logline_parser {
	enum logline_format	 format;
	/*
	 * CLF: the last time's text but its seconds, and the epoch of that
	 * minute; lines of one minute then cost a compare (logline_time_clf).
	 */
	char			 clf_minute[LOGTIME_CLF_LEN];
	int64_t			 clf_minute_at;
	bool			 clf_cached;
	/* cloudfront: the slot of each field index, and how many fields a line needs */
	unsigned char		 cf_slot[CF_FIELDS_MAX];
	unsigned		 cf_need;
	bool			 cf_usable;
	/* caddy: the last line's JSON tree, which host and forwarded point into */
	void			*json;
};

/* The client field: an address, or (rarer) "[v6]", "[v6]:port", "v4:port". */
int	 logline_client(const char *text, size_t len, struct addr *out);

/* Caddy (logline_caddy.c, with the JSON library). */
enum logline_reason	 logline_scan_caddy(struct logline_parser *, const char *line,
			    size_t len, struct logline_scan *);
void			 logline_caddy_release(struct logline_parser *);

#endif
