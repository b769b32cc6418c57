/* logparse-bench.c: the parse step of an import alone: read a log with the line reader, parse every line, count. */
#include <sys/resource.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "bench-clock.h"
#include "linereader.h"
#include "logline.h"

/*
 *   bench/logparse-bench [--format F|auto] [--read-only] FILE
 *
 * What dualstat import does before it writes a row: lines from the reader
 * (gunzipped when gzip), the format detected from the first lines (or
 * named), each line parsed into its time and client, and the client's
 * family counted, which also keeps the work from being optimised away.
 * --read-only stops after the reader: the cost of reading alone.  Prints
 * lines, families, skipped lines by reason, seconds, lines/s, MB/s of
 * uncompressed text, the CPU seconds it used (user and system: on a shared
 * machine the wall clock also counts other work) and lines per CPU second,
 * and the peak RSS (getrusage ru_maxrss).
 */

static void
usage(void)
{
	fprintf(stderr, "usage: logparse-bench [--format F|auto] [--read-only] FILE\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct line_view	 views[LOGLINE_DETECT_LINES];
	struct logline_sample	 samples[LOGLINE_DETECT_LINES];
	unsigned long long	 skipped[LOGLINE_REASON__MAX] = { 0 };
	unsigned long long	 lines = 0, v4 = 0, v6 = 0, cut = 0, bytes = 0, touched = 0;
	struct linereader	*lr;
	struct logline_parser	*lp = NULL;
	struct logline		 ll;
	struct rusage		 ru;
	struct line		 l;
	enum logline_format	 format = LOGLINE_FORMAT__MAX;
	enum logline_reason	 r;
	const char		*fname = "auto", *file = NULL;
	char			 err[512];
	double			 t0, secs, cpu;
	int			 i, n, rc, read_only = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			fname = argv[++i];
		else if (strcmp(argv[i], "--read-only") == 0)
			read_only = 1;
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			usage();
		else if (file == NULL)
			file = argv[i];
		else
			usage();
	}
	if (file == NULL)
		usage();
	if (strcmp(fname, "auto") != 0 &&
	    (format = logline_format_from_name(fname)) == LOGLINE_FORMAT__MAX) {
		fprintf(stderr, "logparse-bench: no format \"%s\"\n", fname);
		return 2;
	}

	t0 = bench_seconds();
	if ((lr = linereader_open(file, 0, err, sizeof(err))) == NULL) {
		fprintf(stderr, "logparse-bench: %s\n", err);
		return 1;
	}
	if (!read_only) {
		if (format == LOGLINE_FORMAT__MAX) {
			if ((n = linereader_peek(lr, views, LOGLINE_DETECT_LINES, err,
			    sizeof(err))) < 0) {
				fprintf(stderr, "logparse-bench: %s\n", err);
				return 1;
			}
			for (i = 0; i < n; i++) {
				samples[i].text = views[i].text;
				samples[i].len = views[i].len;
			}
			format = logline_detect(samples, (size_t)n, &r);
			if (format == LOGLINE_FORMAT__MAX) {
				fprintf(stderr, "logparse-bench: %s: format not recognised (%s)\n",
				    file, logline_reason_name(r));
				return 1;
			}
		}
		if ((lp = logline_parser_new(format)) == NULL) {
			fprintf(stderr, "logparse-bench: out of memory\n");
			return 1;
		}
	}
	while ((rc = linereader_next(lr, &l, err, sizeof(err))) == 1) {
		lines++;
		bytes += l.len + 1;
		if (l.cut) {
			cut++;
			continue;
		}
		if (read_only) {
			/* Touch the line as a parser would, so the comparison is fair. */
			touched += l.len > 0 && l.text[0] != ':';
			continue;
		}
		if ((r = logline_parse(lp, l.text, l.len, &ll)) == LOGLINE_OK) {
			if (ll.client.family == 6)
				v6++;
			else
				v4++;
		} else
			skipped[r]++;
	}
	secs = bench_seconds() - t0;
	if (rc < 0) {
		fprintf(stderr, "logparse-bench: %s\n", err);
		return 1;
	}
	getrusage(RUSAGE_SELF, &ru);

	printf("file %s (%s%s)\n", file, read_only ? "read only" : logline_format_name(format),
	    linereader_gzip(lr) ? ", gzip" : "");
	if (read_only)
		printf("lines %llu  cut %llu  touched %llu", lines, cut, touched);
	else
		printf("lines %llu  ipv4 %llu  ipv6 %llu  cut %llu", lines, v4, v6, cut);
	for (i = 0; i < LOGLINE_REASON__MAX; i++)
		if (skipped[i] != 0)
			printf("  %s %llu", logline_reason_name((enum logline_reason)i), skipped[i]);
	cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	printf("\nseconds %.3f  lines/s %.0f  MB/s %.1f  cpu %.3f s  lines/cpu-s %.0f  "
	    "peak RSS %.1f MB\n", secs, (double)lines / secs, (double)bytes / secs / 1e6,
	    cpu, (double)lines / cpu, (double)ru.ru_maxrss / 1024.0);
	logline_parser_free(lp);
	linereader_close(lr);
	return 0;
}
