/* page_report_json.c: the usage report as JSON, every number of it for scripts. */
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "buf.h"
#include "json.h"
#include "page.h"
#include "report.h"
#include "report_view.h"

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
	/* null: every host, every way. */
	json_obj_open(&j, "filters");
	json_str(&j, "host", r->q.host[0] != '\0' ? r->q.host : NULL);
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
	json_obj_close(&j);
	buf_putc(b, '\n');
}
