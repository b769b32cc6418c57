/* cli.c: the command line: classify, report, status, check-config, prune, version, serve, import, ingest. */
#include "autoconf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "app.h"
#include "cli.h"
#include "import.h"
#include "ingest.h"
#include "listen.h"
#include "logrow.h"
#include "num.h"
#include "opts.h"
#include "page.h"
#include "query.h"
#include "server.h"
#include "store.h"
#include "setup_check.h"
#include "utc.h"

struct command {
	const char	*name;
	int		(*fn)(int, char *[], const char *);
	const char	*usage;
	const char	*help;
};

static int	 cmd_classify(int, char *[], const char *);
static int	 cmd_report(int, char *[], const char *);
static int	 cmd_status(int, char *[], const char *);
static int	 cmd_check_config(int, char *[], const char *);
static int	 cmd_prune(int, char *[], const char *);
static int	 cmd_version(int, char *[], const char *);
static int	 cmd_serve(int, char *[], const char *);
/* Access logs (issue 11). */
static int	 cmd_import(int, char *[], const char *);
static int	 cmd_ingest(int, char *[], const char *);

static const struct command commands[] = {
	{ "classify", cmd_classify,
	  "classify [--v4-prefix N] [--v6-prefix N] [ADDR...]",
	  "Print, for each address (one per line from stdin when none or \"-\" is\n"
	  "given), a tab-separated line: INPUT FAMILY KIND PREFIX MAPPED.  An input\n"
	  "that is not an address prints INPUT<TAB>invalid and the exit status is 1.\n"
	  "The prefix lengths default to ipv4_prefix and ipv6_prefix.\n" },
	{ "report", cmd_report,
	  "report [--days N | --from YYYY-MM-DD --to YYYY-MM-DD] [--host NAME]\n"
	  "       [--node NAME] [--how page|beacon|authorizer|record|log]\n"
	  "       [--format text|json|csv [--table NAME]]",
	  "Print the usage report for the last N days (default 7; 1..3660) or for a\n"
	  "range of whole UTC days, from the configured database (read-only), for\n"
	  "every host, server (node) and way of measuring or only the ones given.\n"
	  "The CSV is one table: series (the default), kinds, prefixes, unique,\n"
	  "hosts, nodes, listeners, hows or summary.\n" },
	{ "status", cmd_status,
	  "status [--format text|json]",
	  "Print versions, the database's state and the counters.  Exit status 0\n"
	  "when the database is writable, 1 otherwise.\n" },
	{ "check-config", cmd_check_config,
	  "check-config [--document-root DIR]",
	  "Say in plain words what is wrong with this setup: the configuration\n"
	  "(file:line of an error), the database's folder (tried: a file made and\n"
	  "removed), the database and the files beside it (writable; a schema\n"
	  "newer than this dualstat), whether the database or the configuration\n"
	  "lies inside the document root, and where static_url finds the\n"
	  "stylesheet.  Checked as the user running it: the page /check, asked\n"
	  "through the web server, checks as the user the web server runs\n"
	  "dualstat as.  Nothing is changed.  Exit status 1 when there is a\n"
	  "problem (warnings alone: 0).\n" },
	{ "prune", cmd_prune,
	  "prune",
	  "Bring the roll-ups up to date (every raw row rolled up, every finished\n"
	  "day closed), then delete raw rows older than retention_days, in small\n"
	  "batches so that recording never waits long.  retention_days = 0 keeps\n"
	  "every raw row.  Meant for a daily cron job.\n" },
	{ "version", cmd_version,
	  "version",
	  "Print the versions of dualstat, SQLite and libfcgi.\n" },
	{ "serve", cmd_serve,
	  "serve --listen unix:PATH|127.0.0.1:PORT|[::1]:PORT|fd:N [--workers N] [--allow-remote]\n"
	  "      [--user USER[:GROUP]] [--socket-owner USER[:GROUP]] [--socket-mode MODE]",
	  "Open a FastCGI socket and serve it with N pre-forked workers (default 2,\n"
	  "1..64), or serve a socket already open on fd N (systemd: fd:0).\n"
	  "A worker that dies is replaced; SIGTERM lets the workers finish\n"
	  "their requests, then exits.  A TCP address that is not loopback is refused\n"
	  "unless --allow-remote is given.\n" },
	/* Access logs (issue 11). */
	{ "import", cmd_import,
	  "import [--format auto|combined|common|vhost_combined|alb|cloudfront|caddy]\n"
	  "       [--host NAME] FILE...",
	  "Read the requests of web server access logs (\"-\" is stdin; .gz files\n"
	  "are read compressed) into the database, how = log, each at the time of\n"
	  "its line.  The format is detected per file from its first lines unless\n"
	  "given.  Lines without a host of their own count for --host NAME.  A line\n"
	  "already imported, under this name or another (a rotated or compressed\n"
	  "copy), is never counted again; a file that grew adds its new lines.\n"
	  "Prints per file the lines read, imported and skipped by reason.  Exit\n"
	  "status 1 when a file could not be read (the others are imported).\n" },
	{ "ingest", cmd_ingest,
	  "ingest [--format auto|combined|common|vhost_combined|alb|cloudfront|caddy]\n"
	  "       [--host NAME] [--listen unixgram:PATH|udp:127.0.0.1:PORT|udp:[::1]:PORT\n"
	  "       | --follow FILE]",
	  "Read a web server's access log as it is written, how = log: lines on\n"
	  "stdin (Apache CustomLog \"||dualstat ingest\", lighttpd accesslog.filename\n"
	  "= \"|dualstat ingest\"), or with --listen syslog datagrams on a Unix socket\n"
	  "(nginx access_log syslog:server=unix:PATH) or on a loopback UDP port (nginx\n"
	  "access_log syslog:server=127.0.0.1:PORT; any local process may send to\n"
	  "it).  Commits at most a second's lines at a time; while the database\n"
	  "cannot take them they wait in memory (bounded: past it requests are\n"
	  "dropped and counted).  End of input and SIGTERM commit what is in memory;\n"
	  "a kill -9 loses at most that.  With --follow FILE it reads a log file as\n"
	  "it grows (nginx access_log FILE combined buffer=64k flush=1s), through\n"
	  "rotation (rename and reopen, copytruncate), going on after a restart\n"
	  "where the database has it: the file is the backlog, nothing is dropped\n"
	  "and a kill -9 loses nothing.  Its counters are shown by status.\n" },
};

