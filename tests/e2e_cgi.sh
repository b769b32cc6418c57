#!/bin/sh
# e2e_cgi.sh: the binary as a plain CGI program: pages, headers, rows, errors and faults.
. "${top_srcdir:-.}/tests/lib.sh"
need_sqlite3
write_conf

# ---- landing page over IPv6, recorded with its prefix and nothing more
cgi / 2001:db8:abcd:12::34
expect_eq "landing status" 200 "$(status_of)"
contains "landing type" "Content-Type: text/html; charset=utf-8" "$W/out"
contains "landing CSP" "Content-Security-Policy: default-src 'none'" "$W/out"
contains "landing nosniff" "X-Content-Type-Options: nosniff" "$W/out"
contains "landing referrer policy" "Referrer-Policy: no-referrer" "$W/out"
contains "landing says IPv6" "over IPv6" "$W/out"
contains "landing shows the stored prefix" "2001:db8:abcd::/48" "$W/out"
lacks "landing never shows the full address" "2001:db8:abcd:12::34" "$W/out"
expect_eq "one row" 1 "$(sql 'SELECT count(*) FROM request')"
expect_eq "row" "6|documentation|2001:db8:abcd::/48|0|6|e2e.test|page|0" \
    "$(sql 'SELECT family, kind, prefix, mapped, server_family, host, how, via_proxy FROM request')"
expect_eq "database mode 0600" 600 "$(stat -c %a "$DB")"
expect_eq "database folder mode 0700" 700 "$(stat -c %a "$W/db")"

# ---- IPv4, and IPv4 on an IPv6 socket
cgi / 198.51.100.200 SERVER_ADDR=127.0.0.1
contains "landing says IPv4" "over IPv4" "$W/out"
cgi /beacon.gif ::ffff:203.0.113.99 SERVER_ADDR=::ffff:127.0.0.1
expect_eq "beacon.gif status" 200 "$(status_of)"
contains "beacon.gif type" "Content-Type: image/gif" "$W/out"
contains "beacon.gif no-store" "Cache-Control: no-store" "$W/out"
contains "beacon.gif body" "GIF89a" "$W/out"
expect_eq "mapped row" "4|203.0.113.0/24|1|4|beacon" \
    "$(sql "SELECT family, prefix, mapped, server_family, how FROM request WHERE prefix LIKE '203.%'")"
cgi /beacon 192.0.2.1
expect_eq "/beacon is 204" 204 "$(status_of)"
lacks "204 has no body type" "Content-Type:" "$W/out"
cgi /record 192.0.2.2 REQUEST_METHOD=POST
expect_eq "/record is 204 for any method" 204 "$(status_of)"
expect_eq "rows so far" 5 "$(sql 'SELECT count(*) FROM request')"

# ---- HEAD: headers only
cgi / 192.0.2.3 REQUEST_METHOD=HEAD
expect_eq "HEAD status" 200 "$(status_of)"
lacks "HEAD has no body" "<html" "$W/out"

# ---- errors
cgi /nope 127.0.0.1
expect_eq "unknown path" 404 "$(status_of)"
cgi / 127.0.0.1 REQUEST_METHOD=DELETE
expect_eq "DELETE" 405 "$(status_of)"
contains "405 says what is allowed" "Allow: GET, HEAD" "$W/out"
cgi /report 203.0.113.5
expect_eq "report from outside" 403 "$(status_of)"
contains "403 says how to get access" "admin_allow" "$W/out"
cgi /report 127.0.0.1 QUERY_STRING=days=3
expect_eq "bad period" 400 "$(status_of)"
contains "400 says what is wrong" "days" "$W/out"
cgi /report 127.0.0.1 "QUERY_STRING=days=<script>alert(1)</script>"
expect_eq "hostile period" 400 "$(status_of)"
lacks "hostile period is escaped" "<script>" "$W/out"

# ---- the owner's pages
cgi /report ::1 QUERY_STRING=days=1
expect_eq "report" 200 "$(status_of)"
contains "report html" "<!DOCTYPE html>" "$W/out"
cgi /report.json 127.0.0.1 QUERY_STRING=days=7
expect_eq "report.json" 200 "$(status_of)"
contains "report.json type" "Content-Type: application/json; charset=utf-8" "$W/out"
contains "report.json total" '"total":6' "$W/out"
cgi /report.csv 127.0.0.1
contains "report.csv type" "Content-Type: text/csv; charset=utf-8" "$W/out"
cgi /report.csv 127.0.0.1 QUERY_STRING=table=kinds
contains "report.csv?table=kinds" "family,kind,mapped,requests" "$W/out"
cgi /report.csv 127.0.0.1 QUERY_STRING=table=bogus
expect_eq "report.csv: unknown table" 400 "$(status_of)"
contains "report.csv errors are text" "Content-Type: text/plain; charset=utf-8" "$W/out"
contains "report.csv error lists the tables" "series, kinds" "$W/out"
cgi /report.json 127.0.0.1 QUERY_STRING=days=2
expect_eq "report.json: bad days" 400 "$(status_of)"
contains "report.json errors are JSON" '"status":400,"error":"Bad request","message":"days' "$W/out"
cgi /report 203.0.113.5 REMOTE_USER=owner
expect_eq "an authenticated user is the owner" 200 "$(status_of)"
cgi /status.json ::1
expect_eq "status.json" 200 "$(status_of)"
contains "status shows the viewer's address" '"remote_addr":"::1"' "$W/out"
contains "status shows the mode" '"mode":"cgi"' "$W/out"

