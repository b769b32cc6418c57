/* config.c: read dualstat.conf into a struct config, or say file:line what is wrong. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "err.h"
#include "host.h"
#include "num.h"
#include "probe.h"
#include "text.h"
#include "utf8.h"
#include "row.h"
#include "store.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR	"/etc"
#endif
#ifndef LOCALSTATEDIR
#define LOCALSTATEDIR	"/var"
#endif

#define CONFIG_LINE_MAX	4096		/* bytes per line, without its end */
#define CONFIG_FILE_MAX	(1024 * 1024)	/* a config is small; more is a mistake */
#define SITE_NAME_MAX	200
#define ECHO_MAX	48		/* how much of a bad value a message repeats */

#define DEFAULT_DATABASE	LOCALSTATEDIR "/lib/dualstat/dualstat.db"
#define DEFAULT_ADMIN_ALLOW	"127.0.0.0/8 ::1"

struct keydef;
typedef int	(*setter)(struct config *, const struct keydef *,
		    const char *, char *, size_t);

/* One key of the file: how it is checked and which field it sets. */
struct keydef {
	const char	*name;
	setter		 set;
	size_t		 off;	/* the field in struct config */
	unsigned	 max;	/* numbers: the largest value allowed */
	unsigned	 min;	/* numbers: the smallest (0 unless said) */
};

static int	set_database(struct config *, const struct keydef *,
		    const char *, char *, size_t);
static int	set_number(struct config *, const struct keydef *,
		    const char *, char *, size_t);
static int	set_list(struct config *, const struct keydef *,
		    const char *, char *, size_t);
static int	set_proxy_header(struct config *, const struct keydef *,
		    const char *, char *, size_t);
static int	set_site_name(struct config *, const struct keydef *,
		    const char *, char *, size_t);
static int	set_static_url(struct config *, const struct keydef *,
		    const char *, char *, size_t);
static int	set_hosts(struct config *, const struct keydef *,
		    const char *, char *, size_t);
static int	set_probe_url(struct config *, const struct keydef *,
		    const char *, char *, size_t);
static int	set_share(struct config *, const struct keydef *,
		    const char *, char *, size_t);
static int	set_node(struct config *, const struct keydef *,
		    const char *, char *, size_t);

static const struct keydef keydefs[] = {
	{ "database", set_database,
	    offsetof(struct config, database), 0, 0 },
	/* One bit short of the whole address: the address never reaches disk. */
	{ "ipv4_prefix", set_number,
	    offsetof(struct config, ipv4_prefix), 31, 0 },
	{ "ipv6_prefix", set_number,
	    offsetof(struct config, ipv6_prefix), 127, 0 },
	{ "trusted_proxies", set_list,
	    offsetof(struct config, trusted_proxies), 0, 0 },
	{ "proxy_header", set_proxy_header,
	    offsetof(struct config, proxy_header), 0, 0 },
	{ "admin_allow", set_list,
	    offsetof(struct config, admin_allow), 0, 0 },
	{ "retention_days", set_number,
	    offsetof(struct config, retention_days), 36500, 0 },
	{ "busy_timeout_ms", set_number,
	    offsetof(struct config, busy_timeout_ms), 60000, 0 },
	/* How long a web server may take to send a whole request (server.c). */
	{ "request_timeout_ms", set_number,
	    offsetof(struct config, request_timeout_ms), 60000, 10 },
	{ "site_name", set_site_name,
	    offsetof(struct config, site_name), 0, 0 },
	{ "static_url", set_static_url,
	    offsetof(struct config, static_url), 0, 0 },
	{ "hosts", set_hosts,
	    offsetof(struct config, hosts), 0, 0 },
	/* Readiness probes (issue 10: probe.h). */
	{ "probe_v6_url", set_probe_url,
	    offsetof(struct config, probe_v6_url), 0, 0 },
	{ "probe_v4_url", set_probe_url,
	    offsetof(struct config, probe_v4_url), 0, 0 },
	/* A probe outlives its page by this much: the start row waits so long. */
	{ "probe_timeout", set_number,
	    offsetof(struct config, probe_timeout), 3600, 1 },
	{ "probe_sample", set_share,
	    offsetof(struct config, probe_sample_ppm), 0, 0 },
	/* Issue 12: the server's name in the rows, for a fleet on one database. */
	{ "node", set_node,
	    offsetof(struct config, node), 0, 0 },
};

