/* text.h: plain text for a terminal or a text/plain page: what reaches it is one line, and inert. */
#ifndef DUALSTAT_TEXT_H
#define DUALSTAT_TEXT_H

#include <stddef.h>

#include "buf.h"

/*
 * s as it may reach a terminal: control characters (C0 and DEL: escape
 * sequences, a newline that would start a line of its own) become '?'.
 */
void	 text_put(struct buf *, const char *s);

/*
 * At most max bytes of the len at s into dst (dstsz >= 4), for a message
 * that quotes a value: cut on a character boundary and marked "..." when
 * cut; control characters and bytes that are not well-formed UTF-8 become
 * '?', so a message stays one line of text whatever the value held.
 */
void	 text_echo(char *dst, size_t dstsz, const char *s, size_t len, size_t max);

#endif
