/* page_landing.c: the public landing page that tells a visitor how they reached the site, and the beacon GIF. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "buf.h"
#include "html.h"
#include "page.h"
#include "report.h"

/*
 * The classic 43-byte transparent GIF89a: 1x1, a two-colour global table,
 * a graphic control extension marking index 0 transparent, and one
 * LZW-coded pixel (clear, 0, end).
 */
const unsigned char page_beacon_gif[] = {
	'G', 'I', 'F', '8', '9', 'a',
	0x01, 0x00, 0x01, 0x00,		/* width 1, height 1 */
	0x80, 0x00, 0x00,		/* global colour table of 2, bg 0 */
	0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
	0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
	0x02, 0x02, 0x44, 0x01, 0x00,
	0x3b
};
const size_t page_beacon_gif_len = sizeof(page_beacon_gif);

/*
 * What a readiness probe ends in (probe.h): a 16x16 green check mark on
 * transparent, so that the landing page shows it where the probe host was
 * reached and the image's alt text (the other outcome) where it was not.
 * Its LZW data is "uncompressed": a clear code before every two pixels,
 * so the code width stays at 3 bits.
 */
const unsigned char page_probe_gif[] = {
	0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x10, 0x00, 0x10, 0x00, 0x80, 0x00,
	0x00, 0xff, 0xff, 0xff, 0x1b, 0x6e, 0x20, 0x21, 0xf9, 0x04, 0x01, 0x00,
	0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x10, 0x00,
	0x00, 0x02, 0x91, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x00, 0x01, 0x02,
	0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x00, 0x01, 0x02, 0x04, 0x08, 0x10,
	0x20, 0x40, 0x80, 0x00, 0x01, 0x06, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80,
	0x00, 0x11, 0x06, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x00, 0x13, 0x02,
	0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x08, 0x03, 0x02, 0x04, 0x08, 0x10,
	0x20, 0x40, 0x80, 0x09, 0x01, 0x02, 0x44, 0x08, 0x10, 0x20, 0x40, 0x84,
	0x01, 0x01, 0x02, 0x44, 0x18, 0x10, 0x20, 0xc0, 0x84, 0x00, 0x01, 0x02,
	0x04, 0x98, 0x10, 0x20, 0xc2, 0x80, 0x00, 0x01, 0x02, 0x04, 0x88, 0x30,
	0x60, 0x42, 0x80, 0x00, 0x01, 0x02, 0x04, 0x08, 0x30, 0x61, 0x40, 0x80,
	0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x21, 0x40, 0x80, 0x00, 0x01, 0x02,
	0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x00, 0x01, 0x02, 0x04, 0x08, 0x10,
	0x20, 0x40, 0x80, 0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80,
	0x00, 0x01, 0x02, 0x05, 0x00, 0x3b,
};
const size_t page_probe_gif_len = sizeof(page_probe_gif);

static const char *const words_v4[KIND__MAX] = {
	[KIND_GLOBAL] = "public IPv4",
	[KIND_LOOPBACK] = "IPv4 loopback (this machine)",
	[KIND_PRIVATE] = "a private IPv4 network (RFC 1918) \xe2\x80\x94 probably NAT or a proxy",
	[KIND_CGNAT] = "carrier-grade NAT (shared IPv4)",
	[KIND_LINKLOCAL] = "an IPv4 link-local address (169.254/16)",
	[KIND_DOCUMENTATION] = "a documentation/test IPv4 address",
	[KIND_RESERVED] = "a reserved IPv4 address",
};

