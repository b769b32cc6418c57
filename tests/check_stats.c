/* check_stats.c: the counters /status shows, shared by processes: the file, its checks, the message lock. */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stats.h"
#include "check_suites.h"

static char	 dir[64];
static char	 db[128];
static char	 file[128];

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/check-stats.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/x.db", dir);
	snprintf(file, sizeof(file), "%s/x.db%s", dir, STATS_SUFFIX);
}

static void
teardown(void)
{
	char	 cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Run fn in a child and wait for it: what it counts must show in the parent. */
static void
in_child(void (*fn)(struct stats *), struct stats *s)
{
	pid_t	 pid;
	int	 status;

	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		fn(s);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void
count_three(struct stats *s)
{
	stats_request(s);
	stats_request(s);
	stats_bad_peer(s);
	stats_failure(s, 1234, "from the child");
}

/* Anonymous shared memory: forked workers count into one place. */
START_TEST(create_shared_with_children)
{
	struct stats	*s = stats_create(), copy;

	ck_assert_ptr_nonnull(s);
	ck_assert(!s->shared);
	in_child(count_three, s);
	stats_request(s);
	stats_read(s, &copy);
	ck_assert_uint_eq(copy.requests, 3);
	ck_assert_uint_eq(copy.bad_peers, 1);
	ck_assert_uint_eq(copy.record_failures, 1);
	ck_assert_str_eq(copy.last_error, "from the child");
	ck_assert_int_eq(copy.last_error_time, 1234);
}
END_TEST

/* The file beside the database: 0600, its size, two mappings of it count together. */
START_TEST(open_file_shared)
{
	struct stats	*a, *b, copy;
	struct stat	 sb;

	ck_assert_ptr_null(stats_open(db, false));	/* not made without create */
	ck_assert_int_eq(access(file, F_OK), -1);
	ck_assert_ptr_nonnull(a = stats_open(db, true));
	ck_assert_int_eq(stat(file, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 07777, 0600);
	ck_assert_int_eq(sb.st_size, (off_t)sizeof(struct stats));
	ck_assert(a->shared);
	ck_assert_ptr_nonnull(b = stats_open(db, false));
	ck_assert_ptr_ne(a, b);
	stats_request(a);
	in_child(count_three, b);
	stats_read(a, &copy);
	ck_assert_uint_eq(copy.requests, 3);
	ck_assert_str_eq(copy.last_error, "from the child");
	munmap(a, sizeof(*a));
	munmap(b, sizeof(*b));
	/* It outlives its processes: a later open sees the same counts. */
	ck_assert_ptr_nonnull(a = stats_open(db, false));
	stats_read(a, &copy);
	ck_assert_uint_eq(copy.requests, 3);
	munmap(a, sizeof(*a));
}
END_TEST

/* A file of another layout is never misread: refused without create, replaced (a new inode) with it. */
START_TEST(open_foreign_file)
{
	struct stats	*s, copy;
	struct stat	 before, after;
	char		 junk[sizeof(struct stats)];
	int		 fd;

	memset(junk, 0x41, sizeof(junk));
	ck_assert_int_ne(fd = open(file, O_WRONLY | O_CREAT, 0600), -1);
	ck_assert_int_eq(write(fd, junk, sizeof(junk)), (ssize_t)sizeof(junk));
	close(fd);
	ck_assert_int_eq(stat(file, &before), 0);
	ck_assert_ptr_null(stats_open(db, false));
	ck_assert_ptr_nonnull(s = stats_open(db, true));
	ck_assert_int_eq(stat(file, &after), 0);
	ck_assert_uint_ne(before.st_ino, after.st_ino);
	stats_read(s, &copy);
	ck_assert_uint_eq(copy.requests, 0);
	ck_assert(copy.shared);
	munmap(s, sizeof(*s));
	/* A short file (an older, smaller layout) too. */
	ck_assert_int_eq(truncate(file, 16), 0);
	ck_assert_ptr_null(stats_open(db, false));
	ck_assert_ptr_nonnull(s = stats_open(db, true));
	munmap(s, sizeof(*s));
	ck_assert_int_eq(stat(file, &after), 0);
	ck_assert_int_eq(after.st_size, (off_t)sizeof(struct stats));
}
END_TEST

/* Not a regular file, or a link to somewhere else: not mapped. */
START_TEST(open_refuses_links_and_folders)
{
	char	 target[128];

	snprintf(target, sizeof(target), "%s/elsewhere", dir);
	ck_assert_int_eq(symlink(target, file), 0);
	ck_assert_ptr_null(stats_open(db, true));
	ck_assert_int_eq(access(target, F_OK), -1);	/* nothing made through the link */
	ck_assert_int_eq(unlink(file), 0);
	ck_assert_int_eq(mkdir(file, 0700), 0);
	ck_assert_ptr_null(stats_open(db, true));
	/* A folder that does not exist: NULL, the caller falls back to stats_create. */
	snprintf(db, sizeof(db), "%s/none/x.db", dir);
	ck_assert_ptr_null(stats_open(db, true));
}
END_TEST

/* Which came last: a failure after a recorded row, and a row after the failure. */
START_TEST(order_of_ok_and_failure)
{
	struct stats	*s = stats_create(), copy;

	stats_recorded(s);
	stats_failure(s, 10, "disk full");
	stats_read(s, &copy);
	ck_assert_uint_gt(copy.failure_seq, copy.ok_seq);
	stats_recorded(s);
	stats_read(s, &copy);
	ck_assert_uint_gt(copy.ok_seq, copy.failure_seq);
	ck_assert_str_eq(copy.last_error, "disk full");	/* kept after the recovery */
}
END_TEST

/* A message longer than the field is cut and stays terminated. */
START_TEST(limit_long_message)
{
	struct stats	*s = stats_create(), copy;
	char		 msg[STATS_ERR_MAX * 2];

	memset(msg, 'm', sizeof(msg) - 1);
	msg[sizeof(msg) - 1] = '\0';
	stats_failure(s, 5, msg);
	stats_read(s, &copy);
	ck_assert_uint_eq(strlen(copy.last_error), STATS_ERR_MAX - 1);
}
END_TEST

static void
die_holding_lock(struct stats *s)
{
	/* What a worker killed in the middle of stats_failure leaves behind. */
	__atomic_store_n(&s->lock, 1, __ATOMIC_RELEASE);
}

/*
 * A holder that died with the lock: the next caller waits a bounded spin,
 * writes anyway, and lets the lock go, so the one after it gets it at once.
 */
START_TEST(limit_dead_holder)
{
	struct stats	*s, copy;

	ck_assert_ptr_nonnull(s = stats_open(db, true));
	in_child(die_holding_lock, s);
	ck_assert_int_eq(__atomic_load_n(&s->lock, __ATOMIC_ACQUIRE), 1);
	stats_failure(s, 77, "after the holder died");
	ck_assert_int_eq(__atomic_load_n(&s->lock, __ATOMIC_ACQUIRE), 0);
	stats_read(s, &copy);
	ck_assert_str_eq(copy.last_error, "after the holder died");
	ck_assert_int_eq(copy.last_error_time, 77);
	ck_assert_int_eq(copy.lock, 0);
	/* The copy never carries a taken lock, even read while one was held. */
	in_child(die_holding_lock, s);
	stats_read(s, &copy);
	ck_assert_int_eq(copy.lock, 0);
	ck_assert_int_eq(__atomic_load_n(&s->lock, __ATOMIC_ACQUIRE), 0);
	munmap(s, sizeof(*s));
}
END_TEST

Suite *
stats_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("stats");
	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, create_shared_with_children);
	tcase_add_test(tc, open_file_shared);
	tcase_add_test(tc, open_foreign_file);
	tcase_add_test(tc, open_refuses_links_and_folders);
	tcase_add_test(tc, order_of_ok_and_failure);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, limit_long_message);
	tcase_add_test(tc, limit_dead_holder);
	suite_add_tcase(s, tc);
	return s;
}
