/* linereader.c: the lines of a file, a pipe or stdin, gunzipped when gzip, with their byte offsets. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "err.h"
#include "linereader.h"

/* Compressed bytes read at a time: an access log inflates 8 to 15 times. */
#define ZBLOCK	(64 * 1024)

enum state {
	LR_READING,
	LR_ENDED,	/* linereader_next returns 0 from now on */
	LR_FAILED	/* ... -1, with msg */
};

struct linereader {
	int		 fd;
	bool		 close_fd;
	char		*name;
	size_t		 max_line;

	/* Stream bytes [start, fill) of buf are not handed out yet; buf[0] is stream offset base. */
	char		*buf;
	size_t		 cap;		/* usable bytes; buf[cap] is kept for a last line's NUL */
	size_t		 start, fill, scanned;
	uint64_t	 base;
	uint64_t	 number;
	uint64_t	 bytes_in;

	bool		 sniffed;	/* the first read decided plain or gzip */
	bool		 in_eof;	/* read() returned 0 */
	bool		 out_eof;	/* no more stream bytes will come */

	/* A line over max_line being skipped to its end. */
	bool		 cutting;
	uint64_t	 cut_offset;
	uint64_t	 cut_len;

	bool		 gz;
	bool		 zinit;
	z_stream	 zs;
	unsigned char	*zin;

	enum state	 state;
	char		 msg[256];
};

static void
fail(struct linereader *lr, const char *fmt_what, const char *detail)
{
	lr->state = LR_FAILED;
	errf(lr->msg, sizeof(lr->msg), "%s: %s%s%s", lr->name, fmt_what,
	    detail != NULL ? ": " : "", detail != NULL ? detail : "");
}

/* read(2) into p, retried on EINTR; counts what came. */
static ssize_t
raw_read(struct linereader *lr, void *p, size_t n)
{
	ssize_t	 got;

	do
		got = read(lr->fd, p, n);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		fail(lr, "cannot read", strerror(errno));
		return -1;
	}
	if (got == 0)
		lr->in_eof = true;
	lr->bytes_in += (uint64_t)got;
	return got;
}

/*
 * The first bytes decide: 1f 8b is gzip (RFC 1952 §2.3.1); no log line
 * starts with 0x1f.  What was read moves to the compressed buffer.
 */
static int
sniff(struct linereader *lr)
{
	ssize_t	 got;

	lr->sniffed = true;
	while (lr->fill < 2 && !lr->in_eof) {
		if ((got = raw_read(lr, lr->buf + lr->fill, lr->cap - lr->fill)) < 0)
			return -1;
		lr->fill += (size_t)got;
	}
	if (lr->fill < 2 || (unsigned char)lr->buf[0] != 0x1f ||
	    (unsigned char)lr->buf[1] != 0x8b)
		return 0;
	lr->gz = true;
	if ((lr->zin = malloc(ZBLOCK > lr->fill ? ZBLOCK : lr->fill)) == NULL) {
		fail(lr, "out of memory", NULL);
		return -1;
	}
	memcpy(lr->zin, lr->buf, lr->fill);
	memset(&lr->zs, 0, sizeof(lr->zs));
	lr->zs.next_in = lr->zin;
	lr->zs.avail_in = (uInt)lr->fill;
	lr->fill = 0;
	/* 15 + 16: the largest window, gzip wrapper only. */
	if (inflateInit2(&lr->zs, 15 + 16) != Z_OK) {
		fail(lr, "cannot start zlib", NULL);
		return -1;
	}
	lr->zinit = true;
	return 0;
}

/* Inflate into buf[fill, cap); returns the bytes made, 0 at the end of the data, -1. */
static ssize_t
gz_more(struct linereader *lr)
{
	size_t	 before;
	ssize_t	 got;
	int	 ret;

	for (;;) {
		if (lr->zs.avail_in == 0 && !lr->in_eof) {
			if ((got = raw_read(lr, lr->zin, ZBLOCK)) < 0)
				return -1;
			lr->zs.next_in = lr->zin;
			lr->zs.avail_in = (uInt)got;
		}
		before = lr->fill;
		lr->zs.next_out = (unsigned char *)lr->buf + lr->fill;
		lr->zs.avail_out = (uInt)(lr->cap - lr->fill);
		ret = inflate(&lr->zs, Z_NO_FLUSH);
		lr->fill = lr->cap - lr->zs.avail_out;
		switch (ret) {
		case Z_OK:
			break;
		case Z_STREAM_END:
			/* gzip(1) reads concatenated members as one stream. */
			if (lr->zs.avail_in == 0 && !lr->in_eof) {
				if ((got = raw_read(lr, lr->zin, ZBLOCK)) < 0)
					return -1;
				lr->zs.next_in = lr->zin;
				lr->zs.avail_in = (uInt)got;
			}
			if (lr->zs.avail_in > 0 && lr->zs.next_in[0] == 0x1f) {
				if (inflateReset(&lr->zs) != Z_OK) {
					fail(lr, "cannot restart zlib", NULL);
					return -1;
				}
			} else {
				/* The end, or trailing bytes that are not gzip: ignored, as gzip -d does. */
				lr->out_eof = true;
				return (ssize_t)(lr->fill - before);
			}
			break;
		case Z_BUF_ERROR:
			/* No progress: only when the input ran out before the end. */
			if (lr->zs.avail_in == 0 && lr->in_eof) {
				fail(lr, "gzip data ends early (file cut short?)", NULL);
				return -1;
			}
			break;
		case Z_MEM_ERROR:
			fail(lr, "out of memory", NULL);
			return -1;
		default:
			fail(lr, "damaged gzip data", lr->zs.msg);
			return -1;
		}
		if (lr->fill > before)
			return (ssize_t)(lr->fill - before);
		if (lr->zs.avail_in == 0 && lr->in_eof) {
			fail(lr, "gzip data ends early (file cut short?)", NULL);
			return -1;
		}
	}
}

