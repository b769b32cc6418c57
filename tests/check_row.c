/* check_row.c: the ways of measuring by name, which rows may be written, and how a host is cut. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "row.h"
#include "check_suites.h"

static const struct {
	int		 line;
	enum how	 how;
	const char	*name;
} how_rows[] = {
	{ CASE_LINE, HOW_PAGE, "page" },
	{ CASE_LINE, HOW_BEACON, "beacon" },
	{ CASE_LINE, HOW_AUTHORIZER, "authorizer" },
	{ CASE_LINE, HOW_RECORD, "record" },
	{ CASE_LINE, HOW_LOG, "log" },
};

START_TEST(test_how_names)
{
	ck_assert_msg(strcmp(how_name(how_rows[_i].how), how_rows[_i].name) == 0 &&
	    how_from_name(how_rows[_i].name) == how_rows[_i].how,
	    "line %d: %s", how_rows[_i].line, how_rows[_i].name);
}
END_TEST

/* A valid row, to spoil one field of. */
static struct row
good_row(void)
{
	struct row	 r;

	memset(&r, 0, sizeof(r));
	r.time = 1699920000;
	r.family = 6;
	r.kind = KIND_GLOBAL;
	snprintf(r.prefix, sizeof(r.prefix), "%s", "2001:db8::/48");
	r.server_family = 6;
	r.how = HOW_BEACON;
	return r;
}

static const struct {
	int		 line;
	int		 family;
	int		 kind;
	int		 how;
	int		 server_family;
	const char	*prefix;	/* NULL: not NUL-terminated */
	const char	*why;		/* NULL: valid */
} valid_rows[] = {
	{ CASE_LINE, 6, KIND_GLOBAL, HOW_PAGE, 6, "2001:db8::/48", NULL },
	{ CASE_LINE, 4, KIND_PRIVATE, HOW_RECORD, 0, "10.0.0.0/24", NULL },
	{ CASE_LINE, 4, KIND__MAX - 1, HOW__MAX - 1, 4, "0.0.0.0/0", NULL },
	{ CASE_LINE, 0, KIND_GLOBAL, HOW_PAGE, 6, "2001:db8::/48", "family is not 4 or 6" },
	{ CASE_LINE, 5, KIND_GLOBAL, HOW_PAGE, 6, "2001:db8::/48", "family is not 4 or 6" },
	{ CASE_LINE, 46, KIND_GLOBAL, HOW_PAGE, 6, "2001:db8::/48", "family is not 4 or 6" },
	{ CASE_LINE, 6, KIND__MAX, HOW_PAGE, 6, "2001:db8::/48", "unknown kind" },
	{ CASE_LINE, 6, -1, HOW_PAGE, 6, "2001:db8::/48", "unknown kind" },
	{ CASE_LINE, 6, KIND_GLOBAL, HOW__MAX, 6, "2001:db8::/48", "unknown measurement" },
	{ CASE_LINE, 6, KIND_GLOBAL, -1, 6, "2001:db8::/48", "unknown measurement" },
	{ CASE_LINE, 6, KIND_GLOBAL, HOW_PAGE, 5, "2001:db8::/48", "server family is not 0, 4 or 6" },
	/* A bare address is never a prefix: it would be the full address on disk. */
	{ CASE_LINE, 4, KIND_DOCUMENTATION, HOW_PAGE, 4, "203.0.113.77", "prefix is not a network" },
	{ CASE_LINE, 6, KIND_GLOBAL, HOW_PAGE, 6, "", "prefix is not a network" },
	{ CASE_LINE, 6, KIND_GLOBAL, HOW_PAGE, 6, NULL, "prefix is not a network" },
};

START_TEST(test_row_invalid)
{
	struct row	 r = good_row();
	const char	*why;

	r.family = valid_rows[_i].family;
	r.kind = (enum addr_kind)valid_rows[_i].kind;
	r.how = (enum how)valid_rows[_i].how;
	r.server_family = valid_rows[_i].server_family;
	if (valid_rows[_i].prefix != NULL)
		snprintf(r.prefix, sizeof(r.prefix), "%s", valid_rows[_i].prefix);
	else
		memset(r.prefix, '/', sizeof(r.prefix));
	why = row_invalid(&r);
	if (valid_rows[_i].why == NULL)
		ck_assert_msg(why == NULL, "line %d: %s", valid_rows[_i].line, why);
	else
		ck_assert_msg(why != NULL && strcmp(why, valid_rows[_i].why) == 0,
		    "line %d: %s", valid_rows[_i].line, why != NULL ? why : "valid");
}
END_TEST

