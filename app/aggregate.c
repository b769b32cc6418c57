/* aggregate.c: the report and the landing page's count from cells and the raw rows above the watermark, through the backend; no SQL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aggregate.h"
#include "cell.h"
#include "map.h"
#include "probe_cell.h"
#include "report.h"
#include "rollup.h"
#include "row.h"
#include "store_backend.h"
#include "topk.h"

/* A series longer than this is a bad query, not a report: ten years hourly. */
#define SERIES_MAX	(10 * 366 * 24)

/*
 * Prefix and host ids of raw rows not rolled up yet that have no number
 * in the database get numbers past the last one, in memory only.
 */
struct tail_prefix {
	char		 prefix[ADDR_PREFIX_MAX];
	int		 family;
	enum addr_kind	 kind;
};

struct tail_host {
	char		 host[REPORT_HOST_MAX + 1];
	char		 node[ROW_NODE_MAX + 1];
};

/* A prefix id that names the same network as first, under another kind. */
struct alias {
	int64_t		 id, first;
};

/* What a report adds up, by family index (0 IPv4, 1 IPv6). */
struct agg {
	struct store	 *st;
	uint64_t	  by_family[2];
	uint64_t	  by_code[2][CELL_CODES];
	uint64_t	  by_how[HOW__MAX + 1];	/* HOW__MAX: a way not known here */
	uint64_t	  prev[2];		/* the period before */
	uint64_t	(*by_host)[2];		/* by host id: a (host, node) pair */
	size_t		  nhosts;
	uint64_t	 *by_prefix[2];		/* by prefix id */
	size_t		  nprefixes;
	int64_t		  max_prefix, max_host;	/* the highest ids in the database */
	struct tail_prefix *tail_prefixes;	/* ids max_prefix + 1 ... */
	size_t		  ntail_prefixes;
	struct tail_host *tail_hosts;		/* ids max_host + 1 ... */
	size_t		  ntail_hosts;
	struct alias	 *aliases;
	size_t		  naliases, capaliases;
	struct map	  tail;			/* tail prefixes and hosts met */
	/*
	 * Readiness probes (issue 10), by the family index and kind the
	 * visit came over (mapped folded in) and probe: started, reached,
	 * wrong; how they came back, by family index and kind; the v6
	 * probe's starts and reached by prefix id.
	 */
	uint64_t	  pcount[2][CELL_KINDS][PROBE__MAX][PCELL__PHASES];
	uint64_t	  pback[PROBE__MAX][2][CELL_KINDS];
	uint64_t	 *lost;			/* v6 probes not come back, by prefix id */
	bool		  series;		/* the series from series cells (cell.h) */
};

static void
agg_free(struct agg *a)
{

	free(a->by_host);
	free(a->by_prefix[0]);
	free(a->by_prefix[1]);
	free(a->lost);
	free(a->tail_prefixes);
	free(a->tail_hosts);
	free(a->aliases);
	map_free(&a->tail);
}

/* Room for prefix id pid and host id hid (-1: none); new slots are zero. */
static int
agg_room(struct agg *a, int64_t pid, int64_t hid)
{
	uint64_t	*p, (*h)[2], **arrays[3] = {
		&a->by_prefix[0], &a->by_prefix[1], &a->lost
	};
	size_t		 n, f;

	if (pid >= 0 && (size_t)pid >= a->nprefixes) {
		n = (size_t)pid + 1 + a->nprefixes / 2;
		for (f = 0; f < 3; f++) {
			if ((p = reallocarray(*arrays[f], n, sizeof(*p))) == NULL)
				return -1;
			memset(p + a->nprefixes, 0, (n - a->nprefixes) * sizeof(*p));
			*arrays[f] = p;
		}
		a->nprefixes = n;
	}
	if (hid >= 0 && (size_t)hid >= a->nhosts) {
		n = (size_t)hid + 1 + a->nhosts / 2;
		if ((h = reallocarray(a->by_host, n, sizeof(*h))) == NULL)
			return -1;
		memset(h + a->nhosts, 0, (n - a->nhosts) * sizeof(*h));
		a->by_host = h;
		a->nhosts = n;
	}
	return 0;
}

static int
agg_alias(struct agg *a, int64_t id, int64_t first)
{
	struct alias	*p;
	size_t		 cap;

	if (a->naliases == a->capaliases) {
		cap = a->capaliases == 0 ? 16 : a->capaliases * 2;
		if ((p = reallocarray(a->aliases, cap, sizeof(*p))) == NULL)
			return -1;
		a->aliases = p;
		a->capaliases = cap;
	}
	a->aliases[a->naliases].id = id;
	a->aliases[a->naliases++].first = first;
	return 0;
}

/*
 * Which cells count.  A host filter and a node filter are each a set of
 * host ids (a cell's host is a (host, node) pair): one id goes to the
 * backend, which reads only its cells; more are read all and picked by
 * allow.
 */
struct filter {
	int64_t		 host;	/* -1 every host id; -2 none (never seen) */
	bool		*allow;	/* NULL: every id host lets through; else by id */
	size_t		 nallow;
	int64_t		 nids;	/* ids that match (building allow) */
	int		 how;	/* -1 every way */
};

/* Whether the cells of host id hid count under f. */
static bool
filter_lets(const struct filter *f, int64_t hid)
{

	return f->allow == NULL || (hid >= 0 && (size_t)hid < f->nallow &&
	    f->allow[hid]);
}

/* ADD_PROBES and ADD_PROBE_SERIES: of the probe cells (issue 10). */
enum agg_what { ADD_ALL, ADD_PREV, ADD_SERIES, ADD_PROBES, ADD_PROBE_SERIES };

/* One run of cells, one blob each, added as what says. */
struct run {
	struct agg	*acc;
	struct report	*rep;
	enum agg_what	 what;
	const struct cell_key *key;	/* of the cell being read */
	const struct filter *f;
	int64_t		 bi;		/* a series cell's bucket */
};

static enum store_err
run_counts(void *arg, const struct cell_key *key, const void *blob, size_t len)
{
	struct run	*r = arg;
	struct agg	*acc = r->acc;
	struct report	*rep = r->rep;
	uint64_t	 t;
	int64_t		 bi;
	int		 fi = key->family == 6;

	if (!filter_lets(r->f, key->host))
		return STORE_OK;
	switch (r->what) {
	case ADD_SERIES:
		bi = (key->start - rep->q.from) / rep->q.bucket;
		t = cell_counts_total(blob, len);
		if (bi >= 0 && (size_t)bi < rep->nseries) {
			if (fi)
				rep->series[bi].ipv6 += t;
			else
				rep->series[bi].ipv4 += t;
		}
		break;
	case ADD_PREV:
		acc->prev[fi] += cell_counts_total(blob, len);
		break;
	case ADD_ALL:
		t = cell_counts_add(blob, len, acc->by_code[fi]);
		acc->by_family[fi] += t;
		acc->by_how[key->how >= 0 && key->how < HOW__MAX ? key->how :
		    HOW__MAX] += t;
		if (key->host >= 0 && agg_room(acc, -1, key->host) == 0)
			acc->by_host[key->host][fi] += t;
		break;
	case ADD_PROBES:
	case ADD_PROBE_SERIES:
		break;		/* probe cells: run_pcounts */
	}
	return STORE_OK;
}

