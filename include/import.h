/* import.h: dualstat import: access-log files into the store, every line counted once, in big transactions. */
#ifndef DUALSTAT_IMPORT_H
#define DUALSTAT_IMPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "logline.h"
#include "store.h"

/*
 * One file (a path, "-" for standard input; gzip whatever its name) is
 * read line by line (linereader.h), its format detected from its first
 * lines unless given (logline_detect), each line parsed (logline.h) and
 * made into the request live recording would have made of it (logrow.h:
 * trusted proxies, the listener's family, the host; how = log), and
 * counted by hour, network and the rest a roll-up cell keeps (tally.h).
 * Every IMPORT_BATCH_LINES lines, or sooner when the groups grow many,
 * the counts go to the cells and the file's record moves on, in one
 * transaction (store_add_counted): a killed import leaves its rows and
 * its record in step, and the next import of the file goes on from there.
 * The parsing is done outside the transaction, so live recording waits at
 * most for one batch's cells to be written.  Which lines are new:
 * import_dedupe.h.  Memory stays the same whatever the size of the file.
 */
#define IMPORT_BATCH_LINES	(1u << 20)
#define IMPORT_BATCH_GROUPS	16384
#define IMPORT_EXAMPLES		5	/* line numbers kept per reason */

struct import_opts {
	const struct config	*cfg;		/* trusted proxies, prefixes, hosts */
	enum logline_format	 format;	/* LOGLINE_FORMAT__MAX: auto */
	const char		*host;		/* the host key for lines without one (logrow_host), or NULL */
	bool			 progress;	/* a line on stderr, a terminal, as it goes */
	unsigned		 batch_lines;	/* 0: IMPORT_BATCH_LINES */
};

struct import_summary {
	const char		*name;		/* as given; "stdin" for "-" */
	enum logline_format	 format;
	bool			 detected;	/* by auto */
	uint64_t		 lines;		/* complete lines read */
	uint64_t		 before;	/* of those, imported before (skipped) */
	uint64_t		 imported;	/* requests counted now */
	uint64_t		 skipped[LOGLINE_REASON__MAX];	/* by reason; [LOGLINE_OK] unused */
	uint64_t		 examples[LOGLINE_REASON__MAX][IMPORT_EXAMPLES];	/* their first line numbers */
	bool			 partial;	/* its last line has no end yet: left for the next import */
	bool			 earlier;	/* an earlier copy of a file imported further */
	char			 earlier_name[STORE_IMPORT_NAME_MAX];
	unsigned		 commits;
	char			 error[512];	/* why it failed, "" when it did not */
};

/*
 * Import path into st.  Returns 0, or -1 with summary->error set: the
 * file could not be opened or read, its format is unknown, or the
 * database refused a batch; the batches committed before are whole and
 * recorded, so importing the file again goes on after them.
 */
int	 import_file(struct store *, const char *path, const struct import_opts *,
	    struct import_summary *);

/* The summary for people: lines read, imported, skipped by reason with their first line numbers. */
void	 import_summary_print(FILE *, const struct import_summary *);

#endif
