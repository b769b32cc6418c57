/* check_import_dedupe.c: the content hash, and which lines of a file are new: again, grown, rotated, another file, a shorter copy. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_dedupe.h"
#include "check_suites.h"

/* ---- the hash ---- */

static uint64_t
hash_of(const void *p, size_t n)
{
	struct content_hash	 h;

	content_hash_init(&h);
	content_hash_add(&h, p, n);
	return content_hash_value(&h);
}

/* Fed in any pieces, the same bytes hash the same. */
START_TEST(test_hash_pieces)
{
	unsigned char		 data[300];
	struct content_hash	 h;
	uint64_t		 whole, seed = 12345;
	size_t			 i, at, k, len;
	int			 round;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 7 + 3);
	for (len = 0; len <= sizeof(data); len += 1 + len / 7) {
		whole = hash_of(data, len);
		for (round = 0; round < 20; round++) {
			content_hash_init(&h);
			for (at = 0; at < len; at += k) {
				seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
				k = (size_t)(seed >> 33) % 40;
				if (k > len - at)
					k = len - at;
				content_hash_add(&h, data + at, k);
				/* Looking at the value changes nothing. */
				(void)content_hash_value(&h);
			}
			ck_assert_msg(content_hash_value(&h) == whole, "len %zu round %d",
			    len, round);
		}
	}
}
END_TEST

/* Every byte and every length counts. */
START_TEST(test_hash_differs)
{
	static const char *const texts[] = {
		"", "\n", "\n\n", "a", "b", "a\n", "ab", "ba",
		"0123456789abcdef", "0123456789abcdeg", "1123456789abcdef",
		"0123456789abcdef0", "0123456789abcdef\0",
		"203.0.113.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2326\n",
		"203.0.113.8 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2326\n",
		"203.0.113.7 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2327\n",
	};
	static const size_t	 lens[] = { 0, 1, 2, 1, 1, 2, 2, 2, 16, 16, 16, 17, 17,
	    75, 75, 75 };
	size_t			 i, j;
	uint64_t		 v[sizeof(texts) / sizeof(texts[0])];

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		v[i] = hash_of(texts[i], lens[i]);
		for (j = 0; j < i; j++)
			ck_assert_msg(v[i] != v[j], "\"%s\" and \"%s\"", texts[i], texts[j]);
	}
	/* Zeros of different lengths too. */
	ck_assert_uint_ne(hash_of("\0\0\0\0\0\0\0\0", 8), hash_of("\0\0\0\0\0\0\0\0\0", 9));
	ck_assert_uint_ne(hash_of("\0\0\0\0\0\0\0\0", 8), hash_of("", 0));
}
END_TEST

/* A line is its bytes and its '\n'; a cut line is not any line of text. */
START_TEST(test_hash_line)
{
	struct content_hash	 a, b;
	struct line		 l;
	char			 text[] = "abc";

	content_hash_init(&a);
	content_hash_init(&b);
	memset(&l, 0, sizeof(l));
	l.text = text;
	l.len = 3;
	content_hash_line(&a, &l);
	content_hash_add(&b, "abc\n", 4);
	ck_assert_uint_eq(content_hash_value(&a), content_hash_value(&b));

	content_hash_init(&a);
	l.text = NULL;
	l.cut = true;
	l.len = 70000;
	content_hash_line(&a, &l);
	content_hash_init(&b);
	l.len = 70001;
	content_hash_line(&b, &l);
	ck_assert_uint_ne(content_hash_value(&a), content_hash_value(&b));
}
END_TEST

/* ---- the decision ---- */

/*
 * Run the decision over text as import does: letters for each line (I
 * import, S skip, R restart) and one for the end (D done, E earlier, R).
 * The record an import would leave is written to *rec.
 */
