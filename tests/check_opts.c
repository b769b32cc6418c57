/* check_opts.c: the command line's options as every command reads them: forms, ends, missing and extra values. */
#include <stdio.h>
#include <string.h>

#include "opts.h"
#include "check_suites.h"

#define N(a)	((int)(sizeof(a) / sizeof((a)[0])))

static const char *const valued[] = { "--days", "--format", NULL };

/*
 * argv (after the command's name), then what opt_next gives each time:
 * "name=value" for an option with a value, "name" for a flag, "!" plus the
 * message for -1, and "." for 0; rest is where the operands start.
 */
static const struct {
	int		 line;
	const char	*argv[6];
	const char	*want[6];
	int		 rest;
} rows[] = {
	{ CASE_LINE, { NULL }, { "." }, 1 },
	{ CASE_LINE, { "--days", "7" }, { "--days=7", "." }, 3 },
	{ CASE_LINE, { "--days=7" }, { "--days=7", "." }, 2 },
	/* The value is taken whatever it looks like: "--days --format" is days "--format". */
	{ CASE_LINE, { "--days", "--format" }, { "--days=--format", "." }, 3 },
	{ CASE_LINE, { "--days=" }, { "--days=", "." }, 2 },
	{ CASE_LINE, { "--days=a=b" }, { "--days=a=b", "." }, 2 },
	{ CASE_LINE, { "--help" }, { "--help", "." }, 2 },
	{ CASE_LINE, { "--help", "--days", "1", "file" }, { "--help", "--days=1", "." }, 4 },
	/* Operands end the options; "-" is one (stdin); "--" ends them and is skipped. */
	{ CASE_LINE, { "file", "--days", "1" }, { "." }, 1 },
	{ CASE_LINE, { "-", "--help" }, { "." }, 1 },
	{ CASE_LINE, { "--", "--help" }, { "." }, 2 },
	{ CASE_LINE, { "--help", "--", "--days" }, { "--help", "." }, 3 },
	/* Mistakes, each one line saying which option and what is wrong. */
	{ CASE_LINE, { "--days" }, { "!--days needs a value" }, 2 },
	{ CASE_LINE, { "--help=yes" }, { "!--help takes no value" }, 2 },
	{ CASE_LINE, { "--bogus=1" }, { "!--bogus takes no value" }, 2 },
	/* Unknown names come back for the command to refuse, short options too. */
	{ CASE_LINE, { "--bogus" }, { "--bogus", "." }, 2 },
	{ CASE_LINE, { "-x" }, { "-x", "." }, 2 },
	/* A control character in a name does not reach the terminal from the message. */
	{ CASE_LINE, { "--\033[2J=1" }, { "!--?[2J takes no value" }, 2 },
};

START_TEST(walk)
{
	static char	 cmd[] = "cmd";
	char		*argv[8] = { cmd };
	struct opts	 o;
	char		 got[160];
	int		 argc = 1, k, r;

	for (k = 0; rows[_i].argv[k] != NULL; k++)
		argv[argc++] = (char *)rows[_i].argv[k];
	memset(&o, 0, sizeof(o));
	o.argc = argc;
	o.argv = argv;
	o.i = 1;
	for (k = 0; k < N(rows[_i].want) && rows[_i].want[k] != NULL; k++) {
		r = opt_next(&o, valued);
		if (r == 0)
			snprintf(got, sizeof(got), ".");
		else if (r < 0)
			snprintf(got, sizeof(got), "!%s", o.err);
		else if (o.value != NULL)
			snprintf(got, sizeof(got), "%s=%s", o.name, o.value);
		else
			snprintf(got, sizeof(got), "%s", o.name);
		ck_assert_msg(strcmp(got, rows[_i].want[k]) == 0, "line %d, step %d: %s, want %s",
		    rows[_i].line, k, got, rows[_i].want[k]);
		if (r <= 0)
			break;
	}
	ck_assert_msg(o.i == rows[_i].rest, "line %d: operands at %d, want %d",
	    rows[_i].line, o.i, rows[_i].rest);
}
END_TEST

/* A name longer than any of ours is cut in the buffer and matches nothing. */
START_TEST(limit_long_name)
{
	static char	 cmd[] = "cmd";
	char		 name[200];
	char		*argv[3] = { cmd, name, NULL };
	struct opts	 o = { .argc = 2, .argv = argv, .i = 1 };

	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	memcpy(name, "--days", 6);		/* "--daysxxxx...": not --days */
	ck_assert_int_eq(opt_next(&o, valued), 1);
	ck_assert_uint_eq(strlen(o.name), OPTS_NAME_MAX - 1);
	ck_assert_ptr_null(o.value);
	ck_assert_int_eq(o.i, 2);
	ck_assert_int_eq(opt_next(&o, valued), 0);
}
END_TEST

Suite *
opts_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("opts");
	tc = tcase_create("core");
	tcase_add_loop_test(tc, walk, 0, N(rows));
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, limit_long_name);
	suite_add_tcase(s, tc);
	return s;
}
