/* report-bench.c: time the report from roll-ups against a plain GROUP BY over the raw rows; and the cost of recording. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "dburi.h"
#include "page.h"
#include "report.h"
#include "store.h"

#include "bench-clock.h"
#include "report-common.h"

#define RUNS		7	/* the report from roll-ups */
#define RAW_RUNS	3	/* the GROUP BY: seconds each at a year */

static double
now_ms(void)
{
	return bench_seconds() * 1e3;
}

static int
dcmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct stat3 {
	double	 med, min, max;
};

static struct stat3
stat_of(double *v, int n)
{
	struct stat3	 s;

	qsort(v, (size_t)n, sizeof(*v), dcmp);
	s.med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	s.min = v[0];
	s.max = v[n - 1];
	return s;
}

static const struct page_site	 site = { "bench", "/static", "/dualstat" };

enum fmt { FMT_HTML, FMT_JSON };

/* store_report and rendering, as the page does it. */
static double
one_report(struct store *st, const struct report_query *q, enum fmt f, struct report *keep)
{
	struct report	 rep;
	struct buf	 b = { 0 };
	double		 t0, t;

	t0 = now_ms();
	if (store_report(st, q, &rep) != STORE_OK) {
		fprintf(stderr, "report-bench: %s\n", store_errmsg(st));
		exit(1);
	}
	if (f == FMT_HTML)
		page_report_html(&b, &site, &rep);
	else
		page_report_json(&b, &rep);
	t = now_ms() - t0;
	if (b.failed || b.len == 0) {
		fprintf(stderr, "report-bench: rendering failed\n");
		exit(1);
	}
	buf_free(&b);
	if (keep != NULL)
		*keep = rep;
	else
		report_free(&rep);
	return t;
}

static void
bind_filters(sqlite3_stmt *s, const struct report_query *q, int64_t from, int64_t to)
{

	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	sqlite3_bind_text(s, 3, q->host, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, q->how < 0 ? "" : how_name((enum how)q->how), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, q->bucket);
	sqlite3_bind_int64(s, 6, q->top);
}

#define WHERE	" WHERE time >= ?1 AND time < ?2 AND (?3 = '' OR host = ?3)" \
		" AND (?4 = '' OR how = ?4)"

/*
 * The same report by plain GROUP BY over the raw rows (what the store did
 * before roll-ups), into a struct report and rendered the same way.
 */