/* The bucket of the series that t is in, or -1. */
static int64_t
bucket_of(const struct report *rep, int64_t t)
{
	int64_t	 bi = (t - rep->q.from) / rep->q.bucket;

	return t >= rep->q.from && bi >= 0 && (size_t)bi < rep->nseries ? bi : -1;
}

/* A request series cell's count of one way and family (cell.h). */
static void
run_scode(void *arg, uint64_t code, uint64_t n)
{
	const struct run	*r = arg;
	struct report_point	*pt = &r->rep->series[r->bi];
	int			 c = (int)code;

	if (code >= CELL_SERIES_CODES ||
	    (r->f->how >= 0 && cell_series_code_how(c) != r->f->how))
		return;
	if (cell_series_code_family(c) == 6)
		pt->ipv6 += n;
	else
		pt->ipv4 += n;
}

static enum store_err
run_series(void *arg, const struct cell_key *key, const void *blob, size_t len)
{
	struct run	*r = arg;

	if (filter_lets(r->f, key->host) &&
	    (r->bi = bucket_of(r->rep, key->start)) >= 0)
		cell_counts_each(blob, len, run_scode, r);
	return STORE_OK;
}

static enum store_err
run_prefixes(void *arg, const struct cell_key *key, const void *blob, size_t len)
{
	struct agg	*acc = ((struct run *)arg)->acc;

	if (!filter_lets(((struct run *)arg)->f, key->host))
		return STORE_OK;
	/* Ids past the database's are not ours: ignored. */
	cell_prefixes_add(blob, len, acc->by_prefix[key->family == 6],
	    acc->nprefixes);
	return STORE_OK;
}

/* One count of a probe cell: by how its visit came, and how it came back. */
static void
run_pcode(void *arg, uint64_t code, uint64_t n)
{
	const struct run	*r = arg;
	struct agg		*acc = r->acc;
	int			 slot = r->key->how, fi = r->key->family == 6;
	enum probe_kind		 k = pcell_slot_probe(slot);
	enum pcell_phase	 ph = pcell_slot_phase(slot);
	int			 c = (int)code, kind;

	if (k == PROBE__MAX || code >= PCELL_CODES)
		return;		/* not ours */
	kind = pcell_code_kind(c);
	acc->pcount[fi][kind][k][ph] += n;
	if (ph != PCELL_STARTED && pcell_code_back_family(c) != 0)
		acc->pback[k][pcell_code_back_family(c) == 6]
		    [pcell_code_back_kind(c)] += n;
}

static enum store_err
run_pcounts(void *arg, const struct cell_key *key, const void *blob, size_t len)
{
	struct run			*r = arg;
	struct report_probe_point	*pt;
	struct report_probe		*p;
	enum probe_kind			 k = pcell_slot_probe(key->how);
	uint64_t			 t;
	int64_t				 bi;

	if (!filter_lets(r->f, key->host))
		return STORE_OK;
	r->key = key;
	if (r->what == ADD_PROBES) {
		cell_counts_each(blob, len, run_pcode, r);
		return STORE_OK;
	}
	/* ADD_PROBE_SERIES */
	if (k == PROBE__MAX || (bi = bucket_of(r->rep, key->start)) < 0)
		return STORE_OK;
	pt = &r->rep->readiness.series[bi];
	p = &pt->probe[k];
	t = cell_counts_total(blob, len);
	switch (pcell_slot_phase(key->how)) {
	case PCELL_STARTED:
		p->started += t;
		break;
	case PCELL_REACHED:
		p->reached += t;
		break;
	default:
		p->wrong += t;
		break;
	}
	return STORE_OK;
}

/* A series cell's count of one slot (probe_cell.h). */
static void
run_pslot(void *arg, uint64_t slot, uint64_t n)
{
	struct report_probe	*p = arg;

	if (slot >= PCELL_SLOTS)
		return;		/* not ours */
	p = &p[pcell_slot_probe((int)slot)];
	switch (pcell_slot_phase((int)slot)) {
	case PCELL_STARTED:
		p->started += n;
		break;
	case PCELL_REACHED:
		p->reached += n;
		break;
	default:
		p->wrong += n;
		break;
	}
}

static enum store_err
run_pseries(void *arg, const struct cell_key *key, const void *blob, size_t len)
{
	struct run	*r = arg;
	int64_t		 bi;

	if (filter_lets(r->f, key->host) &&
	    (bi = bucket_of(r->rep, key->start)) >= 0)
		cell_counts_each(blob, len, run_pslot,
		    r->rep->readiness.series[bi].probe);
	return STORE_OK;
}

static enum store_err
run_pprefixes(void *arg, const struct cell_key *key, const void *blob, size_t len)
{
	const struct run	*r = arg;
	struct agg		*acc = r->acc;

	if (!filter_lets(r->f, key->host))
		return STORE_OK;
	cell_prefixes_add(blob, len, acc->lost, acc->nprefixes);
	return STORE_OK;
}

/* The probe cells of level lv in [a, b): every slot's counts, the v6 probe's prefixes. */
static enum store_err
agg_prun(struct agg *acc, struct report *rep, enum agg_what what, int lv,
    int64_t a, int64_t b, const struct filter *f)
{
	struct store	*st = acc->st;
	struct run	 r = { acc, rep, what, NULL, f, -1 };
	enum store_err	 e;

	/* The series: one series cell a host, where there are (probe_cell.h). */
	if (what == ADD_PROBE_SERIES && acc->series)
		return st->ops->pcells(st, STORE_COUNTS, CELL_SERIES_LEVEL + lv,
		    a, b - 1, f->host, -1, run_pseries, &r);
	if ((e = st->ops->pcells(st, STORE_COUNTS, lv, a, b - 1, f->host, -1,
	    run_pcounts, &r)) != STORE_OK || what != ADD_PROBES)
		return e;
	/* Only the v6 starts' cells hold prefixes: those not come back (rollup.c). */
	return st->ops->pcells(st, STORE_PREFIXES, lv, a, b - 1, f->host,
	    pcell_slot(PROBE_V6, PCELL_STARTED), run_pprefixes, &r);
}

/* Add the cells of level lv that start in [a, b) to the report. */
static enum store_err
agg_run(struct agg *acc, struct report *rep, enum agg_what what, int lv,
    int64_t a, int64_t b, const struct filter *f)
{
	struct store	*st = acc->st;
	struct run	 r = { acc, rep, what, NULL, f, -1 };
	enum store_err	 e;

	if (a >= b || f->host == -2)
		return STORE_OK;
	if (what == ADD_PROBES || what == ADD_PROBE_SERIES)
		return agg_prun(acc, rep, what, lv, a, b, f);
	/* The series: one series cell a host, the way picked from its codes (cell.h). */
	if (what == ADD_SERIES && acc->series)
		return st->ops->cells(st, STORE_COUNTS, CELL_SERIES_LEVEL + lv, a,
		    b - 1, f->host, -1, run_series, &r);
	if ((e = st->ops->cells(st, STORE_COUNTS, lv, a, b - 1, f->host, f->how,
	    run_counts, &r)) != STORE_OK)
		return e;
	if (what != ADD_ALL)
		return STORE_OK;
	return st->ops->cells(st, STORE_PREFIXES, lv, a, b - 1, f->host, f->how,
	    run_prefixes, &r);
}

