/* rollup.c: the roll-up engine: raw rows into hour cells, finished days into longer cells, through the backend; no SQL. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cell.h"
#include "map.h"
#include "probe_cell.h"
#include "rollup.h"
#include "row.h"
#include "store_backend.h"

#define ROLLUP_BATCH		50000	/* raw rows per transaction */
#define ROLLUP_CLOSE_DAYS	32	/* days closed per upkeep */
#define ROLLUP_GRACE		600	/* a day closes this long after its end */
/* Cells written per call of the backend: bounds what one flush holds. */
#define FLUSH_CELLS		1024

/* A cell being built: its counts by code and its prefixes, in any order. */
struct cell {
	struct cell_key		 key;
	uint64_t		*counts;	/* the cellset's ncodes */
	struct cell_prefix	*prefixes;
	size_t			 nprefixes, prefixes_cap;
};

/* The cells a transaction changes, in the order met, found by key. */
struct cellset {
	struct cell	**v;
	size_t		 n, cap;
	size_t		 ncodes;	/* CELL_CODES, or PCELL_CODES for probe cells */
	struct map	 index;		/* packed key -> index in v */
};

/* Prefix and host ids met. */
struct rollup_ids {
	struct map	 prefix_ids;	/* family, kind, prefix -> id */
	struct map	 host_ids;	/* host NUL node -> id */
};

/*
 * What one roll-up transaction keeps: the ids met (its own, or ids kept
 * across transactions by rollup_add's caller), the cells.  Its cells are
 * request cells, or probe cells (probes: probe_cell.h), which the backend
 * keeps apart; the two are rolled up alike.
 */
struct roll {
	struct store		*st;
	bool			 probes;
	struct rollup_ids	 own;
	struct rollup_ids	*ids;	/* &own, or the caller's */
	struct cellset		 cells;
	bool			 replace;	/* cells written whole, not added to */
	/* The last row's ids: rows of one prefix often come together (tally.h). */
	const struct row	*last;
	int64_t			 last_pid, last_hid;
};

static void
cellset_free(struct cellset *cs)
{
	size_t	 i;

	for (i = 0; i < cs->n; i++) {
		free(cs->v[i]->prefixes);
		free(cs->v[i]->counts);
		free(cs->v[i]);
	}
	free(cs->v);
	map_free(&cs->index);
	memset(cs, 0, sizeof(*cs));
}

/* The cell of key, made empty when it is not in the set; NULL out of memory. */
static struct cell *
cellset_get(struct cellset *cs, const struct cell_key *key)
{
	unsigned char	 k[3 * sizeof(int) + 2 * sizeof(int64_t)], *p = k;
	struct cell	*c, **v;
	int64_t		*at;
	size_t		 cap;
	bool		 added;

	/* The fields alone, without the padding struct cell_key has. */
	memcpy(p, &key->level, sizeof(key->level));
	memcpy(p += sizeof(key->level), &key->start, sizeof(key->start));
	memcpy(p += sizeof(key->start), &key->family, sizeof(key->family));
	memcpy(p += sizeof(key->family), &key->host, sizeof(key->host));
	memcpy(p += sizeof(key->host), &key->how, sizeof(key->how));
	if ((at = map_get(&cs->index, k, sizeof(k))) != NULL)
		return cs->v[*at];
	if (cs->n == cs->cap) {
		cap = cs->cap == 0 ? 64 : cs->cap * 2;
		if ((v = reallocarray(cs->v, cap, sizeof(*v))) == NULL)
			return NULL;
		cs->v = v;
		cs->cap = cap;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->counts = calloc(cs->ncodes, sizeof(*c->counts))) == NULL ||
	    (at = map_put(&cs->index, k, sizeof(k), &added)) == NULL) {
		free(c->counts);
		free(c);
		return NULL;
	}
	c->key = *key;
	*at = (int64_t)cs->n;
	cs->v[cs->n++] = c;
	return c;
}

