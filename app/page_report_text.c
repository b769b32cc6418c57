/* page_report_text.c: the usage report as text for a terminal (dualstat report). */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "addr.h"
#include "buf.h"
#include "page.h"
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
}