/* [a, b) in the longest cells that fit: at most two runs per level. */
static enum store_err
agg_greedy(struct agg *acc, struct report *rep, enum agg_what what, int lv,
    int64_t a, int64_t b, const struct filter *f)
{
	enum store_err	 e;
	int64_t		 s, A, B;

	if (a >= b)
		return STORE_OK;
	if (lv == 0)
		return agg_run(acc, rep, what, 0, a, b, f);
	s = cell_span[lv];
	A = cell_start(a + s - 1, s);
	B = cell_start(b, s);
	if (A >= B)
		return agg_greedy(acc, rep, what, lv - 1, a, b, f);
	if ((e = agg_run(acc, rep, what, lv, A, B, f)) != STORE_OK ||
	    (e = agg_greedy(acc, rep, what, lv - 1, a, A, f)) != STORE_OK)
		return e;
	return agg_greedy(acc, rep, what, lv - 1, B, b, f);
}

/* [a, b) of whole hours: up to closed in long cells, after it in hours. */
static enum store_err
agg_period(struct agg *acc, struct report *rep, enum agg_what what, int64_t a,
    int64_t b, int64_t closed, const struct filter *f)
{
	int64_t		 hi = b < closed ? b : closed;
	enum store_err	 e;

	if (a < hi && (e = agg_greedy(acc, rep, what, CELL_LEVELS - 1, a, hi,
	    f)) != STORE_OK)
		return e;
	return agg_run(acc, rep, what, 0, a > closed ? a : closed, b, f);
}

/* The series (what: ADD_SERIES or ADD_PROBE_SERIES): whole buckets of long cells up to closed, hours after. */
static enum store_err
agg_series(struct agg *acc, struct report *rep, enum agg_what what,
    int64_t closed, const struct filter *f)
{
	const struct report_query	*q = &rep->q;
	enum store_err			 e;
	int64_t				 x, hi, s;
	int				 lv, best = 0;

	for (lv = 1; lv < CELL_LEVELS; lv++)
		if (q->bucket % cell_span[lv] == 0 && q->from % cell_span[lv] == 0)
			best = lv;
	x = q->from;
	hi = q->to < closed ? q->to : closed;
	if (best > 0 && hi > q->from) {
		s = cell_span[best];
		x = q->from + (hi - q->from) / s * s;
		if ((e = agg_run(acc, rep, what, best, q->from, x,
		    f)) != STORE_OK)
			return e;
	}
	return agg_run(acc, rep, what, 0, x, q->to, f);
}

/* The id of a raw row's prefix: the database's, or one in memory. */
static enum store_err
tail_prefix(struct agg *a, const struct row *row, int64_t *id)
{
	const struct store_ops	*ops = a->st->ops;
	unsigned char		 key[3 + ADDR_PREFIX_MAX], tkey[2 + ADDR_PREFIX_MAX];
	size_t			 len = strlen(row->prefix);
	struct tail_prefix	*x;
	enum store_err		 e;
	int64_t			 first = 0, *v;
	bool			 added, ffound;

	/* 'p' family kind prefix: the id; 't' family prefix: a network's first. */
	key[0] = 'p';
	key[1] = (unsigned char)row->family;
	key[2] = (unsigned char)row->kind;
	memcpy(key + 3, row->prefix, len);
	if ((v = map_get(&a->tail, key, 3 + len)) != NULL) {
		*id = *v;
		return STORE_OK;
	}
	if ((e = ops->prefix_find(a->st, row->prefix, row->family, row->kind,
	    id)) != STORE_OK)
		return e;
	if (*id == 0) {
		/* The same network under another kind is one unique prefix. */
		tkey[0] = 't';
		tkey[1] = (unsigned char)row->family;
		memcpy(tkey + 2, row->prefix, len);
		if ((v = map_get(&a->tail, tkey, 2 + len)) != NULL)
			first = *v;
		else if ((e = ops->prefix_first(a->st, row->prefix, row->family,
		    &first)) != STORE_OK)
			return e;
		ffound = first != 0;
		*id = a->max_prefix + 1 + (int64_t)a->ntail_prefixes;
		if ((x = reallocarray(a->tail_prefixes, a->ntail_prefixes + 1,
		    sizeof(*x))) == NULL)
			return store_nomem(a->st);
		a->tail_prefixes = x;
		x = &a->tail_prefixes[a->ntail_prefixes++];
		memcpy(x->prefix, row->prefix, len + 1);
		x->family = row->family;
		x->kind = row->kind;
		if (ffound) {
			if (agg_alias(a, *id, first) == -1)
				return store_nomem(a->st);
		} else {
			if ((v = map_put(&a->tail, tkey, 2 + len, &added)) == NULL)
				return store_nomem(a->st);
			*v = *id;
		}
	}
	if ((v = map_put(&a->tail, key, 3 + len, &added)) == NULL ||
	    agg_room(a, *id, -1) == -1)
		return store_nomem(a->st);
	*v = *id;
	return STORE_OK;
}

/* The id of a raw row's (host, node) pair: the database's, or one in memory. */
static enum store_err
tail_host(struct agg *a, const char *host, const char *node, int64_t *id)
{
	unsigned char		 key[2 + REPORT_HOST_MAX + ROW_NODE_MAX];
	size_t			 len = strlen(host), nlen;
	struct tail_host	*x;
	enum store_err		 e;
	int64_t			*v;
	bool			 added;

	/* A stored host is cut to ROW_HOST_MAX bytes: REPORT_HOST_MAX. */
	if (len > REPORT_HOST_MAX)
		len = REPORT_HOST_MAX;
	if (node == NULL)
		node = "";
	nlen = strnlen(node, ROW_NODE_MAX);
	key[0] = 'h';
	memcpy(key + 1, host, len);
	key[1 + len] = '\0';
	memcpy(key + 2 + len, node, nlen);
	if ((v = map_get(&a->tail, key, 2 + len + nlen)) != NULL) {
		*id = *v;
		return STORE_OK;
	}
	if ((e = a->st->ops->host_find(a->st, host, node, id)) != STORE_OK)
		return e;
	if (*id == 0) {
		*id = a->max_host + 1 + (int64_t)a->ntail_hosts;
		if ((x = reallocarray(a->tail_hosts, a->ntail_hosts + 1,
		    sizeof(*x))) == NULL)
			return store_nomem(a->st);
		a->tail_hosts = x;
		(void)snprintf(x[a->ntail_hosts].host, sizeof(x->host), "%s",
		    host);
		(void)snprintf(x[a->ntail_hosts++].node, sizeof(x->node), "%s",
		    node);
	}
	if ((v = map_put(&a->tail, key, 2 + len + nlen, &added)) == NULL ||
	    agg_room(a, -1, *id) == -1)
		return store_nomem(a->st);
	*v = *id;
	return STORE_OK;
}

