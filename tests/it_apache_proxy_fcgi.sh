#!/bin/sh
# it_apache_proxy_fcgi.sh: the real Apache with mod_proxy_fcgi (conf/apache/dualstat-proxy-fcgi.conf)
# in front of `dualstat serve` on a Unix socket, dual-stack on 127.0.0.1 and [::1]; requests over
# IPv4 and IPv6 from documentation addresses; exact rows and report.json counts.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/apache.sh"
need_apache proxy proxy_fcgi
client_addrs 22
PORT=$(free_port 22)
P4=203.0.113.0/24
P6=2001:db8:ffff::/48
URL4=http://127.0.0.1:$PORT
URL6=http://[::1]:$PORT

write_conf
www_owns "$W/db" "$RUN"
check "www-data can read the configuration" as_www test -r "$CONF"

# dualstat serve runs as www-data, so Apache's children (www-data) may use its
# 0660 socket; the configuration's comments say how production separates them.
# mod_proxy takes a socket path of at most 95 bytes (see dualstat-proxy-fcgi.conf).
SOCK=$(sock_path dualstat.sock 95)
# setpriv execs dualstat, so $! is the server itself (a shell function here
# would run in a subshell, and $! would name that instead).
setpriv --reuid=www-data --regid=www-data --init-groups \
    "$DUALSTAT" -c "$CONF" serve --listen "unix:$SOCK" --workers 2 2> "$W/serve.log" &
SERVE=$!
track $SERVE
check "serve socket appears" wait_for test -S "$SOCK"
expect_eq "socket mode 0660, owned by www-data" "660 www-data www-data" "$(stat -c '%a %U %G' "$SOCK")"

fill conf/apache/dualstat-proxy-fcgi.conf.in "$W/site.conf" SOCKET="$SOCK" WWW="$top_srcdir/www"
apache_start "$W/site.conf"

dual_stack_smoke "$URL4" "$URL6" /static/dualstat.css
expect_eq "IPv4 landing again" 200 "$(get "$URL4/" --interface "$V4")"
contains "links are below the site root (SCRIPT_NAME empty)" 'href="/report"' "$W/b"
expect_eq "/record answers any method" 204 "$(get "$URL6/record" --interface "$V6" -X POST -d x=1)"
expect_eq "query string reaches dualstat" 400 "$(get "$URL4/report.json?days=3")"
expect_eq "report from a visitor's address" 403 "$(get "$URL4/report.json" --interface "$V4")"
# REMOTE_USER is the user Apache's authentication found (none here), whatever the client sends.
unchecked_user_refused "IPv4 visitor" "$URL4" --interface "$V4"
unchecked_user_refused "IPv6 visitor" "$URL6" --interface "$V6"

expect_eq "rows: family, kind, prefix, server family, how, mapped, via_proxy" \
"4|documentation|$P4|4|page|0|0
4|documentation|$P4|4|beacon|0|0
4|documentation|$P4|4|beacon|0|0
6|documentation|$P6|6|page|0|0
6|documentation|$P6|6|beacon|0|0
6|documentation|$P6|6|beacon|0|0
4|documentation|$P4|4|page|0|0
6|documentation|$P6|6|record|0|0" \
    "$(sql 'SELECT family, kind, prefix, server_family, how, mapped, via_proxy FROM request ORDER BY id')"

expect_eq "report.json as owner from 127.0.0.1" 200 "$(get "$URL4/report.json?days=1")"
contains "report.json type" "Content-Type: application/json; charset=utf-8" "$W/h"
json_has "report.json counts" '"total":8,"ipv4":4,"ipv6":4'
json_has "report.json prefixes" '"unique_prefixes":{"ipv4":1,"ipv6":1}'
expect_eq "report.json as owner from ::1" 200 "$(get "$URL6/report.json")"
json_has "report.json counts over IPv6" '"total":8,"ipv4":4,"ipv6":4'
expect_eq "status.json as owner" 200 "$(get "$URL6/status.json")"
json_has "answered by dualstat serve" '"mode":"serve"'
json_has "status sees the owner's address" '"remote_addr":"::1"'

# Apache only connects to the socket: stopping it leaves dualstat serve running.
apache_stop
check "serve outlives Apache" running $SERVE
workers=$(descendants $SERVE)
expect_eq "serve has its two workers" 2 "$(echo $workers | wc -w)"
kill $SERVE
check "serve and its workers stop on SIGTERM" wait_for none_running $SERVE $workers
wait $SERVE 2>/dev/null || true

finish
