#!/bin/sh
# it_nginx.sh: nginx in front of `dualstat serve` on a Unix socket, with the bundled
# conf/nginx files: landing page, beacons and a static file over IPv4 and IPv6 (two
# sockets), exact rows and report.json; then listen-v4mapped.conf as in production, one [::]
# socket with ipv6only=off that takes both families: an IPv4 client arrives v4-mapped and is
# recorded as IPv4, mapped; an IPv6 client as IPv6, not mapped.  That socket is a wildcard, so
# nginx runs in a network namespace of its own (tests/netns.sh); dualstat serve stays outside,
# on its Unix socket.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/netns.sh"
need_sqlite3
# nginx reads NGINX from its environment (sockets inherited in a binary upgrade):
# keep the path under another name and never pass it on.
NGINX_BIN=${NGINX:-nginx}
unset NGINX
need_cmd "$NGINX_BIN" nginx
need_cmd setpriv util-linux
id www-data >/dev/null 2>&1 || skip "no www-data user to run nginx's workers as"
client_addrs 31
PORT=$(free_port 31)
write_conf
C="$top_srcdir/conf"

# ---- dualstat serve, as production runs it: its socket's group is nginx's
# (systemd: dualstat.socket's SocketGroup=www-data).  Here the process itself
# runs with group www-data, so the socket it creates (mode 0660) is root:www-data.
mkdir -p "$RUN"
SOCK=$(sock_path dualstat.sock)
setpriv --regid www-data --clear-groups \
    "$DUALSTAT" -c "$CONF" serve --user root --listen "unix:$SOCK" --workers 2 2> "$W/serve.log" &
SERVE=$!
track $SERVE
check "dualstat's socket appears" wait_for test -S "$SOCK"
expect_eq "socket owned by nginx's group, mode 0660" "www-data 660" "$(stat -c '%G %a' "$SOCK")"

# start_nginx LISTEN_TEMPLATE BIND6: nginx with the bundled files, filled in, in the
# network namespace once netns_up has made one.
N="$W/nginx"
mkdir -p "$N/tmp"
sh "$C/fill.sh" "$C/nginx/dualstat_params" > "$N/dualstat_params"
sh "$C/fill.sh" "$C/nginx/dualstat.conf.in" SOCKET="$SOCK" WWW="$top_srcdir/www" > "$N/site.conf"
start_nginx() {
	sh "$C/fill.sh" "$C/nginx/$1" BIND4=127.0.0.1 BIND6="$2" PORT="$PORT" > "$N/listen.conf"
	sh "$C/fill.sh" "$C/nginx/nginx.conf.in" STATE="$N" USER=www-data GROUP=www-data \
	    LISTEN="$N/listen.conf" SITE="$N/site.conf" > "$N/nginx.conf"
	"$NGINX_BIN" -t -q -p "$N/" -c "$N/nginx.conf" -e "$N/error.log" || fail "nginx -t: $1"
	$IN "$NGINX_BIN" -p "$N/" -c "$N/nginx.conf" -e "$N/error.log" &
	NGINX_PID=$!
	track $NGINX_PID
}
stop_nginx() {
	kill -TERM $NGINX_PID
	check "nginx stops" wait_for sh -c "! kill -0 $NGINX_PID 2>/dev/null"
}

start_nginx listen.conf.in '[::1]'
check "nginx listens on 127.0.0.1:$PORT and [::1]:$PORT" wait_for listening $PORT
check "two sockets, none v4-mapped" sh -c "! grep -q '::ffff:' '$W/ss.out'"

# ---- the same visits over each family
P4=203.0.113.0/24
P6=2001:db8:ffff::/48
dual_stack_smoke "http://127.0.0.1:$PORT" "http://[::1]:$PORT" /static/dualstat.css
# host is the Host header as the client sent it.
expect_eq "rows: the client's family, documentation kind, prefix, server family, host, how" \
"4|documentation|203.0.113.0/24|0|4|127.0.0.1|page|0
4|documentation|203.0.113.0/24|0|4|127.0.0.1|beacon|0
4|documentation|203.0.113.0/24|0|4|127.0.0.1|beacon|0
6|documentation|2001:db8:ffff::/48|0|6|[::1]|page|0
6|documentation|2001:db8:ffff::/48|0|6|[::1]|beacon|0
6|documentation|2001:db8:ffff::/48|0|6|[::1]|beacon|0" \
    "$(sql 'SELECT family, kind, prefix, mapped, server_family, host, how, via_proxy FROM request ORDER BY id')"

