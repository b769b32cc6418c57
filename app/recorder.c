/* recorder.c: group commit in shared memory: one leader commits the rows of every waiting request. */
#include "autoconf.h"

#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>

#include <linux/futex.h>

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "recorder.h"
#include "recorder-int.h"

/*
 * A slot holds one request's row from the moment it is put there until its
 * owner has read the result.  Only the owner takes (FREE -> PENDING) and
 * frees (DONE -> FREE) its slot; only the leader, holding the commit lock,
 * moves PENDING -> BATCH -> DONE.  Every move is made under the state lock.
 */
enum slot_state {
	SLOT_FREE,
	SLOT_ACTIVE,		/* its owner is handling a request: a row may come */
	SLOT_PENDING,		/* waiting for a leader */
	SLOT_BATCH,		/* in the batch being committed */
	SLOT_DONE		/* result is the batch's outcome */
};

struct slot {
	enum slot_state	 state;
	bool		 abandoned;	/* the owner gave up waiting: free, don't answer */
	pid_t		 owner;
	uint64_t	 batch;
	enum store_err	 result;
	struct row row;		/* row.host points into another process: see host */
	bool		 has_host;
	/* One byte more than the store keeps, so it cuts where it would have. */
	char		 host[ROW_HOST_MAX + 2];
	bool		 has_node;
	char		 node[ROW_NODE_MAX + 2];
};

struct recorder {
	/*
	 * Both robust: a process killed while holding one leaves it to the
	 * next locker with EOWNERDEAD instead of hanging everybody.
	 */
	pthread_mutex_t	 lock;		/* guards everything below */
	pthread_mutex_t	 commit;	/* held by the leader for its whole commit */
	int		 broken;	/* a lock became unrecoverable: record directly */
	char		 key[32];	/* the meta key of this tree's batch marker */
	uint64_t	 seq;		/* the last batch number handed out */
	uint64_t	 inflight;	/* the batch being committed; 0 none */
	bool		 marked;	/* it writes the marker (more than its leader's row) */
	uint32_t	 gen;		/* futex: bumped each time the commit lock is let go */
	uint32_t	 waiters;	/* requests in recorder_record: wake only if any */
	uint32_t	 queued;	/* futex: bumped when a row is queued */
	uint32_t	 gathering;	/* a leader waits on queued */
	unsigned	 workers;	/* processes that record: a full batch */
	long		 gather_us;	/* how long a leader waits for a full batch */
	int64_t		 queued_ns;	/* when the last row was queued */
	int64_t		 gap_ns;	/* mean time between rows (moving average) */
	char		 errmsg[200];	/* why the last failed batch failed */
	struct recorder_stats stats;
	struct slot	 slots[RECORDER_SLOTS];
};

/* A follower looks at the commit lock at least this often (a dead leader). */
#define RECORDER_NAP_MS	20

static struct recorder	*current;
void			(*recorder_hook)(enum recorder_point, size_t);
static int		 active = -1;	/* this process's slot for its request */

static enum store_err	 give_up(struct recorder *, struct slot *, int, unsigned,
			    char *, size_t);

/* The leader's copy of its batch: the slots must not be read unlocked. */
static struct row	 batch_rows[RECORDER_SLOTS];
static char		 batch_hosts[RECORDER_SLOTS][ROW_HOST_MAX + 2];
static char		 batch_nodes[RECORDER_SLOTS][ROW_NODE_MAX + 2];

/* getpid() is a system call each time: kept, and forgotten in a forked child. */
static pid_t	 pid_cache;
static int	 forget_on_fork;

static void
pid_forget(void)
{
	pid_cache = 0;
}

static pid_t
self(void)
{
	if (pid_cache == 0)
		pid_cache = getpid();
	return pid_cache;
}

