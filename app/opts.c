/* opts.c: the command line's "--name value" and "--name=value" options, walked one way for every command (pure). */
#include <stdio.h>
#include <string.h>

#include "opts.h"
#include "text.h"

static void
opt_error(struct opts *o, const char *what)
{
	char	 shown[OPTS_NAME_MAX + 4];

	/* The name as typed, but one inert line: it is the user's text. */
	text_echo(shown, sizeof(shown), o->name, strlen(o->name), OPTS_NAME_MAX - 1);
	snprintf(o->err, sizeof(o->err), "%s %s", shown, what);
}

int
opt_next(struct opts *o, const char *const with_value[])
{
	const char	*arg, *eq;
	size_t		 n, k;

	o->err[0] = '\0';
	if (o->i >= o->argc)
		return 0;
	arg = o->argv[o->i];
	if (strcmp(arg, "--") == 0) {
		o->i++;
		return 0;
	}
	if (arg[0] != '-' || arg[1] == '\0')
		return 0;
	o->i++;
	o->value = NULL;
	eq = strchr(arg, '=');
	n = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
	/*
	 * A name too long for the buffer is no name of ours: kept cut, it
	 * could never match one (all are shorter), and the caller says
	 * "unknown option" with what fits.
	 */
	if (n >= sizeof(o->namebuf))
		n = sizeof(o->namebuf) - 1;
	memcpy(o->namebuf, arg, n);
	o->namebuf[n] = '\0';
	o->name = o->namebuf;
	for (k = 0; with_value[k] != NULL; k++)
		if (strcmp(with_value[k], o->name) == 0)
			break;
	if (with_value[k] == NULL) {
		if (eq != NULL) {
			opt_error(o, "takes no value");
			return -1;
		}
		return 1;
	}
	if (eq != NULL)
		o->value = eq + 1;
	else if (o->i < o->argc)
		o->value = o->argv[o->i++];
	else {
		opt_error(o, "needs a value");
		return -1;
	}
	return 1;
}
