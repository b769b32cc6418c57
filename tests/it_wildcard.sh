#!/bin/sh
# it_wildcard.sh: the production listening setup, the wildcards 0.0.0.0 and [::], with the
# bundled configurations: lighttpd.conf (server.v4mapped = "disable" on the [::] socket),
# nginx's listen.conf (nginx opens [::] with ipv6only=on) and Apache's httpd.conf.  lighttpd
# and nginx keep two sockets, so an IPv4 client is recorded as IPv4, not mapped.  Debian's
# Apache keeps only the [::] socket, with IPV6_V6ONLY off, but APR writes a v4-mapped
# address as plain IPv4 (apr_sockaddr_ip_getbuf drops "::ffff:"), so there too REMOTE_ADDR
# is 203.0.113.N and the client is recorded as IPv4, not mapped.  Wildcards listen on every
# address of the host: the servers and their clients run in a network namespace of their
# own (tests/netns.sh), never outside it.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/netns.sh"
. "$top_srcdir/tests/apache.sh"
need_sqlite3
need_cmd "${CURL:=curl}" curl
[ "$(id -u)" -eq 0 ] || skip "a network namespace needs root"
need_cmd ip iproute2
PORT=$(free_port 14)
netns_up 14 || skip "no network namespace (ip netns add): wildcard sockets are bound in one only"
P4=203.0.113.0/24
P6=2001:db8:ffff::/48
RAN=""

# missing PART REASON: a server this machine lacks; its part is left out, and said so
# (a failure under CI, where nothing may be left out).
missing() {
	echo "# $1 left out: $2"
	[ "${CI:-}" != true ] || fail "$1 left out under CI: $2"
}

# use_db NAME: a configuration and database of their own for one server's part.
use_db() {
	CONF="$W/$1.conf"
	DB="$W/db-$1/dualstat.db"
	mkdir -p "$W/db-$1"
	write_conf
}

# up NAME N LOG...: the server listens on PORT with N sockets, else a failure that shows
# its logs and ends its part (a nonzero status).
up() {
	_n=$1
	_sockets=$2
	shift 2
	wait_for ns_listening "$PORT" "$_sockets" && return 0
	fail "$_n did not listen on port $PORT"
	tail -n 5 "$@" 2>/dev/null || true
	return 1
}

# two_sockets NAME: the server holds exactly 0.0.0.0:PORT and [::]:PORT (ss shows an IPv6
# socket that also takes IPv4 as *:PORT, and [::]:PORT only with IPV6_V6ONLY on).
two_sockets() {
	expect_eq "$1: two sockets, 0.0.0.0 and [::]" "0.0.0.0:$PORT [::]:$PORT" \
	    "$(awk '{ print $4 }' "$W/ss.out" | sort | tr '\n' ' ' | sed 's/ $//')"
}

# visit NAME: the landing page and beacon from V4 and V6, to loopback and to an address
# of the namespace that is not loopback (the client's own: only a wildcard socket takes it).
visit() {
	for fam in 4 6; do
		if [ $fam = 4 ]; then src=$V4 dst=127.0.0.1 own=$V4; else src=$V6 dst=[::1] own=[$V6]; fi
		expect_eq "$1: IPv$fam landing" 200 "$(get "http://$dst:$PORT/" --interface "$src")"
		contains "$1: IPv$fam landing says so" "over IPv$fam" "$W/b"
		expect_eq "$1: IPv$fam beacon.gif" 200 "$(get "http://$dst:$PORT/beacon.gif" --interface "$src")"
		expect_eq "$1: IPv$fam beacon to $own" 204 "$(get "http://$own:$PORT/beacon" --interface "$src")"
	done
}

