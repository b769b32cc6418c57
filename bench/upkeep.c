/* upkeep.c: how long one upkeep (store_maintain) holds the write lock, by number of prefixes. */
#include "autoconf.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store.h"

#include "bench-clock.h"

#define ROWS	200000	/* 10 s of rows at 20,000 requests a second */

/*
 * usage: upkeep DB_PATH.  For 1, 1,000 and 20,000 distinct /48 prefixes:
 * a fresh database, ROWS beacon rows of this hour written in batches of
 * 100, then store_maintain until nothing is left, and again with
 * store_maintain_step; each call is one transaction that holds SQLite's
 * write lock for the time printed.
 */
/* A fresh database at path with ROWS beacon rows of this hour over nprefixes /48s. */
static struct store *
fill(const char *path, int nprefixes, int64_t now)
{
	struct row		 rows[100];
	struct store		*st;
	char			 err[256], name[4096];
	size_t			 i, k;

	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "%s%s", path,
		    i == 0 ? "" : i == 1 ? "-wal" : "-shm");
		unlink(name);
	}
	if (store_open(&st, path, 0, 1000, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "upkeep: %s\n", err);
		exit(1);
	}
	(void)store_maintain(st, now);
	for (k = 0; k < ROWS; k += 100) {
		for (i = 0; i < 100; i++) {
			memset(&rows[i], 0, sizeof(rows[i]));
			rows[i].time = now;
			rows[i].family = 6;
			rows[i].kind = KIND_GLOBAL;
			snprintf(rows[i].prefix, sizeof(rows[i].prefix),
			    "2001:db8:%x::/48", (unsigned)((k + i) % (size_t)nprefixes));
			rows[i].server_family = 6;
			rows[i].host = "example.org";
			rows[i].how = HOW_BEACON;
		}
		if (store_record_batch(st, rows, 100, NULL, 0) != STORE_OK) {
			fprintf(stderr, "upkeep: %s\n", store_errmsg(st));
			exit(1);
		}
	}
	return st;
}

int
main(int argc, char *argv[])
{
	static const int	 prefixes[] = { 1, 1000, 20000 };
	struct store		*st;
	int64_t			 now = (int64_t)time(NULL);
	double			 t, ms, most;
	size_t			 p, calls;
	bool			 more, step;

	if (argc != 2) {
		fprintf(stderr, "usage: upkeep DB_PATH\n");
		return 2;
	}
	printf("| prefixes | rows | calls | ms per call (mean) | longest ms |\n");
	printf("|---|---:|---:|---:|---:|\n");
	for (p = 0; p < sizeof(prefixes) / sizeof(prefixes[0]); p++) {
		/*
		 * store_maintain (a batch of 50 000 a call: the command line, and
		 * what serve's workers took whole before), then store_maintain_step
		 * (5 000: what they take now, letting commits in between).  Until a
		 * call finds nothing left: the last one only closes days.
		 */
		for (step = false; ; step = true) {
			st = fill(argv[1], prefixes[p], now);
			calls = 0;
			ms = most = 0;
			for (;;) {
				more = false;
				t = bench_seconds();
				if ((step ? store_maintain_step(st, now, &more) :
				    store_maintain(st, now)) != STORE_OK) {
					fprintf(stderr, "upkeep: %s\n", store_errmsg(st));
					return 1;
				}
				t = (bench_seconds() - t) * 1000;
				if (step ? !more : t < 1)
					break;
				calls++;
				ms += t;
				if (t > most)
					most = t;
			}
			printf("| %d, %s | %d | %zu | %.1f | %.1f |\n", prefixes[p],
			    step ? "steps" : "whole batches", ROWS, calls,
			    calls > 0 ? ms / (double)calls : 0.0, most);
			store_close(st);
			if (step)
				break;
		}
	}
	return 0;
}
