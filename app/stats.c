/* stats.c: counters shared by every dualstat process on one database (a mapped file). */
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "stats.h"

#define STATS_MAGIC	"dualstat stats2"	/* 15 characters and the NUL; 2: ingest slots, probes */

static void
stats_fresh(struct stats *s, bool shared)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->magic, STATS_MAGIC, sizeof(s->magic));
	s->size = sizeof(*s);
	s->since = (int64_t)time(NULL);
	s->shared = shared;
}

struct stats *
stats_create(void)
{
	static struct stats	 fallback;
	void			*p;

	p = mmap(NULL, sizeof(struct stats), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		p = &fallback;
	stats_fresh(p, false);
	return p;
}

static bool
stats_valid(const struct stats *s)
{
	return memcmp(s->magic, STATS_MAGIC, sizeof(s->magic)) == 0 &&
	    s->size == sizeof(*s) && s->shared;
}

/*
 * A fresh file in place of a foreign one, by rename: a process that still
 * maps the old one (an older dualstat during an upgrade) keeps its own
 * inode, instead of a file truncated under it (SIGBUS) or rewritten in a
 * layout it misreads.  Returns the new file's descriptor, or -1.
 */
static int
stats_replace(const char *path)
{
	char		 tmp[PATH_MAX];
	struct stats	 head;
	int		 fd, n;

	n = snprintf(tmp, sizeof(tmp), "%s.%ld", path, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return -1;
	(void)unlink(tmp);	/* a leftover of a process with our pid */
	fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd == -1)
		return -1;
	/*
	 * Written, not ftruncate()d: the blocks must exist now.  A sparse
	 * page first touched on a full disk is a SIGBUS.
	 */
	stats_fresh(&head, true);
	if (pwrite(fd, &head, sizeof(head), 0) != (ssize_t)sizeof(head) ||
	    rename(tmp, path) == -1) {
		close(fd);
		(void)unlink(tmp);
		return -1;
	}
	return fd;
}

struct stats *
stats_open(const char *database, bool create)
{
	char		 path[PATH_MAX];
	struct stats	 head;
	struct stat	 sb, named;
	void		*p = MAP_FAILED;
	int		 fd, nfd, n, tries;

	n = snprintf(path, sizeof(path), "%s" STATS_SUFFIX, database);
	if (n < 0 || (size_t)n >= sizeof(path))
		return NULL;
	for (tries = 0; tries < 3; tries++) {
		fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC |
		    (create ? O_CREAT : 0), 0600);
		if (fd == -1)
			return NULL;
		/* Of processes starting at once, one makes the file. */
		if (flock(fd, LOCK_EX) == -1 || fstat(fd, &sb) == -1 ||
		    !S_ISREG(sb.st_mode))
			goto out;
		/* Replaced while we waited for the lock: open the new one. */
		if (stat(path, &named) == -1 || named.st_ino != sb.st_ino ||
		    named.st_dev != sb.st_dev) {
			flock(fd, LOCK_UN);
			close(fd);
			fd = -1;
			continue;
		}
		if (sb.st_size == (off_t)sizeof(head) &&
		    pread(fd, &head, sizeof(head), 0) == (ssize_t)sizeof(head) &&
		    stats_valid(&head))
			break;
		if (!create)
			goto out;
		/* Still under the old file's lock, so no one else replaces it. */
		if ((nfd = stats_replace(path)) == -1)
			goto out;
		flock(fd, LOCK_UN);
		close(fd);
		fd = nfd;
		break;
	}
	if (fd == -1)
		return NULL;
	if (fstat(fd, &sb) == 0 && sb.st_size == (off_t)sizeof(head))
		p = mmap(NULL, sizeof(struct stats), PROT_READ | PROT_WRITE,
		    MAP_SHARED, fd, 0);
out:
	/*
	 * Unlocked by hand: the mapping keeps the open file alive, and with
	 * it a lock that close() alone would leave held for our whole life.
	 */
	flock(fd, LOCK_UN);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

void
stats_request(struct stats *s)
{
	__atomic_add_fetch(&s->requests, 1, __ATOMIC_RELAXED);
}

void
stats_bad_peer(struct stats *s)
{
	__atomic_add_fetch(&s->bad_peers, 1, __ATOMIC_RELAXED);
}

void
stats_probe_started(struct stats *s, int probe)
{
	if (probe >= 0 && probe < 3)
		__atomic_add_fetch(&s->probe_started[probe], 1, __ATOMIC_RELAXED);
}

void
stats_probe_back(struct stats *s, int probe, bool fits)
{
	if (probe >= 0 && probe < 3)
		__atomic_add_fetch(fits ? &s->probe_reached[probe] :
		    &s->probe_wrong[probe], 1, __ATOMIC_RELAXED);
}

void
stats_probe_rejected(struct stats *s)
{
	__atomic_add_fetch(&s->probe_rejected, 1, __ATOMIC_RELAXED);
}

/*
 * The message is copied under a spin lock: the holder only copies a few
 * hundred bytes and never blocks, and a worker killed while holding it is
 * the only way to leave it taken, so waiters give up after a bounded spin
 * rather than hang.
 */
static int
stats_lock(struct stats *s)
{
	unsigned	 i;

	for (i = 0; i < 100000; i++)
		if (!__atomic_exchange_n(&s->lock, 1, __ATOMIC_ACQUIRE))
			return 1;
	/*
	 * Taken all this time: its holder died holding it.  The counters
	 * outlive processes in their file, so the lock is let go here, or
	 * every later caller would spin this long.
	 */
	__atomic_store_n(&s->lock, 0, __ATOMIC_RELEASE);
	return 0;
}

static void
stats_unlock(struct stats *s)
{
	__atomic_store_n(&s->lock, 0, __ATOMIC_RELEASE);
}

void
stats_recorded(struct stats *s)
{
	__atomic_store_n(&s->ok_seq, __atomic_add_fetch(&s->seq, 1,
	    __ATOMIC_RELAXED), __ATOMIC_RELAXED);
}

void
stats_failure(struct stats *s, int64_t now, const char *message)
{
	int	 locked;

	__atomic_add_fetch(&s->record_failures, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&s->failure_seq, __atomic_add_fetch(&s->seq, 1,
	    __ATOMIC_RELAXED), __ATOMIC_RELAXED);
	locked = stats_lock(s);
	strncpy(s->last_error, message, sizeof(s->last_error) - 1);
	s->last_error[sizeof(s->last_error) - 1] = '\0';
	s->last_error_time = now;
	if (locked)
		stats_unlock(s);
}

void
stats_read(struct stats *s, struct stats *copy)
{
	int	 locked;

	locked = stats_lock(s);
	memcpy(copy, s, sizeof(*copy));
	if (locked)
		stats_unlock(s);
	copy->last_error[sizeof(copy->last_error) - 1] = '\0';
	copy->lock = 0;
}

/* ---- ingest processes ---------------------------------------------------- */

/* Whether pid runs (or runs as someone we may not signal). */
static bool
pid_alive(int32_t pid)
{

	return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

struct stats_ingest *
stats_ingest_claim(struct stats *s, const char *source)
{
	struct stats_ingest	*g;
	int32_t			 me = (int32_t)getpid(), was;
	size_t			 i;

	for (i = 0; i < STATS_INGEST_SLOTS; i++) {
		g = &s->ingest[i];
		was = __atomic_load_n(&g->pid, __ATOMIC_ACQUIRE);
		if (was != 0 && (was == me || pid_alive(was)))
			continue;
		/* Of two processes after the same slot, one gets it. */
		if (!__atomic_compare_exchange_n(&g->pid, &was, me, false,
		    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			continue;
		g->started = (int64_t)time(NULL);
		g->lines = g->rows = g->skipped = g->dropped = g->backlog = 0;
		g->last_line = g->last_commit = 0;
		memset(g->source, 0, sizeof(g->source));
		strncpy(g->source, source, sizeof(g->source) - 1);
		return g;
	}
	return NULL;
}

void
stats_ingest_release(struct stats_ingest *g)
{

	if (g != NULL)
		__atomic_store_n(&g->pid, 0, __ATOMIC_RELEASE);
}

size_t
stats_ingest_live(struct stats *copy)
{
	size_t	 i, n = 0;

	for (i = 0; i < STATS_INGEST_SLOTS; i++) {
		if (!pid_alive(copy->ingest[i].pid))
			continue;
		if (n != i)
			copy->ingest[n] = copy->ingest[i];
		copy->ingest[n].source[STATS_SOURCE_MAX - 1] = '\0';
		n++;
	}
	memset(&copy->ingest[n], 0, (STATS_INGEST_SLOTS - n) *
	    sizeof(copy->ingest[0]));
	return n;
}
