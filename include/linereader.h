/* linereader.h: the lines of a file, a pipe or stdin, gunzipped when gzip, with their byte offsets. */
#ifndef DUALSTAT_LINEREADER_H
#define DUALSTAT_LINEREADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Reads in large blocks (LINEREADER_BLOCK, no system call per line) and
 * hands out each line in place, in its own buffer.  gzip input (by its
 * magic bytes, whatever the name; concatenated members too, as gzip(1)
 * reads them) is inflated with zlib on the way.  A line longer than the
 * limit is skipped whole and reported as cut, never split in two.
 */
#define LINEREADER_BLOCK	(256 * 1024)
#define LINEREADER_MAX_LINE	(64 * 1024)	/* a good limit: no server's line is longer */

struct linereader;

struct line {
	/*
	 * The line without its '\n'; text[len] is a NUL the caller may
	 * overwrite (logline_parse ends fields there).  Valid until the next
	 * linereader_next().  NULL when cut.
	 */
	char		*text;
	size_t		 len;		/* of the whole line, also when cut */
	uint64_t	 offset;	/* of its first byte in the (uncompressed) stream */
	uint64_t	 number;	/* 1 for the first line */
	bool		 cut;		/* longer than the limit: skipped, text NULL */
	bool		 partial;	/* the stream ended with no '\n' after it (still being written?) */
};

/*
 * path "-" is standard input (not closed at the end).  max_line 0 means
 * LINEREADER_MAX_LINE.  Returns NULL with "PATH: why" in err on failure
 * (err may be NULL).  Release with linereader_close().
 */
struct linereader	*linereader_open(const char *path, size_t max_line,
			    char *err, size_t errsz);
/* The same on an open descriptor; name is for messages; close_fd: closed by linereader_close. */
struct linereader	*linereader_fdopen(int fd, const char *name, bool close_fd,
			    size_t max_line, char *err, size_t errsz);

/*
 * The next line: 1 and *out filled, 0 at the end, -1 with "NAME: why" in
 * err on a read error or damaged gzip data (the lines before it were
 * good).  After 0 or -1 it keeps returning the same.
 */
int		 linereader_next(struct linereader *, struct line *out, char *err, size_t errsz);

/*
 * The next lines without taking them, for logline_detect(): up to n, as
 * many as one buffer holds (LINEREADER_BLOCK bytes at least; a line over
 * the limit is left out).  A view is not NUL-terminated; it stays valid
 * until the next linereader_next() or linereader_skip().  Returns how many
 * (0 on an empty stream), or -1 with err.
 */
struct line_view {
	const char	*text;
	size_t		 len;
};
int		 linereader_peek(struct linereader *, struct line_view *out, size_t n,
		    char *err, size_t errsz);

/*
 * Go on from offset (a line's start, e.g. where the last import ended)
 * before the first line is read: lseek on a plain seekable file, else the
 * bytes before it are read and dropped.  Line numbers then count from
 * there.  Returns 0, or -1 with err (also when the stream is shorter).
 */
int		 linereader_skip(struct linereader *, uint64_t offset, char *err, size_t errsz);

bool		 linereader_gzip(const struct linereader *);	/* known after the first read */
uint64_t	 linereader_bytes_in(const struct linereader *);	/* read from the file so far: progress */
void		 linereader_close(struct linereader *);		/* NULL ok */

#endif