#define NKEYS	(sizeof(keydefs) / sizeof(keydefs[0]))

/* A bad value quoted in a message: at most ECHO_MAX bytes of it. */
static void
echo(char *dst, size_t dstsz, const char *s)
{
	text_echo(dst, dstsz, s, strlen(s), ECHO_MAX);
}

static char **
field_str(struct config *cfg, const struct keydef *kd)
{
	return (char **)(void *)((char *)cfg + kd->off);
}

static int
replace_str(char **field, const char *value, size_t len, char *msg,
    size_t msgsz)
{
	char	*p;

	if ((p = strndup(value, len)) == NULL) {
		errf(msg, msgsz, "%s", strerror(errno));
		return -1;
	}
	free(*field);
	*field = p;
	return 0;
}

/*
 * A relative path would depend on the web server's working directory.  A
 * database URI (postgresql://) is for its backend to read; it is never
 * echoed, since it may hold a password.
 */
static int
set_database(struct config *cfg, const struct keydef *kd, const char *value,
    char *msg, size_t msgsz)
{
	char	 e[ECHO_MAX + 4];

	if (value[0] != '/' && !store_is_uri(value)) {
		echo(e, sizeof(e), value);
		errf(msg, msgsz, "%s must be an absolute path or a postgresql:// "
		    "URI, not \"%s\"", kd->name, e);
		return -1;
	}
	return replace_str(field_str(cfg, kd), value, strlen(value),
	    msg, msgsz);
}

static int
set_number(struct config *cfg, const struct keydef *kd, const char *value,
    char *msg, size_t msgsz)
{
	uint64_t	 v;
	char		 e[ECHO_MAX + 4];

	/* Plain decimal only: no sign, no space, no 0x, nothing after the digits. */
	if (num_parse_str(value, kd->max, 0, &v) == -1 || v < kd->min) {
		echo(e, sizeof(e), value);
		errf(msg, msgsz, "%s must be %u..%u, not \"%s\"",
		    kd->name, kd->min, kd->max, e);
		return -1;
	}
	*(unsigned *)(void *)((char *)cfg + kd->off) = (unsigned)v;
	return 0;
}

/* A list in the file replaces the default: admin_allow = "" means nobody. */
static int
set_list(struct config *cfg, const struct keydef *kd, const char *value,
    char *msg, size_t msgsz)
{
	struct cidr_list	*field, nl = { NULL, 0 };
	char			 bad[CONFIG_LINE_MAX + 1];
	char			 e[ECHO_MAX + 4];

	field = (struct cidr_list *)(void *)((char *)cfg + kd->off);
	bad[0] = '\0';
	if (cidr_list_parse(&nl, value, bad, sizeof(bad)) == -1) {
		cidr_list_free(&nl);
		echo(e, sizeof(e), bad);
		errf(msg, msgsz, "%s: \"%s\" is not a network", kd->name, e);
		return -1;
	}
	cidr_list_free(field);
	*field = nl;
	return 0;
}

static int
set_proxy_header(struct config *cfg, const struct keydef *kd,
    const char *value, char *msg, size_t msgsz)
{
	enum proxy_header	 h;
	char			 e[ECHO_MAX + 4];

	if ((h = proxy_header_from_name(value)) == PROXY__MAX) {
		echo(e, sizeof(e), value);
		errf(msg, msgsz, "%s must be %s, %s or %s, not \"%s\"",
		    kd->name, proxy_header_name(PROXY_XFF),
		    proxy_header_name(PROXY_FORWARDED),
		    proxy_header_name(PROXY_NONE), e);
		return -1;
	}
	cfg->proxy_header = h;
	return 0;
}

/*
 * hosts: the site's own names.  The Host header is the client's to choose,
 * so without a list every made-up name would become a row's host and a
 * roll-up of its own.  Stored as " a b " for a plain substring match.
 */
