/* logline_caddy.c: Caddy 2's JSON access log lines, read with jansson. */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "addr.h"
#include "logline-int.h"
#include "logline.h"
#include "logtime.h"
#include "proxy.h"

/*
 * One line as Caddy 2 writes it (the "log" directive's JSON encoder):
 *   {"level":"info","ts":1646861401.5241024,"logger":"http.log.access.log0",
 *    "msg":"handled request","request":{"remote_ip":"192.0.2.7",
 *    "remote_port":"41342","client_ip":"192.0.2.7","proto":"HTTP/2.0",
 *    "method":"GET","host":"example.com","uri":"/",...},...,"status":200}
 * remote_ip is the peer; client_ip (Caddy 2.7 on) is the client Caddy
 * resolved through its own trusted_proxies; Caddy before 2.5 wrote only
 * "remote_addr" ("192.0.2.7:41342", "[2001:db8::1]:41342").
 */

void
logline_caddy_release(struct logline_parser *lp)
{
	if (lp->json != NULL) {
		json_decref(lp->json);
		lp->json = NULL;
	}
}

/* A non-empty JSON string member, or NULL. */
static const char *
member_str(const json_t *obj, const char *key, size_t *len)
{
	json_t	*v = json_object_get(obj, key);

	if (!json_is_string(v) || json_string_length(v) == 0)
		return NULL;
	*len = json_string_length(v);
	return json_string_value(v);
}

/* "ts": seconds as a number (the default), or a time_format Caddy writes as text. */
static int
caddy_time(const json_t *ts, int64_t *out)
{
	const char	*s;
	size_t		 n;

	if (json_is_number(ts))
		return logtime_epoch(json_number_value(ts), out);
	if (!json_is_string(ts))
		return -1;
	s = json_string_value(ts);
	n = json_string_length(ts);
	if (logtime_iso8601(s, n, out) == 0)
		return 0;
	/* time_format common_log: "02/Jan/2006:15:04:05 -0700" */
	if (n == LOGTIME_CLF_LEN + 2 && s[0] == '[' && s[n - 1] == ']')
		return logtime_clf(s + 1, LOGTIME_CLF_LEN, out);
	return logtime_clf(s, n, out);
}

enum logline_reason
logline_scan_caddy(struct logline_parser *lp, const char *line, size_t len,
    struct logline_scan *sc)
{
	json_error_t	 err;
	json_t		*root, *req;
	const char	*remote, *client;
	size_t		 rlen = 0, clen = 0;
	int		 rc;

	logline_caddy_release(lp);
	if (line[0] != '{')
		return LOGLINE_BAD_FORMAT;
	/* Flags 0: strict RFC 8259, the whole line one value, no NUL in strings. */
	if ((root = json_loadb(line, len, 0, &err)) == NULL) {
		switch (json_error_code(&err)) {
		case json_error_premature_end_of_input:
			return LOGLINE_CUT;
		case json_error_invalid_utf8:
		case json_error_null_character:
			return LOGLINE_BINARY;
		default:
			return LOGLINE_BAD_FORMAT;
		}
	}
	lp->json = root;
	if (!json_is_object(root))
		return LOGLINE_BAD_FORMAT;
	if (!json_is_object(req = json_object_get(root, "request")))
		return LOGLINE_NOT_A_REQUEST;

	if (caddy_time(json_object_get(root, "ts"), &sc->time) != 0)
		return LOGLINE_BAD_TIME;
	if ((remote = member_str(req, "remote_ip", &rlen)) != NULL)
		rc = logline_client(remote, rlen, &sc->client);
	else if ((remote = member_str(req, "remote_addr", &rlen)) != NULL)
		rc = proxy_parse_node(remote, rlen, &sc->client);
	else
		rc = -1;
	if (rc != 0)
		return LOGLINE_NOT_AN_ADDRESS;

	if ((sc->host.p = member_str(req, "host", &sc->host.n)) == NULL)
		sc->host.n = 0;
	/* Only a client_ip other than the peer says anything a proxy_resolve can use. */
	client = member_str(req, "client_ip", &clen);
	if (client != NULL && (clen != rlen || memcmp(client, remote, clen) != 0)) {
		sc->forwarded.p = client;
		sc->forwarded.n = clen;
	}
	sc->in_line = false;
	return LOGLINE_OK;
}
