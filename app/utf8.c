/* utf8.c: well-formed UTF-8 (RFC 3629), checked one way everywhere (pure). */
#include "utf8.h"

/* RFC 3629 §4: the second byte's range narrows for E0, ED, F0 and F4. */
size_t
utf8_seq(const unsigned char *s, size_t *bad)
{
	unsigned char	 lo = 0x80, hi = 0xbf;
	size_t		 n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else {
		if (bad != NULL)
			*bad = 1;
		return 0;
	}
	for (i = 1; i < n; i++) {
		if (s[i] < lo || s[i] > hi) {
			if (bad != NULL)
				*bad = i;
			return 0;
		}
		lo = 0x80;
		hi = 0xbf;
	}
	return n;
}

bool
utf8_valid(const char *str)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 n;

	for (; *s != '\0'; s += n)
		if ((n = utf8_seq(s, NULL)) == 0)
			return false;
	return true;
}

size_t
utf8_cut(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}