static int
cell_add_prefix(struct cell *c, int64_t id, uint64_t n)
{
	struct cell_prefix	*p;
	size_t			 cap;

	if (c->nprefixes == c->prefixes_cap) {
		cap = c->prefixes_cap == 0 ? 16 : c->prefixes_cap * 2;
		if ((p = reallocarray(c->prefixes, cap, sizeof(*p))) == NULL)
			return -1;
		c->prefixes = p;
		c->prefixes_cap = cap;
	}
	c->prefixes[c->nprefixes].id = id;
	c->prefixes[c->nprefixes++].n = n;
	return 0;
}

void
rollup_ids_forget(struct rollup_ids *ids)
{

	if (ids == NULL)
		return;
	map_free(&ids->prefix_ids);
	map_free(&ids->host_ids);
}

void
rollup_ids_free(struct rollup_ids *ids)
{

	rollup_ids_forget(ids);
	free(ids);
}

/* A roll of st, with ids of its own (NULL) or the caller's, of request or probe cells. */
static void
roll_init(struct roll *r, struct store *st, struct rollup_ids *ids, bool probes)
{

	memset(r, 0, sizeof(*r));
	r->st = st;
	r->ids = ids != NULL ? ids : &r->own;
	r->probes = probes;
	r->cells.ncodes = probes ? PCELL_CODES : CELL_CODES;
}

static void
roll_free(struct roll *r)
{

	rollup_ids_forget(&r->own);
	cellset_free(&r->cells);
}

/* The id of (prefix, family, kind), numbered on first sight. */
static enum store_err
roll_prefix(struct roll *r, const struct row *row, int64_t *id)
{
	const struct store_ops	*ops = r->st->ops;
	unsigned char		 key[2 + ADDR_PREFIX_MAX];
	size_t			 len = strlen(row->prefix);
	enum store_err		 e;
	int64_t			 first, *v;
	bool			 added;

	key[0] = (unsigned char)row->family;
	key[1] = (unsigned char)row->kind;
	memcpy(key + 2, row->prefix, len);
	if ((v = map_get(&r->ids->prefix_ids, key, 2 + len)) != NULL) {
		*id = *v;
		return STORE_OK;
	}
	/*
	 * The network's first id, of any kind, first: none means a new
	 * network (an import of new traffic meets tens of thousands), added
	 * in one statement more rather than two.  A network seen under
	 * another kind already: its first id is the alias.
	 */
	if ((e = ops->prefix_first(r->st, row->prefix, row->family,
	    &first)) != STORE_OK)
		return e;
	*id = 0;
	if (first != 0 && (e = ops->prefix_find(r->st, row->prefix, row->family,
	    row->kind, id)) != STORE_OK)
		return e;
	if (*id == 0 && (e = ops->prefix_add(r->st, row->prefix, row->family,
	    row->kind, first, id)) != STORE_OK)
		return e;
	if ((v = map_put(&r->ids->prefix_ids, key, 2 + len, &added)) == NULL)
		return store_nomem(r->st);
	*v = *id;
	return STORE_OK;
}

/*
 * The id of a (host, node) pair (host "" for none, node "" for not
 * known), numbered on first sight.
 */
static enum store_err
roll_host(struct roll *r, const char *host, const char *node, int64_t *id)
{
	const struct store_ops	*ops = r->st->ops;
	unsigned char		 key[ROW_HOST_MAX + ROW_NODE_MAX + 2];
	char			 cut[ROW_HOST_MAX + 1];
	enum store_err		 e;
	int64_t			*v;
	size_t			 hl, nl;
	bool			 added;

	if (node == NULL)
		node = "";
	/* As a row keeps them (row_host_len): the key is the host and node, NUL between. */
	hl = row_host_len(host);
	nl = strnlen(node, ROW_NODE_MAX);
	memcpy(cut, host, hl);
	cut[hl] = '\0';
	memcpy(key, cut, hl + 1);
	memcpy(key + hl + 1, node, nl);
	if ((v = map_get(&r->ids->host_ids, key, hl + 1 + nl)) != NULL) {
		*id = *v;
		return STORE_OK;
	}
	if ((e = ops->host_find(r->st, cut, node, id)) != STORE_OK ||
	    (*id == 0 && (e = ops->host_add(r->st, cut, node, id)) != STORE_OK))
		return e;
	if ((v = map_put(&r->ids->host_ids, key, hl + 1 + nl, &added)) == NULL)
		return store_nomem(r->st);
	*v = *id;
	return STORE_OK;
}

