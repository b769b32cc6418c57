/* check_map.c: the hash map of the roll-up and the report: keys of any bytes, growth, collisions, many keys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "check_suites.h"

static void
put_ok(struct map *m, const void *key, size_t len, int64_t value, bool want_added, int line)
{
	int64_t	*v;
	bool	 added;

	v = map_put(m, key, len, &added);
	ck_assert_msg(v != NULL, "line %d: out of memory", line);
	ck_assert_msg(added == want_added, "line %d: added %d", line, added);
	if (added)
		ck_assert_msg(*v == 0, "line %d: a new value is %jd", line, (intmax_t)*v);
	*v = value;
}

static int64_t
get_ok(const struct map *m, const void *key, size_t len, int line)
{
	int64_t	*v;

	v = map_get(m, key, len);
	ck_assert_msg(v != NULL, "line %d: not found", line);
	return *v;
}

/* Keys that differ in one byte, in length only, by a NUL, or are empty: all distinct. */
static const struct {
	int		 line;
	const char	*key;
	size_t		 len;
} key_rows[] = {
	{ CASE_LINE, "", 0 },
	{ CASE_LINE, "a", 1 },
	{ CASE_LINE, "ab", 2 },
	{ CASE_LINE, "abc", 3 },
	{ CASE_LINE, "abd", 3 },
	{ CASE_LINE, "a\0c", 3 },
	{ CASE_LINE, "a\0", 2 },
	{ CASE_LINE, "\0", 1 },
	{ CASE_LINE, "\0\0", 2 },
	{ CASE_LINE, "12345678", 8 },
	{ CASE_LINE, "123456789", 9 },
	{ CASE_LINE, "12345679", 8 },
	{ CASE_LINE, "2001:db8:1::/48", 15 },
	{ CASE_LINE, "2001:db8:1::/4", 14 },
};

START_TEST(test_keys)
{
	struct map	 m = { 0 };
	size_t		 i, n = sizeof(key_rows) / sizeof(key_rows[0]);

	ck_assert_ptr_null(map_get(&m, "a", 1));
	for (i = 0; i < n; i++)
		put_ok(&m, key_rows[i].key, key_rows[i].len, (int64_t)i * 10, true,
		    key_rows[i].line);
	ck_assert_uint_eq(map_count(&m), n);
	for (i = 0; i < n; i++)
		ck_assert_msg(get_ok(&m, key_rows[i].key, key_rows[i].len,
		    key_rows[i].line) == (int64_t)i * 10, "line %d", key_rows[i].line);
	/* Put again: found, not added, the value kept until changed. */
	for (i = 0; i < n; i++)
		put_ok(&m, key_rows[i].key, key_rows[i].len, -(int64_t)i, false,
		    key_rows[i].line);
	ck_assert_uint_eq(map_count(&m), n);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(get_ok(&m, key_rows[i].key, key_rows[i].len,
		    key_rows[i].line), -(int64_t)i);
	ck_assert_ptr_null(map_get(&m, "abcd", 4));
	ck_assert_ptr_null(map_get(&m, "ab", 1 + 1 + 1));
	map_free(&m);
	ck_assert_uint_eq(map_count(&m), 0);
	ck_assert_ptr_null(map_get(&m, "", 0));
}
END_TEST

/* The key is copied: the caller's buffer may change or go. */
START_TEST(test_key_copied)
{
	struct map	 m = { 0 };
	char		 key[32];

	snprintf(key, sizeof(key), "%s", "example.org");
	put_ok(&m, key, strlen(key), 7, true, __LINE__);
	memset(key, 'x', sizeof(key));
	ck_assert_int_eq(get_ok(&m, "example.org", 11, __LINE__), 7);
	ck_assert_ptr_null(map_get(&m, key, 11));
	map_free(&m);
}
END_TEST