# rows MAPPED: the six rows visit leaves, the IPv4 ones with mapped = MAPPED.
rows() {
	printf '%s\n' "4|documentation|$P4|4|page|$1|0" "4|documentation|$P4|4|beacon|$1|0" \
	    "4|documentation|$P4|4|beacon|$1|0" "6|documentation|$P6|6|page|0|0" \
	    "6|documentation|$P6|6|beacon|0|0" "6|documentation|$P6|6|beacon|0|0"
}
ROWS='SELECT family, kind, prefix, server_family, how, mapped, via_proxy FROM request ORDER BY id'

# ---- lighttpd: lighttpd.conf.in as production fills it
lighttpd_part() {
	use_db lighttpd
	S="$W/lighttpd"
	mkdir -p "$S/htdocs" "$RUN/lighttpd"
	chmod 0700 "$RUN/lighttpd"
	_lsock=$(sock_path lighttpd/dualstat.sock-0)
	sh "$top_srcdir/conf/fill.sh" "$top_srcdir/conf/lighttpd/dualstat.conf.in" \
	    DUALSTAT="$DUALSTAT" DUALSTAT_CONF="$CONF" RUNDIR="$RUN/lighttpd" \
	    WWW="$top_srcdir/www" > "$S/site.conf"
	sh "$top_srcdir/conf/fill.sh" "$top_srcdir/conf/lighttpd/lighttpd.conf.in" \
	    PORT="$PORT" BIND4=0.0.0.0 BIND6='[::]' STATE="$S" SITE="$S/site.conf" > "$S/lighttpd.conf"
	check "lighttpd accepts the configuration with wildcards" "$LIGHTTPD" -tt -f "$S/lighttpd.conf"
	$IN "$LIGHTTPD" -D -f "$S/lighttpd.conf" > "$S/lighttpd.out" 2>&1 &
	_lpid=$!
	track $_lpid
	up lighttpd 2 "$S/lighttpd.out" "$S/error.log" || return 0
	two_sockets lighttpd
	check "lighttpd started dualstat" wait_for test -S "$_lsock"
	for k in $(ps -o pid= --ppid $_lpid || true); do track "$k"; done
	visit lighttpd
	expect_eq "lighttpd rows: IPv4 from the IPv4 socket, not mapped" "$(rows 0)" "$(sql "$ROWS")"
	expect_eq "lighttpd: status.json from 127.0.0.1" 200 "$(get "http://127.0.0.1:$PORT/status.json")"
	contains "lighttpd: the IPv4 viewer as lighttpd passed it" \
	    '"remote_addr":"127.0.0.1","server_addr":"127.0.0.1"' "$W/b"
	kill $_lpid
	check "lighttpd stops" wait_for sh -c "! kill -0 $_lpid 2>/dev/null"
	RAN="$RAN lighttpd"
}

# ---- nginx: listen.conf.in with its "plain listen 80;" values, before `dualstat serve`
nginx_part() {
	use_db nginx
	N="$W/nginx"
	mkdir -p "$N/tmp" "$RUN/nginx"
	_sock=$(sock_path nginx/dualstat.sock)
	setpriv --regid www-data --clear-groups \
	    "$DUALSTAT" -c "$CONF" serve --user root --listen "unix:$_sock" --workers 1 2> "$N/serve.log" &
	_serve=$!
	track $_serve
	check "nginx: dualstat's socket appears" wait_for test -S "$_sock"
	sh "$top_srcdir/conf/fill.sh" "$top_srcdir/conf/nginx/dualstat_params" > "$N/dualstat_params"
	sh "$top_srcdir/conf/fill.sh" "$top_srcdir/conf/nginx/dualstat.conf.in" SOCKET="$_sock" \
	    WWW="$top_srcdir/www" > "$N/site.conf"
	sh "$top_srcdir/conf/fill.sh" "$top_srcdir/conf/nginx/listen.conf.in" \
	    BIND4=0.0.0.0 BIND6='[::]' PORT="$PORT" > "$N/listen.conf"
	sh "$top_srcdir/conf/fill.sh" "$top_srcdir/conf/nginx/nginx.conf.in" STATE="$N" \
	    USER=www-data GROUP=www-data LISTEN="$N/listen.conf" SITE="$N/site.conf" > "$N/nginx.conf"
	$IN "$NGINX_BIN" -p "$N/" -c "$N/nginx.conf" -e "$N/error.log" &
	_npid=$!
	track $_npid
	up nginx 2 "$N/error.log" || return 0
	two_sockets nginx
	visit nginx
	expect_eq "nginx rows: IPv4 from the IPv4 socket, not mapped" "$(rows 0)" "$(sql "$ROWS")"
	expect_eq "nginx: status.json from 127.0.0.1" 200 "$(get "http://127.0.0.1:$PORT/status.json")"
	contains "nginx: the IPv4 viewer as nginx passed it" \
	    '"remote_addr":"127.0.0.1","server_addr":"127.0.0.1"' "$W/b"
	kill $_npid
	check "nginx stops" wait_for sh -c "! kill -0 $_npid 2>/dev/null"
	lacks "nginx logged no error" "[error]" "$N/error.log"
	kill $_serve
	check "serve stops" wait_for sh -c "! kill -0 $_serve 2>/dev/null"
	RAN="$RAN nginx"
}

