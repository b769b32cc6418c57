/* commit-cpu.c: what one group commit costs the database server's processes in CPU, and the client. */
#include "autoconf.h"

#include <sys/resource.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store.h"

#include "bench-clock.h"

#define ROWS_MAX	64
#define WARMUP		200	/* commits before the measure: prepared, plans cached */

/*
 * utime + stime in seconds of process ppid, of the children it has
 * reaped, and of its children alive now (a PostgreSQL postmaster: its
 * backends and background workers).  -1 when /proc cannot be read.
 */
static double
tree_cpu(long ppid)
{
	struct dirent	*e;
	DIR		*d;
	FILE		*f;
	char		 path[64], line[1024], *p;
	unsigned long	 ut, st, cut, cst;
	long		 pid, pp;
	double		 s = 0, tck = (double)sysconf(_SC_CLK_TCK);

	if ((d = opendir("/proc")) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if ((pid = strtol(e->d_name, &p, 10)) <= 0 || *p != '\0')
			continue;
		(void)snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		/* After the command's ')': state, ppid, ..., utime (14), stime, cutime, cstime. */
		if (fgets(line, sizeof(line), f) != NULL &&
		    (p = strrchr(line, ')')) != NULL &&
		    sscanf(p + 2, "%*c %ld %*d %*d %*d %*d %*u %*u %*u %*u %*u"
		    " %lu %lu %lu %lu", &pp, &ut, &st, &cut, &cst) == 5) {
			if (pp == ppid)
				s += (double)(ut + st) / tck;
			else if (pid == ppid)
				s += (double)(ut + st + cut + cst) / tck;
		}
		fclose(f);
	}
	closedir(d);
	return s;
}

static double
self_cpu(void)
{
	struct rusage	 ru;

	(void)getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/*
 * usage: commit-cpu URI ROWS COMMITS PID.  COMMITS group commits of ROWS
 * beacon rows each (store_record_batch with a marker, as the recorder's
 * leader writes them) into the database URI (written to, not emptied);
 * PID is the database server's (PostgreSQL's postmaster; 0: none).  One
 * line: wall time, the server's CPU and this process's CPU per commit.
 * The server's figure counts everything its processes did meanwhile
 * (autovacuum too), in clock ticks: run enough commits.
 */
int
main(int argc, char *argv[])
{
	struct row	 rows[ROWS_MAX];
	struct store	*st;
	char		 err[256];
	long		 n, commits, ppid, i;
	double		 t = 0, srv = 0, cli = 0;

	if (argc != 5 || (n = atol(argv[2])) < 1 || n > ROWS_MAX ||
	    (commits = atol(argv[3])) < 1 || (ppid = atol(argv[4])) < 0) {
		fprintf(stderr, "usage: commit-cpu URI ROWS(1-%d) COMMITS PID\n",
		    ROWS_MAX);
		return 2;
	}
	if (store_open(&st, argv[1], 0, 1000, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "commit-cpu: %s\n", err);
		return 1;
	}
	memset(rows, 0, sizeof(rows));
	for (i = 0; i < ROWS_MAX; i++) {
		rows[i].time = (int64_t)time(NULL);
		rows[i].family = i % 2 ? 6 : 4;
		rows[i].kind = KIND_DOCUMENTATION;
		(void)snprintf(rows[i].prefix, sizeof(rows[i].prefix),
		    i % 2 ? "2001:db8:%lx::/48" : "192.0.2.0/24", i);
		rows[i].server_family = 6;
		rows[i].host = "www.example.org";
		rows[i].how = HOW_BEACON;
		rows[i].node = "web1";
	}
	for (i = 0; i < WARMUP + commits; i++) {
		if (i == WARMUP) {
			srv = ppid > 0 ? tree_cpu(ppid) : 0;
			cli = self_cpu();
			t = bench_seconds();
		}
		if (store_record_batch(st, rows, (size_t)n, "commit-cpu", i) !=
		    STORE_OK) {
			fprintf(stderr, "commit-cpu: %s\n", store_errmsg(st));
			return 1;
		}
	}
	t = bench_seconds() - t;
	cli = self_cpu() - cli;
	srv = ppid > 0 ? tree_cpu(ppid) - srv : 0;
	printf("%ld rows per commit, %ld commits: %.1f us per commit wall,"
	    " server CPU %.1f us per commit (%.1f per row), client CPU %.1f us"
	    " per commit\n", n, commits, t / (double)commits * 1e6,
	    srv / (double)commits * 1e6, srv / (double)commits / (double)n * 1e6,
	    cli / (double)commits * 1e6);
	store_close(st);
	return 0;
}
