/* hello.c: the baseline for the throughput benchmark: a libfcgi responder that only answers. */
#include "autoconf.h"

#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcgiapp.h>

/*
 * The exact bytes dualstat writes for /beacon and /record (see response.c):
 * the same FastCGI records go back to the web server, so the difference in
 * throughput is dualstat's work, not the size of its answer.
 */
static const char no_content[] =
	"Status: 204 No Content\r\n"
	"Cache-Control: no-store\r\n"
	"Content-Security-Policy: default-src 'none'; style-src 'self'; "
	"img-src 'self'; form-action 'self'; base-uri 'none'; "
	"frame-ancestors 'none'\r\n"
	"X-Content-Type-Options: nosniff\r\n"
	"Referrer-Policy: no-referrer\r\n"
	"X-Frame-Options: DENY\r\n"
	"\r\n";

/* dualstat's Authorizer answer: the status only (app.c, response.c). */
static const char allow[] = "Status: 200 OK\r\n\r\n";

static char	*page;		/* -p FILE: a whole response (head and body) for "/" */
static size_t	 pagelen;

static volatile sig_atomic_t	 stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: hello [-q] [-s SOCKET] [-w WORKERS] [-p RESPONSE_FILE]\n"
	    "  answers /beacon and /record (any path but \"/\") with dualstat's 204,\n"
	    "  and \"/\" with the bytes of RESPONSE_FILE (a CGI response) when given;\n"
	    "  the Authorizer role with 200; without -s, FastCGI on fd 0;\n"
	    "  -q: close connections as dualstat does (no lingering close)\n");
	exit(2);
}

static void
page_load(const char *path)
{
	FILE	*f;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    (page = malloc((size_t)n + 1)) == NULL ||
	    fread(page, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "hello: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	pagelen = (size_t)n;
	fclose(f);
}

/*
 * -q: close each connection the way dualstat does (app/server.c): read the
 * input to its end, then close at once (FCGX_Detach) instead of libfcgi's
 * lingering close.  A second baseline: dualstat against it is the cost of
 * its own work alone, the close being the same on both sides.
 */
static int	 quick_close;

static void
close_quickly(FCGX_Request *fr)
{
	char	 buf[4096];

	while (FCGX_GetStr(buf, (int)sizeof(buf), fr->in) > 0)
		;
	FCGX_FClose(fr->err);
	FCGX_FClose(fr->out);
	FCGX_Detach(fr);
}

static int
serve(int sock)
{
	FCGX_Request	 fr;
	const char	*path, *role;
	int		 responder;

	if (FCGX_InitRequest(&fr, sock, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&fr) >= 0) {
		path = FCGX_GetParam("PATH_INFO", fr.envp);
		role = FCGX_GetParam("FCGI_ROLE", fr.envp);
		responder = role == NULL || strcmp(role, "AUTHORIZER") != 0;
		if (!responder)
			FCGX_PutStr(allow, (int)sizeof(allow) - 1, fr.out);
		else if (page != NULL && path != NULL &&
		    (path[0] == '\0' || strcmp(path, "/") == 0))
			FCGX_PutStr(page, (int)pagelen, fr.out);
		else
			FCGX_PutStr(no_content, (int)sizeof(no_content) - 1, fr.out);
		if (quick_close && responder)
			close_quickly(&fr);
		FCGX_Finish_r(&fr);
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	const char	*sockpath = NULL;
	pid_t		 pids[64];
	long		 workers = 1, i;
	struct sigaction sa;
	int		 c, sock, status;

	while ((c = getopt(argc, argv, "qs:w:p:")) != -1) {
		switch (c) {
		case 'q':
			quick_close = 1;
			break;
		case 's':
			sockpath = optarg;
			break;
		case 'w':
			workers = strtol(optarg, NULL, 10);
			break;
		case 'p':
			page_load(optarg);
			break;
		default:
			usage();
		}
	}
	if (workers < 1 || workers > 64)
		usage();
	if (FCGX_Init() != 0)
		return 1;
	/* No -s: the web server's socket on fd 0 (lighttpd's bin-path). */
	if (sockpath == NULL)
		return serve(0);
	unlink(sockpath);
	if ((sock = FCGX_OpenSocket(sockpath, 1024)) < 0) {
		fprintf(stderr, "hello: cannot listen on %s\n", sockpath);
		return 1;
	}
	/* Pre-forked like dualstat serve, one process per worker on one socket. */
	for (i = 0; i < workers; i++)
		if ((pids[i] = fork()) == 0) {
			/* Never outlive the master, however it ends. */
			prctl(PR_SET_PDEATHSIG, SIGTERM);
			_exit(serve(sock));
		}
	/* SIGTERM to this process ends the workers too (no SA_RESTART: wait returns). */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop && (wait(&status) > 0 || errno == EINTR))
		;
	for (i = 0; i < workers; i++)
		kill(pids[i], SIGTERM);
	while (wait(&status) > 0)
		;
	unlink(sockpath);
	return 0;
}
