/* ingest.c: dualstat ingest: log lines as the web server writes them, counted in memory, committed in batches. */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "follow.h"
#include "import_dedupe.h"
#include "ingest.h"
#include "ingest_socket.h"
#include "linereader.h"
#include "listen.h"
#include "logline.h"
#include "logrow.h"
#include "row.h"
#include "stats.h"
#include "store.h"
#include "syslog_line.h"
#include "tally.h"

/* The pipe's read buffer: whole lines of up to LINEREADER_MAX_LINE, many at once. */
#define PIPE_BUF_BYTES	(4 * LINEREADER_MAX_LINE)
/* Datagrams taken in one go before the clock is looked at again. */
#define DGRAM_ROUND	1024
/* At the end, how long the last batch may wait for the database. */
#define FINAL_TRY_MS	5000
/* On a signal, how long what is already in the pipe or socket is still read. */
#define DRAIN_MS	500
/*
 * After a read that found lines, a pause before the next, so that the next
 * finds many: one wake-up and one system call for dozens of requests, not
 * one each (each wake-up costs the web server's worker too, on its write or
 * send).  A pipe makes the server wait when full (1 MiB, INGEST_PIPE_BYTES),
 * so it never loses a line for it.  A socket only when ingest_socket.h
 * says the kernel's limits leave room for it.
 */
#define PAUSE_US	500
/* --follow: lines read before the loop looks at the clock and the signals again. */
#define FOLLOW_ROUND	4096
/* --follow: the longest pause between tries while the database refuses (doubling from INGEST_RETRY_MS). */
#define FOLLOW_RETRY_MAX_MS	16000

static volatile sig_atomic_t	 stop_signal;

static void
on_stop(int sig)
{
	stop_signal = sig;
}

struct ingest {
	const struct ingest_opts *o;
	struct stats_ingest	*slot;		/* in the counters file, or own */
	struct stats_ingest	 own;		/* when no slot was free */
	struct store		*st;		/* NULL until opened (again) */
	struct logline_parser	*parser;	/* NULL until the format is known */
	struct tally		*tally;		/* the requests not committed: the backlog */
	int			 fd;
	bool			 dgram;
	char			*buf;
	size_t			 len;		/* bytes in buf (a pipe's unfinished line) */
	bool			 too_long;	/* dropping a line until its '\n' */
	size_t			 backlog_max;
	unsigned		 batch_ms;
	int64_t			 first_ms;	/* when the oldest request in the tally came: 0 none */
	int64_t			 retry_ms;	/* no commit before this, after a failure */
	int64_t			 maintained_ms;
	bool			 failing;
	bool			 pause;		/* after a read that found lines (PAUSE_US) */
	int			 got;		/* datagrams (a pipe: 1, bytes) the last read found */
	uint64_t		 lines, rows, skipped, dropped;
	/*
	 * UDP: the socket's own count of datagrams the kernel dropped (its
	 * buffer was full), as the last one read carried it (SO_RXQ_OVFL).
	 */
	uint32_t		 kernel_drops;
	int64_t			 last_line, last_commit;
	struct ingest_socket	 sock;		/* --listen's */
	const char		*source;	/* "stdin", --listen's value, or --follow's file */
	/*
	 * --follow: the file, and what import keeps of a file (import_dedupe.h):
	 * its record goes to the database with the rows, so a new ingest goes
	 * on where the last commit was.
	 */
	struct follow		*follow;
	struct dedupe		 d;
	struct store_import	 rec;		/* valid when have_rec */
	bool			 have_rec;
	bool			 restarted;	/* read again from byte 0: a new record */
	bool			 announced;	/* "going on at" said */
	int64_t			 newest;	/* of the candidates: for a new record */
	int64_t			 retry_step;	/* ms, doubling while the database refuses */
	uint64_t		 before;	/* lines in the database already (skipped) */
	char			 follow_err[512];	/* the last error said */
};