/* The cells [from, ...) of a roll, as cells_get's callback numbers them from 0. */
struct merge {
	struct roll	*roll;
	size_t		 from;
};

/* What is in the database for a changed cell, added to what the roll made. */
static enum store_err
flush_merge(void *arg, size_t i, const void *counts, size_t counts_len,
    const void *prefixes, size_t prefixes_len)
{
	const struct merge	*m = arg;
	struct cell		*c = m->roll->cells.v[m->from + i];

	(void)cell_counts_addn(counts, counts_len, c->counts, m->roll->cells.ncodes);
	if (cell_prefixes_read(prefixes, prefixes_len, &c->prefixes, &c->nprefixes,
	    &c->prefixes_cap) == -1)
		return store_nomem(m->roll->st);
	return STORE_OK;
}

/* Cells [from, to) of the set: merged with what the database holds, written. */
static enum store_err
flush_some(struct roll *r, size_t from, size_t to, struct buf *b,
    struct cell_key *keys, struct store_cell *out, size_t *offs)
{
	const struct store_ops	*ops = r->st->ops;
	struct merge		 m = { r, from };
	struct cell		*c;
	enum store_err		 e;
	size_t			 i, k, n = to - from;

	for (i = 0; i < n; i++)
		keys[i] = r->cells.v[from + i]->key;
	if (!r->replace && (e = (r->probes ? ops->pcells_get :
	    ops->cells_get)(r->st, keys, n, flush_merge, &m)) != STORE_OK)
		return e;
	/* Every blob first, then pointers into the buffer, which no longer moves. */
	buf_reset(b);
	for (i = 0; i < n; i++) {
		c = r->cells.v[from + i];
		offs[2 * i] = b->len;
		cell_counts_putn(b, c->counts, r->cells.ncodes);
		offs[2 * i + 1] = b->len;
		cell_prefixes_put(b, c->prefixes, c->nprefixes);
	}
	if (b->failed)
		return store_nomem(r->st);
	for (i = 0; i < n; i++) {
		k = 2 * i;
		out[i].key = keys[i];
		out[i].counts = b->data + offs[k];
		out[i].counts_len = offs[k + 1] - offs[k];
		out[i].prefixes = b->data + offs[k + 1];
		out[i].prefixes_len = (i + 1 < n ? offs[k + 2] : b->len) -
		    offs[k + 1];
	}
	return (r->probes ? ops->pcells_put : ops->cells_put)(r->st, out, n);
}

/* Add every changed cell to what the database holds for it. */
static enum store_err
roll_flush(struct roll *r)
{
	struct cell_key		*keys;
	struct store_cell	*out;
	struct buf		 b = { 0 };
	size_t			*offs, i, n = r->cells.n, chunk;
	enum store_err		 e = STORE_OK;

	chunk = n < FLUSH_CELLS ? n : FLUSH_CELLS;
	if (chunk == 0)
		return STORE_OK;
	keys = calloc(chunk, sizeof(*keys));
	out = calloc(chunk, sizeof(*out));
	offs = calloc(2 * chunk, sizeof(*offs));
	if (keys == NULL || out == NULL || offs == NULL)
		e = store_nomem(r->st);
	for (i = 0; i < n && e == STORE_OK; i += chunk)
		e = flush_some(r, i, i + chunk < n ? i + chunk : n, &b, keys,
		    out, offs);
	buf_free(&b);
	free(keys);
	free(out);
	free(offs);
	return e;
}

/* Every cell of a level added to its series cell (cell.h). */
static enum store_err
series_sum(void *arg, const struct cell_key *key, const void *blob, size_t len)
{
	struct roll	*r = arg;
	struct cell_key	 skey = *key;
	struct cell	*c;
	int		 code;

	if (r->probes) {
		if (key->how < 0 || key->how >= PCELL_SLOTS)
			return STORE_OK;	/* not a slot of ours */
		code = key->how;
	} else
		code = cell_series_code(key->how, key->family);
	skey.level = CELL_SERIES_LEVEL + key->level;
	skey.family = 0;
	skey.how = 0;
	if ((c = cellset_get(&r->cells, &skey)) == NULL)
		return store_nomem(r->st);
	c->counts[code] += cell_counts_total(blob, len);
	return STORE_OK;
}

