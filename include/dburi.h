/* dburi.h: a database named by a URI, not a path, and how messages show it without its password (pure). */
#ifndef DUALSTAT_DBURI_H
#define DUALSTAT_DBURI_H

#include <stdbool.h>
#include <stddef.h>

/* The length of db's scheme ("postgresql://", "postgres://"), 0 for a path. */
size_t		 dburi_scheme_len(const char *db);
/* Whether db is a database URI (postgresql://, postgres://), not a path. */
bool		 store_is_uri(const char *db);
/*
 * db as messages, pages and logs show it: a path as it is, a URI with
 * the password of its user part and the value of any ...password=
 * parameter replaced by "***".  Cut to outsz - 1 bytes.
 */
void		 store_db_display(const char *db, char *out, size_t outsz);

#endif
