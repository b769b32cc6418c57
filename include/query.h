/* query.h: parse and validate report parameters (URL query or command line) at the edge. */
#ifndef DUALSTAT_QUERY_H
#define DUALSTAT_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report.h"

/* The period a report asks for, before it is turned into times. */
struct period {
	unsigned	 days;		/* 0 when from/to are used */
	int64_t		 from_day;	/* UTC midnight of from, when days == 0 */
	int64_t		 to_day;	/* UTC midnight of to (inclusive day) */
	char		 host[REPORT_HOST_MAX + 1];	/* "" = every host */
	int		 how;		/* an enum how, or -1 = every way */
	enum report_table table;	/* the CSV's table; TABLE_SERIES by default */
	char		 node[ROW_NODE_MAX + 1];	/* "" = every node */
};

#define QUERY_ERR_MAX	320
#define QUERY_DAYS_MAX	3660	/* ten years */

/*
 * Parse a URL query string ("days=7", "from=2026-01-01&to=2026-01-31",
 * "days=30&host=example.org&how=beacon&table=hosts").  Keys: days (1, 7,
 * 30, 90 or 365), from and to (YYYY-MM-DD, both or neither, from <= to, at
 * most QUERY_DAYS_MAX days, from 1970-01-01 to 9999-12-31), host
 * (1..REPORT_HOST_MAX bytes, no control characters), node (a server's
 * name: row_node_valid), how (page, beacon, authorizer or record) and
 * table (a
 * report_table_name; only the CSV reads it).  No period means days=7; an
 * empty host, node or how value means no filter, as a GET form sends for "all";
 * no table or an empty one is the series.  Unknown keys, repeated keys or
 * bad values: -1 and a message for the 400 page in err.
 */
int	 query_parse(const char *qs, struct period *, char *err, size_t errsz);

/*
 * The same parameters from the command line, by the same rules: the
 * options --days, --from, --to, --host, --how, --table and --node by name
 * ("days", ...), each at most once (query_arg: -1 and "--days is given
 * more than once" in err), then checked together by query_args_period as
 * query_parse checks a URL's, except that days may be any of
 * 1..QUERY_DAYS_MAX.  Messages name the options ("--from: ...").
 */
enum query_param {
	QUERY_DAYS,
	QUERY_FROM,
	QUERY_TO,
	QUERY_HOST,
	QUERY_HOW,
	QUERY_TABLE,
	QUERY_NODE,
	QUERY__MAX
};
struct query_args {
	const char	*value[QUERY__MAX];	/* NULL: not given */
};
int	 query_arg(struct query_args *, const char *name, const char *value,
	    char *err, size_t errsz);
int	 query_args_period(const struct query_args *, struct period *,
	    char *err, size_t errsz);

/* YYYY-MM-DD (a real calendar date, 1970..9999) to its UTC midnight; -1 if bad. */
int	 query_date(const char *text, int64_t *midnight);

/*
 * Turn a period into [from, to) for now: days=1 covers the 24 whole hours
 * up to the end of the current hour, with hourly buckets; longer periods
 * end at the next UTC midnight, with daily buckets.  A from/to range of one
 * or two days is hourly.  top is set to 10; host, node and how are the
 * period's filters; days is the period's days (0 for a range) and table
 * its table.
 */
void	 query_period(const struct period *, int64_t now, struct report_query *out);

#endif