/* More stream bytes into buf[fill, cap): how many, 0 at the end, -1. */
static ssize_t
more(struct linereader *lr)
{
	ssize_t	 got;

	if (!lr->sniffed) {
		if (sniff(lr) != 0)
			return -1;
		if (!lr->gz) {
			if (lr->fill == 0 && lr->in_eof)
				lr->out_eof = true;
			return (ssize_t)lr->fill;
		}
	}
	if (lr->out_eof)
		return 0;
	if (lr->gz)
		return gz_more(lr);
	if ((got = raw_read(lr, lr->buf + lr->fill, lr->cap - lr->fill)) < 0)
		return -1;
	if (got == 0)
		lr->out_eof = true;
	lr->fill += (size_t)got;
	return got;
}

struct linereader *
linereader_fdopen(int fd, const char *name, bool close_fd, size_t max_line,
    char *err, size_t errsz)
{
	struct linereader	*lr;

	if (max_line == 0)
		max_line = LINEREADER_MAX_LINE;
	if ((lr = calloc(1, sizeof(*lr))) == NULL ||
	    (lr->name = strdup(name)) == NULL) {
		errf(err, errsz, "%s: out of memory", name);
		free(lr);
		return NULL;
	}
	lr->fd = fd;
	lr->close_fd = close_fd;
	lr->max_line = max_line;
	/* Room for the longest line with its '\n', a whole block after it, and a NUL. */
	lr->cap = max_line + 1 + LINEREADER_BLOCK;
	if ((lr->buf = malloc(lr->cap + 1)) == NULL) {
		errf(err, errsz, "%s: out of memory", name);
		lr->close_fd = false;
		linereader_close(lr);
		return NULL;
	}
	lr->state = LR_READING;
	return lr;
}

