/* follow.c: a log file read as it grows: whole lines, rotation and truncation noticed, inotify with a poll behind it. */
#include <sys/inotify.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "follow.h"

#define FILE_EVENTS	(IN_MODIFY | IN_MOVE_SELF | IN_DELETE_SELF | IN_ATTRIB)
#define DIR_EVENTS	(IN_CREATE | IN_MOVED_TO)

struct follow {
	char		*path;
	int		 ino;		/* inotify, or -1 */
	int		 wd_file, wd_dir;
	int		 fd;		/* the open file, or -1 */
	dev_t		 dev;
	ino_t		 inode;
	uint64_t	 readpos;	/* bytes read of it */
	char		*buf;		/* FOLLOW_BUF + 1 */
	size_t		 start, len;	/* not taken: buf[start, len) */
	uint64_t	 base;		/* the file offset of buf[start] */
	uint64_t	 number;	/* lines taken */
	bool		 too_long;	/* dropping a line until its '\n' */
	uint64_t	 long_len, long_off;
	int64_t		 grew_ms;
	int		 open_errno;	/* why the path could not be opened (not ENOENT), 0 */
	int64_t		 tried_ms;	/* when it was tried */
	enum follow_action due;		/* after FOLLOW_ROTATED */
	bool		 have_line;	/* line was handed out, not taken */
	struct line	 line;
	size_t		 line_bytes;	/* of buf to take with it */
};

static int64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum follow_action
follow_decide(const struct follow_view *v)
{

	if (!v->open)
		return v->path_exists ? FOLLOW_SWITCH : FOLLOW_WAIT;
	if (v->size > v->read)
		return FOLLOW_READ;
	if (v->size < v->read)
		/* Truncated; renamed away and truncated, the one at the path is what is written. */
		return v->path_exists && !v->path_same ? FOLLOW_SWITCH : FOLLOW_TRUNCATED;
	if (v->path_exists && !v->path_same && v->quiet_ms >= FOLLOW_QUIET_MS)
		return FOLLOW_SWITCH;
	return FOLLOW_WAIT;
}

const char *
follow_action_name(enum follow_action a)
{
	static const char *const names[FOLLOW_ACTION__MAX] = {
		[FOLLOW_READ] = "read", [FOLLOW_WAIT] = "wait",
		[FOLLOW_TRUNCATED] = "truncated", [FOLLOW_SWITCH] = "switch",
	};

	return a < FOLLOW_ACTION__MAX ? names[a] : "?";
}

/* The watch on the open file, moved to it (inotify watches an inode, not a name). */
static void
watch_file(struct follow *f)
{

	if (f->ino < 0)
		return;
	if (f->wd_file >= 0)
		(void)inotify_rm_watch(f->ino, f->wd_file);
	f->wd_file = f->fd >= 0 ? inotify_add_watch(f->ino, f->path, FILE_EVENTS) : -1;
}

/* The file at the path, opened; -1 left when there is none (waited for). */
static void
open_path(struct follow *f)
{
	struct stat	 sb;

	if (f->fd >= 0)
		close(f->fd);
	f->fd = open(f->path, O_RDONLY | O_CLOEXEC);
	f->open_errno = f->fd < 0 && errno != ENOENT ? errno : 0;
	f->tried_ms = now_ms();
	if (f->fd >= 0 && (fstat(f->fd, &sb) != 0 || !S_ISREG(sb.st_mode))) {
		/* A folder or a fifo at the path: not a log file to follow; waited on. */
		close(f->fd);
		f->fd = -1;
	}
	if (f->fd >= 0) {
		f->dev = sb.st_dev;
		f->inode = sb.st_ino;
	}
	watch_file(f);
}

