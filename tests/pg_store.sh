#!/bin/sh
# pg_store.sh: the store's Check suite (tests/check_store.c), its whole backend
# matrix, against a real PostgreSQL 15 started here (tests/pg.sh): the
# roll-up reference test (every figure recomputed by GROUP BY) included.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/pg.sh"

CHECK_BIN=$top_builddir/tests/check_dualstat
[ -x "$CHECK_BIN" ] || skip "tests/check_dualstat not built (Debian package check)"
grep -q "^#define HAVE_LIBPQ 1" "$top_builddir/autoconf.h" ||
	skip "this dualstat was built without PostgreSQL (configure --without-postgresql)"

pg_start

# Each test of the suite makes its own schema in this database.
if DUALSTAT_TEST_PG=$PG_URI CK_RUN_SUITE=store CK_VERBOSITY=normal \
    TMPDIR=$W "$CHECK_BIN" > "$W/check.log" 2>&1; then
	ok
else
	fail "the store suite against PostgreSQL"
	grep -E ':[EF]:' "$W/check.log" | head -40
fi
tail -n 3 "$W/check.log"
# Both backends ran: the PostgreSQL one is in the matrix, not left out.
check "the suite ran the postgresql backend" grep -q 'backends: sqlite postgresql' "$W/check.log"
lacks "no password or address in the server's log" "192.0.2." "$W/postgres.log"

finish
