/* recorder-int.h: what the recorder's tests need to reach inside it; not for the program. */
#ifndef DUALSTAT_RECORDER_INT_H
#define DUALSTAT_RECORDER_INT_H

#include "recorder.h"

/* Where a leader is in its commit, for a test to stop it there. */
enum recorder_point {
	RECORDER_AT_COMMIT,		/* rows taken, nothing written yet */
	RECORDER_AT_COMMITTED,		/* the batch and its marker are on disk */
	RECORDER__POINTS
};

/*
 * Called by a leader at each point with the batch size; NULL in the
 * program.  A test's hook may _exit() to die there (as SIGKILL would) or
 * sleep to hold the commit lock.
 */
extern void	(*recorder_hook)(enum recorder_point, size_t rows);

#endif