static int64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The counters /status shows, each on its own: a reader sees each whole. */
static void
publish(struct ingest *g)
{
	struct stats_ingest	*s = g->slot;

	__atomic_store_n(&s->lines, g->lines, __ATOMIC_RELAXED);
	__atomic_store_n(&s->rows, g->rows, __ATOMIC_RELAXED);
	__atomic_store_n(&s->skipped, g->skipped, __ATOMIC_RELAXED);
	__atomic_store_n(&s->dropped, g->dropped, __ATOMIC_RELAXED);
	__atomic_store_n(&s->backlog, tally_requests(g->tally), __ATOMIC_RELAXED);
	__atomic_store_n(&s->last_line, g->last_line, __ATOMIC_RELAXED);
	__atomic_store_n(&s->last_commit, g->last_commit, __ATOMIC_RELAXED);
}

/* One line (text[len] writable): parsed and counted, skipped, or dropped. */
static void
take(struct ingest *g, char *text, size_t len)
{
	struct logline_sample	 sample = { text, len };
	enum logline_format	 f;
	struct logline		 ll;
	struct logrow		 lr;

	g->lines++;
	if (g->parser == NULL) {
		/* auto: the first line that is one of a format decides it. */
		if ((f = logline_detect(&sample, 1, NULL)) == LOGLINE_FORMAT__MAX ||
		    (g->parser = logline_parser_new(f)) == NULL) {
			g->skipped++;
			return;
		}
	}
	if (logline_parse(g->parser, text, len, &ll) != LOGLINE_OK) {
		g->skipped++;
		return;
	}
	if (ll.time > g->last_line)
		g->last_line = ll.time;
	if (tally_groups(g->tally) >= g->backlog_max) {
		g->dropped++;
		return;
	}
	logrow_make(&ll, g->o->cfg, g->o->host, &lr);
	if (tally_add(g->tally, ll.time, &lr.client, lr.server_family, HOW_LOG,
	    lr.host) != 0) {
		g->dropped++;	/* out of memory: as a full backlog */
		return;
	}
	if (g->first_ms == 0)
		g->first_ms = now_ms();
}

/* The database refuses (rows, or a look-up): said once, tried again later. */
static void
refused(struct ingest *g, const char *err)
{
	if (!g->failing && g->follow != NULL)
		fprintf(stderr, "dualstat: ingest: the database cannot take rows: %s; "
		    "%s is not read on until it does (nothing is dropped: the file "
		    "keeps the lines)\n", err, g->source);
	else if (!g->failing)
		fprintf(stderr, "dualstat: ingest: the database cannot take rows: %s; "
		    "keeping them in memory (up to %zu groups) and trying again\n",
		    err, g->backlog_max);
	g->failing = true;
	if (g->follow != NULL) {
		/* The file waits as long as need be: a backoff, not a second's tries for ever. */
		g->retry_step = g->retry_step == 0 ? INGEST_RETRY_MS :
		    g->retry_step * 2 > FOLLOW_RETRY_MAX_MS ? FOLLOW_RETRY_MAX_MS :
		    g->retry_step * 2;
		g->retry_ms = now_ms() + g->retry_step;
	} else
		g->retry_ms = now_ms() + INGEST_RETRY_MS;
	publish(g);
}

/* --follow: a file from byte 0, nothing known of it yet. */
static void
follow_file_new(struct ingest *g)
{
	dedupe_init(&g->d);
	g->have_rec = false;
	g->restarted = false;
	g->announced = false;
	g->newest = 0;
}

/*
 * --follow: the file's record as far as its lines were taken, for the
 * commit; NULL while there is none to write (only '#' headers so far, or
 * lines skipped as imported before while it is not known yet from where on
 * they are new).
 */
static struct store_import *
follow_record(struct ingest *g)
{
	const struct store_import	*m;

	if (!g->d.keyed || (dedupe_match(&g->d) == NULL && g->d.ncand > 0))
		return NULL;
	if (!g->have_rec) {
		if ((m = dedupe_match(&g->d)) != NULL)
			g->rec = *m;
		else {
			memset(&g->rec, 0, sizeof(g->rec));
			g->rec.newest = g->newest;
		}
		g->have_rec = true;
	}
	g->rec.first_line = g->d.key;
	g->rec.offset = g->d.offset;
	g->rec.prefix_hash = content_hash_value(&g->d.hash);
	g->rec.lines = g->d.lines;
	g->rec.updated = (int64_t)time(NULL);
	snprintf(g->rec.format, sizeof(g->rec.format), "%s",
	    logline_format_name(g->parser != NULL ? logline_parser_format(g->parser) :
	    LOGLINE_COMBINED));
	snprintf(g->rec.name, sizeof(g->rec.name), "%s", g->source);
	return &g->rec;
}

