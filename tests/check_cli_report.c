/* check_cli_report.c: `dualstat report --format`: the formats the command line takes, by page.h's names. */
#include "cli.h"
#include "check_suites.h"

/*
 * Options are checked before the configuration is read: a refused option
 * is a usage error (2), an accepted one gets as far as the configuration,
 * which does not exist here (1).
 */
#define NO_CONF	"/nonexistent/dualstat-check/dualstat.conf"

static const struct {
	int		 line;
	const char	*format;
	const char	*table;		/* NULL: no --table */
	int		 want;
} rows[] = {
	{ CASE_LINE, "text", NULL, 1 },
	{ CASE_LINE, "json", NULL, 1 },
	{ CASE_LINE, "csv", NULL, 1 },
	{ CASE_LINE, "csv", "hosts", 1 },
	{ CASE_LINE, NULL, NULL, 1 },		/* text by default */
	/* HTML is made to be served, with the site's links: not on a terminal. */
	{ CASE_LINE, "html", NULL, 2 },
	{ CASE_LINE, "xml", NULL, 2 },
	{ CASE_LINE, "JSON", NULL, 2 },
	{ CASE_LINE, "", NULL, 2 },
	/* A table is the CSV's alone. */
	{ CASE_LINE, "json", "hosts", 2 },
	{ CASE_LINE, "text", "hosts", 2 },
	{ CASE_LINE, NULL, "hosts", 2 },
	{ CASE_LINE, "csv", "bogus", 2 },
};

START_TEST(formats)
{
	char	*argv[8];
	int	 argc = 0, rc;

	argv[argc++] = (char *)"report";
	if (rows[_i].format != NULL) {
		argv[argc++] = (char *)"--format";
		argv[argc++] = (char *)rows[_i].format;
	}
	if (rows[_i].table != NULL) {
		argv[argc++] = (char *)"--table";
		argv[argc++] = (char *)rows[_i].table;
	}
	argv[argc] = NULL;
	rc = cli_main(argc, argv, NO_CONF);
	ck_assert_msg(rc == rows[_i].want, "line %d: exit %d, not %d",
	    rows[_i].line, rc, rows[_i].want);
}
END_TEST

Suite *
cli_report_suite(void)
{
	Suite	*s = suite_create("cli_report");
	TCase	*tc;

	tc = tcase_create("formats");
	tcase_add_loop_test(tc, formats, 0, sizeof(rows) / sizeof(rows[0]));
	suite_add_tcase(s, tc);
	return s;
}