static double
raw_report(sqlite3 *db, const struct report_query *q, enum fmt f, struct report *out)
{
	static const char *const sql[] = {
		"SELECT family, COUNT(*) FROM request" WHERE " GROUP BY family",
		"SELECT family, kind, mapped, COUNT(*) AS n FROM request" WHERE
		    " GROUP BY family, kind, mapped ORDER BY family, n DESC, kind, mapped",
		"SELECT family, COUNT(DISTINCT prefix) FROM request" WHERE " GROUP BY family",
		"SELECT prefix, family, kind, n FROM (SELECT prefix, family, kind, COUNT(*) AS n,"
		    " row_number() OVER (PARTITION BY family ORDER BY COUNT(*) DESC, prefix, kind) AS r"
		    " FROM request" WHERE " GROUP BY prefix, family, kind) WHERE r <= ?6"
		    " ORDER BY family, n DESC, prefix, kind",
		"SELECT IFNULL(host, ''), SUM(family = 4), SUM(family = 6), COUNT(*) AS n"
		    " FROM request" WHERE " GROUP BY IFNULL(host, '') ORDER BY n DESC, 1 LIMIT ?6",
		"SELECT server_family, SUM(family = 4), SUM(family = 6) FROM request" WHERE
		    " GROUP BY server_family",
		"SELECT how, COUNT(*) FROM request" WHERE " GROUP BY how",
		"SELECT (time - ?1) / ?5 AS b, family, COUNT(*) FROM request" WHERE " GROUP BY b, family",
		"SELECT family, COUNT(*) FROM request" WHERE " GROUP BY family",	/* previous */
	};
	struct report	 rep;
	struct buf	 b = { 0 };
	sqlite3_stmt	*s;
	double		 t0, t;
	size_t		 i, nb;
	int64_t		 span = q->to - q->from;

	t0 = now_ms();
	memset(&rep, 0, sizeof(rep));
	rep.q = *q;
	nb = (size_t)((span + q->bucket - 1) / q->bucket);
	rep.series = calloc(nb, sizeof(*rep.series));
	rep.nseries = nb;
	for (i = 0; i < nb; i++)
		rep.series[i].start = q->from + (int64_t)i * q->bucket;
	rep.kinds = calloc(64, sizeof(*rep.kinds));
	rep.prefixes = calloc(2 * q->top + 1, sizeof(*rep.prefixes));
	rep.hosts = calloc(q->top + 1, sizeof(*rep.hosts));
	rep.listeners = calloc(3, sizeof(*rep.listeners));
	rep.hows = calloc(HOW__MAX, sizeof(*rep.hows));
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		if (sqlite3_prepare_v2(db, sql[i], -1, &s, NULL) != SQLITE_OK) {
			fprintf(stderr, "report-bench: %s\n", sqlite3_errmsg(db));
			exit(1);
		}
		if (i == 8)
			bind_filters(s, q, q->from - span < 0 ? 0 : q->from - span, q->from);
		else
			bind_filters(s, q, q->from, q->to);
		while (sqlite3_step(s) == SQLITE_ROW) {
			int	 fam = sqlite3_column_int(s, 0);
			uint64_t n = (uint64_t)sqlite3_column_int64(s, 1);

			switch (i) {
			case 0:
				*(fam == 4 ? &rep.ipv4 : &rep.ipv6) = n;
				break;
			case 1:
				rep.kinds[rep.nkinds].family = fam;
				rep.kinds[rep.nkinds].kind = addr_kind_from_name(
				    (const char *)sqlite3_column_text(s, 1));
				rep.kinds[rep.nkinds].mapped = sqlite3_column_int(s, 2);
				rep.kinds[rep.nkinds++].requests = (uint64_t)sqlite3_column_int64(s, 3);
				break;
			case 2:
				*(fam == 4 ? &rep.unique_ipv4 : &rep.unique_ipv6) = n;
				break;
			case 3:
				snprintf(rep.prefixes[rep.nprefixes].prefix, ADDR_PREFIX_MAX, "%s",
				    (const char *)sqlite3_column_text(s, 0));
				rep.prefixes[rep.nprefixes].family = sqlite3_column_int(s, 1);
				rep.prefixes[rep.nprefixes].kind = addr_kind_from_name(
				    (const char *)sqlite3_column_text(s, 2));
				rep.prefixes[rep.nprefixes++].requests =
				    (uint64_t)sqlite3_column_int64(s, 3);
				break;
			case 4:
				snprintf(rep.hosts[rep.nhosts].host, sizeof(rep.hosts->host), "%s",
				    (const char *)sqlite3_column_text(s, 0));
				rep.hosts[rep.nhosts].ipv4 = n;
				rep.hosts[rep.nhosts++].ipv6 = (uint64_t)sqlite3_column_int64(s, 2);
				break;
			case 5:
				rep.listeners[rep.nlisteners].server_family = fam;
				rep.listeners[rep.nlisteners].ipv4 = n;
				rep.listeners[rep.nlisteners++].ipv6 =
				    (uint64_t)sqlite3_column_int64(s, 2);
				break;
			case 6:
				rep.hows[rep.nhows].how = how_from_name(
				    (const char *)sqlite3_column_text(s, 0));
				rep.hows[rep.nhows++].requests = n;
				break;
			case 7: {
				int64_t	 bi = sqlite3_column_int64(s, 0);
				uint64_t c = (uint64_t)sqlite3_column_int64(s, 2);

				if (bi >= 0 && (size_t)bi < nb)
					*(sqlite3_column_int(s, 1) == 4 ?
					    &rep.series[bi].ipv4 : &rep.series[bi].ipv6) = c;
				break;
			}
			case 8:
				*(fam == 4 ? &rep.prev_ipv4 : &rep.prev_ipv6) = n;
				break;
			}
		}
		sqlite3_finalize(s);
	}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	rep.total = rep.ipv4 + rep.ipv6;
	if (f == FMT_HTML)
		page_report_html(&b, &site, &rep);
	else
		page_report_json(&b, &rep);
	t = now_ms() - t0;
	buf_free(&b);
	if (out != NULL)
		*out = rep;
	else
		report_free(&rep);
	return t;
}