struct recorder *
recorder_create(void)
{
	struct recorder		*rec;
	pthread_mutexattr_t	 ma;
	uint64_t		 base;
	int			 ok;

	rec = mmap(NULL, sizeof(*rec), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (rec == MAP_FAILED)
		return NULL;
	memset(rec, 0, sizeof(*rec));
	ok = pthread_mutexattr_init(&ma) == 0 &&
	    pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED) == 0 &&
	    pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST) == 0 &&
	    pthread_mutex_init(&rec->lock, &ma) == 0 &&
	    pthread_mutex_init(&rec->commit, &ma) == 0;
	pthread_mutexattr_destroy(&ma);
	if (!ok) {
		munmap(rec, sizeof(*rec));
		return NULL;
	}
	/*
	 * The key names this tree, so two trees writing one database never
	 * read each other's marker.  A later tree with the same PID finds the
	 * old value, so batch numbers start at a random point: a dead leader's
	 * batch is confirmed only by its own number, never by a leftover.
	 */
	snprintf(rec->key, sizeof(rec->key), "group_commit.%ld", (long)getpid());
	if (getrandom(&base, sizeof(base), GRND_NONBLOCK) != (ssize_t)sizeof(base))
		base = (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)getpid();
	rec->seq = base >> 2;	/* room to count up, and positive as an int64 */
	if (!forget_on_fork++)
		pthread_atfork(NULL, NULL, pid_forget);
	rec->gap_ns = 1000000000;
	rec->workers = 1;
	rec->gather_us = RECORDER_GATHER_US;
	return rec;
}

void
recorder_tune(struct recorder *rec, unsigned workers, long gather_us)
{
	if (rec == NULL)
		return;
	rec->workers = workers > 0 ? workers : 1;
	rec->gather_us = gather_us < 0 ? RECORDER_GATHER_US :
	    gather_us > 10000000 ? 10000000 : gather_us;
}

void
recorder_use(struct recorder *rec)
{
	current = rec;
}

struct recorder *
recorder_current(void)
{
	return current;
}

/* Lock a robust mutex: a dead holder's lock is taken over (*died says so). */
static int
lock_robust(struct recorder *rec, pthread_mutex_t *m,
    const struct timespec *deadline, bool *died)
{
	int	 rc;

	if (died != NULL)
		*died = false;
	rc = deadline == NULL ? pthread_mutex_lock(m) :
	    pthread_mutex_clocklock(m, CLOCK_MONOTONIC, deadline);
	if (rc == EOWNERDEAD) {
		/*
		 * The state lock guards only plain stores, each a complete value,
		 * so what the dead holder left is usable as it is.  The commit
		 * lock is made consistent by the caller, after it has settled the
		 * dead leader's batch.
		 */
		if (died != NULL)
			*died = true;
		else
			pthread_mutex_consistent(m);
		return 0;
	}
	if (rc == ENOTRECOVERABLE)
		__atomic_store_n(&rec->broken, 1, __ATOMIC_RELAXED);
	return rc;
}

static bool
owner_gone(pid_t pid)
{
	return kill(pid, 0) == -1 && errno == ESRCH;
}

static int64_t
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
slot_fill(struct recorder *rec, struct slot *s, const struct row *row)
{
	int64_t		 now, gap;

	s->row = *row;
	s->row.host = NULL;
	s->has_host = row->host != NULL;
	if (s->has_host) {
		strncpy(s->host, row->host, sizeof(s->host) - 1);
		s->host[sizeof(s->host) - 1] = '\0';
	}
	s->row.node = NULL;
	s->has_node = row->node != NULL;
	if (s->has_node) {
		strncpy(s->node, row->node, sizeof(s->node) - 1);
		s->node[sizeof(s->node) - 1] = '\0';
	}
	s->abandoned = false;
	s->owner = self();
	s->batch = 0;
	s->state = SLOT_PENDING;	/* last: a half-filled slot stays free */
	__atomic_add_fetch(&rec->queued, 1, __ATOMIC_SEQ_CST);
	/* An average over about the last eight rows, in integer steps. */
	now = now_ns();
	gap = now - rec->queued_ns;
	if (gap < 0 || gap > 1000000000)
		gap = 1000000000;
	rec->gap_ns += (gap - rec->gap_ns) / 8;
	rec->queued_ns = now;
}

