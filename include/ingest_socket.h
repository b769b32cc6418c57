/* ingest_socket.h: the sockets dualstat ingest reads syslog datagrams on: a Unix datagram socket, or a loopback UDP port. */
#ifndef DUALSTAT_INGEST_SOCKET_H
#define DUALSTAT_INGEST_SOCKET_H

#include <sys/un.h>

#include <stdbool.h>
#include <stddef.h>

struct ingest_socket {
	int		 fd;
	bool		 pause;		/* the kernel's limits leave room for a pause after a read */
	bool		 unlink;	/* path is a Unix socket of ours: removed at the end */
	char		 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

/*
 * A Unix datagram socket at path, mode 0666 (its folder decides who may
 * write), refused when another process reads it, one left over replaced;
 * the sysctls that make nginx lose lines warned of on stderr.  0, or -1
 * with err.
 */
int	 ingest_socket_unix(struct ingest_socket *, const char *path, char *err, size_t errsz);

/*
 * A UDP socket on addr ("127.0.0.1:PORT", "[::1]:PORT": loopback only),
 * its receive buffer rcvbuf bytes (0: as big as the kernel lets), said and
 * warned of when small.  0, or -1 with err.
 */
int	 ingest_socket_udp(struct ingest_socket *, const char *addr, int rcvbuf,
	    char *err, size_t errsz);

/* Closed, and a Unix socket of ours removed. */
void	 ingest_socket_close(struct ingest_socket *);

#endif
