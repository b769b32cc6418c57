/* page_report_json.c: the usage report as JSON, every number of it for scripts. */
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "buf.h"
#include "json.h"
#include "page.h"
#include "probe.h"
#include "readiness.h"
#include "report.h"
#include "report_view.h"

/* {"share", "low", "high", "probes"} of what probe k says against the control, or null. */
static void
json_estimate(struct json *j, const char *key, const struct report_readiness *rd,
    enum probe_kind k)
{
	struct readiness	 e;

	readiness_estimate(rd->probe[k].started, rd->probe[k].reached,
	    rd->probe[PROBE_SELF].started, rd->probe[PROBE_SELF].reached, &e);
	if (!e.ok) {
		json_none(j, key);
		return;
	}
	json_obj_open(j, key);
	json_double(j, "share", e.share);
	json_double(j, "low", e.low);
	json_double(j, "high", e.high);
	json_u64(j, "probes", e.probes);
	json_obj_close(j);
}

static void
json_probe(struct json *j, const char *key, const struct report_probe *p)
{
	json_obj_open(j, key);
	json_u64(j, "started", p->started);
	json_u64(j, "reached", p->reached);
	json_u64(j, "wrong_family", p->wrong);
	json_obj_close(j);
}

/*
 * The readiness probes (issue 10 §3): per probe, the estimates (an
 * IPv6-only and an IPv4-only site), by arrival, how they came back, the
 * networks an IPv6-only site would lose, and the series.
 */
