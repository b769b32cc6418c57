/* check_linereader.c: lines, offsets and limits from plain files, gzip (written here with zlib), pipes and stdin. */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "linereader.h"
#include "check_suites.h"

static char	 dir[64];

static void
setup(void)
{
	strcpy(dir, "/tmp/dualstat-lr.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	struct dirent	*e;
	DIR		*d;
	char		 p[192];

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (snprintf(p, sizeof(p), "%s/%.100s", dir, e->d_name) >= (int)sizeof(p))
			continue;
		(void)unlink(p);
	}
	closedir(d);
	(void)rmdir(dir);
}

static const char *
path(const char *name)
{
	static char	 p[128];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static void
write_file(const char *name, const void *data, size_t n)
{
	FILE	*f = fopen(path(name), "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

/* gzip with zlib itself, as gzip(1) writes it; mode "ab" adds a member. */
static void
write_gz(const char *name, const char *mode, const void *data, size_t n)
{
	gzFile	 g = gzopen(path(name), mode);

	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(gzwrite(g, data, (unsigned)n), (int)n);
	ck_assert_int_eq(gzclose(g), Z_OK);
}

/* Standard input becomes a pipe that a child fills with data, then closes. */
static void
stdin_pipe(const void *data, size_t n)
{
	int	 fds[2];
	pid_t	 pid;

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_ge(pid = fork(), 0);
	if (pid == 0) {
		close(fds[0]);
		_exit(write(fds[1], data, n) == (ssize_t)n ? 0 : 1);
	}
	close(fds[1]);
	ck_assert_int_eq(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
	close(fds[0]);
}

/* The bytes of a file written here. */
static char *
slurp(const char *name, size_t *n)
{
	struct stat	 st;
	char		*b;
	FILE		*f;

	ck_assert_int_eq(stat(path(name), &st), 0);
	ck_assert_ptr_nonnull(b = malloc((size_t)st.st_size + 1));
	ck_assert_ptr_nonnull(f = fopen(path(name), "rb"));
	*n = fread(b, 1, (size_t)st.st_size, f);
	fclose(f);
	return b;
}

static struct linereader *
must_open(const char *name, size_t max)
{
	struct linereader	*lr;
	char			 err[256] = "";

	lr = linereader_open(path(name), max, err, sizeof(err));
	ck_assert_msg(lr != NULL, "%s", err);
	return lr;
}

static void
expect(struct linereader *lr, const char *text, uint64_t offset, uint64_t number,
    bool partial)
{
	struct line	 l;
	char		 err[256] = "";

	ck_assert_msg(linereader_next(lr, &l, err, sizeof(err)) == 1, "line %llu: %s",
	    (unsigned long long)number, err);
	ck_assert_ptr_nonnull(l.text);
	ck_assert_uint_eq(l.len, strlen(text));
	ck_assert_msg(memcmp(l.text, text, l.len) == 0, "line %llu: \"%.*s\"",
	    (unsigned long long)number, (int)l.len, l.text);
	ck_assert_int_eq(l.text[l.len], '\0');
	ck_assert_uint_eq(l.offset, offset);
	ck_assert_uint_eq(l.number, number);
	ck_assert(!l.cut);
	ck_assert_int_eq(l.partial, partial);
}

static void
expect_end(struct linereader *lr)
{
	struct line	 l;
	char		 err[256] = "";

	ck_assert_int_eq(linereader_next(lr, &l, err, sizeof(err)), 0);
	ck_assert_int_eq(linereader_next(lr, &l, err, sizeof(err)), 0);	/* and stays there */
}

static const char small[] = "one\n\ntwo\r\nthree";

START_TEST(plain_lines)
{
	struct linereader	*lr;

	write_file("a.log", small, sizeof(small) - 1);
	lr = must_open("a.log", 0);
	expect(lr, "one", 0, 1, false);
	expect(lr, "", 4, 2, false);
	expect(lr, "two\r", 5, 3, false);		/* CR is the parser's business */
	expect(lr, "three", 10, 4, true);		/* no '\n' yet: maybe still being written */
	expect_end(lr);
	ck_assert(!linereader_gzip(lr));
	ck_assert_uint_eq(linereader_bytes_in(lr), sizeof(small) - 1);
	linereader_close(lr);
}
END_TEST

START_TEST(empty_file)
{
	struct linereader	*lr;

	write_file("e.log", "", 0);
	lr = must_open("e.log", 0);
	expect_end(lr);
	linereader_close(lr);
	write_file("n.log", "\n", 1);
	lr = must_open("n.log", 0);
	expect(lr, "", 0, 1, false);
	expect_end(lr);
	linereader_close(lr);
}
END_TEST

/* Line i of a made-up log: lengths 0 to 400, so lines straddle every block edge. */
static size_t
make_line(unsigned i, char *buf)
{
	size_t	 n = (size_t)snprintf(buf, 32, "%u:", i), len = (i * 37u) % 401, k;

	for (k = n; k < len; k++)
		buf[k] = (char)('a' + (i + k) % 26);
	return len > n ? len : n;
}

#define MANY	40000

static char *
many_lines(size_t *total)
{
	char	*all = malloc((size_t)MANY * 402), *p = all;
	unsigned i;

	ck_assert_ptr_nonnull(all);
	for (i = 0; i < MANY; i++) {
		p += make_line(i, p);
		*p++ = '\n';
	}
	*total = (size_t)(p - all);
	return all;
}

static void
read_many(struct linereader *lr)
{
	struct line	 l;
	char		 want[402], err[256] = "";
	uint64_t	 off = 0;
	size_t		 n;
	unsigned	 i;

	for (i = 0; i < MANY; i++) {
		n = make_line(i, want);
		ck_assert_msg(linereader_next(lr, &l, err, sizeof(err)) == 1, "%u: %s", i, err);
		ck_assert_msg(l.len == n && memcmp(l.text, want, n) == 0, "line %u wrong", i);
		ck_assert_uint_eq(l.offset, off);
		ck_assert_uint_eq(l.number, i + 1);
		ck_assert(!l.partial && !l.cut);
		off += n + 1;
	}
	expect_end(lr);
}

/* 8 MB across many blocks: every line whole, every offset exact. */
START_TEST(block_edges)
{
	struct linereader	*lr;
	struct line		 l;
	size_t			 total;
	char			*all = many_lines(&total), err[256];

	write_file("m.log", all, total);
	lr = must_open("m.log", 0);
	read_many(lr);
	linereader_close(lr);

	/* Reads are blocks, not lines: the first line has already pulled in a whole block. */
	lr = must_open("m.log", 0);
	ck_assert_int_eq(linereader_next(lr, &l, err, sizeof(err)), 1);
	ck_assert_uint_ge(linereader_bytes_in(lr), LINEREADER_BLOCK);
	linereader_close(lr);
	free(all);
}
END_TEST

START_TEST(gzip_lines)
{
	struct linereader	*lr;
	size_t			 total;
	char			*all = many_lines(&total);

	write_gz("m.log.gz", "wb", all, total);
	lr = must_open("m.log.gz", 0);
	read_many(lr);
	ck_assert(linereader_gzip(lr));
	/* Progress counts the compressed bytes of the file. */
	ck_assert_uint_lt(linereader_bytes_in(lr), total);
	linereader_close(lr);

	/* gzip by its bytes, not by its name. */
	write_gz("plain-name.log", "wb", small, sizeof(small) - 1);
	lr = must_open("plain-name.log", 0);
	expect(lr, "one", 0, 1, false);
	ck_assert(linereader_gzip(lr));
	linereader_close(lr);
	write_file("not.gz", small, sizeof(small) - 1);
	lr = must_open("not.gz", 0);
	expect(lr, "one", 0, 1, false);
	ck_assert(!linereader_gzip(lr));
	linereader_close(lr);
	free(all);
}
END_TEST

/* Two members (gzip a >> b.gz, or cat x.gz y.gz): one stream, offsets running on. */
START_TEST(gzip_members)
{
	struct linereader	*lr;

	write_gz("two.gz", "wb", "first\nsec", 9);
	write_gz("two.gz", "ab", "ond\nthird\n", 10);
	lr = must_open("two.gz", 0);
	expect(lr, "first", 0, 1, false);
	expect(lr, "second", 6, 2, false);
	expect(lr, "third", 13, 3, false);
	expect_end(lr);
	linereader_close(lr);
}
END_TEST

/* A .gz cut short (a copy interrupted): the whole lines, then an error naming the file. */
START_TEST(gzip_truncated)
{
	struct linereader	*lr;
	struct line		 l;
	struct stat		 st;
	size_t			 total;
	char			*all = many_lines(&total), err[256] = "";
	int			 rc;
	unsigned		 lines = 0;

	write_gz("cut.gz", "wb", all, total);
	ck_assert_int_eq(stat(path("cut.gz"), &st), 0);
	ck_assert_int_eq(truncate(path("cut.gz"), st.st_size / 2), 0);
	lr = must_open("cut.gz", 0);
	while ((rc = linereader_next(lr, &l, err, sizeof(err))) == 1) {
		ck_assert(!l.partial);
		lines++;
	}
	ck_assert_int_eq(rc, -1);
	ck_assert_uint_gt(lines, 1000);
	ck_assert_uint_lt(lines, MANY);
	ck_assert_msg(strstr(err, "cut.gz: gzip data ends early") != NULL, "%s", err);
	ck_assert_int_eq(linereader_next(lr, &l, err, sizeof(err)), -1);	/* stays failed */
	linereader_close(lr);
	free(all);
}
END_TEST

START_TEST(gzip_damaged)
{
	struct linereader	*lr;
	struct line		 l;
	unsigned char		 gz[128];
	char			 err[256] = "";
	FILE			*f;
	size_t			 n;
	int			 rc;

	write_gz("ok.gz", "wb", "hello\nworld\n", 12);
	ck_assert_ptr_nonnull(f = fopen(path("ok.gz"), "rb"));
	n = fread(gz, 1, sizeof(gz), f);
	fclose(f);
	ck_assert_uint_gt(n, 20);
	gz[12] ^= 0xff;		/* in the deflate data */
	gz[13] ^= 0x55;
	write_file("bad.gz", gz, n);
	lr = must_open("bad.gz", 0);
	while ((rc = linereader_next(lr, &l, err, sizeof(err))) == 1)
		continue;
	ck_assert_int_eq(rc, -1);
	ck_assert_msg(strncmp(err, path("bad.gz"), strlen(path("bad.gz"))) == 0, "%s", err);
	linereader_close(lr);
}
END_TEST

/* A pipe (and gzip through a pipe): reads until EOF, offsets the same. */
START_TEST(pipe_and_stdin)
{
	struct linereader	*lr;
	char			 err[256], *gz;
	size_t			 n;

	write_gz("p.gz", "wb", small, sizeof(small) - 1);
	gz = slurp("p.gz", &n);
	stdin_pipe(gz, n);
	free(gz);
	lr = linereader_open("-", 0, err, sizeof(err));
	ck_assert_ptr_nonnull(lr);
	expect(lr, "one", 0, 1, false);
	expect(lr, "", 4, 2, false);
	expect(lr, "two\r", 5, 3, false);
	expect(lr, "three", 10, 4, true);
	expect_end(lr);
	linereader_close(lr);
	/* stdin is not ours to close. */
	ck_assert_int_ne(fcntl(STDIN_FILENO, F_GETFD), -1);
}
END_TEST

START_TEST(open_errors)
{
	struct linereader	*lr;
	struct line		 l;
	char			 err[256] = "";

	ck_assert_ptr_null(linereader_open(path("missing.log"), 0, err, sizeof(err)));
	ck_assert_msg(strstr(err, "missing.log: cannot open: No such file or directory") != NULL,
	    "%s", err);
	ck_assert_ptr_null(linereader_open(path("missing.log"), 0, NULL, 0));
	/* A directory opens, then cannot be read. */
	lr = linereader_open(dir, 0, err, sizeof(err));
	ck_assert_ptr_nonnull(lr);
	ck_assert_int_eq(linereader_next(lr, &l, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, ": cannot read: Is a directory") != NULL, "%s", err);
	linereader_close(lr);
	linereader_close(NULL);
}
END_TEST

/* Go on where the last import ended: plain (lseek), gzip and pipes (read and dropped). */
START_TEST(skip_to_offset)
{
	struct linereader	*lr;
	struct line		 l;
	char			 err[256] = "";

	write_file("s.log", small, sizeof(small) - 1);
	lr = must_open("s.log", 0);
	ck_assert_int_eq(linereader_skip(lr, 5, err, sizeof(err)), 0);
	expect(lr, "two\r", 5, 1, false);
	expect(lr, "three", 10, 2, true);
	ck_assert_int_eq(linereader_skip(lr, 0, err, sizeof(err)), -1);	/* too late */
	linereader_close(lr);

	/* Past the first block: the lseek path. */
	{
		size_t	 total;
		char	*all = many_lines(&total), want[402];
		uint64_t off = 0;
		unsigned i;

		write_file("big.log", all, total);
		write_gz("big.gz", "wb", all, total);
		for (i = 0; i < 30000; i++)
			off += make_line(i, want) + 1;
		want[make_line(30000, want)] = '\0';
		lr = must_open("big.log", 0);
		ck_assert_int_eq(linereader_skip(lr, off, err, sizeof(err)), 0);
		expect(lr, want, off, 1, false);
		linereader_close(lr);
		lr = must_open("big.gz", 0);
		ck_assert_int_eq(linereader_skip(lr, off, err, sizeof(err)), 0);
		expect(lr, want, off, 1, false);
		linereader_close(lr);
		/* The whole file: nothing new. */
		lr = must_open("big.log", 0);
		ck_assert_int_eq(linereader_skip(lr, total, err, sizeof(err)), 0);
		expect_end(lr);
		linereader_close(lr);
		free(all);
	}

	/* Shorter than the offset: cut or replaced since; said, not silently read from 0. */
	lr = must_open("s.log", 0);
	ck_assert_int_eq(linereader_skip(lr, 1000000, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "s.log: shorter (15 bytes) than the offset 1000000") != NULL,
	    "%s", err);
	linereader_close(lr);
	/* A pipe: read and dropped; one that ends before the offset is an error too. */
	stdin_pipe(small, sizeof(small) - 1);
	lr = linereader_open("-", 0, err, sizeof(err));
	ck_assert_int_eq(linereader_skip(lr, 10, err, sizeof(err)), 0);
	expect(lr, "three", 10, 1, true);
	linereader_close(lr);
	stdin_pipe(small, sizeof(small) - 1);
	lr = linereader_open("-", 0, err, sizeof(err));
	ck_assert_int_eq(linereader_skip(lr, 16, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "stdin: ends (15 bytes) before the offset 16") != NULL, "%s", err);
	ck_assert_int_eq(linereader_next(lr, &l, err, sizeof(err)), 0);
	linereader_close(lr);
}
END_TEST

/* The first lines for detection, without taking them: next() then starts from the first. */
START_TEST(peek_first_lines)
{
	struct linereader	*lr;
	struct line_view	 v[16];
	char			 err[256] = "", *long_line;
	size_t			 i;

	write_gz("p.gz", "wb", small, sizeof(small) - 1);
	lr = must_open("p.gz", 0);
	ck_assert_int_eq(linereader_peek(lr, v, 16, err, sizeof(err)), 4);
	ck_assert(v[0].len == 3 && memcmp(v[0].text, "one", 3) == 0);
	ck_assert_uint_eq(v[1].len, 0);
	ck_assert(v[2].len == 4 && memcmp(v[2].text, "two\r", 4) == 0);
	ck_assert(v[3].len == 5 && memcmp(v[3].text, "three", 5) == 0);	/* the last, no '\n' */
	ck_assert_int_eq(linereader_peek(lr, v, 2, err, sizeof(err)), 2);
	expect(lr, "one", 0, 1, false);
	expect(lr, "", 4, 2, false);
	ck_assert_int_eq(linereader_peek(lr, v, 16, err, sizeof(err)), 2);
	ck_assert(v[0].len == 4 && memcmp(v[0].text, "two\r", 4) == 0);
	linereader_close(lr);

	/* A line over the limit is left out; what does not fit one buffer is not seen. */
	ck_assert_ptr_nonnull(long_line = malloc(LINEREADER_BLOCK + 10));
	memset(long_line, 'x', LINEREADER_BLOCK + 10);
	write_file("l.log", "a\n", 2);
	{
		FILE	*f = fopen(path("l.log"), "ab");

		ck_assert_ptr_nonnull(f);
		ck_assert_uint_eq(fwrite(long_line, 1, 1000, f), 1000);
		fputs("\nb\n", f);
		ck_assert_uint_eq(fwrite(long_line, 1, LINEREADER_BLOCK + 10, f),
		    LINEREADER_BLOCK + 10);
		fputs("\nc\n", f);
		fclose(f);
	}
	lr = must_open("l.log", 500);
	ck_assert_int_eq(linereader_peek(lr, v, 16, err, sizeof(err)), 2);
	ck_assert(v[0].len == 1 && v[0].text[0] == 'a');
	ck_assert(v[1].len == 1 && v[1].text[0] == 'b');
	expect(lr, "a", 0, 1, false);
	linereader_close(lr);

	write_file("e.log", "", 0);
	lr = must_open("e.log", 0);
	ck_assert_int_eq(linereader_peek(lr, v, 16, err, sizeof(err)), 0);
	expect_end(lr);
	linereader_close(lr);
	for (i = 0; i < 16; i++)
		v[i].text = NULL;
	free(long_line);
}
END_TEST

/* ---- limits ---- */

/* Longer than the limit: one cut line, never two halves; the next line is whole. */
START_TEST(cut_lines)
{
	struct linereader	*lr;
	struct line		 l;
	char			 err[256] = "", *data;
	size_t			 max = 100, huge = 3 * LINEREADER_BLOCK + 17, n = 0;

	ck_assert_ptr_nonnull(data = malloc(huge + 400));
	memset(data, 'a', max);			/* exactly the limit: whole */
	n = max;
	data[n++] = '\n';
	memset(data + n, 'b', max + 1);		/* one over */
	n += max + 1;
	data[n++] = '\n';
	memcpy(data + n, "short\n", 6);
	n += 6;
	write_file("c.log", data, n);
	lr = must_open("c.log", max);
	ck_assert_int_eq(linereader_next(lr, &l, err, sizeof(err)), 1);
	ck_assert(!l.cut && l.len == max && l.text != NULL);
	ck_assert_int_eq(linereader_next(lr, &l, err, sizeof(err)), 1);
	ck_assert(l.cut);
	ck_assert_ptr_null(l.text);
	ck_assert_uint_eq(l.len, max + 1);
	ck_assert_uint_eq(l.offset, max + 1);
	ck_assert_uint_eq(l.number, 2);
	expect(lr, "short", 2 * max + 3, 3, false);
	expect_end(lr);
	linereader_close(lr);

	/* Many blocks long, with the default limit, then a last line cut at the end of the file. */
	memset(data, 'c', huge);
	data[huge] = '\n';
	memcpy(data + huge + 1, "next\n", 5);
	memset(data + huge + 6, 'd', 300);
	write_file("h.log", data, huge + 306);
	lr = must_open("h.log", 200);
	ck_assert_int_eq(linereader_next(lr, &l, err, sizeof(err)), 1);
	ck_assert(l.cut && !l.partial);
	ck_assert_uint_eq(l.len, huge);
	ck_assert_uint_eq(l.offset, 0);
	expect(lr, "next", huge + 1, 2, false);
	ck_assert_int_eq(linereader_next(lr, &l, err, sizeof(err)), 1);
	ck_assert(l.cut && l.partial);
	ck_assert_uint_eq(l.len, 300);
	ck_assert_uint_eq(l.offset, huge + 6);
	expect_end(lr);
	linereader_close(lr);

	/* The same through gzip. */
	write_gz("h.gz", "wb", data, huge + 306);
	lr = must_open("h.gz", 200);
	ck_assert_int_eq(linereader_next(lr, &l, err, sizeof(err)), 1);
	ck_assert(l.cut && l.len == huge);
	expect(lr, "next", huge + 1, 2, false);
	linereader_close(lr);
	free(data);
}
END_TEST

/* NUL bytes are data: the line keeps its length; the parser decides. */
START_TEST(nul_bytes)
{
	struct linereader	*lr;
	struct line		 l;
	char			 err[256];

	write_file("z.log", "a\0b\n\0\n", 6);
	lr = must_open("z.log", 0);
	ck_assert_int_eq(linereader_next(lr, &l, err, sizeof(err)), 1);
	ck_assert_uint_eq(l.len, 3);
	ck_assert(memcmp(l.text, "a\0b", 3) == 0);
	ck_assert_int_eq(linereader_next(lr, &l, err, sizeof(err)), 1);
	ck_assert_uint_eq(l.len, 1);
	ck_assert_uint_eq(l.offset, 4);
	expect_end(lr);
	linereader_close(lr);
}
END_TEST

Suite *
linereader_suite(void)
{
	Suite	*s = suite_create("linereader");
	TCase	*tc;

	tc = tcase_create("read");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, plain_lines);
	tcase_add_test(tc, empty_file);
	tcase_add_test(tc, block_edges);
	tcase_add_test(tc, pipe_and_stdin);
	tcase_add_test(tc, open_errors);
	tcase_add_test(tc, skip_to_offset);
	tcase_add_test(tc, peek_first_lines);
	suite_add_tcase(s, tc);
	tc = tcase_create("gzip");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, gzip_lines);
	tcase_add_test(tc, gzip_members);
	tcase_add_test(tc, gzip_truncated);
	tcase_add_test(tc, gzip_damaged);
	suite_add_tcase(s, tc);
	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, cut_lines);
	tcase_add_test(tc, nul_bytes);
	suite_add_tcase(s, tc);
	return s;
}