/* The figures both ways must give. */
static int
same(const struct report *a, const struct report *b)
{
	size_t	 i;

	if (a->ipv4 != b->ipv4 || a->ipv6 != b->ipv6 || a->prev_ipv4 != b->prev_ipv4 ||
	    a->prev_ipv6 != b->prev_ipv6 || a->unique_ipv4 != b->unique_ipv4 ||
	    a->unique_ipv6 != b->unique_ipv6 || a->nkinds != b->nkinds ||
	    a->nprefixes != b->nprefixes || a->nseries != b->nseries ||
	    a->nhosts != b->nhosts || a->nlisteners != b->nlisteners || a->nhows != b->nhows)
		return 0;
	for (i = 0; i < a->nprefixes; i++)
		if (strcmp(a->prefixes[i].prefix, b->prefixes[i].prefix) != 0 ||
		    a->prefixes[i].requests != b->prefixes[i].requests)
			return 0;
	for (i = 0; i < a->nkinds; i++)
		if (a->kinds[i].requests != b->kinds[i].requests ||
		    a->kinds[i].kind != b->kinds[i].kind)
			return 0;
	for (i = 0; i < a->nhosts; i++)
		if (strcmp(a->hosts[i].host, b->hosts[i].host) != 0 ||
		    a->hosts[i].ipv4 != b->hosts[i].ipv4 || a->hosts[i].ipv6 != b->hosts[i].ipv6)
			return 0;
	for (i = 0; i < a->nseries; i++)
		if (a->series[i].ipv4 != b->series[i].ipv4 || a->series[i].ipv6 != b->series[i].ipv6)
			return 0;
	return 1;
}

static int
bench_reports(const char *path, int raw_runs, const char *refpath)
{
	static const struct {
		unsigned	 days;
		const char	*host;
		int		 how;
	} cases[] = {
		{ 1, "", -1 }, { 7, "", -1 }, { 30, "", -1 }, { 365, "", -1 },
		{ 30, "www.example.org", HOW_BEACON }, { 365, "www.example.org", HOW_BEACON },
	};
	static const char *const fmts[] = { "html", "json" };
	struct store		*st, *ref = NULL;
	struct report_query	 q;
	struct report		 a, b;
	sqlite3			*db = NULL;
	char			 err[256], label[64];
	double			 t[RUNS], r[RAW_RUNS];
	struct stat3		 s, rs;
	size_t			 c;
	int			 f, i, ok, bad = 0;

	if (store_open(&st, path, 0, 10000, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "report-bench: %s\n", err);
		return 1;
	}
	/*
	 * Another store holding the same requests (SQLite, written by the same
	 * gen-db): every report must hold the same figures in both.
	 */
	if (refpath != NULL && store_open(&ref, refpath, 0, 10000, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "report-bench: %s\n", err);
		return 1;
	}
	/* The GROUP BY below is SQLite's: a PostgreSQL store is timed alone. */
	if (store_is_uri(path))
		raw_runs = 0;
	else if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return 1;
	printf("%-30s %9s %9s %9s | %11s %9s | %s\n", "report (store_report + render)",
	    "median ms", "min", "max", "GROUP BY ms", "ratio", "same figures");
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
		for (f = 0; f < 2; f++) {
			memset(&q, 0, sizeof(q));
			q.to = BENCH_END;
			q.from = q.to - (int64_t)cases[c].days * 86400;
			q.bucket = cases[c].days <= 2 ? 3600 : 86400;
			q.top = 10;
			snprintf(q.host, sizeof(q.host), "%s", cases[c].host);
			q.how = cases[c].how;
			one_report(st, &q, (enum fmt)f, NULL);	/* warm the page cache */
			for (i = 0; i < RUNS; i++)
				t[i] = one_report(st, &q, (enum fmt)f, NULL);
			s = stat_of(t, RUNS);
			snprintf(label, sizeof(label), "%s %3u d%s%s", fmts[f], cases[c].days,
			    cases[c].how >= 0 ? " host+how" : "", "");
			if (raw_runs == 0) {
				/* Only the roll-ups: to compare two builds quickly. */
				ok = -1;
				if (ref != NULL) {
					one_report(st, &q, (enum fmt)f, &a);
					one_report(ref, &q, (enum fmt)f, &b);
					ok = same(&a, &b);
					bad += !ok;
					report_free(&a);
					report_free(&b);
				}
				printf("%-30s %9.2f %9.2f %9.2f | %11s %9s | %s\n", label,
				    s.med, s.min, s.max, "-", "-", ok < 0 ? "not compared" :
				    ok ? "yes, as the reference" : "NO, not as the reference");
				fflush(stdout);
				continue;
			}
			one_report(st, &q, (enum fmt)f, &a);
			for (i = 0; i < raw_runs; i++)
				r[i] = raw_report(db, &q, (enum fmt)f, i == 0 ? &b : NULL);
			rs = stat_of(r, raw_runs);
			ok = same(&a, &b);
			bad += !ok;
			report_free(&a);
			report_free(&b);
			printf("%-30s %9.2f %9.2f %9.2f | %11.1f %8.0fx | %s\n", label, s.med, s.min,
			    s.max, rs.med, rs.med / s.med, ok ? "yes" : "NO");
			fflush(stdout);
		}
	/* The probes the year's report rests on (issue 10): they are in every report above. */
	memset(&q, 0, sizeof(q));
	q.to = BENCH_END;
	q.from = q.to - 365 * 86400;
	q.bucket = 86400;
	q.top = 10;
	q.how = -1;
	if (store_report(st, &q, &a) == STORE_OK) {
		printf("probes in the 365 d report: v6 %" PRIu64 "/%" PRIu64 ", v4 %" PRIu64
		    "/%" PRIu64 ", self %" PRIu64 "/%" PRIu64 " (reached/started)\n",
		    a.readiness.probe[PROBE_V6].reached, a.readiness.probe[PROBE_V6].started,
		    a.readiness.probe[PROBE_V4].reached, a.readiness.probe[PROBE_V4].started,
		    a.readiness.probe[PROBE_SELF].reached,
		    a.readiness.probe[PROBE_SELF].started);
		report_free(&a);
	}
	if (db != NULL)
		sqlite3_close(db);
	if (ref != NULL)
		store_close(ref);
	store_close(st);
	return bad != 0;
}

