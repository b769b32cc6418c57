/* app.c: one request from params to response: record, route, check access, render. */
#include "autoconf.h"

#include <sys/random.h>

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "app.h"
#include "log.h"
#include "page.h"
#include "probe.h"
#include "query.h"
#include "recorder.h"
#include "store.h"
#include "setup_check.h"

#define TYPE_HTML	"text/html; charset=utf-8"
#define TYPE_JSON	"application/json; charset=utf-8"
#define TYPE_CSV	"text/csv; charset=utf-8"
#define TYPE_GIF	"image/gif"
#define TYPE_TEXT	"text/plain; charset=utf-8"
#define TYPE_CSS	"text/css; charset=utf-8"

/* A day: long enough that a CGI site runs dualstat for its stylesheet rarely. */
#define STYLESHEET_MAX_AGE	86400

typedef void	(*page_fn)(struct app *, const struct request *,
		    const struct visit *, struct response *);

enum page {
	PAGE_LANDING,
	PAGE_BEACON_GIF,
	PAGE_BEACON,
	PAGE_RECORD,
	PAGE_REPORT,
	PAGE_REPORT_JSON,
	PAGE_REPORT_CSV,
	PAGE_STATUS,
	PAGE_STATUS_JSON,
	PAGE_CHECK,
	PAGE_STYLESHEET,
	PAGE_PROBE_V6,		/* readiness probes (probe.h): the starts, */
	PAGE_PROBE_V4,
	PAGE_PROBE_SELF,
	PAGE_PROBE_DONE,	/* and the completion, on the probe host */
	PAGE__MAX
};

static void	 answer_landing(struct app *, const struct request *, const struct visit *, struct response *);
static void	 answer_beacon_gif(struct app *, const struct request *, const struct visit *, struct response *);
static void	 answer_no_content(struct app *, const struct request *, const struct visit *, struct response *);
static void	 answer_report(struct app *, const struct request *, const struct visit *, struct response *);
static void	 answer_status(struct app *, const struct request *, const struct visit *, struct response *);
static void	 answer_check(struct app *, const struct request *, const struct visit *, struct response *);
static void	 answer_stylesheet(struct app *, const struct request *, const struct visit *, struct response *);
static void	 answer_probe_start(struct app *, const struct request *, const struct visit *, struct response *);
static void	 answer_probe_done(struct app *, const struct request *, const struct visit *, struct response *);

#define NO_RECORD	HOW__MAX
#define NO_REPORT	REPORT__MAX

/*
 * The URL map below SCRIPT_NAME, and what each page needs before it runs.
 * /record takes any method: nginx's auth_request asks with the method of
 * the request it measures.  Pages marked "broken ok" answer even when the
 * configuration has an error (the others answer 500): /record must never
 * block a site, the stylesheet dresses the 500 page, and /check is where
 * the owner reads what the error is.
 */
static const struct page_def {
	const char	*path;
	enum how	 records;	/* NO_RECORD: nothing recorded */
	bool		 owner;		/* admin_allow or REMOTE_USER only */
	bool		 any_method;
	bool		 broken_ok;	/* answers with a broken configuration */
	enum report_format report;	/* answer_report's format; NO_REPORT elsewhere */
	page_fn		 fn;
} pages[PAGE__MAX] = {
	[PAGE_LANDING] =	{ "/",		   HOW_PAGE,   false, false, false, NO_REPORT,   answer_landing },
	[PAGE_BEACON_GIF] =	{ "/beacon.gif",   HOW_BEACON, false, false, false, NO_REPORT,   answer_beacon_gif },
	[PAGE_BEACON] =		{ "/beacon",	   HOW_BEACON, false, false, false, NO_REPORT,   answer_no_content },
	[PAGE_RECORD] =		{ "/record",	   HOW_RECORD, false, true,  true,  NO_REPORT,   answer_no_content },
	[PAGE_REPORT] =		{ "/report",	   NO_RECORD,  true,  false, false, REPORT_HTML, answer_report },
	[PAGE_REPORT_JSON] =	{ "/report.json",  NO_RECORD,  true,  false, false, REPORT_JSON, answer_report },
	[PAGE_REPORT_CSV] =	{ "/report.csv",   NO_RECORD,  true,  false, false, REPORT_CSV,  answer_report },
	[PAGE_STATUS] =		{ "/status",	   NO_RECORD,  true,  false, false, NO_REPORT,   answer_status },
	[PAGE_STATUS_JSON] =	{ "/status.json",  NO_RECORD,  true,  false, false, NO_REPORT,   answer_status },
	[PAGE_CHECK] =		{ "/check",	   NO_RECORD,  true,  false, true,  NO_REPORT,   answer_check },
	[PAGE_STYLESHEET] =	{ "/dualstat.css", NO_RECORD,  false, false, true,  NO_REPORT,   answer_stylesheet },
	/* Not recorded: the visit that loads them is already (issue 10: not counted twice). */
	[PAGE_PROBE_V6] =	{ "/probe/6.gif",  NO_RECORD,  false, false, false, NO_REPORT,   answer_probe_start },
	[PAGE_PROBE_V4] =	{ "/probe/4.gif",  NO_RECORD,  false, false, false, NO_REPORT,   answer_probe_start },
	[PAGE_PROBE_SELF] =	{ "/probe/self.gif", NO_RECORD, false, false, false, NO_REPORT,  answer_probe_start },
	[PAGE_PROBE_DONE] =	{ "/probe/done.gif", NO_RECORD, false, false, false, NO_REPORT,  answer_probe_done },
};

