/* intake.c: a FastCGI worker's connections, held until their request has arrived whole. */
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "intake.h"
#include "log.h"

/* What a peek looks at: all params may be, and the start of stdin to see its end. */
#define PEEK_MAX	(FCGI_SCAN_PARAMS_MAX + 64 * 1024)
#define ACCEPT_MAX	16	/* per wake: the rest is left to the other workers */
#define EVENTS_MAX	64
#define NEVER		INT64_MAX

enum conn_state {
	C_FREE,
	C_WAIT,		/* watched: its request is not all here yet */
	C_READY,	/* all here, in the ready queue */
	C_OUT,		/* given to the caller */
	C_LINGER,	/* answered; reading what is left until the web server closes */
	C__MAX
};

struct conn {
	struct intake_conn	 pub;		/* first: intake_done gets it back */
	enum conn_state		 state;
	bool			 idle;		/* kept, and nothing of its next request yet */
	int64_t			 deadline;	/* CLOCK_MONOTONIC ms, or NEVER */
	size_t			 slot;		/* in live[] while C_WAIT or C_LINGER */
};

struct intake {
	int			 ep;
	int			 lfd;
	unsigned		 timeout_ms;
	bool			 draining;	/* no longer accepting */
	struct conn		*conns;		/* INTAKE_CONNS_MAX of them */
	struct conn		*free[INTAKE_CONNS_MAX];
	size_t			 nfree;
	struct conn		*live[INTAKE_CONNS_MAX];	/* C_WAIT and C_LINGER */
	size_t			 nlive;
	struct conn		*ready[INTAKE_CONNS_MAX];	/* a ring, oldest first */
	size_t			 ready_head, nready;
	struct intake_stats	 st;
	unsigned char		 peek[PEEK_MAX];
};

static int64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
set_blocking(int fd, bool blocking)
{
	int	 fl = fcntl(fd, F_GETFL);

	if (fl == -1)
		return -1;
	fl = blocking ? fl & ~O_NONBLOCK : fl | O_NONBLOCK;
	return fcntl(fd, F_SETFL, fl);
}

static void
live_add(struct intake *it, struct conn *c)
{
	c->slot = it->nlive;
	it->live[it->nlive++] = c;
}

static void
live_remove(struct intake *it, struct conn *c)
{
	struct conn	*last = it->live[--it->nlive];

	it->live[c->slot] = last;
	last->slot = c->slot;
}

/* Close c and free its slot, wherever it stands. */
static void
conn_close(struct intake *it, struct conn *c)
{
	if (c->state == C_WAIT || c->state == C_LINGER) {
		live_remove(it, c);
		/* Closing removes it from epoll. */
	}
	if (c->pub.fd != -1)
		close(c->pub.fd);
	c->pub.fd = -1;
	c->state = C_FREE;
	it->free[it->nfree++] = c;
}

static int
watch(struct intake *it, struct conn *c)
{
	struct epoll_event	 ev;

	memset(&ev, 0, sizeof(ev));
	/* Edge-triggered: a peek leaves the bytes there, so only new ones may wake us. */
	ev.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
	ev.data.ptr = c;
	return epoll_ctl(it->ep, EPOLL_CTL_ADD, c->pub.fd, &ev);
}

/*
 * All here: libfcgi reads it with blocking calls now, bounded by the
 * socket's timeouts should anything still be missing.
 */
