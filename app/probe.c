/* probe.c: readiness probes' tokens and URLs: where a probe image is sent, and how its token comes back (pure). */
#include <sys/random.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "host.h"
#include "probe.h"
#include "row.h"
#include "url.h"

#define TOKEN_MARK	"{token}"
#define TOKEN_MARK_LEN	(sizeof(TOKEN_MARK) - 1)

static const char *const kind_names[PROBE__MAX] = {
	[PROBE_V6] = "v6",
	[PROBE_V4] = "v4",
	[PROBE_SELF] = "self",
};

const char *
probe_kind_name(enum probe_kind k)
{
	return (unsigned)k < PROBE__MAX ? kind_names[k] : "unknown";
}

enum probe_kind
probe_kind_from_name(const char *s)
{
	unsigned	 k;

	for (k = 0; s != NULL && k < PROBE__MAX; k++)
		if (strcmp(s, kind_names[k]) == 0)
			return (enum probe_kind)k;
	return PROBE__MAX;
}

int
probe_secret_mint(char *out)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 r[PROBE_SECRET_LEN / 2];
	size_t			 i;

	/* Blocks only until the pool is first seeded, long before any request. */
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return -1;
	for (i = 0; i < sizeof(r); i++) {
		out[2 * i] = hex[r[i] >> 4];
		out[2 * i + 1] = hex[r[i] & 15];
	}
	out[PROBE_SECRET_LEN] = '\0';
	return 0;
}

void
probe_token_make(char *out, const char *secret, int64_t id)
{
	memcpy(out, secret, PROBE_SECRET_LEN);
	(void)snprintf(out + PROBE_SECRET_LEN, PROBE_TOKEN_MAX + 1 - PROBE_SECRET_LEN,
	    "%" PRIx64, (uint64_t)id);
}

static bool
lower_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

int
probe_token_parse(const char *s, size_t len, char *secret, int64_t *id)
{
	uint64_t	 v = 0;
	size_t		 i;

	if (s == NULL || len <= PROBE_SECRET_LEN || len > PROBE_TOKEN_MAX)
		return -1;
	for (i = 0; i < len; i++)
		if (!lower_hex(s[i]))
			return -1;
	/* One spelling of each number, and none past INT64_MAX. */
	if (s[PROBE_SECRET_LEN] == '0' ||
	    (len == PROBE_TOKEN_MAX && s[PROBE_SECRET_LEN] > '7'))
		return -1;
	for (i = PROBE_SECRET_LEN; i < len; i++)
		v = v * 16 + (uint64_t)(s[i] <= '9' ? s[i] - '0' : s[i] - 'a' + 10);
	if (secret != NULL) {
		memcpy(secret, s, PROBE_SECRET_LEN);
		secret[PROBE_SECRET_LEN] = '\0';
	}
	if (id != NULL)
		*id = (int64_t)v;
	return 0;
}

bool
probe_token_form(const char *s, size_t len)
{
	return probe_token_parse(s, len, NULL, NULL) == 0;
}

/*
 * The URL with {token} replaced by a label of the same shape, so that
 * url_split checks the rest; *mark says where {token} was (NULL: nowhere).
 */
static const char *
split_probe(const char *url, char *copy, size_t copysz, struct url_parts *u,
    const char **mark)
{
	const char	*m, *why, *label_end;
	size_t		 n = strlen(url);

	*mark = NULL;
	if (n >= copysz)
		return "is too long";
	memcpy(copy, url, n + 1);
	if ((m = strstr(url, TOKEN_MARK)) != NULL) {
		if (strstr(m + 1, TOKEN_MARK) != NULL)
			return "may carry {token} once only";
		/* A stand-in of letters: "x" pads to the mark's length. */
		memset(copy + (m - url), 'x', TOKEN_MARK_LEN);
		*mark = m;
	}
	if ((why = url_split(copy, u)) != NULL)
		return why;
	if (*mark != NULL) {
		label_end = memchr(u->host, '.', u->host_len);
		if (u->host_v6 || label_end == NULL ||
		    (size_t)(m - url) < (size_t)(u->host - copy) ||
		    (size_t)(m - url) + TOKEN_MARK_LEN > (size_t)(label_end - copy))
			return "may carry {token} only in its first host label";
		/* RFC 1035 §2.3.4: a label holds 63 bytes, the longest token too. */
		if ((size_t)(label_end - u->host) - TOKEN_MARK_LEN + PROBE_TOKEN_MAX > 63)
			return "has a first host label too long for a token "
			    "(15 bytes besides {token} at most)";
	}
	return NULL;
}

const char *
probe_url_check(const char *url)
{
	struct url_parts	 u;
	char			 copy[1024];
	const char		*mark;

	return split_probe(url, copy, sizeof(copy), &u, &mark);
}