/* What each format of the report is sent as. */
static const char *const report_types[REPORT__MAX] = {
	[REPORT_HTML] = TYPE_HTML,
	[REPORT_JSON] = TYPE_JSON,
	[REPORT_CSV] = TYPE_CSV,
	[REPORT_TEXT] = TYPE_TEXT,
};

static const char *const mode_names[APP__MAX] = {
	[APP_FASTCGI] = "fastcgi",
	[APP_CGI] = "cgi",
	[APP_SERVE] = "serve",
	[APP_CLI] = "cli",
};

const char *
app_mode_name(enum app_mode m)
{
	return m < APP__MAX ? mode_names[m] : "cli";
}

static int64_t
now_utc(void)
{
	return (int64_t)time(NULL);
}

static int64_t
mono_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
site_of(const struct app *a, const struct request *req, struct page_site *site)
{
	site->site_name = a->cfg.site_name;
	site->static_url = a->cfg.static_url;
	site->base = req->script_name;
}

static enum page	 route(const struct request *);

/*
 * An error in the format that was asked for: a script fetching
 * report.json or report.csv gets an answer it can read.
 */
static void
error_page(struct app *a, const struct request *req, struct response *r,
    int status, const char *message)
{
	struct page_site	 site;

	switch (route(req)) {
	case PAGE_REPORT_JSON:
	case PAGE_STATUS_JSON:
		response_reset(r, status, TYPE_JSON);
		page_error_json(&r->body, status, message);
		break;
	case PAGE_REPORT_CSV:
		response_reset(r, status, TYPE_TEXT);
		page_error_text(&r->body, status, message);
		break;
	default:
		site_of(a, req, &site);
		response_reset(r, status, TYPE_HTML);
		page_error_html(&r->body, &site, status, message);
		break;
	}
	r->no_store = true;
	if (status == 405)
		r->allow = "GET, HEAD";
}

/* img-src names the probe hosts, since a redirect's target is checked against it. */
static void
probe_origins(struct app *a)
{
	const char	*url[2] = { a->cfg.probe_v6_url, a->cfg.probe_v4_url };
	char		 o[256];
	size_t		 n = 0, i, len;

	a->img_origins[0] = '\0';
	for (i = 0; i < 2; i++) {
		if (url[i] == NULL || probe_url_origin(url[i], o, sizeof(o)) == -1)
			continue;
		len = strlen(o);
		if (n + (n > 0) + len >= sizeof(a->img_origins))
			continue;
		if (n > 0)
			a->img_origins[n++] = ' ';
		memcpy(a->img_origins + n, o, len + 1);
		n += len;
	}
}

void
app_init(struct app *a, const char *conf, enum app_mode mode, struct stats *stats)
{
	bool	 want_file = stats == NULL;

	memset(a, 0, sizeof(*a));
	a->mode = mode;
	a->conf = conf;
	a->started = now_utc();
	a->started_ms = mono_ms();
	if (config_load(&a->cfg, conf, a->cfg_err, sizeof(a->cfg_err)) == 0)
		a->cfg_ok = true;
	else if (mode != APP_CLI)
		log_warnx("%s", a->cfg_err);	/* the command line says it itself */
	if (a->cfg_ok) {
		(void)config_static_origin(a->cfg.static_url, a->style_origin,
		    sizeof(a->style_origin));
		probe_origins(a);
	}
	/*
	 * The counters of every process on this database, in the file beside
	 * it; the command line only reads an existing one.  Until there is a
	 * file (no database yet, a folder we cannot write), this process's own.
	 */
	if (a->cfg_ok)
		store_db_display(a->cfg.database, a->db_shown, sizeof(a->db_shown));
	/* A PostgreSQL database has no folder to share them in: each process its own. */
	if (want_file && a->cfg_ok && store_is_uri(a->cfg.database))
		want_file = false;
	if (want_file && a->cfg_ok)
		stats = stats_open(a->cfg.database, mode != APP_CLI);
	a->stats = stats != NULL ? stats : stats_create();
	if (a->cfg_ok && mode != APP_CLI) {
		app_store(a, a->started);
		/* The first open made the database's folder: now the file can be. */
		if (want_file && !a->stats->shared && a->store != NULL &&
		    (stats = stats_open(a->cfg.database, true)) != NULL)
			a->stats = stats;	/* the store opened: nothing counted yet */
	}
}

