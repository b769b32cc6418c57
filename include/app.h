/* app.h: one request from params to response: record, route, check access, render. */
#ifndef DUALSTAT_APP_H
#define DUALSTAT_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "request.h"
#include "response.h"
#include "row.h"
#include "stats.h"
#include "status.h"

struct store;

enum app_mode {
	APP_FASTCGI,	/* spawned with a listening socket on fd 0 */
	APP_CGI,	/* one request from the environment */
	APP_SERVE,	/* dualstat serve: own socket, pre-forked workers */
	APP_CLI,	/* the command line: opens the database only when asked */
	APP__MAX
};

struct app {
	enum app_mode	 mode;
	const char	*conf;		/* the file named to app_init, or NULL */
	struct config	 cfg;
	bool		 cfg_ok;	/* false: every page answers 500 with cfg_err */
	char		 cfg_err[CONFIG_ERR_MAX];
	struct store	*store;		/* NULL while the database cannot be opened */
	char		 open_err[256];	/* why it could not, for /status */
	char		 db_shown[256];	/* cfg.database without a password (store_db_display) */
	char		 style_origin[256];	/* of an absolute static_url, for the CSP */
	char		 img_origins[512];	/* of the probe URLs, for the CSP's img-src */
	/* The landing page's 24-hour counts, as of share_at (see answer_landing). */
	int64_t		 share_at;
	uint64_t	 share_v4, share_v6;
	bool		 share_ok;
	int64_t		 store_retry;	/* not before this time (rate-limits reopening) */
	int64_t		 started;
	int64_t		 started_ms;	/* CLOCK_MONOTONIC: a CGI process's waits are bounded from here */
	int64_t		 maintained;	/* last app_idle() that did work */
	bool		 upkeep_more;	/* its last step left more to do (app_upkeep_pending) */
	struct stats	*stats;
};

/*
 * Load the configuration (conf may be NULL: see config_load) and try the
 * database.  Never fails: a broken configuration is kept in cfg_err and
 * served as a 500, so the web server's log and the browser both say why.
 */
void	 app_init(struct app *, const char *conf, enum app_mode, struct stats *);
/* Open the database if it is closed and the retry time has come. */
void	 app_store(struct app *, int64_t now);
void	 app_handle(struct app *, const struct request *, struct response *);

/*
 * app_handle in three steps, so that a worker can record the rows of
 * several requests in one commit before it answers any of them:
 * app_visit decides what the request records (and counts it),
 * app_record commits the rows of n visits, and app_answer renders the
 * response, which may say whether the visit was recorded.
 */
struct visit {
	int64_t		 now;
	int		 page;		/* app.c's page table index */
	bool		 pending;	/* row waits for app_record */
	bool		 recorded;
	struct row row;		/* valid when pending or recorded */
};
void	 app_visit(struct app *, const struct request *, struct visit *);
void	 app_record(struct app *, struct visit *, size_t n);
void	 app_answer(struct app *, const struct request *, const struct visit *,
	    struct response *);

/*
 * The answer to a request whose params were never read (too large to
 * hold: server.c): an Authorizer allows, whatever it was, since
 * measurement must never block a site; anything else is a 431 that says
 * why, in plain text.  Counted as a request; nothing is recorded.
 */
void	 app_answer_unread(struct app *, bool authorizer, const char *why,
	    struct response *);

#define APP_MAINTAIN_SECONDS	10

/*
 * /status answers 503 while the last recording failed and nothing was
 * recorded since, for this long after that failure; later it is the
 * database's own answer again (a quiet site must not stay "down").
 */
#define APP_FAILURE_SECONDS	300

/*
 * After a response has gone out: the database's upkeep (store_maintain),
 * at most every APP_MAINTAIN_SECONDS, so no client waits for it.
 */
void	 app_idle(struct app *);
/*
 * The last app_idle() left the upkeep unfinished: call it again as soon
 * as nothing else is to be done (serve's loop waits no longer then), so a
 * backlog goes even on a site that went quiet after a burst.
 */
bool	 app_upkeep_pending(const struct app *);
void	 app_free(struct app *);

/*
 * Gather what /status and `dualstat status` show; req is NULL from the
 * command line.  The strings in s point into copy and prefix, which must
 * outlive it.  s->db_ok says 200 or 503.
 */
void	 app_status(struct app *, const struct request *req, struct status *s,
	    struct stats *copy, char *prefix, size_t prefixsz);
const char	*app_mode_name(enum app_mode);

#endif
