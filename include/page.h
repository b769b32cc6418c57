/* page.h: the pages dualstat serves, each rendered from plain C data into a buffer. */
#ifndef DUALSTAT_PAGE_H
#define DUALSTAT_PAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "buf.h"
#include "report.h"
#include "setup_check.h"
#include "status.h"

/* What every HTML page needs to link and name things. */
struct page_site {
	const char	*site_name;	/* config site_name */
	const char	*static_url;	/* config static_url: stylesheet at static_url "/dualstat.css" */
	const char	*base;		/* SCRIPT_NAME: links are base "/report" etc.; "" at the root */
};

/* The landing page: how this visitor came. */
struct landing {
	bool		 client_ok;	/* false: REMOTE_ADDR was not an address */
	int		 family;	/* 4 or 6 */
	enum addr_kind	 kind;
	bool		 mapped;
	bool		 via_proxy;
	const char	*prefix;	/* stored prefix, "2001:db8:1::/48" */
	bool		 recorded;	/* the row was committed */
	bool		 share_ok;	/* the 24-hour counts below are known */
	uint64_t	 ipv4_24h;
	uint64_t	 ipv6_24h;
	bool		 probe_v6;	/* probe_v6_url is set: the page shows that probe */
	bool		 probe_v4;
};

/* Plain words for a kind, as a visitor reads them: "a 6to4 relay", ... */
const char	*page_kind_words(int family, enum addr_kind, bool mapped);

void	 page_landing_html(struct buf *, const struct page_site *, const struct landing *);

/* The formats of the report, one file each (app/page_report_NAME.c). */
enum report_format {
	REPORT_HTML,	/* "html": the page, its charts and links; needs a site */
	REPORT_JSON,	/* "json" */
	REPORT_CSV,	/* "csv": one table, rep->q.table (query.c validated it) */
	REPORT_TEXT,	/* "text": for the terminal */
	REPORT__MAX
};

/* A format's name as --format spells it ("html", "json", ...); "" when out of range. */
const char	*page_report_format_name(enum report_format);
/* The format of that name (exactly, lower case); REPORT__MAX for none or NULL. */
enum report_format page_report_format_from_name(const char *);

/*
 * The report in format f, the one entry point of the web page (app.c) and
 * of the command line (cli.c).  site may be NULL: then HTML is unnamed and
 * links from the root.  REPORT__MAX writes nothing.  Series buckets are
 * hourly or daily as rep->q.bucket says.
 */
void	 page_report(struct buf *, const struct page_site *, const struct report *,
	    enum report_format f);

/* What page_report calls for each format. */
void	 page_report_html(struct buf *, const struct page_site *, const struct report *);
void	 page_report_json(struct buf *, const struct report *);
void	 page_report_csv(struct buf *, const struct report *);	/* one table: rep->q.table */
void	 page_report_text(struct buf *, const struct report *);	/* for the terminal */

void	 page_status_html(struct buf *, const struct page_site *, const struct status *);
void	 page_status_json(struct buf *, const struct status *);
void	 page_status_text(struct buf *, const struct status *);

/*
 * An error page: status 400, 403, 404, 405, 500 or 503, and a message
 * that says what is wrong (escaped; may be NULL).  For 403 it also says
 * how to get access (admin_allow, or web-server authentication).
 */
void	 page_error_html(struct buf *, const struct page_site *, int status, const char *message);
/* The same for report.json and status.json, and as one line of text for report.csv. */
void	 page_error_json(struct buf *, int status, const char *message);
void	 page_error_text(struct buf *, int status, const char *message);

/* The setup check: /check (owner only) and `dualstat check-config`. */
void	 page_check_html(struct buf *, const struct page_site *, const struct setup_report *);
void	 page_check_text(struct buf *, const struct setup_report *);

/*
 * www/dualstat.css, compiled in (app/stylesheet.c, made by make): dualstat
 * answers /dualstat.css with it, so a site whose static_url is dualstat's
 * own path needs no file beside the program.
 */
extern const char	page_stylesheet[];
extern const size_t	page_stylesheet_len;

/* The 1x1 transparent GIF the beacon answers with. */
extern const unsigned char	page_beacon_gif[];
extern const size_t		page_beacon_gif_len;
/* What a readiness probe's completion answers: a 16x16 check mark. */
extern const unsigned char	page_probe_gif[];
extern const size_t		page_probe_gif_len;

#endif