static int
set_hosts(struct config *cfg, const struct keydef *kd, const char *value,
    char *msg, size_t msgsz)
{
	char		**field = (char **)(void *)((char *)cfg + kd->off);
	char		  name[HOST_KEY_MAX + 1], key[HOST_KEY_MAX + 1];
	char		  e[ECHO_MAX + 4];
	char		 *list;
	const char	 *p = value, *start;
	size_t		  n, len = 1;

	if ((list = malloc(strlen(value) + 3)) == NULL) {
		errf(msg, msgsz, "%s: %s", kd->name, strerror(ENOMEM));
		return -1;
	}
	list[0] = ' ';
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != ',')
			p++;
		n = (size_t)(p - start);
		if (n >= sizeof(name) || (memcpy(name, start, n), name[n] = '\0',
		    host_normalize(name, key, sizeof(key))) != 0) {
			echo(e, sizeof(e), n >= sizeof(name) ? "(too long)" : name);
			errf(msg, msgsz, "%s: \"%s\" is not a host name", kd->name, e);
			free(list);
			return -1;
		}
		n = strlen(key);
		memcpy(list + len, key, n);
		len += n;
		list[len++] = ' ';
	}
	list[len] = '\0';
	free(*field);
	/* An empty list is no list: every name is recorded. */
	if (len == 1) {
		free(list);
		list = NULL;
	}
	*field = list;
	return 0;
}

bool
config_host_listed(const struct config *cfg, const char *name)
{
	const char	*p;
	size_t		 n = strlen(name);

	if (cfg->hosts == NULL || n == 0)
		return cfg->hosts == NULL;
	for (p = cfg->hosts; (p = strstr(p, name)) != NULL; p++)
		if (p[-1] == ' ' && p[n] == ' ')
			return true;
	return false;
}

/* A node's name goes into rows, URLs, CSV and logs: row_node_valid's bytes only. */
static int
set_node(struct config *cfg, const struct keydef *kd, const char *value,
    char *msg, size_t msgsz)
{
	char	 e[ECHO_MAX + 4];

	if (!row_node_valid(value)) {
		echo(e, sizeof(e), value);
		errf(msg, msgsz, "%s must be 1..%d letters, digits, '.', '-' or "
		    "'_', not \"%s\"", kd->name, ROW_NODE_MAX, e);
		return -1;
	}
	return replace_str(field_str(cfg, kd), value, strlen(value), msg, msgsz);
}

void
config_node_of(const char *hostname, char *out, size_t outsz)
{
	char	 one[2] = { 0, 0 };
	size_t	 i;

	if (outsz == 0)
		return;
	out[0] = '\0';
	for (i = 0; hostname[i] != '\0' && i < ROW_NODE_MAX && i + 1 < outsz; i++) {
		one[0] = hostname[i];
		out[i] = row_node_valid(one) ? hostname[i] : '-';
	}
	out[i] = '\0';
	if (i == 0)
		(void)snprintf(out, outsz, "%s", "localhost");
}

/* site_name reaches HTML and JSON, which must stay valid UTF-8. */
static int
set_site_name(struct config *cfg, const struct keydef *kd, const char *value,
    char *msg, size_t msgsz)
{
	size_t	 len;

	len = strlen(value);
	if (len == 0) {
		errf(msg, msgsz, "%s must not be empty", kd->name);
		return -1;
	}
	if (len > SITE_NAME_MAX) {
		errf(msg, msgsz, "%s is longer than %d bytes",
		    kd->name, SITE_NAME_MAX);
		return -1;
	}
	if (!utf8_valid(value)) {
		errf(msg, msgsz, "%s is not valid UTF-8", kd->name);
		return -1;
	}
	return replace_str(field_str(cfg, kd), value, len, msg, msgsz);
}

/*
 * static_url is a path on this site ("/static"), or an absolute http or
 * https URL: scheme "://" host [":" port] [path] (RFC 3986 §3), the host
 * a name or an IPv6 address in brackets (§3.2.2).  Anything else is
 * refused at load, not guessed at: "//host" is another site without a
 * scheme, which the Content-Security-Policy could not allow; a backslash
 * is a slash to browsers; a query or fragment would swallow the "/file"
 * pages append.  Returns NULL, or what is wrong; *origin_len is the
 * length of the origin a CSP can name (0: a path, or an address host,
 * which CSP source expressions cannot name, CSP 3 §2.3.1).
 */
