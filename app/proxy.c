/* proxy.c: find the client behind trusted proxies (X-Forwarded-For, RFC 7239 Forwarded). */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "num.h"
#include "proxy.h"

/*
 * Longest node we look at: "[" 45-character address "%" 64-character zone
 * "]:" and a port fit well inside; anything longer is not an address.
 */
#define NODE_MAX	128

static const char *const header_names[PROXY__MAX] = {
	"none",			/* PROXY_NONE */
	"x-forwarded-for",	/* PROXY_XFF */
	"forwarded",		/* PROXY_FORWARDED */
};

const char *
proxy_header_name(enum proxy_header h)
{
	if ((unsigned)h >= PROXY__MAX)
		return "unknown";
	return header_names[h];
}

enum proxy_header
proxy_header_from_name(const char *name)
{
	unsigned	 h;

	if (name == NULL)
		return PROXY__MAX;
	for (h = 0; h < PROXY__MAX; h++)
		if (strcasecmp(name, header_names[h]) == 0)
			return (enum proxy_header)h;
	return PROXY__MAX;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* RFC 7230 §3.2.6 tchar. */
static bool
is_tchar(char c)
{
	return is_alpha(c) || is_digit(c) || (c != '\0' &&
	    strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* RFC 7230 §3.2.3 OWS. */
static bool
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * RFC 7239 §6: node-port = port / obfport, port = 1*5DIGIT,
 * obfport = "_" 1*(ALPHA / DIGIT / "." / "_" / "-").
 */
static bool
port_ok(const char *s, size_t len)
{
	uint64_t	 v;
	size_t		 i;

	if (len == 0)
		return false;
	if (s[0] == '_') {
		if (len == 1)
			return false;
		for (i = 1; i < len; i++)
			if (!is_alpha(s[i]) && !is_digit(s[i]) &&
			    s[i] != '.' && s[i] != '_' && s[i] != '-')
				return false;
		return true;
	}
	return len <= 5 && num_parse(s, len, 65535, 0, &v) == 0;
}

/*
 * RFC 7239 §6 node = nodename [ ":" node-port ], where an IPv6 nodename is
 * bracketed.  X-Forwarded-For has no standard; AWS ALB appends bare IPv6
 * and Azure appends "v4:port", so a bare address is taken too.  "unknown"
 * and obfuscated "_name" nodes are not addresses: the caller stops there.
 */
int
proxy_parse_node(const char *text, size_t len, struct addr *out)
{
	const char	*end, *rb, *colon;
	struct addr	 a;

	if (text == NULL || out == NULL || len == 0 || len > NODE_MAX)
		return -1;
	if (memchr(text, '\0', len) != NULL)
		return -1;
	end = text + len;

	if (text[0] == '[') {
		if ((rb = memchr(text, ']', len)) == NULL)
			return -1;
		if (rb + 1 != end && (rb[1] != ':' ||
		    !port_ok(rb + 2, (size_t)(end - rb - 2))))
			return -1;
		if (addr_parse_n(text + 1, (size_t)(rb - text - 1), &a) == -1)
			return -1;
		/* Brackets hold IPv6 (a mapped one is IPv4 by now), never "[192.0.2.1]". */
		if (a.family == 4 && !a.mapped)
			return -1;
	} else if ((colon = memchr(text, ':', len)) != NULL &&
	    memchr(colon + 1, ':', (size_t)(end - colon - 1)) == NULL) {
		/* One colon: "v4:port".  Two or more: a bare IPv6 address. */
		if (!port_ok(colon + 1, (size_t)(end - colon - 1)))
			return -1;
		if (addr_parse_n(text, (size_t)(colon - text), &a) == -1 ||
		    a.family != 4)
			return -1;
	} else if (addr_parse_n(text, len, &a) == -1)
		return -1;

	*out = a;
	return 0;
}

static bool
same_addr(const struct addr *a, const struct addr *b)
{
	return a->family == b->family &&
	    memcmp(a->bytes, b->bytes, a->family == 4 ? 4 : 16) == 0;
}

/*
 * A proxy may report any client but one on this very machine: a loopback
 * address in a header names the proxy's own host, and believing it would
 * make a stranger local (admin_allow's default).  Nor is the unspecified
 * address a client.  Apache's RemoteIPTrustedProxy refuses such claims too.
 */
static bool
believable(const struct addr *a)
{
	static const unsigned char	 zero[16];

	return addr_classify(a) != KIND_LOOPBACK &&
	    memcmp(a->bytes, zero, a->family == 4 ? 4 : 16) != 0;
}

/*
 * Walk one X-Forwarded-For line from the right, as Apache mod_remoteip and
 * nginx "real_ip_recursive on" do.  client holds the last address known:
 * the peer, then each hop walked.  Empty items are skipped (RFC 7230 §7).
 * Returns true when the walk goes on into the line before this one.
 */
static bool
walk_xff(const struct cidr_list *trusted, const char *h, struct addr *client)
{
	const char	*end = h + strlen(h), *s, *b, *e;
	struct addr	 a;

	for (;;) {
		for (s = end; s > h && s[-1] != ','; s--)
			continue;
		for (b = s, e = end; b < e && is_ows(*b); b++)
			continue;
		while (e > b && is_ows(e[-1]))
			e--;
		if (b < e) {
			if (proxy_parse_node(b, (size_t)(e - b), &a) == -1)
				return false;
			if (!cidr_list_contains(trusted, &a)) {
				if (believable(&a))
					*client = a;
				return false;
			}
			*client = a;
		}
		if (s == h)
			return true;
		end = s - 1;
	}
}

/*
 * Forwarded can only be split into elements from the left: a comma inside
 * a quoted-string does not end one.  So the elements are read left to
 * right and the right-to-left walk is kept as its result so far.  Walking
 * from the right stops at the rightmost element that is not a trusted
 * address (the last such one read): if it is an address it is the client;
 * if it is not (unknown, _name, malformed) the element after it is, or the
 * peer when there is none.  When every element is trusted, the leftmost is.
 */
struct fwalk {
	bool		 any;		/* an element was read */
	struct addr	 first;		/* leftmost element, when trusted */
	bool		 stop;		/* an element not a trusted address was read */
	bool		 stop_addr;	/* ... and it was an address, in stop_at */
	struct addr	 stop_at;
	bool		 after;		/* a trusted element followed it, in after_at */
	struct addr	 after_at;
};

static void
fwalk_hop(struct fwalk *w, const struct cidr_list *trusted, bool ok,
    const struct addr *a)
{
	bool	 trusted_hop = ok && cidr_list_contains(trusted, a);

	/* An address no proxy may report stops the walk like a malformed one. */
	ok = ok && (trusted_hop || believable(a));

	if (!w->any) {
		w->any = true;
		if (trusted_hop)
			w->first = *a;
	}
	if (!trusted_hop) {
		w->stop = true;
		w->stop_addr = ok;
		if (ok)
			w->stop_at = *a;
		w->after = false;
	} else if (w->stop && !w->after) {
		w->after = true;
		w->after_at = *a;
	}
}

static void
fwalk_end(const struct fwalk *w, struct addr *client)
{
	if (!w->any)
		return;
	if (!w->stop)
		*client = w->first;
	else if (w->stop_addr)
		*client = w->stop_at;
	else if (w->after)
		*client = w->after_at;
}

/*
 * RFC 7230 §3.2.6 quoted-string, from the opening quote.  Returns past the
 * closing quote, or at the NUL when unterminated (*bad set).  The unescaped
 * text goes to val when val is not NULL and fits; *vlen gets its length,
 * or NODE_MAX + 1 when it did not fit.
 */
static const char *
quoted(const char *p, char *val, size_t *vlen, bool *bad)
{
	size_t	 n = 0;
	char	 c;

	for (p++; ; p++) {
		c = *p;
		if (c == '\0') {
			*bad = true;
			break;
		}
		if (c == '"') {
			p++;
			break;
		}
		if (c == '\\') {
			c = *++p;
			if (c == '\0') {
				*bad = true;
				break;
			}
		}
		/* qdtext and quoted-pair: HTAB, SP, VCHAR, obs-text; no controls. */
		if (c != '\t' && (unsigned char)c < 0x20)
			*bad = true;
		if (c == 0x7f)
			*bad = true;
		if (val != NULL && n < NODE_MAX)
			val[n] = c;
		n++;
	}
	if (vlen != NULL)
		*vlen = n > NODE_MAX ? NODE_MAX + 1 : n;
	return p;
}

/*
 * RFC 7239 §4: Forwarded = 1#forwarded-element, forwarded-element =
 * [ forwarded-pair ] *( ";" [ forwarded-pair ] ), forwarded-pair = token
 * "=" value, value = token / quoted-string.  Only for= matters.  §6 wants
 * IPv6 and ports quoted; unquoted "[v6]:port" and "v4:port" are taken
 * anyway, since only trusted proxies are read and the node itself is still
 * checked.  An element with no for=, two for=, or bad syntax stops the walk.
 */
static void
walk_forwarded(struct fwalk *w, const struct cidr_list *trusted, const char *p)
{
	struct addr	 a;
	char		 val[NODE_MAX];
	const char	*name, *v;
	size_t		 nlen, vlen;
	bool		 bad, have_for, pairs, isfor;

	memset(&a, 0, sizeof(a));
	for (;;) {
		bad = have_for = pairs = false;
		vlen = 0;
		for (;;) {
			while (is_ows(*p))
				p++;
			if (*p == ',' || *p == '\0')
				break;
			pairs = true;
			if (*p == ';') {
				p++;
				continue;
			}
			for (name = p; is_tchar(*p); p++)
				continue;
			nlen = (size_t)(p - name);
			if (nlen == 0 || *p != '=') {
				bad = true;
				break;
			}
			p++;
			isfor = nlen == 3 && strncasecmp(name, "for", 3) == 0;
			if (isfor && have_for) {
				bad = true;
				break;
			}
			if (*p == '"')
				p = quoted(p, isfor ? val : NULL,
				    isfor ? &vlen : NULL, &bad);
			else {
				for (v = p; is_tchar(*p) || *p == ':' ||
				    *p == '[' || *p == ']'; p++)
					continue;
				if (p == v)
					bad = true;
				else if (isfor) {
					vlen = (size_t)(p - v);
					if (vlen > NODE_MAX)
						vlen = NODE_MAX + 1;
					else
						memcpy(val, v, vlen);
				}
			}
			if (bad)
				break;
			have_for = have_for || isfor;
			while (is_ows(*p))
				p++;
			if (*p != ';' && *p != ',' && *p != '\0') {
				bad = true;
				break;
			}
		}
		if (bad) {
			/* Resynchronise on the next comma that is not quoted. */
			while (*p != ',' && *p != '\0') {
				if (*p == '"')
					p = quoted(p, NULL, NULL, &bad);
				else
					p++;
			}
		}
		/* RFC 7230 §7: empty list elements are skipped. */
		if (pairs || bad)
			fwalk_hop(w, trusted, !bad && have_for &&
			    vlen <= NODE_MAX &&
			    proxy_parse_node(val, vlen, &a) == 0, &a);
		if (*p == '\0')
			break;
		p++;
	}
}

/*
 * RFC 7230 §3.2.2: a header sent as several lines means the same as their
 * values joined by commas, in order; so the lines are walked as one list.
 * The result is always a hop that was walked, or the peer: true exactly
 * when it is not the peer.  A hop equal to the peer does not count.
 */
bool
proxy_resolve(const struct addr *peer, const struct cidr_list *trusted,
    enum proxy_header which, const char *const *lines, size_t n,
    struct addr *client)
{
	struct fwalk	 w;
	size_t		 i;

	*client = *peer;
	if (lines == NULL || n == 0 || !cidr_list_contains(trusted, peer))
		return false;
	switch (which) {
	case PROXY_XFF:
		for (i = n; i > 0; i--)
			if (!walk_xff(trusted, lines[i - 1], client))
				break;
		break;
	case PROXY_FORWARDED:
		memset(&w, 0, sizeof(w));
		for (i = 0; i < n; i++)
			walk_forwarded(&w, trusted, lines[i]);
		fwalk_end(&w, client);
		break;
	default:
		return false;
	}
	return !same_addr(client, peer);
}