/* Open the database if it is closed and the retry time has come. */
static void
app_open(struct app *a, int64_t now)
{
	enum store_err	 e;

	if (a->store != NULL || !a->cfg_ok || now < a->store_retry)
		return;
	e = store_open(&a->store, a->cfg.database, 0, a->cfg.busy_timeout_ms,
	    a->open_err, sizeof(a->open_err));
	if (e == STORE_OK)
		return;
	/* Once a second at most: a missing database must not cost every request a mkdir. */
	a->store_retry = now + 1;
	stats_failure(a->stats, now, a->open_err);
	log_warnx("%s", a->open_err);
}

/*
 * The one way a handle goes: it lost its file (an error: the next open
 * waits until retry), or its path names another file now (opened again
 * at once).  Nothing read from it is kept.
 */
static void
app_drop(struct app *a, int64_t retry)
{
	store_close(a->store);
	a->store = NULL;
	a->store_retry = retry;
	a->share_ok = false;
}

void
app_store(struct app *a, int64_t now)
{
	/*
	 * Deleted, renamed away or replaced by a restore: every page and
	 * commit from now on is the file's at the path.  Commits look for
	 * themselves (store_record): this is for reads, status and upkeep.
	 */
	if (a->store != NULL && store_moved(a->store)) {
		log_warnx("%s was deleted, renamed or replaced: opening it again",
		    a->db_shown);
		app_drop(a, now);
	}
	app_open(a, now);
}

void
app_free(struct app *a)
{
	store_close(a->store);
	a->store = NULL;
	config_free(&a->cfg);
}

void
app_idle(struct app *a)
{
	int64_t		 now = now_utc(), left;
	enum store_err	 e;
	bool		 ran, more;

	/* Set again below if this call leaves more: never a loop on a store that is gone. */
	a->upkeep_more = false;
	if (a->store == NULL || now - a->maintained < APP_MAINTAIN_SECONDS)
		return;
	a->maintained = now;
	app_store(a, now);	/* not the upkeep of a file that is gone */
	if (a->store == NULL)
		return;
	/*
	 * A CGI process lives for one request: they take turns through the
	 * database, or none would ever close a day (reports would then add
	 * up hours, and the landing page count raw rows).
	 */
	if (a->mode == APP_CGI) {
		/*
		 * Its waits for a lock, the request's and the upkeep's, add
		 * up to busy_timeout_ms at most: a locked database must not
		 * hold a web server's CGI process twice as long.  After a
		 * busy failure nothing is left, and the next process's turn
		 * comes soon enough.
		 */
		left = (int64_t)a->cfg.busy_timeout_ms - (mono_ms() - a->started_ms);
		if (left <= 0)
			return;
		store_wait_total(a->store, (unsigned)left);
		e = store_maintain_shared(a->store, now, APP_MAINTAIN_SECONDS, &ran);
		goto out;
	}
	/*
	 * Commits wait for the roll-up as for a leader, not in SQLite's busy
	 * handler, and this worker's own requests wait too: so one short step
	 * a call.  What is left (a busy site's 10 s can bring hundreds of
	 * thousands of rows) goes on after the next response rather than
	 * APP_MAINTAIN_SECONDS later, so the roll-up keeps up.  A step is
	 * short for a reason: 10 of them a call made nginx's p99 86 ms on
	 * PostgreSQL against 12 ms with one (bench/RESULTS.md).
	 */
	recorder_hold(recorder_current(), a->store);
	e = store_maintain_step(a->store, now, &more);
	recorder_release(recorder_current());
	a->upkeep_more = e == STORE_OK && more;
	if (a->upkeep_more)
		a->maintained = now - APP_MAINTAIN_SECONDS;
out:
	if (e != STORE_OK)
		log_warnx("upkeep failed (%s): %s", store_err_name(e),
		    store_errmsg(a->store));
}

bool
app_upkeep_pending(const struct app *a)
{

	return a->upkeep_more;
}

