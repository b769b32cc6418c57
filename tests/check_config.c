/* check_config.c: the dualstat.conf parser, its error messages, and the shipped example. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_suites.h"
#include "config.h"
#include "row.h"

static char	 tmpdir[PATH_MAX];

static void
tmp_setup(void)
{
	const char	*base;

	if ((base = getenv("TMPDIR")) == NULL || *base == '\0')
		base = "/tmp";
	ck_assert_int_lt(snprintf(tmpdir, sizeof(tmpdir),
	    "%s/check_config.XXXXXX", base), (int)sizeof(tmpdir));
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
tmp_teardown(void)
{
	DIR		*d;
	struct dirent	*de;
	char		 p[PATH_MAX * 2];

	if ((d = opendir(tmpdir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", tmpdir, de->d_name);
		(void)chmod(p, 0700);
		if (rmdir(p) == -1)
			(void)unlink(p);
	}
	closedir(d);
	(void)rmdir(tmpdir);
}

/* Write len bytes of text to tmpdir/name and return its path in a static buffer. */
static const char *
tmp_file(const char *name, const char *text, size_t len)
{
	static char	 path[PATH_MAX * 2];
	FILE		*f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	ck_assert_ptr_nonnull(f = fopen(path, "wb"));
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

static const char *
shipped_conf(void)
{
	static char	 path[PATH_MAX];
	const char	*top;

	if ((top = getenv("top_srcdir")) == NULL || *top == '\0')
		top = ".";
	ck_assert_int_lt(snprintf(path, sizeof(path), "%s/conf/dualstat.conf",
	    top), (int)sizeof(path));
	return path;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	long	 n;

	ck_assert_msg((f = fopen(path, "rb")) != NULL, "%s: %s", path,
	    strerror(errno));
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	ck_assert_int_ge(n = ftell(f), 0);
	rewind(f);
	ck_assert_ptr_nonnull(buf = malloc((size_t)n + 1));
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int
list_same(const struct cidr_list *a, const struct cidr_list *b)
{
	size_t	 i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (a->v[i].bits != b->v[i].bits ||
		    a->v[i].net.family != b->v[i].net.family ||
		    a->v[i].net.mapped != b->v[i].net.mapped ||
		    memcmp(a->v[i].net.bytes, b->v[i].net.bytes, 16) != 0)
			return 0;
	return 1;
}

static int
str_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* The name of the first field (source and database aside) where a and b differ, or NULL. */
static const char *
config_diff(const struct config *a, const struct config *b)
{
	if (a->ipv4_prefix != b->ipv4_prefix)
		return "ipv4_prefix";
	if (a->ipv6_prefix != b->ipv6_prefix)
		return "ipv6_prefix";
	if (!list_same(&a->trusted_proxies, &b->trusted_proxies))
		return "trusted_proxies";
	if (a->proxy_header != b->proxy_header)
		return "proxy_header";
	if (!list_same(&a->admin_allow, &b->admin_allow))
		return "admin_allow";
	if (a->retention_days != b->retention_days)
		return "retention_days";
	if (a->busy_timeout_ms != b->busy_timeout_ms)
		return "busy_timeout_ms";
	if (!str_same(a->site_name, b->site_name))
		return "site_name";
	if (!str_same(a->static_url, b->static_url))
		return "static_url";
	if (!str_same(a->probe_v6_url, b->probe_v6_url))
		return "probe_v6_url";
	if (!str_same(a->probe_v4_url, b->probe_v4_url))
		return "probe_v4_url";
	if (a->probe_timeout != b->probe_timeout)
		return "probe_timeout";
	if (a->probe_sample_ppm != b->probe_sample_ppm)
		return "probe_sample";
	if (!str_same(a->node, b->node))
		return "node";
	return NULL;
}

/* cfg holds exactly the built-in defaults, with no source. */
static void
assert_defaults(const struct config *cfg, int line)
{
	struct config	 def;
	const char	*d;

	ck_assert_int_eq(config_defaults(&def), 0);
	d = config_diff(cfg, &def);
	ck_assert_msg(d == NULL, "line %d: %s is not the default", line, d);
	ck_assert_msg(str_same(cfg->database, def.database),
	    "line %d: database \"%s\"", line, cfg->database);
	ck_assert_msg(cfg->source == NULL, "line %d: source \"%s\"", line,
	    cfg->source);
	config_free(&def);
}

static void
cidr_is(const struct cidr *c, const char *text, unsigned bits)
{
	struct addr	 a;

	ck_assert_int_eq(addr_parse(text, &a), 0);
	ck_assert_int_eq(c->net.family, a.family);
	ck_assert_uint_eq(c->bits, bits);
	ck_assert_mem_eq(c->net.bytes, a.bytes, 16);
}

START_TEST(test_defaults)
{
	struct config	 cfg;

	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_str_eq(cfg.database,
	    LOCALSTATEDIR "/lib/dualstat/dualstat.db");
	ck_assert_uint_eq(cfg.ipv4_prefix, 24);
	ck_assert_uint_eq(cfg.ipv6_prefix, 48);
	ck_assert_uint_eq(cfg.trusted_proxies.n, 0);
	ck_assert_int_eq(cfg.proxy_header, PROXY_XFF);
	ck_assert_uint_eq(cfg.admin_allow.n, 2);
	cidr_is(&cfg.admin_allow.v[0], "127.0.0.0", 8);
	cidr_is(&cfg.admin_allow.v[1], "::1", 128);
	ck_assert_uint_eq(cfg.retention_days, 90);
	ck_assert_uint_eq(cfg.busy_timeout_ms, 1000);
	ck_assert_str_eq(cfg.site_name, "this site");
	ck_assert_str_eq(cfg.static_url, "/static");
	ck_assert_ptr_null(cfg.source);
	config_free(&cfg);
}
END_TEST

START_TEST(test_default_path)
{
	ck_assert_str_eq(config_default_path(), SYSCONFDIR "/dualstat.conf");
}
END_TEST

START_TEST(test_free_twice)
{
	struct config	 cfg;
	static const char text[] = "trusted_proxies = 10.0.0.0/8\n";

	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_int_eq(config_parse(&cfg, "t", text, sizeof(text) - 1,
	    NULL, 0), 0);
	config_free(&cfg);
	ck_assert_ptr_null(cfg.database);
	ck_assert_ptr_null(cfg.admin_allow.v);
	ck_assert_uint_eq(cfg.trusted_proxies.n, 0);
	config_free(&cfg);
}
END_TEST

START_TEST(test_every_key)
{
	struct config	 cfg;
	char		 err[CONFIG_ERR_MAX] = "";
	static const char text[] =
	    "database = /srv/ds/stats.db\n"
	    "ipv4_prefix = 16\n"
	    "ipv6_prefix = 56\n"
	    "trusted_proxies = 10.0.0.0/8, 2001:db8::/32 192.0.2.1\n"
	    "proxy_header = Forwarded\n"
	    "admin_allow = 198.51.100.0/24\n"
	    "retention_days = 0\n"
	    "busy_timeout_ms = 250\n"
	    "site_name = Example & Co\n"
	    "static_url = https://cdn.example/ds/\n";

	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_msg(config_parse(&cfg, "t", text, sizeof(text) - 1,
	    err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(cfg.database, "/srv/ds/stats.db");
	ck_assert_uint_eq(cfg.ipv4_prefix, 16);
	ck_assert_uint_eq(cfg.ipv6_prefix, 56);
	ck_assert_uint_eq(cfg.trusted_proxies.n, 3);
	cidr_is(&cfg.trusted_proxies.v[0], "10.0.0.0", 8);
	cidr_is(&cfg.trusted_proxies.v[1], "2001:db8::", 32);
	cidr_is(&cfg.trusted_proxies.v[2], "192.0.2.1", 32);
	ck_assert_int_eq(cfg.proxy_header, PROXY_FORWARDED);
	ck_assert_uint_eq(cfg.admin_allow.n, 1);
	cidr_is(&cfg.admin_allow.v[0], "198.51.100.0", 24);
	ck_assert_uint_eq(cfg.retention_days, 0);
	ck_assert_uint_eq(cfg.busy_timeout_ms, 250);
	ck_assert_str_eq(cfg.site_name, "Example & Co");
	ck_assert_str_eq(cfg.static_url, "https://cdn.example/ds");
	/* config_parse does not know whether name is a file. */
	ck_assert_ptr_null(cfg.source);
	config_free(&cfg);
}
END_TEST

/* Accepted values, one key per row; the field is read back by name. */
static const struct {
	int		 line;
	const char	*text;
	const char	*key;
	unsigned	 want;
} numbers[] = {
	{ CASE_LINE, "ipv4_prefix = 0",		"ipv4_prefix", 0 },
	{ CASE_LINE, "ipv4_prefix = 31",	"ipv4_prefix", 31 },
	{ CASE_LINE, "ipv4_prefix = 024",	"ipv4_prefix", 24 },
	{ CASE_LINE, "ipv6_prefix = 0",		"ipv6_prefix", 0 },
	{ CASE_LINE, "ipv6_prefix = 127",	"ipv6_prefix", 127 },
	{ CASE_LINE, "ipv6_prefix=64",		"ipv6_prefix", 64 },
	{ CASE_LINE, "retention_days = 0",	"retention_days", 0 },
	{ CASE_LINE, "retention_days = 36500",	"retention_days", 36500 },
	{ CASE_LINE, "busy_timeout_ms = 0",	"busy_timeout_ms", 0 },
	{ CASE_LINE, "busy_timeout_ms = 60000",	"busy_timeout_ms", 60000 },
	{ CASE_LINE, "busy_timeout_ms = \"5\"",	"busy_timeout_ms", 5 },
};

static unsigned
number_field(const struct config *cfg, const char *key)
{
	if (strcmp(key, "ipv4_prefix") == 0)
		return cfg->ipv4_prefix;
	if (strcmp(key, "ipv6_prefix") == 0)
		return cfg->ipv6_prefix;
	if (strcmp(key, "retention_days") == 0)
		return cfg->retention_days;
	return cfg->busy_timeout_ms;
}

START_TEST(test_numbers)
{
	struct config	 cfg;
	char		 err[CONFIG_ERR_MAX] = "";

	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_msg(config_parse(&cfg, "t", numbers[_i].text,
	    strlen(numbers[_i].text), err, sizeof(err)) == 0,
	    "line %d: %s", numbers[_i].line, err);
	ck_assert_msg(number_field(&cfg, numbers[_i].key) == numbers[_i].want,
	    "line %d: %s is %u, want %u", numbers[_i].line, numbers[_i].key,
	    number_field(&cfg, numbers[_i].key), numbers[_i].want);
	config_free(&cfg);
}
END_TEST

START_TEST(test_proxy_header_names)
{
	static const struct {
		int			 line;
		const char		*text;
		enum proxy_header	 want;
	} rows[] = {
		{ CASE_LINE, "proxy_header = none", PROXY_NONE },
		{ CASE_LINE, "proxy_header = forwarded", PROXY_FORWARDED },
		{ CASE_LINE, "proxy_header = x-forwarded-for", PROXY_XFF },
		{ CASE_LINE, "proxy_header = X-Forwarded-For", PROXY_XFF },
	};
	struct config	 cfg;
	char		 err[CONFIG_ERR_MAX] = "";
	size_t		 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ck_assert_int_eq(config_defaults(&cfg), 0);
		/* Start from another value, so that the row has to change it. */
		cfg.proxy_header = rows[i].want == PROXY_NONE ?
		    PROXY_XFF : PROXY_NONE;
		ck_assert_msg(config_parse(&cfg, "t", rows[i].text,
		    strlen(rows[i].text), err, sizeof(err)) == 0,
		    "line %d: %s", rows[i].line, err);
		ck_assert_msg(cfg.proxy_header == rows[i].want,
		    "line %d: got %d", rows[i].line, (int)cfg.proxy_header);
		config_free(&cfg);
	}
}
END_TEST

/* Every error names the file and the line; cfg keeps what it had. */
static const struct {
	int		 line;
	const char	*text;
	const char	*want;
} errors[] = {
	{ CASE_LINE, "foo = 1\n",
	    "t.conf:1: unknown key \"foo\"" },
	{ CASE_LINE, "Database = /x.db\n",
	    "t.conf:1: unknown key \"Database\"" },
	{ CASE_LINE, "ipv4 prefix = 8\n",
	    "t.conf:1: unknown key \"ipv4 prefix\"" },
	{ CASE_LINE, "# c\n\n  \nipv4_prefix 24\n",
	    "t.conf:4: missing \"=\" (lines are key = value)" },
	{ CASE_LINE, "ipv4_prefix = 8\n = 8\n",
	    "t.conf:2: empty key before \"=\"" },
	{ CASE_LINE, "=\n",
	    "t.conf:1: empty key before \"=\"" },
	{ CASE_LINE, "ipv4_prefix = 33\n",
	    "t.conf:1: ipv4_prefix must be 0..31, not \"33\"" },
	{ CASE_LINE, "ipv4_prefix = -1\n",
	    "t.conf:1: ipv4_prefix must be 0..31, not \"-1\"" },
	{ CASE_LINE, "ipv4_prefix = +24\n",
	    "t.conf:1: ipv4_prefix must be 0..31, not \"+24\"" },
	{ CASE_LINE, "ipv4_prefix = 2 4\n",
	    "t.conf:1: ipv4_prefix must be 0..31, not \"2 4\"" },
	{ CASE_LINE, "ipv4_prefix = 0x18\n",
	    "t.conf:1: ipv4_prefix must be 0..31, not \"0x18\"" },
	{ CASE_LINE, "ipv4_prefix = 24 # /24\n",
	    "t.conf:1: ipv4_prefix must be 0..31, not \"24 # /24\"" },
	{ CASE_LINE, "ipv4_prefix =\n",
	    "t.conf:1: ipv4_prefix must be 0..31, not \"\"" },
	{ CASE_LINE, "ipv6_prefix = 129\n",
	    "t.conf:1: ipv6_prefix must be 0..127, not \"129\"" },
	{ CASE_LINE, "retention_days = 36501\n",
	    "t.conf:1: retention_days must be 0..36500, not \"36501\"" },
	{ CASE_LINE, "busy_timeout_ms = 60001\n",
	    "t.conf:1: busy_timeout_ms must be 0..60000, not \"60001\"" },
	{ CASE_LINE, "busy_timeout_ms = 4294967297\n",
	    "t.conf:1: busy_timeout_ms must be 0..60000, not \"4294967297\"" },
	{ CASE_LINE, "retention_days = 99999999999999999999\n",
	    "t.conf:1: retention_days must be 0..36500, "
	    "not \"99999999999999999999\"" },
	{ CASE_LINE, "trusted_proxies = 10.0.0.0/8 10.0.0.300\n",
	    "t.conf:1: trusted_proxies: \"10.0.0.300\" is not a network" },
	{ CASE_LINE, "admin_allow = ::1, 2001:db8::/129\n",
	    "t.conf:1: admin_allow: \"2001:db8::/129\" is not a network" },
	{ CASE_LINE, "proxy_header = x-real-ip\n",
	    "t.conf:1: proxy_header must be x-forwarded-for, forwarded or "
	    "none, not \"x-real-ip\"" },
	{ CASE_LINE, "proxy_header =\n",
	    "t.conf:1: proxy_header must be x-forwarded-for, forwarded or "
	    "none, not \"\"" },
	{ CASE_LINE, "database = dualstat.db\n",
	    "t.conf:1: database must be an absolute path or a postgresql:// URI,"
	    " not \"dualstat.db\"" },
	{ CASE_LINE, "database =\n",
	    "t.conf:1: database must be an absolute path or a postgresql:// URI,"
	    " not \"\"" },
	{ CASE_LINE, "database = postgresql:/db\n",
	    "t.conf:1: database must be an absolute path or a postgresql:// URI,"
	    " not \"postgresql:/db\"" },
	{ CASE_LINE, "node = web 1\n",
	    "t.conf:1: node must be 1..64 letters, digits, '.', '-' or '_', not \"web 1\"" },
	{ CASE_LINE, "node =\n",
	    "t.conf:1: node must be 1..64 letters, digits, '.', '-' or '_', not \"\"" },
	{ CASE_LINE, "site_name = \"\"\n",
	    "t.conf:1: site_name must not be empty" },
	{ CASE_LINE, "site_name = caf\xc3\n",
	    "t.conf:1: site_name is not valid UTF-8" },
	{ CASE_LINE, "site_name = \xc0\xaf\n",
	    "t.conf:1: site_name is not valid UTF-8" },
	{ CASE_LINE, "site_name = \xed\xa0\x80\n",
	    "t.conf:1: site_name is not valid UTF-8" },
	{ CASE_LINE, "static_url =\n",
	    "t.conf:1: static_url must not be empty" },
	{ CASE_LINE, "static_url = /my static\n",
	    "t.conf:1: static_url must not contain spaces or control "
	    "characters" },
	/* Another site without a scheme: a CSP could not allow it. */
	{ CASE_LINE, "static_url = //evil.example\n",
	    "t.conf:1: static_url must not start with // (another site is "
	    "https://host/path)" },
	{ CASE_LINE, "static_url = //evil.example/static\n",
	    "t.conf:1: static_url must not start with // (another site is "
	    "https://host/path)" },
	{ CASE_LINE, "static_url = /\\evil.example\n",
	    "t.conf:1: static_url must not contain \\ (browsers read it as /)" },
	/* Once written into the CSP header unclosed. */
	{ CASE_LINE, "static_url = http://[::1\n",
	    "t.conf:1: static_url has a [ without its ]" },
	{ CASE_LINE, "static_url = http://[::1/static]\n",
	    "t.conf:1: static_url must have an IPv6 address between [ and ]" },
	{ CASE_LINE, "static_url = http://[192.0.2.1]/s\n",
	    "t.conf:1: static_url must have an IPv6 address between [ and ]" },
	{ CASE_LINE, "static_url = http://[fe80::1%25eth0]/s\n",
	    "t.conf:1: static_url must have an IPv6 address between [ and ]" },
	{ CASE_LINE, "static_url = http://[::1]x/s\n",
	    "t.conf:1: static_url must have a host name or an IPv6 address in "
	    "brackets, then an optional :port" },
	{ CASE_LINE, "static_url = https://user@cdn.example/s\n",
	    "t.conf:1: static_url must have a host name or an IPv6 address in "
	    "brackets, then an optional :port" },
	{ CASE_LINE, "static_url = https://cdn.example;script-src/x\n",
	    "t.conf:1: static_url must have a host name or an IPv6 address in "
	    "brackets, then an optional :port" },
	{ CASE_LINE, "static_url = https://\n",
	    "t.conf:1: static_url has no host name" },
	{ CASE_LINE, "static_url = https:///static\n",
	    "t.conf:1: static_url has no host name" },
	{ CASE_LINE, "static_url = https://cdn..example/\n",
	    "t.conf:1: static_url has an empty label in its host name" },
	{ CASE_LINE, "static_url = https://cdn.example:/s\n",
	    "t.conf:1: static_url has a port that is not a number" },
	{ CASE_LINE, "static_url = https://cdn.example:0/s\n",
	    "t.conf:1: static_url has a port outside 1 to 65535" },
	{ CASE_LINE, "static_url = https://cdn.example:65536\n",
	    "t.conf:1: static_url has a port outside 1 to 65535" },
	{ CASE_LINE, "static_url = https://cdn.example/s?v=1\n",
	    "t.conf:1: static_url must not contain ? or # (pages append "
	    "/dualstat.css to it)" },
	{ CASE_LINE, "static_url = /s#x\n",
	    "t.conf:1: static_url must not contain ? or # (pages append "
	    "/dualstat.css to it)" },
	{ CASE_LINE, "static_url = static\n",
	    "t.conf:1: static_url must be a path (/static) or an http:// or "
	    "https:// URL" },
	{ CASE_LINE, "static_url = ftp://cdn.example/s\n",
	    "t.conf:1: static_url must be a path (/static) or an http:// or "
	    "https:// URL" },
	{ CASE_LINE, "static_url = javascript:alert(1)\n",
	    "t.conf:1: static_url must be a path (/static) or an http:// or "
	    "https:// URL" },
	{ CASE_LINE, "site_name = \"abc\n",
	    "t.conf:1: value starts with a quote but does not end with one" },
	{ CASE_LINE, "site_name = \"\n",
	    "t.conf:1: value starts with a quote but does not end with one" },
	{ CASE_LINE, "ipv4_prefix = 24\n# again\nipv4_prefix = 16\n",
	    "t.conf:3: ipv4_prefix is already set on line 1" },
	{ CASE_LINE, "admin_allow =\nadmin_allow = ::1\n",
	    "t.conf:2: admin_allow is already set on line 1" },
	{ CASE_LINE, "ipv4_prefix = 24\r\nfoo = 1\r\n",
	    "t.conf:2: unknown key \"foo\"" },
	{ CASE_LINE, "site_name = a\x01z\n",
	    "t.conf:1: control character 0x01 in line" },
	{ CASE_LINE, "site_name = a\rz\n",
	    "t.conf:1: control character 0x0d in line" },
	{ CASE_LINE, "ipv4_prefix = 8\nsite_name = a\x7fz\n",
	    "t.conf:2: control character 0x7f in line" },
	{ CASE_LINE, "ipv4_prefix = 8\nnope = 1",
	    "t.conf:2: unknown key \"nope\"" },
	{ CASE_LINE, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa = 1\n",
	    "t.conf:1: unknown key "
	    "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\"" },
};

START_TEST(test_errors)
{
	struct config	 cfg, def;
	char		 err[CONFIG_ERR_MAX] = "";
	const char	*d;

	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_int_eq(config_defaults(&def), 0);
	ck_assert_msg(config_parse(&cfg, "t.conf", errors[_i].text,
	    strlen(errors[_i].text), err, sizeof(err)) == -1,
	    "line %d: accepted", errors[_i].line);
	ck_assert_msg(strcmp(err, errors[_i].want) == 0,
	    "line %d: got \"%s\", want \"%s\"", errors[_i].line, err,
	    errors[_i].want);
	d = config_diff(&cfg, &def);
	ck_assert_msg(d == NULL, "line %d: %s changed", errors[_i].line, d);
	config_free(&cfg);
	config_free(&def);
}
END_TEST

/* A failed parse leaves what the caller had, not a half-applied file. */
START_TEST(test_error_keeps_config)
{
	struct config	 cfg;
	char		 err[CONFIG_ERR_MAX];
	static const char good[] = "site_name = kept\nipv4_prefix = 20\n";
	static const char bad[] =
	    "site_name = lost\nipv4_prefix = 8\nadmin_allow =\nbad\n";

	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_int_eq(config_parse(&cfg, "a", good, sizeof(good) - 1,
	    err, sizeof(err)), 0);
	ck_assert_int_eq(config_parse(&cfg, "b", bad, sizeof(bad) - 1,
	    err, sizeof(err)), -1);
	ck_assert_str_eq(err, "b:4: missing \"=\" (lines are key = value)");
	ck_assert_str_eq(cfg.site_name, "kept");
	ck_assert_uint_eq(cfg.ipv4_prefix, 20);
	ck_assert_uint_eq(cfg.admin_allow.n, 2);
	config_free(&cfg);
}
END_TEST

/* A second parse sets only what it names; the rest stays. */
START_TEST(test_parse_over)
{
	struct config	 cfg;
	static const char a[] = "site_name = first\n";
	static const char b[] = "ipv4_prefix = 20\n";

	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_int_eq(config_parse(&cfg, "a", a, sizeof(a) - 1, NULL, 0), 0);
	ck_assert_int_eq(config_parse(&cfg, "b", b, sizeof(b) - 1, NULL, 0), 0);
	ck_assert_str_eq(cfg.site_name, "first");
	ck_assert_uint_eq(cfg.ipv4_prefix, 20);
	config_free(&cfg);
}
END_TEST

START_TEST(test_whitespace)
{
	struct config	 cfg;
	char		 err[CONFIG_ERR_MAX] = "";
	static const char text[] =
	    "  \t# indented comment\n"
	    "\t \n"
	    " \tipv4_prefix\t=\t 16 \t\n"
	    "site_name =   \"  two spaces  \"  \n"
	    "static_url=/s\n";

	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_msg(config_parse(&cfg, "t", text, sizeof(text) - 1,
	    err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(cfg.ipv4_prefix, 16);
	ck_assert_str_eq(cfg.site_name, "  two spaces  ");
	ck_assert_str_eq(cfg.static_url, "/s");
	config_free(&cfg);
}
END_TEST

/* Comments are whole lines: '#' inside a value is part of it. */
START_TEST(test_hash_in_value)
{
	struct config	 cfg;
	static const char text[] = "site_name = Shop #1 # best\n";

	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_int_eq(config_parse(&cfg, "t", text, sizeof(text) - 1,
	    NULL, 0), 0);
	ck_assert_str_eq(cfg.site_name, "Shop #1 # best");
	config_free(&cfg);
}
END_TEST

START_TEST(test_crlf)
{
	struct config	 cfg;
	char		 err[CONFIG_ERR_MAX] = "";
	static const char text[] =
	    "# windows\r\n\r\nipv6_prefix = 64\r\nsite_name = x\r\n";

	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_msg(config_parse(&cfg, "t", text, sizeof(text) - 1,
	    err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(cfg.ipv6_prefix, 64);
	ck_assert_str_eq(cfg.site_name, "x");
	config_free(&cfg);
}
END_TEST

START_TEST(test_bom)
{
	struct config	 cfg;
	char		 err[CONFIG_ERR_MAX] = "";
	static const char text[] = "\xef\xbb\xbfipv4_prefix = 20\n";

	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_msg(config_parse(&cfg, "t", text, sizeof(text) - 1,
	    err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(cfg.ipv4_prefix, 20);
	config_free(&cfg);
}
END_TEST

/* A list in the file replaces the default instead of adding to it. */
START_TEST(test_list_replaces)
{
	struct config	 cfg;
	static const char one[] = "admin_allow = 10.1.0.0/16\n";
	static const char none[] = "admin_allow = \"\"\n";
	static const char sep[] = "trusted_proxies = ,10.0.0.1,,  ::1 ,\n";

	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_int_eq(config_parse(&cfg, "t", one, sizeof(one) - 1,
	    NULL, 0), 0);
	ck_assert_uint_eq(cfg.admin_allow.n, 1);
	cidr_is(&cfg.admin_allow.v[0], "10.1.0.0", 16);
	ck_assert_int_eq(config_parse(&cfg, "t", none, sizeof(none) - 1,
	    NULL, 0), 0);
	ck_assert_uint_eq(cfg.admin_allow.n, 0);
	ck_assert_int_eq(config_parse(&cfg, "t", sep, sizeof(sep) - 1,
	    NULL, 0), 0);
	ck_assert_uint_eq(cfg.trusted_proxies.n, 2);
	cidr_is(&cfg.trusted_proxies.v[0], "10.0.0.1", 32);
	cidr_is(&cfg.trusted_proxies.v[1], "::1", 128);
	config_free(&cfg);
}
END_TEST

START_TEST(test_static_url_slash)
{
	static const struct {
		int		 line;
		const char	*text;
		const char	*want;
	} rows[] = {
		{ CASE_LINE, "static_url = /static/", "/static" },
		{ CASE_LINE, "static_url = /a//", "/a" },
		{ CASE_LINE, "static_url = /", "" },
		{ CASE_LINE, "static_url = https://x.example", "https://x.example" },
	};
	struct config	 cfg;
	size_t		 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ck_assert_int_eq(config_defaults(&cfg), 0);
		ck_assert_msg(config_parse(&cfg, "t", rows[i].text,
		    strlen(rows[i].text), NULL, 0) == 0, "line %d: rejected",
		    rows[i].line);
		ck_assert_msg(strcmp(cfg.static_url, rows[i].want) == 0,
		    "line %d: got \"%s\"", rows[i].line, cfg.static_url);
		config_free(&cfg);
	}
}
END_TEST

/* The forms static_url takes, and the origin the CSP allows for each. */
START_TEST(test_static_url_forms)
{
	static const struct {
		int		 line;
		const char	*url;
		const char	*origin;
	} rows[] = {
		{ CASE_LINE, "/static", "" },
		{ CASE_LINE, "/a/b-c_d.e~f/%41", "" },
		{ CASE_LINE, "http://cdn.example", "http://cdn.example" },
		{ CASE_LINE, "https://cdn.example/ds", "https://cdn.example" },
		{ CASE_LINE, "https://CDN.Example:8443/ds/x", "https://CDN.Example:8443" },
		{ CASE_LINE, "https://cdn.example.:1/", "https://cdn.example.:1" },
		{ CASE_LINE, "https://192.0.2.1:65535/s", "https://192.0.2.1:65535" },
		/* An address in brackets: valid, but a CSP cannot name it. */
		{ CASE_LINE, "http://[::1]:8080/static", "" },
		{ CASE_LINE, "https://[2001:db8::1]/s", "" },
		{ CASE_LINE, "https://[::ffff:192.0.2.1]", "" },
	};
	struct config	 cfg;
	char		 text[256], origin[256];
	size_t		 i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(text, sizeof(text), "static_url = %s\n", rows[i].url);
		ck_assert_int_eq(config_defaults(&cfg), 0);
		ck_assert_msg(config_parse(&cfg, "t", text, strlen(text), NULL,
		    0) == 0, "line %d: rejected", rows[i].line);
		ck_assert_msg(config_static_origin(cfg.static_url, origin,
		    sizeof(origin)) == 0, "line %d: no origin", rows[i].line);
		ck_assert_msg(strcmp(origin, rows[i].origin) == 0,
		    "line %d: origin \"%s\"", rows[i].line, origin);
		config_free(&cfg);
	}
	/* Too small a buffer is an error, not a cut origin. */
	ck_assert_int_eq(config_static_origin("https://cdn.example/x", origin, 8), -1);
	ck_assert_str_eq(origin, "");
	ck_assert_int_eq(config_static_origin("//evil.example", origin,
	    sizeof(origin)), -1);
}
END_TEST

START_TEST(test_load_file)
{
	struct config	 cfg;
	char		 err[CONFIG_ERR_MAX] = "";
	const char	*path;
	static const char text[] = "ipv4_prefix = 20\n";

	path = tmp_file("a.conf", text, sizeof(text) - 1);
	ck_assert_msg(config_load(&cfg, path, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_uint_eq(cfg.ipv4_prefix, 20);
	ck_assert_str_eq(cfg.site_name, "this site");
	ck_assert_str_eq(cfg.source, path);
	config_free(&cfg);
}
END_TEST

START_TEST(test_load_env)
{
	struct config	 cfg;
	char		 err[CONFIG_ERR_MAX] = "";
	char		 path[PATH_MAX * 2];
	static const char text[] = "site_name = from env\n";

	snprintf(path, sizeof(path), "%s", tmp_file("env.conf", text,
	    sizeof(text) - 1));
	ck_assert_int_eq(setenv("DUALSTAT_CONF", path, 1), 0);
	ck_assert_msg(config_load(&cfg, NULL, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_str_eq(cfg.site_name, "from env");
	ck_assert_str_eq(cfg.source, path);
	config_free(&cfg);

	/* An explicit path wins over the environment. */
	tmp_file("b.conf", "site_name = explicit\n", 21);
	snprintf(path, sizeof(path), "%s/b.conf", tmpdir);
	ck_assert_int_eq(config_load(&cfg, path, err, sizeof(err)), 0);
	ck_assert_str_eq(cfg.site_name, "explicit");
	config_free(&cfg);
	unsetenv("DUALSTAT_CONF");
}
END_TEST

/* The user named the file, so it not being there is an error. */
START_TEST(test_load_env_missing)
{
	struct config	 cfg;
	char		 err[CONFIG_ERR_MAX] = "";
	char		 path[PATH_MAX * 2], want[PATH_MAX * 3];

	snprintf(path, sizeof(path), "%s/nope.conf", tmpdir);
	snprintf(want, sizeof(want), "%s: %s", path, strerror(ENOENT));
	ck_assert_int_eq(setenv("DUALSTAT_CONF", path, 1), 0);
	ck_assert_int_eq(config_load(&cfg, NULL, err, sizeof(err)), -1);
	ck_assert_str_eq(err, want);
	assert_defaults(&cfg, __LINE__);
	config_free(&cfg);
	unsetenv("DUALSTAT_CONF");
}
END_TEST

START_TEST(test_load_named_missing)
{
	struct config	 cfg;
	char		 err[CONFIG_ERR_MAX] = "";
	char		 path[PATH_MAX * 2], want[PATH_MAX * 3];

	snprintf(path, sizeof(path), "%s/missing.conf", tmpdir);
	snprintf(want, sizeof(want), "%s: %s", path, strerror(ENOENT));
	ck_assert_int_eq(config_load(&cfg, path, err, sizeof(err)), -1);
	ck_assert_str_eq(err, want);
	assert_defaults(&cfg, __LINE__);
	config_free(&cfg);
}
END_TEST

/*
 * Without DUALSTAT_CONF (unset or empty) the default path is read, and a
 * missing default file means the defaults.  On a machine where dualstat
 * is installed the file may exist; then it must at least be the one read.
 */
START_TEST(test_load_default_path)
{
	struct config	 cfg;
	char		 err[CONFIG_ERR_MAX] = "";
	int		 rc, pass;

	for (pass = 0; pass < 2; pass++) {
		if (pass == 0)
			unsetenv("DUALSTAT_CONF");
		else
			ck_assert_int_eq(setenv("DUALSTAT_CONF", "", 1), 0);
		err[0] = '\0';
		rc = config_load(&cfg, NULL, err, sizeof(err));
		if (access(config_default_path(), F_OK) == -1) {
			ck_assert_msg(rc == 0, "pass %d: %s", pass, err);
			assert_defaults(&cfg, __LINE__);
		} else if (rc == 0)
			ck_assert_str_eq(cfg.source, config_default_path());
		else
			ck_assert_msg(strncmp(err, config_default_path(),
			    strlen(config_default_path())) == 0, "%s", err);
		config_free(&cfg);
	}
	unsetenv("DUALSTAT_CONF");
}
END_TEST

START_TEST(test_load_directory)
{
	struct config	 cfg;
	char		 err[CONFIG_ERR_MAX] = "";
	char		 want[PATH_MAX * 2];

	snprintf(want, sizeof(want), "%s: %s", tmpdir, strerror(EISDIR));
	ck_assert_int_eq(config_load(&cfg, tmpdir, err, sizeof(err)), -1);
	ck_assert_str_eq(err, want);
	assert_defaults(&cfg, __LINE__);
	config_free(&cfg);
}
END_TEST

/*
 * A file its reader may not open: the error names the file and says why.
 * As root (CI runs as root, and root reads anything) the file is root's,
 * mode 0600, and a child that has become nobody (65534) loads it.
 */
#define NOBODY	65534

START_TEST(test_load_unreadable)
{
	struct config	 cfg, def;
	char		 err[CONFIG_ERR_MAX] = "";
	char		 path[PATH_MAX * 2], want[PATH_MAX * 3];
	struct stat	 sb;
	size_t		 got = 0;
	ssize_t		 n;
	pid_t		 pid;
	int		 fds[2], status, rc;

	snprintf(path, sizeof(path), "%s", tmp_file("secret.conf",
	    "ipv4_prefix = 8\n", 16));
	snprintf(want, sizeof(want), "%s: %s", path, strerror(EACCES));
	if (geteuid() != 0) {
		ck_assert_int_eq(chmod(path, 0), 0);
		ck_assert_int_eq(config_load(&cfg, path, err, sizeof(err)), -1);
		ck_assert_str_eq(err, want);
		assert_defaults(&cfg, __LINE__);
		config_free(&cfg);
		return;
	}
	ck_assert_int_eq(chmod(path, 0600), 0);
	/* mkdtemp made the folder 0700: let nobody through it, so only the file's mode stops it. */
	ck_assert_int_eq(chmod(tmpdir, 0711), 0);
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		/* No Check assertions here: the exit status says what went wrong. */
		close(fds[0]);
		if (setgroups(0, NULL) != 0 || setgid(NOBODY) != 0 ||
		    setuid(NOBODY) != 0 || geteuid() != NOBODY)
			_exit(10);
		if (stat(path, &sb) != 0 || sb.st_uid != 0)
			_exit(11);	/* the folder, not the file, would stop it */
		rc = config_load(&cfg, path, err, sizeof(err));
		if (write(fds[1], err, strlen(err)) != (ssize_t)strlen(err))
			_exit(12);
		if (rc != -1)
			_exit(13);
		if (config_defaults(&def) != 0 || config_diff(&cfg, &def) != NULL ||
		    cfg.source != NULL)
			_exit(14);	/* not the defaults after the error */
		_exit(0);
	}
	close(fds[1]);
	while (got < sizeof(err) - 1 &&
	    (n = read(fds[0], err + got, sizeof(err) - 1 - got)) > 0)
		got += (size_t)n;
	err[got] = '\0';
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "the child as nobody: status %#x, error \"%s\"", status, err);
	ck_assert_str_eq(err, want);
}
END_TEST

/* A bad line in a file: the error, and the defaults instead of a half-read file. */
START_TEST(test_load_error_defaults)
{
	struct config	 cfg;
	char		 err[CONFIG_ERR_MAX] = "";
	char		 path[PATH_MAX * 2], want[PATH_MAX * 3];
	static const char text[] =
	    "ipv4_prefix = 8\nsite_name = half\n\nipv6_prefix = 200\n";

	snprintf(path, sizeof(path), "%s", tmp_file("bad.conf", text,
	    sizeof(text) - 1));
	snprintf(want, sizeof(want),
	    "%s:4: ipv6_prefix must be 0..127, not \"200\"", path);
	ck_assert_int_eq(config_load(&cfg, path, err, sizeof(err)), -1);
	ck_assert_str_eq(err, want);
	assert_defaults(&cfg, __LINE__);
	config_free(&cfg);
}
END_TEST

/* The example as shipped is all comments: it must mean the defaults. */
START_TEST(test_shipped_is_defaults)
{
	struct config	 cfg, def;
	char		 err[CONFIG_ERR_MAX] = "";
	const char	*path, *d;

	path = shipped_conf();
	ck_assert_msg(config_load(&cfg, path, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_int_eq(config_defaults(&def), 0);
	d = config_diff(&cfg, &def);
	ck_assert_msg(d == NULL, "%s: %s is not the default", path, d);
	ck_assert_str_eq(cfg.database, def.database);
	ck_assert_str_eq(cfg.source, path);
	config_free(&cfg);
	config_free(&def);
}
END_TEST

/*
 * Uncomment every "# key = value" line of the example: each key the
 * parser knows (its own table, so a new key must be documented) is
 * documented exactly once, the result parses, and the values shown are
 * the real defaults.  The database default depends on the build's
 * localstatedir, so the example shows the usual one.
 */
START_TEST(test_shipped_uncommented)
{
	struct config	 cfg, def;
	char		 err[CONFIG_ERR_MAX] = "";
	char		*text, *out, *p, *line, *next;
	size_t		 len, olen = 0, k, n, i, nkeys, *count;
	const char	*d;

	for (nkeys = 0; config_key(nkeys) != NULL; nkeys++)
		continue;
	/* At least the keys the issue names, and hosts. */
	ck_assert_uint_ge(nkeys, 11);
	ck_assert_ptr_nonnull(count = calloc(nkeys, sizeof(*count)));
	text = slurp(shipped_conf(), &len);
	ck_assert_ptr_nonnull(out = malloc(len + 1));
	for (line = text; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		next = next == NULL ? line + strlen(line) : next + 1;
		p = line;
		if (strncmp(line, "# ", 2) == 0) {
			k = strspn(line + 2,
			    "abcdefghijklmnopqrstuvwxyz0123456789_");
			if (k > 0 && strncmp(line + 2 + k, " =", 2) == 0 &&
			    (line[4 + k] == ' ' || line[4 + k] == '\n')) {
				for (i = 0; i < nkeys; i++)
					if (strlen(config_key(i)) == k &&
					    strncmp(line + 2, config_key(i), k) == 0)
						count[i]++;
				p = line + 2;
			}
		}
		n = (size_t)(next - p);
		memcpy(out + olen, p, n);
		olen += n;
	}
	for (i = 0; i < nkeys; i++)
		ck_assert_msg(count[i] == 1, "%s documented %zu times",
		    config_key(i), count[i]);
	free(count);

	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_msg(config_parse(&cfg, "uncommented", out, olen, err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(config_defaults(&def), 0);
	/* The node's default is the host name: the example shows one. */
	ck_assert_str_eq(cfg.node, "web-1");
	free(def.node);
	ck_assert_ptr_nonnull(def.node = strdup("web-1"));
	d = config_diff(&cfg, &def);
	ck_assert_msg(d == NULL, "example shows a wrong default for %s", d);
	ck_assert_str_eq(cfg.database, "/var/lib/dualstat/dualstat.db");
	config_free(&cfg);
	config_free(&def);
	free(out);
	free(text);
}
END_TEST

/* The probe keys: URLs (or none), the timeout, the sample as a share. */
START_TEST(test_probe_keys)
{
	static const struct {
		int		 line;
		const char	*text;
		int		 ok;
		const char	*v6, *v4;
		unsigned	 timeout, ppm;
		const char	*msg;	/* part of the error */
	} rows[] = {
		{ CASE_LINE, "", 1, NULL, NULL, 15, 1000000, NULL },
		{ CASE_LINE, "probe_v6_url = https://v6.example.org/dualstat/\n"
		    "probe_v4_url = https://{token}.v4.example.org/d", 1,
		    "https://v6.example.org/dualstat", "https://{token}.v4.example.org/d",
		    15, 1000000, NULL },
		{ CASE_LINE, "probe_v6_url = https://v6.example.org\nprobe_v6_url =", 0,
		    NULL, NULL, 0, 0, "already set" },
		{ CASE_LINE, "probe_v6_url =", 1, NULL, NULL, 15, 1000000, NULL },
		{ CASE_LINE, "probe_v6_url = /dualstat", 0, NULL, NULL, 0, 0,
		    "probe_v6_url \"/dualstat\"" },
		{ CASE_LINE, "probe_v4_url = ftp://v4.example.org", 0, NULL, NULL, 0, 0,
		    "probe_v4_url" },
		{ CASE_LINE, "probe_timeout = 60", 1, NULL, NULL, 60, 1000000, NULL },
		{ CASE_LINE, "probe_timeout = 0", 0, NULL, NULL, 0, 0, "1..3600" },
		{ CASE_LINE, "probe_timeout = 3601", 0, NULL, NULL, 0, 0, "1..3600" },
		{ CASE_LINE, "probe_sample = 0", 1, NULL, NULL, 15, 0, NULL },
		{ CASE_LINE, "probe_sample = 0.25", 1, NULL, NULL, 15, 250000, NULL },
		{ CASE_LINE, "probe_sample = 0.000001", 1, NULL, NULL, 15, 1, NULL },
		{ CASE_LINE, "probe_sample = 1.000000", 1, NULL, NULL, 15, 1000000, NULL },
		{ CASE_LINE, "probe_sample = 1.01", 0, NULL, NULL, 0, 0, "share from 0 to 1" },
		{ CASE_LINE, "probe_sample = 0.0000001", 0, NULL, NULL, 0, 0, "share" },
		{ CASE_LINE, "probe_sample = .5", 0, NULL, NULL, 0, 0, "share" },
		{ CASE_LINE, "probe_sample = 5.", 0, NULL, NULL, 0, 0, "share" },
		{ CASE_LINE, "probe_sample = 50%", 0, NULL, NULL, 0, 0, "share" },
		{ CASE_LINE, "probe_sample = -0", 0, NULL, NULL, 0, 0, "share" },
	};
	struct config	 cfg;
	char		 err[CONFIG_ERR_MAX];
	size_t		 i;
	int		 rc;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ck_assert_int_eq(config_defaults(&cfg), 0);
		err[0] = '\0';
		rc = config_parse(&cfg, "t", rows[i].text, strlen(rows[i].text),
		    err, sizeof(err));
		ck_assert_msg((rc == 0) == rows[i].ok, "line %d: rc %d %s",
		    rows[i].line, rc, err);
		if (rows[i].ok) {
			ck_assert_msg(str_same(cfg.probe_v6_url, rows[i].v6) &&
			    str_same(cfg.probe_v4_url, rows[i].v4), "line %d: %s %s",
			    rows[i].line, cfg.probe_v6_url, cfg.probe_v4_url);
			ck_assert_msg(cfg.probe_timeout == rows[i].timeout &&
			    cfg.probe_sample_ppm == rows[i].ppm, "line %d: %u %u",
			    rows[i].line, cfg.probe_timeout, cfg.probe_sample_ppm);
		} else
			ck_assert_msg(strstr(err, rows[i].msg) != NULL,
			    "line %d: %s", rows[i].line, err);
		config_free(&cfg);
	}
}
END_TEST

/* A URI is the database as it is, for its backend (store.h) to read. */
START_TEST(test_database_uri)
{
	static const char text[] =
	    "database = postgres://ds@db.example.org/dualstat?sslmode=verify-full\n";
	struct config	 cfg;
	char		 err[CONFIG_ERR_MAX] = "";

	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_msg(config_parse(&cfg, "t.conf", text, sizeof(text) - 1, err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(cfg.database,
	    "postgres://ds@db.example.org/dualstat?sslmode=verify-full");
	config_free(&cfg);
}
END_TEST

/* The node's default: the host name made a node name (row_node_valid). */
static const struct {
	int		 line;
	const char	*host, *node;
} node_of_rows[] = {
	{ CASE_LINE, "web-1", "web-1" },
	{ CASE_LINE, "ip-10-0-1-23.ec2.internal", "ip-10-0-1-23.ec2.internal" },
	{ CASE_LINE, "caf\xc3\xa9 bar", "caf---bar" },
	{ CASE_LINE, "", "localhost" },
	{ CASE_LINE, "a:b/c", "a-b-c" },
	/* Cut to ROW_NODE_MAX (64) bytes. */
	{ CASE_LINE, "0123456789012345678901234567890123456789012345678901234567890123456789",
	    "0123456789012345678901234567890123456789012345678901234567890123" },
};

START_TEST(test_node_of)
{
	char	 out[80];

	config_node_of(node_of_rows[_i].host, out, sizeof(out));
	ck_assert_msg(strcmp(out, node_of_rows[_i].node) == 0, "line %d: %s",
	    node_of_rows[_i].line, out);
	ck_assert_msg(row_node_valid(out), "line %d", node_of_rows[_i].line);
}
END_TEST

START_TEST(test_node_default)
{
	struct config	 cfg;
	char		 host[256], want[80];

	ck_assert_int_eq(gethostname(host, sizeof(host)), 0);
	host[sizeof(host) - 1] = '\0';
	config_node_of(host, want, sizeof(want));
	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_str_eq(cfg.node, want);
	config_free(&cfg);
}
END_TEST

START_TEST(test_limit_numbers)
{
	static const struct {
		int		 line;
		const char	*text;
		int		 ok;
	} rows[] = {
		{ CASE_LINE, "ipv4_prefix = 31", 1 },
		{ CASE_LINE, "ipv4_prefix = 32", 0 },	/* the whole address */
		{ CASE_LINE, "ipv4_prefix = 00000000000000000000031", 1 },
		{ CASE_LINE, "ipv6_prefix = 127", 1 },
		{ CASE_LINE, "ipv6_prefix = 128", 0 },	/* the whole address */
		{ CASE_LINE, "retention_days = 36500", 1 },
		{ CASE_LINE, "retention_days = 36501", 0 },
		{ CASE_LINE, "busy_timeout_ms = 60000", 1 },
		{ CASE_LINE, "busy_timeout_ms = 60001", 0 },
		{ CASE_LINE, "busy_timeout_ms = 18446744073709551616", 0 },
		{ CASE_LINE, "busy_timeout_ms = 4294967296", 0 },
	};
	struct config	 cfg;
	char		 err[CONFIG_ERR_MAX];
	size_t		 i;
	int		 rc;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ck_assert_int_eq(config_defaults(&cfg), 0);
		err[0] = '\0';
		rc = config_parse(&cfg, "t", rows[i].text,
		    strlen(rows[i].text), err, sizeof(err));
		ck_assert_msg((rc == 0) == rows[i].ok, "line %d: rc %d %s",
		    rows[i].line, rc, err);
		config_free(&cfg);
	}
}
END_TEST

START_TEST(test_limit_site_name)
{
	struct config	 cfg;
	char		 text[300], err[CONFIG_ERR_MAX] = "";
	int		 n;

	/* 200 bytes: 198 ASCII and one two-byte character. */
	n = snprintf(text, sizeof(text), "site_name = %.198s\xc3\xa9",
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxx");
	ck_assert_int_eq(n, 12 + 200);
	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_msg(config_parse(&cfg, "t", text, (size_t)n, err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(strlen(cfg.site_name), 200);
	text[n] = 'x';
	ck_assert_int_eq(config_parse(&cfg, "t", text, (size_t)n + 1, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "t:1: site_name is longer than 200 bytes");
	config_free(&cfg);
}
END_TEST

/* 4096 bytes is the longest line; the line end does not count. */
START_TEST(test_limit_line)
{
	struct config	 cfg;
	char		*text, err[CONFIG_ERR_MAX] = "";
	size_t		 n;

	ck_assert_ptr_nonnull(text = malloc(8192));
	n = (size_t)snprintf(text, 8192, "ipv4_prefix = 8\n");
	memset(text + n, 'x', 4096);
	text[n] = '#';
	memcpy(text + n + 4096, "\r\n", 2);

	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_msg(config_parse(&cfg, "t", text, n + 4098, err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(cfg.ipv4_prefix, 8);

	memcpy(text + n + 4096, "x\n", 2);
	ck_assert_int_eq(config_parse(&cfg, "t", text, n + 4098, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "t:2: line is longer than 4096 bytes");

	/* The same without a final newline. */
	ck_assert_int_eq(config_parse(&cfg, "t", text, n + 4097, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "t:2: line is longer than 4096 bytes");
	config_free(&cfg);
	free(text);
}
END_TEST

START_TEST(test_limit_nul)
{
	struct config	 cfg;
	char		 err[CONFIG_ERR_MAX] = "";
	static const char text[] = "ipv4_prefix = 8\nsite_name = a\0b\n";

	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_int_eq(config_parse(&cfg, "t", text, sizeof(text) - 1,
	    err, sizeof(err)), -1);
	ck_assert_str_eq(err, "t:2: NUL byte in line");
	ck_assert_str_eq(cfg.site_name, "this site");
	config_free(&cfg);
}
END_TEST

START_TEST(test_limit_empty)
{
	struct config	 cfg;
	char		 err[CONFIG_ERR_MAX] = "";

	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_int_eq(config_parse(&cfg, "t", "", 0, err, sizeof(err)), 0);
	ck_assert_int_eq(config_parse(&cfg, "t", NULL, 0, err, sizeof(err)), 0);
	ck_assert_int_eq(config_parse(&cfg, "t", "\n\n\n", 3, err,
	    sizeof(err)), 0);
	assert_defaults(&cfg, __LINE__);
	config_free(&cfg);
}
END_TEST

/* 1 MB of comments is still a configuration; one byte more is not. */
START_TEST(test_limit_file_size)
{
	struct config	 cfg;
	char		*text, err[CONFIG_ERR_MAX] = "";
	char		 path[PATH_MAX * 2], want[PATH_MAX * 3];
	size_t		 max = 1024 * 1024, i;

	ck_assert_ptr_nonnull(text = malloc(max + 1));
	memset(text, '#', max + 1);
	for (i = 1023; i < max + 1; i += 1024)
		text[i] = '\n';
	snprintf(path, sizeof(path), "%s", tmp_file("big.conf", text, max));
	ck_assert_msg(config_load(&cfg, path, err, sizeof(err)) == 0,
	    "%s", err);
	config_free(&cfg);

	tmp_file("big.conf", text, max + 1);
	snprintf(want, sizeof(want), "%s: larger than %zu bytes", path, max);
	ck_assert_int_eq(config_load(&cfg, path, err, sizeof(err)), -1);
	ck_assert_str_eq(err, want);
	assert_defaults(&cfg, __LINE__);
	config_free(&cfg);
	free(text);
}
END_TEST

/* A short err buffer gets a cut, terminated message and no overflow. */
START_TEST(test_limit_err_size)
{
	struct config	 cfg;
	char		 err[12];
	static const char text[] = "unknown_key_here = 1\n";

	memset(err, 'Z', sizeof(err));
	ck_assert_int_eq(config_defaults(&cfg), 0);
	ck_assert_int_eq(config_parse(&cfg, "t.conf", text, sizeof(text) - 1,
	    err, 8), -1);
	ck_assert_str_eq(err, "t.conf:");
	ck_assert_int_eq(err[8], 'Z');
	ck_assert_int_eq(config_parse(&cfg, "t.conf", text, sizeof(text) - 1,
	    NULL, 0), -1);
	config_free(&cfg);
}
END_TEST

Suite *
config_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("config");

	tc = tcase_create("parse");
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_default_path);
	tcase_add_test(tc, test_free_twice);
	tcase_add_test(tc, test_every_key);
	tcase_add_loop_test(tc, test_numbers, 0,
	    sizeof(numbers) / sizeof(numbers[0]));
	tcase_add_test(tc, test_proxy_header_names);
	tcase_add_test(tc, test_error_keeps_config);
	tcase_add_test(tc, test_parse_over);
	tcase_add_test(tc, test_whitespace);
	tcase_add_test(tc, test_hash_in_value);
	tcase_add_test(tc, test_crlf);
	tcase_add_test(tc, test_bom);
	tcase_add_test(tc, test_list_replaces);
	tcase_add_test(tc, test_static_url_slash);
	tcase_add_test(tc, test_static_url_forms);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_loop_test(tc, test_errors, 0,
	    sizeof(errors) / sizeof(errors[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("load");
	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_add_test(tc, test_load_file);
	tcase_add_test(tc, test_load_env);
	tcase_add_test(tc, test_load_env_missing);
	tcase_add_test(tc, test_load_named_missing);
	tcase_add_test(tc, test_load_default_path);
	tcase_add_test(tc, test_load_directory);
	tcase_add_test(tc, test_load_unreadable);
	tcase_add_test(tc, test_load_error_defaults);
	suite_add_tcase(s, tc);

	tc = tcase_create("example");
	tcase_add_test(tc, test_shipped_is_defaults);
	tcase_add_test(tc, test_shipped_uncommented);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_add_test(tc, test_limit_numbers);
	tcase_add_test(tc, test_database_uri);
	tcase_add_test(tc, test_node_default);
	tcase_add_loop_test(tc, test_node_of, 0,
	    (int)(sizeof(node_of_rows) / sizeof(node_of_rows[0])));
	tcase_add_test(tc, test_probe_keys);
	tcase_add_test(tc, test_limit_site_name);
	tcase_add_test(tc, test_limit_line);
	tcase_add_test(tc, test_limit_nul);
	tcase_add_test(tc, test_limit_empty);
	tcase_add_test(tc, test_limit_file_size);
	tcase_add_test(tc, test_limit_err_size);
	suite_add_tcase(s, tc);

	return s;
}
