/* logrow.c: a parsed access-log line into the request dualstat records of it: client, listener family, host. */
#include <string.h>

#include "config.h"
#include "host.h"
#include "logrow.h"
#include "proxy.h"

/* A host key as request.c makes one: not listed means "(other)". */
static int
host_key(const struct config *cfg, const char *name, char *out, size_t outsz)
{

	if (host_normalize(name, out, outsz) != 0)
		return -1;
	if (cfg != NULL && !config_host_listed(cfg, out)) {
		if (outsz < sizeof("(other)"))
			return -1;
		memcpy(out, "(other)", sizeof("(other)"));
	}
	return 0;
}

int
logrow_host(const struct config *cfg, const char *name, char *out, size_t outsz)
{

	return host_key(cfg, name, out, outsz);
}

void
logrow_make(const struct logline *line, const struct config *cfg,
    const char *default_host, struct logrow *out)
{
	const char	*fwd[1];

	out->client = line->client;
	out->server_family = line->client.family;
	out->via_proxy = false;
	out->host = default_host;
	out->host_key[0] = '\0';
	if (line->host != NULL && line->host[0] != '\0' &&
	    host_key(cfg, line->host, out->host_key, sizeof(out->host_key)) == 0)
		out->host = out->host_key;
	/* As live: only read when someone is trusted and a header is named. */
	if (cfg == NULL || cfg->trusted_proxies.n == 0 ||
	    cfg->proxy_header == PROXY_NONE || line->forwarded == NULL)
		return;
	fwd[0] = line->forwarded;
	out->via_proxy = proxy_resolve(&line->client, &cfg->trusted_proxies,
	    PROXY_XFF, fwd, 1, &out->client);
}