/* The raw rows above the watermark, added as the cells would have them. */
struct tail {
	struct agg	*acc;
	struct report	*rep;
	int64_t		 prev_from;
};

/* What report_tx is given: the report to fill, and now, when probes expire. */
struct report_job {
	struct report	*rep;
	int64_t		 now;
};

static enum store_err
tail_row(void *arg, int64_t id, const struct row *row)
{
	struct tail			*tl = arg;
	struct agg			*acc = tl->acc;
	struct report			*rep = tl->rep;
	const struct report_query	*q = &rep->q;
	const char			*host = row->host != NULL ? row->host : "";
	const char			*node = row->node != NULL ? row->node : "";
	enum store_err			 e;
	int64_t				 t = row->time, pid, hid, bi;
	int				 fi = row->family == 6;

	(void)id;
	if (t < tl->prev_from || t >= q->to)
		return STORE_OK;
	if ((q->host[0] != '\0' && strcmp(host, q->host) != 0) ||
	    (q->node[0] != '\0' && strcmp(node, q->node) != 0) ||
	    (q->how >= 0 && (int)row->how != q->how))
		return STORE_OK;
	if (t < q->from) {
		acc->prev[fi]++;
		return STORE_OK;
	}
	if ((e = tail_prefix(acc, row, &pid)) != STORE_OK ||
	    (e = tail_host(acc, host, node, &hid)) != STORE_OK)
		return e;
	acc->by_family[fi]++;
	acc->by_code[fi][cell_code((int)row->kind, row->mapped,
	    row->server_family)]++;
	acc->by_how[(int)row->how >= 0 && row->how < HOW__MAX ? row->how :
	    HOW__MAX]++;
	acc->by_host[hid][fi]++;
	acc->by_prefix[fi][pid]++;
	if (rep->nseries > 0) {
		bi = (t - q->from) / q->bucket;
		if (fi)
			rep->series[bi].ipv6++;
		else
			rep->series[bi].ipv4++;
	}
	return STORE_OK;
}

/* A probe resolved since the last upkeep, added as its cells would have it. */
static enum store_err
tail_probe(void *arg, int64_t id, const struct probe_row *p)
{
	struct tail			*tl = arg;
	struct agg			*acc = tl->acc;
	struct report			*rep = tl->rep;
	const struct report_query	*q = &rep->q;
	const char			*host = p->start.host != NULL ?
					    p->start.host : "";
	const char			*node = p->start.node != NULL ?
					    p->start.node : "";
	struct report_probe		*pt = NULL;
	struct row			 row;
	enum store_err			 e;
	enum probe_kind			 k = p->start.probe;
	enum pcell_phase		 ph;
	int64_t				 t = p->start.time, pid, hid, bi;
	int				 fi = p->start.family == 6, kind;

	(void)id;
	if (t < q->from || t >= q->to || (unsigned)k >= PROBE__MAX ||
	    (q->host[0] != '\0' && strcmp(host, q->host) != 0) ||
	    (q->node[0] != '\0' && strcmp(node, q->node) != 0))
		return STORE_OK;
	memset(&row, 0, sizeof(row));
	row.family = p->start.family;
	row.kind = p->start.kind;
	memcpy(row.prefix, p->start.prefix, sizeof(row.prefix));
	if ((e = tail_prefix(acc, &row, &pid)) != STORE_OK ||
	    (e = tail_host(acc, host, node, &hid)) != STORE_OK)
		return e;
	kind = pcell_code_kind(pcell_code((int)p->start.kind, false, 0, 0));
	if ((bi = bucket_of(rep, t)) >= 0)
		pt = &rep->readiness.series[bi].probe[k];
	acc->pcount[fi][kind][k][PCELL_STARTED]++;
	if (pt != NULL)
		pt->started++;
	if (k == PROBE_V6 && !probe_family_fits(k, p->back_family))
		acc->lost[pid]++;
	if (p->back_family == 0)
		return STORE_OK;
	ph = pcell_phase_of(k, p->back_family);
	acc->pcount[fi][kind][k][ph]++;
	acc->pback[k][p->back_family == 6][pcell_code_back_kind(pcell_code(0,
	    false, p->back_family, (int)p->back_kind))]++;
	if (pt != NULL) {
		if (ph == PCELL_REACHED)
			pt->reached++;
		else
			pt->wrong++;
	}
	return STORE_OK;
}

static enum store_err
add_alias(void *arg, int64_t id, int64_t first)
{
	struct agg	*acc = arg;

	return agg_alias(acc, id, first) == -1 ? store_nomem(acc->st) : STORE_OK;
}

/*
 * qsort is always guarded by a count: C11 7.22.5p1 makes a NULL array
 * undefined even with no element to sort.
 */
