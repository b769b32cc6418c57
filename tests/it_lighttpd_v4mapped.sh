#!/bin/sh
# it_lighttpd_v4mapped.sh: the bundled single-socket variant (lighttpd-v4mapped.conf.in: one
# [::] socket, server.v4mapped = "enable") + dualstat.conf.in.  An IPv4 client reaches dualstat
# as ::ffff:a.b.c.d and is recorded as IPv4, mapped; an IPv6 client as IPv6, not mapped.
#
# A wildcard socket listens on every address of the host, so lighttpd and its clients run in a
# network namespace of their own whose only interface is its loopback: nothing outside this
# test can reach the port.  Where namespaces are not available, the test binds [::] in the
# host's namespace instead (a free high port, for a few seconds).
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/netns.sh"
need_sqlite3
need_cmd "${LIGHTTPD:=lighttpd}" lighttpd
need_cmd "${CURL:=curl}" curl
[ "$(id -u)" -eq 0 ] || skip "adding client addresses needs root"
need_cmd ip iproute2
write_conf

PORT=$(free_port 13)
if ! netns_up 13; then
	client_addrs 13
	echo "# no network namespace: binding [::]:$PORT in the host's namespace"
fi

S="$W/state"
mkdir -p "$S/htdocs" "$RUN"
chmod 0700 "$RUN"
# lighttpd names its bin-path socket @RUNDIR@/dualstat.sock-0.
LSOCK=$(sock_path dualstat.sock-0)
sh "$top_srcdir/conf/fill.sh" "$top_srcdir/conf/lighttpd/dualstat.conf.in" \
    DUALSTAT="$DUALSTAT" DUALSTAT_CONF="$CONF" RUNDIR="$RUN" \
    WWW="$top_srcdir/www" > "$W/site.conf"
sh "$top_srcdir/conf/fill.sh" "$top_srcdir/conf/lighttpd/lighttpd-v4mapped.conf.in" \
    PORT="$PORT" BIND6='[::]' STATE="$S" SITE="$W/site.conf" > "$W/lighttpd.conf"
check "lighttpd accepts the v4-mapped configuration" \
    "$LIGHTTPD" -tt -f "$W/lighttpd.conf"

$IN "$LIGHTTPD" -D -f "$W/lighttpd.conf" > "$W/lighttpd.out" 2>&1 &
LPID=$!
track "$LPID"
# One socket, the IPv6 wildcard, and no IPv4 one.
if ! wait_for ns_listening "$PORT"; then
	cat "$W/lighttpd.out" "$S/error.log" 2>/dev/null || true
	fail "lighttpd did not listen on [::]:$PORT"
	finish || exit 1
fi
expect_eq "one listening socket, on [::] (or *)" 1 \
    "$(grep -cE "(\[::\]|\*):$PORT " "$W/ss.out")"
lacks "no IPv4 socket" "0.0.0.0:$PORT" "$W/ss.out"
check "lighttpd spawned dualstat" wait_for test -S "$LSOCK"
KIDS=$(ps -o pid= --ppid "$LPID" 2>/dev/null | tr -d ' ')
for k in $KIDS; do track "$k"; done
expect_eq "one dualstat process (max-procs 1)" 1 "$(echo "$KIDS" | grep -c .)"

U4="http://127.0.0.1:$PORT"
U6="http://[::1]:$PORT"

# ---- IPv4 client through the IPv6 socket
expect_eq "v4 landing" 200 "$(get "$U4/" --interface "$V4")"
contains "v4 landing says IPv4" "over IPv4" "$W/b"
contains "v4 landing says mapped" "IPv4-mapped" "$W/b"
contains "v4 landing shows the /24" "203.0.113.0/24" "$W/b"
lacks "v4 landing never shows the address" "$V4" "$W/b"
expect_eq "v4 beacon.gif" 200 "$(get "$U4/beacon.gif" --interface "$V4")"
expect_eq "v4 /beacon" 204 "$(get "$U4/beacon" --interface "$V4")"

# ---- IPv6 client
expect_eq "v6 landing" 200 "$(get "$U6/" --interface "$V6")"
contains "v6 landing says IPv6" "over IPv6" "$W/b"
lacks "v6 landing not mapped" "IPv4-mapped" "$W/b"
expect_eq "v6 beacon.gif" 200 "$(get "$U6/beacon.gif" --interface "$V6")"

expect_eq "rows" "4|documentation|203.0.113.0/24|4|page|1|0
4|documentation|203.0.113.0/24|4|beacon|1|0
4|documentation|203.0.113.0/24|4|beacon|1|0
6|documentation|2001:db8:ffff::/48|6|page|0|0
6|documentation|2001:db8:ffff::/48|6|beacon|0|0" \
    "$(sql 'SELECT family, kind, prefix, server_family, how, mapped, via_proxy FROM request ORDER BY id')"

# ---- the owner from 127.0.0.1 arrives as ::ffff:127.0.0.1 and is still the owner
expect_eq "report.json from 127.0.0.1" 200 "$(get "$U4/report.json?days=1")"
contains "report.json total" '"total":5,"ipv4":3,"ipv6":2' "$W/b"
contains "report.json: IPv4 counted as mapped" '{"family":4,"kind":"documentation","mapped":true,"requests":3}' "$W/b"
contains "report.json: IPv6 not mapped" '{"family":6,"kind":"documentation","mapped":false,"requests":2}' "$W/b"
expect_eq "report.json from ::1" 200 "$(get "$U6/report.json?days=1")"
contains "report.json over IPv6" '"total":5,"ipv4":3,"ipv6":2' "$W/b"
expect_eq "report.json from $V4 is refused" 403 "$(get "$U4/report.json" --interface "$V4")"
expect_eq "status.json from 127.0.0.1" 200 "$(get "$U4/status.json")"
contains "status: the mapped addresses as lighttpd passed them" \
    '"remote_addr":"::ffff:127.0.0.1","server_addr":"::ffff:127.0.0.1"' "$W/b"
expect_eq "status.json from ::1" 200 "$(get "$U6/status.json")"
contains "status: v6 viewer" '"remote_addr":"::1","server_addr":"::1"' "$W/b"

# ---- stopping lighttpd stops the dualstat it spawned
kill "$LPID"
wait_for sh -c "! kill -0 $LPID 2>/dev/null" || true
for k in $KIDS; do
	check "spawned dualstat $k is gone" wait_for sh -c "! kill -0 $k 2>/dev/null"
done

finish