/* The series cells of every request cell or every probe cell, written whole. */
static enum store_err
series_build(struct store *st, bool probes)
{
	struct roll	 r;
	enum store_err	 e = STORE_OK;
	int		 lv;

	roll_init(&r, st, NULL, probes);
	r.replace = true;
	/* A series cell's codes: ways and families, or slots. */
	r.cells.ncodes = probes ? PCELL_SLOTS : CELL_SERIES_CODES;
	for (lv = 0; lv < CELL_LEVELS && e == STORE_OK; lv++)
		e = (probes ? st->ops->pcells : st->ops->cells)(st, STORE_COUNTS,
		    lv, 0, INT64_MAX, -1, -1, series_sum, &r);
	if (e == STORE_OK)
		e = roll_flush(&r);
	roll_free(&r);
	return e;
}

/*
 * In a write transaction, before any cell is written: a database whose
 * cells have no series cells yet (CELL_SERIES_META 0: made before they
 * existed) gets them all, summed from its cells and written whole (what a
 * writer added to a series cell before is replaced), so that a report may
 * read them from now on.
 */
static enum store_err
series_ready(struct store *st)
{
	enum store_err	 e;
	int64_t		 ready;

	if ((e = st->ops->meta_get(st, CELL_SERIES_META, &ready)) != STORE_OK ||
	    ready != 0)
		return e;
	if ((e = series_build(st, false)) != STORE_OK ||
	    (e = series_build(st, true)) != STORE_OK)
		return e;
	return st->ops->meta_set(st, CELL_SERIES_META, 1);
}

/* One roll-up transaction over the rows above the watermark. */
struct rows_job {
	struct roll	 roll;
	int64_t		 limit;
	int64_t		 closed;	/* meta ROLLUP_CLOSED */
	int64_t		 done;		/* rows rolled up */
	int64_t		 last;		/* the id of the last */
};

/*
 * A row counted n times into the cells of the roll: its hour, and the
 * longer cells of the days closed by then (meta ROLLUP_CLOSED).
 */
static enum store_err
roll_one(struct roll *r, int64_t closed, const struct row *row, uint64_t n)
{
	struct cell_key	 key, skey;
	struct cell	*c, *sc;
	enum store_err	 e;
	int64_t		 pid, hid, span;
	int		 lv, code;

	if (r->last != NULL && r->last->family == row->family &&
	    r->last->kind == row->kind &&
	    strcmp(r->last->prefix, row->prefix) == 0)
		pid = r->last_pid;
	else if ((e = roll_prefix(r, row, &pid)) != STORE_OK)
		return e;
	if (r->last != NULL && (r->last->host == row->host ||
	    (r->last->host != NULL && row->host != NULL &&
	    strcmp(r->last->host, row->host) == 0)) &&
	    (r->last->node == row->node ||
	    (r->last->node != NULL && row->node != NULL &&
	    strcmp(r->last->node, row->node) == 0)))
		hid = r->last_hid;
	else if ((e = roll_host(r, row->host != NULL ? row->host : "",
	    row->node, &hid)) != STORE_OK)
		return e;
	code = cell_code((int)row->kind, row->mapped, row->server_family);
	key.family = row->family;
	key.host = hid;
	key.how = (int)row->how;
	/* Each cell's series cell (cell.h): every family and way, by way and family. */
	skey.family = 0;
	skey.host = hid;
	skey.how = 0;
	for (lv = 0; lv < CELL_LEVELS; lv++) {
		span = cell_span[lv];
		key.level = lv;
		key.start = cell_start(row->time, span);
		skey.level = CELL_SERIES_LEVEL + lv;
		skey.start = key.start;
		/* Longer cells of open days are built when they close. */
		if (lv > 0 && key.start + span > closed)
			break;
		if ((c = cellset_get(&r->cells, &key)) == NULL ||
		    cell_add_prefix(c, pid, n) == -1 ||
		    (sc = cellset_get(&r->cells, &skey)) == NULL)
			return store_nomem(r->st);
		c->counts[code] += n;
		sc->counts[cell_series_code(key.how, key.family)] += n;
	}
	/* rows_tx's rows live only during the callback: only the caller's stay. */
	if (r->ids != &r->own) {
		r->last = row;
		r->last_pid = pid;
		r->last_hid = hid;
	}
	return STORE_OK;
}