/* Keys whose hashes share their low bits land on one slot: each still found. */
START_TEST(test_collisions)
{
	char		 keys[8][16];
	struct map	 m = { 0 };
	uint64_t	 want;
	size_t		 n = 0, i;
	int		 k;

	want = map_hash("k0", 2) & 63;
	snprintf(keys[n++], sizeof(keys[0]), "%s", "k0");
	for (k = 1; n < 8 && k < 1000000; k++) {
		snprintf(keys[n], sizeof(keys[0]), "k%d", k);
		if ((map_hash(keys[n], strlen(keys[n])) & 63) == want)
			n++;
	}
	ck_assert_uint_eq(n, 8);
	/* Eight on one slot of the first 64: a run of probes, wrapped or not. */
	for (i = 0; i < n; i++)
		put_ok(&m, keys[i], strlen(keys[i]), (int64_t)i + 1, true, __LINE__);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(get_ok(&m, keys[i], strlen(keys[i]), __LINE__), (int64_t)i + 1);
	ck_assert_ptr_null(map_get(&m, "k", 1));
	map_free(&m);
}
END_TEST

/* Growth: many keys, every one found with its value after the table doubled many times. */
START_TEST(test_many)
{
	struct map	 m = { 0 };
	char		 key[32];
	int		 i, n = 200000;
	int		 len;

	for (i = 0; i < n; i++) {
		len = snprintf(key, sizeof(key), "%d 2001:db8:%x::/48", i % 2 ? 6 : 4, i);
		put_ok(&m, key, (size_t)len, i, true, __LINE__);
	}
	ck_assert_uint_eq(map_count(&m), (size_t)n);
	for (i = 0; i < n; i++) {
		len = snprintf(key, sizeof(key), "%d 2001:db8:%x::/48", i % 2 ? 6 : 4, i);
		ck_assert_int_eq(get_ok(&m, key, (size_t)len, __LINE__), i);
	}
	/* Binary keys, as the roll-up makes of a cell's key. */
	map_free(&m);
	for (i = 0; i < n; i++) {
		int64_t	 k[2] = { i, (int64_t)i * 3600 };

		put_ok(&m, k, sizeof(k), -i, true, __LINE__);
	}
	for (i = 0; i < n; i++) {
		int64_t	 k[2] = { i, (int64_t)i * 3600 };

		ck_assert_int_eq(get_ok(&m, k, sizeof(k), __LINE__), -i);
	}
	map_free(&m);
}
END_TEST

START_TEST(test_limits)
{
	struct map	 m = { 0 };
	unsigned char	*big;
	size_t		 len = 100000;

	/* A zeroed map is empty, and freeing it twice is fine. */
	ck_assert_uint_eq(map_count(&m), 0);
	ck_assert_ptr_null(map_get(&m, "", 0));
	map_free(&m);
	map_free(&m);
	/* A key longer than a chunk of key storage. */
	ck_assert_ptr_nonnull(big = malloc(len));
	memset(big, 0xab, len);
	put_ok(&m, big, len, 5, true, __LINE__);
	put_ok(&m, big, len - 1, 6, true, __LINE__);
	put_ok(&m, "", 0, 7, true, __LINE__);
	ck_assert_int_eq(get_ok(&m, big, len, __LINE__), 5);
	ck_assert_int_eq(get_ok(&m, big, len - 1, __LINE__), 6);
	ck_assert_int_eq(get_ok(&m, "", 0, __LINE__), 7);
	big[len - 1] = 0;
	ck_assert_ptr_null(map_get(&m, big, len));
	free(big);
	map_free(&m);
	/* The hash depends on the length: "" and "\0" differ. */
	ck_assert(map_hash("", 0) != map_hash("\0", 1));
	ck_assert(map_hash("a", 1) == map_hash("ab", 1));
}
END_TEST

Suite *
map_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("map");
	tc = tcase_create("core");
	tcase_add_test(tc, test_keys);
	tcase_add_test(tc, test_key_copied);
	tcase_add_test(tc, test_collisions);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_many);
	tcase_add_test(tc, test_limits);
	suite_add_tcase(s, tc);
	return s;
}
