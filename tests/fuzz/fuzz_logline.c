/* fuzz_logline.c: libFuzzer target for the log line parsers: every format, auto-detection, the timestamp forms. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "logline.h"
#include "logtime.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The first byte picks the format (or detection); the rest is a file of lines. */
#define MAX_LINES	64

/* An exact-size copy with the one writable byte after it the parser may use. */
static char *
copy(const char *p, size_t n)
{
	char	*b = malloc(n + 1);

	if (b == NULL)
		abort();
	memcpy(b, p, n);
	b[n] = '\n';
	return b;
}

/* A field the parser ended in place lies in the line and ends by len. */
static void
check_in_line(const char *s, const char *b, size_t n)
{
	if (s == NULL)
		return;
	if (s < b || s > b + n || strlen(s) > (size_t)(b + n - s))
		abort();
}

static void
check_times(const char *p, size_t n)
{
	int64_t	 t;

	/* Only len bytes are read: ASan checks it on the exact copies. */
	if (logtime_clf(p, n, &t) == 0 && n != LOGTIME_CLF_LEN)
		abort();
	(void)logtime_iso8601(p, n, &t);
	if (n > 10)
		(void)logtime_date_time_utc(p, 10, p + 10, n - 10, &t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct logline_sample	 samples[MAX_LINES];
	struct logline_parser	*lp;
	struct logline		 ll;
	enum logline_format	 f;
	enum logline_reason	 r, why;
	const char		*p, *end, *nl, *orig[MAX_LINES];
	char			*lines[MAX_LINES], *b;
	size_t			 lens[MAX_LINES], n = 0, i;
	unsigned		 sel;

	if (size == 0)
		return 0;
	sel = data[0] % (LOGLINE_FORMAT__MAX + 1);
	p = (const char *)data + 1;
	end = (const char *)data + size;
	for (; p <= end && n < MAX_LINES; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		orig[n] = p;
		lines[n] = copy(p, (size_t)(nl - p));
		lens[n++] = (size_t)(nl - p);
		if (nl == end)
			break;
	}

	/* Detection reads and never writes; it names a format or says why not. */
	for (i = 0; i < n; i++) {
		samples[i].text = lines[i];
		samples[i].len = lens[i];
	}
	f = logline_detect(samples, n, &why);
	for (i = 0; i < n; i++)
		if (memcmp(lines[i], orig[i], lens[i]) != 0)
			abort();
	if (f > LOGLINE_FORMAT__MAX || why >= LOGLINE_REASON__MAX)
		abort();
	if ((f == LOGLINE_FORMAT__MAX) == (why == LOGLINE_OK))
		abort();
	if (sel == LOGLINE_FORMAT__MAX)
		sel = f == LOGLINE_FORMAT__MAX ? LOGLINE_COMBINED : f;

	if ((lp = logline_parser_new((enum logline_format)sel)) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		b = lines[i];
		check_times(b, lens[i]);
		r = logline_parse(lp, b, lens[i], &ll);
		if (r >= LOGLINE_REASON__MAX)
			abort();
		if (r != LOGLINE_OK)
			continue;
		if (ll.client.family != 4 && ll.client.family != 6)
			abort();
		if (ll.client.mapped && ll.client.family != 4)
			abort();
		if (sel != LOGLINE_CADDY) {
			check_in_line(ll.host, b, lens[i]);
			check_in_line(ll.forwarded, b, lens[i]);
		} else {
			if (ll.host != NULL)
				(void)strlen(ll.host);
			if (ll.forwarded != NULL)
				(void)strlen(ll.forwarded);
		}
	}
	logline_parser_free(lp);
	for (i = 0; i < n; i++)
		free(lines[i]);
	return 0;
}
