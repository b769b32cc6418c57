/* fuzz_query.c: libFuzzer target for the report parameters: query_parse, query_date, query_period. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* 2026-05-28 12:34:56 UTC: a fixed "now", so every crash reproduces. */
#define NOW	INT64_C(1779971696)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct period		 p, p2;
	struct report_query	 q;
	char			 err[QUERY_ERR_MAX], *small, *s;
	int64_t			 midnight;
	int			 rc;

	s = malloc(size + 1);
	small = malloc(7);
	if (s == NULL || small == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';

	memset(err, 'x', sizeof(err));
	rc = query_parse(s, &p, err, sizeof(err));
	if (rc != 0 && rc != -1)
		abort();
	if (rc == -1 && (memchr(err, '\0', sizeof(err)) == NULL || err[0] == '\0'))
		abort();
	if (rc == 0) {
		if (p.days == 0 && (p.from_day > p.to_day ||
		    (p.to_day - p.from_day) / 86400 + 1 > QUERY_DAYS_MAX))
			abort();
		query_period(&p, NOW, &q);
		if (q.from >= q.to || (q.bucket != 3600 && q.bucket != 86400))
			abort();
	}
	/* A short error buffer is cut, never overrun; the outcome is the same. */
	if (query_parse(s, &p2, small, 7) != rc ||
	    (rc == -1 && memchr(small, '\0', 7) == NULL))
		abort();

	if (query_date(s, &midnight) == 0 && (midnight < 0 || midnight % 86400 != 0))
		abort();

	free(small);
	free(s);
	return 0;
}