/* The tally into the cells, one transaction.  0 done (or nothing to do), -1 not now. */
static int
commit(struct ingest *g)
{
	const struct row	*rows;
	const uint64_t		*counts;
	struct store_import	*rec = NULL;
	uint64_t		 n_req;
	size_t			 n;
	enum store_err		 e;
	char			 err[256];
	int			 tries;

	if (g->follow != NULL) {
		if (g->first_ms == 0 || (rec = follow_record(g)) == NULL) {
			/* Nothing read, or only lines whose fate is not known yet (skipped so far). */
			g->first_ms = 0;
			return 0;
		}
	}
	n_req = tally_requests(g->tally);
	if (g->follow == NULL && n_req == 0)
		return 0;
	for (tries = 0; tries < 2; tries++) {
		if (g->st == NULL && (e = store_open(&g->st, g->o->cfg->database, 0,
		    INGEST_BUSY_MS, err, sizeof(err))) != STORE_OK) {
			g->st = NULL;
			goto failed;
		}
		if (tally_rows(g->tally, &rows, &counts, &n) != 0) {
			snprintf(err, sizeof(err), "out of memory");
			goto failed;
		}
		e = store_add_counted(g->st, rows, counts, n, rec);
		if (e == STORE_OK)
			break;
		snprintf(err, sizeof(err), "%s (%s)", store_errmsg(g->st),
		    store_err_name(e));
		if (rec != NULL && e == STORE_STALE) {
			/*
			 * The file's record moved on meanwhile (dualstat import of
			 * the same file, another ingest): what was read is dropped
			 * and the file read again, the lines the other counted
			 * skipped.  Nothing is lost: the file is the backlog.
			 */
			fprintf(stderr, "dualstat: ingest: %s; reading %s again from "
			    "its start\n", err, g->source);
			tally_clear(g->tally);
			g->first_ms = 0;
			follow_rewind(g->follow);
			follow_file_new(g);
			publish(g);
			return -1;
		}
		/* Another file at the path now: once more on it (store.h). */
		if (e != STORE_MOVED && !store_moved(g->st))
			goto failed;
		store_close(g->st);
		g->st = NULL;
	}
	if (tries == 2)
		goto failed;
	if (g->failing)
		fprintf(stderr, "dualstat: ingest: the database takes rows again; "
		    "%" PRIu64 " requests dropped so far\n", g->dropped);
	g->failing = false;
	g->retry_step = 0;
	g->rows += n_req;
	tally_clear(g->tally);
	g->first_ms = 0;
	g->last_commit = (int64_t)time(NULL);
	if (now_ms() - g->maintained_ms >= APP_MAINTAIN_SECONDS * 1000) {
		/* Bounded work, and it waits INGEST_BUSY_MS at most: errors wait for the next. */
		(void)store_maintain(g->st, g->last_commit);
		g->maintained_ms = now_ms();
	}
	publish(g);
	return 0;
failed:
	refused(g, err);
	return -1;
}

/* Whether the batch is due: its age, or its size; never before the retry time after a failure. */
static bool
due(const struct ingest *g, int64_t now)
{
	/* first_ms: a request in the tally, or (--follow) a line taken */
	if (g->first_ms == 0 || now < g->retry_ms)
		return false;
	return now - g->first_ms >= g->batch_ms ||
	    tally_groups(g->tally) >= INGEST_BATCH_GROUPS;
}

/* ms until due() can change by the clock alone; -1: only new input can. */
static int
wait_ms(const struct ingest *g, int64_t now)
{
	int64_t	 at;

	if (g->first_ms == 0)
		return -1;
	at = g->first_ms + g->batch_ms;
	if (at < g->retry_ms)
		at = g->retry_ms;
	return at <= now ? 0 : at - now > 60000 ? 60000 : (int)(at - now);
}