/* N store_record calls on a fresh database, then the upkeep that rolls them up. */
static int
bench_record(const char *path)
{
	enum { N = 20000, REC_RUNS = 5 };
	struct store		*st;
	struct row		 r;
	char			 err[256], sidecar[512];
	double			 rec[REC_RUNS], mnt[REC_RUNS], t0;
	struct stat3		 s, m;
	int			 run, i;

	for (run = 0; run < REC_RUNS; run++) {
		unlink(path);
		snprintf(sidecar, sizeof(sidecar), "%s-wal", path);
		unlink(sidecar);
		snprintf(sidecar, sizeof(sidecar), "%s-shm", path);
		unlink(sidecar);
		if (store_open(&st, path, 0, 10000, err, sizeof(err)) != STORE_OK) {
			fprintf(stderr, "report-bench: %s\n", err);
			return 1;
		}
		t0 = now_ms();
		for (i = 0; i < N; i++) {
			memset(&r, 0, sizeof(r));
			r.time = BENCH_END + i / 5;
			r.family = i % 5 < 2 ? 6 : 4;
			r.kind = KIND_GLOBAL;
			snprintf(r.prefix, sizeof(r.prefix), r.family == 6 ? "2a01:%x::/48" :
			    "11.0.%u.0/24", (unsigned)(i * 7919 % 2000) % 256);
			r.server_family = r.family;
			r.host = "www.example.org";
			r.how = HOW_BEACON;
			if (store_record(st, &r) != STORE_OK) {
				fprintf(stderr, "report-bench: %s\n", store_errmsg(st));
				return 1;
			}
		}
		rec[run] = (now_ms() - t0) * 1e3 / N;
		t0 = now_ms();
		if (store_maintain(st, BENCH_END + N / 5 + 86400) != STORE_OK) {
			fprintf(stderr, "report-bench: %s\n", store_errmsg(st));
			return 1;
		}
		mnt[run] = (now_ms() - t0) * 1e3 / N;
		store_close(st);
	}
	s = stat_of(rec, REC_RUNS);
	m = stat_of(mnt, REC_RUNS);
	printf("store_record: %.2f us per request (median of %d runs of %d; min %.2f, max %.2f)\n",
	    s.med, REC_RUNS, N, s.min, s.max);
	printf("store_maintain rolling them up: %.2f us per request (min %.2f, max %.2f)\n",
	    m.med, m.min, m.max);
	unlink(path);
	return 0;
}

/* 0 (the roll-ups alone) to RAW_RUNS GROUP BY runs. */
static int
raw_runs_of(const char *arg)
{
	int	 n = atoi(arg);

	return n < 0 ? 0 : n > RAW_RUNS ? RAW_RUNS : n;
}

int
main(int argc, char *argv[])
{

	if (argc == 3 && strcmp(argv[1], "--record") == 0)
		return bench_record(argv[2]);
	if (argc == 4 && strcmp(argv[1], "--same-as") == 0)
		return bench_reports(argv[3], 0, argv[2]);
	if (argc == 2 || argc == 3)
		return bench_reports(argv[1], argc == 3 ? raw_runs_of(argv[2]) : RAW_RUNS, NULL);
	fprintf(stderr, "usage: report-bench file|postgresql://... [raw-runs (0-3)] |\n"
	    "       report-bench --same-as reference file|postgresql://... |\n"
	    "       report-bench --record file\n");
	return 2;
}