static const struct {
	int		 line;
	size_t		 ascii;		/* leading 'a' bytes */
	const char	*tail;
	size_t		 want;		/* bytes kept */
} cut_rows[] = {
	{ CASE_LINE, 0, "", 0 },
	{ CASE_LINE, ROW_HOST_MAX - 1, "", ROW_HOST_MAX - 1 },
	{ CASE_LINE, ROW_HOST_MAX, "", ROW_HOST_MAX },
	{ CASE_LINE, ROW_HOST_MAX + 1, "", ROW_HOST_MAX },
	{ CASE_LINE, 4000, "", ROW_HOST_MAX },
	/* A two-byte character across the limit goes whole. */
	{ CASE_LINE, ROW_HOST_MAX - 1, "\xc3\xa9", ROW_HOST_MAX - 1 },
	/* A two-byte character that ends at the limit stays. */
	{ CASE_LINE, ROW_HOST_MAX - 2, "\xc3\xa9x", ROW_HOST_MAX },
	/* A four-byte character across the limit goes whole. */
	{ CASE_LINE, ROW_HOST_MAX - 2, "\xf0\x9f\x98\x80", ROW_HOST_MAX - 2 },
	/* Within the limit nothing is looked at: bytes are not checked here. */
	{ CASE_LINE, 3, "\x80\x80", 5 },
};

START_TEST(test_host_len)
{
	char	 host[4100];

	memset(host, 'a', cut_rows[_i].ascii);
	snprintf(host + cut_rows[_i].ascii, sizeof(host) - cut_rows[_i].ascii, "%s",
	    cut_rows[_i].tail);
	ck_assert_msg(row_host_len(host) == cut_rows[_i].want, "line %d: %zu, want %zu",
	    cut_rows[_i].line, row_host_len(host), cut_rows[_i].want);
}
END_TEST

START_TEST(test_how_limits)
{
	ck_assert_str_eq(how_name(HOW__MAX), "unknown");
	ck_assert_str_eq(how_name((enum how)-1), "unknown");
	ck_assert_int_eq(how_from_name(NULL), HOW__MAX);
	ck_assert_int_eq(how_from_name(""), HOW__MAX);
	ck_assert_int_eq(how_from_name("Page"), HOW__MAX);
	ck_assert_int_eq(how_from_name("pages"), HOW__MAX);
	ck_assert_int_eq(how_from_name("unknown"), HOW__MAX);
}
END_TEST

/* Node names (issue 12): what a host name, a container id or a pod name is made of. */
static const struct {
	int		 line;
	size_t		 pad;		/* leading 'n' bytes */
	const char	*tail;
	bool		 valid;
} node_rows[] = {
	{ CASE_LINE, 0, "web-1", true },
	{ CASE_LINE, 0, "ip-10-0-1-23.ec2.internal", true },
	{ CASE_LINE, 0, "3f9a_B.x", true },
	{ CASE_LINE, 0, "a", true },
	{ CASE_LINE, 0, "", false },
	{ CASE_LINE, 0, "web 1", false },
	{ CASE_LINE, 0, "web/1", false },
	{ CASE_LINE, 0, "web:1", false },
	{ CASE_LINE, 0, "n\xc3\xa9", false },
	{ CASE_LINE, 0, "a\tb", false },
	{ CASE_LINE, 0, "<b>", false },
	{ CASE_LINE, 0, "a,b", false },
	{ CASE_LINE, ROW_NODE_MAX - 1, "x", true },
	{ CASE_LINE, ROW_NODE_MAX, "x", false },
	{ CASE_LINE, ROW_NODE_MAX, "", true },
};

START_TEST(test_node_valid)
{
	char		 name[ROW_NODE_MAX + 16];

	memset(name, 'n', node_rows[_i].pad);
	snprintf(name + node_rows[_i].pad, sizeof(name) - node_rows[_i].pad, "%s",
	    node_rows[_i].tail);
	ck_assert_msg(row_node_valid(name) == node_rows[_i].valid, "line %d: %s",
	    node_rows[_i].line, name);
}
END_TEST

#define N(a)	((int)(sizeof(a) / sizeof((a)[0])))

Suite *
row_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("row");
	tc = tcase_create("core");
	tcase_add_loop_test(tc, test_how_names, 0, N(how_rows));
	tcase_add_loop_test(tc, test_row_invalid, 0, N(valid_rows));
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_loop_test(tc, test_host_len, 0, N(cut_rows));
	tcase_add_test(tc, test_how_limits);
	tcase_add_loop_test(tc, test_node_valid, 0, N(node_rows));
	suite_add_tcase(s, tc);
	return s;
}
