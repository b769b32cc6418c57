#!/bin/sh
# it_proxy_trust.sh: nginx as a reverse proxy (conf/nginx/reverse-proxy.conf) in front of
# lighttpd running dualstat (conf/lighttpd), nginx's address trusted: the client behind
# the proxy is recorded (via_proxy = 1), over IPv4 and IPv6; a forged X-Forwarded-For
# sent straight to the backend by an untrusted client is ignored, and one sent through
# the proxy cannot name anything but the real client, which nginx appends.
. "${top_srcdir:-.}/tests/lib.sh"
need_sqlite3
# nginx reads NGINX from its environment (sockets inherited in a binary upgrade).
NGINX_BIN=${NGINX:-nginx}
unset NGINX
need_cmd "$NGINX_BIN" nginx
LIGHTTPD=${LIGHTTPD:-lighttpd}
need_cmd "$LIGHTTPD" lighttpd
id www-data >/dev/null 2>&1 || skip "no www-data user to run nginx's workers as"
client_addrs 33
# The proxy connects to the backend from loopback: only that is trusted.
write_conf "trusted_proxies = 127.0.0.1 ::1" "proxy_header = x-forwarded-for"
C="$top_srcdir/conf"
FORGED=2001:db8:bad::1

# ---- the backend: lighttpd with the bundled files, spawning dualstat
BACK=$(free_port 34)
L="$W/lighttpd"
mkdir -p "$L/htdocs"
# Its FastCGI socket in lib.sh's short RUN folder: below the build tree lighttpd would
# refuse a deep build's path ("unixsocket is too long").
LSOCK=$(sock_path dualstat.sock-0)
sh "$C/fill.sh" "$C/lighttpd/dualstat.conf.in" DUALSTAT="$DUALSTAT" DUALSTAT_CONF="$CONF" \
    RUNDIR="$RUN" WWW="$top_srcdir/www" > "$L/site.conf"
sh "$C/fill.sh" "$C/lighttpd/lighttpd.conf.in" PORT="$BACK" BIND4=127.0.0.1 BIND6='[::1]' \
    STATE="$L" SITE="$L/site.conf" > "$L/lighttpd.conf"
"$LIGHTTPD" -tt -f "$L/lighttpd.conf" || fail "lighttpd -tt"
# backend_start: lighttpd, which spawns dualstat (and so reads dualstat.conf) as it starts.
backend_start() {
	"$LIGHTTPD" -D -f "$L/lighttpd.conf" 2>> "$L/stderr" &
	LPID=$!
	track $LPID
	check "backend listens on 127.0.0.1:$BACK and [::1]:$BACK" wait_for listening $BACK
	check "the backend spawned dualstat" wait_for test -S "$LSOCK"
}
backend_start

# ---- the proxy: nginx, reaching the backend over [::1]
PROXY=$(free_port 33)
N="$W/nginx"
mkdir -p "$N/tmp"
sh "$C/fill.sh" "$C/nginx/reverse-proxy.conf.in" BACKEND="[::1]:$BACK" > "$N/site.conf"
sh "$C/fill.sh" "$C/nginx/listen.conf.in" BIND4=127.0.0.1 BIND6='[::1]' PORT="$PROXY" > "$N/listen.conf"
sh "$C/fill.sh" "$C/nginx/nginx.conf.in" STATE="$N" USER=www-data GROUP=www-data \
    LISTEN="$N/listen.conf" SITE="$N/site.conf" > "$N/nginx.conf"
"$NGINX_BIN" -t -q -p "$N/" -c "$N/nginx.conf" -e "$N/error.log" || fail "nginx -t"
"$NGINX_BIN" -p "$N/" -c "$N/nginx.conf" -e "$N/error.log" &
NPID=$!
track $NPID
check "proxy listens on 127.0.0.1:$PROXY and [::1]:$PROXY" wait_for listening $PROXY

# last_row: the newest row, as family|kind|prefix|mapped|server_family|how|via_proxy.
last_row() {
	sql 'SELECT family, kind, prefix, mapped, server_family, how, via_proxy FROM request ORDER BY id DESC LIMIT 1'
}

# ---- through the proxy: the client is recorded, not the proxy.  server_family is
# the family of the backend's socket: the proxy's hop, [::1], for every client.
# (lighttpd passes SERVER_ADDR bracketed, "[::1]", for a socket bound to an IPv6
# address: it is still family 6.)
expect_eq "IPv6 client via the proxy" 200 "$(get "http://[::1]:$PROXY/" --interface "$V6")"
contains "the landing page sees the client's family" "over IPv6" "$W/b"
contains "and the client's prefix" "2001:db8:ffff::/48" "$W/b"
expect_eq "IPv6 client's row" "6|documentation|2001:db8:ffff::/48|0|6|page|1" "$(last_row)"
expect_eq "IPv4 client via the proxy" 204 "$(get "http://127.0.0.1:$PROXY/beacon" --interface "$V4")"
expect_eq "IPv4 client's row" "4|documentation|203.0.113.0/24|0|6|beacon|1" "$(last_row)"

# ---- the same forged header straight to the backend, from untrusted clients: ignored
expect_eq "forged header from $V4 directly" 204 \
    "$(get "http://127.0.0.1:$BACK/beacon" --interface "$V4" -H "X-Forwarded-For: $FORGED")"