struct linereader *
linereader_open(const char *path, size_t max_line, char *err, size_t errsz)
{
	struct linereader	*lr;
	int			 fd;

	if (strcmp(path, "-") == 0)
		return linereader_fdopen(STDIN_FILENO, "stdin", false, max_line, err, errsz);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		errf(err, errsz, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	if ((lr = linereader_fdopen(fd, path, true, max_line, err, errsz)) == NULL)
		close(fd);
	return lr;
}

static int
ended(struct linereader *lr, char *err, size_t errsz)
{
	if (lr->state == LR_FAILED) {
		errf(err, errsz, "%s", lr->msg);
		return -1;
	}
	return 0;
}

/* Drop everything in buf: its bytes are counted into base. */
static void
drop_all(struct linereader *lr)
{
	lr->base += lr->fill;
	lr->start = lr->fill = lr->scanned = 0;
}

/* Move what is left to the front of buf, so a read has room after it. */
static void
compact(struct linereader *lr)
{
	if (lr->start == 0)
		return;
	memmove(lr->buf, lr->buf + lr->start, lr->fill - lr->start);
	lr->base += lr->start;
	lr->fill -= lr->start;
	lr->scanned = lr->scanned > lr->start ? lr->scanned - lr->start : 0;
	lr->start = 0;
}

int
linereader_next(struct linereader *lr, struct line *out, char *err, size_t errsz)
{
	char	*nl;
	size_t	 from;
	ssize_t	 got;

	for (;;) {
		if (lr->state != LR_READING)
			return ended(lr, err, errsz);
		from = lr->scanned > lr->start ? lr->scanned : lr->start;
		nl = memchr(lr->buf + from, '\n', lr->fill - from);
		if (lr->cutting) {
			if (nl != NULL) {
				lr->cut_len += (uint64_t)(nl - lr->buf - (ptrdiff_t)lr->start);
				lr->start = lr->scanned = (size_t)(nl - lr->buf) + 1;
				lr->cutting = false;
				memset(out, 0, sizeof(*out));
				out->cut = true;
				out->len = (size_t)lr->cut_len;
				out->offset = lr->cut_offset;
				out->number = ++lr->number;
				return 1;
			}
			lr->cut_len += lr->fill - lr->start;
			drop_all(lr);
		} else if (nl != NULL) {
			memset(out, 0, sizeof(*out));
			out->len = (size_t)(nl - lr->buf) - lr->start;
			out->offset = lr->base + lr->start;
			out->number = ++lr->number;
			if (out->len > lr->max_line)
				out->cut = true;
			else {
				out->text = lr->buf + lr->start;
				*nl = '\0';
			}
			lr->start = lr->scanned = (size_t)(nl - lr->buf) + 1;
			return 1;
		} else if (lr->fill - lr->start > lr->max_line) {
			/* Longer than allowed and no end in sight: skip to its '\n'. */
			lr->cutting = true;
			lr->cut_offset = lr->base + lr->start;
			lr->cut_len = lr->fill - lr->start;
			drop_all(lr);
		} else {
			lr->scanned = lr->fill;
			compact(lr);
		}
		if ((got = more(lr)) < 0)
			return ended(lr, err, errsz);
		if (got > 0)
			continue;
		/* The end of the stream: what is left is a line without its '\n'. */
		lr->state = LR_ENDED;
		if (lr->fill == lr->start && !lr->cutting)
			return 0;
		memset(out, 0, sizeof(*out));
		out->partial = true;
		out->number = ++lr->number;
		if (lr->cutting) {
			out->cut = true;
			out->len = (size_t)(lr->cut_len + lr->fill - lr->start);
			out->offset = lr->cut_offset;
		} else {
			out->len = lr->fill - lr->start;
			out->offset = lr->base + lr->start;
			out->text = lr->buf + lr->start;
			out->text[out->len] = '\0';
		}
		lr->start = lr->fill;
		return 1;
	}
}

int
linereader_peek(struct linereader *lr, struct line_view *out, size_t n,
    char *err, size_t errsz)
{
	const char	*p, *end, *nl;
	size_t		 k;
	ssize_t		 got;

	for (;;) {
		if (lr->state == LR_FAILED || lr->cutting)
			return lr->state == LR_FAILED ? ended(lr, err, errsz) : 0;
		p = lr->buf + lr->start;
		end = lr->buf + lr->fill;
		for (k = 0; k < n && p < end; p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
				if (!lr->out_eof)
					break;
				nl = end;	/* the last line, with no '\n' */
			}
			if ((size_t)(nl - p) <= lr->max_line) {
				out[k].text = p;
				out[k].len = (size_t)(nl - p);
				k++;
			}
		}
		if (k == n || lr->out_eof || lr->state != LR_READING)
			return (int)k;
		compact(lr);
		if (lr->fill == lr->cap)
			return (int)k;
		if ((got = more(lr)) < 0)
			return ended(lr, err, errsz);
	}
}

int
linereader_skip(struct linereader *lr, uint64_t offset, char *err, size_t errsz)
{
	struct stat	 st;
	ssize_t		 got;

	if (lr->number != 0 || lr->state != LR_READING) {
		errf(err, errsz, "%s: cannot skip once reading has begun", lr->name);
		return -1;
	}
	if (!lr->sniffed && more(lr) < 0)
		return ended(lr, err, errsz);
	if (offset <= lr->base + lr->fill) {
		lr->start = lr->scanned = (size_t)(offset - lr->base);
		return 0;
	}
	if (!lr->gz && fstat(lr->fd, &st) == 0 && S_ISREG(st.st_mode)) {
		if (offset > (uint64_t)st.st_size) {
			errf(err, errsz, "%s: shorter (%lld bytes) than the offset %llu "
			    "(cut or replaced?)", lr->name, (long long)st.st_size,
			    (unsigned long long)offset);
			return -1;
		}
		if (lseek(lr->fd, (off_t)offset, SEEK_SET) == (off_t)offset) {
			lr->base = offset;
			lr->start = lr->fill = lr->scanned = 0;
			lr->in_eof = lr->out_eof = false;
			return 0;
		}
	}
	/* A pipe or gzip: read up to offset and drop it. */
	while (lr->base + lr->fill < offset) {
		drop_all(lr);
		if ((got = more(lr)) < 0)
			return ended(lr, err, errsz);
		if (got == 0) {
			errf(err, errsz, "%s: ends (%llu bytes) before the offset %llu",
			    lr->name, (unsigned long long)(lr->base + lr->fill),
			    (unsigned long long)offset);
			return -1;
		}
	}
	lr->start = lr->scanned = (size_t)(offset - lr->base);
	return 0;
}

bool
linereader_gzip(const struct linereader *lr)
{
	return lr->gz;
}

uint64_t
linereader_bytes_in(const struct linereader *lr)
{
	return lr->bytes_in;
}

void
linereader_close(struct linereader *lr)
{
	if (lr == NULL)
		return;
	if (lr->zinit)
		inflateEnd(&lr->zs);
	if (lr->close_fd)
		close(lr->fd);
	free(lr->zin);
	free(lr->buf);
	free(lr->name);
	free(lr);
}