# ---- Apache: httpd.conf.in's two Listen lines on the wildcards, dualstat under mod_fcgid
apache_part() {
	use_db apache
	chown -R www-data:www-data "$W/db-apache"
	_arun=$(sock_dir apache "$FCGID_SOCK")
	fill conf/apache/dualstat-fcgid.conf.in "$W/apache-site.conf" DUALSTAT="$DUALSTAT" \
	    DUALSTAT_CONF="$CONF" RUNDIR="$_arun" WWW="$top_srcdir/www"
	APACHE_BIND4=0.0.0.0 APACHE_BIND6='[::]' APACHE_READY=ns_listening
	apache_start "$W/apache-site.conf"
	up Apache 1 "$W/apache/error.log" || return 0
	# Debian's apache2 is built with v4-mapped addresses enabled (apache2 -V): it
	# drops the 0.0.0.0 socket and clears IPV6_V6ONLY on the [::] one.
	expect_eq "Apache: one socket that takes both families" "*:$PORT" \
	    "$(awk '{ print $4 }' "$W/ss.out" | sort | tr '\n' ' ' | sed 's/ $//')"
	visit Apache
	expect_eq "Apache rows: IPv4 through the [::] socket, unmapped by APR" "$(rows 0)" "$(sql "$ROWS")"
	expect_eq "Apache: status.json from 127.0.0.1" 200 "$(get "http://127.0.0.1:$PORT/status.json")"
	contains "Apache: the IPv4 viewer as Apache passed it" \
	    '"remote_addr":"127.0.0.1","server_addr":"127.0.0.1"' "$W/b"
	apache_stop
	RAN="$RAN Apache"
}

LIGHTTPD=${LIGHTTPD:-lighttpd}
if command -v "$LIGHTTPD" >/dev/null 2>&1; then lighttpd_part
else missing lighttpd "$LIGHTTPD not found (Debian package lighttpd)"; fi

# nginx reads NGINX from its environment (sockets inherited in a binary upgrade):
# keep the path under another name and never pass it on.
NGINX_BIN=${NGINX:-nginx}
unset NGINX
if ! command -v "$NGINX_BIN" >/dev/null 2>&1; then missing nginx "$NGINX_BIN not found (Debian package nginx)"
elif ! command -v setpriv >/dev/null 2>&1; then missing nginx "setpriv not found (Debian package util-linux)"
elif ! id www-data >/dev/null 2>&1; then missing nginx "no www-data user"
else nginx_part; fi

# need_apache skips; in a subshell that only says whether Apache's part can run.
if (need_apache fcgid) > "$W/need-apache.out" 2>&1; then
	need_apache fcgid
	apache_part
else
	missing Apache "$(cat "$W/need-apache.out")"
fi

[ -n "$RAN" ] || skip "none of lighttpd, nginx, Apache found"
echo "# ran:$RAN"
finish
