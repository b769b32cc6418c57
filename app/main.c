/* main.c: decide the mode (CGI, FastCGI on fd 0, or a command) and run it. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>

#include "cli.h"
#include "server.h"

int
main(int argc, char *argv[])
{
	const char	*conf = NULL;
	int		 i = 1;

	/*
	 * A CGI request first: Apache passes an ISINDEX-style query as argv,
	 * so under CGI the arguments are not ours to read.
	 */
	if (getenv("GATEWAY_INTERFACE") != NULL && FCGX_IsCGI())
		return server_cgi(getenv("DUALSTAT_CONF"));

	if (i < argc && strcmp(argv[i], "-c") == 0) {
		if (i + 1 >= argc) {
			fprintf(stderr, "dualstat: -c needs a file (see dualstat --help)\n");
			return 2;
		}
		conf = argv[i + 1];
		i += 2;
	} else if (i < argc && strncmp(argv[i], "-c", 2) == 0 && argv[i][2] != '-') {
		conf = argv[i] + 2;
		i++;
	}
	if (i < argc)
		return cli_main(argc - i, argv + i, conf);

	/* No command: a web server spawned us with a listening socket on fd 0. */
	if (!FCGX_IsCGI())
		return server_fastcgi(conf);
	fprintf(stderr, "dualstat: no command, and stdin is not a FastCGI socket "
	    "(see dualstat --help)\n");
	return 2;
}