# ---- the owner's pages through nginx, from loopback over both families
expect_eq "report.json from 127.0.0.1" 200 "$(get "http://127.0.0.1:$PORT/report.json")"
contains "report.json counts" '"total":6,"ipv4":3,"ipv6":3,' "$W/b"
contains "report.json IPv4 prefix" '{"prefix":"203.0.113.0/24","family":4,"kind":"documentation","requests":3}' "$W/b"
contains "report.json IPv6 prefix" '{"prefix":"2001:db8:ffff::/48","family":6,"kind":"documentation","requests":3}' "$W/b"
expect_eq "status.json from [::1]" 200 "$(get "http://[::1]:$PORT/status.json")"
contains "status sees the viewer through nginx" '"remote_addr":"::1"' "$W/b"
contains "status says serve mode" '"mode":"serve"' "$W/b"
expect_eq "report.json from a visitor" 403 "$(get "http://[::1]:$PORT/report.json" --interface "$V6")"
# nginx fills $remote_user from any Authorization header, checked or not: the bundled site,
# which has no auth_basic, must not pass it on as REMOTE_USER.
unchecked_user_refused "IPv4 visitor" "http://127.0.0.1:$PORT" --interface "$V4"
unchecked_user_refused "IPv6 visitor" "http://[::1]:$PORT" --interface "$V6"
expect_eq "owner pages record nothing" 6 "$(sql 'SELECT count(*) FROM request')"

# ---- one IPv6 socket with ipv6only=off: the bundled listen-v4mapped.conf with its
# production value, [::].  IPv4 clients arrive on it as ::ffff:a.b.c.d, IPv6 clients as
# themselves.  In a namespace the clients are new addresses of the same prefixes
# (203.0.113.31, 2001:db8:ffff:31::1); without one, as it_lighttpd_v4mapped.sh does,
# [::] is bound in the host's namespace for a few seconds.
stop_nginx
netns_up 31 || echo "# no network namespace: binding [::]:$PORT in the host's namespace"
start_nginx listen-v4mapped.conf.in '[::]'
check "nginx listens on [::]:$PORT" wait_for ns_listening "$PORT"
expect_eq "one listening socket, on [::] (or *)" 1 "$(grep -cE "(\[::\]|\*):$PORT " "$W/ss.out")"
lacks "no IPv4 socket" "0.0.0.0:$PORT" "$W/ss.out"
for fam in 4 6; do
	if [ $fam = 4 ]; then src=$V4 base=http://127.0.0.1:$PORT; else src=$V6 base=http://[::1]:$PORT; fi
	expect_eq "one socket: IPv$fam landing" 200 "$(get "$base/" --interface "$src")"
	contains "one socket: IPv$fam landing says so" "over IPv$fam" "$W/b"
	if [ $fam = 4 ]; then
		contains "one socket: the IPv4 landing says mapped" "IPv4-mapped" "$W/b"
	else
		lacks "one socket: the IPv6 landing is not mapped" "IPv4-mapped" "$W/b"
	fi
	expect_eq "one socket: IPv$fam beacon" 204 "$(get "$base/beacon" --interface "$src")"
	expect_eq "one socket: IPv$fam static file" 200 "$(get "$base/static/dualstat.css" --interface "$src")"
	check "one socket: IPv$fam static file is www/dualstat.css" cmp -s "$W/b" "$top_srcdir/www/dualstat.css"
done
expect_eq "one socket rows: IPv4 mapped with a v4-mapped server address, IPv6 not mapped" \
"4|documentation|203.0.113.0/24|1|4|page|0
4|documentation|203.0.113.0/24|1|4|beacon|0
6|documentation|2001:db8:ffff::/48|0|6|page|0
6|documentation|2001:db8:ffff::/48|0|6|beacon|0" \
    "$(sql 'SELECT family, kind, prefix, mapped, server_family, how, via_proxy FROM request WHERE id > 6 ORDER BY id')"
expect_eq "report.json over the one socket from 127.0.0.1" 200 "$(get "http://127.0.0.1:$PORT/report.json")"
contains "report.json counts mapped clients as IPv4" '"total":10,"ipv4":5,"ipv6":5,' "$W/b"
contains "report.json kinds: mapped apart" '{"family":4,"kind":"documentation","mapped":true,"requests":2}' "$W/b"
expect_eq "status.json over the one socket from 127.0.0.1" 200 "$(get "http://127.0.0.1:$PORT/status.json")"
contains "status: nginx passed the mapped addresses" \
    '"remote_addr":"::ffff:127.0.0.1","server_addr":"::ffff:127.0.0.1"' "$W/b"
expect_eq "status.json over the one socket from ::1" 200 "$(get "http://[::1]:$PORT/status.json")"
contains "status: an IPv6 viewer as itself" '"remote_addr":"::1","server_addr":"::1"' "$W/b"
stop_nginx

lacks "nginx logged no error" "[error]" "$N/error.log"
lacks "nginx logged nothing critical" "[crit]" "$N/error.log"
kill -TERM $SERVE
check "serve exits" wait_for sh -c "! kill -0 $SERVE 2>/dev/null"
expect_eq "integrity" ok "$(sql 'PRAGMA integrity_check')"
finish
