/* check_follow.c: a log file followed as it grows: the rotation decision (table), whole lines only, rename, copytruncate, a missing file, a cut line. */
#include <sys/resource.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "follow.h"
#include "check_suites.h"

static const struct {
	int			 line;
	struct follow_view	 v;
	enum follow_action	 want;
} decide_cases[] = {
	/* open, path_exists, path_same, size, read, quiet_ms */
	{ CASE_LINE, { false, false, false, 0, 0, 0 }, FOLLOW_WAIT },		/* not there yet */
	{ CASE_LINE, { false, true, false, 0, 0, 0 }, FOLLOW_SWITCH },		/* there now */
	{ CASE_LINE, { true, true, true, 100, 40, 0 }, FOLLOW_READ },		/* it grew */
	{ CASE_LINE, { true, true, true, 100, 100, 99999 }, FOLLOW_WAIT },	/* all read */
	{ CASE_LINE, { true, true, true, 10, 100, 0 }, FOLLOW_TRUNCATED },	/* copytruncate */
	{ CASE_LINE, { true, true, true, 0, 100, 0 }, FOLLOW_TRUNCATED },
	{ CASE_LINE, { true, false, false, 10, 100, 0 }, FOLLOW_TRUNCATED },	/* truncated, then gone */
	/* renamed away, a new file at the path */
	{ CASE_LINE, { true, true, false, 100, 40, 99999 }, FOLLOW_READ },	/* the old one first, to its end */
	{ CASE_LINE, { true, true, false, 100, 100, 0 }, FOLLOW_WAIT },		/* it may get a worker's last flush */
	{ CASE_LINE, { true, true, false, 100, 100, FOLLOW_QUIET_MS - 1 }, FOLLOW_WAIT },
	{ CASE_LINE, { true, true, false, 100, 100, FOLLOW_QUIET_MS }, FOLLOW_SWITCH },
	{ CASE_LINE, { true, true, false, 10, 100, 0 }, FOLLOW_SWITCH },	/* the old one truncated: done with */
	/* renamed away, nothing at the path yet (nginx not told to reopen yet) */
	{ CASE_LINE, { true, false, false, 100, 100, 99999 }, FOLLOW_WAIT },
	{ CASE_LINE, { true, false, false, 120, 100, 99999 }, FOLLOW_READ },
};

START_TEST(test_decide)
{
	const struct follow_view	*v = &decide_cases[_i].v;
	enum follow_action		 got = follow_decide(v);

	ck_assert_msg(got == decide_cases[_i].want, "line %d: %s, not %s",
	    decide_cases[_i].line, follow_action_name(got),
	    follow_action_name(decide_cases[_i].want));
}
END_TEST

static char	 dir[64];
static char	 path[128];

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/dualstat-follow.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/access.log", dir);
}