static enum store_err
roll_row(void *arg, int64_t id, const struct row *row)
{
	struct rows_job	*j = arg;
	enum store_err	 e;

	if ((e = roll_one(&j->roll, j->closed, row, 1)) != STORE_OK)
		return e;
	j->done++;
	j->last = id;
	return STORE_OK;
}

static enum store_err
rows_tx(struct store *st, void *arg)
{
	struct rows_job	*j = arg;
	enum store_err	 e;
	int64_t		 wm;

	/* Read again under the write lock: whoever took it first rolled up. */
	if ((e = series_ready(st)) != STORE_OK ||
	    (e = st->ops->meta_get(st, ROLLUP_WATERMARK, &wm)) != STORE_OK ||
	    (e = st->ops->meta_get(st, ROLLUP_CLOSED, &j->closed)) != STORE_OK ||
	    (e = st->ops->rows(st, wm, j->limit, roll_row, j)) != STORE_OK)
		return e;
	if (j->done > 0 &&
	    ((e = roll_flush(&j->roll)) != STORE_OK ||
	    (e = st->ops->meta_set(st, ROLLUP_WATERMARK, j->last)) != STORE_OK))
		return e;
	return STORE_OK;
}

/*
 * Roll up at most limit raw rows above the watermark in one transaction;
 * *done says how many went.
 */
static enum store_err
rollup_rows(struct store *st, int64_t limit, int64_t *done)
{
	struct rows_job	 j;
	enum store_err	 e;

	memset(&j, 0, sizeof(j));
	roll_init(&j.roll, st, NULL, false);
	j.limit = limit;
	e = store_tx(st, STORE_TX_WRITE, rows_tx, &j);
	*done = e == STORE_OK ? j.done : 0;
	roll_free(&j.roll);
	return e;
}

/*
 * One transaction over the probes that came back or expired: counted in
 * probe cells, then deleted (probe_cell.h).
 */
struct probes_job {
	struct roll	 roll;
	int64_t		 now, limit;
	int64_t		 closed;	/* meta ROLLUP_CLOSED */
	int64_t		 done;		/* probes counted */
	int64_t		 last;		/* the id of the last */
};

static enum store_err
roll_probe(void *arg, int64_t id, const struct probe_row *p)
{
	struct probes_job	*j = arg;
	struct row		 row;
	struct cell_key		 key, skey;
	struct cell		*c, *sc;
	enum store_err		 e;
	int64_t			 pid, hid, span;
	int			 lv, k, n = 1, slot[2], code[2];
	bool			 lost = p->start.probe == PROBE_V6 &&
				    !probe_family_fits(PROBE_V6, p->back_family);

	/* The start's network, numbered as a request's would be. */
	memset(&row, 0, sizeof(row));
	row.family = p->start.family;
	row.kind = p->start.kind;
	memcpy(row.prefix, p->start.prefix, sizeof(row.prefix));
	if ((e = roll_prefix(&j->roll, &row, &pid)) != STORE_OK ||
	    (e = roll_host(&j->roll, p->start.host != NULL ? p->start.host : "",
	    p->start.node, &hid)) != STORE_OK)
		return e;
	slot[0] = pcell_slot(p->start.probe, PCELL_STARTED);
	code[0] = pcell_code((int)p->start.kind, p->start.mapped, 0, 0);
	if (p->back_family != 0) {
		slot[1] = pcell_slot(p->start.probe,
		    pcell_phase_of(p->start.probe, p->back_family));
		code[1] = pcell_code((int)p->start.kind, p->start.mapped,
		    p->back_family, (int)p->back_kind);
		n = 2;
	}
	key.family = p->start.family;
	key.host = hid;
	/* Each cell's series cell (cell.h, probe_cell.h): every family, by slot. */
	skey.family = 0;
	skey.host = hid;
	skey.how = 0;
	for (k = 0; k < n; k++) {
		key.how = slot[k];
		for (lv = 0; lv < CELL_LEVELS; lv++) {
			span = cell_span[lv];
			key.level = lv;
			key.start = cell_start(p->start.time, span);
			skey.level = CELL_SERIES_LEVEL + lv;
			skey.start = key.start;
			/* As a request's: longer cells of open days come when they close. */
			if (lv > 0 && key.start + span > j->closed)
				break;
			/*
			 * Prefixes only where the report reads them: the v6
			 * probe's starts that did not come back (the networks
			 * an IPv6-only site would lose), one blob per cell.
			 */
			if ((c = cellset_get(&j->roll.cells, &key)) == NULL ||
			    (k == 0 && lost && cell_add_prefix(c, pid, 1) == -1) ||
			    (sc = cellset_get(&j->roll.cells, &skey)) == NULL)
				return store_nomem(j->roll.st);
			c->counts[code[k]]++;
			sc->counts[slot[k]]++;
		}
	}
	j->done++;
	j->last = id;
	return STORE_OK;
}