static void
json_readiness(struct json *j, const struct report *r)
{
	const struct report_readiness	*rd = &r->readiness;
	struct readiness		 e;
	char				 t[32];
	size_t				 i;
	int				 k;

	json_obj_open(j, "readiness");
	for (k = 0; k < PROBE__MAX; k++)
		json_probe(j, probe_kind_name((enum probe_kind)k), &rd->probe[k]);
	json_estimate(j, "estimate", rd, PROBE_V6);
	json_estimate(j, "estimate_v4", rd, PROBE_V4);
	json_arr_open(j, "by_arrival");
	for (i = 0; i < rd->narrivals; i++) {
		json_obj_open(j, NULL);
		json_u64(j, "family", (uint64_t)rd->arrivals[i].family);
		json_str(j, "kind", addr_kind_name(rd->arrivals[i].kind));
		json_str(j, "probe", probe_kind_name(rd->arrivals[i].probe));
		json_u64(j, "started", rd->arrivals[i].started);
		json_u64(j, "reached", rd->arrivals[i].reached);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_arr_open(j, "came_back");
	for (i = 0; i < rd->nbacks; i++) {
		json_obj_open(j, NULL);
		json_str(j, "probe", probe_kind_name(rd->backs[i].probe));
		json_u64(j, "family", (uint64_t)rd->backs[i].family);
		json_str(j, "kind", addr_kind_name(rd->backs[i].kind));
		json_u64(j, "n", rd->backs[i].n);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_arr_open(j, "lost");
	for (i = 0; i < rd->nlost; i++) {
		json_obj_open(j, NULL);
		json_str(j, "prefix", rd->lost[i].prefix);
		json_u64(j, "family", (uint64_t)rd->lost[i].family);
		json_str(j, "kind", addr_kind_name(rd->lost[i].kind));
		json_u64(j, "not_reached", rd->lost[i].not_reached);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_arr_open(j, "series");
	for (i = 0; i < rd->nseries; i++) {
		const struct report_probe_point	*p = &rd->series[i];

		json_obj_open(j, NULL);
		view_time(t, sizeof(t), p->start, VIEW_ISO);
		json_str(j, "start", t);
		for (k = 0; k < PROBE__MAX; k++)
			json_probe(j, probe_kind_name((enum probe_kind)k), &p->probe[k]);
		readiness_estimate(p->probe[PROBE_V6].started,
		    p->probe[PROBE_V6].reached, p->probe[PROBE_SELF].started,
		    p->probe[PROBE_SELF].reached, &e);
		if (e.ok)
			json_double(j, "share", e.share);
		else
			json_none(j, "share");
		json_obj_close(j);
	}
	json_arr_close(j);
	json_obj_close(j);
}

void
page_report_json(struct buf *b, const struct report *r)
{
	struct json	 j;
	char		 t[32];
	size_t		 i;

	json_init(&j, b);
	json_obj_open(&j, NULL);
	view_time(t, sizeof(t), r->q.from, VIEW_ISO);
	json_str(&j, "from", t);
	view_time(t, sizeof(t), r->q.to, VIEW_ISO);
	json_str(&j, "to", t);
	json_str(&j, "bucket", view_bucket_name(r));
	/* null: every host, every node, every way. */
	json_obj_open(&j, "filters");
	json_str(&j, "host", r->q.host[0] != '\0' ? r->q.host : NULL);
	json_str(&j, "node", r->q.node[0] != '\0' ? r->q.node : NULL);
	json_str(&j, "how", view_how_known(r->q.how) ?
	    view_how_name(r->q.how) : NULL);
	json_obj_close(&j);
	json_u64(&j, "total", r->total);
	json_u64(&j, "ipv4", r->ipv4);
	json_u64(&j, "ipv6", r->ipv6);
	json_double(&j, "ipv6_share", report_share(r->ipv4, r->ipv6));
	json_u64(&j, "prev_ipv4", r->prev_ipv4);
	json_u64(&j, "prev_ipv6", r->prev_ipv6);

	json_arr_open(&j, "kinds");
	for (i = 0; i < r->nkinds; i++) {
		json_obj_open(&j, NULL);
		json_u64(&j, "family", (uint64_t)r->kinds[i].family);
		json_str(&j, "kind", addr_kind_name(r->kinds[i].kind));
		json_bool(&j, "mapped", r->kinds[i].mapped);
		json_u64(&j, "requests", r->kinds[i].requests);
		json_obj_close(&j);
	}
	json_arr_close(&j);

	json_obj_open(&j, "unique_prefixes");
	json_u64(&j, "ipv4", r->unique_ipv4);
	json_u64(&j, "ipv6", r->unique_ipv6);
	json_obj_close(&j);

	json_arr_open(&j, "prefixes");
	for (i = 0; i < r->nprefixes; i++) {
		json_obj_open(&j, NULL);
		json_str(&j, "prefix", r->prefixes[i].prefix);
		json_u64(&j, "family", (uint64_t)r->prefixes[i].family);
		json_str(&j, "kind", addr_kind_name(r->prefixes[i].kind));
		json_u64(&j, "requests", r->prefixes[i].requests);
		json_obj_close(&j);
	}
	json_arr_close(&j);

	json_arr_open(&j, "hosts");
	for (i = 0; i < r->nhosts; i++) {
		json_obj_open(&j, NULL);
		json_str(&j, "host", r->hosts[i].host);
		json_u64(&j, "ipv4", r->hosts[i].ipv4);
		json_u64(&j, "ipv6", r->hosts[i].ipv6);
		json_obj_close(&j);
	}
	json_arr_close(&j);

	/* By server: "" is the rows of no known node (before schema 5). */
	json_arr_open(&j, "nodes");
	for (i = 0; i < r->nnodes; i++) {
		json_obj_open(&j, NULL);
		json_str(&j, "node", r->nodes[i].node);
		json_u64(&j, "requests", r->nodes[i].ipv4 + r->nodes[i].ipv6);
		json_u64(&j, "ipv4", r->nodes[i].ipv4);
		json_u64(&j, "ipv6", r->nodes[i].ipv6);
		json_double(&j, "share", view_part(r->nodes[i].ipv4 +
		    r->nodes[i].ipv6, r->total));
		json_double(&j, "ipv6_share", report_share(r->nodes[i].ipv4,
		    r->nodes[i].ipv6));
		json_obj_close(&j);
	}
	json_arr_close(&j);

	json_arr_open(&j, "listeners");
	for (i = 0; i < r->nlisteners; i++) {
		json_obj_open(&j, NULL);
		json_i64(&j, "server_family", r->listeners[i].server_family);
		json_u64(&j, "ipv4", r->listeners[i].ipv4);
		json_u64(&j, "ipv6", r->listeners[i].ipv6);
		json_obj_close(&j);
	}
	json_arr_close(&j);

	json_arr_open(&j, "hows");
	for (i = 0; i < r->nhows; i++) {
		json_obj_open(&j, NULL);
		json_str(&j, "how", view_how_name(r->hows[i].how));
		json_u64(&j, "requests", r->hows[i].requests);
		json_obj_close(&j);
	}
	json_arr_close(&j);

	json_arr_open(&j, "series");
	for (i = 0; i < r->nseries; i++) {
		json_obj_open(&j, NULL);
		view_time(t, sizeof(t), r->series[i].start, VIEW_ISO);
		json_str(&j, "start", t);
		json_u64(&j, "ipv4", r->series[i].ipv4);
		json_u64(&j, "ipv6", r->series[i].ipv6);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_readiness(&j, r);
	json_obj_close(&j);
	buf_putc(b, '\n');
}
