/* page_report_csv.c: the usage report as CSV, one table per response. */
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "buf.h"
#include "csv.h"
#include "page.h"
#include "report.h"
#include "report_view.h"

/*
 * CSV is one table, so ?table= (rep->q.table) picks which; every table
 * has a header row and the URL's period and filters, as the JSON has:
 *
 *	series     start,ipv4,ipv6,ipv6_share (the default)
 *	kinds      family,kind,mapped,requests
 *	prefixes   prefix,family,kind,requests (the busiest per family)
 *	unique     family,unique_prefixes
 *	hosts      host,ipv4,ipv6,ipv6_share ("" = no Host header)
 *	listeners  server_family,ipv4,ipv6 (0 = unknown)
 *	hows       how,requests
 *	summary    from,to,host,how,total,ipv4,ipv6,ipv6_share,
 *	           prev_ipv4,prev_ipv6,prev_ipv6_share (one row)
 *
 * Times are ISO 8601 UTC (start is a bucket's first second, to is
 * exclusive); a share is 0..1 and empty where there were no requests; the
 * names are the JSON's.  Every text field goes through csv_field, which
 * quotes it and defuses a leading formula character.
 */

static void
csv_header(struct buf *b, const char *const *cols, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		csv_field(b, cols[i], i == 0);
	csv_eol(b);
}

/* A share of requests that may not exist: empty when there were none. */
static void
csv_share(struct buf *b, uint64_t ipv4, uint64_t ipv6)
{
	if (ipv4 + ipv6 == 0)
		csv_field(b, "", 0);
	else
		csv_double(b, report_share(ipv4, ipv6), 0);
}

static void
csv_series(struct buf *b, const struct report *r)
{
	static const char *const cols[] = { "start", "ipv4", "ipv6", "ipv6_share" };
	char	 t[32];
	size_t	 i;

	csv_header(b, cols, 4);
	for (i = 0; i < r->nseries; i++) {
		const struct report_point	*p = &r->series[i];

		view_time(t, sizeof(t), p->start, VIEW_ISO);
		csv_field(b, t, 1);
		csv_u64(b, p->ipv4, 0);
		csv_u64(b, p->ipv6, 0);
		csv_share(b, p->ipv4, p->ipv6);
		csv_eol(b);
	}
}

static void
csv_kinds(struct buf *b, const struct report *r)
{
	static const char *const cols[] = { "family", "kind", "mapped", "requests" };
	size_t	 i;

	csv_header(b, cols, 4);
	for (i = 0; i < r->nkinds; i++) {
		csv_u64(b, (uint64_t)r->kinds[i].family, 1);
		csv_field(b, addr_kind_name(r->kinds[i].kind), 0);
		csv_field(b, r->kinds[i].mapped ? "true" : "false", 0);
		csv_u64(b, r->kinds[i].requests, 0);
		csv_eol(b);
	}
}

static void
csv_prefixes(struct buf *b, const struct report *r)
{
	static const char *const cols[] = { "prefix", "family", "kind", "requests" };
	size_t	 i;

	csv_header(b, cols, 4);
	for (i = 0; i < r->nprefixes; i++) {
		csv_field(b, r->prefixes[i].prefix, 1);
		csv_u64(b, (uint64_t)r->prefixes[i].family, 0);
		csv_field(b, addr_kind_name(r->prefixes[i].kind), 0);
		csv_u64(b, r->prefixes[i].requests, 0);
		csv_eol(b);
	}
}

static void
csv_unique(struct buf *b, const struct report *r)
{
	static const char *const cols[] = { "family", "unique_prefixes" };

	csv_header(b, cols, 2);
	csv_u64(b, 4, 1);
	csv_u64(b, r->unique_ipv4, 0);
	csv_eol(b);
	csv_u64(b, 6, 1);
	csv_u64(b, r->unique_ipv6, 0);
	csv_eol(b);
}

static void
csv_hosts(struct buf *b, const struct report *r)
{
	static const char *const cols[] = { "host", "ipv4", "ipv6", "ipv6_share" };
	size_t	 i;

	csv_header(b, cols, 4);
	for (i = 0; i < r->nhosts; i++) {
		csv_field(b, r->hosts[i].host, 1);
		csv_u64(b, r->hosts[i].ipv4, 0);
		csv_u64(b, r->hosts[i].ipv6, 0);
		csv_share(b, r->hosts[i].ipv4, r->hosts[i].ipv6);
		csv_eol(b);
	}
}

static void
csv_listeners(struct buf *b, const struct report *r)
{
	static const char *const cols[] = { "server_family", "ipv4", "ipv6" };
	size_t	 i;

	csv_header(b, cols, 3);
	for (i = 0; i < r->nlisteners; i++) {
		csv_u64(b, (uint64_t)r->listeners[i].server_family, 1);
		csv_u64(b, r->listeners[i].ipv4, 0);
		csv_u64(b, r->listeners[i].ipv6, 0);
		csv_eol(b);
	}
}

static void
csv_hows(struct buf *b, const struct report *r)
{
	static const char *const cols[] = { "how", "requests" };
	size_t	 i;

	csv_header(b, cols, 2);
	for (i = 0; i < r->nhows; i++) {
		csv_field(b, view_how_name(r->hows[i].how), 1);
		csv_u64(b, r->hows[i].requests, 0);
		csv_eol(b);
	}
}

static void
csv_summary(struct buf *b, const struct report *r)
{
	static const char *const cols[] = {
		"from", "to", "host", "how", "total", "ipv4", "ipv6",
		"ipv6_share", "prev_ipv4", "prev_ipv6", "prev_ipv6_share"
	};
	char	 t[32];

	csv_header(b, cols, 11);
	view_time(t, sizeof(t), r->q.from, VIEW_ISO);
	csv_field(b, t, 1);
	view_time(t, sizeof(t), r->q.to, VIEW_ISO);
	csv_field(b, t, 0);
	/* Empty: every host, every way (the JSON's null). */
	csv_field(b, r->q.host, 0);
	csv_field(b, view_how_name(r->q.how), 0);
	csv_u64(b, r->total, 0);
	csv_u64(b, r->ipv4, 0);
	csv_u64(b, r->ipv6, 0);
	csv_share(b, r->ipv4, r->ipv6);
	csv_u64(b, r->prev_ipv4, 0);
	csv_u64(b, r->prev_ipv6, 0);
	csv_share(b, r->prev_ipv4, r->prev_ipv6);
	csv_eol(b);
}

void
page_report_csv(struct buf *b, const struct report *r)
{
	switch (r->q.table) {
	case TABLE_KINDS:
		csv_kinds(b, r);
		break;
	case TABLE_PREFIXES:
		csv_prefixes(b, r);
		break;
	case TABLE_UNIQUE:
		csv_unique(b, r);
		break;
	case TABLE_HOSTS:
		csv_hosts(b, r);
		break;
	case TABLE_LISTENERS:
		csv_listeners(b, r);
		break;
	case TABLE_HOWS:
		csv_hows(b, r);
		break;
	case TABLE_SUMMARY:
		csv_summary(b, r);
		break;
	default:
		csv_series(b, r);
		break;
	}
}