static int
alias_cmp(const void *a, const void *b)
{
	const struct alias	*x = a, *y = b;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Nonzero prefix ids per family, a network under two kinds once. */
static enum store_err
agg_unique(struct agg *acc, struct report *rep)
{
	struct store	*st = acc->st;
	const struct alias *al;
	enum store_err	 e;
	uint64_t	 u[2] = { 0, 0 };
	size_t		 i, j, f, k;

	for (f = 0; f < 2; f++)
		for (i = 0; i < acc->nprefixes; i++)
			u[f] += acc->by_prefix[f][i] != 0;
	if ((e = st->ops->prefix_aliases(st, add_alias, acc)) != STORE_OK)
		return e;
	if (acc->naliases > 0)
		qsort(acc->aliases, acc->naliases, sizeof(*acc->aliases),
		    alias_cmp);
	al = acc->aliases;
	for (i = 0; i < acc->naliases; i = j) {
		for (f = 0; f < 2; f++) {
			k = (size_t)al[i].first < acc->nprefixes &&
			    acc->by_prefix[f][al[i].first] != 0;
			for (j = i; j < acc->naliases && al[j].first == al[i].first;
			    j++)
				k += (size_t)al[j].id < acc->nprefixes &&
				    acc->by_prefix[f][al[j].id] != 0;
			if (k > 1)
				u[f] -= k - 1;
		}
	}
	rep->unique_ipv4 = u[0];
	rep->unique_ipv6 = u[1];
	return STORE_OK;
}

static int
kind_cmp(const void *a, const void *b)
{
	const struct report_kind	*x = a, *y = b;
	int				 c;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if (x->requests != y->requests)
		return x->requests > y->requests ? -1 : 1;
	if ((c = strcmp(addr_kind_name(x->kind), addr_kind_name(y->kind))) != 0)
		return c;
	return (int)x->mapped - (int)y->mapped;
}

static int
prefix_cmp(const void *a, const void *b)
{
	const struct report_prefix	*x = a, *y = b;
	int				 c;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if (x->requests != y->requests)
		return x->requests > y->requests ? -1 : 1;
	if ((c = strcmp(x->prefix, y->prefix)) != 0)
		return c;
	return strcmp(addr_kind_name(x->kind), addr_kind_name(y->kind));
}

static int
host_cmp(const void *a, const void *b)
{
	const struct report_host	*x = a, *y = b;
	uint64_t			 tx = x->ipv4 + x->ipv6, ty = y->ipv4 + y->ipv6;

	if (tx != ty)
		return tx > ty ? -1 : 1;
	return strcmp(x->host, y->host);
}

static int
node_cmp(const void *a, const void *b)
{
	const struct report_node	*x = a, *y = b;
	uint64_t			 tx = x->ipv4 + x->ipv6, ty = y->ipv4 + y->ipv6;

	if (tx != ty)
		return tx > ty ? -1 : 1;
	return strcmp(x->node, y->node);
}

/* Names looked up in the database, written into the entries they are for. */
struct names {
	struct report_prefix	*prefixes;
	const size_t		*at;	/* the entry of the i-th id asked for */
};

static enum store_err
name_prefix(void *arg, size_t i, const char *text, enum addr_kind kind)
{
	const struct names	*n = arg;
	struct report_prefix	*p = &n->prefixes[n->at[i]];

	(void)snprintf(p->prefix, sizeof(p->prefix), "%s", text);
	p->kind = kind;
	return STORE_OK;
}

/* The requests of one host id: a (host, node) pair. */
struct pair {
	char		 host[REPORT_HOST_MAX + 1];
	char		 node[ROW_NODE_MAX + 1];
	uint64_t	 ipv4, ipv6;
};

struct pair_names {
	struct pair	*v;
	const size_t	*at;	/* the entry of the i-th id asked for */
};

static enum store_err
name_pair(void *arg, size_t i, const char *host, const char *node)
{
	const struct pair_names	*n = arg;
	struct pair		*p = &n->v[n->at[i]];

	(void)snprintf(p->host, sizeof(p->host), "%s", host);
	(void)snprintf(p->node, sizeof(p->node), "%s", node);
	return STORE_OK;
}

static int
pair_host_cmp(const void *a, const void *b)
{

	return strcmp(((const struct pair *)a)->host,
	    ((const struct pair *)b)->host);
}

static int
pair_node_cmp(const void *a, const void *b)
{

	return strcmp(((const struct pair *)a)->node,
	    ((const struct pair *)b)->node);
}

/* Room for more candidates of agg_top: entries, and the ids to look up. */
static int
agg_grow(struct report_prefix **v, int64_t **ids, size_t **at, size_t *cap,
    size_t top)
{
	struct report_prefix	*nv;
	int64_t			*nids;
	size_t			*nat, n = *cap == 0 ? top + 8 : *cap * 2;

	if ((nv = reallocarray(*v, n, sizeof(*nv))) == NULL)
		return -1;
	*v = nv;
	if ((nids = reallocarray(*ids, n, sizeof(*nids))) == NULL)
		return -1;
	*ids = nids;
	if ((nat = reallocarray(*at, n, sizeof(*nat))) == NULL)
		return -1;
	*at = nat;
	*cap = n;
	return 0;
}

/*
 * The busiest prefixes of one family: every id with at least the top-th
 * count is a candidate (ties go by text, so all tied ones are named).
 */
static enum store_err
agg_top(struct agg *acc, struct report *rep, int fi)
{
	struct store		*st = acc->st;
	struct report_prefix	*p, *v = NULL;
	struct names		 nm;
	enum store_err		 e = STORE_OK;
	uint64_t		 least, *cnt = acc->by_prefix[fi];
	int64_t			*ids = NULL;
	size_t			*at = NULL, top = rep->q.top, i, nv = 0, nids = 0;
	size_t			 capv = 0;

	if (topk_floor(cnt, acc->nprefixes, top, &least) == -1)
		return store_nomem(st);
	if (least == 0)
		return STORE_OK;
	for (i = 0; i < acc->nprefixes; i++) {
		if (cnt[i] < least)
			continue;
		if (nv == capv && agg_grow(&v, &ids, &at, &capv, top) == -1) {
			e = store_nomem(st);
			goto out;
		}
		p = &v[nv];
		memset(p, 0, sizeof(*p));
		p->family = fi ? 6 : 4;
		p->requests = cnt[i];
		if ((int64_t)i > acc->max_prefix) {
			const struct tail_prefix *x =
			    &acc->tail_prefixes[(int64_t)i - acc->max_prefix - 1];

			(void)snprintf(p->prefix, sizeof(p->prefix), "%s",
			    x->prefix);
			p->kind = x->kind;
		} else {
			ids[nids] = (int64_t)i;
			at[nids++] = nv;
		}
		nv++;
	}
	nm.prefixes = v;
	nm.at = at;
	if ((e = st->ops->prefix_names(st, ids, nids, name_prefix,
	    &nm)) != STORE_OK)
		goto out;
	if (nv > 0)
		qsort(v, nv, sizeof(*v), prefix_cmp);
	if (nv > top)
		nv = top;
	if ((p = reallocarray(rep->prefixes, rep->nprefixes + nv,
	    sizeof(*p))) == NULL) {
		e = store_nomem(st);
		goto out;
	}
	rep->prefixes = p;
	memcpy(p + rep->nprefixes, v, nv * sizeof(*v));
	rep->nprefixes += nv;
out:
	free(v);
	free(ids);
	free(at);
	return e;
}

/* Kinds, listeners and ways from the codes and ways added up. */
static int
agg_kinds(struct agg *acc, struct report *rep)
{
	struct report_kind	 kinds[2 * CELL_KINDS * 2], *k;
	struct report_listener	 ls[3];
	size_t			 nk = 0, i;
	int			 fi, c, kind, sf, li;
	uint64_t		 n;

	memset(kinds, 0, sizeof(kinds));
	memset(ls, 0, sizeof(ls));
	for (fi = 0; fi < 2; fi++)
		for (kind = 0; kind < CELL_KINDS; kind++)
			for (c = 0; c < 2; c++) {
				k = &kinds[(fi * CELL_KINDS + kind) * 2 + c];
				k->family = fi ? 6 : 4;
				k->kind = kind < KIND__MAX ? (enum addr_kind)kind :
				    KIND__MAX;
				k->mapped = c;
			}
	for (fi = 0; fi < 2; fi++)
		for (c = 0; c < CELL_CODES; c++) {
			if ((n = acc->by_code[fi][c]) == 0)
				continue;
			kinds[(fi * CELL_KINDS + cell_code_kind(c)) * 2 +
			    cell_code_mapped(c)].requests += n;
			/* Listeners in the order 0 (unknown), 4, 6. */
			sf = cell_code_server_family(c);
			li = sf == 4 ? 1 : sf == 6 ? 2 : 0;
			if (fi)
				ls[li].ipv6 += n;
			else
				ls[li].ipv4 += n;
		}
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].requests != 0)
			kinds[nk++] = kinds[i];
	if (nk > 0) {
		qsort(kinds, nk, sizeof(kinds[0]), kind_cmp);
		if ((rep->kinds = calloc(nk, sizeof(*rep->kinds))) == NULL)
			return -1;
		memcpy(rep->kinds, kinds, nk * sizeof(kinds[0]));
		rep->nkinds = nk;
	}
	if ((rep->listeners = calloc(3, sizeof(*rep->listeners))) == NULL)
		return -1;
	for (i = 0; i < 3; i++)
		if (ls[i].ipv4 + ls[i].ipv6 != 0) {
			rep->listeners[rep->nlisteners] = ls[i];
			rep->listeners[rep->nlisteners++].server_family =
			    i == 0 ? 0 : i == 1 ? 4 : 6;
		}
	if ((rep->hows = calloc(HOW__MAX + 1, sizeof(*rep->hows))) == NULL)
		return -1;
	for (i = 0; i <= HOW__MAX; i++)
		if (acc->by_how[i] != 0) {
			rep->hows[rep->nhows].how = (int)i;
			rep->hows[rep->nhows++].requests = acc->by_how[i];
		}
	return 0;
}

