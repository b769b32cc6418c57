#!/bin/sh
# it_lighttpd_authorizer.sh: whole-site measurement with the bundled lighttpd.conf.in +
# whole-site.conf.in: every static file of the site passes dualstat as a FastCGI Authorizer,
# is served as lighttpd serves it, and leaves one how=authorizer row; dualstat's own pages
# under /dualstat/ are counted once.
. "${top_srcdir:-.}/tests/lib.sh"
need_sqlite3
need_cmd "${LIGHTTPD:=lighttpd}" lighttpd
need_cmd "${CURL:=curl}" curl
client_addrs 12
PORT=$(free_port 12)
write_conf "static_url = /dualstat/static"

# ---- the site: a few files of different kinds
D="$W/site"
mkdir -p "$D/docs"
printf '<!DOCTYPE html>\n<title>home</title><p>the whole site\n' > "$D/index.html"
printf 'plain text file\n' > "$D/docs/notes.txt"
cp "$top_srcdir/www/dualstat.css" "$D/site.css"

S="$W/state"
mkdir -p "$S/htdocs" "$RUN"
chmod 0700 "$RUN"
# lighttpd names its bin-path sockets @RUNDIR@/NAME-0.
LSOCK=$(sock_path dualstat.sock-0)
ASOCK=$(sock_path dualstat-auth.sock-0)
sh "$top_srcdir/conf/fill.sh" "$top_srcdir/conf/lighttpd/whole-site.conf.in" \
    DUALSTAT="$DUALSTAT" DUALSTAT_CONF="$CONF" RUNDIR="$RUN" \
    WWW="$top_srcdir/www" DOCROOT="$D" > "$W/site.conf"
sh "$top_srcdir/conf/fill.sh" "$top_srcdir/conf/lighttpd/lighttpd.conf.in" \
    PORT="$PORT" BIND4=127.0.0.1 BIND6='[::1]' STATE="$S" \
    SITE="$W/site.conf" > "$W/lighttpd.conf"
check "lighttpd accepts the whole-site configuration" \
    "$LIGHTTPD" -tt -f "$W/lighttpd.conf"

"$LIGHTTPD" -D -f "$W/lighttpd.conf" > "$W/lighttpd.out" 2>&1 &
LPID=$!
track "$LPID"
# lighttpd is there, so not listening is this configuration's failure, not a reason to skip.
if ! wait_for listening "$PORT"; then
	cat "$W/lighttpd.out" "$S/error.log" 2>/dev/null || true
	fail "lighttpd did not listen on 127.0.0.1:$PORT and [::1]:$PORT"
	finish || exit 1
fi
check "lighttpd spawned the authorizer" wait_for test -S "$ASOCK"
check "lighttpd spawned the responder" wait_for test -S "$LSOCK"
KIDS=$(ps -o pid= --ppid "$LPID" 2>/dev/null | tr -d ' ')
for k in $KIDS; do track "$k"; done
expect_eq "two dualstat processes" 2 "$(echo "$KIDS" | grep -c .)"

U4="http://127.0.0.1:$PORT"
U6="http://[::1]:$PORT"
rows() {
	sql 'SELECT family, kind, prefix, server_family, how, mapped, via_proxy FROM request ORDER BY id'
}

# ---- IPv4: the files, exactly as on disk, with lighttpd's headers, not dualstat's
expect_eq "v4 index" 200 "$(get "$U4/" --interface "$V4")"
check "v4 index is index.html" cmp -s "$W/b" "$D/index.html"
contains "v4 index type" "Content-Type: text/html" "$W/h"
lacks "authorizer headers are not passed on" "Content-Security-Policy" "$W/h"
lacks "authorizer no-store is not passed on" "no-store" "$W/h"
contains "file has lighttpd's ETag" "ETag:" "$W/h"
expect_eq "v4 text file" 200 "$(get "$U4/docs/notes.txt" --interface "$V4")"
check "v4 text file content" cmp -s "$W/b" "$D/docs/notes.txt"
contains "v4 text type" "Content-Type: text/plain" "$W/h"
expect_eq "v4 stylesheet" 200 "$(get "$U4/site.css" --interface "$V4")"
check "v4 stylesheet content" cmp -s "$W/b" "$D/site.css"
contains "v4 stylesheet type" "Content-Type: text/css" "$W/h"
expect_eq "v4 rows" "4|documentation|203.0.113.0/24|4|authorizer|0|0
4|documentation|203.0.113.0/24|4|authorizer|0|0
4|documentation|203.0.113.0/24|4|authorizer|0|0" "$(rows)"