/* Fill the row for this request: the truncated prefix, never the address. */
static bool
visit_row(const struct app *a, const struct request *req, enum how how,
    int64_t now, struct row *row)
{
	unsigned	 bits;

	memset(row, 0, sizeof(*row));
	if (!req->client_ok)
		return false;
	bits = req->client.family == 4 ? a->cfg.ipv4_prefix : a->cfg.ipv6_prefix;
	if (addr_prefix_format(&req->client, bits, row->prefix, sizeof(row->prefix)) != 0)
		return false;
	row->time = now;
	row->family = req->client.family;
	row->kind = addr_classify(&req->client);
	row->mapped = req->client.mapped;
	row->server_family = req->server_family;
	row->host = req->host_key[0] != '\0' ? req->host_key : NULL;
	row->how = how;
	row->via_proxy = req->via_proxy;
	row->node = a->cfg.node;
	return true;
}

/* This request is to be recorded: its row, unless the peer is no address. */
static void
want_row(struct app *a, const struct request *req, enum how how,
    struct visit *v)
{
	if (!visit_row(a, req, how, v->now, &v->row)) {
		/* Not echoed: whatever it was, it may be somebody's address. */
		stats_bad_peer(a->stats);
		log_warnx("REMOTE_ADDR is not an address (%zu bytes); not recorded",
		    strlen(req->remote_addr));
		return;
	}
	v->pending = true;
}

/*
 * Rows whose commit found the file moved, on this worker's handle or on
 * the handle of the worker that led the group commit: committed again,
 * once, to the file at the path now, on this worker's handle (reopened
 * first when it is the one that moved) and in a commit of their own, so
 * no other stale handle stands in the way.  What fails again is counted.
 */
static void
record_again(struct app *a, const struct row *row, enum store_err *res,
    size_t n, int64_t now, char *why, size_t whysz)
{
	struct row again[RECORDER_ROWS_MAX];
	enum store_err	 r[RECORDER_ROWS_MAX];
	size_t		 i, k = 0, at[RECORDER_ROWS_MAX];

	for (i = 0; i < n; i++)
		if (res[i] == STORE_MOVED) {
			at[k] = i;
			again[k++] = row[i];
		}
	if (k == 0)
		return;
	app_store(a, now);
	if (a->store == NULL) {
		snprintf(why, whysz, "%.150s", a->open_err);
		return;
	}
	(void)recorder_record_rows(NULL, a->store, again, k, r,
	    a->cfg.busy_timeout_ms, why, whysz);
	for (i = 0; i < k; i++)
		res[at[i]] = r[i];
}

/* Record up to RECORDER_ROWS_MAX visits' rows. */
static void
record_some(struct app *a, struct visit **vs, size_t n, int64_t now)
{
	struct row row[RECORDER_ROWS_MAX];
	enum store_err	 res[RECORDER_ROWS_MAX], e;
	char		 msg[STATS_ERR_MAX], why[160];
	size_t		 i;
	bool		 reopen = false;

	for (i = 0; i < n; i++)
		row[i] = vs[i]->row;
	/*
	 * Under serve, the rows join those of the other workers' requests in
	 * one commit (recorder.h); either way each is committed, or has
	 * failed, before any of these responses is written.
	 */
	e = recorder_record_rows(recorder_current(), a->store, row, n, res,
	    a->cfg.busy_timeout_ms, why, sizeof(why));
	if (e != STORE_OK) {
		record_again(a, row, res, n, now, why, sizeof(why));
		for (i = 0, e = STORE_OK; i < n && e == STORE_OK; i++)
			e = res[i];
	}
	for (i = 0; i < n; i++) {
		vs[i]->pending = false;
		if (res[i] == STORE_OK) {
			vs[i]->recorded = true;
			stats_recorded(a->stats);
			continue;
		}
		snprintf(msg, sizeof(msg), "record failed (%s): %s",
		    store_err_name(res[i]), why);
		stats_failure(a->stats, now, msg);
		/* A handle that lost its file is reopened; busy and full just retry next time. */
		if (res[i] == STORE_CANTOPEN || res[i] == STORE_ERROR ||
		    res[i] == STORE_READONLY)
			reopen = true;
	}
	if (e != STORE_OK)
		log_warnx("record failed (%s): %s", store_err_name(e), why);
	if (reopen) {
		/* Until it is opened again, a second from now, what dropped it is the reason. */
		snprintf(a->open_err, sizeof(a->open_err), "%.200s", msg);
		app_drop(a, now + 1);
	}
}