/*
 * The busiest hosts and the busiest nodes, by name: the (host, node)
 * pairs of the ids counted, summed by host and by node.
 */
static enum store_err
agg_hosts(struct agg *acc, struct report *rep)
{
	struct store		*st = acc->st;
	struct pair		*pv = NULL, *pp;
	struct report_host	*hv = NULL;
	struct report_node	*nv = NULL;
	struct pair_names	 nm;
	enum store_err		 e = STORE_OK;
	int64_t			*ids = NULL;
	size_t			*at = NULL, np = 0, nids = 0, i, n, top = rep->q.top;

	if (top == 0 || acc->nhosts == 0)
		return STORE_OK;
	if ((pv = calloc(acc->nhosts, sizeof(*pv))) == NULL ||
	    (ids = calloc(acc->nhosts, sizeof(*ids))) == NULL ||
	    (at = calloc(acc->nhosts, sizeof(*at))) == NULL) {
		e = store_nomem(st);
		goto out;
	}
	for (i = 0; i < acc->nhosts; i++) {
		if (acc->by_host[i][0] + acc->by_host[i][1] == 0)
			continue;
		pp = &pv[np];
		pp->ipv4 = acc->by_host[i][0];
		pp->ipv6 = acc->by_host[i][1];
		if ((int64_t)i > acc->max_host) {
			const struct tail_host *x =
			    &acc->tail_hosts[(int64_t)i - acc->max_host - 1];

			(void)snprintf(pp->host, sizeof(pp->host), "%s", x->host);
			(void)snprintf(pp->node, sizeof(pp->node), "%s", x->node);
		} else {
			ids[nids] = (int64_t)i;
			at[nids++] = np;
		}
		np++;
	}
	nm.v = pv;
	nm.at = at;
	if ((e = st->ops->host_names(st, ids, nids, name_pair, &nm)) != STORE_OK)
		goto out;
	if (np == 0)
		goto out;
	if ((hv = calloc(np, sizeof(*hv))) == NULL ||
	    (nv = calloc(np, sizeof(*nv))) == NULL) {
		e = store_nomem(st);
		goto out;
	}
	/* By host: pairs of one host side by side, summed. */
	qsort(pv, np, sizeof(*pv), pair_host_cmp);
	for (i = 0, n = 0; i < np; i++) {
		if (i == 0 || strcmp(pv[i].host, pv[i - 1].host) != 0)
			(void)snprintf(hv[n++].host, sizeof(hv->host), "%s",
			    pv[i].host);
		hv[n - 1].ipv4 += pv[i].ipv4;
		hv[n - 1].ipv6 += pv[i].ipv6;
	}
	qsort(hv, n, sizeof(*hv), host_cmp);
	rep->hosts = hv;
	rep->nhosts = n < top ? n : top;
	hv = NULL;
	/* By node, the same way. */
	qsort(pv, np, sizeof(*pv), pair_node_cmp);
	for (i = 0, n = 0; i < np; i++) {
		if (i == 0 || strcmp(pv[i].node, pv[i - 1].node) != 0)
			(void)snprintf(nv[n++].node, sizeof(nv->node), "%s",
			    pv[i].node);
		nv[n - 1].ipv4 += pv[i].ipv4;
		nv[n - 1].ipv6 += pv[i].ipv6;
	}
	qsort(nv, n, sizeof(*nv), node_cmp);
	rep->nodes = nv;
	rep->nnodes = n < top ? n : top;
	nv = NULL;
out:
	free(pv);
	free(hv);
	free(nv);
	free(ids);
	free(at);
	return e;
}

/* ---- Readiness probes (issue 10) ------------------------------------------ */

/* The lost networks: most v6 starts that did not come back first, then by text. */
static int
lost_cmp(const void *a, const void *b)
{
	const struct report_lost	*x = a, *y = b;
	uint64_t			 nx = x->not_reached;
	uint64_t			 ny = y->not_reached;
	int				 c;

	if (nx != ny)
		return nx > ny ? -1 : 1;
	if ((c = strcmp(x->prefix, y->prefix)) != 0)
		return c;
	return strcmp(addr_kind_name(x->kind), addr_kind_name(y->kind));
}

struct lost_names {
	struct report_lost	*v;
	const size_t		*at;
};

static enum store_err
name_lost(void *arg, size_t i, const char *text, enum addr_kind kind)
{
	const struct lost_names	*n = arg;
	struct report_lost	*p = &n->v[n->at[i]];

	(void)snprintf(p->prefix, sizeof(p->prefix), "%s", text);
	p->family = strchr(text, ':') != NULL ? 6 : 4;
	p->kind = kind;
	return STORE_OK;
}

/*
 * The networks whose visits' v6 probes came back least: every id with at
 * least the top-th count of starts not reached (ties at the edge named,
 * then cut by text, as agg_top does).
 */
static enum store_err
agg_lost(struct agg *acc, struct report *rep)
{
	struct store		*st = acc->st;
	struct report_lost	*v = NULL, *p;
	struct lost_names	 nm;
	enum store_err		 e = STORE_OK;
	const uint64_t		*d;
	uint64_t		 least;
	int64_t			*ids = NULL;
	size_t			*at = NULL, i, nv = 0, nids = 0, top = rep->q.top;

	if (acc->nprefixes == 0 || top == 0)
		return STORE_OK;
	d = acc->lost;
	if (topk_floor(d, acc->nprefixes, top, &least) == -1) {
		e = store_nomem(st);
		goto out;
	}
	if (least == 0)
		goto out;
	for (i = 0; i < acc->nprefixes; i++)
		nv += d[i] >= least;
	if ((v = calloc(nv, sizeof(*v))) == NULL ||
	    (ids = calloc(nv, sizeof(*ids))) == NULL ||
	    (at = calloc(nv, sizeof(*at))) == NULL) {
		e = store_nomem(st);
		goto out;
	}
	for (i = 0, nv = 0; i < acc->nprefixes; i++) {
		if (d[i] < least)
			continue;
		p = &v[nv];
		p->not_reached = d[i];
		if ((int64_t)i > acc->max_prefix) {
			const struct tail_prefix *x =
			    &acc->tail_prefixes[(int64_t)i - acc->max_prefix - 1];

			(void)snprintf(p->prefix, sizeof(p->prefix), "%s",
			    x->prefix);
			p->family = x->family;
			p->kind = x->kind;
		} else {
			ids[nids] = (int64_t)i;
			at[nids++] = nv;
		}
		nv++;
	}
	nm.v = v;
	nm.at = at;
	if ((e = st->ops->prefix_names(st, ids, nids, name_lost, &nm)) != STORE_OK)
		goto out;
	if (nv > 0)
		qsort(v, nv, sizeof(*v), lost_cmp);
	rep->readiness.lost = v;
	rep->readiness.nlost = nv < top ? nv : top;
	v = NULL;
out:
	free(v);
	free(ids);
	free(at);
	return e;
}