/* A v4-mapped visitor came over IPv4 to a dual-stack [::] listener. */
static const char *const words_mapped[KIND__MAX] = {
	[KIND_GLOBAL] = "public IPv4 on an IPv6 socket (IPv4-mapped)",
	[KIND_LOOPBACK] = "IPv4 loopback (this machine) on an IPv6 socket (IPv4-mapped)",
	[KIND_PRIVATE] = "a private IPv4 network (RFC 1918) on an IPv6 socket (IPv4-mapped) \xe2\x80\x94 probably NAT or a proxy",
	[KIND_CGNAT] = "carrier-grade NAT (shared IPv4) on an IPv6 socket (IPv4-mapped)",
	[KIND_LINKLOCAL] = "an IPv4 link-local address on an IPv6 socket (IPv4-mapped)",
	[KIND_DOCUMENTATION] = "a documentation/test IPv4 address on an IPv6 socket (IPv4-mapped)",
	[KIND_RESERVED] = "a reserved IPv4 address on an IPv6 socket (IPv4-mapped)",
};

static const char *const words_v6[KIND__MAX] = {
	[KIND_GLOBAL] = "native IPv6",
	[KIND_LOOPBACK] = "IPv6 loopback (this machine)",
	[KIND_LINKLOCAL] = "an IPv6 link-local address (fe80::/10)",
	[KIND_DOCUMENTATION] = "a documentation/test IPv6 address",
	[KIND_RESERVED] = "a reserved IPv6 address",
	[KIND_NAT64] = "an IPv6-only network that reaches IPv4 through NAT64",
	[KIND_TEREDO] = "IPv6 through a Teredo tunnel",
	[KIND_6TO4] = "IPv6 through a 6to4 relay",
	[KIND_ULA] = "a private (ULA) IPv6 address",
};

/* The tables leave holes for kinds a family cannot have (IPv4 Teredo). */
const char *
page_kind_words(int family, enum addr_kind kind, bool mapped)
{
	const char	*const *t;

	if ((unsigned)kind >= KIND__MAX)
		return "an unknown kind of address";
	if (family == 4)
		t = mapped ? words_mapped : words_v4;
	else if (family == 6)
		t = words_v6;
	else
		return "an unknown kind of address";
	if (t[kind] == NULL)
		return family == 4 ? "an unusual IPv4 address" :
		    "an unusual IPv6 address";
	return t[kind];
}

static void
landing_link(struct buf *b, const struct page_site *site, const char *path,
    const char *label)
{
	html(b, "<a href=\"");
	html_attr(b, site->base);
	html_attr(b, path);
	html(b, "\">");
	html_txt(b, label);
	html(b, "</a>");
}

static void
landing_share(struct buf *b, const struct landing *l)
{
	uint64_t	 total;

	html(b, "<h2>This site over the last 24 hours</h2>\n<p>");
	total = l->ipv4_24h + l->ipv6_24h;
	if (!l->share_ok)
		html(b, "The IPv6 share over the last 24 hours is not "
		    "available right now.");
	else if (total == 0)
		html(b, "There have been no requests yet in the last 24 "
		    "hours.");
	else {
		html(b, "Over the last 24 hours, <strong>");
		html_percent(b, report_share(l->ipv4_24h, l->ipv6_24h));
		html(b, "</strong> of requests to this site came over IPv6 (");
		html_u64(b, l->ipv6_24h);
		html(b, " of ");
		html_u64(b, total);
		html(b, ").");
	}
	html(b, "</p>\n");
}

/* One probe image: the check mark when reached, alt (the other outcome) when not. */
static void
probe_img(struct buf *b, const struct page_site *site, const char *label,
    const char *path, const char *alt)
{
	html(b, "<li>");
	html_txt(b, label);
	html(b, ": <img class=\"probe\" src=\"");
	html_attr(b, site->base);
	html_attr(b, path);
	html(b, "\" width=\"16\" height=\"16\" alt=\"");
	html_attr(b, alt);
	html(b, "\"></li>\n");
}

/*
 * The readiness probes (issue 10 §2), without script: the browser loads
 * the three images as it loads the page, and shows a check mark or the
 * words of the other outcome.  The sentences beside them are the
 * server's, from how this visit came; the images are the browser's.
 */