/* A free slot, now ACTIVE, or -1.  Called with the state lock held. */
static int
slot_take(struct recorder *rec)
{
	unsigned	 i, k, start = (unsigned)self() % RECORDER_SLOTS;
	int		 sweep;

	for (sweep = 0; sweep < 2; sweep++) {
		for (k = 0; k < RECORDER_SLOTS; k++) {
			i = (start + k) % RECORDER_SLOTS;
			if (rec->slots[i].state == SLOT_FREE) {
				rec->slots[i].owner = self();
				rec->slots[i].state = SLOT_ACTIVE;
				return (int)i;
			}
		}
		/*
		 * Full: give back the slots of processes that were killed.  A
		 * dead owner answered nobody, so its row may go unwritten;
		 * a slot in a batch is left to the leader that has it.
		 */
		for (i = 0; i < RECORDER_SLOTS; i++)
			if ((rec->slots[i].state == SLOT_ACTIVE ||
			    rec->slots[i].state == SLOT_PENDING ||
			    rec->slots[i].state == SLOT_DONE) &&
			    owner_gone(rec->slots[i].owner))
				rec->slots[i].state = SLOT_FREE;
	}
	return -1;
}

/* A slot of a finished batch: its owner reads e, or it is freed.  State lock held. */
static void
slot_settle(struct slot *s, enum store_err e)
{
	if (s->abandoned) {
		s->state = SLOT_FREE;
		return;
	}
	s->result = e;
	s->state = SLOT_DONE;
}

/*
 * The leader before us died holding the commit lock, perhaps in the middle
 * of its commit.  The marker it would have written with its rows says
 * whether they are in: settle them as committed, or put them back so this
 * leader commits them.  When the database cannot say, they fail.  A batch
 * of the dead leader's own row alone had no marker and no one waiting for
 * it: its slot is freed.  State lock held; idempotent, so a recoverer that
 * dies too leaves it to the next.
 */
static void
recover(struct recorder *rec, struct store *st)
{
	struct slot	*s;
	int64_t		 marker = 0;
	enum store_err	 e;
	unsigned	 i;

	if (rec->inflight == 0)
		return;
	e = !rec->marked ? STORE_OK : st == NULL ? STORE_CANTOPEN :
	    store_meta_get(st, rec->key, &marker);
	for (i = 0; i < RECORDER_SLOTS; i++) {
		s = &rec->slots[i];
		if (s->state != SLOT_BATCH || s->batch != rec->inflight)
			continue;
		if (!rec->marked)
			s->state = SLOT_FREE;
		else if (e == STORE_OK && (uint64_t)marker == rec->inflight)
			slot_settle(s, STORE_OK);
		else if (e == STORE_OK)
			s->state = SLOT_PENDING;
		else
			slot_settle(s, e);
	}
	if (e != STORE_OK)
		snprintf(rec->errmsg, sizeof(rec->errmsg),
		    "a recording process died in a commit, and the database "
		    "cannot say whether it was written: %s",
		    st == NULL ? "no connection" : store_errmsg(st));
	rec->stats.recovered++;
	rec->inflight = 0;	/* last: the step that makes recovery done */
}

/*
 * Commit every pending row as one batch.  Called holding the commit lock
 * and the state lock; the state lock is let go during the commit, so
 * other requests can queue their rows for the next batch meanwhile.
 */
