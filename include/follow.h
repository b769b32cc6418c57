/* follow.h: a log file read as it grows, the way tail -F reads it: through rename rotation, copytruncate and a file gone for a while. */
#ifndef DUALSTAT_FOLLOW_H
#define DUALSTAT_FOLLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linereader.h"

/*
 * The file at a path is read line by line, each line handed out in place
 * (struct line, as linereader.h gives them) and taken only when the
 * caller says so (follow_take): a line the caller could not deal with yet
 * (the database is away) is handed out again next time.  A line without
 * its '\n' yet waits in the buffer until it is whole.
 *
 * It waits with inotify (the file: IN_MODIFY, IN_MOVE_SELF,
 * IN_DELETE_SELF, IN_ATTRIB; its folder: IN_CREATE, IN_MOVED_TO), and
 * looks every FOLLOW_POLL_MS anyway: inotify says nothing on some file
 * systems (NFS, some FUSE ones) and a watch can be lost.
 *
 * What the file does (follow_decide, pure):
 *  - it grew: read on;
 *  - it is shorter than what was read (copytruncate): from byte 0 again;
 *  - the path names another file (logrotate renamed the old away, the web
 *    server reopened its log), or one appears where there was none: the
 *    open file is read to its end, and once it has not grown for
 *    FOLLOW_QUIET_MS (an nginx worker flushes its buffered log into the old
 *    file when told to reopen, and its flush= timer at most a second
 *    later), the new file is read from byte 0;
 *  - the path is missing: the open file is read still, and the path
 *    waited for.
 * A change of file is not made behind the caller's back: follow_next says
 * FOLLOW_ROTATED, the caller commits what it read of this file, then
 * follow_restart() goes to the new one (or byte 0); with no file open (none
 * yet, or it could not be opened) the one at the path is opened at once,
 * tried again once a FOLLOW_POLL_MS when it cannot be (FOLLOW_ERROR says
 * why, once).  An unfinished last
 * line of the old file is then lost: follow_restart says so, the caller
 * counts it as a cut line.
 */
#define FOLLOW_POLL_MS	1000
#define FOLLOW_QUIET_MS	2000
#define FOLLOW_BUF	(4 * LINEREADER_MAX_LINE)

/* What is known of the path and the open file at the end of what was read. */
struct follow_view {
	bool		 open;		/* a file is open */
	bool		 path_exists;
	bool		 path_same;	/* the path names the open file (device, inode) */
	uint64_t	 size;		/* of the open file */
	uint64_t	 read;		/* bytes of it read so far */
	int64_t		 quiet_ms;	/* since it last grew (or was opened) */
};

enum follow_action {
	FOLLOW_READ,		/* there is more to read */
	FOLLOW_WAIT,		/* nothing now */
	FOLLOW_TRUNCATED,	/* shorter than read: byte 0 of the same file */
	FOLLOW_SWITCH,		/* the file now at the path, from byte 0 */
	FOLLOW_ACTION__MAX
};

enum follow_action	 follow_decide(const struct follow_view *);
const char		*follow_action_name(enum follow_action);

struct follow;

/*
 * Follow path (the file need not exist yet).  NULL with err only when out
 * of memory or path is empty; without inotify it only polls.  Release
 * with follow_free().
 */
struct follow	*follow_new(const char *path, char *err, size_t errsz);
void		 follow_free(struct follow *);	/* NULL ok */

/* The descriptor to poll for POLLIN (inotify), or -1: then the poll alone. */
int		 follow_fd(const struct follow *);
/* After poll said the descriptor is readable: its events read (they only wake). */
void		 follow_events(struct follow *);

enum follow_got {
	FOLLOW_LINE,		/* *out is the next line (text NULL when cut: too long) */
	FOLLOW_NONE,		/* no whole line now: wait */
	FOLLOW_ROTATED,		/* a change of file is due: commit, then follow_restart() */
	FOLLOW_ERROR		/* err says why (a read error); the caller waits and tries again */
};

/* The next line, not yet taken: the same again until follow_take(). */
enum follow_got	 follow_next(struct follow *, struct line *out, char *err, size_t errsz);
void		 follow_take(struct follow *);

/*
 * After FOLLOW_ROTATED: from byte 0 of the file now at the path (or of
 * the same file after a truncation).  Returns the length of the
 * unfinished line left behind, 0 none.
 */
size_t		 follow_restart(struct follow *);
/* The open file again from byte 0 (what was read of it is forgotten). */
void		 follow_rewind(struct follow *);

/* Where the next line starts in the open file (its bytes before are taken). */
uint64_t	 follow_offset(const struct follow *);

#endif
