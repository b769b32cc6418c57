/* url.c: URLs: query strings for the report's links (one encoder, so every value is one value), and absolute URLs read. */
#include <string.h>

#include "addr.h"
#include "buf.h"
#include "num.h"
#include "url.h"

void
url_encode(struct buf *b, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	unsigned char		 c;

	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			buf_putc(b, (char)c);
		else {
			buf_putc(b, '%');
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		}
	}
}

void
url_param(struct buf *q, const char *key, const char *value)
{
	if (q->len > 0)
		buf_putc(q, '&');
	buf_puts(q, key);
	buf_putc(q, '=');
	url_encode(q, value);
}

static bool
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.';
}

const char *
url_split(const char *url, struct url_parts *u)
{
	const char	*p, *end;
	struct addr	 a;
	uint64_t	 port;
	size_t		 digits;

	memset(u, 0, sizeof(*u));
	for (p = url; *p != '\0'; p++) {
		if ((unsigned char)*p <= ' ' || (unsigned char)*p == 0x7f)
			return "must not contain spaces or control characters";
		if (*p == '\\')
			return "must not contain \\ (browsers read it as /)";
		if (*p == '?' || *p == '#')
			return "must not contain ? or #";
	}
	if (strncmp(url, "https://", 8) == 0) {
		u->https = true;
		u->host = url + 8;
	} else if (strncmp(url, "http://", 7) == 0)
		u->host = url + 7;
	else
		return "must be an http:// or https:// URL";
	if (*u->host == '[') {
		if ((end = strchr(u->host, ']')) == NULL)
			return "has a [ without its ]";
		for (p = u->host + 1; p < end; p++)
			if (strchr("0123456789abcdefABCDEF:.", *p) == NULL)
				return "must have an IPv6 address between [ and ]";
		if (addr_parse_n(u->host + 1, (size_t)(end - u->host - 1), &a) != 0 ||
		    (a.family != 6 && !a.mapped))
			return "must have an IPv6 address between [ and ]";
		u->host_v6 = true;
		p = end + 1;
	} else {
		for (p = u->host; name_char(*p); p++)
			if (*p == '.' && (p == u->host || p[-1] == '.'))
				return "has an empty label in its host name";
		if (p == u->host)
			return "has no host name";
	}
	u->host_len = (size_t)(p - u->host);
	if (*p == ':') {
		digits = strspn(++p, "0123456789");
		if (digits > 5 || num_parse(p, digits, 65535, 0, &port) != 0 ||
		    port < 1)
			return "has a port outside 1 to 65535";
		p += digits;
		u->port = (unsigned)port;
	}
	if (*p != '\0' && *p != '/')
		return "must have a host name or an IPv6 address in brackets, "
		    "then an optional :port";
	u->origin_end = p;
	u->path = p;
	return NULL;
}