/* Totals, arrivals and the ways back from what the probe cells added up. */
static int
agg_readiness(struct agg *acc, struct report *rep)
{
	struct report_readiness	*rd = &rep->readiness;
	const uint64_t		*c;
	size_t			 n = 0;
	int			 fi, kind, k, bf;

	for (fi = 0; fi < 2; fi++)
		for (kind = 0; kind < CELL_KINDS; kind++)
			for (k = 0; k < PROBE__MAX; k++) {
				c = acc->pcount[fi][kind][k];
				rd->probe[k].started += c[PCELL_STARTED];
				rd->probe[k].reached += c[PCELL_REACHED];
				rd->probe[k].wrong += c[PCELL_WRONG];
				n += c[PCELL_STARTED] != 0;
			}
	if (n > 0 && (rd->arrivals = calloc(n, sizeof(*rd->arrivals))) == NULL)
		return -1;
	for (fi = 0; fi < 2; fi++)
		for (kind = 0; kind < CELL_KINDS; kind++)
			for (k = 0; k < PROBE__MAX; k++) {
				c = acc->pcount[fi][kind][k];
				if (c[PCELL_STARTED] == 0)
					continue;
				rd->arrivals[rd->narrivals].family = fi ? 6 : 4;
				rd->arrivals[rd->narrivals].kind = kind < KIND__MAX ?
				    (enum addr_kind)kind : KIND__MAX;
				rd->arrivals[rd->narrivals].probe = (enum probe_kind)k;
				rd->arrivals[rd->narrivals].started = c[PCELL_STARTED];
				rd->arrivals[rd->narrivals++].reached = c[PCELL_REACHED];
			}
	for (n = 0, k = 0; k < PROBE__MAX; k++)
		for (bf = 0; bf < 2; bf++)
			for (kind = 0; kind < CELL_KINDS; kind++)
				n += acc->pback[k][bf][kind] != 0;
	if (n > 0 && (rd->backs = calloc(n, sizeof(*rd->backs))) == NULL)
		return -1;
	for (k = 0; k < PROBE__MAX; k++)
		for (bf = 0; bf < 2; bf++)
			for (kind = 0; kind < CELL_KINDS; kind++) {
				if (acc->pback[k][bf][kind] == 0)
					continue;
				rd->backs[rd->nbacks].probe = (enum probe_kind)k;
				rd->backs[rd->nbacks].family = bf ? 6 : 4;
				rd->backs[rd->nbacks].kind = kind < KIND__MAX ?
				    (enum addr_kind)kind : KIND__MAX;
				rd->backs[rd->nbacks++].n = acc->pback[k][bf][kind];
			}
	return 0;
}

/*
 * The probe cells of the period and its series (the how filter is for
 * requests: not theirs), then the probes resolved since the last upkeep.
 */
static enum store_err
agg_probes(struct agg *acc, struct report *rep, int64_t closed, int64_t now,
    struct tail *tl, const struct filter *hosts)
{
	const struct report_query	*q = &rep->q;
	struct filter			 f = *hosts;
	enum store_err			 e;

	f.how = -1;
	if ((e = agg_period(acc, rep, ADD_PROBES, q->from, q->to, closed,
	    &f)) != STORE_OK ||
	    (e = agg_series(acc, rep, ADD_PROBE_SERIES, closed, &f)) != STORE_OK)
		return e;
	return acc->st->ops->probe_rows(acc->st, now, -1, tail_probe, tl);
}

struct filter_job {
	struct store	*st;
	struct filter	*f;
};

static enum store_err
filter_add(void *arg, int64_t id)
{
	const struct filter_job	*j = arg;
	struct filter		*f = j->f;
	bool			*p;
	size_t			 n;

	f->nids++;
	f->host = f->nids == 1 ? id : -1;
	if (id < 0)
		return STORE_OK;
	if ((size_t)id >= f->nallow) {
		n = (size_t)id + 1 + f->nallow / 2;
		if ((p = realloc(f->allow, n * sizeof(*p))) == NULL)
			return store_nomem(j->st);
		memset(p + f->nallow, 0, (n - f->nallow) * sizeof(*p));
		f->allow = p;
		f->nallow = n;
	}
	f->allow[id] = true;
	return STORE_OK;
}

/*
 * The host ids of q's host and node filters: none asked, every id; no
 * id matches, -2; one, that id (the backend reads its cells only);
 * more, every cell read and those of allow taken.
 */
static enum store_err
filter_hosts(struct store *st, const struct report_query *q, struct filter *f)
{
	struct filter_job j = { st, f };
	enum store_err	 e;

	f->host = -1;
	f->allow = NULL;
	f->nallow = 0;
	f->nids = 0;
	if (q->host[0] == '\0' && q->node[0] == '\0')
		return STORE_OK;
	if ((e = st->ops->host_ids(st, q->host[0] != '\0' ? q->host : NULL,
	    q->node[0] != '\0' ? q->node : NULL, filter_add, &j)) != STORE_OK)
		return e;
	if (f->nids == 0)
		f->host = -2;
	else if (f->nids == 1) {
		free(f->allow);
		f->allow = NULL;
		f->nallow = 0;
	}
	return STORE_OK;
}

