/* page_report_text.c: the usage report as text for a terminal (dualstat report). */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "addr.h"
#include "buf.h"
#include "page.h"
#include "probe.h"
#include "readiness.h"
#include "report.h"
#include "report_view.h"
#include "text.h"

#define BAR_WIDTH	40
#define SMALL_BAR	20

/*
 * Text for a terminal: control characters (escape sequences) from a
 * damaged database must not reach it.  width counts bytes.
 */
static void
text_safe(struct buf *b, const char *s, int width)
{
	int	 n = (int)strlen(s);

	text_put(b, s);
	for (; n < width; n++)
		buf_putc(b, ' ');
}

static void
text_percent(struct buf *b, double share)
{
	uint64_t	 tenths;

	if (!(share >= 0))
		share = 0;
	if (share > 1)
		share = 1;
	tenths = (uint64_t)(share * 1000.0 + 0.5);
	buf_printf(b, "%3" PRIu64 ".%" PRIu64 " %%", tenths / 10, tenths % 10);
}

static void
text_bar(struct buf *b, double share, int width)
{
	int	 i, n;

	if (!(share >= 0))
		share = 0;
	if (share > 1)
		share = 1;
	n = (int)(share * width + 0.5);
	buf_putc(b, '|');
	for (i = 0; i < width; i++)
		buf_putc(b, i < n ? '#' : '.');
	buf_putc(b, '|');
}

static void
text_headline(struct buf *b, const struct report *r)
{
	struct view_change	 c = view_change(r);
	char		 pts[32];
	uint64_t	 ptotal = r->prev_ipv4 + r->prev_ipv6;

	if (r->total == 0)
		buf_puts(b, "No requests were recorded in this period.\n");
	else {
		buf_puts(b, "IPv6 share ");
		text_percent(b, report_share(r->ipv4, r->ipv6));
		buf_printf(b, " of %" PRIu64 " request%s ", r->total,
		    r->total == 1 ? "" : "s");
		text_bar(b, report_share(r->ipv4, r->ipv6), BAR_WIDTH);
		buf_putc(b, '\n');
	}
	if (!c.known) {
		if (ptotal == 0)
			buf_puts(b, "No previous data: the period of the same "
			    "length before had no requests.\n");
		else {
			buf_printf(b, "The period of the same length before had "
			    "%" PRIu64 " requests, ", ptotal);
			text_percent(b, report_share(r->prev_ipv4, r->prev_ipv6));
			buf_puts(b, " over IPv6.\n");
		}
		return;
	}
	view_points(pts, sizeof(pts), c.points);
	if (c.dir == 0)
		buf_puts(b, "Unchanged");
	else
		buf_printf(b, "%s %s percentage points", c.dir > 0 ? "Up" :
		    "Down", pts);
	buf_puts(b, " from ");
	text_percent(b, c.prev);
	buf_printf(b, " in the period of the same length before (%" PRIu64
	    " requests).\n", ptotal);
}

/* ---- Readiness probes (issue 10 §3) ---- */

/* "about 75.0 % (95 %: 62.3 % to 90.7 %)", of e or of what it leaves out (lost). */
static void
text_estimate(struct buf *b, const struct readiness *e, bool lost)
{
	buf_puts(b, "about");
	text_percent(b, lost ? 1 - e->share : e->share);
	buf_puts(b, " (95 %:");
	text_percent(b, lost ? 1 - e->high : e->low);
	buf_puts(b, " to");
	text_percent(b, lost ? 1 - e->low : e->high);
	buf_putc(b, ')');
}