static const char *
static_url_check(const char *url, size_t *origin_len)
{
	const char	*host, *p, *end;
	struct addr	 a;
	uint64_t	 port;
	size_t		 digits;
	bool		 v6 = false;

	*origin_len = 0;
	if (url[0] == '\0')
		return "must not be empty";
	for (p = url; *p != '\0'; p++) {
		if ((unsigned char)*p <= ' ' || (unsigned char)*p == 0x7f)
			return "must not contain spaces or control characters";
		if (*p == '\\')
			return "must not contain \\ (browsers read it as /)";
		if (*p == '?' || *p == '#')
			return "must not contain ? or # (pages append "
			    "/dualstat.css to it)";
	}
	if (url[0] == '/')
		return url[1] == '/' ? "must not start with // (another site "
		    "is https://host/path)" : NULL;
	if (strncmp(url, "https://", 8) == 0)
		host = url + 8;
	else if (strncmp(url, "http://", 7) == 0)
		host = url + 7;
	else
		return "must be a path (/static) or an http:// or https:// URL";
	if (*host == '[') {
		if ((end = strchr(host, ']')) == NULL)
			return "has a [ without its ]";
		for (p = host + 1; p < end; p++)
			if (strchr("0123456789abcdefABCDEF:.", *p) == NULL)
				return "must have an IPv6 address between [ and ]";
		if (addr_parse_n(host + 1, (size_t)(end - host - 1), &a) != 0 ||
		    (a.family != 6 && !a.mapped))
			return "must have an IPv6 address between [ and ]";
		v6 = true;
		p = end + 1;
	} else {
		for (p = host; (*p >= 'a' && *p <= 'z') || (*p >= 'A' &&
		    *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
		    *p == '-'; p++)
			if (*p == '.' && (p == host || p[-1] == '.'))
				return "has an empty label in its host name";
		if (p == host)
			return "has no host name";
	}
	if (*p == ':') {
		if (p[1] < '0' || p[1] > '9')
			return "has a port that is not a number";
		digits = strspn(p + 1, "0123456789");
		if (digits > 5 || num_parse(p + 1, digits, 65535, 0, &port) != 0 ||
		    port < 1)
			return "has a port outside 1 to 65535";
		p += 1 + digits;
	}
	if (*p != '\0' && *p != '/')
		return "must have a host name or an IPv6 address in brackets, "
		    "then an optional :port";
	*origin_len = v6 ? 0 : (size_t)(p - url);
	return NULL;
}

/*
 * Pages append "/file" to static_url, so trailing slashes are dropped:
 * "/" becomes "", the site root.
 */
static int
set_static_url(struct config *cfg, const struct keydef *kd,
    const char *value, char *msg, size_t msgsz)
{
	const char	*why;
	size_t		 len, origin;

	if ((why = static_url_check(value, &origin)) != NULL) {
		errf(msg, msgsz, "%s %s", kd->name, why);
		return -1;
	}
	len = strlen(value);
	while (len > 0 && value[len - 1] == '/')
		len--;
	return replace_str(field_str(cfg, kd), value, len, msg, msgsz);
}

/* A probe URL (probe_url_check), or empty: no probe of that family. */
static int
set_probe_url(struct config *cfg, const struct keydef *kd, const char *value,
    char *msg, size_t msgsz)
{
	char		**field = field_str(cfg, kd);
	const char	 *why;
	char		  e[ECHO_MAX + 4];
	size_t		  len;

	if (value[0] == '\0') {
		free(*field);
		*field = NULL;
		return 0;
	}
	if ((why = probe_url_check(value)) != NULL) {
		echo(e, sizeof(e), value);
		errf(msg, msgsz, "%s \"%s\": %s", kd->name, e, why);
		return -1;
	}
	len = strlen(value);
	while (len > 0 && value[len - 1] == '/')
		len--;
	return replace_str(field, value, len, msg, msgsz);
}

/*
 * A share from 0 to 1 as a plain decimal ("1", "0.25", ".5" is not one),
 * at most six digits after the point, kept in parts per million.
 */
static int
set_share(struct config *cfg, const struct keydef *kd, const char *value,
    char *msg, size_t msgsz)
{
	const char	*dot = strchr(value, '.');
	uint64_t	 whole, frac = 0;
	size_t		 n, i;
	char		 e[ECHO_MAX + 4];

	n = dot != NULL ? (size_t)(dot - value) : strlen(value);
	if (num_parse(value, n, 1, 0, &whole) == -1)
		goto bad;
	if (dot != NULL) {
		n = strlen(dot + 1);
		if (n == 0 || n > 6 || num_parse(dot + 1, n, 999999, 0, &frac) == -1)
			goto bad;
		for (i = n; i < 6; i++)
			frac *= 10;
	}
	if (whole * 1000000 + frac > 1000000)
		goto bad;
	*(unsigned *)(void *)((char *)cfg + kd->off) =
	    (unsigned)(whole * 1000000 + frac);
	return 0;
bad:
	echo(e, sizeof(e), value);
	errf(msg, msgsz, "%s must be a share from 0 to 1 (at most 6 decimals), "
	    "not \"%s\"", kd->name, e);
	return -1;
}

int
config_static_origin(const char *url, char *out, size_t outsz)
{
	size_t	 n;

	if (out != NULL && outsz > 0)
		out[0] = '\0';
	if (static_url_check(url, &n) != NULL)
		return -1;
	if (out == NULL || n == 0)
		return 0;
	if (n >= outsz)
		return -1;
	memcpy(out, url, n);
	out[n] = '\0';
	return 0;
}

const char *
config_key(size_t i)
{
	return i < NKEYS ? keydefs[i].name : NULL;
}

static const struct keydef *
key_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keydefs[i].name, name) == 0)
			return &keydefs[i];
	return NULL;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * One line, NUL-terminated, without its end.  seen[] holds the line each
 * key was set on, so that a repeated key (most often a typo or a merge
 * gone wrong) is an error instead of silently winning.
 */
