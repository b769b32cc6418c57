/* opts.h: the command line's "--name value" and "--name=value" options, walked one way for every command (pure). */
#ifndef DUALSTAT_OPTS_H
#define DUALSTAT_OPTS_H

#include <stddef.h>

#define OPTS_NAME_MAX	32
#define OPTS_ERR_MAX	96

struct opts {
	int		 argc, i;	/* i: the next argument; start at 1 */
	char		**argv;
	const char	*name, *value;	/* the option just read; value NULL for a flag */
	char		 namebuf[OPTS_NAME_MAX];
	char		 err[OPTS_ERR_MAX];	/* why opt_next said -1 */
};

/*
 * The next option of o: 1 with name (and value for a name in with_value,
 * NULL-terminated), 0 at the first operand, at "-" (stdin) or after "--"
 * (which is skipped), -1 with err set when an option that needs a value
 * has none, or a flag was given one ("--help=x").  An unknown name is the
 * caller's to refuse: it knows which flags it takes.
 */
int	 opt_next(struct opts *o, const char *const with_value[]);

#endif
