/* server.c: the request loops: FastCGI on fd 0, plain CGI, and dualstat serve with its workers. */
#include "autoconf.h"

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "app.h"
#include "log.h"
#include "recorder.h"
#include "server.h"

#define WORKERS_MAX	64
#define DRAIN_SECONDS	10	/* a worker still busy after this is killed */

static volatile sig_atomic_t	 stopping;

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

/*
 * SIGTERM and SIGINT set a flag and, having no SA_RESTART, interrupt the
 * blocking accept so the loop can end.  While a request is handled they
 * are blocked, so a response is never cut off half-way.
 */
static void
signals_init(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static void
signals_block(int how)
{
	sigset_t	 set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(how, &set, NULL);
}

/* The i-th param called name: a header that came twice may be two params. */
static const char *
fcgi_param(void *ctx, const char *name, size_t i)
{
	FCGX_Request	*fr = ctx;
	size_t		 len = strlen(name);
	char		**p;

	for (p = fr->envp; p != NULL && *p != NULL; p++)
		if (strncmp(*p, name, len) == 0 && (*p)[len] == '=' && i-- == 0)
			return *p + len + 1;
	return NULL;
}

extern char	**environ;

static const char *
env_param(void *ctx, const char *name, size_t i)
{
	size_t	 len = strlen(name);
	char	**p;

	(void)ctx;
	for (p = environ; *p != NULL; p++)
		if (strncmp(*p, name, len) == 0 && (*p)[len] == '=' && i-- == 0)
			return *p + len + 1;
	return NULL;
}

/*
 * Requests answered after one commit: the connections already waiting when
 * a worker takes one.  DUALSTAT_BATCH (1..SERVER_BATCH_MAX) overrides it,
 * for benchmarks; 1 answers each request on its own.  A value that is not
 * one is said in the log (once per worker) and the default taken.
 */
#define SERVER_BATCH_MAX	16

static size_t
batch_max(void)
{
	const char	*s = getenv("DUALSTAT_BATCH");
	long		 n;

	char		*end;

	if (s == NULL || s[0] == '\0')
		return SERVER_BATCH_MAX;
	n = strtol(s, &end, 10);
	if (*end != '\0' || n < 1 || n > SERVER_BATCH_MAX) {
		log_warnx("DUALSTAT_BATCH=%.20s is not a number from 1 to %d; "
		    "taking %d", s, SERVER_BATCH_MAX, SERVER_BATCH_MAX);
		return SERVER_BATCH_MAX;
	}
	return (size_t)n;
}

/*
 * The listening socket is made non-blocking, so that a worker can take
 * every connection already waiting and stop when there is none; it sleeps
 * in epoll, where EPOLLEXCLUSIVE wakes one worker per connection rather
 * than all of them.  -1: it cannot, and each request is taken alone.
 */
static int
wait_init(int sock)
{
	struct epoll_event	 ev;
	int			 fl, ep;

	if ((fl = fcntl(sock, F_GETFL)) == -1 ||
	    (ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		return -1;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, sock, &ev) == -1 ||
	    fcntl(sock, F_SETFL, fl | O_NONBLOCK) == -1) {
		close(ep);
		return -1;
	}
	return ep;
}

/*
 * Accept the next request into fr, waiting in ep (-1: in accept) for one.
 * The stop signals are open only while waiting: one that arrived while
 * libfcgi reads a request's params would cut the read short, and libfcgi
 * takes that for their end, so half a request would be answered as some
 * other page.  Without epoll the wait is the accept itself: open then.
 */
static int
take_next(FCGX_Request *fr, int ep)
{
	struct epoll_event	 ev;
	sigset_t		 open;
	int			 rc;

	sigprocmask(SIG_BLOCK, NULL, &open);
	sigdelset(&open, SIGTERM);
	sigdelset(&open, SIGINT);
	for (;;) {
		if (stopping)
			return -1;
		if (ep == -1)
			signals_block(SIG_UNBLOCK);
		rc = FCGX_Accept_r(fr);
		if (ep == -1)
			signals_block(SIG_BLOCK);
		if (rc >= 0)
			return 0;
		if (stopping)
			return -1;
		/* A broken connection ends its own request, not the worker. */
		if (rc == -EINTR || rc == -ECONNABORTED || rc == -EPROTO)
			continue;
		if (ep == -1 || (rc != -EAGAIN && rc != -EWOULDBLOCK)) {
			log_warnx("accept: %s", rc < 0 && rc > -4096 ?
			    strerror(-rc) : "libfcgi failed");
			return -1;
		}
		if (epoll_pwait(ep, &ev, 1, -1, &open) == -1 && errno != EINTR) {
			log_warnx("epoll_wait: %s", strerror(errno));
			return -1;
		}
	}
}

/*
 * Read what is left of a responder's input (a request body that no page
 * reads), up to a limit.  True when it is all read: its connection may then
 * be closed at once.  Otherwise libfcgi's close shuts down the sending side
 * and reads until the web server closes (up to 2 s), because closing a
 * socket with unread input resets it and the response could be lost.  An
 * Authorizer gets no input stream to read.
 */
#define DRAIN_MAX	65536

static bool
input_done(FCGX_Request *fr, const struct request *req)
{
	char	 buf[4096];
	size_t	 total = 0;
	int	 n;

	if (req->authorizer)
		return false;
	while ((n = FCGX_GetStr(buf, (int)sizeof(buf), fr->in)) > 0)
		if ((total += (size_t)n) > DRAIN_MAX)
			return false;
	return true;
}

/*
 * Serve FastCGI requests on sock until told to stop.  A worker takes a
 * request and, without waiting, every other one already queued (up to
 * batch_max()); their rows go into one commit, and then each is answered.
 * So no response leaves before its row is committed, and under load a
 * commit serves many requests instead of one.  A slot whose connection the
 * web server keeps open (FCGI_KEEP_CONN) would block on that connection's
 * next request: such a slot ends the batch instead of joining it.  (Only
 * the web server reaches this socket: one that connects and then sends
 * nothing holds up the requests taken with it, as it held up a worker
 * before.)
 */
static int
fcgi_loop(struct app *a, int sock)
{
	static FCGX_Request	 fr[SERVER_BATCH_MAX];
	static struct request	 req[SERVER_BATCH_MAX];
	static struct visit	 v[SERVER_BATCH_MAX];
	static bool		 linger[SERVER_BATCH_MAX];
	struct response		 r;
	struct buf		 head = { 0 };
	size_t			 i, n, max = batch_max();
	int			 ep;

	/*
	 * A batch's libfcgi buffers (about 20 KiB a request) are freed at its
	 * end; glibc would give that heap back to the kernel every time and
	 * fault it in again for the next batch.  Keep up to 1 MiB of it.
	 */
	mallopt(M_TRIM_THRESHOLD, 1 << 20);
	for (i = 0; i < max; i++)
		if (FCGX_InitRequest(&fr[i], sock, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
			log_warnx("FCGX_InitRequest failed");
			return 1;
		}
	if ((ep = wait_init(sock)) == -1)
		max = 1;
	signals_block(SIG_BLOCK);
	while (!stopping) {
		if (take_next(&fr[0], ep) != 0)
			break;
		recorder_begin(recorder_current());
		n = 0;
		do {
			request_read(&req[n], fcgi_param, &fr[n], &a->cfg);
			app_visit(a, &req[n], &v[n]);
			n++;
		} while (n < max && fr[n].ipcFd < 0 && FCGX_Accept_r(&fr[n]) >= 0);
		app_record(a, v, n);
		/*
		 * Every response is sent (closing the streams writes the
		 * end-of-request record) before any connection is closed.  A
		 * connection whose input is all read is closed without waiting
		 * for the web server (FCGX_Detach: no lingering close).
		 */
		for (i = 0; i < n; i++) {
			linger[i] = !input_done(&fr[i], &req[i]);
			app_answer(a, &req[i], &v[i], &r);
			buf_reset(&head);
			response_head(&r, &head);
			FCGX_PutStr(buf_str(&head), (int)head.len, fr[i].out);
			if (!r.head && r.body.len > 0)
				FCGX_PutStr(r.body.data, (int)r.body.len, fr[i].out);
			response_free(&r);
			FCGX_FClose(fr[i].err);
			FCGX_FClose(fr[i].out);
			if (!linger[i])
				FCGX_Detach(&fr[i]);
		}
		for (i = 0; i < n; i++)
			FCGX_Finish_r(&fr[i]);
		recorder_end(recorder_current());
		app_idle(a);
	}
	for (i = 0; i < max; i++)
		FCGX_Free(&fr[i], 0);
	if (ep != -1)
		close(ep);
	buf_free(&head);
	return 0;
}

int
server_fastcgi(const char *conf)
{
	struct app	 a;
	int		 rc;

	signals_init();
	if (FCGX_Init() != 0) {
		fprintf(stderr, "dualstat: FCGX_Init failed\n");
		return 1;
	}
	app_init(&a, conf, APP_FASTCGI, NULL);
	rc = fcgi_loop(&a, 0);
	app_free(&a);
	return rc;
}

int
server_cgi(const char *conf)
{
	struct app	 a;
	struct request	 req;
	struct response	 r;
	struct buf	 head = { 0 };
	int		 rc = 0, fd;

	app_init(&a, conf, APP_CGI, NULL);
	request_read(&req, env_param, NULL, &a.cfg);
	app_handle(&a, &req, &r);
	response_head(&r, &head);
	if (fwrite(head.data, 1, head.len, stdout) != head.len)
		rc = 1;
	if (!r.head && r.body.len > 0 &&
	    fwrite(r.body.data, 1, r.body.len, stdout) != r.body.len)
		rc = 1;
	if (fflush(stdout) != 0)
		rc = 1;
	buf_free(&head);
	response_free(&r);
	/*
	 * The response is complete when the web server reads the end of
	 * our output: hand it that (fd 1 becomes /dev/null), then take this
	 * process's turn at the upkeep, if it is due.  Apache sends a CGI
	 * process that outlives its request SIGTERM and, 3 s later, SIGKILL:
	 * the bounded upkeep finishes in between (a kill would only roll
	 * its transaction back).
	 */
	if (rc == 0 && (fd = open("/dev/null", O_WRONLY | O_CLOEXEC)) != -1) {
		if (dup2(fd, STDOUT_FILENO) != -1) {
			signal(SIGTERM, SIG_IGN);
			app_idle(&a);
		}
		close(fd);
	}
	app_free(&a);
	return rc;
}

/* ---- dualstat serve ------------------------------------------------------ */

struct listen_addr {
	int			 family;	/* AF_UNIX, AF_INET, AF_INET6 */
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	const char		*path;		/* AF_UNIX we bound (and remove) */
	int			 fd;		/* fd:N, already listening; else -1 */
};

static bool
sockaddr_loopback(const struct sockaddr_storage *ss)
{
	const struct sockaddr_in	*sin = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6	*sin6 = (const struct sockaddr_in6 *)ss;

	switch (ss->ss_family) {
	case AF_UNIX:
		return true;
	case AF_INET:
		return (ntohl(sin->sin_addr.s_addr) >> 24) == 127;
	case AF_INET6:
		return IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr) ||
		    (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr) &&
		     sin6->sin6_addr.s6_addr[12] == 127);
	default:
		return false;
	}
}