# ---- IPv6
expect_eq "v6 index" 200 "$(get "$U6/index.html" --interface "$V6")"
check "v6 index content" cmp -s "$W/b" "$D/index.html"
expect_eq "v6 text file" 200 "$(get "$U6/docs/notes.txt" --interface "$V6")"
check "v6 text file content" cmp -s "$W/b" "$D/docs/notes.txt"
expect_eq "v6 rows" "6|documentation|2001:db8:ffff::/48|6|authorizer|0|0
6|documentation|2001:db8:ffff::/48|6|authorizer|0|0" \
    "$(sql "SELECT family, kind, prefix, server_family, how, mapped, via_proxy FROM request WHERE family = 6 ORDER BY id")"

# ---- a file that is not there: lighttpd's own 404, measured like any request
expect_eq "v4 missing file" 404 "$(get "$U4/no/such.html" --interface "$V4")"
contains "404 is lighttpd's page" "404 Not Found" "$W/b"
lacks "404 is not dualstat's page" "dualstat" "$W/b"
expect_eq "v6 missing file" 404 "$(get "$U6/no/such.html" --interface "$V6")"
expect_eq "missing files measured too" "4|authorizer
6|authorizer" "$(sql 'SELECT family, how FROM request WHERE id > 5 ORDER BY id')"
# HEAD is measured and answered like GET, without a body.
expect_eq "v6 HEAD" 200 "$(get "$U6/docs/notes.txt" --interface "$V6" -I)"
expect_eq "rows after the files" "4|4|authorizer|4
6|6|authorizer|4" "$(sql 'SELECT family, server_family, how, count(*) FROM request GROUP BY family, server_family, how ORDER BY family')"

# ---- dualstat's own pages under /dualstat/, counted once (no authorizer row as well)
expect_eq "landing under /dualstat/" 200 "$(get "$U6/dualstat/" --interface "$V6")"
contains "landing says IPv6" "over IPv6" "$W/b"
contains "landing links its stylesheet" "/dualstat/static/dualstat.css" "$W/b"
expect_eq "beacon under /dualstat/" 204 "$(get "$U4/dualstat/beacon" --interface "$V4")"
expect_eq "dualstat stylesheet" 200 "$(get "$U4/dualstat/static/dualstat.css" --interface "$V4")"
check "dualstat stylesheet content" cmp -s "$W/b" "$top_srcdir/www/dualstat.css"
expect_eq "own pages: one row each, no authorizer row" "6|6|page
4|4|beacon" "$(sql 'SELECT family, server_family, how FROM request WHERE id > 8 ORDER BY id')"

# ---- the owner's report through lighttpd: 10 requests, 5 over each family
expect_eq "report.json from 127.0.0.1" 200 "$(get "$U4/dualstat/report.json?days=1")"
contains "report.json total" '"total":10,"ipv4":5,"ipv6":5' "$W/b"
expect_eq "report.json from ::1" 200 "$(get "$U6/dualstat/report.json?days=1")"
contains "report.json over IPv6" '"total":10,"ipv4":5,"ipv6":5' "$W/b"
expect_eq "report.json from $V4 is refused" 403 "$(get "$U4/dualstat/report.json" --interface "$V4")"
unchecked_user_refused "visitor" "$U4/dualstat" --interface "$V4"
expect_eq "status.json from ::1" 200 "$(get "$U6/dualstat/status.json")"
contains "status: v6 viewer" '"remote_addr":"::1"' "$W/b"
expect_eq "owner pages recorded nothing" 10 "$(sql 'SELECT count(*) FROM request')"

# ---- stopping lighttpd stops both dualstat processes
kill "$LPID"
wait_for sh -c "! kill -0 $LPID 2>/dev/null" || true
for k in $KIDS; do
	check "spawned dualstat $k is gone" wait_for sh -c "! kill -0 $k 2>/dev/null"
done

finish
