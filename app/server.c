/* server.c: the request loops: FastCGI on fd 0, plain CGI, and dualstat serve with its workers. */
#include "autoconf.h"

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
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
#include "fcgi_scan.h"
#include "intake.h"
#include "listen.h"
#include "log.h"
#include "num.h"
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

/* One member of a batch: libfcgi's request on a connection intake gave. */
struct slot {
	FCGX_Request		 fr;
	struct intake_conn	*c;
};

/*
 * The i-th param called name.  libfcgi keeps params as C strings: one
 * whose value held a NUL (which fcgi_scan saw on the wire) is cut there
 * and must not be believed.
 */
static const char *
fcgi_param(void *ctx, const char *name, size_t i)
{
	const struct slot	*s = ctx;
	size_t			 len = strlen(name);
	char			**p;

	for (p = s->fr.envp; p != NULL && *p != NULL; p++) {
		if (strncmp(*p, name, len) != 0 || (*p)[len] != '=' || i-- > 0)
			continue;
		return fcgi_scan_nul(&s->c->scan, name) ? request_param_bad :
		    *p + len + 1;
	}
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
	uint64_t	 n;

	if (s == NULL || s[0] == '\0')
		return SERVER_BATCH_MAX;
	if (num_parse_str(s, SERVER_BATCH_MAX, 0, &n) != 0 || n < 1) {
		log_warnx("DUALSTAT_BATCH=%.20s is not a number from 1 to %d; "
		    "taking %d", s, SERVER_BATCH_MAX, SERVER_BATCH_MAX);
		return SERVER_BATCH_MAX;
	}
	return (size_t)n;
}

/*
 * Read a responder's body (that no page reads) when all of it is here
 * already: its connection may then be closed at once, since a close with
 * unread input resets it and the response could be lost.  Otherwise it is
 * never read, and intake closes the connection without waiting on it.
 */
static bool
input_done(struct slot *s)
{
	char	 buf[4096];
	int	 n;

	if (s->c->body_cut)
		return false;
	while ((n = FCGX_GetStr(buf, (int)sizeof(buf), s->fr.in)) > 0)
		continue;
	return FCGX_GetError(s->fr.in) == 0;
}

/*
 * Hand the connection to libfcgi, which reads the begin record and the
 * params (all there: intake saw them) from it.  libfcgi has no call that
 * takes a connection somebody else accepted, so its request is given the
 * descriptor directly, keepConnection set so that the finishing of the
 * request before does not close it.  Its listening socket is one that
 * never accepts: should libfcgi drop the connection as malformed after
 * all, it fails rather than take another one itself.
 */
static int
slot_take(struct slot *s, struct intake_conn *c)
{
	s->c = c;
	s->fr.ipcFd = c->fd;
	s->fr.keepConnection = 1;
	if (FCGX_Accept_r(&s->fr) >= 0)
		return 0;
	s->fr.ipcFd = -1;
	return -1;
}

/*
 * The request is answered: take the connection back from libfcgi, without
 * its lingering close (FCGX_Detach), and tell intake what to do with it.
 */
static void
slot_end(struct intake *it, struct slot *s, bool drained)
{
	enum intake_end	 how;

	FCGX_Detach(&s->fr);
	s->fr.keepConnection = 1;
	FCGX_Finish_r(&s->fr);
	if (s->fr.ipcFd < 0)
		how = INTAKE_GONE;	/* a stream failed: libfcgi closed it */
	else if (!drained)
		how = INTAKE_LINGER;
	else
		how = s->c->scan.keep_conn ? INTAKE_KEEP : INTAKE_CLOSE;
	s->fr.ipcFd = -1;
	intake_done(it, s->c, how);
}

/* FastCGI 1.0 §8: the records a response is made of. */
#define REC_END_REQUEST	3
#define REC_STDOUT	6