void
app_record(struct app *a, struct visit *vs, size_t n)
{
	struct visit	*todo[RECORDER_ROWS_MAX];
	char		 msg[STATS_ERR_MAX];
	size_t		 i, k = 0;
	int64_t		 now = now_utc();

	for (i = 0; i < n; i++) {
		if (!vs[i].pending)
			continue;
		app_open(a, now);
		if (a->store == NULL) {
			vs[i].pending = false;
			snprintf(msg, sizeof(msg), "not recorded: %.200s", a->open_err);
			stats_failure(a->stats, now, msg);
			continue;
		}
		todo[k++] = &vs[i];
		if (k == RECORDER_ROWS_MAX) {
			record_some(a, todo, k, now);
			k = 0;
		}
	}
	if (k > 0)
		record_some(a, todo, k, now);
}

/*
 * The owner: a user the web server authenticated (its access rules
 * decided), or a client in admin_allow.  A trusted proxy itself never is:
 * what reaches dualstat through it is somebody else's request, and one it
 * sent without a usable header would otherwise pass as the proxy's own
 * address (loopback, for a proxy on this machine: admin_allow's default).
 */
static bool
is_owner(const struct app *a, const struct request *req)
{
	if (req->remote_user[0] != '\0')
		return true;
	return req->client_ok &&
	    !cidr_list_contains(&a->cfg.trusted_proxies, &req->client) &&
	    cidr_list_contains(&a->cfg.admin_allow, &req->client);
}

static enum page
route(const struct request *req)
{
	const char	*path = req->path_info;
	enum page	 p;

	if (req->path_bad)
		return PAGE__MAX;
	if (path[0] == '\0')
		return PAGE_LANDING;
	for (p = 0; p < PAGE__MAX; p++)
		if (strcmp(pages[p].path, path) == 0)
			return p;
	return PAGE__MAX;
}

static void
config_broken(struct app *a, const struct request *req, struct response *r)
{
	/* The file and line are for the owner; the public learns only that it is broken. */
	if (is_owner(a, req))
		error_page(a, req, r, 500, a->cfg_err);
	else
		error_page(a, req, r, 500,
		    "dualstat is not configured correctly; the web server's error log says where.");
}

/* Whether the method may ask for page p. */
static bool
method_ok(const struct request *req, enum page p)
{
	return pages[p].any_method || strcmp(req->method, "GET") == 0 ||
	    strcmp(req->method, "HEAD") == 0;
}

void
app_visit(struct app *a, const struct request *req, struct visit *v)
{
	enum page	 p;

	memset(v, 0, sizeof(*v));
	v->now = now_utc();
	stats_request(a->stats);
	/*
	 * Whole-site measurement must never take the site down: the
	 * Authorizer always allows, even when dualstat itself is broken.
	 */
	if (req->authorizer) {
		if (a->cfg_ok)
			want_row(a, req, HOW_AUTHORIZER, v);
		return;
	}
	v->page = p = route(req);
	if (a->cfg_ok && p != PAGE__MAX && pages[p].records != NO_RECORD &&
	    method_ok(req, p))
		want_row(a, req, pages[p].records, v);
}

void
app_answer(struct app *a, const struct request *req, const struct visit *v,
    struct response *r)
{
	enum page	 p = v->page;

	response_init(r);
	/* Copied: the response must not point into the app it outlives in tests. */
	if (a->style_origin[0] != '\0')
		memcpy(r->style_origin, a->style_origin, sizeof(r->style_origin));
	if (a->img_origins[0] != '\0')
		memcpy(r->img_origins, a->img_origins, sizeof(r->img_origins));
	r->head = strcmp(req->method, "HEAD") == 0;

	if (req->authorizer) {
		r->status = 200;
		r->authorizer = true;
		return;
	}
	if (!a->cfg_ok && (p == PAGE__MAX || !pages[p].broken_ok)) {
		config_broken(a, req, r);
		return;
	}
	if (p == PAGE__MAX) {
		error_page(a, req, r, 404, "There is no such page here.");
		return;
	}
	if (!method_ok(req, p)) {
		error_page(a, req, r, 405, "Only GET and HEAD are answered here.");
		return;
	}
	if (pages[p].owner && !is_owner(a, req)) {
		error_page(a, req, r, 403, NULL);
		return;
	}
	pages[p].fn(a, req, v, r);
	if (r->body.failed)
		error_page(a, req, r, 500, "Out of memory.");
}

void
app_answer_unread(struct app *a, bool authorizer, const char *why,
    struct response *r)
{
	stats_request(a->stats);
	response_init(r);
	if (authorizer) {
		r->authorizer = true;
		return;
	}
	response_reset(r, 431, TYPE_TEXT);
	r->no_store = true;
	page_error_text(&r->body, 431, why);
}