/* Everything of the report, inside one read transaction (store_tx). */
static enum store_err
report_tx(struct store *st, void *arg)
{
	const struct report_job		*job = arg;
	struct report			*rep = job->rep;
	const struct report_query	*q = &rep->q;
	const struct store_ops		*ops = st->ops;
	struct agg			 acc;
	struct tail			 tl;
	struct filter			 f;
	enum store_err			 e;
	int64_t				 wm, closed, ready;

	memset(&acc, 0, sizeof(acc));
	memset(&f, 0, sizeof(f));
	acc.st = st;
	if ((e = ops->meta_get(st, ROLLUP_WATERMARK, &wm)) != STORE_OK ||
	    (e = ops->meta_get(st, ROLLUP_CLOSED, &closed)) != STORE_OK ||
	    (e = ops->meta_get(st, CELL_SERIES_META, &ready)) != STORE_OK ||
	    (e = ops->prefix_max(st, &acc.max_prefix)) != STORE_OK ||
	    (e = ops->host_max(st, &acc.max_host)) != STORE_OK ||
	    (e = filter_hosts(st, q, &f)) != STORE_OK)
		goto out;
	f.how = q->how;
	acc.series = ready == 1;
	if (agg_room(&acc, acc.max_prefix, acc.max_host) == -1) {
		e = store_nomem(st);
		goto out;
	}
	tl.acc = &acc;
	tl.rep = rep;
	tl.prev_from = q->from - (q->to - q->from);
	if (tl.prev_from < 0)
		tl.prev_from = 0;
	if ((e = agg_period(&acc, rep, ADD_ALL, q->from, q->to, closed,
	    &f)) != STORE_OK ||
	    (e = agg_period(&acc, rep, ADD_PREV, tl.prev_from, q->from, closed,
	    &f)) != STORE_OK ||
	    (e = agg_series(&acc, rep, ADD_SERIES, closed, &f)) != STORE_OK ||
	    (e = ops->rows(st, wm, -1, tail_row, &tl)) != STORE_OK ||
	    (e = agg_probes(&acc, rep, closed, job->now, &tl, &f)) != STORE_OK ||
	    (e = agg_unique(&acc, rep)) != STORE_OK ||
	    (e = agg_top(&acc, rep, 0)) != STORE_OK ||
	    (e = agg_top(&acc, rep, 1)) != STORE_OK)
		goto out;
	if (agg_kinds(&acc, rep) == -1) {
		e = store_nomem(st);
		goto out;
	}
	if ((e = agg_hosts(&acc, rep)) != STORE_OK ||
	    (e = agg_lost(&acc, rep)) != STORE_OK)
		goto out;
	if (agg_readiness(&acc, rep) == -1) {
		e = store_nomem(st);
		goto out;
	}
	rep->ipv4 = acc.by_family[0];
	rep->ipv6 = acc.by_family[1];
	rep->total = rep->ipv4 + rep->ipv6;
	rep->prev_ipv4 = acc.prev[0];
	rep->prev_ipv6 = acc.prev[1];
out:
	free(f.allow);
	agg_free(&acc);
	return e;
}

enum store_err
aggregate_report(struct store *st, const struct report_query *q,
    struct report *rep)
{
	struct report_job job = { rep, (int64_t)time(NULL) };
	enum store_err	 e;
	uint64_t	 span, n;
	size_t		 i;

	memset(rep, 0, sizeof(*rep));
	rep->q = *q;
	if (q->bucket == 0)
		return store_failx(st, STORE_ERROR, "report: bucket is 0");
	/* from >= 0 keeps time - from and from + i * bucket inside int64. */
	if (q->from < 0 || q->to < q->from)
		return store_failx(st, STORE_ERROR, "report: bad period");
	/* Roll-ups count whole hours. */
	if (q->from % CELL_HOUR != 0 || q->to % CELL_HOUR != 0 ||
	    q->bucket % CELL_HOUR != 0)
		return store_failx(st, STORE_ERROR,
		    "report: period and bucket must be whole hours");
	if (q->how < -1 || q->how >= HOW__MAX)
		return store_failx(st, STORE_ERROR, "report: unknown measurement");
	if (memchr(q->host, '\0', sizeof(q->host)) == NULL)
		return store_failx(st, STORE_ERROR, "report: host too long");
	if (memchr(q->node, '\0', sizeof(q->node)) == NULL ||
	    (q->node[0] != '\0' && !row_node_valid(q->node)))
		return store_failx(st, STORE_ERROR, "report: bad node");
	span = (uint64_t)(q->to - q->from);
	n = span / q->bucket + (span % q->bucket != 0);
	if (n > SERIES_MAX)
		return store_failx(st, STORE_ERROR, "report: too many buckets");

	/* What came since the last upkeep; a reader adds it as it reads. */
	if (!(st->flags & STORE_READONLY_OPEN) &&
	    ((e = rollup_catchup(st)) != STORE_OK ||
	    (e = rollup_probes(st, job.now)) != STORE_OK) && e != STORE_BUSY)
		goto fail;
	if (n > 0) {
		if ((rep->series = calloc(n, sizeof(*rep->series))) == NULL ||
		    (rep->readiness.series = calloc(n,
		    sizeof(*rep->readiness.series))) == NULL) {
			e = store_nomem(st);
			goto fail;
		}
		rep->nseries = n;
		rep->readiness.nseries = n;
		for (i = 0; i < n; i++)
			rep->series[i].start = rep->readiness.series[i].start =
			    q->from + (int64_t)i * q->bucket;
	}
	/* One read transaction: every figure comes from the same snapshot. */
	if ((e = store_tx(st, STORE_TX_READ, report_tx, &job)) != STORE_OK)
		goto fail;
	return STORE_OK;
fail:
	store_context(st, e, "report");
	report_free(rep);
	return e;
}

struct count {
	int64_t		 first, last;	/* whole hours: [first, last] */
	uint64_t	 n[2];
};

static enum store_err
count_cell(void *arg, const struct cell_key *key, const void *blob, size_t len)
{
	struct count	*c = arg;

	c->n[key->family == 6] += cell_counts_total(blob, len);
	return STORE_OK;
}

/*
 * Hour cells and the raw rows above the watermark, in one read
 * transaction so no row is counted twice or missed by an upkeep in
 * between.
 */
static enum store_err
count_tx(struct store *st, void *arg)
{
	struct count	*c = arg;
	enum store_err	 e;
	int64_t		 wm;

	if ((e = st->ops->meta_get(st, ROLLUP_WATERMARK, &wm)) != STORE_OK ||
	    (e = st->ops->cells(st, STORE_COUNTS, 0, c->first, c->last, -1, -1,
	    count_cell, c)) != STORE_OK)
		return e;
	return st->ops->rows_count(st, wm, c->first, c->last, c->n);
}

enum store_err
aggregate_count(struct store *st, int64_t from, int64_t to, uint64_t *ipv4,
    uint64_t *ipv6)
{
	struct count	 c;
	enum store_err	 e;
	int64_t		 r;

	*ipv4 = *ipv6 = 0;
	if (to <= from)
		return STORE_OK;
	memset(&c, 0, sizeof(c));
	/* Widened to whole hours, the unit of a cell (see store.h). */
	c.first = from < INT64_MIN + CELL_HOUR ? INT64_MIN :
	    cell_start(from, CELL_HOUR);
	/* The last second before to rounded up; C rounds r toward zero. */
	r = to % CELL_HOUR;
	if (r == 0)
		c.last = to - 1;
	else if (r < 0)
		c.last = to - r - 1;
	else if (to > INT64_MAX - CELL_HOUR)
		c.last = INT64_MAX;
	else
		c.last = to - r + CELL_HOUR - 1;
	if ((e = store_tx(st, STORE_TX_READ, count_tx, &c)) != STORE_OK)
		return store_context(st, e, "count");
	*ipv4 = c.n[0];
	*ipv6 = c.n[1];
	return STORE_OK;
}
