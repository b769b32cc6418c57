/* request.c: build the request view from params, deciding the client once. */
#include <string.h>

#include "proxy.h"
#include "request.h"

/*
 * An absurdly long parameter is treated as absent rather than cut: a cut
 * value could be misread (a path, an address) as another one.  too_long,
 * when given, says which of the two it was.
 */
static const char *
param_checked(request_param_fn get, void *ctx, const char *name, bool *too_long)
{
	const char	*v = get(ctx, name);

	if (v != NULL && strnlen(v, REQUEST_PARAM_MAX + 1) > REQUEST_PARAM_MAX) {
		if (too_long != NULL)
			*too_long = true;
		return "";
	}
	return v == NULL ? "" : v;
}

static const char *
param(request_param_fn get, void *ctx, const char *name)
{
	return param_checked(get, ctx, name, NULL);
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
	const char	*header = NULL;
	const char	*role;
	struct addr	 server;

	memset(req, 0, sizeof(*req));
	req->method = param(get, ctx, "REQUEST_METHOD");
	req->script_name = param(get, ctx, "SCRIPT_NAME");
	req->path_info = param_checked(get, ctx, "PATH_INFO", &req->path_too_long);
	req->query = param_checked(get, ctx, "QUERY_STRING", &req->query_too_long);
	req->host = param(get, ctx, "HTTP_HOST");
	req->remote_addr = param(get, ctx, "REMOTE_ADDR");
	req->server_addr = param(get, ctx, "SERVER_ADDR");
	req->remote_user = param(get, ctx, "REMOTE_USER");
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
		header = get(ctx, "HTTP_X_FORWARDED_FOR");
		break;
	case PROXY_FORWARDED:
		header = get(ctx, "HTTP_FORWARDED");
		break;
	default:
		break;
	}
	if (header != NULL)
		req->via_proxy = proxy_resolve(&req->peer, &cfg->trusted_proxies,
		    cfg->proxy_header, header, &req->client);
}