static int
parse_line(struct config *cfg, char *line, size_t lineno, size_t *seen,
    char *msg, size_t msgsz)
{
	const struct keydef	*kd;
	char			*key, *value, *eq, *end;
	size_t			 vlen;
	char			 e[ECHO_MAX + 4];

	key = line;
	while (is_blank(*key))
		key++;
	end = key + strlen(key);
	while (end > key && is_blank(end[-1]))
		*--end = '\0';
	if (*key == '\0' || *key == '#')
		return 0;

	if ((eq = strchr(key, '=')) == NULL) {
		errf(msg, msgsz, "missing \"=\" (lines are key = value)");
		return -1;
	}
	value = eq + 1;
	while (eq > key && is_blank(eq[-1]))
		eq--;
	*eq = '\0';
	if (*key == '\0') {
		errf(msg, msgsz, "empty key before \"=\"");
		return -1;
	}
	while (is_blank(*value))
		value++;

	/* Quotes keep leading and trailing spaces; there are no escapes. */
	vlen = strlen(value);
	if (value[0] == '"') {
		if (vlen < 2 || value[vlen - 1] != '"') {
			errf(msg, msgsz, "value starts with a quote but "
			    "does not end with one");
			return -1;
		}
		value[vlen - 1] = '\0';
		value++;
	}

	if ((kd = key_find(key)) == NULL) {
		echo(e, sizeof(e), key);
		errf(msg, msgsz, "unknown key \"%s\"", e);
		return -1;
	}
	if (seen[kd - keydefs] != 0) {
		errf(msg, msgsz, "%s is already set on line %zu",
		    kd->name, seen[kd - keydefs]);
		return -1;
	}
	seen[kd - keydefs] = lineno;
	return kd->set(cfg, kd, value, msg, msgsz);
}

static int
list_copy(struct cidr_list *dst, const struct cidr_list *src)
{
	dst->v = NULL;
	dst->n = 0;
	if (src->n == 0)
		return 0;
	if ((dst->v = calloc(src->n, sizeof(*dst->v))) == NULL)
		return -1;
	memcpy(dst->v, src->v, src->n * sizeof(*dst->v));
	dst->n = src->n;
	return 0;
}