/* What a pipe has: whole lines taken, an unfinished one kept.  1 more, 0 end, -1 error. */
static int
read_pipe(struct ingest *g, char *err, size_t errsz)
{
	ssize_t	 r;
	size_t	 start = 0, i;
	char	*nl;

	g->got = 0;
	r = read(g->fd, g->buf + g->len, PIPE_BUF_BYTES - g->len);
	if (r < 0) {
		if (errno == EINTR || errno == EAGAIN)
			return 1;
		snprintf(err, errsz, "standard input: %s", strerror(errno));
		return -1;
	}
	if (r == 0) {
		/* A last line without its '\n' is a line still; one too long, a cut one. */
		if (g->too_long) {
			g->lines++;
			g->skipped++;
		} else if (g->len > 0) {
			g->buf[g->len] = '\0';
			take(g, g->buf, g->len);
		}
		g->too_long = false;
		g->len = 0;
		return 0;
	}
	g->got = 1;
	i = g->len;
	g->len += (size_t)r;
	while ((nl = memchr(g->buf + i, '\n', g->len - i)) != NULL) {
		*nl = '\0';
		if (g->too_long) {
			g->too_long = false;
			g->lines++;
			g->skipped++;
		} else
			take(g, g->buf + start, (size_t)(nl - (g->buf + start)));
		start = i = (size_t)(nl - g->buf) + 1;
	}
	memmove(g->buf, g->buf + start, g->len - start);
	g->len -= start;
	if (g->len > LINEREADER_MAX_LINE) {
		/* Longer than any server writes: dropped whole, as import does (cut). */
		g->too_long = true;
		g->len = 0;
	}
	return 1;
}

/*
 * A datagram's count of those the kernel dropped before it, since the
 * socket was made (SO_RXQ_OVFL: UDP only; a Unix socket's sender is told
 * instead).  What grew since the last one is counted as dropped.  Drops
 * after the last datagram of all are seen by none.
 */
