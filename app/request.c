/* request.c: build the request view from params, deciding the client once. */
#include <string.h>
#include <strings.h>

#include "proxy.h"
#include "request.h"

const char	 request_param_bad[] = "";

enum param_state { PARAM_OK, PARAM_TOO_LONG, PARAM_NUL };

/*
 * An absurdly long parameter, or one holding a NUL, is treated as absent
 * rather than cut: a cut value could be misread (a path, an address) as
 * another one.  state, when given, says which it was.
 */
static const char *
param_checked(request_param_fn get, void *ctx, const char *name,
    enum param_state *state)
{
	const char	*v = get(ctx, name, 0);
	enum param_state st = PARAM_OK;

	if (v == request_param_bad)
		st = PARAM_NUL;
	else if (v != NULL && strnlen(v, REQUEST_PARAM_MAX + 1) > REQUEST_PARAM_MAX)
		st = PARAM_TOO_LONG;
	if (state != NULL)
		*state = st;
	return v == NULL || st != PARAM_OK ? "" : v;
}

static const char *
param(request_param_fn get, void *ctx, const char *name)
{
	return param_checked(get, ctx, name, NULL);
}

/*
 * Every line of the proxy header, in order.  A line with a NUL cannot be
 * read whole: it is "unknown" (RFC 7239 §6.2), where the walk stops; so
 * are lines beyond the last REQUEST_HEADER_LINES, which are the leftmost
 * and so the last to matter.  Length is no reason: the walk is linear and
 * reads from the right, and all params together are bounded (server.c).
 */
static size_t
header_lines(request_param_fn get, void *ctx, const char *name,
    const char *lines[REQUEST_HEADER_LINES])
{
	const char	*v;
	size_t		 i, n = 0, total = 0;

	for (i = 0; (v = get(ctx, name, i)) != NULL; i++, total++) {
		if (v == request_param_bad)
			v = "unknown";
		if (n == REQUEST_HEADER_LINES) {
			memmove(lines, lines + 1, (n - 1) * sizeof(*lines));
			n--;
		}
		lines[n++] = v;
	}
	if (total > n)
		lines[0] = "unknown";
	return n;
}

/*
 * lighttpd 1.4 writes SERVER_ADDR of a socket bound to one IPv6 address
 * in brackets ("[::1]"), as in a URL; the family is what it says inside.
 */
static int
server_addr_parse(const char *text, struct addr *out)
{
	size_t	 n = strlen(text);

	if (n > 2 && text[0] == '[' && text[n - 1] == ']')
		return addr_parse_n(text + 1, n - 2, out);
	return addr_parse(text, out);
}

void
request_read(struct request *req, request_param_fn get, void *ctx,
    const struct config *cfg)
{
	const char	*lines[REQUEST_HEADER_LINES];
	const char	*role, *name;
	struct addr	 server;
	enum param_state st;
	size_t		 n;

	memset(req, 0, sizeof(*req));
	req->method = param(get, ctx, "REQUEST_METHOD");
	req->script_name = param(get, ctx, "SCRIPT_NAME");
	req->path_info = param_checked(get, ctx, "PATH_INFO", &st);
	req->path_bad = st != PARAM_OK;
	req->query = param_checked(get, ctx, "QUERY_STRING", &st);
	if (st == PARAM_TOO_LONG)
		req->query_why = "The query is too long: at most "
		    REQUEST_PARAM_MAX_TEXT " bytes.";
	else if (st == PARAM_NUL)
		req->query_why = "The query holds a NUL byte.";
	req->host = param(get, ctx, "HTTP_HOST");
	req->remote_addr = param(get, ctx, "REMOTE_ADDR");
	req->server_addr = param(get, ctx, "SERVER_ADDR");
	req->remote_user = param(get, ctx, "REMOTE_USER");
	req->document_root = param(get, ctx, "DOCUMENT_ROOT");
	/* Apache and lighttpd say HTTPS=on; nginx passes $https ("on") or REQUEST_SCHEME. */
	req->https = strcasecmp(param(get, ctx, "HTTPS"), "on") == 0 ||
	    strcmp(param(get, ctx, "REQUEST_SCHEME"), "https") == 0;
	role = param(get, ctx, "FCGI_ROLE");
	req->authorizer = strcmp(role, "AUTHORIZER") == 0;
	if (host_normalize(req->host, req->host_key, sizeof(req->host_key)) == 0 &&
	    cfg != NULL && !config_host_listed(cfg, req->host_key))
		memcpy(req->host_key, "(other)", sizeof("(other)"));

	if (server_addr_parse(req->server_addr, &server) == 0)
		req->server_family = server.family;

	if (addr_parse(req->remote_addr, &req->peer) != 0)
		return;
	req->client_ok = true;
	req->client = req->peer;

	/* The header is only read when someone is trusted: cheaper, and no surprise. */
	if (cfg == NULL || cfg->trusted_proxies.n == 0)
		return;
	switch (cfg->proxy_header) {
	case PROXY_XFF:
		name = "HTTP_X_FORWARDED_FOR";
		break;
	case PROXY_FORWARDED:
		name = "HTTP_FORWARDED";
		break;
	default:
		return;
	}
	if ((n = header_lines(get, ctx, name, lines)) > 0)
		req->via_proxy = proxy_resolve(&req->peer, &cfg->trusted_proxies,
		    cfg->proxy_header, lines, n, &req->client);
}