static void
text_readiness(struct buf *b, const struct report *r)
{
	const struct report_readiness	*rd = &r->readiness;
	const struct report_probe	*p = rd->probe;
	struct readiness		 e6, e4, e;
	char				 t[32];
	size_t				 i;
	int				 k;

	if (p[PROBE_V6].started + p[PROBE_V4].started + p[PROBE_SELF].started == 0)
		return;
	buf_puts(b, "\nReadiness probes\n");
	readiness_estimate(p[PROBE_V6].started, p[PROBE_V6].reached,
	    p[PROBE_SELF].started, p[PROBE_SELF].reached, &e6);
	readiness_estimate(p[PROBE_V4].started, p[PROBE_V4].reached,
	    p[PROBE_SELF].started, p[PROBE_SELF].reached, &e4);
	if (e6.ok) {
		buf_puts(b, "If this site were IPv6-only, ");
		text_estimate(b, &e6, false);
		buf_printf(b, " of its visitors could reach it, from %" PRIu64
		    " probes.\n", e6.probes);
	} else
		buf_puts(b, "Too few probes for an estimate: it needs IPv6-only "
		    "probes and controls that came back.\n");
	if (e4.ok) {
		buf_puts(b, "An IPv4-only site would lose ");
		text_estimate(b, &e4, true);
		buf_printf(b, ", from %" PRIu64 " probes.\n", e4.probes);
	}
	buf_printf(b, "  %-6s %12s %12s %12s\n", "probe", "started", "reached",
	    "wrong family");
	for (k = 0; k < PROBE__MAX; k++)
		buf_printf(b, "  %-6s %12" PRIu64 " %12" PRIu64 " %12" PRIu64 "\n",
		    probe_kind_name((enum probe_kind)k), p[k].started, p[k].reached,
		    p[k].wrong);
	if (rd->narrivals > 0) {
		buf_printf(b, "\nProbes by how the visit came\n  %-4s %-14s %-5s "
		    "%12s %12s\n", "fam", "kind", "probe", "started", "reached");
		for (i = 0; i < rd->narrivals; i++) {
			buf_printf(b, "  %-4s ", view_family_name(rd->arrivals[i].family));
			text_safe(b, addr_kind_name(rd->arrivals[i].kind), 14);
			buf_printf(b, " %-5s %12" PRIu64 " %12" PRIu64 "\n",
			    probe_kind_name(rd->arrivals[i].probe),
			    rd->arrivals[i].started, rd->arrivals[i].reached);
		}
	}
	if (rd->nlost > 0) {
		buf_puts(b, "\nNetworks an IPv6-only site would lose (IPv6-only probe "
		    "not reached)\n");
		for (i = 0; i < rd->nlost; i++) {
			buf_puts(b, "  ");
			text_safe(b, rd->lost[i].prefix, 20);
			buf_printf(b, " %-4s ", view_family_name(rd->lost[i].family));
			text_safe(b, addr_kind_name(rd->lost[i].kind), 14);
			buf_printf(b, " %8" PRIu64 " not reached\n",
			    rd->lost[i].not_reached);
		}
	}
	buf_printf(b, "\n%s  v6 probes  reached   controls  reached  share\n",
	    view_hourly(r) ? "Hour (UTC)      " : "Day (UTC)       ");
	for (i = 0; i < rd->nseries; i++) {
		const struct report_probe	*q = rd->series[i].probe;

		view_bucket_label(t, sizeof(t), r, rd->series[i].start);
		buf_printf(b, "%-16s %10" PRIu64 " %8" PRIu64 " %10" PRIu64 " %8"
		    PRIu64 "  ", t, q[PROBE_V6].started, q[PROBE_V6].reached,
		    q[PROBE_SELF].started, q[PROBE_SELF].reached);
		readiness_estimate(q[PROBE_V6].started, q[PROBE_V6].reached,
		    q[PROBE_SELF].started, q[PROBE_SELF].reached, &e);
		if (e.ok)
			text_percent(b, e.share);
		else
			buf_puts(b, "    -");
		buf_putc(b, '\n');
	}
}