/*
 * fd:N: a socket somebody else opened (systemd's socket activation with
 * StandardInput=socket gives fd:0).  It must already listen, and the same
 * loopback rule holds for it.
 */
static int
listen_fd(const char *text, bool allow_remote, struct listen_addr *la,
    char *err, size_t errsz)
{
	char		*end;
	long		 n;
	int		 on = 0;
	socklen_t	 len = sizeof(on);

	n = strtol(text + 3, &end, 10);
	if (text[3] < '0' || text[3] > '9' || *end != '\0' || n > 1024) {
		snprintf(err, errsz, "--listen %s: expected fd:N with N a file descriptor", text);
		return -1;
	}
	la->fd = (int)n;
	la->len = sizeof(la->ss);
	if (getsockopt(la->fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) == -1 || !on ||
	    getsockname(la->fd, (struct sockaddr *)&la->ss, &la->len) == -1) {
		snprintf(err, errsz, "--listen %s: not a listening socket", text);
		return -1;
	}
	la->family = la->ss.ss_family;
	if (!allow_remote && !sockaddr_loopback(&la->ss)) {
		snprintf(err, errsz, "--listen %s: not a loopback address; the FastCGI "
		    "socket must not be reachable from the network (--allow-remote to insist)", text);
		return -1;
	}
	return 0;
}

