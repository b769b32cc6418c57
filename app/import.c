/* import.c: dualstat import: one access-log file into the store, each line counted once, in big transactions. */
#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "import.h"
#include "import_dedupe.h"
#include "linereader.h"
#include "logline.h"
#include "logrow.h"
#include "row.h"
#include "store.h"
#include "tally.h"

/* A locked database: tries, each after the busy timeout and a pause. */
#define BUSY_TRIES	30
#define BUSY_PAUSE_MS	200
/* Progress at most this often (ms), looked at every PROGRESS_LINES lines. */
#define PROGRESS_MS	250
#define PROGRESS_LINES	4096

struct import {
	struct store		*st;
	const struct import_opts *o;
	struct import_summary	*sum;
	const char		*path;
	struct linereader	*lr;
	struct logline_parser	*parser;
	struct dedupe		 d;
	struct tally		*tally;
	struct store_import	 rec;		/* valid when have_rec */
	bool			 have_rec;
	int64_t			 newest;	/* of the candidates: for a new record */
	bool			 restarted;
	uint64_t		 since_commit;	/* lines */
	unsigned		 batch;
	/* progress */
	uint64_t		 size;		/* of the file, 0 unknown */
	int64_t			 t0, shown;	/* ms */
	bool			 progress_line;	/* one is on the terminal */
};

