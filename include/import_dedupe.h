/* import_dedupe.h: which lines of a log file were imported before: a content hash and the decision, line by line (pure). */
#ifndef DUALSTAT_IMPORT_DEDUPE_H
#define DUALSTAT_IMPORT_DEDUPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linereader.h"
#include "store.h"

/*
 * How dualstat import never counts a line twice, whatever the file is
 * called, compressed or not:
 *
 *  - A log file is known by its key: the hash of its bytes up to the end
 *    of its first line that is neither empty nor a '#' header (CloudFront
 *    files all begin with the same two headers).  A line once written
 *    never changes, so access.log, the access.log.1 it is renamed to and
 *    the access.log.2.gz it is compressed into have the same key.
 *  - The store keeps, per file imported (struct store_import), how far
 *    it was imported (offset: where the next line starts) and the hash of
 *    every byte before that point, moved on in the same transaction as
 *    the rows, so a killed import leaves a record that matches its rows.
 *  - Reading a file, the hash of the bytes before each line is at hand.
 *    Records with the file's key are candidates; lines before a
 *    candidate's offset are skipped (hashed, not imported); at the offset
 *    the hashes are compared: the same, and this file is that one,
 *    grown or not: the lines from there on are new.  A candidate whose
 *    offset falls inside a line, or whose hash differs, is another file.
 *  - When every candidate turned out to be another file, the lines
 *    skipped are new after all: the file is read again from the start
 *    (DEDUPE_RESTART) and imported whole, as a new record.
 *  - A file that ends before a candidate's offset, having matched it as
 *    far as it goes (its key), is taken as an earlier, shorter copy of
 *    that file: nothing in it is new (DEDUPE_EARLIER).  Its bytes beyond
 *    the key are not compared: the record keeps one hash, not one per line.
 *
 * So: the same file twice adds nothing; a grown file adds its new lines;
 * a rotated file adds the lines written after the last import of it
 * under its old name; an unrelated file (another server's log) is
 * imported whole even if it begins with the same line.  Hashes are 64
 * bits, not cryptographic: two files that differ yet hash the same by
 * accident, 2^-64, would lose the lines of one.
 */

/* A 64-bit hash of a stream fed in pieces, eight bytes a step. */
struct content_hash {
	uint64_t	 a, b;
	uint64_t	 len;
	unsigned char	 tail[16];
	size_t		 ntail;
};

void		 content_hash_init(struct content_hash *);
void		 content_hash_add(struct content_hash *, const void *, size_t);
/* The hash of everything added so far (more may be added after). */
uint64_t	 content_hash_value(const struct content_hash *);

/*
 * A line's bytes as the file holds them, its '\n' too.  A line too long
 * to be read whole (cut: its text is not kept) is hashed as its length.
 */
void		 content_hash_line(struct content_hash *, const struct line *);

enum dedupe_verdict {
	DEDUPE_IMPORT,		/* a new line */
	DEDUPE_SKIP,		/* imported before (as far as is known yet) */
	DEDUPE_RESTART,		/* skipped lines were new after all: read the file again */
	DEDUPE_DONE,		/* (at the end) every line is in */
	DEDUPE_EARLIER,		/* (at the end) an earlier copy of a file imported further */
};

struct dedupe {
	struct content_hash	 hash;		/* of the bytes before the next line */
	uint64_t		 offset;	/* where the next line starts */
	uint64_t		 lines;		/* lines before it */
	bool			 keyed;
	uint64_t		 key;
	struct store_import	 cand[STORE_IMPORTS_MAX];
	size_t			 ncand;
	int			 matched;	/* index in cand, or -1 */
	bool			 skipped;	/* a line was skipped */
};

void	 dedupe_init(struct dedupe *);

/*
 * Whether line (complete, the next one) is the one that makes the key:
 * then d->key is set, and the caller gives the records with that key
 * (dedupe_candidates) before dedupe_line() on the same line.
 */
bool	 dedupe_key(struct dedupe *, const struct line *);
void	 dedupe_candidates(struct dedupe *, const struct store_import *, size_t n);

/*
 * The decision on the next line (complete: not partial), which is then
 * taken into the hash: IMPORT, SKIP or RESTART (then nothing more of this
 * reading counts).
 */
enum dedupe_verdict	 dedupe_line(struct dedupe *, const struct line *);

/* At the end of the file (after its last complete line): DONE, EARLIER or RESTART. */
enum dedupe_verdict	 dedupe_end(struct dedupe *);

/* The candidate this file matched, or NULL (a new file, so far). */
const struct store_import	*dedupe_match(const struct dedupe *);

#endif