#define NCOMMANDS	(sizeof(commands) / sizeof(commands[0]))

static const struct command *
command_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int
cli_is_command(const char *name)
{
	return command_find(name) != NULL || strcmp(name, "help") == 0;
}

static int	 usage_error(const char *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* A usage error: one line, exit 2. */
static int
usage_error(const char *cmd, const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "dualstat: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see dualstat %s --help)\n", cmd);
	return 2;
}

static int
help(const struct command *c)
{
	printf("usage: dualstat [-c FILE] %s\n\n%s", c->usage, c->help);
	return 0;
}

static int
load_config(struct config *cfg, const char *conf)
{
	char	 err[CONFIG_ERR_MAX];

	if (config_load(cfg, conf, err, sizeof(err)) != 0) {
		fprintf(stderr, "dualstat: %s\n", err);
		config_free(cfg);
		return -1;
	}
	return 0;
}

static void
classify_one(const char *input, unsigned v4, unsigned v6, int *invalid)
{
	struct addr	 a;
	char		 prefix[ADDR_PREFIX_MAX];

	if (addr_parse(input, &a) != 0 ||
	    addr_prefix_format(&a, a.family == 4 ? v4 : v6, prefix, sizeof(prefix)) != 0) {
		printf("%s\tinvalid\n", input);
		*invalid = 1;
		return;
	}
	printf("%s\t%d\t%s\t%s\t%s\n", input, a.family,
	    addr_kind_name(addr_classify(&a)), prefix, a.mapped ? "mapped" : "-");
}