static void
record_put(struct buf *out, int type, unsigned id, const char *data, size_t len)
{
	unsigned char	 h[8] = { 1, (unsigned char)type, (unsigned char)(id >> 8),
			    (unsigned char)id, (unsigned char)(len >> 8),
			    (unsigned char)len, (unsigned char)((8 - len % 8) % 8), 0 };
	static const char zero[8];

	buf_append(out, h, sizeof(h));
	buf_append(out, data, len);
	buf_append(out, zero, h[6]);
}

/*
 * Answer a request libfcgi never read (intake found its params too large
 * to hold): the response in stdout records of at most 65535 bytes, the
 * empty one that ends stdout, and the end-request record (§5.5: app
 * status 0, request complete).  The socket's send timeout bounds it.
 */
static void
answer_unread(struct app *a, struct intake_conn *c, struct buf *head)
{
	static const char	 end[8] = { 0 };
	struct response		 r;
	struct buf		 out = { 0 };
	size_t			 i, n;
	ssize_t			 w;

	app_answer_unread(a, c->scan.role == FCGI_SCAN_AUTHORIZER,
	    "The request's parameters are over " FCGI_SCAN_PARAMS_MAX_TEXT ".", &r);
	buf_reset(head);
	response_head(&r, head);
	buf_append(head, r.body.data, r.body.len);
	for (i = 0; i < head->len; i += n) {
		n = head->len - i > 65535 ? 65535 : head->len - i;
		record_put(&out, REC_STDOUT, c->scan.request_id, head->data + i, n);
	}
	record_put(&out, REC_STDOUT, c->scan.request_id, NULL, 0);
	record_put(&out, REC_END_REQUEST, c->scan.request_id, end, sizeof(end));
	for (i = 0; !out.failed && i < out.len; i += (size_t)w)
		if ((w = write(c->fd, out.data + i, out.len - i)) <= 0)
			break;
	buf_free(&out);
	response_free(&r);
}

/*
 * One batch: the requests intake had ready.  Their rows go into one
 * commit, and then each is answered: no response leaves before its row is
 * committed, and under load a commit serves many requests instead of one.
 * Every response is sent (closing the streams writes the end-of-request
 * record) before any connection is closed.
 */
static void
batch(struct app *a, struct intake *it, struct slot *slot,
    struct intake_conn **ready, size_t n, struct buf *head)
{
	static struct request	 req[SERVER_BATCH_MAX];
	static struct visit	 v[SERVER_BATCH_MAX];
	static bool		 drained[SERVER_BATCH_MAX];
	struct response		 r;
	size_t			 i, k = 0;

	recorder_begin(recorder_current());
	for (i = 0; i < n; i++) {
		if (ready[i]->too_large) {
			answer_unread(a, ready[i], head);
			intake_done(it, ready[i], INTAKE_LINGER);
			continue;
		}
		if (slot_take(&slot[k], ready[i]) != 0) {
			intake_done(it, ready[i], INTAKE_GONE);
			continue;
		}
		request_read(&req[k], fcgi_param, &slot[k], &a->cfg);
		app_visit(a, &req[k], &v[k]);
		k++;
	}
	app_record(a, v, k);
	for (i = 0; i < k; i++) {
		drained[i] = input_done(&slot[i]);
		app_answer(a, &req[i], &v[i], &r);
		buf_reset(head);
		response_head(&r, head);
		FCGX_PutStr(buf_str(head), (int)head->len, slot[i].fr.out);
		if (!r.head && r.body.len > 0)
			FCGX_PutStr(r.body.data, (int)r.body.len, slot[i].fr.out);
		response_free(&r);
		FCGX_FClose(slot[i].fr.err);
		FCGX_FClose(slot[i].fr.out);
	}
	for (i = 0; i < k; i++)
		slot_end(it, &slot[i], drained[i]);
	recorder_end(recorder_current());
}

/*
 * Serve FastCGI requests on sock until told to stop, then finish the
 * requests already begun (each has its deadline) and leave.  The stop
 * signals are open only while waiting: one that arrived while libfcgi
 * reads a request would cut the read short, and libfcgi takes that for
 * its end.
 */
