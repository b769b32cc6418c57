/* gen-db.c: write a realistic test database through store_record_batch (and readiness probes through store_probe_start/back), then roll it up. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "addr.h"
#include "dburi.h"
#include "store.h"

#include "bench-clock.h"
#include "report-common.h"

#define BATCH	100000
#define PROBE_BATCH	10000

struct pfx {
	char		 text[ADDR_PREFIX_MAX];
	enum addr_kind	 kind;
};

/* xorshift64*: fast, seeded, the same data on every machine. */
static uint64_t	 rng = 88172645463325252ULL;

static uint64_t
rnd(void)
{

	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static double
rnd01(void)
{

	return (double)(rnd() >> 11) / 9007199254740992.0;
}

/* Zipf-like popularity (s = 1.1): cdf[i] for rank i. */
static double *
zipf(size_t n)
{
	double	*cdf, sum = 0;
	size_t	 i;

	if ((cdf = calloc(n, sizeof(*cdf))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		sum += 1.0 / pow((double)(i + 1), 1.1);
	for (i = 0; i < n; i++)
		cdf[i] = (i ? cdf[i - 1] : 0) + 1.0 / pow((double)(i + 1), 1.1) / sum;
	return cdf;
}

static size_t
pick(const double *cdf, size_t n)
{
	double	 u = rnd01();
	size_t	 lo = 0, hi = n - 1, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Networks of each kind, as a real site sees them (documentation-free). */
static void
make_v4(struct pfx *p, size_t i)
{
	unsigned	 r = (unsigned)(rnd() % 100);

	if (r < 3) {
		snprintf(p->text, sizeof(p->text), "10.%zu.%zu.0/24", (i >> 8) & 255, i & 255);
		p->kind = KIND_PRIVATE;
	} else if (r < 8) {
		snprintf(p->text, sizeof(p->text), "100.%zu.%zu.0/24", 64 + ((i >> 8) & 63), i & 255);
		p->kind = KIND_CGNAT;
	} else {
		/* 11.0.0.0 up: global unicast, one /24 per rank. */
		snprintf(p->text, sizeof(p->text), "%zu.%zu.%zu.0/24", 11 + (i >> 16) % 100,
		    (i >> 8) & 255, i & 255);
		p->kind = KIND_GLOBAL;
	}
}

static void
make_v6(struct pfx *p, size_t i)
{
	unsigned	 r = (unsigned)(rnd() % 100);

	if (r < 2) {
		snprintf(p->text, sizeof(p->text), "2002:%zx:%zx::/48", 0xc000 + (i >> 16), i & 0xffff);
		p->kind = KIND_6TO4;
	} else if (r < 3) {
		snprintf(p->text, sizeof(p->text), "2001:0:%zx::/48", i & 0xffff);
		p->kind = KIND_TEREDO;
	} else if (r < 5) {
		snprintf(p->text, sizeof(p->text), "64:ff9b::/48");
		p->kind = KIND_NAT64;
	} else if (r < 7) {
		snprintf(p->text, sizeof(p->text), "fd%02zx:%zx:%zx::/48", i & 0xff, (i >> 8) & 0xffff, i & 0xfff);
		p->kind = KIND_ULA;
	} else {
		snprintf(p->text, sizeof(p->text), "2a%02zx:%zx:%zx::/48", (i >> 12) & 0xff,
		    0x1000 + (i & 0xfff), (i * 7919) & 0xffff);
		p->kind = KIND_GLOBAL;
	}
}

/*
 * The prefix as the app would store it: the text above is written for
 * speed ("2001:0:0::/48"), the app writes RFC 5952 ("2001::/48").
 */
static void
canonical(struct pfx *p)
{
	struct addr	 a;
	char		*slash = strchr(p->text, '/');
	unsigned	 bits;

	if (slash == NULL)
		return;
	bits = (unsigned)atoi(slash + 1);
	*slash = '\0';
	if (addr_parse(p->text, &a) != 0 ||
	    addr_prefix_format(&a, bits, p->text, sizeof(p->text)) != 0) {
		fprintf(stderr, "gen-db: bad prefix %s\n", p->text);
		exit(1);
	}
}

/*
 * Readiness probes (issue 10): n starts spread like the requests, a third
 * of each probe, from the same networks; each comes back or not as such
 * a network would: the IPv6-only host from every IPv6 visit and from 30 %
 * of the IPv4 ones (those that prefer IPv4), the IPv4-only host from 99 %,
 * the control from 95 % (image blockers and bots follow no redirect);
 * 0.1 % of the v4 probes over the wrong family.  Written through the
 * store as the app writes them, then left to expire and be counted.
 */
static int
gen_probes(struct store *st, uint64_t n, int64_t start, unsigned days,
    const struct pfx *v4, const double *cdf4, size_t n4, const struct pfx *v6,
    const double *cdf6, size_t n6, const char *const *hosts)
{
	struct probe_start	 ps[PROBE_BATCH];
	int64_t			 ids[PROBE_BATCH];
	int			 back[PROBE_BATCH];
	uint64_t		 made = 0;
	size_t			 k, m, i;
	bool			 found;
	int			 sf;

	while (made < n) {
		m = n - made < PROBE_BATCH ? (size_t)(n - made) : PROBE_BATCH;
		for (k = 0; k < m; k++) {
			struct probe_start	*p = &ps[k];
			const struct pfx	*px;
			double			 f = (double)(made + k) / (double)n;

			memset(p, 0, sizeof(*p));
			p->time = start + (int64_t)(f * days * 86400.0);
			p->expires = p->time + 15;
			p->probe = (enum probe_kind)((made + k) % 3);
			if (rnd01() < 0.35 + 0.10 * f) {
				px = &v6[pick(cdf6, n6)];
				p->family = 6;
			} else {
				px = &v4[pick(cdf4, n4)];
				p->family = 4;
				p->mapped = rnd() % 10 < 3;
			}
			memcpy(p->prefix, px->text, sizeof(p->prefix));
			p->kind = px->kind;
			p->host = hosts[rnd() % 10 < 7 ? 0 : rnd() % 2 + 1];
			for (i = 0; i < PROBE_SECRET_LEN; i++)
				p->secret[i] = "0123456789abcdef"[rnd() % 16];
			back[k] = 0;
			switch (p->probe) {
			case PROBE_V6:
				if (p->family == 6 || rnd01() < 0.3)
					back[k] = 6;
				break;
			case PROBE_V4:
				if (rnd01() < 0.99)
					back[k] = rnd() % 1000 == 0 ? 6 : 4;
				break;
			default:
				if (rnd01() < 0.95)
					back[k] = p->family;
				break;
			}
		}
		if (store_probe_start(st, ps, m, ids) != STORE_OK) {
			fprintf(stderr, "gen-db: probes: %s\n", store_errmsg(st));
			return -1;
		}
		for (k = 0; k < m; k++) {
			if (back[k] == 0)
				continue;
			if (store_probe_back(st, ids[k], ps[k].secret, ps[k].probe,
			    ps[k].time + 1, back[k], KIND_GLOBAL, &found, &sf) != STORE_OK ||
			    !found) {
				fprintf(stderr, "gen-db: probe back: %s\n", store_errmsg(st));
				return -1;
			}
		}
		made += m;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	static const char *const hosts[] = { "www.example.org", "blog.example.org", "api.example.net" };
	static const double	 host_p[] = { 0.70, 0.90, 1.0 };
	static const double	 how_p[] = { 0.10, 0.70, 0.90, 1.0 };	/* page, beacon, authorizer, record */
	struct store		*st;
	struct row		*rows;
	struct pfx		*v4, *v6;
	double			*cdf4, *cdf6, dayw[BENCH_DAYS_MAX], hourw[24], sumw = 0, t0, u;
	char			 err[256];
	uint64_t		 total, made = 0, nday, nhour, assigned_day = 0, nprobes;
	size_t			 n4, n6, i, nrows = 0;
	int64_t			 start, rid, closed, prev_closed, prev_rid, pending;
	unsigned		 days, npfx, d, h, k, j;
	enum store_err		 e;

	if (argc < 2) {
		fprintf(stderr, "usage: gen-db file|postgresql://... [requests [days [prefixes [probes]]]]\n");
		return 2;
	}
	total = argc > 2 ? strtoull(argv[2], NULL, 10) : 10000000;
	days = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 365;
	npfx = argc > 4 ? (unsigned)strtoul(argv[4], NULL, 10) : 50000;
	/* 3 probes for every 10 requests unless said. */
	nprobes = argc > 5 ? strtoull(argv[5], NULL, 10) : total / 10 * 3;
	if (days == 0 || days > BENCH_DAYS_MAX || npfx < 10 || total == 0) {
		fprintf(stderr, "gen-db: bad arguments\n");
		return 2;
	}
	/* A postgresql:// URI names a database the caller made empty. */
	if (!store_is_uri(argv[1]) && remove(argv[1]) == -1 && errno != ENOENT) {
		perror(argv[1]);
		return 1;
	}
	n6 = npfx * 2 / 5;
	n4 = npfx - n6;
	v4 = calloc(n4, sizeof(*v4));
	v6 = calloc(n6, sizeof(*v6));
	cdf4 = zipf(n4);
	cdf6 = zipf(n6);
	rows = calloc(BATCH, sizeof(*rows));
	if (v4 == NULL || v6 == NULL || cdf4 == NULL || cdf6 == NULL || rows == NULL) {
		perror("gen-db");
		return 1;
	}
	for (i = 0; i < n4; i++) {
		make_v4(&v4[i], i);
		canonical(&v4[i]);
	}
	for (i = 0; i < n6; i++) {
		make_v6(&v6[i], i);
		canonical(&v6[i]);
	}
	/* Weekly cycle (weekends 70 %) and slow growth; daily cycle peaking at 15:00. */
	start = BENCH_END - (int64_t)days * 86400;
	for (d = 0; d < days; d++) {
		unsigned	 wd = (unsigned)((start / 86400 + d + 4) % 7);	/* 0 = Sunday */

		dayw[d] = (wd == 0 || wd == 6 ? 0.7 : 1.0) * (1.0 + 0.3 * d / days);
		sumw += dayw[d];
	}
	for (h = 0; h < 24; h++)
		hourw[h] = 1.0 + 0.8 * sin((h - 9) * 3.14159265 / 12);

	if ((e = store_open(&st, argv[1], 0, 60000, err, sizeof(err))) != STORE_OK) {
		fprintf(stderr, "gen-db: %s\n", err);
		return 1;
	}
	t0 = bench_seconds();
	for (d = 0; d < days; d++) {
		double	 sumh = 0;

		nday = d + 1 == days ? total - made : (uint64_t)(total * dayw[d] / sumw);
		for (h = 0; h < 24; h++)
			sumh += hourw[h];
		for (h = 0, nhour = 0; h < 24; h++) {
			uint64_t	 assigned = h == 0 ? 0 : assigned_day;

			nhour = h == 23 ? nday - assigned : (uint64_t)(nday * hourw[h] / sumh);
			assigned_day = assigned + nhour;
			for (k = 0; k < nhour; k++) {
				struct row		*r = &rows[nrows++];
				const struct pfx	*p;
				double			 p6 = 0.35 + 0.10 * d / days;

				memset(r, 0, sizeof(*r));
				/* Seconds rise within the hour: ids follow time, as recording does. */
				r->time = start + (int64_t)d * 86400 + h * 3600 +
				    (int64_t)((uint64_t)k * 3600 / nhour);
				if (rnd01() < p6) {
					p = &v6[pick(cdf6, n6)];
					r->family = 6;
					r->server_family = 6;
				} else {
					p = &v4[pick(cdf4, n4)];
					r->family = 4;
					r->mapped = rnd() % 10 < 3;
					r->server_family = r->mapped ? 6 : 4;
				}
				if (rnd() % 100 == 0)
					r->server_family = 0;
				memcpy(r->prefix, p->text, sizeof(r->prefix));
				r->kind = p->kind;
				u = rnd01();
				for (j = 0; u > host_p[j]; j++)
					;
				r->host = hosts[j];
				u = rnd01();
				for (j = 0; u > how_p[j]; j++)
					;
				r->how = (enum how)j;
				r->via_proxy = false;
				if (nrows == BATCH) {
					if ((e = store_record_batch(st, rows, nrows, NULL, 0)) != STORE_OK) {
						fprintf(stderr, "gen-db: %s\n", store_errmsg(st));
						return 1;
					}
					nrows = 0;
				}
			}
			made += nhour;
		}
	}
	if (nrows > 0 && store_record_batch(st, rows, nrows, NULL, 0) != STORE_OK) {
		fprintf(stderr, "gen-db: %s\n", store_errmsg(st));
		return 1;
	}
	printf("gen-db: %" PRIu64 " requests over %u days from %u prefixes in %.1f s\n",
	    made, days, npfx, bench_seconds() - t0);
	t0 = bench_seconds();
	if (gen_probes(st, nprobes, start, days, v4, cdf4, n4, v6, cdf6, n6, hosts) == -1)
		return 1;
	printf("gen-db: %" PRIu64 " probes in %.1f s\n", nprobes, bench_seconds() - t0);

	/* Roll it all up, as upkeep does, a day after the last row. */
	t0 = bench_seconds();
	prev_rid = prev_closed = -1;
	for (;;) {
		if (store_maintain(st, BENCH_END + 86400) != STORE_OK) {
			fprintf(stderr, "gen-db: maintain: %s\n", store_errmsg(st));
			return 1;
		}
		if (store_meta_get(st, "rollup_id", &rid) != STORE_OK ||
		    store_meta_get(st, "rollup_closed", &closed) != STORE_OK)
			return 1;
		if (store_probe_pending(st, &pending) != STORE_OK)
			return 1;
		if (rid == prev_rid && closed == prev_closed && pending == 0)
			break;
		prev_rid = rid;
		prev_closed = closed;
	}
	printf("gen-db: rolled up in %.1f s (watermark %" PRId64 ", closed to %" PRId64 ")\n",
	    bench_seconds() - t0, rid, closed);
	store_close(st);
	free(rows);
	free(v4);
	free(v6);
	free(cdf4);
	free(cdf6);
	return 0;
}