static void
lead(struct recorder *rec, struct store *st)
{
	struct slot	*s;
	enum store_err	 e;
	uint64_t	 seq;
	size_t		 n = 0;
	unsigned	 i;
	bool		 alone = true;

	seq = ++rec->seq;
	rec->inflight = seq;
	for (i = 0; i < RECORDER_SLOTS; i++) {
		s = &rec->slots[i];
		if (s->state != SLOT_PENDING)
			continue;
		s->batch = seq;
		s->state = SLOT_BATCH;
		if (s->owner != self())
			alone = false;
		batch_rows[n] = s->row;
		if (s->has_host) {
			memcpy(batch_hosts[n], s->host, sizeof(s->host));
			batch_rows[n].host = batch_hosts[n];
		}
		if (s->has_node) {
			memcpy(batch_nodes[n], s->node, sizeof(s->node));
			batch_rows[n].node = batch_nodes[n];
		}
		n++;
	}
	/*
	 * My own rows wait for nobody else: if I die, none of their requests
	 * was answered, so they need no marker (and a single row costs less
	 * through store_record than as a batch).
	 */
	rec->marked = !alone;
	pthread_mutex_unlock(&rec->lock);

	if (recorder_hook != NULL)
		recorder_hook(RECORDER_AT_COMMIT, n);
	if (alone && n == 1)
		e = store_record(st, &batch_rows[0]);
	else
		e = store_record_batch(st, batch_rows, n, alone ? NULL : rec->key,
		    (int64_t)seq);
	if (recorder_hook != NULL && e == STORE_OK)
		recorder_hook(RECORDER_AT_COMMITTED, n);

	lock_robust(rec, &rec->lock, NULL, NULL);
	if (e != STORE_OK)
		snprintf(rec->errmsg, sizeof(rec->errmsg), "%s", store_errmsg(st));
	rec->stats.batches++;
	rec->stats.rows += n;
	for (i = 0; i < RECORDER_SLOTS; i++) {
		s = &rec->slots[i];
		if (s->state == SLOT_BATCH && s->batch == seq)
			slot_settle(s, e);
	}
	rec->inflight = 0;
}

/* Rows written on this connection, in one commit, without the shared memory. */
static enum store_err
record_direct(struct recorder *rec, struct store *st,
    const struct row *rows, size_t n, enum store_err *res,
    char *msg, size_t msgsz)
{
	enum store_err	 e;
	size_t		 i;

	if (n == 0)
		return STORE_OK;
	if (rec != NULL)
		__atomic_add_fetch(&rec->stats.direct, n, __ATOMIC_RELAXED);
	e = n == 1 ? store_record(st, rows) :
	    store_record_batch(st, rows, n, NULL, 0);
	if (e != STORE_OK && msgsz > 0 && msg[0] == '\0')
		snprintf(msg, msgsz, "%s", store_errmsg(st));
	for (i = 0; i < n; i++)
		res[i] = e;
	return e;
}

/* The result in my DONE slot, which is freed.  State lock held. */
static enum store_err
slot_result(struct recorder *rec, struct slot *s, char *msg, size_t msgsz)
{
	enum store_err	 e = s->result;

	if (e != STORE_OK && msgsz > 0 && msg[0] == '\0')
		snprintf(msg, msgsz, "%s", rec->errmsg);
	s->state = SLOT_FREE;
	return e;
}

/* Every one of my n slots is DONE.  State lock held. */
static bool
all_done(const struct recorder *rec, const int *mine, size_t n)
{
	size_t	 k;

	for (k = 0; k < n; k++)
		if (rec->slots[mine[k]].state != SLOT_DONE)
			return false;
	return true;
}

static bool
any_pending(const struct recorder *rec)
{
	unsigned	 i;

	for (i = 0; i < RECORDER_SLOTS; i++)
		if (rec->slots[i].state == SLOT_PENDING)
			return true;
	return false;
}

/*
 * Before it commits, a leader gives the requests that other workers are
 * handling right now (ACTIVE slots) a moment to queue their rows, so they
 * share this commit instead of each paying for one: a commit costs
 * several times an INSERT.  Bounded by RECORDER_GATHER_US; requests that
 * record nothing (a report, a 404) only ever cost the leader that bound.
 * State lock held on entry and return.
 */
