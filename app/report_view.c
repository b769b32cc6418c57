/* report_view.c: what every format of the report shows, computed from a struct report (pure). */
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "addr.h"
#include "buf.h"
#include "report.h"
#include "report_view.h"
#include "row.h"
#include "url.h"
#include "utc.h"

#define DAY	86400
#define HOUR	3600

/* The report's names for utc.h's forms. */
void
view_time(char *out, size_t sz, int64_t t, enum view_time form)
{
	static const enum utc_form as[] = {
		[VIEW_ISO] = UTC_ISO,
		[VIEW_DAY] = UTC_DAY,
		[VIEW_HOUR] = UTC_MINUTE,
		[VIEW_SHORT] = UTC_SHORT,
	};

	utc_format(out, sz, t, (unsigned)form < sizeof(as) / sizeof(as[0]) ?
	    as[form] : UTC__MAX);
}

bool
view_hourly(const struct report *r)
{
	return r->q.bucket == HOUR;
}

const char *
view_bucket_name(const struct report *r)
{
	return view_hourly(r) ? "hour" : "day";
}

void
view_bucket_label(char *out, size_t sz, const struct report *r, int64_t t)
{
	view_time(out, sz, t, view_hourly(r) ? VIEW_HOUR : VIEW_DAY);
}

double
view_part(uint64_t n, uint64_t total)
{
	return total == 0 ? 0 : (double)n / (double)total;
}

void
view_percent(char *out, size_t sz, double share)
{
	uint64_t	 tenths;

	if (!isfinite(share) || share < 0)
		share = 0;
	if (share > 1)
		share = 1;
	tenths = (uint64_t)(share * 1000.0 + 0.5);
	snprintf(out, sz, "%" PRIu64 ".%" PRIu64 " %%", tenths / 10,
	    tenths % 10);
}

void
view_points(char *out, size_t sz, double points)
{
	uint64_t	 tenths;

	if (points < 0)
		points = -points;
	if (!isfinite(points))
		points = 0;
	tenths = (uint64_t)(points * 10.0 + 0.5);
	snprintf(out, sz, "%" PRIu64 ".%" PRIu64, tenths / 10, tenths % 10);
}

uint64_t
view_scale_top(uint64_t v)
{
	uint64_t	 p = 1;

	if (v <= 1)
		return 1;
	while (p <= UINT64_MAX / 10 && p * 10 < v)
		p *= 10;
	if (p >= v)
		return p;
	/* Above 10^19 no round number fits in 64 bits: v is its own top. */
	if (p <= UINT64_MAX / 2 && 2 * p >= v)
		return 2 * p;
	if (p <= UINT64_MAX / 5 && 5 * p >= v)
		return 5 * p;
	return p <= UINT64_MAX / 10 ? 10 * p : v;
}

struct view_change
view_change(const struct report *r)
{
	struct view_change	 c;

	memset(&c, 0, sizeof(c));
	if (r->prev_ipv4 + r->prev_ipv6 == 0 || r->total == 0)
		return c;
	c.known = true;
	c.prev = report_share(r->prev_ipv4, r->prev_ipv6);
	c.points = (report_share(r->ipv4, r->ipv6) - c.prev) * 100.0;
	c.dir = c.points >= 0.05 ? 1 : c.points <= -0.05 ? -1 : 0;
	return c;
}

const char *
view_family_name(int family)
{
	return family == 6 ? "IPv6" : family == 4 ? "IPv4" : "unknown";
}

bool
view_how_known(int how)
{
	return how >= 0 && how < HOW__MAX;
}

const char *
view_how_name(int how)
{
	return view_how_known(how) ? how_name((enum how)how) : "";
}

const char *
view_how_label(int how)
{
	static const char *const labels[HOW__MAX] = {
		"the landing page",		/* HOW_PAGE */
		"the beacon",			/* HOW_BEACON */
		"the whole site (authorizer)",	/* HOW_AUTHORIZER */
		"the whole site (/record)",	/* HOW_RECORD */
		"the web server's log",		/* HOW_LOG */
	};

	return view_how_known(how) ? labels[how] : "an unknown way";
}