static int
str_copy(char **dst, const char *src)
{
	*dst = NULL;
	if (src == NULL)
		return 0;
	return (*dst = strdup(src)) == NULL ? -1 : 0;
}

/* A deep copy, so that a file with an error leaves the caller's config as it was. */
static int
config_copy(struct config *dst, const struct config *src)
{
	*dst = *src;
	if (str_copy(&dst->database, src->database) == -1 ||
	    str_copy(&dst->site_name, src->site_name) == -1 ||
	    str_copy(&dst->static_url, src->static_url) == -1 ||
	    str_copy(&dst->source, src->source) == -1 ||
	    str_copy(&dst->hosts, src->hosts) == -1 ||
	    str_copy(&dst->probe_v6_url, src->probe_v6_url) == -1 ||
	    str_copy(&dst->probe_v4_url, src->probe_v4_url) == -1 ||
	    str_copy(&dst->node, src->node) == -1 ||
	    list_copy(&dst->trusted_proxies, &src->trusted_proxies) == -1 ||
	    list_copy(&dst->admin_allow, &src->admin_allow) == -1)
		goto fail;
	return 0;
fail:
	/* The fields not reached yet still point into src. */
	if (dst->database == src->database)
		dst->database = NULL;
	if (dst->site_name == src->site_name)
		dst->site_name = NULL;
	if (dst->static_url == src->static_url)
		dst->static_url = NULL;
	if (dst->source == src->source)
		dst->source = NULL;
	if (dst->hosts == src->hosts)
		dst->hosts = NULL;
	if (dst->probe_v6_url == src->probe_v6_url)
		dst->probe_v6_url = NULL;
	if (dst->probe_v4_url == src->probe_v4_url)
		dst->probe_v4_url = NULL;
	if (dst->node == src->node)
		dst->node = NULL;
	if (dst->trusted_proxies.v == src->trusted_proxies.v)
		dst->trusted_proxies.v = NULL;
	if (dst->admin_allow.v == src->admin_allow.v)
		dst->admin_allow.v = NULL;
	config_free(dst);
	return -1;
}

int
config_defaults(struct config *cfg)
{
	char	 bad[64], host[256], node[ROW_NODE_MAX + 1];

	memset(cfg, 0, sizeof(*cfg));
	cfg->ipv4_prefix = 24;
	cfg->ipv6_prefix = 48;
	cfg->proxy_header = PROXY_XFF;
	cfg->retention_days = 90;
	cfg->busy_timeout_ms = 1000;
	cfg->request_timeout_ms = 2000;
	cfg->probe_timeout = 15;
	cfg->probe_sample_ppm = 1000000;
	/* Cut by gethostname when longer: the name is still the host's. */
	if (gethostname(host, sizeof(host)) == -1)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	config_node_of(host, node, sizeof(node));
	if ((cfg->database = strdup(DEFAULT_DATABASE)) == NULL ||
	    (cfg->node = strdup(node)) == NULL ||
	    (cfg->site_name = strdup("this site")) == NULL ||
	    (cfg->static_url = strdup("/static")) == NULL ||
	    cidr_list_parse(&cfg->admin_allow, DEFAULT_ADMIN_ALLOW,
	    bad, sizeof(bad)) == -1) {
		config_free(cfg);
		return -1;
	}
	return 0;
}