static int
port_parse(const char *s, in_port_t *port)
{
	unsigned long	 v = 0;

	if (*s == '\0' || *s == '0' || strlen(s) > 5)
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	if (v > 65535)
		return -1;
	*port = htons((in_port_t)v);
	return 0;
}

static int
listen_parse(const char *text, bool allow_remote, struct listen_addr *la,
    char *err, size_t errsz)
{
	struct sockaddr_un	*sun = (struct sockaddr_un *)&la->ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&la->ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&la->ss;
	char			 host[INET6_ADDRSTRLEN + 1];
	const char		*colon, *end;
	size_t			 n;

	memset(la, 0, sizeof(*la));
	la->fd = -1;
	if (strncmp(text, "fd:", 3) == 0)
		return listen_fd(text, allow_remote, la, err, errsz);
	if (strncmp(text, "unix:", 5) == 0) {
		la->path = text + 5;
		if (la->path[0] == '\0' ||
		    strlen(la->path) >= sizeof(sun->sun_path)) {
			snprintf(err, errsz, "--listen %s: the socket path is empty or too long", text);
			return -1;
		}
		la->family = AF_UNIX;
		sun->sun_family = AF_UNIX;
		memcpy(sun->sun_path, la->path, strlen(la->path) + 1);
		la->len = sizeof(*sun);
		return 0;
	}
	if (text[0] == '[') {
		end = strchr(text, ']');
		if (end == NULL || end[1] != ':')
			goto bad;
		n = (size_t)(end - text - 1);
		colon = end + 1;
		if (n >= sizeof(host))
			goto bad;
		memcpy(host, text + 1, n);
		host[n] = '\0';
		la->family = AF_INET6;
		sin6->sin6_family = AF_INET6;
		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1 ||
		    port_parse(colon + 1, &sin6->sin6_port) != 0)
			goto bad;
		la->len = sizeof(*sin6);
	} else {
		colon = strrchr(text, ':');
		if (colon == NULL)
			goto bad;
		n = (size_t)(colon - text);
		if (n >= sizeof(host))
			goto bad;
		memcpy(host, text, n);
		host[n] = '\0';
		la->family = AF_INET;
		sin->sin_family = AF_INET;
		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1 ||
		    port_parse(colon + 1, &sin->sin_port) != 0)
			goto bad;
		la->len = sizeof(*sin);
	}
	if (!allow_remote && !sockaddr_loopback(&la->ss)) {
		snprintf(err, errsz, "--listen %s: not a loopback address; the FastCGI "
		    "socket must not be reachable from the network (--allow-remote to insist)", text);
		return -1;
	}
	return 0;