static const char *const group_names[VIEW_GROUP__MAX] = {
	"Native (global)",	/* VIEW_GROUP_NATIVE */
	"6to4",			/* VIEW_GROUP_6TO4 */
	"Teredo",		/* VIEW_GROUP_TEREDO */
	"NAT64",		/* VIEW_GROUP_NAT64 */
	"IPv4-mapped",		/* VIEW_GROUP_MAPPED */
	"Internal (ULA, private, loopback, link-local)",	/* VIEW_GROUP_INTERNAL */
	"Other (CGNAT, documentation, reserved)",	/* VIEW_GROUP_OTHER */
};

const char *
view_group_name(enum view_group g)
{
	return (int)g >= 0 && g < VIEW_GROUP__MAX ? group_names[g] : "";
}

enum view_group
view_kind_group(const struct report_kind *k)
{
	if (k->mapped)
		return VIEW_GROUP_MAPPED;
	switch (k->kind) {
	case KIND_GLOBAL:
		return VIEW_GROUP_NATIVE;
	case KIND_6TO4:
		return VIEW_GROUP_6TO4;
	case KIND_TEREDO:
		return VIEW_GROUP_TEREDO;
	case KIND_NAT64:
		return VIEW_GROUP_NAT64;
	case KIND_ULA:
	case KIND_PRIVATE:
	case KIND_LOOPBACK:
	case KIND_LINKLOCAL:
		return VIEW_GROUP_INTERNAL;
	default:
		return VIEW_GROUP_OTHER;
	}
}

void
view_group_sums(const struct report *r, uint64_t sums[VIEW_GROUP__MAX])
{
	size_t	 i;

	memset(sums, 0, sizeof(uint64_t) * VIEW_GROUP__MAX);
	for (i = 0; i < r->nkinds; i++)
		sums[view_kind_group(&r->kinds[i])] += r->kinds[i].requests;
}

bool
view_filtered(const struct report *r)
{
	return r->q.host[0] != '\0' || r->q.node[0] != '\0' ||
	    view_how_known(r->q.how);
}

bool
view_node_listed(const struct report *r)
{
	size_t	 i;

	if (r->q.node[0] == '\0')
		return false;
	for (i = 0; i < r->nnodes; i++)
		if (strcmp(r->nodes[i].node, r->q.node) == 0)
			return true;
	return false;
}

bool
view_host_listed(const struct report *r)
{
	size_t	 i;

	if (r->q.host[0] == '\0')
		return false;
	for (i = 0; i < r->nhosts; i++)
		if (strcmp(r->hosts[i].host, r->q.host) == 0)
			return true;
	return false;
}

static const struct view_preset presets[] = {
	{ 1, "24 hours" },
	{ 7, "7 days" },
	{ 30, "30 days" },
	{ 90, "90 days" },
	{ 365, "1 year" },
};

const struct view_preset *
view_preset(size_t i)
{
	return i < sizeof(presets) / sizeof(presets[0]) ? &presets[i] : NULL;
}

/* A number as a query value. */
static void
param_num(struct buf *q, const char *key, int64_t v)
{
	char	 n[24];

	snprintf(n, sizeof(n), "%" PRId64, v);
	url_param(q, key, n);
}

/* The hourly 24-hour window is only reachable as days=1: it is a preset. */
void
view_period_query(struct buf *q, const struct report *r)
{
	char	 from[16], to[16];

	if (r->q.days != 0)
		param_num(q, "days", r->q.days);
	else if (r->q.from % DAY == 0 && r->q.to % DAY == 0 &&
	    r->q.to > r->q.from) {
		view_time(from, sizeof(from), r->q.from, VIEW_DAY);
		view_time(to, sizeof(to), r->q.to - DAY, VIEW_DAY);
		url_param(q, "from", from);
		url_param(q, "to", to);
	} else
		param_num(q, "days", (r->q.to - r->q.from + DAY - 1) / DAY);
}

void
view_filter_query(struct buf *q, const char *host, const char *node, int how)
{
	if (host != NULL && host[0] != '\0')
		url_param(q, "host", host);
	if (node != NULL && node[0] != '\0')
		url_param(q, "node", node);
	if (view_how_known(how))
		url_param(q, "how", view_how_name(how));
}

void
view_preset_query(struct buf *q, const struct report *r, unsigned days)
{
	param_num(q, "days", days);
	view_filter_query(q, r->q.host, r->q.node, r->q.how);
}
