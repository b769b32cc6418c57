/* stats.c: counters shared by the workers of one process tree (anonymous shared memory). */
#include <string.h>
#include <sys/mman.h>

#include "stats.h"

struct stats *
stats_create(void)
{
	static struct stats	 fallback;
	void			*p;

	p = mmap(NULL, sizeof(struct stats), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return &fallback;
	memset(p, 0, sizeof(struct stats));
	return p;
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
