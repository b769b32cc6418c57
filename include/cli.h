/* cli.h: the command line: classify, report, status, prune, version, serve. */
#ifndef DUALSTAT_CLI_H
#define DUALSTAT_CLI_H

/*
 * Run the subcommand in argv[0] with its options.  conf is the -c value or
 * NULL.  Returns the exit status: 0 done, 1 failed (or an invalid address
 * for classify), 2 usage error (one line on stderr).
 */
int	 cli_main(int argc, char *argv[], const char *conf);
/* True when name is a subcommand. */
int	 cli_is_command(const char *name);

#endif