void
app_handle(struct app *a, const struct request *req, struct response *r)
{
	struct visit	 v;

	app_visit(a, req, &v);
	app_record(a, &v, 1);
	app_answer(a, req, &v, r);
}

static void
answer_landing(struct app *a, const struct request *req, const struct visit *v,
    struct response *r)
{
	struct page_site	 site;
	struct landing		 l;
	int64_t			 now = now_utc();

	memset(&l, 0, sizeof(l));
	l.client_ok = req->client_ok;
	l.family = v->row.family;
	l.kind = v->row.kind;
	l.mapped = v->row.mapped;
	l.via_proxy = v->row.via_proxy;
	l.prefix = v->row.prefix;
	l.recorded = v->recorded;
	l.probe_v6 = a->cfg.probe_v6_url != NULL;
	l.probe_v4 = a->cfg.probe_v4_url != NULL;
	/*
	 * The 24-hour share is counted at most once a second per process: a
	 * figure over a day does not need the request of this very second,
	 * and the count would otherwise cost more than the rest of the page.
	 */
	if (a->share_at != now || !a->share_ok) {
		app_store(a, now);
		a->share_ok = a->store != NULL && store_count(a->store,
		    now - 86400, now + 1, &a->share_v4, &a->share_v6) == STORE_OK;
		a->share_at = now;
	}
	if (a->store != NULL && a->share_ok) {
		l.share_ok = true;
		l.ipv4_24h = a->share_v4;
		l.ipv6_24h = a->share_v6;
	}
	site_of(a, req, &site);
	r->content_type = TYPE_HTML;
	r->no_store = true;
	page_landing_html(&r->body, &site, &l);
}

static void
answer_beacon_gif(struct app *a, const struct request *req, const struct visit *v,
    struct response *r)
{
	r->content_type = TYPE_GIF;
	r->no_store = true;
	buf_append(&r->body, page_beacon_gif, page_beacon_gif_len);
}

static void
answer_no_content(struct app *a, const struct request *req, const struct visit *v,
    struct response *r)
{
	r->status = 204;
	r->no_store = true;
}

/* ---- Readiness probes (issue 10: probe.h) ------------------------------ */

/* The image every probe ends in: a check mark the landing page shows, never cached. */
static void
probe_image(struct response *r)
{
	r->content_type = TYPE_GIF;
	r->no_store = true;
	buf_append(&r->body, page_probe_gif, page_probe_gif_len);
}

/*
 * /probe/6.gif, 4.gif, self.gif: a fresh token, its start written as a
 * request's row would be (truncated prefix, never the address), and a
 * 302 to the probe host.  The page embedding them stays cacheable: the
 * token is minted here, not in its HTML.
 */
static void
answer_probe_start(struct app *a, const struct request *req, const struct visit *v,
    struct response *r)
{
	struct probe_start	 ps;
	struct row		 row;
	enum probe_kind		 k = v->page == PAGE_PROBE_V6 ? PROBE_V6 :
				    v->page == PAGE_PROBE_V4 ? PROBE_V4 : PROBE_SELF;
	const char		*url = k == PROBE_V6 ? a->cfg.probe_v6_url :
				    k == PROBE_V4 ? a->cfg.probe_v4_url : NULL;
	char			 token[PROBE_TOKEN_MAX + 1];
	enum store_err		 e;
	uint32_t		 rnd;
	int64_t			 id;

	if (k != PROBE_SELF && url == NULL) {
		error_page(a, req, r, 404, k == PROBE_V6 ?
		    "There is no IPv6 probe: probe_v6_url is not set in dualstat.conf." :
		    "There is no IPv4 probe: probe_v4_url is not set in dualstat.conf.");
		return;
	}
	/* Not sampled, or not an address: the image, and nothing started. */
	if (getrandom(&rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd) ||
	    !probe_sampled(a->cfg.probe_sample_ppm, rnd) ||
	    !visit_row(a, req, HOW_PAGE, v->now, &row)) {
		/* Not probed: an image that says nothing (no check mark, no alt text). */
		r->content_type = TYPE_GIF;
		r->no_store = true;
		buf_append(&r->body, page_beacon_gif, page_beacon_gif_len);
		return;
	}
	memset(&ps, 0, sizeof(ps));
	ps.time = v->now;
	ps.expires = v->now + a->cfg.probe_timeout;
	ps.probe = k;
	ps.family = row.family;
	ps.kind = row.kind;
	ps.mapped = row.mapped;
	memcpy(ps.prefix, row.prefix, sizeof(ps.prefix));
	ps.host = row.host;
	ps.node = row.node;
	if (probe_secret_mint(ps.secret) == -1) {
		error_page(a, req, r, 503, "No randomness from the kernel: no probe.");
		return;
	}
	app_store(a, v->now);
	e = a->store == NULL ? STORE_CANTOPEN : store_probe_start(a->store, &ps, 1, &id);
	if (e == STORE_OK)
		probe_token_make(token, ps.secret, id);
	explicit_bzero(ps.secret, sizeof(ps.secret));
	if (e != STORE_OK) {
		error_page(a, req, r, 503, a->store == NULL ?
		    "The database cannot be opened; /status says why." :
		    store_errmsg(a->store));
		return;
	}
	if (url != NULL)
		probe_url_target(&r->location, url, token, "done.gif");
	else {
		/* The control: this same site, by path (RFC 9110 §10.2.2). */
		buf_puts(&r->location, req->script_name);
		buf_puts(&r->location, "/probe/done.gif?t=");
		buf_puts(&r->location, token);
	}
	if (r->location.failed || strcspn(buf_str(&r->location),
	    "\r\n\"<> ") != r->location.len) {
		error_page(a, req, r, 500, "The probe's target is not a URL.");
		buf_reset(&r->location);
		return;
	}
	stats_probe_started(a->stats, (int)k);
	r->status = 302;
	r->no_store = true;
}

