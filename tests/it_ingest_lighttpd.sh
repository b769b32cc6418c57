#!/bin/sh
# it_ingest_lighttpd.sh: the real lighttpd with the bundled lighttpd.conf.in and
# whole-site-log.conf.in: every request it answers is piped to `dualstat ingest`, over
# IPv4 and IPv6 from documentation addresses and from 127.0.0.1 and ::1; the requests
# recorded exactly (how = log, prefixes, listeners, the Host asked for); when the piped
# program is stopped (SIGTERM) or killed (-9) after its commit, lighttpd starts it again,
# the requests made meanwhile are read by the new one, nothing committed is lost, nothing
# doubled; no full address on disk.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/ingest.sh"
need_sqlite3
need_cmd "${LIGHTTPD:=lighttpd}" lighttpd
need_cmd "${CURL:=curl}" curl
client_addrs 72
PORT=$(free_port 72)
write_conf
mkdir -p "$W/db"
D="$W/site"
mkdir -p "$D"
printf '<!DOCTYPE html>\n<title>home</title>\n' > "$D/index.html"
printf 'a file\n' > "$D/file.txt"
S="$W/state"
mkdir -p "$S/htdocs"
sh "$top_srcdir/conf/fill.sh" "$top_srcdir/conf/lighttpd/whole-site-log.conf.in" \
    DUALSTAT="$DUALSTAT" DUALSTAT_CONF="$CONF" DOCROOT="$D" > "$W/site.conf"
sh "$top_srcdir/conf/fill.sh" "$top_srcdir/conf/lighttpd/lighttpd.conf.in" \
    PORT="$PORT" BIND4=127.0.0.1 BIND6='[::1]' STATE="$S" SITE="$W/site.conf" > "$W/lighttpd.conf"
check "lighttpd accepts the whole-site-log configuration" "$LIGHTTPD" -tt -f "$W/lighttpd.conf"
"$LIGHTTPD" -D -f "$W/lighttpd.conf" > "$W/lighttpd.out" 2>&1 &
LPID=$!
track "$LPID"
if ! wait_for listening "$PORT"; then
	cat "$W/lighttpd.out" "$S/error.log" 2>/dev/null || true
	fail "lighttpd did not listen on 127.0.0.1:$PORT and [::1]:$PORT"
	finish || exit 1
fi
U4="http://127.0.0.1:$PORT"
U6="http://[::1]:$PORT"

ingest_pid() {
	"$DUALSTAT" -c "$CONF" status --format json > "$W/s.json" 2> /dev/null || true
	sed -n 's/.*"ingest":\[{"source":"stdin","pid":\([0-9]*\),.*/\1/p' "$W/s.json"
}
new_ingest() { _p=$(ingest_pid); [ -n "$_p" ] && [ "$_p" != "$1" ]; }
gone() { ! kill -0 "$1" 2> /dev/null; }

expect_eq "v4 index" 200 "$(get "$U4/" --interface "$V4")"
expect_eq "v4 file" 200 "$(get "$U4/file.txt" --interface "$V4")"
expect_eq "v4 missing" 404 "$(get "$U4/nope" --interface "$V4")"
expect_eq "v6 index" 200 "$(get "$U6/" --interface "$V6")"
expect_eq "v6 file" 200 "$(get "$U6/file.txt" --interface "$V6")"
expect_eq "127.0.0.1" 200 "$(get "$U4/file.txt")"
expect_eq "::1" 200 "$(get "$U6/file.txt")"
check "every request recorded" wait_for total_is 7
figures "$CONF" > "$W/r.json"
contains "families" '"total":7,"ipv4":4,"ipv6":3' "$W/r.json"
contains "how = log" '"hows":[{"how":"log","requests":7}]' "$W/r.json"
contains "the documentation /24" '{"prefix":"203.0.113.0/24","family":4,"kind":"documentation","requests":3}' "$W/r.json"
contains "the documentation /48" '{"prefix":"2001:db8:ffff::/48","family":6,"kind":"documentation","requests":2}' "$W/r.json"
contains "the listeners" '"listeners":[{"server_family":4,"ipv4":4,"ipv6":0},{"server_family":6,"ipv4":0,"ipv6":3}]' "$W/r.json"
contains "the Host asked for (%V)" '"hosts":[{"host":"127.0.0.1","ipv4":4,"ipv6":0},{"host":"[::1]","ipv4":0,"ipv6":3}]' "$W/r.json"
P1=$(ingest_pid)
check "status shows the ingest process" test -n "$P1"

# ---- the piped program stopped: it commits, lighttpd starts it again.  lighttpd keeps
# the pipe's read end itself, so the lines written meanwhile wait there for the new one;
# it restarts a program at once only when it ran for 5 s (else at its next upkeep,
# up to a minute later), so each one is given 6 s first.
sleep 6
kill -TERM "$P1"
check "SIGTERM: the old one is gone" wait_for gone "$P1"
expect_eq "SIGTERM: v4" 200 "$(get "$U4/file.txt" --interface "$V4")"
expect_eq "SIGTERM: v6" 200 "$(get "$U6/file.txt" --interface "$V6")"
check "SIGTERM: lighttpd started another" wait_for new_ingest "$P1"
check "SIGTERM: the new requests recorded" wait_for total_is 9
# ---- killed after its commit: nothing committed lost
P2=$(ingest_pid)
sleep 6
kill -9 "$P2"
check "kill -9: gone" wait_for gone "$P2"
expect_eq "kill -9: v4" 200 "$(get "$U4/" --interface "$V4")"
expect_eq "kill -9: v6" 200 "$(get "$U6/" --interface "$V6")"
check "kill -9: lighttpd started another" wait_for new_ingest "$P2"
check "kill -9: what was committed is there, and the new requests" wait_for total_is 11

P3=$(ingest_pid)
kill -TERM "$LPID"
check "lighttpd stops" wait_for gone "$LPID"
check "its ingest ends with it" wait_for gone "$P3"
expect_eq "stop: every request once" 11 "$(total_of "$CONF")"
no_full_address "$V4" "$V6"
finish