static void
teardown(void)
{
	char	 cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void
append(const char *p, const char *text)
{
	FILE	*f = fopen(p, "a");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
}

/* The next line must be want (taken), at offset off. */
static void
expect_line(struct follow *f, const char *want, uint64_t off)
{
	struct line	 l;
	char		 err[256];

	ck_assert_int_eq(follow_next(f, &l, err, sizeof(err)), FOLLOW_LINE);
	ck_assert_ptr_nonnull(l.text);
	ck_assert_str_eq(l.text, want);
	ck_assert_uint_eq(l.offset, off);
	follow_take(f);
}

static enum follow_got
next(struct follow *f)
{
	struct line	 l;
	char		 err[256];

	return follow_next(f, &l, err, sizeof(err));
}

START_TEST(test_partial_lines)
{
	struct follow	*f;
	struct line	 l;
	char		 err[256];

	append(path, "one\ntw");
	ck_assert_ptr_nonnull(f = follow_new(path, err, sizeof(err)));
	expect_line(f, "one", 0);
	/* No '\n' yet: not a line. */
	ck_assert_int_eq(next(f), FOLLOW_NONE);
	append(path, "o\nthree\n");
	/* Handed out, not taken: the same line again. */
	ck_assert_int_eq(follow_next(f, &l, err, sizeof(err)), FOLLOW_LINE);
	ck_assert_str_eq(l.text, "two");
	ck_assert_int_eq(follow_next(f, &l, err, sizeof(err)), FOLLOW_LINE);
	ck_assert_str_eq(l.text, "two");
	ck_assert_uint_eq(l.number, 2);
	follow_take(f);
	expect_line(f, "three", 8);
	ck_assert_uint_eq(follow_offset(f), 14);
	ck_assert_int_eq(next(f), FOLLOW_NONE);
	follow_free(f);
}
END_TEST

START_TEST(test_rename)
{
	struct follow	*f;
	char		 old[160], err[256];

	append(path, "a\n");
	ck_assert_ptr_nonnull(f = follow_new(path, err, sizeof(err)));
	expect_line(f, "a", 0);
	snprintf(old, sizeof(old), "%s.1", path);
	ck_assert_int_eq(rename(path, old), 0);
	/* Renamed, nothing at the path: the old one read on. */
	append(old, "b\n");
	expect_line(f, "b", 2);
	append(path, "new\n");
	/* A worker's last lines into the old one, after the new one appeared. */
	append(old, "c\nhalf");
	expect_line(f, "c", 4);
	ck_assert_int_eq(next(f), FOLLOW_NONE);
	/* Once it was quiet: the new one, from byte 0; the unfinished line said. */
	usleep((FOLLOW_QUIET_MS + 100) * 1000);
	ck_assert_int_eq(next(f), FOLLOW_ROTATED);
	ck_assert_uint_eq(follow_restart(f), 4);
	expect_line(f, "new", 0);
	ck_assert_int_eq(next(f), FOLLOW_NONE);
	follow_free(f);
}
END_TEST

START_TEST(test_copytruncate)
{
	struct follow	*f;
	char		 err[256];

	append(path, "first line\nsecond line\n");
	ck_assert_ptr_nonnull(f = follow_new(path, err, sizeof(err)));
	expect_line(f, "first line", 0);
	expect_line(f, "second line", 11);
	ck_assert_int_eq(truncate(path, 0), 0);
	append(path, "x\n");
	ck_assert_int_eq(next(f), FOLLOW_ROTATED);
	ck_assert_uint_eq(follow_restart(f), 0);
	expect_line(f, "x", 0);
	/* Rewound on purpose: the same lines again. */
	follow_rewind(f);
	expect_line(f, "x", 0);
	follow_free(f);
}
END_TEST

START_TEST(test_missing)
{
	struct follow	*f;
	char		 err[256];

	ck_assert_ptr_nonnull(f = follow_new(path, err, sizeof(err)));
	ck_assert_int_eq(next(f), FOLLOW_NONE);
	ck_assert_int_eq(next(f), FOLLOW_NONE);
	append(path, "here\n");
	expect_line(f, "here", 0);
	follow_free(f);
}
END_TEST

/*
 * A file that is there but cannot be opened (here: no descriptor left, as
 * root reads any file): said once, tried again once a poll, not in a loop.
 */
START_TEST(test_unopenable)
{
	struct follow	*f;
	struct line	 l;
	struct rlimit	 was, none;
	char		 err[256];
	int		 lowest;

	ck_assert_ptr_nonnull(f = follow_new(path, err, sizeof(err)));
	ck_assert_int_eq(next(f), FOLLOW_NONE);
	append(path, "here\n");
	/* Every descriptor below the lowest free one is in use: a limit there leaves none. */
	ck_assert_int_ge(lowest = dup(0), 0);
	close(lowest);
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &was), 0);
	none = was;
	none.rlim_cur = (rlim_t)lowest;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &none), 0);
	ck_assert_int_eq(follow_next(f, &l, err, sizeof(err)), FOLLOW_ERROR);
	ck_assert_msg(strstr(err, "access.log: ") != NULL, "%s", err);
	ck_assert_int_eq(next(f), FOLLOW_NONE);
	ck_assert_int_eq(next(f), FOLLOW_NONE);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &was), 0);
	/* Not before a poll's time: then opened, and read. */
	ck_assert_int_eq(next(f), FOLLOW_NONE);
	usleep((FOLLOW_POLL_MS + 100) * 1000);
	expect_line(f, "here", 0);
	follow_free(f);
}
END_TEST

START_TEST(test_cut)
{
	struct follow	*f;
	struct line	 l;
	char		 err[256], *big;
	size_t		 n;

	/* Over the limit, by pieces that never hold its end and by one that does. */
	for (n = 0; n < 2; n++) {
		size_t	 len = n == 0 ? 5 * LINEREADER_MAX_LINE : LINEREADER_MAX_LINE + 1;

		ck_assert_ptr_nonnull(big = malloc(len + 2));
		memset(big, 'x', len);
		big[len] = '\n';
		big[len + 1] = '\0';
		ck_assert_int_eq(unlink(path) == 0 || n == 0, 1);
		append(path, big);
		append(path, "after\n");
		free(big);
		ck_assert_ptr_nonnull(f = follow_new(path, err, sizeof(err)));
		ck_assert_int_eq(follow_next(f, &l, err, sizeof(err)), FOLLOW_LINE);
		ck_assert_ptr_null(l.text);
		ck_assert(l.cut);
		ck_assert_uint_eq(l.len, len);
		ck_assert_uint_eq(l.offset, 0);
		follow_take(f);
		expect_line(f, "after", len + 1);
		follow_free(f);
	}
}
END_TEST

Suite *
follow_suite(void)
{
	Suite	*s = suite_create("follow");
	TCase	*tc = tcase_create("decide");
	TCase	*file = tcase_create("file");

	tcase_add_loop_test(tc, test_decide, 0,
	    sizeof(decide_cases) / sizeof(decide_cases[0]));
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(file, setup, teardown);
	tcase_add_test(file, test_partial_lines);
	tcase_add_test(file, test_rename);
	tcase_add_test(file, test_copytruncate);
	tcase_add_test(file, test_missing);
	tcase_add_test(file, test_unopenable);
	tcase_add_test(file, test_cut);
	tcase_set_timeout(file, 30);
	suite_add_tcase(s, file);
	return s;
}
