/* ingest_socket.c: the sockets dualstat ingest reads syslog datagrams on, and what the kernel's limits say of them. */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ingest.h"
#include "ingest_socket.h"
#include "listen.h"

/*
 * A pause after a read (ingest.c) only when the socket queues
 * PAUSE_QLEN_MIN datagrams or more and the sender's buffer holds some 800
 * (net.core.wmem_default of WMEM_ADVISED): at the defaults (10, and 208 KiB:
 * 167 of nginx's datagrams, measured) a pause lost more lines on the busy
 * benchmark machine, where a few milliseconds without the CPU already fill
 * them (bench/LOGS.md).
 */
#define PAUSE_QLEN_MIN	256
/* Below this, net.core.wmem_default is warned of (nginx's datagrams wait in its send buffer). */
#define WMEM_ADVISED	(1024 * 1024)
/*
 * UDP: the receive buffer asked for, and below what it is warned of.  On
 * loopback a datagram is charged to the receiver once delivered (the
 * sender's buffer is freed at once), so this buffer is the whole backlog.
 * The kernel gives twice what is asked (64 MiB), up to twice
 * net.core.rmem_max unless SO_RCVBUFFORCE (root), and charges a datagram
 * its whole buffer, taken here as ~1 KiB an nginx line (an estimate, for
 * the warning): some 65000 lines.
 */
#define UDP_RCVBUF	(32 * 1024 * 1024)
#define UDP_RCVBUF_ADVISED (8 * 1024 * 1024)

/*
 * A Unix datagram socket queues at most net.unix.max_dgram_qlen datagrams,
 * whatever its buffer (the kernel's default is 10; systemd sets 512), and
 * nginx drops a log line it cannot send at once: said at the start, as it
 * loses requests whenever ingest is not scheduled for a moment.
 */