static void
landing_probes(struct buf *b, const struct page_site *site, const struct landing *l)
{
	if (!l->probe_v6 && !l->probe_v4)
		return;
	html(b, "<h2>Could you reach an IPv6-only site?</h2>\n<p>Your browser "
	    "has just asked for these images, from a host name that exists only "
	    "over IPv6, one that exists only over IPv4, and this site. A check "
	    "mark means it reached that host.</p>\n<ul class=\"probes\">\n");
	if (l->probe_v6)
		probe_img(b, site, "IPv6-only host", "/probe/6.gif",
		    "not reached: you have no working IPv6");
	if (l->probe_v4)
		probe_img(b, site, "IPv4-only host", "/probe/4.gif",
		    "not reached: you have no working IPv4");
	probe_img(b, site, "This site (the control)", "/probe/self.gif",
	    "not reached: your browser follows no image redirect, so the "
	    "images above say nothing");
	html(b, "</ul>\n<p class=\"probe-verdict\">");
	if (!l->client_ok)
		html(b, "How you came cannot be told: your address could not be "
		    "read.");
	else if (l->family == 6)
		html(b, "You came over IPv6: an IPv6-only site is within your "
		    "reach. A check mark at the IPv4-only host means you reach "
		    "IPv4-only sites as well.");
	else if (l->probe_v6)
		html(b, "You came over IPv4. With a check mark at the IPv6-only "
		    "host, your browser can reach IPv6-only sites: your system "
		    "prefers IPv4. Without one, you have no working IPv6: an "
		    "IPv6-only site would be out of your reach.");
	else
		html(b, "You came over IPv4.");
	html(b, "</p>\n");
}

void
page_landing_html(struct buf *b, const struct page_site *site,
    const struct landing *l)
{
	const char	*name;

	name = site->site_name != NULL && site->site_name[0] != '\0' ?
	    site->site_name : "this site";
	html_open(b, name, site->static_url);

	html(b, "<h1>You reached ");
	html_txt(b, name);
	if (l->client_ok)
		html(b, l->family == 6 ? " over IPv6" : " over IPv4");
	html(b, "</h1>\n");

	if (!l->client_ok)
		html(b, "<p class=\"notice\">Your address could not be read, "
		    "so this page cannot say how you connected.</p>\n");
	else {
		html(b, "<p class=\"kind\">Your connection: ");
		html_txt(b, page_kind_words(l->family, l->kind, l->mapped));
		html(b, ".");
		if (l->via_proxy)
			html(b, " Your address was passed on via a proxy you "
			    "trust.");
		html(b, "</p>\n");
	}

	if (!l->recorded)
		html(b, "<p class=\"notice\">Measurement is unavailable right "
		    "now; this visit was not recorded.</p>\n");

	html(b, "<h2>What is kept</h2>\n<p>");
	if (l->recorded && l->client_ok && l->prefix != NULL) {
		html(b, "Stored: the network <code>");
		html_txt(b, l->prefix);
		html(b, "</code> (not your full address), ");
	} else
		html(b, "Stored for a visit: its network prefix (never the "
		    "full address), ");
	html(b, "the time, the address family and its kind, the host name asked for, and whether a proxy passed the address on.</p>\n<p>Not stored: your full address, user agent, cookies, the page you came from, or anything else that could identify you.</p>\n");
	if (l->probe_v6 || l->probe_v4)
		html(b, "<p>A probe image below keeps the same, and a random "
		    "single-use token, only until it comes back or its time "
		    "runs out; then it is a count, and the token is deleted.</p>\n");

	landing_probes(b, site, l);
	landing_share(b, l);

	html(b, "<nav>\n<p>For the site owner only: ");
	landing_link(b, site, "/report", "usage report");
	html(b, " \xc2\xb7 ");
	landing_link(b, site, "/status", "status");
	html(b, " \xc2\xb7 ");
	landing_link(b, site, "/check", "setup check");
	html(b, "</p>\n</nav>\n");
	html_close(b);
}
