/* buf.h: a growable byte buffer that every response and renderer writes into. */
#ifndef DUALSTAT_BUF_H
#define DUALSTAT_BUF_H

#include <stdarg.h>
#include <stddef.h>

/*
 * A buffer starts zeroed (struct buf b = {0}) and is released with
 * buf_free().  When an allocation fails the buffer keeps what it had,
 * sets failed, and ignores further appends, so a renderer can write a
 * whole page and check once at the end.
 */
struct buf {
	char	*data;	/* NUL-terminated when len > 0; NULL until the first append */
	size_t	 len;
	size_t	 cap;
	int	 failed;
};

void	 buf_append(struct buf *, const void *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, char);
/* Formatting for numbers and fixed text only: data goes through a renderer. */
void	 buf_printf(struct buf *, const char *, ...)
		__attribute__((format(printf, 2, 3)));
void	 buf_vprintf(struct buf *, const char *, va_list)
		__attribute__((format(printf, 2, 0)));
void	 buf_reset(struct buf *);	/* len = 0, keeps the memory */
void	 buf_free(struct buf *);
/* The contents as a string: never NULL ("" when empty). */
const char *buf_str(const struct buf *);

#endif
