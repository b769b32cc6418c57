/* page_report_csv.c: the usage report as CSV, one table per response. */
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "buf.h"
#include "csv.h"
#include "page.h"
#include "probe.h"
#include "readiness.h"
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
 *	nodes      node,requests,ipv4,ipv6,share,ipv6_share (by server; "" =
 *	           not known: recorded before schema 5)
 *	listeners  server_family,ipv4,ipv6 (0 = unknown)
 *	hows       how,requests
 *	summary    from,to,host,how,total,ipv4,ipv6,ipv6_share,
 *	           prev_ipv4,prev_ipv6,prev_ipv6_share,node (one row)
 *	readiness  probe,started,reached,wrong_family,share,low,high (v6, v4,
 *	           self; the estimate of an IPv6-only and an IPv4-only site
 *	           against the control, empty without one)
 *	readiness_arrival  family,kind,probe,started,reached
 *	readiness_back     probe,family,kind,probes (how they came back)
 *	readiness_lost     prefix,family,kind,not_reached (the v6 probe)
 *	readiness_series   start,v6_started,v6_reached,v4_started,v4_reached,
 *	           self_started,self_reached,share
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
csv_nodes(struct buf *b, const struct report *r)
{
	static const char *const cols[] = {
		"node", "requests", "ipv4", "ipv6", "share", "ipv6_share"
	};
	size_t	 i;

	csv_header(b, cols, 6);
	for (i = 0; i < r->nnodes; i++) {
		const struct report_node	*n = &r->nodes[i];

		csv_field(b, n->node, 1);
		csv_u64(b, n->ipv4 + n->ipv6, 0);
		csv_u64(b, n->ipv4, 0);
		csv_u64(b, n->ipv6, 0);
		csv_double(b, view_part(n->ipv4 + n->ipv6, r->total), 0);
		csv_share(b, n->ipv4, n->ipv6);
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
		"ipv6_share", "prev_ipv4", "prev_ipv6", "prev_ipv6_share", "node"
	};
	char	 t[32];

	csv_header(b, cols, 12);
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
	csv_field(b, r->q.node, 0);	/* empty: every node */
	csv_eol(b);
}

/* ---- Readiness probes (issue 10) ---- */

/* What probe k says against the control: share, low, high, or three empty fields. */
static void
csv_estimate(struct buf *b, const struct report_probe *p, const struct report_probe *ctl)
{
	struct readiness	 e;

	readiness_estimate(p->started, p->reached, ctl->started, ctl->reached, &e);
	if (!e.ok) {
		csv_field(b, "", 0);
		csv_field(b, "", 0);
		csv_field(b, "", 0);
		return;
	}
	csv_double(b, e.share, 0);
	csv_double(b, e.low, 0);
	csv_double(b, e.high, 0);
}

static void
csv_readiness(struct buf *b, const struct report *r)
{
	static const char *const cols[] = { "probe", "started", "reached",
	    "wrong_family", "share", "low", "high" };
	const struct report_probe	*p = r->readiness.probe;
	int				 k;

	csv_header(b, cols, 7);
	for (k = 0; k < PROBE__MAX; k++) {
		csv_field(b, probe_kind_name((enum probe_kind)k), 1);
		csv_u64(b, p[k].started, 0);
		csv_u64(b, p[k].reached, 0);
		csv_u64(b, p[k].wrong, 0);
		if (k == PROBE_SELF) {
			csv_field(b, "", 0);
			csv_field(b, "", 0);
			csv_field(b, "", 0);
		} else
			csv_estimate(b, &p[k], &p[PROBE_SELF]);
		csv_eol(b);
	}
}

static void
csv_readiness_arrival(struct buf *b, const struct report *r)
{
	static const char *const cols[] = { "family", "kind", "probe", "started",
	    "reached" };
	const struct report_readiness	*rd = &r->readiness;
	size_t				 i;

	csv_header(b, cols, 5);
	for (i = 0; i < rd->narrivals; i++) {
		csv_u64(b, (uint64_t)rd->arrivals[i].family, 1);
		csv_field(b, addr_kind_name(rd->arrivals[i].kind), 0);
		csv_field(b, probe_kind_name(rd->arrivals[i].probe), 0);
		csv_u64(b, rd->arrivals[i].started, 0);
		csv_u64(b, rd->arrivals[i].reached, 0);
		csv_eol(b);
	}
}

static void
csv_readiness_back(struct buf *b, const struct report *r)
{
	static const char *const cols[] = { "probe", "family", "kind", "probes" };
	const struct report_readiness	*rd = &r->readiness;
	size_t				 i;

	csv_header(b, cols, 4);
	for (i = 0; i < rd->nbacks; i++) {
		csv_field(b, probe_kind_name(rd->backs[i].probe), 1);
		csv_u64(b, (uint64_t)rd->backs[i].family, 0);
		csv_field(b, addr_kind_name(rd->backs[i].kind), 0);
		csv_u64(b, rd->backs[i].n, 0);
		csv_eol(b);
	}
}

static void
csv_readiness_lost(struct buf *b, const struct report *r)
{
	static const char *const cols[] = { "prefix", "family", "kind",
	    "not_reached" };
	const struct report_readiness	*rd = &r->readiness;
	size_t				 i;

	csv_header(b, cols, 4);
	for (i = 0; i < rd->nlost; i++) {
		csv_field(b, rd->lost[i].prefix, 1);
		csv_u64(b, (uint64_t)rd->lost[i].family, 0);
		csv_field(b, addr_kind_name(rd->lost[i].kind), 0);
		csv_u64(b, rd->lost[i].not_reached, 0);
		csv_eol(b);
	}
}

static void
csv_readiness_series(struct buf *b, const struct report *r)
{
	static const char *const cols[] = { "start", "v6_started", "v6_reached",
	    "v4_started", "v4_reached", "self_started", "self_reached", "share" };
	const struct report_readiness	*rd = &r->readiness;
	struct readiness		 e;
	char				 t[32];
	size_t				 i;
	int				 k;

	csv_header(b, cols, 8);
	for (i = 0; i < rd->nseries; i++) {
		const struct report_probe	*p = rd->series[i].probe;

		view_time(t, sizeof(t), rd->series[i].start, VIEW_ISO);
		csv_field(b, t, 1);
		for (k = 0; k < PROBE__MAX; k++) {
			csv_u64(b, p[k].started, 0);
			csv_u64(b, p[k].reached, 0);
		}
		readiness_estimate(p[PROBE_V6].started, p[PROBE_V6].reached,
		    p[PROBE_SELF].started, p[PROBE_SELF].reached, &e);
		if (e.ok)
			csv_double(b, e.share, 0);
		else
			csv_field(b, "", 0);
		csv_eol(b);
	}
}

void
page_report_csv(struct buf *b, const struct report *r)
{
	switch (r->q.table) {
	case TABLE_READINESS:
		csv_readiness(b, r);
		break;
	case TABLE_READINESS_ARRIVAL:
		csv_readiness_arrival(b, r);
		break;
	case TABLE_READINESS_BACK:
		csv_readiness_back(b, r);
		break;
	case TABLE_READINESS_LOST:
		csv_readiness_lost(b, r);
		break;
	case TABLE_READINESS_SERIES:
		csv_readiness_series(b, r);
		break;
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
	case TABLE_NODES:
		csv_nodes(b, r);
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