static bool
gather_done(const struct recorder *rec)
{
	unsigned	 i, waiting = 0, pending = 0;

	for (i = 0; i < RECORDER_SLOTS; i++) {
		if (rec->slots[i].state == SLOT_ACTIVE && !rec->slots[i].abandoned)
			waiting++;
		if (rec->slots[i].state == SLOT_PENDING)
			pending++;
	}
	/*
	 * Wait for requests in progress; and, while rows arrive faster
	 * than the wait, for a batch as large as there are workers.
	 * Under a light load rows come apart: nobody waits for nothing.
	 */
	return waiting == 0 && (pending >= rec->workers ||
	    rec->gap_ns > (int64_t)rec->gather_us * 1000);
}

static void
gather(struct recorder *rec)
{
	struct timespec	 start, now, nap;
	unsigned	 i;
	uint32_t	 q;
	long		 us;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (gather_done(rec))
			return;
		clock_gettime(CLOCK_MONOTONIC, &now);
		us = (long)(now.tv_sec - start.tv_sec) * 1000000 +
		    (now.tv_nsec - start.tv_nsec) / 1000;
		if (us >= rec->gather_us) {
			/* Maybe a worker was killed in its request: its slot goes. */
			for (i = 0; i < RECORDER_SLOTS; i++)
				if (rec->slots[i].state == SLOT_ACTIVE &&
				    owner_gone(rec->slots[i].owner))
					rec->slots[i].state = SLOT_FREE;
			rec->stats.gather_timeouts++;
			return;
		}
		q = __atomic_load_n(&rec->queued, __ATOMIC_SEQ_CST);
		__atomic_store_n(&rec->gathering, 1, __ATOMIC_SEQ_CST);
		pthread_mutex_unlock(&rec->lock);
		nap.tv_sec = (rec->gather_us - us) / 1000000;
		nap.tv_nsec = (rec->gather_us - us) % 1000000 * 1000L;
		syscall(SYS_futex, &rec->queued, FUTEX_WAIT, q, &nap, NULL, 0);
		lock_robust(rec, &rec->lock, NULL, NULL);
		__atomic_store_n(&rec->gathering, 0, __ATOMIC_SEQ_CST);
	}
}

void
recorder_begin(struct recorder *rec)
{
	if (rec == NULL || __atomic_load_n(&rec->broken, __ATOMIC_RELAXED))
		return;
	recorder_end(rec);
	if (lock_robust(rec, &rec->lock, NULL, NULL) != 0)
		return;
	active = slot_take(rec);
	pthread_mutex_unlock(&rec->lock);
}

void
recorder_end(struct recorder *rec)
{
	struct slot	*s;

	if (rec == NULL || active < 0)
		return;
	s = &rec->slots[active];
	active = -1;
	if (lock_robust(rec, &rec->lock, NULL, NULL) != 0)
		return;
	if (s->state == SLOT_ACTIVE && s->owner == self())
		s->state = SLOT_FREE;
	pthread_mutex_unlock(&rec->lock);
}

/* Milliseconds from now to deadline; 0 when it has passed. */
static long
ms_left(const struct timespec *deadline)
{
	struct timespec	 now;
	long		 ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long)(deadline->tv_sec - now.tv_sec) * 1000 +
	    (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms > 0 ? ms : 0;
}

/*
 * The lock is free: settle a dead leader's batch if there is one, then
 * commit whatever is pending, mine or not.  Returns my result.
 */
static void
take_lead(struct recorder *rec, struct store *st, const int *mine, size_t n,
    enum store_err *res, bool died, char *msg, size_t msgsz)
{
	size_t	 k;

