/* probe.c: readiness probes' tokens and URLs: where a probe image is sent, and how its token comes back. */
#include <sys/random.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "probe.h"
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
probe_token_mint(char *out)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 r[PROBE_TOKEN_LEN / 2];
	size_t			 i;

	/* Blocks only until the pool is first seeded, long before any request. */
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return -1;
	for (i = 0; i < sizeof(r); i++) {
		out[2 * i] = hex[r[i] >> 4];
		out[2 * i + 1] = hex[r[i] & 15];
	}
	out[PROBE_TOKEN_LEN] = '\0';
	return 0;
}

bool
probe_token_form(const char *s, size_t len)
{
	size_t	 i;

	if (s == NULL || len != PROBE_TOKEN_LEN)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
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

int
probe_token_of(const char *url, const char *host_key, const char *query,
    char *out)
{
	const char	*m = strstr(url, TOKEN_MARK), *h, *q, *end;
	size_t		 before, after;

	if (m != NULL) {
		/*
		 * The Host laid over the URL's host: the same but for the
		 * token where {token} is ("p-{token}.v6.example.org").
		 */
		if ((h = strstr(url, "://")) == NULL || host_key == NULL)
			return -1;
		h += 3;
		before = (size_t)(m - h);
		for (end = m + TOKEN_MARK_LEN; *end != '\0' && *end != ':' &&
		    *end != '/'; end++)
			continue;
		after = (size_t)(end - (m + TOKEN_MARK_LEN));
		if (strlen(host_key) != before + PROBE_TOKEN_LEN + after ||
		    strncasecmp(host_key, h, before) != 0 ||
		    strncasecmp(host_key + before + PROBE_TOKEN_LEN,
		    m + TOKEN_MARK_LEN, after) != 0 ||
		    !probe_token_form(host_key + before, PROBE_TOKEN_LEN))
			return -1;
		memcpy(out, host_key + before, PROBE_TOKEN_LEN);
		out[PROBE_TOKEN_LEN] = '\0';
		return 0;
	}
	/* t=TOKEN in the query, as probe_url_target wrote it; no other form. */
	for (q = query; q != NULL && *q != '\0'; q = end + (*end == '&')) {
		end = strchr(q, '&');
		if (end == NULL)
			end = q + strlen(q);
		if (strncmp(q, "t=", 2) == 0 &&
		    probe_token_form(q + 2, (size_t)(end - q - 2))) {
			memcpy(out, q + 2, PROBE_TOKEN_LEN);
			out[PROBE_TOKEN_LEN] = '\0';
			return 0;
		}
	}
	return -1;
}