static enum store_err
probes_tx(struct store *st, void *arg)
{
	struct probes_job	*j = arg;
	enum store_err		 e;
	uint64_t		 deleted;

	if ((e = series_ready(st)) != STORE_OK ||
	    (e = st->ops->meta_get(st, ROLLUP_CLOSED, &j->closed)) != STORE_OK ||
	    (e = st->ops->probe_rows(st, j->now, j->limit, roll_probe,
	    j)) != STORE_OK)
		return e;
	if (j->done == 0)
		return STORE_OK;
	/* Under the same write lock: exactly the starts just counted go. */
	if ((e = roll_flush(&j->roll)) != STORE_OK ||
	    (e = st->ops->probe_delete(st, j->last, j->now, &deleted)) != STORE_OK)
		return e;
	if (deleted != (uint64_t)j->done)
		return store_failx(st, STORE_ERROR, "%ju probes counted, %ju "
		    "deleted", (uintmax_t)j->done, (uintmax_t)deleted);
	return STORE_OK;
}

/* Count at most limit resolved probes in one transaction; *done how many. */
static enum store_err
rollup_probe_batch(struct store *st, int64_t now, int64_t limit, int64_t *done)
{
	struct probes_job	 j;
	enum store_err		 e;

	memset(&j, 0, sizeof(j));
	roll_init(&j.roll, st, NULL, true);
	j.now = now;
	j.limit = limit;
	e = store_tx(st, STORE_TX_WRITE, probes_tx, &j);
	*done = e == STORE_OK ? j.done : 0;
	roll_free(&j.roll);
	return e;
}

enum store_err
rollup_probes(struct store *st, int64_t now)
{
	enum store_err	 e;
	int64_t		 done;

	do {
		if ((e = rollup_probe_batch(st, now, ROLLUP_BATCH, &done)) != STORE_OK)
			return e;
	} while (done == ROLLUP_BATCH);
	return STORE_OK;
}

/* Building the cells of one unit of a level from the cells one level down. */
struct build_job {
	struct roll	 roll;
	int		 level;
	int64_t		 start;
};

static enum store_err
build_cell(void *arg, const struct cell_key *below, const void *blob,
    size_t len, bool prefixes)
{
	struct build_job	*j = arg;
	struct cell_key		 key = *below;
	struct cell		*c;

	key.level = j->level;
	key.start = j->start;
	if ((c = cellset_get(&j->roll.cells, &key)) == NULL)
		return store_nomem(j->roll.st);
	if (!prefixes)
		(void)cell_counts_addn(blob, len, c->counts, j->roll.cells.ncodes);
	else if (cell_prefixes_read(blob, len, &c->prefixes, &c->nprefixes,
	    &c->prefixes_cap) == -1)
		return store_nomem(j->roll.st);
	return STORE_OK;
}

static enum store_err
build_counts(void *arg, const struct cell_key *below, const void *blob, size_t len)
{

	return build_cell(arg, below, blob, len, false);
}

