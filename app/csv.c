/* csv.c: writing CSV fields (RFC 4180), defended against spreadsheet formula injection. */
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "csv.h"

void
csv_field(struct buf *b, const char *value, int first)
{
	bool	 quote;

	if (!first)
		buf_putc(b, ',');
	if (value == NULL)
		return;
	quote = strpbrk(value, ",\"\r\n") != NULL;
	if (quote)
		buf_putc(b, '"');
	/* OWASP: a leading ' makes spreadsheets treat the cell as text. */
	if (value[0] != '\0' && strchr("=+-@\t\r", value[0]) != NULL)
		buf_putc(b, '\'');
	/* RFC 4180 §2.7: a quote inside a quoted field is doubled. */
	for (; *value != '\0'; value++) {
		if (*value == '"')
			buf_putc(b, '"');
		buf_putc(b, *value);
	}
	if (quote)
		buf_putc(b, '"');
}

void
csv_u64(struct buf *b, uint64_t v, int first)
{
	if (!first)
		buf_putc(b, ',');
	buf_printf(b, "%" PRIu64, v);
}

/*
 * %.6g with '.' whatever LC_NUMERIC says; a value that is not a number is
 * an empty field.
 */
void
csv_double(struct buf *b, double v, int first)
{
	char	 tmp[64];
	int	 n, i;
	bool	 mark;

	if (!first)
		buf_putc(b, ',');
	if (!isfinite(v))
		return;
	n = snprintf(tmp, sizeof(tmp), "%.6g", v);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return;
	for (i = 0, mark = false; tmp[i] != '\0'; i++) {
		char	 c = tmp[i];

		if ((c >= '0' && c <= '9') || c == '-' || c == '+' ||
		    c == 'e' || c == 'E') {
			buf_putc(b, c);
			mark = false;
		} else if (!mark) {
			buf_putc(b, '.');
			mark = true;
		}
	}
}

void
csv_eol(struct buf *b)
{
	buf_puts(b, "\r\n");
}
