/* utf8.h: well-formed UTF-8 (RFC 3629), checked one way everywhere (pure). */
#ifndef DUALSTAT_UTF8_H
#define DUALSTAT_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The length of the well-formed sequence that starts at s (NUL-terminated:
 * a NUL ends any sequence), 1 to 4: no overlong forms, no surrogates,
 * nothing above U+10FFFF.  0 when it is ill-formed; then *bad (when not
 * NULL) is the length of its maximal subpart, which Unicode recommends
 * replacing by one U+FFFD.
 */
size_t	 utf8_seq(const unsigned char *s, size_t *bad);
/* Whether all of s is well-formed. */
bool	 utf8_valid(const char *s);
/* The largest n' <= n that does not cut a character of s in two. */
size_t	 utf8_cut(const char *s, size_t n);

#endif