static int
cmd_classify(int argc, char *argv[], const char *conf)
{
	static const char *const valued[] = { "--v4-prefix", "--v6-prefix", NULL };
	struct opts	 o = { .argc = argc, .argv = argv, .i = 1 };
	struct config	 cfg;
	uint64_t	 v4 = 0, v6 = 0;
	bool		 have4 = false, have6 = false;
	char		*line = NULL;
	size_t		 cap = 0, n;
	ssize_t		 len;
	int		 r, invalid = 0, i;

	while ((r = opt_next(&o, valued)) != 0) {
		if (r < 0)
			return usage_error(argv[0], "%s", o.err);
		if (strcmp(o.name, "--help") == 0)
			return help(command_find(argv[0]));
		if (strcmp(o.name, "--v4-prefix") == 0) {
			if (num_parse_str(o.value, 32, 0, &v4) != 0)
				return usage_error(argv[0], "--v4-prefix must be 0..32, not \"%s\"", o.value);
			have4 = true;
		} else if (strcmp(o.name, "--v6-prefix") == 0) {
			if (num_parse_str(o.value, 128, 0, &v6) != 0)
				return usage_error(argv[0], "--v6-prefix must be 0..128, not \"%s\"", o.value);
			have6 = true;
		} else
			return usage_error(argv[0], "unknown option %s", o.name);
	}
	if (load_config(&cfg, conf) != 0)
		return 1;
	if (!have4)
		v4 = cfg.ipv4_prefix;
	if (!have6)
		v6 = cfg.ipv6_prefix;
	config_free(&cfg);

	/* No address: stdin.  "-" among them: stdin there, in input order. */
	for (i = o.i; i < argc || i == o.i; i++) {
		if (i < argc && strcmp(argv[i], "-") != 0) {
			classify_one(argv[i], (unsigned)v4, (unsigned)v6, &invalid);
			continue;
		}
		while ((len = getline(&line, &cap, stdin)) != -1) {
			n = (size_t)len;
			while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
				line[--n] = '\0';
			/* A blank line (a list's last, a paste's gaps) is no input. */
			if (n > 0)
				classify_one(line, (unsigned)v4, (unsigned)v6, &invalid);
		}
	}
	free(line);
	return invalid;
}

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_CSV };

static int
format_parse(const char *s, bool csv_ok, enum format *f)
{
	if (strcmp(s, "text") == 0)
		*f = FORMAT_TEXT;
	else if (strcmp(s, "json") == 0)
		*f = FORMAT_JSON;
	else if (csv_ok && strcmp(s, "csv") == 0)
		*f = FORMAT_CSV;
	else
		return -1;
	return 0;
}

