/* dburi.c: a database named by a URI, not a path, and how messages show it without its password (pure). */
#include <stdbool.h>
#include <string.h>

#include "dburi.h"

/* libpq's two spellings (issue 12); store.c opens them with its PostgreSQL backend. */
static const char *const schemes[] = { "postgresql://", "postgres://" };

size_t
dburi_scheme_len(const char *db)
{
	size_t	 i;

	for (i = 0; db != NULL && i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strncmp(db, schemes[i], strlen(schemes[i])) == 0)
			return strlen(schemes[i]);
	return 0;
}

bool
store_is_uri(const char *db)
{

	return dburi_scheme_len(db) != 0;
}

/* Append n bytes of s to out (size outsz, *len used), cut at the end. */
static void
put(char *out, size_t outsz, size_t *len, const char *s, size_t n)
{

	if (*len + 1 >= outsz)
		return;
	if (n > outsz - 1 - *len)
		n = outsz - 1 - *len;
	memcpy(out + *len, s, n);
	*len += n;
	out[*len] = '\0';
}

/*
 * A URI's password is in its user part (RFC 3986 §3.2.1: user:password@,
 * which libpq reads) or a parameter (?password=, ?sslpassword=).  The
 * user part ends at the last '@' before the path or the query.
 */
void
store_db_display(const char *db, char *out, size_t outsz)
{
	const char		*p, *auth, *end, *at, *colon, *eq, *amp;
	size_t			 sl;
	size_t			 len = 0;

	if (outsz == 0)
		return;
	out[0] = '\0';
	if (db == NULL)
		return;
	if ((sl = dburi_scheme_len(db)) == 0) {
		put(out, outsz, &len, db, strlen(db));
		return;
	}
	auth = db + sl;
	end = auth + strcspn(auth, "/?");
	for (at = NULL, p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	put(out, outsz, &len, db, (size_t)(auth - db));
	if (at != NULL && (colon = memchr(auth, ':', (size_t)(at - auth))) != NULL) {
		put(out, outsz, &len, auth, (size_t)(colon + 1 - auth));
		put(out, outsz, &len, "***", 3);
		auth = at;
	}
	if ((p = strchr(end, '?')) == NULL) {
		put(out, outsz, &len, auth, strlen(auth));
		return;
	}
	put(out, outsz, &len, auth, (size_t)(p + 1 - auth));
	for (p++; *p != '\0'; p = *amp == '&' ? amp + 1 : amp) {
		amp = p + strcspn(p, "&");
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq != NULL && eq - p >= 8 && strncmp(eq - 8, "password", 8) == 0) {
			put(out, outsz, &len, p, (size_t)(eq + 1 - p));
			put(out, outsz, &len, "***", 3);
		} else
			put(out, outsz, &len, p, (size_t)(amp - p));
		if (*amp == '&')
			put(out, outsz, &len, "&", 1);
	}
}