int
config_parse(struct config *cfg, const char *name, const char *text,
    size_t len, char *err, size_t errsz)
{
	struct config	 tmp;
	size_t		 seen[NKEYS];
	size_t		 pos = 0, lineno = 0, n, next, i;
	const char	*nl;
	char		 line[CONFIG_LINE_MAX + 1];
	char		 msg[CONFIG_ERR_MAX];

	if (name == NULL)
		name = "-";
	memset(seen, 0, sizeof(seen));
	if (config_copy(&tmp, cfg) == -1) {
		errf(err, errsz, "%s: %s", name, strerror(ENOMEM));
		return -1;
	}

	/* Editors on some systems start UTF-8 files with a byte-order mark. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		pos = 3;

	while (pos < len) {
		lineno++;
		if ((nl = memchr(text + pos, '\n', len - pos)) != NULL) {
			n = (size_t)(nl - (text + pos));
			next = pos + n + 1;
		} else {
			n = len - pos;
			next = len;
		}
		if (n > 0 && text[pos + n - 1] == '\r')
			n--;
		if (n > CONFIG_LINE_MAX) {
			errf(msg, sizeof(msg), "line is longer than %d bytes",
			    CONFIG_LINE_MAX);
			goto fail;
		}
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)text[pos + i];

			if (c == '\0') {
				errf(msg, sizeof(msg), "NUL byte in line");
				goto fail;
			}
			if ((c < ' ' && c != '\t') || c == 0x7f) {
				errf(msg, sizeof(msg),
				    "control character 0x%02x in line", c);
				goto fail;
			}
		}
		memcpy(line, text + pos, n);
		line[n] = '\0';
		if (parse_line(&tmp, line, lineno, seen, msg, sizeof(msg)) == -1)
			goto fail;
		pos = next;
	}

	config_free(cfg);
	*cfg = tmp;
	return 0;
fail:
	errf(err, errsz, "%s:%zu: %s", name, lineno, msg);
	config_free(&tmp);
	return -1;
}

/*
 * Returns 0 with the text in *text (NUL-terminated, for convenience),
 * 1 when the file does not exist, -1 with "path: why" in err.
 */
static int
read_file(const char *path, char **text, size_t *len, char *err, size_t errsz)
{
	struct stat	 st;
	char		*buf = NULL, *p;
	size_t		 n = 0, cap = 0;
	ssize_t		 r;
	int		 fd, saved;

	*text = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		if (errno == ENOENT)
			return 1;
		goto fail;
	}
	if (fstat(fd, &st) == -1)
		goto fail;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	for (;;) {
		if (n == cap) {
			if (cap > CONFIG_FILE_MAX) {
				close(fd);
				free(buf);
				errf(err, errsz, "%s: larger than %d bytes",
				    path, CONFIG_FILE_MAX);
				return -1;
			}
			cap = cap == 0 ? 8192 : cap * 2;
			if ((p = realloc(buf, cap + 1)) == NULL)
				goto fail;
			buf = p;
		}
		if ((r = read(fd, buf + n, cap - n)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (n > CONFIG_FILE_MAX) {
		free(buf);
		errf(err, errsz, "%s: larger than %d bytes",
		    path, CONFIG_FILE_MAX);
		return -1;
	}
	if (buf == NULL && (buf = malloc(1)) == NULL)
		goto fail;
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	free(buf);
	errf(err, errsz, "%s: %s", path, strerror(saved));
	return -1;
}

int
config_load(struct config *cfg, const char *path, char *err, size_t errsz)
{
	const char	*env;
	char		*text;
	size_t		 len;
	int		 named = 1, rc;

	if (config_defaults(cfg) == -1) {
		errf(err, errsz, "%s", strerror(ENOMEM));
		return -1;
	}
	if (path == NULL) {
		if ((env = getenv("DUALSTAT_CONF")) != NULL && *env != '\0')
			path = env;
		else {
			path = config_default_path();
			named = 0;
		}
	}

	if ((rc = read_file(path, &text, &len, err, errsz)) == 1) {
		/* The user named this file: it not being there is a mistake. */
		if (named) {
			errf(err, errsz, "%s: %s", path, strerror(ENOENT));
			return -1;
		}
		return 0;
	}
	if (rc == -1)
		return -1;

	rc = config_parse(cfg, path, text, len, err, errsz);
	free(text);
	if (rc == -1)
		return -1;
	if ((cfg->source = strdup(path)) == NULL) {
		errf(err, errsz, "%s: %s", path, strerror(ENOMEM));
		config_free(cfg);
		(void)config_defaults(cfg);
		return -1;
	}
	return 0;
}

const char *
config_default_path(void)
{
	return SYSCONFDIR "/dualstat.conf";
}

void
config_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->database);
	free(cfg->site_name);
	free(cfg->static_url);
	free(cfg->source);
	free(cfg->hosts);
	free(cfg->probe_v6_url);
	free(cfg->probe_v4_url);
	free(cfg->node);
	cidr_list_free(&cfg->trusted_proxies);
	cidr_list_free(&cfg->admin_allow);
	memset(cfg, 0, sizeof(*cfg));
}