static int
fcgi_loop(struct app *a, int sock)
{
	static struct slot	 slot[SERVER_BATCH_MAX];
	struct intake_conn	*ready[SERVER_BATCH_MAX];
	struct intake		*it;
	struct intake_stats	 st;
	struct buf		 head = { 0 };
	sigset_t		 open;
	size_t			 i, max = batch_max();
	int			 n, never, rc = 0;
	bool			 draining = false;

	/*
	 * A batch's libfcgi buffers (about 20 KiB a request) are freed at its
	 * end; glibc would give that heap back to the kernel every time and
	 * fault it in again for the next batch.  Keep up to 1 MiB of it.
	 */
	mallopt(M_TRIM_THRESHOLD, 1 << 20);
	if ((never = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    (it = intake_new(sock, a->cfg.request_timeout_ms)) == NULL) {
		log_warnx("cannot watch the FastCGI socket: %s", strerror(errno));
		if (never != -1)
			close(never);
		return 1;
	}
	for (i = 0; i < max; i++)
		FCGX_InitRequest(&slot[i].fr, never, 0);
	signals_block(SIG_BLOCK);
	sigprocmask(SIG_BLOCK, NULL, &open);
	sigdelset(&open, SIGTERM);
	sigdelset(&open, SIGINT);
	for (;;) {
		if (stopping && !draining) {
			intake_drain(it);
			draining = true;
		}
		/* An unfinished upkeep goes on as soon as no request waits. */
		if ((n = intake_wait(it, &open, ready, max,
		    app_upkeep_pending(a) && !stopping ? 0 :
		    APP_MAINTAIN_SECONDS * 1000)) < 0) {
			rc = 1;
			break;
		}
		if (n == 0) {
			if (draining && !intake_busy(it))
				break;
			/*
			 * Nothing came for a while: the upkeep still runs (a
			 * quiet site's days still close), and a database moved
			 * away is let go of and opened again at its path.
			 */
			if (!stopping)
				app_idle(a);
			continue;
		}
		batch(a, it, slot, ready, (size_t)n, &head);
		app_idle(a);
	}
	intake_stats(it, &st);
	if (st.timed_out + st.bad + st.evicted > 0)
		log_warnx("FastCGI connections closed unanswered: %llu timed out, "
		    "%llu malformed, %llu to make room", st.timed_out, st.bad,
		    st.evicted);
	for (i = 0; i < max; i++)
		FCGX_Free(&slot[i].fr, 0);
	intake_free(it);
	close(never);
	buf_free(&head);
	return rc;
}

/*
 * A FastCGI process the web server spawned (lighttpd's bin-path) leaves
 * with it.  When Ctrl-C reaches lighttpd's process group, dualstat may end
 * a moment before lighttpd handles its own SIGINT; lighttpd then spawns it
 * again, and the SIGTERM it sends the new process while shutting down can
 * come before that process has a handler (between fork and exec the child
 * still has lighttpd's): lost, and the orphan waited in epoll for good.
 * The kernel's parent-death signal cannot be lost that way.  A process
 * that leads a session of its own, or whose parent is init already, was
 * detached on purpose (spawn-fcgi setsid()s it and exits; systemd): it
 * stays.
 */
static void
leave_with_parent(void)
{
	pid_t	 parent = getppid();

	if (parent == 1 || getsid(0) == getpid())
		return;
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1) {
		log_warnx("prctl(PR_SET_PDEATHSIG): %s", strerror(errno));
		return;
	}
	/* Gone before the call: the signal will never come. */
	if (getppid() != parent)
		stopping = 1;
}