/*
 * /probe/done.gif, on the probe host (or this site: the control): the
 * image, whatever came; the start counted as come back, over the family
 * and kind this request came over, when its token is good.
 */
static void
answer_probe_done(struct app *a, const struct request *req, const struct visit *v,
    struct response *r)
{
	char		 token[PROBE_TOKEN_MAX + 1], secret[PROBE_SECRET_LEN + 1];
	enum probe_kind	 k;
	enum store_err	 e;
	int64_t		 id;
	int		 start_family;
	bool		 found = false;

	probe_image(r);
	if (!req->client_ok ||
	    probe_completion(a->cfg.probe_v6_url, a->cfg.probe_v4_url, req->host_key,
	    req->query, token, &k) == -1 ||
	    probe_token_parse(token, strlen(token), secret, &id) == -1) {
		stats_probe_rejected(a->stats);
		return;
	}
	app_store(a, v->now);
	if (a->store == NULL)
		return;		/* not the token's fault: not counted either way */
	e = store_probe_back(a->store, id, secret, k, v->now, req->client.family,
	    addr_classify(&req->client), &found, &start_family);
	explicit_bzero(secret, sizeof(secret));
	if (e != STORE_OK) {
		log_warnx("probe completion failed (%s): %s", store_err_name(e),
		    store_errmsg(a->store));
		return;
	}
	if (!found) {
		stats_probe_rejected(a->stats);
		return;
	}
	stats_probe_back(a->stats, (int)k, probe_family_fits(k, req->client.family));
}

static void
answer_report(struct app *a, const struct request *req, const struct visit *v,
    struct response *r)
{
	struct page_site	 site;
	struct period		 per;
	struct report_query	 q;
	struct report		 rep;
	char			 err[QUERY_ERR_MAX];
	enum store_err		 e;
	enum report_format	 f = pages[route(req)].report;

	if (req->query_why != NULL) {
		error_page(a, req, r, 400, req->query_why);
		return;
	}
	if (query_parse(req->query, &per, err, sizeof(err)) != 0) {
		error_page(a, req, r, 400, err);
		return;
	}
	query_period(&per, now_utc(), &q);
	app_store(a, now_utc());
	memset(&rep, 0, sizeof(rep));
	e = a->store == NULL ? STORE_CANTOPEN : store_report(a->store, &q, &rep);
	if (e != STORE_OK) {
		error_page(a, req, r, 503, a->store == NULL ?
		    "The database cannot be opened; /status says why." :
		    store_errmsg(a->store));
		return;
	}
	site_of(a, req, &site);
	r->no_store = true;
	r->content_type = report_types[f];
	page_report(&r->body, &site, &rep, f);
	report_free(&rep);
}

/* The probes' figures on /status, and what is wrong with them. */
static void
probe_status(const struct app *a, const struct request *req,
    const struct stats *copy, struct status *s)
{
	size_t	 n = 0, i;

	s->probe_url[0] = a->cfg.probe_v6_url;
	s->probe_url[1] = a->cfg.probe_v4_url;
	for (i = 0; i < 3; i++) {
		s->probe_started[i] = copy->probe_started[i];
		s->probe_reached[i] = copy->probe_reached[i];
		s->probe_wrong[i] = copy->probe_wrong[i];
	}
	s->probe_rejected = copy->probe_rejected;
	/* Browsers block or upgrade http images on an https page (mixed content). */
	if (req != NULL && req->https &&
	    ((s->probe_url[0] != NULL && !probe_url_https(s->probe_url[0])) ||
	    (s->probe_url[1] != NULL && !probe_url_https(s->probe_url[1]))))
		s->probe_warning[n++] = "This site is https but a probe URL is "
		    "http: browsers block such images (mixed content), so the "
		    "probe never comes back. Use https probe URLs.";
	if (copy->probe_wrong[0] > 0 || copy->probe_wrong[1] > 0)
		s->probe_warning[n++] = "Probes came back over the wrong family: "
		    "the IPv6-only host name has an A record, or the IPv4-only "
		    "one an AAAA record (misconfigured DNS).";
}

