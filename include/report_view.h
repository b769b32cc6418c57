/*
 * report_view.h: what every format of the report shows, computed from a
 * struct report: the groups of kinds, the change against the previous
 * period, shares, labels, times, and the queries that ask for the report
 * again.  Pure: no I/O, no markup; the renderers (page_report_*.c) only
 * write what this computes.
 */
#ifndef DUALSTAT_REPORT_VIEW_H
#define DUALSTAT_REPORT_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "report.h"

/* ---- times ---- */

enum view_time {
	VIEW_ISO,	/* ISO 8601, "2026-11-19T00:00:00Z", for machines */
	VIEW_DAY,	/* "2026-11-19", also the query's date form */
	VIEW_HOUR,	/* "2026-11-19 13:00", for people */
	VIEW_SHORT	/* "11-19 13:00", an hourly chart's axis */
};

/* t (seconds, UTC) in that form; the plain number when it has no date. */
void	 view_time(char *out, size_t sz, int64_t t, enum view_time);

/* The series goes hour by hour (else day by day). */
bool	 view_hourly(const struct report *);
/* "hour" or "day". */
const char *view_bucket_name(const struct report *);
/* A bucket's start as people read it: VIEW_HOUR or VIEW_DAY. */
void	 view_bucket_label(char *out, size_t sz, const struct report *, int64_t start);

/* ---- numbers ---- */

/* A part of the total, as a share 0..1; 0 when the total is 0. */
double	 view_part(uint64_t n, uint64_t total);
/*
 * A share 0..1 as "42.5 %" (as html_percent writes it: one decimal,
 * rounded half up, clamped to 0..100 %, locale-free), for SVG text, tips
 * and sentences.
 */
void	 view_percent(char *out, size_t sz, double share);
/* Percentage points with one decimal and no sign: "5.0". */
void	 view_points(char *out, size_t sz, double points);
/* 1, 2 or 5 times a power of ten, at least v (and at least 1): a round top for a scale. */
uint64_t view_scale_top(uint64_t v);

/* How the IPv6 share moved against the period of the same length before. */
struct view_change {
	bool	 known;		/* both periods had requests */
	double	 prev;		/* the share before */
	double	 points;	/* now - before, in percentage points */
	int	 dir;		/* -1, 0 (under 0.05 points either way) or 1 */
};
struct view_change view_change(const struct report *);

/* ---- names ---- */

/* "IPv6", "IPv4" or "unknown". */
const char *view_family_name(int family);

/* how (an enum how) is a way of measuring a filter can ask for. */
bool	 view_how_known(int how);
/* Its machine name as ?how= and the JSON spell it; "" when unknown. */
const char *view_how_name(int how);
/* ... and as people read it: "the beacon"; "an unknown way" when unknown. */
const char *view_how_label(int how);

/*
 * The kinds as the report groups them: what reaches a site natively, the
 * transition mechanisms one by one, addresses that never cross the
 * Internet, and the rest.  The order is the report's.
 */
enum view_group {
	VIEW_GROUP_NATIVE,
	VIEW_GROUP_6TO4,
	VIEW_GROUP_TEREDO,
	VIEW_GROUP_NAT64,
	VIEW_GROUP_MAPPED,
	VIEW_GROUP_INTERNAL,	/* ULA, private, loopback, link-local */
	VIEW_GROUP_OTHER,	/* CGNAT, documentation, reserved */
	VIEW_GROUP__MAX
};

/* "Native (global)", ...; "" when out of range. */
const char *view_group_name(enum view_group);
enum view_group view_kind_group(const struct report_kind *);
/* The requests of each group: sums[g] for g < VIEW_GROUP__MAX. */
void	 view_group_sums(const struct report *, uint64_t sums[VIEW_GROUP__MAX]);

/* ---- filters and links ---- */

/* The report is filtered on a host, a node or a way of measuring. */
bool	 view_filtered(const struct report *);
/* The host filter (q.host, not "") is one of the hosts the report lists. */
bool	 view_host_listed(const struct report *);
/* The node filter (q.node, not "") is one of the nodes the report lists. */
bool	 view_node_listed(const struct report *);

/* A period the report page offers by name (query.c accepts the same days). */
struct view_preset {
	unsigned	 days;
	const char	*label;		/* "7 days" */
};
/* The i-th preset, shortest first; NULL past the last. */
const struct view_preset *view_preset(size_t i);

/*
 * The query that asks for this report's period again, appended to q: a
 * preset as the preset (days=N, so a filter link from "7 days" stays "7
 * days"), another day-aligned period as from/to (to is inclusive there),
 * anything else as the days it covers, rounded up.
 */
void	 view_period_query(struct buf *q, const struct report *);
/* days=N (a preset's) with this report's filters, appended to q. */
void	 view_preset_query(struct buf *q, const struct report *, unsigned days);
/* The filters host and node ("" or NULL: none) and how (unknown: none), appended to q. */
void	 view_filter_query(struct buf *q, const char *host, const char *node,
	    int how);

#endif