struct follow *
follow_new(const char *path, char *err, size_t errsz)
{
	struct follow	*f;
	char		*dir, *slash;

	if (*path == '\0') {
		snprintf(err, errsz, "--follow: no file named");
		return NULL;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    (f->path = strdup(path)) == NULL ||
	    (f->buf = malloc(FOLLOW_BUF + 1)) == NULL ||
	    (dir = strdup(path)) == NULL) {
		if (f != NULL) {
			free(f->path);
			free(f->buf);
		}
		free(f);
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	f->fd = f->wd_file = f->wd_dir = -1;
	f->due = FOLLOW_WAIT;
	f->ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (f->ino >= 0) {
		/* The folder: the file made again after a rename, or after it was missing. */
		if ((slash = strrchr(dir, '/')) == NULL)
			strcpy(dir, ".");
		else if (slash == dir)
			dir[1] = '\0';
		else
			*slash = '\0';
		f->wd_dir = inotify_add_watch(f->ino, dir, DIR_EVENTS);
	}
	free(dir);
	open_path(f);
	f->grew_ms = now_ms();
	return f;
}

void
follow_free(struct follow *f)
{

	if (f == NULL)
		return;
	if (f->fd >= 0)
		close(f->fd);
	if (f->ino >= 0)
		close(f->ino);
	free(f->path);
	free(f->buf);
	free(f);
}

int
follow_fd(const struct follow *f)
{

	return f->ino;
}

void
follow_events(struct follow *f)
{
	char	 ev[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

	/* What changed is looked at by follow_next, from the file itself. */
	while (f->ino >= 0 && read(f->ino, ev, sizeof(ev)) > 0)
		;
}

/* The path and the open file now. */
static enum follow_action
look(struct follow *f)
{
	struct follow_view	 v = { 0 };
	struct stat		 sb;

	v.open = f->fd >= 0;
	if (v.open && fstat(f->fd, &sb) == 0)
		v.size = (uint64_t)sb.st_size;
	v.read = f->readpos;
	if (stat(f->path, &sb) == 0 && S_ISREG(sb.st_mode)) {
		v.path_exists = true;
		v.path_same = v.open && sb.st_dev == f->dev && sb.st_ino == f->inode;
	}
	v.quiet_ms = now_ms() - f->grew_ms;
	return follow_decide(&v);
}

/* A whole line in the buffer, handed out (not taken): true when there is one. */
static bool
line_in_buffer(struct follow *f)
{
	char	*p = f->buf + f->start, *nl;
	size_t	 n = f->len - f->start;

	if ((nl = memchr(p, '\n', n)) == NULL) {
		if (f->too_long) {
			/* Still the long line: its bytes only counted. */
			f->long_len += n;
			f->base += n;
			f->start = f->len;
		} else if (n > LINEREADER_MAX_LINE) {
			/* Longer than any server writes: dropped whole, as import does (cut). */
			f->too_long = true;
			f->long_off = f->base;
			f->long_len = n;
			f->base += n;
			f->start = f->len;
		}
		return false;
	}
	memset(&f->line, 0, sizeof(f->line));
	f->line.number = f->number + 1;
	f->line_bytes = (size_t)(nl - p) + 1;
	if (f->too_long) {
		f->line.cut = true;
		f->line.len = f->long_len + (size_t)(nl - p);
		f->line.offset = f->long_off;
	} else if ((size_t)(nl - p) > LINEREADER_MAX_LINE) {
		/* Cut as linereader cuts it: import and ingest hash the file alike. */
		f->line.cut = true;
		f->line.len = (size_t)(nl - p);
		f->line.offset = f->base;
	} else {
		*nl = '\0';
		f->line.text = p;
		f->line.len = (size_t)(nl - p);
		f->line.offset = f->base;
	}
	f->have_line = true;
	return true;
}

enum follow_got
follow_next(struct follow *f, struct line *out, char *err, size_t errsz)
{
	ssize_t	 r;
	int	 was;

	for (;;) {
		if (f->have_line || (f->fd >= 0 && line_in_buffer(f))) {
			*out = f->line;
			return FOLLOW_LINE;
		}
		switch ((f->due = look(f))) {
		case FOLLOW_WAIT:
			return FOLLOW_NONE;
		case FOLLOW_SWITCH:
			if (f->fd < 0) {
				/* Nothing read, nothing to commit: opened here, tried once a poll. */
				if (f->open_errno != 0 && now_ms() - f->tried_ms < FOLLOW_POLL_MS)
					return FOLLOW_NONE;
				was = f->open_errno;
				open_path(f);
				f->grew_ms = now_ms();
				if (f->fd >= 0)
					continue;
				if (f->open_errno == 0 || f->open_errno == was)
					return FOLLOW_NONE;
				snprintf(err, errsz, "%s: %s", f->path, strerror(f->open_errno));
				return FOLLOW_ERROR;
			}
			return FOLLOW_ROTATED;
		case FOLLOW_TRUNCATED:
			return FOLLOW_ROTATED;
		default:
			break;
		}
		if (f->start > 0) {
			memmove(f->buf, f->buf + f->start, f->len - f->start);
			f->len -= f->start;
			f->start = 0;
		}
		r = read(f->fd, f->buf + f->len, FOLLOW_BUF - f->len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errsz, "%s: %s", f->path, strerror(errno));
			return FOLLOW_ERROR;
		}
		if (r == 0)
			return FOLLOW_NONE;	/* shorter again meanwhile: looked at next time */
		f->readpos += (uint64_t)r;
		f->len += (size_t)r;
		f->grew_ms = now_ms();
	}
}

void
follow_take(struct follow *f)
{

	if (!f->have_line)
		return;
	f->start += f->line_bytes;
	f->base += f->line_bytes;
	f->number++;
	f->too_long = false;
	f->have_line = false;
}

/* From byte 0, of the file at the path (switch) or of the open one. */
static size_t
restart(struct follow *f, bool switch_file)
{
	size_t	 left = (f->too_long ? f->long_len : 0) + (f->len - f->start);

	if (switch_file || f->fd < 0)
		open_path(f);
	else if (lseek(f->fd, 0, SEEK_SET) != 0)
		open_path(f);	/* cannot happen to a regular file: reopened as a last resort */
	f->due = FOLLOW_WAIT;
	f->readpos = f->base = f->number = 0;
	f->start = f->len = 0;
	f->too_long = false;
	f->long_len = f->long_off = 0;
	f->have_line = false;
	f->grew_ms = now_ms();
	return left;
}

size_t
follow_restart(struct follow *f)
{

	return restart(f, f->due == FOLLOW_SWITCH);
}

void
follow_rewind(struct follow *f)
{

	(void)restart(f, false);
}

uint64_t
follow_offset(const struct follow *f)
{

	return f->base;
}