static void
run(const char *text, const struct store_import *cands, size_t ncands,
    char *out, size_t outsz, struct store_import *rec)
{
	static const char	 letter[] = { 'I', 'S', 'R', 'D', 'E' };
	struct dedupe		 d;
	struct line		 l;
	const char		*p = text, *nl;
	char			 buf[256];
	size_t			 k = 0;
	enum dedupe_verdict	 v;

	dedupe_init(&d);
	memset(&l, 0, sizeof(l));
	while ((nl = strchr(p, '\n')) != NULL) {
		l.len = (size_t)(nl - p);
		l.offset = (uint64_t)(p - text);
		l.number++;
		/* "!" opens a line too long to be read whole. */
		if (p[0] == '!') {
			l.text = NULL;
			l.cut = true;
		} else {
			ck_assert_uint_lt(l.len, sizeof(buf));
			memcpy(buf, p, l.len);
			buf[l.len] = '\0';
			l.text = buf;
			l.cut = false;
		}
		if (dedupe_key(&d, &l))
			dedupe_candidates(&d, cands, ncands);
		v = dedupe_line(&d, &l);
		ck_assert_uint_lt(k + 2, outsz);
		out[k++] = letter[v];
		p = nl + 1;
		if (v == DEDUPE_RESTART)
			break;
	}
	if (k == 0 || out[k - 1] != 'R')
		out[k++] = letter[dedupe_end(&d)];
	out[k] = '\0';
	memset(rec, 0, sizeof(*rec));
	if (dedupe_match(&d) != NULL)
		*rec = *dedupe_match(&d);
	rec->first_line = d.key;
	rec->offset = d.offset;
	rec->prefix_hash = content_hash_value(&d.hash);
	rec->lines = d.lines;
}

#define L1	"192.0.2.1 - - [01/Mar/2024:00:00:01 +0100] \"GET / HTTP/1.1\" 200 5\n"
#define L2	"2001:db8::2 - - [01/Mar/2024:00:00:02 +0100] \"GET /a HTTP/1.1\" 200 5\n"
#define L3	"192.0.2.3 - - [01/Mar/2024:00:00:03 +0100] \"GET /b HTTP/1.1\" 404 5\n"
#define L4	"2001:db8::4 - - [01/Mar/2024:00:00:04 +0100] \"GET /c HTTP/1.1\" 200 5\n"
#define L5	"192.0.2.5 - - [01/Mar/2024:00:00:05 +0100] \"GET /d HTTP/1.1\" 200 5\n"
#define CF	"#Version: 1.0\n#Fields: date time c-ip\n"

static const struct {
	int		 line;
	const char	*before;	/* imported first (NULL: nothing) */
	const char	*now;		/* then this */
	const char	*want;		/* its letters */
} scenarios[] = {
	/* A new file: every line. */
	{ CASE_LINE, NULL, L1 L2 L3, "IIID" },
	/* The same file again: nothing. */
	{ CASE_LINE, L1 L2 L3, L1 L2 L3, "SSSD" },
	/* Grown (or rotated, with what was written after the last import): the new lines. */
	{ CASE_LINE, L1 L2, L1 L2 L3 L4, "SSIID" },
	{ CASE_LINE, L1, L1 L2, "SID" },
	/* Another file that starts with the same line: read again, whole. */
	{ CASE_LINE, L1 L2 L3, L1 L4 L5, "SSSR" },
	{ CASE_LINE, L1 L3, L1 L5, "SSR" },		/* the same length, not the same bytes */
	{ CASE_LINE, L1 L3, L1 L5 L2, "SSR" },
	/*
	 * One that ends before the record's offset is taken as an earlier copy
	 * (the limit import_dedupe.h states: past the key, it is not compared).
	 */
	{ CASE_LINE, L1 L2, L1 L3, "SSE" },
	/* It differs only after the record's offset: it is that file, grown otherwise. */
	{ CASE_LINE, L1 L2, L1 L2 L5, "SSID" },
	/* A shorter copy of a file imported further: nothing new in it. */
	{ CASE_LINE, L1 L2 L3, L1 L2, "SSE" },
	{ CASE_LINE, L1 L2 L3, L1, "SE" },
	/* Another first line: another file. */
	{ CASE_LINE, L1 L2, L2 L3, "IID" },
	/* The record's offset inside a line of this one: another file. */
	{ CASE_LINE, L1 L2, L1 "192.0.2.2 - - [01/Mar/2024:00:00:02 +0100] \"GET /aaaaaa HTTP/1.1\" 200 5\n" L3,
	  "SSR" },
	/* Headers are not the key: two CloudFront files with the same headers are two files. */
	{ CASE_LINE, CF L1 L2, CF L3 L4, "IIIID" },
	/* Headers and blank lines before the key are read again (they hold no request). */
	{ CASE_LINE, CF L1 L2, CF L1 L2 L3, "IISSID" },
	{ CASE_LINE, "\n" L1, "\n" L1 L2, "ISID" },
	/* Only headers: no key, nothing skipped. */
	{ CASE_LINE, CF, CF, "IID" },
	/* A cut line is a line like any other, known by its length. */
	{ CASE_LINE, L1 "!xxxxxxxx\n", L1 "!xxxxxxxx\n" L2, "SSID" },
	{ CASE_LINE, L1 "!xxxxxxxx\n", L1 "!xxxxxxxxx\n" L2, "SSR" },
	{ CASE_LINE, "!xxxx\n" L1, "!xxxx\n" L1 L2, "SSID" },
	{ CASE_LINE, NULL, "", "D" },
};