static int
write_out(const struct buf *b)
{
	if (b->failed) {
		fprintf(stderr, "dualstat: out of memory\n");
		return 1;
	}
	if (fwrite(buf_str(b), 1, b->len, stdout) != b->len || fflush(stdout) != 0) {
		fprintf(stderr, "dualstat: write: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}

static int
cmd_report(int argc, char *argv[], const char *conf)
{
	static const char *const valued[] = { "--days", "--from", "--to", "--format",
	    "--host", "--how", "--table", "--node", NULL };
	struct opts		 o = { .argc = argc, .argv = argv, .i = 1 };
	struct config		 cfg;
	struct query_args	 qa = { { NULL } };
	struct period		 per;
	struct report_query	 q;
	struct report		 rep;
	struct store		*st;
	struct buf		 out = { 0 };
	enum report_format	 f = REPORT_TEXT;
	bool			 have_format = false;
	char			 err[256];
	int			 r, rc;

	while ((r = opt_next(&o, valued)) != 0) {
		if (r < 0)
			return usage_error(argv[0], "%s", o.err);
		if (strcmp(o.name, "--help") == 0)
			return help(command_find(argv[0]));
		if (strcmp(o.name, "--format") == 0) {
			if (have_format)
				return usage_error(argv[0], "%s", "--format is given more than once");
			have_format = true;
			f = page_report_format_from_name(o.value);
			/* No HTML: the page is made to be served, with the site's links. */
			if (f == REPORT__MAX || f == REPORT_HTML)
				return usage_error(argv[0], "--format must be text, json or csv, not \"%s\"", o.value);
		} else if (strncmp(o.name, "--", 2) == 0 && o.value != NULL) {
			/* The period options: query.c's rules, as for the report page. */
			if (query_arg(&qa, o.name + 2, o.value, err, sizeof(err)) != 0)
				return usage_error(argv[0], "%s", err);
		} else
			return usage_error(argv[0], "unknown option %s", o.name);
	}
	if (o.i < argc)
		return usage_error(argv[0], "unexpected argument \"%s\"", argv[o.i]);
	if (query_args_period(&qa, &per, err, sizeof(err)) != 0)
		return usage_error(argv[0], "%s", err);
	/* An empty value is the web form's "all"; typed here it is a mistake. */
	if (qa.value[QUERY_HOST] != NULL && qa.value[QUERY_HOST][0] == '\0')
		return usage_error(argv[0], "%s", "--host needs a name");
	if (qa.value[QUERY_NODE] != NULL && qa.value[QUERY_NODE][0] == '\0')
		return usage_error(argv[0], "%s", "--node needs a name");
	if (qa.value[QUERY_TABLE] != NULL && f != REPORT_CSV)
		return usage_error(argv[0], "%s", "--table goes with --format csv");
	if (load_config(&cfg, conf) != 0)
		return 1;
	query_period(&per, (int64_t)time(NULL), &q);
	memset(&rep, 0, sizeof(rep));
	rc = 1;
	if (store_open(&st, cfg.database, STORE_READONLY_OPEN, cfg.busy_timeout_ms,
	    err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "dualstat: %s\n", err);
		goto out;
	}
	if (store_report(st, &q, &rep) != STORE_OK)
		fprintf(stderr, "dualstat: report: %s\n", store_errmsg(st));
	else {
		page_report(&out, NULL, &rep, f);
		rc = write_out(&out);
	}
	store_close(st);
out:
	buf_free(&out);
	report_free(&rep);
	config_free(&cfg);
	return rc;
}

static int
cmd_status(int argc, char *argv[], const char *conf)
{
	static const char *const valued[] = { "--format", NULL };
	struct opts	 o = { .argc = argc, .argv = argv, .i = 1 };
	struct app	 a;
	struct status	 s;
	struct stats	 copy;
	struct buf	 out = { 0 };
	enum format	 f = FORMAT_TEXT;
	bool		 have_format = false;
	char		 prefix[ADDR_PREFIX_MAX];
	int		 r, rc;

	while ((r = opt_next(&o, valued)) != 0) {
		if (r < 0)
			return usage_error(argv[0], "%s", o.err);
		if (strcmp(o.name, "--help") == 0)
			return help(command_find(argv[0]));
		if (strcmp(o.name, "--format") == 0) {
			if (have_format)
				return usage_error(argv[0], "%s", "--format is given more than once");
			have_format = true;
			if (format_parse(o.value, false, &f) != 0)
				return usage_error(argv[0], "--format must be text or json, not \"%s\"", o.value);
		} else
			return usage_error(argv[0], "unknown option %s", o.name);
	}
	if (o.i < argc)
		return usage_error(argv[0], "unexpected argument \"%s\"", argv[o.i]);
	app_init(&a, conf, APP_CLI, NULL);
	if (!a.cfg_ok) {
		fprintf(stderr, "dualstat: %s\n", a.cfg_err);
		app_free(&a);
		return 1;
	}
	/* Looking must not create: a database made by root here would lock the web server out. */
	if (store_is_uri(a.cfg.database) || access(a.cfg.database, F_OK) == 0)
		app_store(&a, (int64_t)time(NULL));
	app_status(&a, NULL, &s, &copy, prefix, sizeof(prefix));
	if (a.store == NULL && copy.last_error[0] == '\0')
		s.last_error = "the database does not exist yet (nothing recorded)";
	if (f == FORMAT_JSON)
		page_status_json(&out, &s);
	else
		page_status_text(&out, &s);
	rc = write_out(&out);
	buf_free(&out);
	app_free(&a);
	return rc != 0 ? rc : (s.db_ok ? 0 : 1);
}

static int
cmd_check_config(int argc, char *argv[], const char *conf)
{
	static const char *const valued[] = { "--document-root", NULL };
	struct opts		 o = { .argc = argc, .argv = argv, .i = 1 };
	struct config		 cfg;
	struct setup_env	 env;
	struct setup_report	 rep;
	struct buf		 out = { 0 };
	char			 err[CONFIG_ERR_MAX];
	int			 r, rc;

	memset(&env, 0, sizeof(env));
	while ((r = opt_next(&o, valued)) != 0) {
		if (r < 0)
			return usage_error(argv[0], "%s", o.err);
		if (strcmp(o.name, "--help") == 0)
			return help(command_find(argv[0]));
		if (strcmp(o.name, "--document-root") == 0) {
			if (env.document_root != NULL)
				return usage_error(argv[0], "%s", "--document-root is given more than once");
			if (o.value[0] != '/')
				return usage_error(argv[0], "--document-root must be an absolute "
				    "path, not \"%s\"", o.value);
			env.document_root = o.value;
		} else
			return usage_error(argv[0], "unknown option %s", o.name);
	}
	if (o.i < argc)
		return usage_error(argv[0], "unexpected argument \"%s\"", argv[o.i]);
	/* A broken configuration is what this command is for: it is reported, not fatal. */
	env.conf_ok = config_load(&cfg, conf, err, sizeof(err)) == 0;
	env.conf_path = setup_conf_path(conf);
	env.conf_err = err;
	env.cfg = &cfg;
	env.is_static = setup_is_static();
	env.uid = geteuid();
	env.gid = getegid();
	setup_check(&env, &rep);
	page_check_text(&out, &rep);
	rc = write_out(&out);
	buf_free(&out);
	config_free(&cfg);
	return rc != 0 ? rc : (rep.problems > 0 ? 1 : 0);
}

static int
cmd_prune(int argc, char *argv[], const char *conf)
{
	static const char *const valued[] = { NULL };
	struct opts	 o = { .argc = argc, .argv = argv, .i = 1 };
	struct config	 cfg;
	struct store	*st;
	uint64_t	 deleted = 0;
	int64_t		 before;
	char		 err[256], when[32];
	enum store_err	 e;
	int		 r, rc;

	while ((r = opt_next(&o, valued)) != 0) {
		if (r < 0)
			return usage_error(argv[0], "%s", o.err);
		if (strcmp(o.name, "--help") == 0)
			return help(command_find(argv[0]));
		return usage_error(argv[0], "unknown option %s", o.name);
	}
	if (o.i < argc)
		return usage_error(argv[0], "unexpected argument \"%s\"", argv[o.i]);
	if (load_config(&cfg, conf) != 0)
		return 1;
	rc = 1;
	st = NULL;
	if (!store_is_uri(cfg.database) && access(cfg.database, F_OK) != 0) {
		if (cfg.retention_days == 0) {
			printf("retention_days = 0: raw rows are kept; nothing pruned\n");
			rc = 0;
		} else
			fprintf(stderr, "dualstat: prune: %s: %s\n", cfg.database,
			    strerror(errno));
		goto out;
	}
	if (store_open(&st, cfg.database, 0, cfg.busy_timeout_ms, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "dualstat: %s\n", err);
		goto out;
	}
	/*
	 * The whole upkeep first, so one cron line keeps a CGI site's
	 * roll-ups whole even where no request closed the last days.
	 */
	if (store_maintain_all(st, (int64_t)time(NULL)) != STORE_OK) {
		fprintf(stderr, "dualstat: prune: %s\n", store_errmsg(st));
		goto out;
	}
	if (cfg.retention_days == 0) {
		printf("roll-ups up to date; retention_days = 0: raw rows are kept, "
		    "nothing pruned\n");
		rc = 0;
		goto out;
	}
	before = (int64_t)time(NULL) - (int64_t)cfg.retention_days * 86400;
	e = store_prune(st, before, STORE_PRUNE_BATCH, &deleted);
	utc_format(when, sizeof(when), before, UTC_ISO);
	if (e != STORE_OK)
		fprintf(stderr, "dualstat: prune: %s (after %llu rows)\n", store_errmsg(st),
		    (unsigned long long)deleted);
	else {
		printf("pruned %llu rows recorded before %s\n", (unsigned long long)deleted, when);
		rc = 0;
	}
out:
	if (st != NULL)
		store_close(st);
	config_free(&cfg);
	return rc;
}

static int
cmd_version(int argc, char *argv[], const char *conf)
{
	(void)conf;
	if (argc > 1) {
		if (strcmp(argv[1], "--help") == 0)
			return help(command_find(argv[0]));
		return usage_error(argv[0], "unexpected argument \"%s\"", argv[1]);
	}
	printf("dualstat %s\nSQLite %s\nlibfcgi %s\n", PACKAGE_VERSION,
	    sqlite3_libversion(), FCGI_VERSION_STRING);
	return 0;
}

static int
cmd_serve(int argc, char *argv[], const char *conf)
{
	static const char *const valued[] = { "--listen", "--workers", "--user",
	    "--socket-owner", "--socket-mode", NULL };
	struct opts		 o = { .argc = argc, .argv = argv, .i = 1 };
	struct serve_opts	 so = { .workers = 2, .conf = conf };
	const char		**once;
	bool			 have_workers = false;
	uint64_t		 n;
	char			 err[256];
	int			 r;

	while ((r = opt_next(&o, valued)) != 0) {
		if (r < 0)
			return usage_error(argv[0], "%s", o.err);
		if (strcmp(o.name, "--help") == 0)
			return help(command_find(argv[0]));
		once = strcmp(o.name, "--listen") == 0 ? &so.listen :
		    strcmp(o.name, "--user") == 0 ? &so.user :
		    strcmp(o.name, "--socket-owner") == 0 ? &so.socket_owner :
		    strcmp(o.name, "--socket-mode") == 0 ? &so.socket_mode : NULL;
		if (once != NULL) {
			if (*once != NULL)
				return usage_error(argv[0], "%s is given more than once", o.name);
			*once = o.value;
		} else if (strcmp(o.name, "--workers") == 0) {
			if (have_workers)
				return usage_error(argv[0], "%s", "--workers is given more than once");
			have_workers = true;
			if (num_parse_str(o.value, 64, 0, &n) != 0 || n == 0)
				return usage_error(argv[0], "--workers must be 1..64, not \"%s\"", o.value);
			so.workers = (unsigned)n;
		} else if (strcmp(o.name, "--allow-remote") == 0)
			so.allow_remote = true;
		else
			return usage_error(argv[0], "unknown option %s", o.name);
	}
	if (o.i < argc)
		return usage_error(argv[0], "unexpected argument \"%s\"", argv[o.i]);
	if (so.listen == NULL)
		return usage_error(argv[0], "%s", "--listen is required");
	if (server_listen_check(so.listen, so.allow_remote, err, sizeof(err)) != 0) {
		fprintf(stderr, "dualstat: serve: %s\n", err);
		return 2;
	}
	/*
	 * Names are looked up through glibc's NSS, which in a static program
	 * loads the system's shared NSS modules (libnss_systemd on Debian)
	 * into it: on Debian 12's own glibc a name that is not in /etc/passwd
	 * or /etc/group, or initgroups("www-data"), crashes it (SIGSEGV); on
	 * another glibc anything may happen.  So before any lookup:
	 */
	if ((so.user != NULL || so.socket_owner != NULL) && setup_is_static()) {
		fprintf(stderr, "dualstat: serve: a static dualstat looks up no user or group "
		    "names, so --user and --socket-owner are refused: start serve as the "
		    "user it is to run as, or use the dynamically linked dualstat\n");
		return 2;
	}
	return server_serve(&so);
}

/* ---- Access logs (issue 11) --------------------------------------------- */

static int
cmd_import(int argc, char *argv[], const char *conf)
{
	static const char *const valued[] = { "--format", "--host", NULL };
	struct opts		 o = { .argc = argc, .argv = argv, .i = 1 };
	struct import_opts	 io = { .format = LOGLINE_FORMAT__MAX };
	struct import_summary	 sum;
	struct config		 cfg;
	struct store		*st;
	const char		*format = NULL, *host = NULL, *env;
	char			 err[256], key[HOST_KEY_MAX + 1];
	uint64_t		 n;
	int			 r, i, rc = 0;

	while ((r = opt_next(&o, valued)) != 0) {
		if (r < 0)
			return usage_error(argv[0], "%s", o.err);
		if (strcmp(o.name, "--help") == 0)
			return help(command_find(argv[0]));
		if (strcmp(o.name, "--format") == 0 && format == NULL)
			format = o.value;
		else if (strcmp(o.name, "--host") == 0 && host == NULL)
			host = o.value;
		else if (strcmp(o.name, "--format") == 0 || strcmp(o.name, "--host") == 0)
			return usage_error(argv[0], "%s is given more than once", o.name);
		else
			return usage_error(argv[0], "unknown option %s", o.name);
	}
	if (o.i >= argc)
		return usage_error(argv[0], "%s", "no file to import (\"-\" for stdin)");
	if (format != NULL && strcmp(format, "auto") != 0 &&
	    (io.format = logline_format_from_name(format)) == LOGLINE_FORMAT__MAX)
		return usage_error(argv[0], "--format must be auto, combined, common, "
		    "vhost_combined, alb, cloudfront or caddy, not \"%s\"", format);
	if (load_config(&cfg, conf) != 0)
		return 1;
	if (host != NULL && logrow_host(&cfg, host, key, sizeof(key)) != 0) {
		config_free(&cfg);
		return usage_error(argv[0], "--host %s: not a host name", host);
	}
	io.cfg = &cfg;
	io.host = host != NULL ? key : NULL;
	io.progress = isatty(STDERR_FILENO) != 0;
	/* Smaller batches, for the tests that stop an import halfway. */
	if ((env = getenv("DUALSTAT_IMPORT_BATCH")) != NULL &&
	    num_parse_str(env, UINT32_MAX, 0, &n) == 0)
		io.batch_lines = (unsigned)n;
	if (store_open(&st, cfg.database, 0, cfg.busy_timeout_ms, err,
	    sizeof(err)) != STORE_OK) {
		fprintf(stderr, "dualstat: import: %s\n", err);
		config_free(&cfg);
		return 1;
	}
	for (i = o.i; i < argc; i++) {
		if (import_file(st, argv[i], &io, &sum) != 0) {
			fprintf(stderr, "dualstat: import: %s\n", sum.error);
			rc = 1;
		}
		/* A file never read has nothing to sum up. */
		if (sum.format != LOGLINE_FORMAT__MAX)
			import_summary_print(stdout, &sum);
	}
	/* The days the logs filled, closed now: the report reads few cells. */
	if (store_maintain_all(st, (int64_t)time(NULL)) != STORE_OK) {
		fprintf(stderr, "dualstat: import: %s\n", store_errmsg(st));
		rc = 1;
	}
	store_close(st);
	config_free(&cfg);
	if (fflush(stdout) != 0)
		rc = 1;
	return rc;
}

static int
cmd_ingest(int argc, char *argv[], const char *conf)
{
	static const char *const valued[] = { "--format", "--host", "--listen", "--follow",
	    NULL };
	struct opts		 o = { .argc = argc, .argv = argv, .i = 1 };
	struct ingest_opts	 io = { .format = LOGLINE_FORMAT__MAX };
	struct listen_addr	 la;
	struct config		 cfg;
	struct stats		*stats;
	const char		*format = NULL, *host = NULL, *env;
	char			 err[512], key[HOST_KEY_MAX + 1];
	uint64_t		 n;
	int			 r, rc;

	while ((r = opt_next(&o, valued)) != 0) {
		if (r < 0)
			return usage_error(argv[0], "%s needs a value", o.name);
		if (strcmp(o.name, "--help") == 0)
			return help(command_find(argv[0]));
		if (strcmp(o.name, "--format") == 0 && format == NULL)
			format = o.value;
		else if (strcmp(o.name, "--host") == 0 && host == NULL)
			host = o.value;
		else if (strcmp(o.name, "--listen") == 0 && io.listen == NULL)
			io.listen = o.value;
		else if (strcmp(o.name, "--follow") == 0 && io.follow == NULL)
			io.follow = o.value;
		else if (strcmp(o.name, "--format") == 0 || strcmp(o.name, "--host") == 0 ||
		    strcmp(o.name, "--listen") == 0 || strcmp(o.name, "--follow") == 0)
			return usage_error(argv[0], "%s is given more than once", o.name);
		else
			return usage_error(argv[0], "unknown option %s", o.name);
	}
	if (o.i < argc)
		return usage_error(argv[0], "unexpected argument \"%s\"", argv[o.i]);
	if (format != NULL && strcmp(format, "auto") != 0 &&
	    (io.format = logline_format_from_name(format)) == LOGLINE_FORMAT__MAX)
		return usage_error(argv[0], "--format must be auto, combined, common, "
		    "vhost_combined, alb, cloudfront or caddy, not \"%s\"", format);
	if (io.listen != NULL && io.follow != NULL)
		return usage_error(argv[0], "--listen and --follow: one source at a time");
	if (io.follow != NULL && *io.follow == '\0')
		return usage_error(argv[0], "--follow needs a file");
	if (io.listen != NULL && strncmp(io.listen, "unixgram:", 9) != 0 &&
	    strncmp(io.listen, "udp:", 4) != 0)
		return usage_error(argv[0], "--listen must be unixgram:PATH or "
		    "udp:ADDR:PORT, not \"%s\"", io.listen);
	/* UDP: loopback only, any local process may send (README); never the network. */
	if (io.listen != NULL && strncmp(io.listen, "udp:", 4) == 0 &&
	    (listen_parse(io.listen + 4, false, &la, err, sizeof(err)) != 0 ||
	    la.kind != LISTEN_INET || !listen_loopback(&la.ss)))
		return usage_error(argv[0], "--listen %s: only a loopback address and "
		    "port, udp:127.0.0.1:PORT or udp:[::1]:PORT", io.listen);
	if (load_config(&cfg, conf) != 0)
		return 1;
	if (host != NULL && logrow_host(&cfg, host, key, sizeof(key)) != 0) {
		config_free(&cfg);
		return usage_error(argv[0], "--host %s: not a host name", host);
	}
	io.cfg = &cfg;
	io.host = host != NULL ? key : NULL;
	/* For the tests: batches held longer (a kill -9 mid-batch), a small backlog. */
	if ((env = getenv("DUALSTAT_INGEST_BATCH_MS")) != NULL &&
	    num_parse_str(env, 3600000, 0, &n) == 0 && n > 0)
		io.batch_ms = (unsigned)n;
	if ((env = getenv("DUALSTAT_INGEST_BACKLOG")) != NULL &&
	    num_parse_str(env, INGEST_BACKLOG_GROUPS, 0, &n) == 0 && n > 0)
		io.backlog_groups = (size_t)n;
	/* For the bench: the UDP buffer a user gets at a given net.core.rmem_max. */
	if ((env = getenv("DUALSTAT_INGEST_RCVBUF")) != NULL &&
	    num_parse_str(env, INT32_MAX / 2, 0, &n) == 0 && n > 0)
		io.rcvbuf = (int)n;
	/* Shared with the web server's dualstat: its /status shows this process. */
	if ((stats = stats_open(cfg.database, true)) == NULL)
		stats = stats_create();
	rc = ingest_run(&io, stats, err, sizeof(err)) == 0 ? 0 : 1;
	if (rc != 0)
		fprintf(stderr, "dualstat: ingest: %s\n", err);
	config_free(&cfg);
	return rc;
}

static int
general_help(void)
{
	size_t	 i;

	printf("usage: dualstat [-c FILE] COMMAND [OPTIONS]\n"
	    "       dualstat [-c FILE]   (as FastCGI with a socket on fd 0, or as CGI)\n\n"
	    "Commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		printf("  %s\n", commands[i].usage);
	printf("\nThe configuration is -c FILE, else $DUALSTAT_CONF, else %s.\n"
	    "Each command takes --help.\n", config_default_path());
	return 0;
}

int
cli_main(int argc, char *argv[], const char *conf)
{
	const struct command	*c;

	if (argc < 1)
		return general_help();
	if (strcmp(argv[0], "help") == 0 || strcmp(argv[0], "--help") == 0 ||
	    strcmp(argv[0], "-h") == 0) {
		if (argc > 1 && (c = command_find(argv[1])) != NULL)
			return help(c);
		return general_help();
	}
	if ((c = command_find(argv[0])) == NULL) {
		fprintf(stderr, "dualstat: unknown command \"%s\" (see dualstat --help)\n", argv[0]);
		return 2;
	}
	return c->fn(argc, argv, conf);
}