	lock_robust(rec, &rec->lock, NULL, NULL);
	if (died) {
		recover(rec, st);
		pthread_mutex_consistent(&rec->commit);
	}
	if (any_pending(rec)) {
		gather(rec);
		lead(rec, st);
	}
	/* With the commit lock held, nothing is in a batch: mine are DONE. */
	for (k = 0; k < n; k++)
		res[k] = slot_result(rec, &rec->slots[mine[k]], msg, msgsz);
	pthread_mutex_unlock(&rec->lock);
	pthread_mutex_unlock(&rec->commit);
	/*
	 * After the unlock: a follower that sees the new number either finds
	 * its row done or finds the lock free to lead the rows that queued
	 * meanwhile.
	 */
	__atomic_add_fetch(&rec->gen, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&rec->waiters, __ATOMIC_SEQ_CST) > 0)
		syscall(SYS_futex, &rec->gen, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

enum store_err
recorder_record(struct recorder *rec, struct store *st,
    const struct row *row, unsigned busy_timeout_ms,
    char *msg, size_t msgsz)
{
	enum store_err	 res;

	return recorder_record_rows(rec, st, row, 1, &res, busy_timeout_ms,
	    msg, msgsz);
}

enum store_err
recorder_record_rows(struct recorder *rec, struct store *st,
    const struct row *rows, size_t n, enum store_err *res,
    unsigned busy_timeout_ms, char *msg, size_t msgsz)
{
	struct timespec	 deadline, nap;
	enum store_err	 e;
	uint64_t	 ms;
	uint32_t	 gen, gathering;
	size_t		 k, got = 0;
	long		 left;
	int		 mine[RECORDER_ROWS_MAX];
	int		 i, rc;

	if (msgsz > 0)
		msg[0] = '\0';
	if (st == NULL) {
		snprintf(msg, msgsz, "no database connection");
		for (k = 0; k < n; k++)
			res[k] = STORE_CANTOPEN;
		return n > 0 ? STORE_CANTOPEN : STORE_OK;
	}
	if (n == 0)
		return STORE_OK;
	if (rec == NULL || n > RECORDER_ROWS_MAX ||
	    __atomic_load_n(&rec->broken, __ATOMIC_RELAXED))
		return record_direct(rec, st, rows, n, res, msg, msgsz);

	/*
	 * A leader waits on SQLite's busy timeout at most; a follower waits
	 * for that, plus a margin for the commit itself.
	 */
	ms = (uint64_t)busy_timeout_ms + RECORDER_MARGIN_MS;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += (time_t)(ms / 1000);
	deadline.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}

	if (lock_robust(rec, &rec->lock, NULL, NULL) != 0)
		return record_direct(rec, st, rows, n, res, msg, msgsz);
	/* The first row takes the slot begun for this request, if it still has it. */
	i = active;
	active = -1;
	if (i < 0 || rec->slots[i].state != SLOT_ACTIVE ||
	    rec->slots[i].owner != self())
		i = slot_take(rec);
	while (i >= 0) {
		slot_fill(rec, &rec->slots[i], &rows[got]);
		mine[got++] = i;
		if (got == n)
			break;
		i = slot_take(rec);
	}
	gathering = __atomic_load_n(&rec->gathering, __ATOMIC_SEQ_CST) &&
	    gather_done(rec);
	pthread_mutex_unlock(&rec->lock);
	if (got == 0)
		return record_direct(rec, st, rows, n, res, msg, msgsz);
	/* A leader waits for the rows of requests in progress: they are all in. */
	if (gathering)
		syscall(SYS_futex, &rec->queued, FUTEX_WAKE, 1, NULL, NULL, 0);

	/*
	 * Followers do not queue on the commit lock: a leader barging back
	 * for its next request would keep them waiting for rows that are long
	 * done.  They sleep on gen, which every leader bumps when it lets go,
	 * and look at their slots.  A leader that dies never bumps it: the
	 * nap is short, and the next try of the lock says EOWNERDEAD.
	 */
	__atomic_add_fetch(&rec->waiters, 1, __ATOMIC_SEQ_CST);
	for (;;) {
		gen = __atomic_load_n(&rec->gen, __ATOMIC_SEQ_CST);
		rc = pthread_mutex_trylock(&rec->commit);
		if (rc == 0 || rc == EOWNERDEAD) {
			take_lead(rec, st, mine, got, res, rc == EOWNERDEAD,
			    msg, msgsz);
			break;
		}
		if (rc == ENOTRECOVERABLE)
			__atomic_store_n(&rec->broken, 1, __ATOMIC_RELAXED);
		lock_robust(rec, &rec->lock, NULL, NULL);
		if (all_done(rec, mine, got)) {
			for (k = 0; k < got; k++)
				res[k] = slot_result(rec, &rec->slots[mine[k]],
				    msg, msgsz);
			pthread_mutex_unlock(&rec->lock);
			break;
		}
		if (rc != EBUSY || (left = ms_left(&deadline)) == 0) {
			for (k = 0; k < got; k++) {
				if (rec->slots[mine[k]].state == SLOT_DONE)
					res[k] = slot_result(rec,
					    &rec->slots[mine[k]], msg, msgsz);
				else
					res[k] = give_up(rec,
					    &rec->slots[mine[k]], rc,
					    (unsigned)ms, msg, msgsz);
			}
			pthread_mutex_unlock(&rec->lock);
			/* Withdrawn because the lock is lost for good: written here. */
			for (k = 0; k < got; k++)
				if (res[k] == STORE__MAX)
					record_direct(rec, st, &rows[k], 1,
					    &res[k], msg, msgsz);
			break;
		}
		pthread_mutex_unlock(&rec->lock);
		left = left < RECORDER_NAP_MS ? left : RECORDER_NAP_MS;
		nap.tv_sec = left / 1000;
		nap.tv_nsec = (left % 1000) * 1000000L;
		syscall(SYS_futex, &rec->gen, FUTEX_WAIT, gen, &nap, NULL, 0);
	}
	__atomic_sub_fetch(&rec->waiters, 1, __ATOMIC_SEQ_CST);
	/* Rows that found no free slot (all RECORDER_SLOTS busy) get their own commit. */
	record_direct(rec, st, rows + got, n - got, res + got, msg, msgsz);
	e = STORE_OK;
	for (k = 0; k < n; k++)
		if (res[k] != STORE_OK && e == STORE_OK)
			e = res[k];
	return e;
}