START_TEST(test_scenarios)
{
	struct store_import	 rec, after;
	char			 got[64];
	size_t			 n = 0;

	if (scenarios[_i].before != NULL) {
		run(scenarios[_i].before, NULL, 0, got, sizeof(got), &rec);
		rec.id = 7;
		n = 1;
	}
	run(scenarios[_i].now, &rec, n, got, sizeof(got), &after);
	ck_assert_msg(strcmp(got, scenarios[_i].want) == 0, "line %d: %s, want %s",
	    scenarios[_i].line, got, scenarios[_i].want);
	/* A match leaves the record of the file as a fresh import of it would. */
	if (strchr(got, 'S') != NULL && strchr(got, 'R') == NULL &&
	    strchr(got, 'E') == NULL) {
		ck_assert_int_eq(after.id, 7);
		run(scenarios[_i].now, NULL, 0, got, sizeof(got), &rec);
		ck_assert_uint_eq(after.first_line, rec.first_line);
		ck_assert_uint_eq(after.offset, rec.offset);
		ck_assert_uint_eq(after.prefix_hash, rec.prefix_hash);
		ck_assert_uint_eq(after.lines, rec.lines);
	}
}
END_TEST

/* Of several records with the file's key, the one it continues; the others are other files. */
START_TEST(test_candidates)
{
	struct store_import	 recs[3], after;
	char			 got[64];

	run(L1 L2 L3 L4, NULL, 0, got, sizeof(got), &recs[0]);	/* another server's */
	run(L1 L5, NULL, 0, got, sizeof(got), &recs[1]);
	run(L1 L2, NULL, 0, got, sizeof(got), &recs[2]);	/* this one, earlier */
	recs[0].offset -= 1;	/* not a line's start here */
	recs[0].id = 1;
	recs[1].id = 2;
	recs[2].id = 3;
	run(L1 L2 L3, recs, 3, got, sizeof(got), &after);
	ck_assert_str_eq(got, "SSID");
	ck_assert_int_eq(after.id, 3);
	/* Records of other keys are no candidates, whatever is passed. */
	recs[2].first_line ^= 1;
	run(L1 L2 L3, recs + 2, 1, got, sizeof(got), &after);
	ck_assert_str_eq(got, "IIID");
	ck_assert_int_eq(after.id, 0);
}
END_TEST

/* More candidates than are kept, a record at offset 0, a file that ends in its key. */
START_TEST(test_limits)
{
	struct store_import	 recs[STORE_IMPORTS_MAX + 4], rec, after;
	char			 got[64];
	size_t			 i;

	run(L1 L2, NULL, 0, got, sizeof(got), &rec);
	for (i = 0; i < STORE_IMPORTS_MAX + 4; i++) {
		recs[i] = rec;
		recs[i].prefix_hash ^= 1 + i;	/* other files */
		recs[i].id = (int64_t)i + 1;
	}
	/* The matching one among the first STORE_IMPORTS_MAX (newest first). */
	recs[3] = rec;
	recs[3].id = 4;
	run(L1 L2 L3, recs, STORE_IMPORTS_MAX + 4, got, sizeof(got), &after);
	ck_assert_str_eq(got, "SSID");
	ck_assert_int_eq(after.id, 4);
	/* A record that claims nothing was imported is no match for any line. */
	rec.offset = 0;
	rec.prefix_hash = hash_of("", 0);
	run(L1 L2, &rec, 1, got, sizeof(got), &after);
	ck_assert_str_eq(got, "IID");
	ck_assert_int_eq(after.id, 0);
}
END_TEST

Suite *
import_dedupe_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("import_dedupe");
	tc = tcase_create("hash");
	tcase_add_test(tc, test_hash_pieces);
	tcase_add_test(tc, test_hash_differs);
	tcase_add_test(tc, test_hash_line);
	suite_add_tcase(s, tc);
	tc = tcase_create("decision");
	tcase_add_loop_test(tc, test_scenarios, 0, sizeof(scenarios) / sizeof(scenarios[0]));
	tcase_add_test(tc, test_candidates);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_test(tc, test_limits);
	suite_add_tcase(s, tc);
	return s;
}