bad:
	snprintf(err, errsz, "--listen %s: expected unix:PATH, 127.0.0.1:PORT or [::1]:PORT", text);
	return -1;
}

int
server_listen_check(const char *listen, bool allow_remote, char *err, size_t errsz)
{
	struct listen_addr	 la;

	return listen_parse(listen, allow_remote, &la, err, errsz);
}

/* The listening socket, opened here because FCGX_OpenSocket speaks no IPv6. */
static int
listen_open(const struct listen_addr *la, const char *text)
{
	struct stat	 st;
	int		 fd, on = 1;
	mode_t		 old;

	if (la->fd != -1)
		return la->fd;
	fd = socket(la->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		fprintf(stderr, "dualstat: serve: socket: %s\n", strerror(errno));
		return -1;
	}
	if (la->family == AF_UNIX) {
		/* A stale socket from a previous run is replaced; any other file is not. */
		if (lstat(la->path, &st) == 0 && S_ISSOCK(st.st_mode))
			unlink(la->path);
	} else {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
		if (la->family == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	}
	/* Owner and group (the web server's) may connect; nobody else. */
	old = umask(0117);
	if (bind(fd, (const struct sockaddr *)&la->ss, la->len) == -1) {
		umask(old);
		fprintf(stderr, "dualstat: serve: bind %s: %s\n", text, strerror(errno));
		close(fd);
		return -1;
	}
	umask(old);
	if (listen(fd, 1024) == -1) {
		fprintf(stderr, "dualstat: serve: listen %s: %s\n", text, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static pid_t
worker_start(const struct serve_opts *o, int fd, struct stats *stats)
{
	struct app	 a;
	pid_t		 pid;
	int		 rc;

	pid = fork();
	if (pid != 0)
		return pid;
	/* The worker: its own SQLite connection, opened after the fork. */
	app_init(&a, o->conf, APP_SERVE, stats);
	signals_block(SIG_UNBLOCK);
	rc = fcgi_loop(&a, fd);
	app_free(&a);
	_exit(rc);
}

/*
 * Every worker has stopped: the group commit's batch marker in meta
 * (recorder.h) will never be read again.  Best effort: a database that
 * cannot be opened now keeps one small row.
 */
static void
marker_remove(const char *conf, const char *key)
{
	struct config	 cfg;
	struct store	*st;
	char		 err[CONFIG_ERR_MAX];

	if (key == NULL || config_load(&cfg, conf, err, sizeof(err)) != 0)
		return;
	if (store_open(&st, cfg.database, 0, cfg.busy_timeout_ms, err,
	    sizeof(err)) == STORE_OK) {
		if (store_meta_delete(st, key) != STORE_OK)
			log_warnx("removing %s: %s", key, store_errmsg(st));
		store_close(st);
	}
	config_free(&cfg);
}

int
server_serve(const struct serve_opts *o)
{
	struct listen_addr	 la;
	struct app		 a;
	struct stats		*stats;
	bool			 ok;
	pid_t			 pids[WORKERS_MAX], pid;
	time_t			 born[WORKERS_MAX];
	char			 err[256];
	const char		*gc;
	struct recorder_stats	 rs;
	unsigned		 i, alive;
	int			 fd, status;
	time_t			 deadline;

	if (listen_parse(o->listen, o->allow_remote, &la, err, sizeof(err)) != 0) {
		fprintf(stderr, "dualstat: serve: %s\n", err);
		return 2;
	}
	signals_init();
	if (FCGX_Init() != 0) {
		fprintf(stderr, "dualstat: FCGX_Init failed\n");
		return 1;
	}
	/*
	 * A configuration error stops serve before it listens, as on the
	 * command line (app_init said which file and line): a server that
	 * answers every request with a 500 helps nobody.  The workers share
	 * the counters this makes, in the database's file when it can be had.
	 */
	app_init(&a, o->conf, APP_SERVE, NULL);
	stats = a.stats;
	ok = a.cfg_ok;
	app_free(&a);
	if (!ok)
		return 1;
	if ((fd = listen_open(&la, o->listen)) == -1)
		return 1;
	/*
	 * Every worker, and every replacement, shares one group commit: their
	 * requests' rows are committed together (recorder.h).  Without the
	 * shared memory each commits its own rows, as before; so they do with
	 * DUALSTAT_GROUP_COMMIT=off.  That and DUALSTAT_GATHER_US are for the
	 * benchmark (bench/RESULTS.md), which compares them.
	 */
	gc = getenv("DUALSTAT_GROUP_COMMIT");
	if (gc == NULL || strcmp(gc, "off") != 0)
		recorder_use(recorder_create());
	gc = getenv("DUALSTAT_GATHER_US");
	recorder_tune(recorder_current(), o->workers, gc != NULL ? atol(gc) : -1);
	/* Children start with the stop signals blocked until their handlers are set. */
	signals_block(SIG_BLOCK);
	for (i = 0; i < o->workers; i++) {
		pids[i] = worker_start(o, fd, stats);
		born[i] = time(NULL);
	}
	signals_block(SIG_UNBLOCK);
	log_warnx("serving FastCGI on %s with %u workers", o->listen, o->workers);

	while (!stopping) {
		pid = waitpid(-1, &status, 0);
		if (pid == -1)
			continue;	/* EINTR: a stop signal, checked above */
		for (i = 0; i < o->workers; i++)
			if (pids[i] == pid)
				break;
		if (i == o->workers || stopping)
			continue;
		log_warnx("worker %ld %s %d; replacing it", (long)pid,
		    WIFSIGNALED(status) ? "killed by signal" : "exited with",
		    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		/* A worker that dies at once would die again: don't spin. */
		if (time(NULL) - born[i] < 1)
			sleep(1);
		signals_block(SIG_BLOCK);
		pids[i] = worker_start(o, fd, stats);
		born[i] = time(NULL);
		signals_block(SIG_UNBLOCK);
	}

	/* Drain: each worker ends the request it has, then leaves. */
	for (i = 0; i < o->workers; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	deadline = time(NULL) + DRAIN_SECONDS;
	alive = o->workers;
	while (alive > 0) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid > 0) {
			alive--;
			continue;
		}
		if (pid == -1 && errno == ECHILD)
			break;
		if (time(NULL) >= deadline) {
			for (i = 0; i < o->workers; i++)
				kill(pids[i], SIGKILL);
			deadline = time(NULL) + DRAIN_SECONDS;
		}
		usleep(20000);
	}
	close(fd);
	if (la.family == AF_UNIX && la.path != NULL)
		unlink(la.path);
	if (recorder_current() != NULL) {
		marker_remove(o->conf, recorder_key(recorder_current()));
		recorder_stats(recorder_current(), &rs);
		log_warnx("stopped; group commit: %llu rows in %llu commits, "
		    "%llu settled after a crash, %llu timed out, %llu direct, "
		    "%llu gathers cut short", rs.rows, rs.batches, rs.recovered,
		    rs.timeouts, rs.direct, rs.gather_timeouts);
	} else
		log_warnx("stopped");
	return 0;
}