static void
conn_ready(struct intake *it, struct conn *c)
{
	struct timeval	 tv;

	epoll_ctl(it->ep, EPOLL_CTL_DEL, c->pub.fd, NULL);
	live_remove(it, c);
	tv.tv_sec = it->timeout_ms / 1000;
	tv.tv_usec = (it->timeout_ms % 1000) * 1000;
	if (set_blocking(c->pub.fd, true) == -1 ||
	    setsockopt(c->pub.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == -1 ||
	    setsockopt(c->pub.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == -1) {
		c->state = C_OUT;	/* conn_close takes it from here */
		conn_close(it, c);
		return;
	}
	c->pub.body_cut = !c->pub.scan.stdin_done || c->pub.too_large;
	c->state = C_READY;
	it->ready[(it->ready_head + it->nready++) % INTAKE_CONNS_MAX] = c;
}

/* A lingering connection: read what comes and drop it, until the end. */
static void
conn_drain(struct intake *it, struct conn *c)
{
	ssize_t	 n;

	while ((n = read(c->pub.fd, it->peek, sizeof(it->peek))) > 0)
		continue;
	if (n == 0 || (errno != EAGAIN && errno != EINTR))
		conn_close(it, c);
}

/* Look again at what a waiting connection has sent. */
static void
conn_poll(struct intake *it, struct conn *c)
{
	enum fcgi_scan_result	 r;
	ssize_t			 n;

	if (c->state == C_LINGER) {
		conn_drain(it, c);
		return;
	}
	n = recv(c->pub.fd, it->peek, sizeof(it->peek), MSG_PEEK | MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		/* Gone before its request was whole (or, kept, before another). */
		conn_close(it, c);
		return;
	}
	if (c->idle) {
		/* The next request on a kept connection: its own deadline starts. */
		c->idle = false;
		c->deadline = now_ms() + it->timeout_ms;
	}
	r = fcgi_scan(&c->pub.scan, it->peek, (size_t)n);
	/* A peek that fills the buffer and still ends no params never will. */
	if (r == FCGI_SCAN_MORE && (size_t)n == sizeof(it->peek)) {
		r = FCGI_SCAN_BAD;
		c->pub.scan.too_large = true;
	}
	switch (r) {
	case FCGI_SCAN_READY:
		conn_ready(it, c);
		break;
	case FCGI_SCAN_BAD:
		/* Too much, but a request all the same: it gets an answer. */
		if (c->pub.scan.too_large && c->pub.scan.role != 0) {
			it->st.too_large++;
			c->pub.too_large = true;
			conn_ready(it, c);
			break;
		}
		it->st.bad++;
		log_warnx("closed a FastCGI connection: %s", c->pub.scan.why);
		conn_close(it, c);
		break;
	default:
		break;
	}
}

/*
 * Room for one more connection: close one that is answered already
 * (lingering), else one the web server keeps idle, else the one waiting
 * longest for its request.
 */
static struct conn *
conn_take(struct intake *it)
{
	struct conn	*victim = NULL, *c;
	size_t		 i;
	int		 rank, best = 0;

	if (it->nfree > 0)
		return it->free[--it->nfree];
	for (i = 0; i < it->nlive; i++) {
		c = it->live[i];
		rank = c->state == C_LINGER ? 3 : c->idle ? 2 : 1;
		if (victim == NULL || rank > best ||
		    (rank == best && c->deadline < victim->deadline)) {
			victim = c;
			best = rank;
		}
	}
	if (victim == NULL)
		return NULL;	/* every one is ready or out: the caller takes them first */
	if (best == 1)
		it->st.evicted++;
	conn_close(it, victim);
	return it->free[--it->nfree];
}

/* Take the connections waiting on the listening socket, up to ACCEPT_MAX. */
static int
accept_some(struct intake *it)
{
	struct conn	*c;
	int		 fd, i;

	for (i = 0; i < ACCEPT_MAX; i++) {
		fd = accept4(it->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			/* A connection that broke before it was taken is its own loss. */
			if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
				continue;
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
			    errno == ENOMEM) {
				log_warnx("accept: %s", strerror(errno));
				return 0;
			}
			log_warnx("accept: %s", strerror(errno));
			return -1;
		}
		if ((c = conn_take(it)) == NULL) {
			close(fd);
			return 0;
		}
		memset(&c->pub, 0, sizeof(c->pub));
		c->pub.fd = fd;
		c->state = C_WAIT;
		c->idle = false;
		c->deadline = now_ms() + it->timeout_ms;
		live_add(it, c);
		it->st.accepted++;
		if (watch(it, c) == -1) {
			conn_close(it, c);
			continue;
		}
		conn_poll(it, c);
	}
	return 0;
}

/* Close what has waited past its deadline; the ms until the next one, or -1. */
static int
expire(struct intake *it)
{
	int64_t		 now = now_ms(), next = NEVER;
	struct conn	*c;
	size_t		 i = 0;

	while (i < it->nlive) {
		c = it->live[i];
		if (c->deadline > now) {
			if (c->deadline < next)
				next = c->deadline;
			i++;
			continue;
		}
		if (c->state == C_WAIT) {
			it->st.timed_out++;
			log_warnx("closed a FastCGI connection: its request did not "
			    "arrive within %u ms", it->timeout_ms);
		}
		conn_close(it, c);	/* live[i] is now another one */
	}
	if (next == NEVER)
		return -1;
	return next - now > 60000 ? 60000 : (int)(next - now);
}

struct intake *
intake_new(int lfd, unsigned timeout_ms)
{
	struct intake		*it;
	struct epoll_event	 ev;
	size_t			 i;

	if ((it = calloc(1, sizeof(*it))) == NULL)
		return NULL;
	if ((it->conns = calloc(INTAKE_CONNS_MAX, sizeof(*it->conns))) == NULL)
		goto fail;
	it->lfd = lfd;
	it->timeout_ms = timeout_ms > 0 ? timeout_ms : 1;
	for (i = INTAKE_CONNS_MAX; i > 0; i--) {
		it->conns[i - 1].pub.fd = -1;
		it->free[it->nfree++] = &it->conns[i - 1];
	}
	if ((it->ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		goto fail;
	memset(&ev, 0, sizeof(ev));
	/* One worker is woken per connection, not all of them. */
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	ev.data.ptr = NULL;
	if (set_blocking(lfd, false) == -1 ||
	    epoll_ctl(it->ep, EPOLL_CTL_ADD, lfd, &ev) == -1) {
		close(it->ep);
		goto fail;
	}
	return it;
fail:
	free(it->conns);
	free(it);
	return NULL;
}

void
intake_free(struct intake *it)
{
	size_t	 i;

	if (it == NULL)
		return;
	for (i = 0; i < INTAKE_CONNS_MAX; i++)
		if (it->conns[i].pub.fd != -1)
			close(it->conns[i].pub.fd);
	close(it->ep);
	free(it->conns);
	free(it);
}

void
intake_drain(struct intake *it)
{
	size_t	 i = 0;

	if (it->draining)
		return;
	it->draining = true;
	epoll_ctl(it->ep, EPOLL_CTL_DEL, it->lfd, NULL);
	/* A kept connection with no request started has nothing to finish. */
	while (i < it->nlive)
		if (it->live[i]->idle)
			conn_close(it, it->live[i]);
		else
			i++;
}

bool
intake_busy(const struct intake *it)
{
	size_t	 i;

	if (it->nready > 0)
		return true;
	for (i = 0; i < it->nlive; i++)
		if (it->live[i]->state == C_WAIT)
			return true;
	return false;
}

int
intake_wait(struct intake *it, const sigset_t *open, struct intake_conn **out,
    size_t max, int idle_ms)
{
	struct epoll_event	 ev[EVENTS_MAX];
	struct conn		*c;
	size_t			 k;
	int			 n, i, timeout;

	for (;;) {
		if (it->nready > 0) {
			for (k = 0; k < max && it->nready > 0; k++) {
				c = it->ready[it->ready_head];
				it->ready_head = (it->ready_head + 1) % INTAKE_CONNS_MAX;
				it->nready--;
				c->state = C_OUT;
				out[k] = &c->pub;
			}
			return (int)k;
		}
		timeout = expire(it);
		if (it->draining && !intake_busy(it))
			return 0;
		if (idle_ms >= 0 && (timeout == -1 || timeout > idle_ms))
			timeout = idle_ms;
		n = epoll_pwait(it->ep, ev, EVENTS_MAX, timeout, open);
		if (n == 0 && timeout == idle_ms)
			return 0;
		if (n == -1) {
			if (errno == EINTR)
				return 0;
			log_warnx("epoll_wait: %s", strerror(errno));
			return -1;
		}
		for (i = 0; i < n; i++) {
			if (ev[i].data.ptr == NULL) {
				if (accept_some(it) == -1)
					return -1;
				continue;
			}
			c = ev[i].data.ptr;
			/* Closed by an earlier event of this round (made room, say). */
			if (c->state == C_WAIT || c->state == C_LINGER)
				conn_poll(it, c);
		}
	}
}

void
intake_done(struct intake *it, struct intake_conn *pc, enum intake_end how)
{
	struct conn	*c = (struct conn *)pc;

	if (how == INTAKE_GONE)
		c->pub.fd = -1;
	if (how == INTAKE_KEEP && it->draining)
		how = INTAKE_CLOSE;
	if (how == INTAKE_KEEP || how == INTAKE_LINGER) {
		if (set_blocking(c->pub.fd, false) == -1 ||
		    (how == INTAKE_LINGER && shutdown(c->pub.fd, SHUT_WR) == -1) ||
		    watch(it, c) == -1)
			how = INTAKE_CLOSE;
	}
	switch (how) {
	case INTAKE_KEEP:
		c->state = C_WAIT;
		c->idle = true;
		c->deadline = NEVER;
		memset(&c->pub.scan, 0, sizeof(c->pub.scan));
		live_add(it, c);
		conn_poll(it, c);	/* its next request may be here already */
		break;
	case INTAKE_LINGER:
		c->state = C_LINGER;
		c->deadline = now_ms() + INTAKE_LINGER_MS;
		live_add(it, c);
		conn_drain(it, c);
		break;
	default:
		conn_close(it, c);
		break;
	}
}

void
intake_stats(const struct intake *it, struct intake_stats *st)
{
	*st = it->st;
}