static void
kernel_dropped(struct ingest *g, struct msghdr *h)
{
	struct cmsghdr	*c;
	uint32_t	 v;

	for (c = CMSG_FIRSTHDR(h); c != NULL; c = CMSG_NXTHDR(h, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL &&
		    c->cmsg_len >= CMSG_LEN(sizeof(v))) {
			memcpy(&v, CMSG_DATA(c), sizeof(v));
			g->dropped += (uint32_t)(v - g->kernel_drops);
			g->kernel_drops = v;
		}
}

/*
 * The datagrams waiting, one line each, the syslog header taken off:
 * INGEST_DGRAMS_AT_ONCE per system call (recvmmsg), as the web server
 * sends one per request and a full queue loses the next ones.
 */
static int
read_dgrams(struct ingest *g, char *err, size_t errsz)
{
	struct mmsghdr	 m[INGEST_DGRAMS_AT_ONCE];
	struct iovec	 iov[INGEST_DGRAMS_AT_ONCE];
	union {
		char		 buf[CMSG_SPACE(sizeof(uint32_t))];
		struct cmsghdr	 align;
	}		 ctl[INGEST_DGRAMS_AT_ONCE];
	char		*d;
	size_t		 len;
	long		 off;
	int		 n, i, k;

	g->got = 0;
	for (k = 0; k < DGRAM_ROUND; k += n) {
		memset(m, 0, sizeof(m));
		for (i = 0; i < INGEST_DGRAMS_AT_ONCE; i++) {
			iov[i].iov_base = g->buf + (size_t)i * (INGEST_DGRAM_MAX + 1);
			iov[i].iov_len = INGEST_DGRAM_MAX;
			m[i].msg_hdr.msg_iov = &iov[i];
			m[i].msg_hdr.msg_iovlen = 1;
			m[i].msg_hdr.msg_control = ctl[i].buf;
			m[i].msg_hdr.msg_controllen = sizeof(ctl[i].buf);
		}
		if ((n = recvmmsg(g->fd, m, INGEST_DGRAMS_AT_ONCE, MSG_DONTWAIT,
		    NULL)) < 0) {
			if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
				return 1;
			snprintf(err, errsz, "%s: %s", g->source, strerror(errno));
			return -1;
		}
		if (n == 0)
			return 1;
		g->got += n;
		for (i = 0; i < n; i++) {
			kernel_dropped(g, &m[i].msg_hdr);
			d = iov[i].iov_base;
			len = m[i].msg_len;
			if (m[i].msg_hdr.msg_flags & MSG_TRUNC) {
				/* Longer than a line may be: skipped whole, as a cut line. */
				g->lines++;
				g->skipped++;
				continue;
			}
			while (len > 0 && (d[len - 1] == '\n' || d[len - 1] == '\r'))
				len--;
			d[len] = '\0';
			if ((off = syslog_line_body(d, len)) < 0)
				off = 0;	/* a bare line: taken as it is */
			take(g, d + off, len - (size_t)off);
		}
		if (n < INGEST_DGRAMS_AT_ONCE)
			return 1;
	}
	return 1;
}

/* --follow: the records of the file's key looked up (dedupe_candidates); -1 when the database refuses. */
static int
follow_lookup(struct ingest *g)
{
	struct store_import	 c[STORE_IMPORTS_MAX];
	enum store_err		 e;
	char			 err[256];
	size_t			 n;

	if (g->st == NULL && (e = store_open(&g->st, g->o->cfg->database, 0,
	    INGEST_BUSY_MS, err, sizeof(err))) != STORE_OK) {
		g->st = NULL;
		refused(g, err);
		return -1;
	}
	if ((e = store_imports_find(g->st, g->d.key, c, STORE_IMPORTS_MAX, &n)) !=
	    STORE_OK) {
		snprintf(err, sizeof(err), "%s (%s)", store_errmsg(g->st),
		    store_err_name(e));
		refused(g, err);
		return -1;
	}
	dedupe_candidates(&g->d, c, n);
	g->newest = n > 0 ? c[0].id : 0;
	if (g->failing)
		fprintf(stderr, "dualstat: ingest: the database answers again\n");
	g->failing = false;
	return 0;
}

/*
 * --follow: the file's new lines, FOLLOW_ROUND at most.  Each is judged
 * as import judges it (import_dedupe.h: in the database already, or new)
 * and only new ones are taken.  Not read on while the database refuses
 * (the file keeps them) or the batch is full.  1: there may be more now;
 * 0: nothing more until the file changes (or the database takes rows).
 */
static int
read_follow(struct ingest *g)
{
	struct line	 line;
	char		 err[512];
	size_t		 left;
	int		 k;

	g->got = 0;
	for (k = 0; k < FOLLOW_ROUND; k++) {
		if ((g->failing && (g->first_ms != 0 || now_ms() < g->retry_ms)) ||
		    tally_groups(g->tally) >= INGEST_BATCH_GROUPS)
			return 0;
		switch (follow_next(g->follow, &line, err, sizeof(err))) {
		case FOLLOW_NONE:
			return 0;
		case FOLLOW_ERROR:
			/* Said when it changes, not once a poll. */
			if (strcmp(err, g->follow_err) != 0)
				fprintf(stderr, "dualstat: ingest: %s; trying again\n", err);
			snprintf(g->follow_err, sizeof(g->follow_err), "%s", err);
			return 0;
		case FOLLOW_ROTATED:
			/* What was read of this file is committed first, with its record. */
			if (g->first_ms != 0 && commit(g) != 0)
				return 0;
			if ((left = follow_restart(g->follow)) > 0) {
				fprintf(stderr, "dualstat: ingest: %s: a last line of %zu "
				    "bytes never ended before the file changed: skipped "
				    "as cut\n", g->source, left);
				g->lines++;
				g->skipped++;
			}
			follow_file_new(g);
			continue;
		default:
			break;
		}
		if (dedupe_key(&g->d, &line) && !g->restarted &&
		    follow_lookup(g) != 0) {
			g->d.keyed = false;	/* the same line makes the key next time */
			return 0;
		}
		switch (dedupe_line(&g->d, &line)) {
		case DEDUPE_IMPORT:
			if (!g->announced && dedupe_match(&g->d) != NULL) {
				fprintf(stderr, "dualstat: ingest: %s: going on at byte %"
				    PRIu64 " (line %" PRIu64 "), where the database has "
				    "it\n", g->source, line.offset, line.number);
			}
			g->announced = true;
			if (line.text == NULL) {
				g->lines++;	/* longer than a line may be: cut */
				g->skipped++;
			} else
				take(g, line.text, line.len);
			if (g->first_ms == 0)
				g->first_ms = now_ms();
			break;
		case DEDUPE_SKIP:
			g->before++;
			/* A CloudFront #Fields line still sets the field order. */
			if (line.text != NULL && line.len > 0 && line.text[0] == '#' &&
			    g->parser != NULL)
				(void)logline_parse(g->parser, line.text, line.len,
				    &(struct logline){ 0 });
			break;
		default:
			/* The lines skipped were new after all: all of it again, as a new record. */
			follow_rewind(g->follow);
			follow_file_new(g);
			g->restarted = true;
			continue;
		}
		follow_take(g->follow);
		g->got++;
	}
	return 1;
}

/*
 * On SIGTERM, the lines already written are read too (only those: no
 * waiting): Apache's graceful restart stops its old piped logger so, with
 * the old children's last lines maybe still in the pipe.
 */
static void
drain(struct ingest *g)
{
	struct pollfd	 p;
	int64_t		 until = now_ms() + DRAIN_MS;
	char		 err[256];

	while (g->follow != NULL && now_ms() < until && read_follow(g) > 0)
		;
	while (g->follow == NULL && now_ms() < until) {
		p.fd = g->fd;
		p.events = POLLIN;
		p.revents = 0;
		if (poll(&p, 1, 0) <= 0 || (p.revents & POLLIN) == 0)
			break;
		if ((g->dgram ? read_dgrams(g, err, sizeof(err)) :
		    read_pipe(g, err, sizeof(err))) <= 0)
			break;
	}
}

/* After the end or a signal: the batch in memory, given a few seconds for a lock. */
static int
final_commit(struct ingest *g)
{
	int64_t	 until = now_ms() + FINAL_TRY_MS;

	while (commit(g) != 0) {
		if (now_ms() >= until && g->follow != NULL) {
			fprintf(stderr, "dualstat: ingest: %" PRIu64 " requests "
			    "could not be written: the next ingest --follow reads "
			    "them again from %s\n", tally_requests(g->tally), g->source);
			return -1;
		}
		if (now_ms() >= until) {
			fprintf(stderr, "dualstat: ingest: %" PRIu64 " requests "
			    "could not be written and are lost\n",
			    tally_requests(g->tally));
			return -1;
		}
		usleep(200 * 1000);
	}
	return 0;
}

int
ingest_run(const struct ingest_opts *o, struct stats *stats, char *err, size_t errsz)
{
	struct ingest		 g;
	struct sigaction	 sa;
	struct pollfd		 pfd;
	sigset_t		 block, old;
	struct timespec		 ts;
	int64_t			 now;
	int			 r = 1, rc = -1, ms;
	bool			 more;

	memset(&g, 0, sizeof(g));
	g.o = o;
	g.fd = -1;
	g.batch_ms = o->batch_ms != 0 ? o->batch_ms : INGEST_BATCH_MS;
	g.backlog_max = o->backlog_groups != 0 ? o->backlog_groups : INGEST_BACKLOG_GROUPS;
	g.maintained_ms = now_ms();
	err[0] = '\0';
	if ((g.tally = tally_new(o->cfg->ipv4_prefix, o->cfg->ipv6_prefix)) == NULL ||
	    (o->follow == NULL && (g.buf = malloc(o->listen != NULL ?
	    INGEST_DGRAMS_AT_ONCE * (INGEST_DGRAM_MAX + 1) : PIPE_BUF_BYTES + 1)) ==
	    NULL)) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	tally_node(g.tally, o->cfg->node);	/* the rows are this dualstat's */
	if (o->format != LOGLINE_FORMAT__MAX &&
	    (g.parser = logline_parser_new(o->format)) == NULL) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	g.source = o->follow != NULL ? o->follow : o->listen != NULL ? o->listen :
	    "stdin";
	if (o->follow != NULL && o->listen != NULL) {
		snprintf(err, errsz, "--follow and --listen: one source at a time");
		goto out;
	} else if (o->follow != NULL) {
		if ((g.follow = follow_new(o->follow, err, errsz)) == NULL)
			goto out;
		follow_file_new(&g);
		if (follow_fd(g.follow) < 0)
			fprintf(stderr, "dualstat: ingest: %s: no inotify: "
			    "looking at the file every %d ms\n", o->follow,
			    FOLLOW_POLL_MS);
	} else if (o->listen != NULL && strncmp(o->listen, "unixgram:", 9) == 0) {
		if (ingest_socket_unix(&g.sock, o->listen + 9, err, errsz) != 0)
			goto out;
		g.fd = g.sock.fd;
		g.pause = g.sock.pause;
		g.dgram = true;
	} else if (o->listen != NULL && strncmp(o->listen, "udp:", 4) == 0) {
		if (ingest_socket_udp(&g.sock, o->listen + 4, o->rcvbuf, err, errsz) != 0)
			goto out;
		g.fd = g.sock.fd;
		g.pause = g.sock.pause;
		g.dgram = true;
	} else if (o->listen != NULL) {
		snprintf(err, errsz, "--listen %s: only unixgram:PATH or udp:ADDR:PORT",
		    o->listen);
		goto out;
	} else {
		g.fd = STDIN_FILENO;
		/* Room for what the web server writes while a commit runs. */
		(void)fcntl(g.fd, F_SETPIPE_SZ, INGEST_PIPE_BYTES);
	}
	if ((g.slot = stats_ingest_claim(stats, g.source)) == NULL)
		g.slot = &g.own;

	/*
	 * The signals are let in only while waiting (ppoll), so one that comes
	 * between the check and the wait is not missed.  HUP is ignored: a
	 * server's restart ends the pipe, which ends ingest.
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old);

	while (!stop_signal) {
		now = now_ms();
		if (due(&g, now))
			(void)commit(&g);
		if (g.follow != NULL) {
			/* The file: read while it has lines; else the clock, inotify or the poll. */
			more = read_follow(&g) > 0;
			publish(&g);
			if (due(&g, now_ms()))
				continue;
			ms = more ? 0 : wait_ms(&g, now_ms());
			if (ms < 0 || ms > FOLLOW_POLL_MS)
				ms = FOLLOW_POLL_MS;
			ts.tv_sec = ms / 1000;
			ts.tv_nsec = (long)(ms % 1000) * 1000000;
			pfd.fd = follow_fd(g.follow);
			pfd.events = POLLIN;
			pfd.revents = 0;
			if (ppoll(&pfd, pfd.fd >= 0 ? 1 : 0, &ts, &old) > 0 &&
			    (pfd.revents & POLLIN))
				follow_events(g.follow);
			continue;
		}
		pfd.fd = g.fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		ms = wait_ms(&g, now_ms());
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (long)(ms % 1000) * 1000000;
		if (ppoll(&pfd, 1, ms < 0 ? NULL : &ts, &old) < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errsz, "%s: %s", g.source, strerror(errno));
			break;
		}
		if (pfd.revents == 0)
			continue;
		r = g.dgram ? read_dgrams(&g, err, errsz) : read_pipe(&g, err, errsz);
		publish(&g);
		if (r <= 0)
			break;
		if ((!g.dgram || g.pause) && g.got > 0 && g.got < DGRAM_ROUND) {
			ts.tv_sec = 0;
			ts.tv_nsec = PAUSE_US * 1000L;
			/* Signals are blocked here: one that comes ends the next ppoll. */
			(void)nanosleep(&ts, NULL);
		}
	}
	if (stop_signal && r > 0)
		drain(&g);
	rc = final_commit(&g) == 0 && r >= 0 ? 0 : -1;
	if (rc != 0 && err[0] == '\0')
		snprintf(err, errsz, "the last batch could not be written");
	publish(&g);
	fprintf(stderr, "dualstat: ingest: %s: %" PRIu64 " lines, %" PRIu64
	    " requests recorded, %" PRIu64 " skipped, %" PRIu64 " dropped\n",
	    g.source, g.lines, g.rows, g.skipped, g.dropped);
	if (g.before > 0)
		fprintf(stderr, "dualstat: ingest: %s: %" PRIu64 " lines before "
		    "those were in the database already\n", g.source, g.before);
	sigprocmask(SIG_SETMASK, &old, NULL);
out:
	if (g.slot != &g.own)
		stats_ingest_release(g.slot);
	if (g.dgram)
		ingest_socket_close(&g.sock);
	follow_free(g.follow);
	store_close(g.st);
	logline_parser_free(g.parser);
	tally_free(g.tally);
	free(g.buf);
	return rc;
}
