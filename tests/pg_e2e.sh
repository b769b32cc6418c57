#!/bin/sh
# pg_e2e.sh: dualstat on a real PostgreSQL 15 (tests/pg.sh), as CGI and with
# dualstat serve: rows recorded and reported, the URI's password never shown
# (/status, logs, errors), the full client addresses never sent to the server
# nor in its files, and PostgreSQL stopped under it: pages still answer, the
# failures are counted, /status is 503, and it comes back by itself.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/pg.sh"

grep -q "^#define HAVE_LIBPQ 1" "$top_builddir/autoconf.h" ||
	skip "this dualstat was built without PostgreSQL (configure --without-postgresql)"
pg_start

# Trust authentication takes any password: this one is here to be hidden.
SECRET=Pw0rd-never-shown
URI="postgresql://postgres:$SECRET@/postgres?host=$PG_SOCKDIR&port=5432&sslmode=disable"
# Every statement the server runs goes to its log: what dualstat sends is searched there.
pg_sql "ALTER SYSTEM SET log_statement = 'all'" >/dev/null
pg_sql "ALTER SYSTEM SET log_parameter_max_length = -1" >/dev/null
pg_sql "SELECT pg_reload_conf()" >/dev/null
write_conf "database = $URI" "node = e2e-node-1"
sed -i "1d" "$CONF"	# write_conf's SQLite database line

V4=203.0.113.77
V6=2001:db8:1:2:3:4:5:6

i=0
while [ $i -lt 5 ]; do
	cgi /beacon "$V4"
	expect_eq "beacon over IPv4 answers" 204 "$(status_of)"
	cgi /beacon "$V6"
	i=$((i + 1))
done
cat "$W/err" >> "$W/logs"
expect_eq "rows in PostgreSQL" 10 "$(pg_sql 'SELECT count(*) FROM request')"
expect_eq "the prefixes stored" "2001:db8:1::/48
203.0.113.0/24" "$(pg_sql 'SELECT DISTINCT prefix FROM request ORDER BY prefix')"
# The binary's own schema version (store.h), the same number SQLite writes.
SCHEMA=$(sed -n 's/^#define STORE_SCHEMA_VERSION[[:space:]]*//p' "$top_srcdir/include/store.h")
expect_eq "schema version" "$SCHEMA" "$(pg_sql 'SELECT version FROM dualstat_schema')"

# The report, from the command line, read-only.
"$DUALSTAT" -c "$CONF" report --format csv > "$W/report.csv" 2>> "$W/logs" ||
	fail "dualstat report on PostgreSQL"
contains "the report counts both families" ",5,5,0.5" "$W/report.csv"

# prune: an old row goes (rolled up first, under the writers' lock), today's stay.
old=$(( $(date +%s) - 100 * 86400 ))
pg_sql "INSERT INTO request (time, family, kind, prefix, mapped, server_family, host, how, via_proxy)
     VALUES ($old, 4, 'global', '198.51.100.0/24', 0, 4, 'old.test', 'page', 0)" >/dev/null
"$DUALSTAT" -c "$CONF" prune > "$W/p" 2>> "$W/logs" || fail "dualstat prune on PostgreSQL"
contains "prune says how many" "pruned 1 rows" "$W/p"
expect_eq "prune kept today's rows" 10 "$(pg_sql 'SELECT count(*) FROM request')"
expect_eq "the roll-ups keep the old row" 1 \
    "$(pg_sql "SELECT count(*) FROM rollup_prefix WHERE prefix = '198.51.100.0/24'")"

# import: an access log into the cells, once, however often it is imported.
for i in 1 2 3; do
	printf '198.51.100.%s - - [01/Mar/2024:10:00:0%s +0000] "GET /p HTTP/1.1" 200 5 "-" "curl/8.0"\n' "$i" "$i"
done > "$W/access.log"
"$DUALSTAT" -c "$CONF" import "$W/access.log" > "$W/imp" 2>> "$W/logs" || fail "import: $(cat "$W/imp")"
"$DUALSTAT" -c "$CONF" import "$W/access.log" > "$W/imp" 2>> "$W/logs" || fail "import again: $(cat "$W/imp")"
expect_eq "one file record" "1|3" "$(pg_sql 'SELECT count(*), max(lines) FROM import_file')"
"$DUALSTAT" -c "$CONF" report --from 2024-03-01 --to 2024-03-01 --format csv > "$W/imp.csv" \
    2>> "$W/logs" || fail "report of the imported day"
contains "the imported hour counts 3, not 6" "2024-03-01T10:00:00Z,3,0," "$W/imp.csv"

# /status: the database without its password.
cgi /status.json 127.0.0.1
cat "$W/err" >> "$W/logs"
expect_eq "/status answers" 200 "$(status_of)"
contains "/status.json names the database" "\"postgresql://postgres:***@/postgres" "$W/out"
lacks "/status hides the password" "$SECRET" "$W/out"
"$DUALSTAT" -c "$CONF" status > "$W/status.txt" 2>&1 || fail "dualstat status: $(cat "$W/status.txt")"
lacks "dualstat status hides the password" "$SECRET" "$W/status.txt"
"$DUALSTAT" -c "$CONF" check-config > "$W/check.txt" 2>&1 || true
contains "check-config looks at PostgreSQL" "PostgreSQL" "$W/check.txt"
lacks "check-config hides the password" "$SECRET" "$W/check.txt"

# PostgreSQL down: pages answer, the beacon too (unrecorded), /status says 503.
pg_stop fast
cgi / "$V4"
cat "$W/err" >> "$W/logs"
expect_eq "the landing page answers without PostgreSQL" 200 "$(status_of)"
cgi /beacon "$V4"
cat "$W/err" >> "$W/logs"
expect_eq "the beacon answers without PostgreSQL" 204 "$(status_of)"
cgi /status 127.0.0.1
cat "$W/err" >> "$W/logs"
expect_eq "/status is 503 while nothing can be written" 503 "$(status_of)"
lacks "the error hides the password" "$SECRET" "$W/out"
lacks "the logs hide the password" "$SECRET" "$W/logs"

# Back: recorded again, nobody restarted anything (CGI opens anew each time).
pg_restart
cgi /beacon "$V4"
expect_eq "beacon after the restart" 204 "$(status_of)"
cat "$W/err" >> "$W/logs"
expect_eq "rows after the restart" 11 "$(pg_sql 'SELECT count(*) FROM request')"

# Privacy: neither the statements and parameters dualstat sent (all logged)
# nor the server's files hold a full client address.
for text in "$V4" "$V6" "2001:db8:1:2:3:4"; do
	if LC_ALL=C grep -rqaF -- "$text" "$W/postgres.log" "$PG_DATA" "$W/logs"; then
		fail "address $text found in what PostgreSQL was sent or keeps"
	else
		ok
	fi
done
contains "the statements were logged, to be searched" "INSERT INTO request" "$W/postgres.log"
lacks "the password is not in the server's log" "$SECRET" "$W/postgres.log"

finish
