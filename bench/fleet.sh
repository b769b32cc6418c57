#!/bin/sh
# fleet.sh: what a row costs on PostgreSQL 15 on this machine (a Unix socket,
# started here by tests/pg.sh) beside SQLite, by commit size, in one process:
# bench/throughput-batch against both (bench/FLEET.md).
set -eu
: "${top_srcdir:?}" "${top_builddir:?}" "${DUALSTAT:?}"
BATCH=$top_builddir/bench/throughput-batch
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/pg.sh"
echo "## SQLite ($(uname -m), $(nproc) cores)"
"$BATCH" "$W/bench.db"
echo
# The server as the tests run it (fsync off: this measures dualstat and
# the round trips, not the disk).
pg_start
echo "## PostgreSQL 15, same machine, Unix socket (synchronous_commit=off)"
pg_sql "ALTER SYSTEM SET synchronous_commit = off" >/dev/null
pg_sql "SELECT pg_reload_conf()" >/dev/null
"$BATCH" "$PG_URI"
echo
echo "## PostgreSQL 15, synchronous_commit=on (each commit waits for its WAL write; fsync off here)"
pg_sql "ALTER SYSTEM SET synchronous_commit = on" >/dev/null
pg_sql "SELECT pg_reload_conf()" >/dev/null
pg_sql "DROP TABLE IF EXISTS request, meta, dualstat_tx, rollup_prefix, rollup_host, rollup, rollup_prefixes, import_file, dualstat_schema" >/dev/null
"$BATCH" "$PG_URI"
finish