# ---- bad REMOTE_ADDR: answered, not recorded, said on stderr
before=$(sql 'SELECT count(*) FROM request')
cgi / 'bogus-peer-value'
expect_eq "bad peer still gets the page" 200 "$(status_of)"
contains "bad peer: measurement unavailable" "not recorded" "$W/out"
contains "bad peer logged" "REMOTE_ADDR is not an address" "$W/err"
lacks "bad peer value not logged" "bogus-peer-value" "$W/err"
expect_eq "bad peer not recorded" "$before" "$(sql 'SELECT count(*) FROM request')"

# ---- a broken configuration: 500 with file:line for the owner, same line on stderr
printf 'database = %s\nipv6_prefix = 200\n' "$DB" > "$W/bad.conf"
cgi / 127.0.0.1 DUALSTAT_CONF="$W/bad.conf"
expect_eq "bad config is a 500" 500 "$(status_of)"
contains "500 page names file:line" "$W/bad.conf:2" "$W/out"
contains "stderr names file:line" "$W/bad.conf:2" "$W/err"
cgi /index.html 203.0.113.1 DUALSTAT_CONF="$W/bad.conf" FCGI_ROLE=AUTHORIZER
expect_eq "authorizer still allows with a bad config" 200 "$(status_of)"

# ---- a database that cannot be written: pages answer, status says 503
chmod 0500 "$W/db"
if [ "$(id -u)" -eq 0 ]; then
	# root writes through modes; a schema newer than ours is the same refusal, unconditionally.
	chmod 0700 "$W/db"
	schema=$(sql 'PRAGMA user_version')
	sql 'PRAGMA user_version = 99'
	cgi / 2001:db8::1
	expect_eq "newer schema: landing still 200" 200 "$(status_of)"
	contains "newer schema: not recorded" "not recorded" "$W/out"
	cgi /beacon.gif 2001:db8::1
	expect_eq "newer schema: beacon still 200" 200 "$(status_of)"
	cgi /status ::1
	expect_eq "newer schema: status 503" 503 "$(status_of)"
	contains "newer schema: stderr says why" "newer" "$W/err"
	expect_eq "newer schema: nothing changed" 99 "$(sql 'PRAGMA user_version')"
	sql "PRAGMA user_version = $schema"
else
	chmod 0400 "$DB"
	cgi /beacon.gif 2001:db8::1
	expect_eq "read-only: beacon still 200" 200 "$(status_of)"
	cgi /status ::1
	expect_eq "read-only: status 503" 503 "$(status_of)"
	chmod 0600 "$DB"
	chmod 0700 "$W/db"
fi
cgi / 2001:db8::1
expect_eq "recording resumes" 200 "$(status_of)"
lacks "recording resumed" "not recorded" "$W/out"

# ---- the counters of every CGI process add up, in the file beside the database,
# and the command line reads the same: each CGI process alone would say 1 request.
json_num() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" "$W/out"; }
cgi /status.json ::1
contains "counters shared by every process" '"counters_shared":true' "$W/out"
n1=$(json_num requests)
failures=$(json_num record_failures)
check "requests of earlier processes counted ($n1)" [ "${n1:-0}" -gt 20 ]
check "failures of earlier processes counted ($failures)" [ "${failures:-0}" -gt 0 ]
expect_eq "the one bad peer counted" 1 "$(json_num bad_peers)"
cgi /status.json ::1
expect_eq "one more request, one more counted" "$((n1 + 1))" "$(json_num requests)"
expect_eq "counters file mode 0600" 600 "$(stat -c %a "$DB-counters")"
"$DUALSTAT" -c "$CONF" status --format json > "$W/out"
expect_eq "dualstat status: the same requests" "$((n1 + 1))" "$(json_num requests)"
expect_eq "dualstat status: the same failures" "$failures" "$(json_num record_failures)"
contains "dualstat status: the last error" '"last_error":"' "$W/out"
# ---- CGI processes take turns at the upkeep: rows of earlier days get rolled up and
# their days closed, at most once every 10 s among all of them.
three_days_ago=$(( $(date +%s) - 3 * 86400 ))
insert_old() {
	sql "INSERT INTO request (time, family, kind, prefix, mapped, server_family, host, how, via_proxy)
	     VALUES ($three_days_ago, 6, 'global', '2001:db8:3::/48', 0, 6, 'e2e.test', 'page', 0)"
}
insert_old
sql "INSERT OR REPLACE INTO meta (key, value) VALUES ('upkeep_at', 0)"
cgi /beacon 192.0.2.77
expect_eq "the upkeep rolled up every row" "$(sql 'SELECT max(id) FROM request')" \
    "$(sql "SELECT value FROM meta WHERE key = 'rollup_id'")"
check "the upkeep closed the earlier days" \
    [ "$(sql "SELECT value FROM meta WHERE key = 'rollup_closed'")" -gt "$three_days_ago" ]
check "days were built from hours" [ "$(sql 'SELECT count(*) FROM rollup WHERE level > 0')" -gt 0 ]
insert_old
cgi /beacon 192.0.2.78
check "not again within 10 s" [ "$(sql "SELECT value FROM meta WHERE key = 'rollup_id'")" \
    -lt "$(sql 'SELECT max(id) FROM request')" ]

# A file of another layout is started afresh, never misread.
printf 'not counters' > "$DB-counters"
inode=$(stat -c %i "$DB-counters")
cgi /status.json ::1
expect_eq "a foreign counters file starts afresh" 1 "$(json_num requests)"
# ... as a new file renamed over it: a process still mapping the old one (an older
# dualstat) keeps its own, never truncated under it
check "the foreign file replaced, not rewritten" [ "$(stat -c %i "$DB-counters")" != "$inode" ]
expect_eq "no temporary file left" "dualstat.db-counters" "$(cd "$W/db" && ls | grep counters)"
cgi /status.json ::1
expect_eq "counting goes on in the new file" 2 "$(json_num requests)"

finish
