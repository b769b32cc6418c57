/* rollup.h: the roll-up engine: raw rows folded into cells of an hour, a day, 8 and 64 days; no SQL. */
#ifndef DUALSTAT_ROLLUP_H
#define DUALSTAT_ROLLUP_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

/*
 * Recording stays one raw row per request.  The engine folds the raw rows
 * above the watermark (meta ROLLUP_WATERMARK: the last id rolled up) into
 * hour cells, a batch of rows per write transaction, the watermark
 * moved in the same transaction: a row is rolled up exactly once whoever
 * does it.  Longer cells are built once, when a day is over (meta
 * ROLLUP_CLOSED: every cell longer than an hour that ends at or before it
 * exists), from the cells one level down; a late row for a closed day
 * goes into its longer cells too.  The cells are described in cell.h;
 * the engine reaches them through the backend (store_backend.h).
 *
 * Each call answers STORE_OK or the failure, errmsg set.
 */
#define ROLLUP_WATERMARK	"rollup_id"
#define ROLLUP_CLOSED		"rollup_closed"
#define ROLLUP_UPKEEP_AT	"upkeep_at"	/* CGI processes' shared upkeep */

/* Every raw row above the watermark, one batch per transaction (message without context). */
enum store_err	 rollup_catchup(struct store *);
/* store_maintain(): one batch, then days closed when the rows are all in. */
enum store_err	 rollup_upkeep(struct store *, int64_t now);
/*
 * store_maintain_step(): the same with batch rows and probes at most;
 * *more when there is more to do (a whole batch was taken, or as many
 * days closed as one call closes).
 */
enum store_err	 rollup_upkeep_step(struct store *, int64_t now, int64_t batch,
		    bool *more);
/* store_maintain_shared(): the same, at most every `every` seconds among processes. */
enum store_err	 rollup_upkeep_shared(struct store *, int64_t now, int64_t every,
		    bool *ran);
/*
 * Readiness probes (store.h) that came back, or whose time ran out by
 * now, counted in probe cells the way rows are in request cells, and
 * deleted in the same transaction; every one of them, a batch per
 * transaction (message without context).  rollup_upkeep does a batch.
 */
enum store_err	 rollup_probes(struct store *, int64_t now);
/* Every raw row and probe, then every finished day (message without context). */
enum store_err	 rollup_all(struct store *, int64_t now);

/*
 * Rows that are never raw rows (dualstat import and ingest: store.h's
 * store_add_counted): row i counted counts[i] times, added in the
 * caller's write transaction to its hour cell and to the longer cells of
 * the days already closed, exactly as rolling up counts[i] raw rows of
 * it would.  The prefix and host ids met are kept in ids, across
 * transactions, so a long import looks each up once: after a transaction
 * that failed, rollup_ids_forget() (ids it numbered are not in the
 * database).  ids NULL: a set of its own for this call.
 */
struct rollup_ids;

struct rollup_ids	*rollup_ids_new(void);		/* NULL out of memory */
void			 rollup_ids_forget(struct rollup_ids *);	/* empty again; NULL ok */
void			 rollup_ids_free(struct rollup_ids *);	/* NULL ok */
enum store_err		 rollup_add(struct store *, struct rollup_ids *ids,
			    const struct row *rows, const uint64_t *counts, size_t n);

#endif