static enum store_err
build_prefixes(void *arg, const struct cell_key *below, const void *blob,
    size_t len)
{

	return build_cell(arg, below, blob, len, true);
}

/*
 * Build the level base + lv cells of [a, b) from the cells one level
 * down, of one kind (base: 0, or CELL_SERIES_LEVEL for series cells).
 */
static enum store_err
build_some(struct store *st, bool probes, int base, int lv, int64_t a,
    int64_t b)
{
	const struct store_ops	*ops = st->ops;
	struct build_job	 j;
	enum store_err		 e;

	memset(&j, 0, sizeof(j));
	roll_init(&j.roll, st, NULL, probes);
	j.level = base + lv;
	j.start = a;
	if ((e = (probes ? ops->pcells : ops->cells)(st, STORE_COUNTS,
	    base + lv - 1, a, b - 1, -1, -1, build_counts, &j)) == STORE_OK &&
	    (e = (probes ? ops->pcells : ops->cells)(st, STORE_PREFIXES,
	    base + lv - 1, a, b - 1, -1, -1, build_prefixes, &j)) == STORE_OK)
		e = roll_flush(&j.roll);
	roll_free(&j.roll);
	return e;
}

/* The request cells, the probe cells and the series cells of both of level lv in [a, b). */
static enum store_err
rollup_build(struct store *st, int lv, int64_t a, int64_t b)
{
	enum store_err	 e;

	if ((e = build_some(st, false, 0, lv, a, b)) != STORE_OK ||
	    (e = build_some(st, true, 0, lv, a, b)) != STORE_OK)
		return e;
	if ((e = build_some(st, false, CELL_SERIES_LEVEL, lv, a, b)) != STORE_OK)
		return e;
	return build_some(st, true, CELL_SERIES_LEVEL, lv, a, b);
}

struct close_job {
	int64_t	 now;
	int	 maxdays;
	int	 closed;	/* days closed */
};

/*
 * Close the days that ended ROLLUP_GRACE before now, at most maxdays:
 * build their day cells, and the longer cells that end with them.
 */
static enum store_err
close_tx(struct store *st, void *arg)
{
	struct close_job	*j = arg;
	enum store_err		 e;
	int64_t			 closed, first, pfirst, end;
	bool			 found, pfound;
	int			 lv, n = 0;

	if ((e = series_ready(st)) != STORE_OK ||
	    (e = st->ops->meta_get(st, ROLLUP_CLOSED, &closed)) != STORE_OK)
		return e;
	if (closed == 0) {
		/* Nothing before the first hour cell, of requests or probes: start there. */
		if ((e = st->ops->cells_first(st, 0, &first, &found)) != STORE_OK ||
		    (e = st->ops->pcells_first(st, 0, &pfirst, &pfound)) != STORE_OK)
			return e;
		if (!found && !pfound)
			return STORE_OK;
		if (!found || (pfound && pfirst < first))
			first = pfirst;
		closed = cell_start(first, CELL_DAY);
	}
	for (; n < j->maxdays && closed + CELL_DAY + ROLLUP_GRACE <= j->now; n++) {
		end = closed + CELL_DAY;
		for (lv = 1; lv < CELL_LEVELS && end % cell_span[lv] == 0; lv++)
			if ((e = rollup_build(st, lv, end - cell_span[lv],
			    end)) != STORE_OK)
				return e;
		closed = end;
	}
	if ((e = st->ops->meta_set(st, ROLLUP_CLOSED, closed)) != STORE_OK)
		return e;
	j->closed = n;
	return STORE_OK;
}

static enum store_err
rollup_close(struct store *st, int64_t now, int maxdays, int *closed_days)
{
	struct close_job	 j = { now, maxdays, 0 };
	enum store_err		 e;

	e = store_tx(st, STORE_TX_WRITE, close_tx, &j);
	*closed_days = e == STORE_OK ? j.closed : 0;
	return e;
}

enum store_err
rollup_catchup(struct store *st)
{
	enum store_err	 e;
	int64_t		 done;

	do {
		if ((e = rollup_rows(st, ROLLUP_BATCH, &done)) != STORE_OK)
			return e;
	} while (done == ROLLUP_BATCH);
	return STORE_OK;
}