void
page_report_text(struct buf *b, const struct report *r)
{
	uint64_t	 sums[VIEW_GROUP__MAX];
	char		 from[32], to[32], t[32];
	size_t		 i, w;
	int		 g;

	view_time(from, sizeof(from), r->q.from, VIEW_ISO);
	view_time(to, sizeof(to), r->q.to, VIEW_ISO);
	buf_printf(b, "IPv6 usage from %s to %s (by %s)\n", from, to,
	    view_bucket_name(r));
	if (r->q.host[0] != '\0') {
		buf_puts(b, "Host: ");
		text_safe(b, r->q.host, 0);
		buf_putc(b, '\n');
	}
	if (r->q.node[0] != '\0') {
		buf_puts(b, "Server: ");
		text_safe(b, r->q.node, 0);
		buf_putc(b, '\n');
	}
	if (view_how_known(r->q.how))
		buf_printf(b, "Measured by: %s\n", view_how_name(r->q.how));
	buf_putc(b, '\n');
	text_headline(b, r);

	buf_printf(b, "\n  %-8s %12s %7s %8s\n", "", "requests", "share",
	    "prefixes");
	buf_printf(b, "  %-8s %12" PRIu64 " ", "IPv4", r->ipv4);
	text_percent(b, view_part(r->ipv4, r->total));
	buf_printf(b, " %8" PRIu64 "\n  %-8s %12" PRIu64 " ", r->unique_ipv4,
	    "IPv6", r->ipv6);
	text_percent(b, view_part(r->ipv6, r->total));
	buf_printf(b, " %8" PRIu64 "\n  %-8s %12" PRIu64 "\n\n",
	    r->unique_ipv6, "total", r->total);

	buf_puts(b, "By kind\n");
	if (r->nkinds == 0)
		buf_puts(b, "  (none)\n");
	view_group_sums(r, sums);
	for (g = 0; g < VIEW_GROUP__MAX; g++) {
		if (sums[g] == 0)
			continue;
		buf_printf(b, "  %-46s %12" PRIu64 " ", view_group_name((enum view_group)g), sums[g]);
		text_percent(b, view_part(sums[g], r->total));
		buf_putc(b, ' ');
		text_bar(b, view_part(sums[g], r->total), SMALL_BAR);
		buf_putc(b, '\n');
		for (i = 0; i < r->nkinds; i++) {
			const struct report_kind	*k = &r->kinds[i];

			if ((int)view_kind_group(k) != g || k->requests == 0)
				continue;
			buf_printf(b, "    %-4s ", view_family_name(k->family));
			text_safe(b, addr_kind_name(k->kind), 14);
			buf_printf(b, " %-6s %30" PRIu64 " ",
			    k->mapped ? "mapped" : "", k->requests);
			text_percent(b, view_part(k->requests, r->total));
			buf_putc(b, '\n');
		}
	}

	buf_puts(b, "\nBusiest prefixes\n");
	if (r->nprefixes == 0)
		buf_puts(b, "  (none)\n");
	for (i = 0, w = 6; i < r->nprefixes; i++)
		if (strlen(r->prefixes[i].prefix) > w)
			w = strlen(r->prefixes[i].prefix);
	if (r->nprefixes > 0)
		buf_printf(b, "  %-*s %-4s %-14s %12s\n", (int)w, "prefix",
		    "fam", "kind", "requests");
	for (i = 0; i < r->nprefixes; i++) {
		const struct report_prefix	*p = &r->prefixes[i];

		buf_puts(b, "  ");
		text_safe(b, p->prefix, (int)w);
		buf_printf(b, " %-4s ", view_family_name(p->family));
		text_safe(b, addr_kind_name(p->kind), 14);
		buf_printf(b, " %12" PRIu64 "\n", p->requests);
	}

	if (r->nhosts > 0) {
		for (i = 0, w = 4; i < r->nhosts; i++)
			if (strlen(r->hosts[i].host) > w)
				w = strlen(r->hosts[i].host);
		if (w > 40)
			w = 40;
		buf_printf(b, "\nBy host\n  %-*s %10s %10s  %s\n", (int)w,
		    "host", "IPv4", "IPv6", "IPv6 share");
		for (i = 0; i < r->nhosts; i++) {
			const struct report_host	*h = &r->hosts[i];

			buf_puts(b, "  ");
			text_safe(b, h->host[0] == '\0' ? "(none)" : h->host,
			    (int)w);
			buf_printf(b, " %10" PRIu64 " %10" PRIu64 "  ", h->ipv4,
			    h->ipv6);
			text_percent(b, report_share(h->ipv4, h->ipv6));
			buf_putc(b, '\n');
		}
	}
	if (r->nnodes > 0) {
		for (i = 0, w = 6; i < r->nnodes; i++)
			if ((r->nodes[i].node[0] == '\0' ? strlen("(unknown)") :
			    strlen(r->nodes[i].node)) > w)
				w = r->nodes[i].node[0] == '\0' ? strlen("(unknown)") :
				    strlen(r->nodes[i].node);
		buf_printf(b, "\nBy server\n  %-*s %12s %7s %10s %10s  %s\n",
		    (int)w, "server", "requests", "share", "IPv4", "IPv6",
		    "IPv6 share");
		for (i = 0; i < r->nnodes; i++) {
			const struct report_node	*n = &r->nodes[i];

			buf_puts(b, "  ");
			text_safe(b, n->node[0] == '\0' ? "(unknown)" : n->node,
			    (int)w);
			buf_printf(b, " %12" PRIu64 " ", n->ipv4 + n->ipv6);
			text_percent(b, view_part(n->ipv4 + n->ipv6, r->total));
			buf_printf(b, " %10" PRIu64 " %10" PRIu64 "  ", n->ipv4,
			    n->ipv6);
			text_percent(b, report_share(n->ipv4, n->ipv6));
			buf_putc(b, '\n');
		}
	}
	if (r->nlisteners > 0) {
		buf_printf(b, "\nBy listening socket\n  %-8s %12s %12s\n",
		    "socket", "IPv4", "IPv6");
		for (i = 0; i < r->nlisteners; i++)
			buf_printf(b, "  %-8s %12" PRIu64 " %12" PRIu64 "\n",
			    r->listeners[i].server_family == 0 ? "unknown" :
			    view_family_name(r->listeners[i].server_family),
			    r->listeners[i].ipv4, r->listeners[i].ipv6);
	}
	if (r->nhows > 0) {
		buf_puts(b, "\nBy way of measuring\n");
		for (i = 0; i < r->nhows; i++) {
			buf_printf(b, "  %-12s %12" PRIu64 " ",
			    view_how_known(r->hows[i].how) ?
			    view_how_name(r->hows[i].how) : "unknown",
			    r->hows[i].requests);
			text_percent(b, view_part(r->hows[i].requests, r->total));
			buf_putc(b, '\n');
		}
	}

	buf_printf(b, "\n%s       IPv4       IPv6  IPv6 share\n",
	    view_hourly(r) ? "Hour (UTC)      " : "Day (UTC)       ");
	for (i = 0; i < r->nseries; i++) {
		const struct report_point	*p = &r->series[i];

		view_bucket_label(t, sizeof(t), r, p->start);
		buf_printf(b, "%-16s %10" PRIu64 " %10" PRIu64 "  ", t,
		    p->ipv4, p->ipv6);
		if (p->ipv4 + p->ipv6 == 0) {
			buf_puts(b, "     -\n");
			continue;
		}
		text_percent(b, report_share(p->ipv4, p->ipv6));
		buf_putc(b, ' ');
		text_bar(b, report_share(p->ipv4, p->ipv6), BAR_WIDTH);
		buf_putc(b, '\n');
	}
	text_readiness(b, r);
}