/*
 * No leader answered by the deadline (or the lock is lost for good): a
 * pending row is withdrawn, one in a batch is left to its leader.  State
 * lock held.  STORE__MAX: withdrawn, and the lock is lost: record directly.
 */
static enum store_err
give_up(struct recorder *rec, struct slot *s, int rc, unsigned ms,
    char *msg, size_t msgsz)
{
	if (s->state == SLOT_PENDING) {
		s->state = SLOT_FREE;
		if (rc == ENOTRECOVERABLE)
			return STORE__MAX;
	} else
		s->abandoned = true;	/* it may still be written; it answers no one */
	rec->stats.timeouts++;
	if (msgsz > 0 && msg[0] == '\0')
		snprintf(msg, msgsz, "group commit: no commit within %u ms", ms);
	return STORE_BUSY;
}

static bool	 holding;	/* this process holds the commit lock for other work */

void
recorder_hold(struct recorder *rec, struct store *st)
{
	bool	 died;

	if (rec == NULL || holding || __atomic_load_n(&rec->broken, __ATOMIC_RELAXED))
		return;
	if (lock_robust(rec, &rec->commit, NULL, &died) != 0)
		return;
	if (died) {
		lock_robust(rec, &rec->lock, NULL, NULL);
		recover(rec, st);
		pthread_mutex_unlock(&rec->lock);
		pthread_mutex_consistent(&rec->commit);
	}
	holding = true;
}

void
recorder_release(struct recorder *rec)
{
	if (rec == NULL || !holding)
		return;
	holding = false;
	pthread_mutex_unlock(&rec->commit);
	/* As a leader does when it lets go: waiting requests look again. */
	__atomic_add_fetch(&rec->gen, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&rec->waiters, __ATOMIC_SEQ_CST) > 0)
		syscall(SYS_futex, &rec->gen, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

const char *
recorder_key(const struct recorder *rec)
{
	return rec != NULL ? rec->key : NULL;
}

void
recorder_stats(struct recorder *rec, struct recorder_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (rec == NULL)
		return;
	if (lock_robust(rec, &rec->lock, NULL, NULL) != 0)
		return;
	*out = rec->stats;
	out->direct = __atomic_load_n(&rec->stats.direct, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&rec->lock);
}