enum store_err
rollup_all(struct store *st, int64_t now)
{
	enum store_err	 e;
	int		 n;

	if ((e = rollup_catchup(st)) != STORE_OK ||
	    (e = rollup_probes(st, now)) != STORE_OK)
		return e;
	do {
		if ((e = rollup_close(st, now, ROLLUP_CLOSE_DAYS, &n)) != STORE_OK)
			return e;
	} while (n == ROLLUP_CLOSE_DAYS);
	return STORE_OK;
}

enum store_err
rollup_upkeep_step(struct store *st, int64_t now, int64_t batch, bool *more)
{
	enum store_err	 e;
	int64_t		 done, pdone;
	int		 n;

	*more = false;
	if ((e = rollup_rows(st, batch, &done)) != STORE_OK)
		return store_context(st, e, "roll up");
	if ((e = rollup_probe_batch(st, now, batch, &pdone)) != STORE_OK)
		return store_context(st, e, "count probes");
	/* Closing a day with its rows still to come would rewrite long cells. */
	if (done == batch || pdone == batch) {
		*more = true;
		return STORE_OK;
	}
	if ((e = rollup_close(st, now, ROLLUP_CLOSE_DAYS, &n)) != STORE_OK)
		return store_context(st, e, "close days");
	*more = n == ROLLUP_CLOSE_DAYS;
	return STORE_OK;
}

enum store_err
rollup_upkeep(struct store *st, int64_t now)
{
	bool	 more;

	return rollup_upkeep_step(st, now, ROLLUP_BATCH, &more);
}

struct claim {
	int64_t	 now, every;
	bool	 claimed;
};

/* Of processes racing here, one writes the new time. */
static enum store_err
claim_tx(struct store *st, void *arg)
{
	struct claim	*c = arg;
	enum store_err	 e;
	int64_t		 at;

	if ((e = st->ops->meta_get(st, ROLLUP_UPKEEP_AT, &at)) != STORE_OK)
		return e;
	if (c->now - at < c->every && c->now >= at)
		return STORE_OK;
	if ((e = st->ops->meta_set(st, ROLLUP_UPKEEP_AT, c->now)) != STORE_OK)
		return e;
	c->claimed = true;
	return STORE_OK;
}

enum store_err
rollup_upkeep_shared(struct store *st, int64_t now, int64_t every, bool *ran)
{
	struct claim	 c = { now, every, false };
	enum store_err	 e;
	int64_t		 at;

	*ran = false;
	/* Read first, outside a transaction: most calls stop here, cheaply. */
	if ((e = st->ops->meta_get(st, ROLLUP_UPKEEP_AT, &at)) != STORE_OK)
		return store_context(st, e, "upkeep time");
	if (now - at < every && now >= at)
		return STORE_OK;
	if ((e = store_tx(st, STORE_TX_WRITE, claim_tx, &c)) != STORE_OK)
		return store_context(st, e, "upkeep claim");
	if (!c.claimed)
		return STORE_OK;
	*ran = true;
	return rollup_upkeep(st, now);
}

/* ---- Rows straight into cells, counted (imports: store_add_counted) ---- */

struct rollup_ids *
rollup_ids_new(void)
{

	return calloc(1, sizeof(struct rollup_ids));
}

enum store_err
rollup_add(struct store *st, struct rollup_ids *ids, const struct row *rows,
    const uint64_t *counts, size_t n)
{
	struct roll	 r;
	enum store_err	 e;
	int64_t		 closed;
	size_t		 i;

	/*
	 * In the caller's write transaction: the days closed, read under
	 * its lock, say which longer cells exist to add to, as for a late
	 * raw row.
	 */
	if ((e = st->ops->meta_get(st, ROLLUP_CLOSED, &closed)) != STORE_OK)
		return e;
	roll_init(&r, st, ids, false);
	for (i = 0; i < n && e == STORE_OK; i++)
		if (counts[i] > 0)
			e = roll_one(&r, closed, &rows[i], counts[i]);
	if (e == STORE_OK)
		e = roll_flush(&r);
	roll_free(&r);
	return e;
}