int
server_fastcgi(const char *conf)
{
	struct app	 a;
	int		 rc;

	signals_init();
	leave_with_parent();
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

/*
 * fd:N must already listen, and the loopback rule holds for it as for an
 * address given by name.
 */
static int
listen_fd_check(struct listen_addr *la, const char *text, bool allow_remote,
    char *err, size_t errsz)
{
	int		 on = 0;
	socklen_t	 len = sizeof(on);

	la->len = sizeof(la->ss);
	if (getsockopt(la->fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) == -1 || !on ||
	    getsockname(la->fd, (struct sockaddr *)&la->ss, &la->len) == -1) {
		snprintf(err, errsz, "--listen %s: not a listening socket", text);
		return -1;
	}
	if (!allow_remote && !listen_loopback(&la->ss)) {
		snprintf(err, errsz, "--listen %s: not a loopback address; the FastCGI "
		    "socket must not be reachable from the network (--allow-remote to "
		    "insist)", text);
		return -1;
	}
	return 0;
}

/* The --listen value, parsed and, for fd:N, its descriptor looked at. */
static int
listen_check(const char *text, bool allow_remote, struct listen_addr *la,
    char *err, size_t errsz)
{
	if (listen_parse(text, allow_remote, la, err, errsz) != 0)
		return -1;
	if (la->kind == LISTEN_FD)
		return listen_fd_check(la, text, allow_remote, err, errsz);
	return 0;
}

int
server_listen_check(const char *listen, bool allow_remote, char *err, size_t errsz)
{
	struct listen_addr	 la;

	return listen_check(listen, allow_remote, &la, err, errsz);
}

/*
 * A socket file at the path: one that answers a connect belongs to a
 * server that is running (another serve on the same path), and taking it
 * would leave that one listening on nothing; only a stale one, from a
 * server that is gone, is replaced.  Any other file is never touched.
 * 0: the path is free now; -1: said why.
 */
static int
unix_path_free(const struct listen_addr *la, const char *text)
{
	struct stat	 st;
	int		 fd, rc;

	if (lstat(la->path, &st) == -1)
		return errno == ENOENT ? 0 : (fprintf(stderr, "dualstat: serve: "
		    "--listen %s: %s\n", text, strerror(errno)), -1);
	if (!S_ISSOCK(st.st_mode)) {
		fprintf(stderr, "dualstat: serve: --listen %s: the path is a file that is "
		    "not a socket\n", text);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	rc = connect(fd, (const struct sockaddr *)&la->ss, la->len);
	close(fd);
	if (rc == 0 || errno == EAGAIN) {
		/* EAGAIN: its backlog is full, so it is alive too. */
		fprintf(stderr, "dualstat: serve: --listen %s: address in use: a server "
		    "answers on it (stop it first)\n", text);
		return -1;
	}
	if (errno != ECONNREFUSED) {
		fprintf(stderr, "dualstat: serve: --listen %s: %s\n", text, strerror(errno));
		return -1;
	}
	unlink(la->path);
	return 0;
}

/* The listening socket, opened here because FCGX_OpenSocket speaks no IPv6. */
static int
listen_open(struct listen_addr *la, const char *text, struct stat *bound)
{
	int	 fd, on = 1;
	mode_t	 old;

	if (la->kind == LISTEN_FD)
		return la->fd;	/* checked by listen_check */
	if (la->kind == LISTEN_UNIX && unix_path_free(la, text) != 0)
		return -1;
	fd = socket(la->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		fprintf(stderr, "dualstat: serve: socket: %s\n", strerror(errno));
		return -1;
	}
	if (la->kind == LISTEN_INET) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
		if (la->ss.ss_family == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	}
	/* Nobody but us until socket_access opens it as far as asked. */
	old = umask(0177);
	if (bind(fd, (const struct sockaddr *)&la->ss, la->len) == -1) {
		umask(old);
		fprintf(stderr, "dualstat: serve: bind %s: %s\n", text, strerror(errno));
		close(fd);
		return -1;
	}
	umask(old);
	if (la->kind == LISTEN_UNIX && stat(la->path, bound) == -1)
		memset(bound, 0, sizeof(*bound));
	if (listen(fd, 1024) == -1) {
		fprintf(stderr, "dualstat: serve: listen %s: %s\n", text, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Remove our socket's file, if the path still names it: somebody may have
 * put another there meanwhile (replaced a stale one we left, say).
 */
static void
listen_remove(const struct listen_addr *la, const struct stat *bound)
{
	struct stat	 st;

	if (la->kind == LISTEN_UNIX && stat(la->path, &st) == 0 &&
	    st.st_dev == bound->st_dev && st.st_ino == bound->st_ino)
		unlink(la->path);
}

static pid_t
worker_start(const struct serve_opts *o, int fd, struct stats *stats)
{
	struct app	 a;
	pid_t		 pid, master = getpid();
	int		 rc;

	pid = fork();
	if (pid != 0)
		return pid;
	/*
	 * A worker leaves with serve, even one killed (kill -9 sends no
	 * drain): no worker may outlive it holding the socket.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1 || getppid() != master)
		_exit(1);
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

/* Who serve runs as, and who owns its socket: resolved before anything starts. */
struct ids {
	bool	 set;
	uid_t	 uid;
	gid_t	 gid;
	char	 name[64];	/* the user's, for initgroups */
};

/* "USER[:GROUP]": the user's own group unless one is named.  -1: err says why. */
static int
ids_parse(const char *what, const char *spec, struct ids *ids, char *err,
    size_t errsz)
{
	char		 user[64];
	const char	*colon = strchr(spec, ':');
	struct passwd	*pw;
	struct group	*gr = NULL;
	size_t		 n = colon != NULL ? (size_t)(colon - spec) : strlen(spec);

	memset(ids, 0, sizeof(*ids));
	if (n == 0 || n >= sizeof(user) || (colon != NULL && colon[1] == '\0')) {
		snprintf(err, errsz, "%s %s: expected USER or USER:GROUP", what, spec);
		return -1;
	}
	memcpy(user, spec, n);
	user[n] = '\0';
	if ((pw = getpwnam(user)) == NULL) {
		snprintf(err, errsz, "%s %s: no such user \"%s\"", what, spec, user);
		return -1;
	}
	if (colon != NULL && (gr = getgrnam(colon + 1)) == NULL) {
		snprintf(err, errsz, "%s %s: no such group \"%s\"", what, spec, colon + 1);
		return -1;
	}
	ids->set = true;
	ids->uid = pw->pw_uid;
	ids->gid = gr != NULL ? gr->gr_gid : pw->pw_gid;
	memcpy(ids->name, user, n + 1);
	return 0;
}

/* An octal mode for the socket: 0 to 0777, leading 0 optional. */
static int
mode_parse(const char *s, mode_t *mode, char *err, size_t errsz)
{
	unsigned	 v = 0;
	const char	*p;

	for (p = s; *p >= '0' && *p <= '7' && v <= 0777; p++)
		v = v * 8 + (unsigned)(*p - '0');
	if (p == s || *p != '\0' || v > 0777) {
		snprintf(err, errsz, "--socket-mode %s: expected an octal mode such as 0660", s);
		return -1;
	}
	*mode = (mode_t)v;
	return 0;
}

/*
 * Become the user for good: groups first (the user's own, and GROUP when
 * named), then the gid, then the uid; afterwards root must be out of
 * reach.  Done after the socket is bound and before the database is opened.
 */
static int
drop_to(const struct ids *u)
{
	if (initgroups(u->name, u->gid) == -1 || setgid(u->gid) == -1 ||
	    setuid(u->uid) == -1) {
		fprintf(stderr, "dualstat: serve: --user %s: %s\n", u->name, strerror(errno));
		return -1;
	}
	if (u->uid != 0 && (setuid(0) != -1 || seteuid(0) != -1)) {
		fprintf(stderr, "dualstat: serve: --user %s: root could be had again\n", u->name);
		return -1;
	}
	return 0;
}

/* Options that must be right before serve starts; 2 (said why) when not. */
static int
serve_setup(const struct serve_opts *o, const struct listen_addr *la,
    struct ids *user, struct ids *owner, mode_t *mode)
{
	char	 err[256];

	memset(user, 0, sizeof(*user));
	memset(owner, 0, sizeof(*owner));
	*mode = 0660;
	if (o->user != NULL && ids_parse("--user", o->user, user, err, sizeof(err)) != 0)
		goto bad;
	if (o->socket_owner != NULL &&
	    ids_parse("--socket-owner", o->socket_owner, owner, err, sizeof(err)) != 0)
		goto bad;
	if (o->socket_mode != NULL && mode_parse(o->socket_mode, mode, err, sizeof(err)) != 0)
		goto bad;
	if ((o->socket_owner != NULL || o->socket_mode != NULL) && la->kind != LISTEN_UNIX) {
		snprintf(err, sizeof(err), "--socket-owner and --socket-mode are for a "
		    "unix: socket, not %s", o->listen);
		goto bad;
	}
	if (geteuid() == 0 && o->user == NULL) {
		snprintf(err, sizeof(err), "refusing to serve as root: give --user USER[:GROUP] "
		    "to serve as once the socket is bound (--user root to stay root)");
		goto bad;
	}
	/* php-fpm's way: the socket is the user's it drops to, unless told. */
	if (!owner->set && user->set && user->uid != geteuid())
		*owner = *user;
	if (geteuid() != 0 && user->set && user->uid != geteuid()) {
		snprintf(err, sizeof(err), "--user %s needs serve to start as root", o->user);
		goto bad;
	}
	return 0;
bad:
	fprintf(stderr, "dualstat: serve: %s\n", err);
	return 2;
}

/*
 * The socket's owner and mode, as the web server needs them (spawn-fcgi's
 * -U -G -M, php-fpm's listen.owner/group/mode).  It was bound 0600, so it
 * is never more open than asked for on the way.
 */
static int
socket_access(const struct listen_addr *la, const struct ids *owner, mode_t mode)
{
	if (la->kind != LISTEN_UNIX)
		return 0;
	if ((owner->set && chown(la->path, owner->uid, owner->gid) == -1) ||
	    chmod(la->path, mode) == -1) {
		fprintf(stderr, "dualstat: serve: %s: %s\n", la->path, strerror(errno));
		return -1;
	}
	return 0;
}

int
server_serve(const struct serve_opts *o)
{
	struct listen_addr	 la;
	struct stat		 bound;
	struct ids		 user, owner;
	struct config		 cfg;
	mode_t			 mode;
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

	if (listen_check(o->listen, o->allow_remote, &la, err, sizeof(err)) != 0) {
		fprintf(stderr, "dualstat: serve: %s\n", err);
		return 2;
	}
	if (serve_setup(o, &la, &user, &owner, &mode) != 0)
		return 2;
	signals_init();
	if (FCGX_Init() != 0) {
		fprintf(stderr, "dualstat: FCGX_Init failed\n");
		return 1;
	}
	/* A configuration error is said before anything is bound (app_init checks it again). */
	if (config_load(&cfg, o->conf, err, sizeof(err)) != 0) {
		fprintf(stderr, "dualstat: %s\n", err);
		config_free(&cfg);
		return 1;
	}
	config_free(&cfg);
	if ((fd = listen_open(&la, o->listen, &bound)) == -1)
		return 1;
	if (socket_access(&la, &owner, mode) != 0 ||
	    (user.set && user.uid != geteuid() && drop_to(&user) != 0)) {
		listen_remove(&la, &bound);
		return 1;
	}
	/*
	 * As the user serve runs as: a configuration it cannot read, or a
	 * database it cannot open, stops it here as on the command line
	 * (app_init said which file and line): a server that answers every
	 * request with a 500 helps nobody.  The workers share the counters
	 * this makes, in the database's file when it can be had.
	 */
	app_init(&a, o->conf, APP_SERVE, NULL);
	stats = a.stats;
	ok = a.cfg_ok;
	app_free(&a);
	if (!ok) {
		listen_remove(&la, &bound);
		return 1;
	}
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
	listen_remove(&la, &bound);
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