static long
sysctl_value(const char *path)
{
	FILE	*f;
	long	 v = -1;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/*
 * Each datagram waiting for ingest also counts against the sender's send
 * buffer (net.core.wmem_default for nginx, which sets none): at 208 KiB
 * some 170 of them, however long the queue.  Said at the start too.
 */
static bool
qlen_check(void)
{
	long	 q = sysctl_value("/proc/sys/net/unix/max_dgram_qlen");
	long	 w = sysctl_value("/proc/sys/net/core/wmem_default");

	if (w >= 0 && w < WMEM_ADVISED)
		fprintf(stderr, "dualstat: ingest: a web server's socket holds "
		    "%ld bytes of datagrams not yet read (net.core.wmem_default), "
		    "some %ld log lines: past that it loses them while ingest waits "
		    "for the CPU; %d or more is advised (sysctl "
		    "net.core.wmem_max=%d net.core.wmem_default=%d)\n", w, w / 1280,
		    WMEM_ADVISED, WMEM_ADVISED, WMEM_ADVISED);
	if (q >= 0 && q < INGEST_QLEN_ADVISED)
		fprintf(stderr, "dualstat: ingest: the socket queues only %ld datagrams "
		    "(net.unix.max_dgram_qlen): a web server loses log lines past "
		    "that while ingest waits for the CPU; %d or more is advised "
		    "(sysctl net.unix.max_dgram_qlen=%d)\n", q, INGEST_QLEN_ADVISED,
		    INGEST_QLEN_ADVISED);
	/* Whether a pause after a read is safe (PAUSE_US). */
	return q >= PAUSE_QLEN_MIN && w >= WMEM_ADVISED;
}

/* The datagram socket at path, for the web server's workers to write to. */
int
ingest_socket_unix(struct ingest_socket *k, const char *path, char *err, size_t errsz)
{
	struct sockaddr_un	 sun;
	struct stat		 sb;
	int			 fd, probe, size = 4 * 1024 * 1024;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (*path == '\0' || strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errsz, "unixgram:%s: a socket path holds 1 to %zu bytes",
		    path, sizeof(sun.sun_path) - 1);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path));
	if (lstat(path, &sb) == 0) {
		if (!S_ISSOCK(sb.st_mode)) {
			snprintf(err, errsz, "unixgram:%s: exists and is no socket", path);
			return -1;
		}
		/* One that answers belongs to a running ingest; one that does not is left over. */
		if ((probe = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) != -1) {
			if (connect(probe, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
				close(probe);
				snprintf(err, errsz, "unixgram:%s: another process "
				    "reads this socket", path);
				return -1;
			}
			close(probe);
		}
		(void)unlink(path);
	}
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		snprintf(err, errsz, "unixgram:%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	/*
	 * Any local user may send (nginx's workers run as another user than
	 * ingest): the folder it is in decides who reaches it (README).
	 */
	if (chmod(path, 0666) == -1) {
		snprintf(err, errsz, "unixgram:%s: %s", path, strerror(errno));
		close(fd);
		(void)unlink(path);
		return -1;
	}
	/* Room for the datagrams that come while a commit runs. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	/* The queue is the namespace's setting when the socket is made: now. */
	k->pause = qlen_check();
	memcpy(k->path, path, strlen(path) + 1);
	k->unlink = true;
	k->fd = fd;
	return 0;
}

/*
 * A UDP socket on a loopback address (nginx's access_log
 * syslog:server=127.0.0.1:PORT).  Loopback only: any local process may
 * send to it, and its lines are believed as those of the web server (the
 * trust decision in README); nothing from the network.  Its receive buffer
 * made as big as the kernel lets, said, and warned of when small.
 */
int
ingest_socket_udp(struct ingest_socket *k, const char *addr, int rcvbuf, char *err,
    size_t errsz)
{
	struct listen_addr	 la;
	char			 why[256];
	socklen_t		 sl;
	long			 max;
	int			 fd, size = rcvbuf != 0 ? rcvbuf : UDP_RCVBUF, got = 0;
	int			 one = 1;
	bool			 forced = false;

	if (listen_parse(addr, false, &la, why, sizeof(why)) != 0 ||
	    la.kind != LISTEN_INET || !listen_loopback(&la.ss)) {
		snprintf(err, errsz, "udp:%s: not a loopback address and port "
		    "(udp:127.0.0.1:PORT or udp:[::1]:PORT)", addr);
		return -1;
	}
	if ((fd = socket(la.ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		snprintf(err, errsz, "udp:%s: %s", addr, strerror(errno));
		return -1;
	}
	/* Before bind, so that no datagram comes to a small buffer. */
	if (rcvbuf == 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) == 0)
		forced = true;
	else {
		max = sysctl_value("/proc/sys/net/core/rmem_max");
		if (max > 0 && max < size)
			size = (int)max;
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	}
	sl = sizeof(got);
	(void)getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &sl);
	/* Each datagram says how many the kernel dropped so far: counted as dropped. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&la.ss, la.len) == -1) {
		snprintf(err, errsz, "udp:%s: %s", addr, strerror(errno));
		close(fd);
		return -1;
	}
	fprintf(stderr, "dualstat: ingest: udp:%s: a receive buffer of %d bytes%s\n",
	    addr, got, forced ? " (SO_RCVBUFFORCE)" : "");
	if (got < UDP_RCVBUF_ADVISED)
		fprintf(stderr, "dualstat: ingest: udp:%s: the receive buffer holds "
		    "only some %d log lines: past that the kernel drops them while "
		    "ingest waits for the CPU; %d or more is advised (run as root, or "
		    "sysctl net.core.rmem_max=%d)\n", addr, got / 1024,
		    UDP_RCVBUF_ADVISED, UDP_RCVBUF_ADVISED / 2);
	/* The backlog is ingest's own buffer: a pause lets it fill only when it is big. */
	k->pause = got >= UDP_RCVBUF_ADVISED;
	k->unlink = false;
	k->fd = fd;
	return 0;
}


void
ingest_socket_close(struct ingest_socket *k)
{

	if (k->fd >= 0)
		close(k->fd);
	if (k->unlink)
		(void)unlink(k->path);
	k->fd = -1;
	k->unlink = false;
}