static int64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int	 failf(struct import *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static int
failf(struct import *im, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	(void)vsnprintf(im->sum->error, sizeof(im->sum->error), fmt, ap);
	va_end(ap);
	return -1;
}

/* "1.2 GB": the progress line's sizes. */
static void
human(char *out, size_t sz, double v)
{
	static const char *const unit[] = { "B", "kB", "MB", "GB", "TB" };
	size_t	 u = 0;

	while (v >= 1000 && u < sizeof(unit) / sizeof(unit[0]) - 1) {
		v /= 1000;
		u++;
	}
	snprintf(out, sz, u == 0 ? "%.0f %s" : "%.1f %s", v, unit[u]);
}

/* One line on a terminal, rewritten in place: bytes, lines/s, time left. */
static void
progress(struct import *im, bool last)
{
	char		 done[32], total[32], left[32] = "";
	double		 secs, rate, in;
	int64_t		 t = now_ms();

	if (!im->o->progress)
		return;
	if (last) {
		if (im->progress_line)
			fputs("\r\033[K", stderr);
		im->progress_line = false;
		return;
	}
	if (t - im->shown < PROGRESS_MS)
		return;
	im->shown = t;
	secs = (double)(t - im->t0) / 1000;
	if (secs <= 0)
		return;
	in = (double)linereader_bytes_in(im->lr);
	rate = (double)im->sum->lines / secs;
	human(done, sizeof(done), in);
	if (im->size > 0) {
		human(total, sizeof(total), (double)im->size);
		if (in > 0 && in < (double)im->size) {
			double	 s = ((double)im->size - in) / (in / secs);

			snprintf(left, sizeof(left), ", %d:%02d left", (int)(s / 60),
			    (int)s % 60);
		}
		fprintf(stderr, "\r\033[K%s: %s of %s (%.0f %%), %.0f lines/s%s",
		    im->sum->name, done, total, 100 * in / (double)im->size, rate, left);
	} else
		fprintf(stderr, "\r\033[K%s: %s, %.0f lines/s", im->sum->name, done, rate);
	im->progress_line = true;
}

/* The stream from its start: the file opened (again), stdin rewound. */
static int
open_stream(struct import *im)
{
	struct stat	 sb;
	char		 err[512];

	linereader_close(im->lr);
	im->lr = NULL;
	if (strcmp(im->path, "-") == 0) {
		if (im->restarted && lseek(STDIN_FILENO, 0, SEEK_SET) != 0)
			return failf(im, "stdin: it begins like a file imported "
			    "before but is another; a pipe cannot be read again: "
			    "import it as a file");
		im->lr = linereader_fdopen(STDIN_FILENO, "stdin", false, 0, err,
		    sizeof(err));
		if (im->lr != NULL && fstat(STDIN_FILENO, &sb) == 0 &&
		    S_ISREG(sb.st_mode))
			im->size = (uint64_t)sb.st_size;
	} else {
		im->lr = linereader_open(im->path, 0, err, sizeof(err));
		if (im->lr != NULL && stat(im->path, &sb) == 0 && S_ISREG(sb.st_mode))
			im->size = (uint64_t)sb.st_size;
	}
	if (im->lr == NULL)
		return failf(im, "%s", err);
	return 0;
}

/* The format: given, or detected from the first lines. */
static int
choose_format(struct import *im)
{
	struct line_view	 v[LOGLINE_DETECT_LINES];
	struct logline_sample	 s[LOGLINE_DETECT_LINES];
	enum logline_reason	 why;
	char			 err[512];
	int			 n, i;

	if (im->o->format != LOGLINE_FORMAT__MAX) {
		im->sum->format = im->o->format;
		return 0;
	}
	if ((n = linereader_peek(im->lr, v, LOGLINE_DETECT_LINES, err,
	    sizeof(err))) < 0)
		return failf(im, "%s", err);
	for (i = 0; i < n; i++) {
		s[i].text = v[i].text;
		s[i].len = v[i].len;
	}
	if (n == 0) {
		/* Nothing in it: nothing to import, and nothing wrong. */
		im->sum->format = LOGLINE_COMBINED;
		im->sum->detected = true;
		return 0;
	}
	im->sum->format = logline_detect(s, (size_t)n, &why);
	if (im->sum->format == LOGLINE_FORMAT__MAX)
		return failf(im, "%s: not an access log dualstat reads (%s; "
		    "the formats are combined, common, vhost_combined, alb, "
		    "cloudfront and caddy): give --format if it is one",
		    im->sum->name, why == LOGLINE_BINARY ? "binary data" :
		    "no known format in its first lines");
	im->sum->detected = true;
	return 0;
}

/* The counts so far and the record of the file, in one transaction. */
static int
commit(struct import *im)
{
	const struct store_import	*m;
	const struct row		*rows;
	const uint64_t			*counts;
	size_t				 n;
	enum store_err			 e;
	int				 tries;

	/* Before the key only headers were read: nothing counted, nothing to keep. */
	if (!im->d.keyed)
		return 0;
	if (!im->have_rec) {
		if ((m = dedupe_match(&im->d)) != NULL)
			im->rec = *m;
		else {
			memset(&im->rec, 0, sizeof(im->rec));
			im->rec.newest = im->newest;
		}
		im->have_rec = true;
	}
	im->rec.first_line = im->d.key;
	im->rec.offset = im->d.offset;
	im->rec.prefix_hash = content_hash_value(&im->d.hash);
	im->rec.lines = im->d.lines;
	im->rec.updated = (int64_t)time(NULL);
	snprintf(im->rec.format, sizeof(im->rec.format), "%s",
	    logline_format_name(im->sum->format));
	snprintf(im->rec.name, sizeof(im->rec.name), "%s", im->sum->name);
	if (im->rec.id != 0 && im->rec.offset == im->rec.committed &&
	    tally_groups(im->tally) == 0)
		return 0;
	if (tally_rows(im->tally, &rows, &counts, &n) != 0)
		return failf(im, "%s: out of memory", im->sum->name);
	for (tries = 0; ; tries++) {
		e = store_add_counted(im->st, rows, counts, n, &im->rec);
		if (e != STORE_BUSY || tries + 1 >= BUSY_TRIES)
			break;
		usleep(BUSY_PAUSE_MS * 1000);
	}
	if (e != STORE_OK)
		return failf(im, "%s: %s (%s); %s", im->sum->name,
		    store_errmsg(im->st), store_err_name(e), im->sum->commits > 0 ?
		    "the batches before this one are in: importing it again goes "
		    "on after them" : "nothing of it was written");
	tally_clear(im->tally);
	im->since_commit = 0;
	im->sum->commits++;
	return 0;
}

static void
skipped(struct import_summary *sum, enum logline_reason why, uint64_t number)
{
	uint64_t	 k = sum->skipped[why]++;

	if (k < IMPORT_EXAMPLES)
		sum->examples[why][k] = number;
}

/* A new line: parsed and counted, or skipped and why. */
static int
take(struct import *im, struct line *line)
{
	enum logline_reason	 why;
	struct logline		 ll;
	struct logrow		 lr;

	if (line->text == NULL) {
		skipped(im->sum, LOGLINE_CUT, line->number);
		return 0;
	}
	if ((why = logline_parse(im->parser, line->text, line->len, &ll)) !=
	    LOGLINE_OK) {
		skipped(im->sum, why, line->number);
		return 0;
	}
	logrow_make(&ll, im->o->cfg, im->o->host, &lr);
	if (tally_add(im->tally, ll.time, &lr.client, lr.server_family, HOW_LOG,
	    lr.host) != 0)
		return failf(im, "%s: out of memory", im->sum->name);
	im->sum->imported++;
	im->since_commit++;
	return 0;
}

/* Back to the start: nothing of this reading was committed (no record matched yet). */
static int
restart(struct import *im)
{
	struct import_summary	*sum = im->sum;

	im->restarted = true;
	sum->lines = sum->before = sum->imported = 0;
	memset(sum->skipped, 0, sizeof(sum->skipped));
	memset(sum->examples, 0, sizeof(sum->examples));
	dedupe_init(&im->d);
	tally_clear(im->tally);
	im->since_commit = 0;
	logline_parser_free(im->parser);
	if ((im->parser = logline_parser_new(sum->format)) == NULL)
		return failf(im, "%s: out of memory", sum->name);
	return open_stream(im);
}

/* One pass over the stream: 1 when it has to be read again, 0 at its end, -1. */
static int
pass(struct import *im)
{
	struct store_import	 c[STORE_IMPORTS_MAX];
	struct line		 line;
	enum dedupe_verdict	 v;
	enum store_err		 e;
	char			 err[512];
	size_t			 n;
	int			 r;

	for (;;) {
		if ((r = linereader_next(im->lr, &line, err, sizeof(err))) < 0) {
			/* The lines before were good: theirs is a batch like any. */
			(void)failf(im, "%s", err);
			memcpy(err, im->sum->error, sizeof(err));
			if (commit(im) != 0)
				return -1;
			return failf(im, "%s", err);
		}
		if (r == 0)
			break;
		if (line.partial) {
			/* Still being written, likely: the next import takes it whole. */
			im->sum->partial = true;
			break;
		}
		im->sum->lines++;
		if (dedupe_key(&im->d, &line) && !im->restarted) {
			if ((e = store_imports_find(im->st, im->d.key, c,
			    STORE_IMPORTS_MAX, &n)) != STORE_OK)
				return failf(im, "%s: %s", im->sum->name,
				    store_errmsg(im->st));
			dedupe_candidates(&im->d, c, n);
			im->newest = n > 0 ? c[0].id : 0;
		}
		switch ((v = dedupe_line(&im->d, &line))) {
		case DEDUPE_IMPORT:
			if (take(im, &line) != 0)
				return -1;
			break;
		case DEDUPE_SKIP:
			im->sum->before++;
			/* A CloudFront #Fields line still sets the field order. */
			if (line.text != NULL && line.len > 0 && line.text[0] == '#')
				(void)logline_parse(im->parser, line.text, line.len,
				    &(struct logline){ 0 });
			break;
		default:
			return 1;
		}
		if (im->since_commit >= im->batch ||
		    tally_groups(im->tally) >= IMPORT_BATCH_GROUPS) {
			if (commit(im) != 0)
				return -1;
		}
		if (im->o->progress && im->sum->lines % PROGRESS_LINES == 0)
			progress(im, false);
	}
	switch (dedupe_end(&im->d)) {
	case DEDUPE_RESTART:
		return 1;
	case DEDUPE_EARLIER:
		im->sum->earlier = true;
		snprintf(im->sum->earlier_name, sizeof(im->sum->earlier_name), "%s",
		    im->d.cand[0].name);
		return 0;
	default:
		return commit(im);
	}
}

int
import_file(struct store *st, const char *path, const struct import_opts *o,
    struct import_summary *sum)
{
	struct import	 im;
	int		 r;

	memset(sum, 0, sizeof(*sum));
	sum->format = LOGLINE_FORMAT__MAX;
	memset(&im, 0, sizeof(im));
	sum->name = strcmp(path, "-") == 0 ? "stdin" : path;
	im.st = st;
	im.o = o;
	im.sum = sum;
	im.path = path;
	im.batch = o->batch_lines != 0 ? o->batch_lines : IMPORT_BATCH_LINES;
	im.t0 = im.shown = now_ms();
	dedupe_init(&im.d);
	if (open_stream(&im) != 0 || choose_format(&im) != 0)
		goto out;
	if ((im.parser = logline_parser_new(sum->format)) == NULL ||
	    (im.tally = tally_new(o->cfg->ipv4_prefix, o->cfg->ipv6_prefix)) == NULL) {
		failf(&im, "%s: out of memory", sum->name);
		goto out;
	}
	tally_node(im.tally, o->cfg->node);	/* the rows are this dualstat's */
	while ((r = pass(&im)) == 1)
		if (restart(&im) != 0)
			break;
out:
	progress(&im, true);
	logline_parser_free(im.parser);
	tally_free(im.tally);
	linereader_close(im.lr);
	return sum->error[0] != '\0' ? -1 : 0;
}

/* "12, 40, 41" and "..." when there were more. */
static void
examples(FILE *f, const struct import_summary *sum, int why)
{
	uint64_t	 i, n = sum->skipped[why];

	fputs(n == 1 ? "  line " : "  lines ", f);
	for (i = 0; i < n && i < IMPORT_EXAMPLES; i++)
		fprintf(f, "%s%" PRIu64, i > 0 ? ", " : "", sum->examples[why][i]);
	if (n > IMPORT_EXAMPLES)
		fputs(", ...", f);
}

void
import_summary_print(FILE *f, const struct import_summary *sum)
{
	uint64_t	 skip = 0;
	int		 i;

	for (i = 1; i < LOGLINE_REASON__MAX; i++)
		skip += sum->skipped[i];
	fprintf(f, "%s: %s%s\n", sum->name, logline_format_name(sum->format),
	    sum->detected ? " (detected)" : "");
	fprintf(f, "  %-18s %12" PRIu64 "\n", "lines read", sum->lines);
	if (sum->before > 0)
		fprintf(f, "  %-18s %12" PRIu64 "\n", "imported before", sum->before);
	fprintf(f, "  %-18s %12" PRIu64 "\n", "imported", sum->imported);
	fprintf(f, "  %-18s %12" PRIu64 "\n", "skipped", skip);
	for (i = 1; i < LOGLINE_REASON__MAX; i++) {
		if (sum->skipped[i] == 0)
			continue;
		fprintf(f, "    %-16s %12" PRIu64, logline_reason_name(i),
		    sum->skipped[i]);
		examples(f, sum, i);
		fputc('\n', f);
	}
	if (sum->earlier)
		fprintf(f, "  an earlier copy of %s, which was imported further: "
		    "nothing new in it\n", sum->earlier_name);
	if (sum->partial)
		fprintf(f, "  its last line has no end yet (still being written?): "
		    "left for the next import\n");
}
