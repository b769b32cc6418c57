/* json.c: writing JSON (RFC 8259) with escaped strings and tracked commas. */
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "utf8.h"

void
json_init(struct json *j, struct buf *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

/*
 * Write the comma (when this is not the first member at its level) and
 * the key.  depth counts open containers; the top level holds one value
 * and needs no comma.
 */
static void
json_member(struct json *j, const char *key)
{
	if (j->depth > 0 && j->depth <= JSON_DEPTH_MAX) {
		if (!j->first[j->depth - 1])
			buf_putc(j->out, ',');
		j->first[j->depth - 1] = false;
	}
	if (key != NULL) {
		json_quote(j->out, key);
		buf_putc(j->out, ':');
	}
}

static void
json_open(struct json *j, const char *key, char c)
{
	json_member(j, key);
	buf_putc(j->out, c);
	/* Deeper nesting than first[] can track is a bug in the caller. */
	if (j->depth >= JSON_DEPTH_MAX) {
		j->out->failed = 1;
		j->depth++;
		return;
	}
	j->first[j->depth++] = true;
}

static void
json_close(struct json *j, char c)
{
	if (j->depth <= 0) {
		j->out->failed = 1;
		return;
	}
	j->depth--;
	buf_putc(j->out, c);
}

void
json_obj_open(struct json *j, const char *key)
{
	json_open(j, key, '{');
}

void
json_obj_close(struct json *j)
{
	json_close(j, '}');
}

void
json_arr_open(struct json *j, const char *key)
{
	json_open(j, key, '[');
}

void
json_arr_close(struct json *j)
{
	json_close(j, ']');
}

void
json_str(struct json *j, const char *key, const char *value)
{
	json_member(j, key);
	if (value == NULL)
		buf_puts(j->out, "null");
	else
		json_quote(j->out, value);
}

void
json_u64(struct json *j, const char *key, uint64_t v)
{
	json_member(j, key);
	buf_printf(j->out, "%" PRIu64, v);
}

void
json_i64(struct json *j, const char *key, int64_t v)
{
	json_member(j, key);
	buf_printf(j->out, "%" PRId64, v);
}

/*
 * %.6g, but the decimal mark is always '.': printf follows LC_NUMERIC,
 * which may be ',' or even several bytes, and JSON knows only '.'.
 */
void
json_double(struct json *j, const char *key, double v)
{
	char	 tmp[64], out[64];
	size_t	 i, o;
	int	 n;
	bool	 mark;

	json_member(j, key);
	if (!isfinite(v)) {
		buf_puts(j->out, "null");
		return;
	}
	n = snprintf(tmp, sizeof(tmp), "%.6g", v);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		buf_puts(j->out, "null");
		return;
	}
	for (i = o = 0, mark = false; tmp[i] != '\0'; i++) {
		char	 c = tmp[i];

		if ((c >= '0' && c <= '9') || c == '-' || c == '+' ||
		    c == 'e' || c == 'E') {
			out[o++] = c;
			mark = false;
		} else if (!mark) {
			out[o++] = '.';
			mark = true;
		}
	}
	out[o] = '\0';
	buf_puts(j->out, out);
}

void
json_bool(struct json *j, const char *key, bool v)
{
	json_member(j, key);
	buf_puts(j->out, v ? "true" : "false");
}

void
json_none(struct json *j, const char *key)
{
	json_member(j, key);
	buf_puts(j->out, "null");
}

/*
 * Beyond RFC 8259 §7, < > & and U+2028/2029 are escaped too, so the text
 * stays inert if it is ever embedded in HTML or in a script.
 */
void
json_quote(struct buf *b, const char *str)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 n, bad;

	buf_putc(b, '"');
	while (*s != '\0') {
		if (*s < 0x80) {
			switch (*s) {
			case '"':
				buf_puts(b, "\\\"");
				break;
			case '\\':
				buf_puts(b, "\\\\");
				break;
			case '\b':
				buf_puts(b, "\\b");
				break;
			case '\f':
				buf_puts(b, "\\f");
				break;
			case '\n':
				buf_puts(b, "\\n");
				break;
			case '\r':
				buf_puts(b, "\\r");
				break;
			case '\t':
				buf_puts(b, "\\t");
				break;
			case '<':
			case '>':
			case '&':
			case 0x7f:
				buf_printf(b, "\\u%04x", *s);
				break;
			default:
				if (*s < 0x20)
					buf_printf(b, "\\u%04x", *s);
				else
					buf_putc(b, (char)*s);
				break;
			}
			s++;
			continue;
		}
		if ((n = utf8_seq(s, &bad)) == 0) {
			buf_puts(b, "\\ufffd");
			s += bad;
			continue;
		}
		if (n == 3 && s[0] == 0xe2 && s[1] == 0x80 &&
		    (s[2] == 0xa8 || s[2] == 0xa9))
			buf_printf(b, "\\u%04x", s[2] == 0xa8 ? 0x2028 : 0x2029);
		else
			buf_append(b, s, n);
		s += n;
	}
	buf_putc(b, '"');
}
