#!/bin/sh
# it_lighttpd.sh: the bundled lighttpd configuration (lighttpd.conf.in + dualstat.conf.in, dualstat
# spawned by lighttpd through bin-path) on 127.0.0.1 and [::1]: pages, beacons, the stylesheet,
# the rows they leave, the owner's report and status, and no dualstat left behind.
. "${top_srcdir:-.}/tests/lib.sh"
need_sqlite3
need_cmd "${LIGHTTPD:=lighttpd}" lighttpd
need_cmd "${CURL:=curl}" curl
client_addrs 11
PORT=$(free_port 11)
write_conf

# ---- the bundled files, with only their placeholders filled in
S="$W/state"
mkdir -p "$S/htdocs" "$RUN"
chmod 0700 "$RUN"
# lighttpd names its bin-path socket @RUNDIR@/dualstat.sock-0.
LSOCK=$(sock_path dualstat.sock-0)
sh "$top_srcdir/conf/fill.sh" "$top_srcdir/conf/lighttpd/dualstat.conf.in" \
    DUALSTAT="$DUALSTAT" DUALSTAT_CONF="$CONF" RUNDIR="$RUN" \
    WWW="$top_srcdir/www" > "$W/site.conf"
sh "$top_srcdir/conf/fill.sh" "$top_srcdir/conf/lighttpd/lighttpd.conf.in" \
    PORT="$PORT" BIND4=127.0.0.1 BIND6='[::1]' STATE="$S" \
    SITE="$W/site.conf" > "$W/lighttpd.conf"
check "lighttpd accepts the bundled configuration" \
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

# The dualstat processes lighttpd spawned: stopped by PID too, whatever happens.
spawned() {
	ps -o pid= --ppid "$LPID" 2>/dev/null | tr -d ' '
}
check "lighttpd spawned dualstat" wait_for test -S "$LSOCK"
KIDS=$(spawned)
for k in $KIDS; do track "$k"; done
expect_eq "one dualstat process (max-procs 1)" 1 "$(echo "$KIDS" | grep -c .)"

U4="http://127.0.0.1:$PORT"
U6="http://[::1]:$PORT"

# ---- IPv4 client 203.0.113.11 -> 127.0.0.1, IPv6 client 2001:db8:ffff:11::1 -> [::1]; the
# stylesheet is a file that lighttpd serves itself: never recorded
P4=203.0.113.0/24
P6=2001:db8:ffff::/48
dual_stack_smoke "$U4" "$U6" /static/dualstat.css

# ---- exactly the six measured requests, in order.  server_family 6 also holds when
# lighttpd passes SERVER_ADDR bracketed ("[::1]"), as it does for a socket bound to an
# IPv6 address rather than the wildcard.
expect_eq "rows" "4|documentation|203.0.113.0/24|4|page|0|0
4|documentation|203.0.113.0/24|4|beacon|0|0
4|documentation|203.0.113.0/24|4|beacon|0|0
6|documentation|2001:db8:ffff::/48|6|page|0|0
6|documentation|2001:db8:ffff::/48|6|beacon|0|0
6|documentation|2001:db8:ffff::/48|6|beacon|0|0" \
    "$(sql 'SELECT family, kind, prefix, server_family, how, mapped, via_proxy FROM request ORDER BY id')"
expect_eq "hosts, without their port" "127.0.0.1|3
[::1]|3" "$(sql 'SELECT host, count(*) FROM request GROUP BY host ORDER BY host')"

# ---- the owner's report through lighttpd, from 127.0.0.1 and from ::1
expect_eq "report.json from 127.0.0.1" 200 "$(get "$U4/report.json?days=1")"
contains "report.json type" "Content-Type: application/json; charset=utf-8" "$W/h"
contains "report.json total" '"total":6,"ipv4":3,"ipv6":3' "$W/b"
contains "report.json v4 prefix" '{"prefix":"203.0.113.0/24","family":4,"kind":"documentation","requests":3}' "$W/b"
contains "report.json v6 prefix" '{"prefix":"2001:db8:ffff::/48","family":6,"kind":"documentation","requests":3}' "$W/b"
expect_eq "report.json from ::1" 200 "$(get "$U6/report.json?days=1")"
contains "report.json over IPv6 total" '"total":6,"ipv4":3,"ipv6":3' "$W/b"
expect_eq "report.json from $V4 is refused" 403 "$(get "$U4/report.json" --interface "$V4")"
expect_eq "report from $V6 is refused" 403 "$(get "$U6/report" --interface "$V6")"
# lighttpd sets REMOTE_USER only when mod_auth checked a password (not loaded here); a
# client's Authorization header reaches dualstat as HTTP_AUTHORIZATION, which it ignores.
unchecked_user_refused "IPv4 visitor" "$U4" --interface "$V4"
unchecked_user_refused "IPv6 visitor" "$U6" --interface "$V6"
expect_eq "the report pages recorded nothing" 6 "$(sql 'SELECT count(*) FROM request')"

# ---- status.json shows the addresses as lighttpd passed them
expect_eq "status.json from 127.0.0.1" 200 "$(get "$U4/status.json")"
contains "status: v4 viewer" '"remote_addr":"127.0.0.1","server_addr":"127.0.0.1"' "$W/b"
contains "status: FastCGI mode" '"mode":"fastcgi"' "$W/b"
contains "status: six rows" '"rows":6' "$W/b"
expect_eq "status.json from ::1" 200 "$(get "$U6/status.json")"
contains "status: v6 viewer" '"remote_addr":"::1"' "$W/b"
expect_eq "status.json from $V6 is refused" 403 "$(get "$U6/status.json" --interface "$V6")"

# ---- stopping lighttpd stops the dualstat it spawned
kill "$LPID"
wait_for sh -c "! kill -0 $LPID 2>/dev/null" || true
for k in $KIDS; do
	check "spawned dualstat $k is gone" wait_for sh -c "! kill -0 $k 2>/dev/null"
done
check "FastCGI socket removed" test ! -e "$LSOCK"

finish