/* Gather what /status and `dualstat status` show.  s->db_ok decides 200 or 503. */
void
app_status(struct app *a, const struct request *req, struct status *s,
    struct stats *copy, char *prefix, size_t prefixsz)
{
	int64_t		 now = now_utc();
	struct row row;

	memset(s, 0, sizeof(*s));
	stats_read(a->stats, copy);
	s->version = PACKAGE_VERSION;
	s->fcgi_version = FCGI_VERSION_STRING;
	s->sqlite_version = sqlite3_libversion();
	s->mode = app_mode_name(a->mode);
	s->now = now;
	s->uptime = now - a->started;
	s->pid = (long)getpid();
	s->node = a->cfg.node;
	s->requests = copy->requests;
	s->database = a->cfg_ok ? a->db_shown : NULL;
	s->record_failures = copy->record_failures;
	s->last_error = copy->last_error;
	s->last_error_time = copy->last_error_time;
	s->bad_peers = copy->bad_peers;
	s->counters_since = copy->since;
	s->counters_shared = copy->shared;
	s->ningest = stats_ingest_live(copy);
	s->ingest = copy->ingest;
	probe_status(a, req, copy, s);
	if (a->store != NULL && store_info(a->store, &s->info) == STORE_OK) {
		s->have_info = true;
		/*
		 * A write transaction can start, but can it commit?  A full
		 * disk only shows when a commit needs space: the recording's
		 * own last outcome says so, for as long as it is recent.
		 */
		s->db_ok = s->info.writable &&
		    !(copy->failure_seq > copy->ok_seq &&
		    now - copy->last_error_time < APP_FAILURE_SECONDS);
	}
	if (req == NULL)
		return;
	s->remote_addr = req->remote_addr;
	s->server_addr = req->server_addr;
	s->via_proxy = req->via_proxy;
	if (visit_row(a, req, HOW_PAGE, now, &row)) {
		snprintf(prefix, prefixsz, "%s", row.prefix);
		s->client_prefix = prefix;
	}
}

static void
answer_status(struct app *a, const struct request *req, const struct visit *v,
    struct response *r)
{
	struct page_site	 site;
	struct status		 s;
	struct stats		 copy;
	char			 prefix[ADDR_PREFIX_MAX];

	app_store(a, now_utc());
	app_status(a, req, &s, &copy, prefix, sizeof(prefix));
	site_of(a, req, &site);
	r->status = s.db_ok ? 200 : 503;
	r->no_store = true;
	if (route(req) == PAGE_STATUS_JSON) {
		r->content_type = TYPE_JSON;
		page_status_json(&r->body, &s);
	} else {
		r->content_type = TYPE_HTML;
		page_status_html(&r->body, &site, &s);
	}
}

/* What is wrong with this setup, checked as the web server runs dualstat. */
static void
answer_check(struct app *a, const struct request *req, const struct visit *v,
    struct response *r)
{
	struct page_site	 site;
	struct setup_env	 env;
	struct setup_report	 rep;

	memset(&env, 0, sizeof(env));
	env.conf_path = setup_conf_path(a->conf);
	env.conf_ok = a->cfg_ok;
	env.conf_err = a->cfg_err;
	env.cfg = &a->cfg;
	env.document_root = req->document_root;
	env.script_name = req->script_name;
	env.https = req->https;
	env.web = a->mode != APP_CLI;
	env.is_static = setup_is_static();
	env.uid = geteuid();
	env.gid = getegid();
	setup_check(&env, &rep);
	site_of(a, req, &site);
	r->no_store = true;
	r->content_type = TYPE_HTML;
	page_check_html(&r->body, &site, &rep);
}

/* The built-in stylesheet, for a static_url that is dualstat's own path. */
static void
answer_stylesheet(struct app *a, const struct request *req, const struct visit *v,
    struct response *r)
{
	r->content_type = TYPE_CSS;
	r->max_age = STYLESHEET_MAX_AGE;
	buf_append(&r->body, page_stylesheet, page_stylesheet_len);
}
