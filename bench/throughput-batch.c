/* throughput-batch.c: what a row costs in one process: one commit per row, or n rows per commit. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store.h"

#include "bench-clock.h"

#define ROWS	20000

/*
 * usage: throughput-batch DB_PATH.  The database is created (removed
 * first); rows are the shape the beacon writes.  Batch 0 is store_record
 * (autocommit); n > 0 is store_record_batch with a marker, as the
 * recorder's leader writes them.
 */
int
main(int argc, char *argv[])
{
	static const size_t	 sizes[] = { 0, 1, 2, 4, 8, 16, 32 };
	struct row		 rows[32];
	struct store		*st;
	char			 err[256];
	size_t			 i, k, done;
	double			 t;

	if (argc != 2) {
		fprintf(stderr, "usage: throughput-batch DB_PATH\n");
		return 2;
	}
	unlink(argv[1]);
	if (store_open(&st, argv[1], 0, 1000, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "throughput-batch: %s\n", err);
		return 1;
	}
	memset(rows, 0, sizeof(rows));
	for (i = 0; i < 32; i++) {
		rows[i].time = (int64_t)time(NULL);
		rows[i].family = 6;
		rows[i].kind = KIND_DOCUMENTATION;
		snprintf(rows[i].prefix, sizeof(rows[i].prefix), "2001:db8:1::/48");
		rows[i].server_family = 6;
		rows[i].host = "www.example.org";
		rows[i].how = HOW_BEACON;
	}
	printf("| rows per commit | rows/s | us per row |\n|---:|---:|---:|\n");
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		t = bench_seconds();
		for (done = 0; done < ROWS; done += sizes[k] ? sizes[k] : 1) {
			if ((sizes[k] == 0 ? store_record(st, rows) :
			    store_record_batch(st, rows, sizes[k], "bench",
			    (int64_t)done)) != STORE_OK) {
				fprintf(stderr, "throughput-batch: %s\n", store_errmsg(st));
				return 1;
			}
		}
		t = bench_seconds() - t;
		if (sizes[k] == 0)
			printf("| 1, autocommit (store_record) | %.0f | %.1f |\n",
			    ROWS / t, t / ROWS * 1e6);
		else
			printf("| %zu (store_record_batch) | %.0f | %.1f |\n",
			    sizes[k], ROWS / t, t / ROWS * 1e6);
	}
	store_close(st);
	return 0;
}
