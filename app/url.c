/* url.c: writing URL query strings for the report's links: one encoder, so every value is one value. */
#include "buf.h"
#include "url.h"

void
url_encode(struct buf *b, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	unsigned char		 c;

	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			buf_putc(b, (char)c);
		else {
			buf_putc(b, '%');
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		}
	}
}

void
url_param(struct buf *q, const char *key, const char *value)
{
	if (q->len > 0)
		buf_putc(q, '&');
	buf_puts(q, key);
	buf_putc(q, '=');
	url_encode(q, value);
}