int
probe_url_origin(const char *url, char *out, size_t outsz)
{
	struct url_parts	 u;
	char			 copy[1024];
	const char		*mark, *rest;
	int			 n;

	if (split_probe(url, copy, sizeof(copy), &u, &mark) != NULL)
		return -1;
	if (mark == NULL)
		n = snprintf(out, outsz, "%.*s", (int)(u.origin_end - copy), copy);
	else {
		/* CSP host-source: "*." stands for any first label. */
		rest = memchr(u.host, '.', u.host_len);
		n = snprintf(out, outsz, "%s://*%.*s", u.https ? "https" : "http",
		    (int)(u.origin_end - rest), rest);
	}
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

bool
probe_url_https(const char *url)
{
	return strncmp(url, "https://", 8) == 0;
}

void
probe_url_target(struct buf *out, const char *url, const char *token,
    const char *file)
{
	const char	*m = strstr(url, TOKEN_MARK);
	size_t		 n = strlen(url);

	/* The URL names where dualstat is mounted: no slash doubled. */
	if (n > 0 && url[n - 1] == '/')
		n--;
	if (m != NULL) {
		buf_append(out, url, (size_t)(m - url));
		buf_puts(out, token);
		buf_append(out, m + TOKEN_MARK_LEN, n - (size_t)(m + TOKEN_MARK_LEN - url));
	} else
		buf_append(out, url, n);
	buf_puts(out, "/probe/");
	buf_puts(out, file);
	if (m == NULL) {
		buf_puts(out, "?t=");
		buf_puts(out, token);
	}
}

/* The token of t=TOKEN in a query, as probe_url_target wrote it; no other form. */
static int
token_in_query(const char *query, char *out)
{
	const char	*q, *end;

	for (q = query; q != NULL && *q != '\0'; q = end + (*end == '&')) {
		end = strchr(q, '&');
		if (end == NULL)
			end = q + strlen(q);
		if (strncmp(q, "t=", 2) == 0 &&
		    probe_token_form(q + 2, (size_t)(end - q - 2))) {
			memcpy(out, q + 2, (size_t)(end - q - 2));
			out[end - q - 2] = '\0';
			return 0;
		}
	}
	return -1;
}

int
probe_token_of(const char *url, const char *host_key, const char *query,
    char *out)
{
	const char	*m = strstr(url, TOKEN_MARK), *h, *end;
	size_t		 before, after, n, tlen;

	if (m == NULL)
		return token_in_query(query, out);
	/*
	 * The Host laid over the URL's host: the same but for the token
	 * where {token} is ("p-{token}.v6.example.org").
	 */
	if ((h = strstr(url, "://")) == NULL || host_key == NULL)
		return -1;
	h += 3;
	before = (size_t)(m - h);
	for (end = m + TOKEN_MARK_LEN; *end != '\0' && *end != ':' &&
	    *end != '/'; end++)
		continue;
	after = (size_t)(end - (m + TOKEN_MARK_LEN));
	n = strlen(host_key);
	if (n < before + after)
		return -1;
	tlen = n - before - after;
	if (strncasecmp(host_key, h, before) != 0 ||
	    strncasecmp(host_key + before + tlen, m + TOKEN_MARK_LEN,
	    after) != 0 || !probe_token_form(host_key + before, tlen))
		return -1;
	memcpy(out, host_key + before, tlen);
	out[tlen] = '\0';
	return 0;
}

/* Whether host_key is url's host (a probe URL without {token}). */
static bool
host_is(const char *url, const char *host_key)
{
	struct url_parts	 u;
	char			 name[HOST_KEY_MAX + 1], key[HOST_KEY_MAX + 1];

	if (url_split(url, &u) != NULL || u.host_len >= sizeof(name))
		return false;
	memcpy(name, u.host, u.host_len);
	name[u.host_len] = '\0';
	return host_normalize(name, key, sizeof(key)) == 0 &&
	    strcmp(key, host_key) == 0;
}

int
probe_completion(const char *v6_url, const char *v4_url, const char *host_key,
    const char *query, char *out, enum probe_kind *kind)
{
	const char	*urls[2] = { v6_url, v4_url };
	size_t		 i;

	if (host_key == NULL)
		host_key = "";
	for (i = 0; i < 2; i++) {
		if (urls[i] == NULL || urls[i][0] == '\0')
			continue;
		/* A {token} host is the probe's whatever else came. */
		if (strstr(urls[i], TOKEN_MARK) != NULL) {
			if (probe_token_of(urls[i], host_key, NULL, out) == 0) {
				*kind = (enum probe_kind)i;
				return 0;
			}
		} else if (host_is(urls[i], host_key)) {
			*kind = (enum probe_kind)i;
			return token_in_query(query, out);
		}
	}
	*kind = PROBE_SELF;
	return token_in_query(query, out);
}

bool
probe_family_fits(enum probe_kind k, int family)
{
	switch (k) {
	case PROBE_V6:
		return family == 6;
	case PROBE_V4:
		return family == 4;
	case PROBE_SELF:
		return family == 4 || family == 6;
	default:
		return false;
	}
}

bool
probe_sampled(unsigned sample_ppm, uint32_t r)
{
	/* r / 2^32 < ppm / 10^6, in integers. */
	return (uint64_t)r * 1000000 < (uint64_t)sample_ppm << 32;
}

const char *
probe_start_invalid(const struct probe_start *s)
{
	struct row	 row;
	if ((unsigned)s->probe >= PROBE__MAX)
		return "unknown probe";
	if (s->expires < s->time)
		return "expires before it starts";
	if (strnlen(s->secret, sizeof(s->secret)) != PROBE_SECRET_LEN ||
	    strspn(s->secret, "0123456789abcdef") != PROBE_SECRET_LEN)
		return "secret is not 32 hex digits";
	/* The rest is what a request row may hold. */
	memset(&row, 0, sizeof(row));
	row.family = s->family;
	row.kind = s->kind;
	row.mapped = s->mapped;
	memcpy(row.prefix, s->prefix, sizeof(row.prefix));
	row.host = s->host;
	row.node = s->node;
	row.how = HOW_PAGE;
	return row_invalid(&row);
}
