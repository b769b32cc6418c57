/* text.c: plain text for a terminal or a text/plain page: what reaches it is one line, and inert. */
#include <string.h>

#include "text.h"
#include "utf8.h"

static int
control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

void
text_put(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		buf_putc(b, control((unsigned char)*s) ? '?' : *s);
}

void
text_echo(char *dst, size_t dstsz, const char *s, size_t len, size_t max)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, o = 0, n, k, room;
	int			 cut;

	if (dstsz < 4)
		return;
	room = dstsz - 4;	/* "..." and the NUL */
	if (max > room)
		max = room;
	while (i < len && o < max) {
		n = p[i] == '\0' ? 0 : utf8_seq(p + i, NULL);
		if (n == 0 || i + n > len || control(p[i])) {
			dst[o++] = '?';
			i++;
			continue;
		}
		if (o + n > max)
			break;
		for (k = 0; k < n; k++)
			dst[o++] = (char)p[i + k];
		i += n;
	}
	cut = i < len;
	dst[o] = '\0';
	if (cut)
		memcpy(dst + o, "...", 4);
}