expect_eq "its own prefix is recorded" "4|documentation|203.0.113.0/24|0|4|beacon|0" "$(last_row)"
expect_eq "forged header from $V6 directly" 200 \
    "$(get "http://[::1]:$BACK/beacon.gif" --interface "$V6" -H "X-Forwarded-For: $FORGED")"
expect_eq "its own prefix is recorded" "6|documentation|2001:db8:ffff::/48|0|6|beacon|0" "$(last_row)"
expect_eq "Forwarded is not read either (proxy_header = x-forwarded-for)" 204 \
    "$(get "http://[::1]:$BACK/beacon" --interface "$V6" -H "Forwarded: for=\"[$FORGED]\"")"
expect_eq "its own prefix is recorded" "6|documentation|2001:db8:ffff::/48|0|6|beacon|0" "$(last_row)"

# ---- forged through the proxy: nginx appends the real client; dualstat walks from the
# right, skips trusted hops and stops at the first untrusted address, the real client.
expect_eq "forged header via the proxy" 204 \
    "$(get "http://[::1]:$PROXY/beacon" --interface "$V6" -H "X-Forwarded-For: $FORGED")"
expect_eq "the real client is recorded" "6|documentation|2001:db8:ffff::/48|0|6|beacon|1" "$(last_row)"
expect_eq "forged trusted-looking hops via the proxy" 204 \
    "$(get "http://127.0.0.1:$PROXY/beacon" --interface "$V4" -H "X-Forwarded-For: $FORGED, ::1, 127.0.0.1")"
expect_eq "the real client is recorded" "4|documentation|203.0.113.0/24|0|6|beacon|1" "$(last_row)"
expect_eq "the forged prefix was never recorded" 0 "$(sql "SELECT count(*) FROM request WHERE prefix LIKE '2001:db8:bad%'")"

# ---- a trusted peer is believed: what trusted_proxies means (so list only your proxies)
expect_eq "header from a trusted peer (loopback) directly" 204 \
    "$(get "http://[::1]:$BACK/beacon" -H "X-Forwarded-For: 198.51.100.7")"
expect_eq "is believed" "4|documentation|198.51.100.0/24|0|6|beacon|1" "$(last_row)"

# ---- owner pages through the proxy: access is decided on the client, never on the
# proxy.  A loopback client behind it is this machine's proxy speaking, not the owner:
# only admin_allow (here the IPv6 client's network) or a user the backend authenticated.
expect_eq "report.json from 127.0.0.1 via the proxy: a loopback client is not the owner" 403 \
    "$(get "http://127.0.0.1:$PROXY/report.json")"
expect_eq "status.json from [::1] via the proxy: the same" 403 "$(get "http://[::1]:$PROXY/status.json")"
expect_eq "report.json from $V4 via the proxy (loopback peer, outside client)" 403 \
    "$(get "http://127.0.0.1:$PROXY/report.json" --interface "$V4")"
expect_eq "report.json from $V6 forging loopback via the proxy" 403 \
    "$(get "http://[::1]:$PROXY/report.json" --interface "$V6" -H "X-Forwarded-For: ::1")"
expect_eq "report.json straight from the trusted proxy's address, no header" 403 \
    "$(get "http://[::1]:$BACK/report.json")"
write_conf "trusted_proxies = 127.0.0.1 ::1" "proxy_header = x-forwarded-for" \
    "admin_allow = 2001:db8:ffff::/48"
kill -TERM $LPID
check "backend stops for the new configuration" wait_for sh -c "! kill -0 $LPID 2>/dev/null"
check "its port is free" wait_for sh -c "! ss -Hltn '( sport = :$BACK )' | grep -q ."
backend_start
expect_eq "report.json from $V6 via the proxy, its network in admin_allow" 200 \
    "$(get "http://[::1]:$PROXY/report.json" --interface "$V6")"
contains "report.json counts" '"total":8,"ipv4":4,"ipv6":4,' "$W/b"
contains "report.json IPv6 prefix" '{"prefix":"2001:db8:ffff::/48","family":6,"kind":"documentation","requests":4}' "$W/b"
contains "report.json IPv4 prefix" '{"prefix":"203.0.113.0/24","family":4,"kind":"documentation","requests":3}' "$W/b"
expect_eq "status.json from $V6 via the proxy" 200 \
    "$(get "http://[::1]:$PROXY/status.json" --interface "$V6")"
expect_eq "report.json from $V4 via the proxy: not in admin_allow" 403 \
    "$(get "http://127.0.0.1:$PROXY/report.json" --interface "$V4")"
expect_eq "report.json from $V4 naming $V6 via the proxy: nginx appends the real client" 403 \
    "$(get "http://127.0.0.1:$PROXY/report.json" --interface "$V4" -H "X-Forwarded-For: $V6")"
expect_eq "rows in all" "1|page
7|beacon" "$(sql 'SELECT count(*), how FROM request GROUP BY how ORDER BY how DESC')"

kill -TERM $NPID $LPID
check "servers stop" wait_for sh -c "! kill -0 $NPID 2>/dev/null && ! kill -0 $LPID 2>/dev/null"
lacks "nginx logged no error" "[error]" "$N/error.log"
expect_eq "integrity" ok "$(sql 'PRAGMA integrity_check')"
finish
