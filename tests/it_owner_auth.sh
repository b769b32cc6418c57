#!/bin/sh
# it_owner_auth.sh: the bundled owner-auth.conf of nginx, lighttpd and Apache, each included
# next to the bundled site: from visitor addresses (not in admin_allow), every owner page asks
# for the password (401 without one, with a wrong one, for a user the file does not know, with
# an encoded path) and shows itself for the right one (200: the server checked the password
# and passed REMOTE_USER); the public pages need none.  nginx with dualstat.conf (pages at
# the root) and whole-site.conf (below /dualstat), lighttpd with dualstat.conf, Apache with
# dualstat-fcgid.conf.  lighttpd and Apache need the file on one side of the site file (each
# says which); on the wrong side it does nothing, and the pages stay closed to visitors
# (403 even with the right password), never open.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/apache.sh"
need_sqlite3
# nginx reads NGINX from its environment (sockets inherited in a binary upgrade).
NGINX_BIN=${NGINX:-nginx}
unset NGINX
need_cmd "$NGINX_BIN" nginx
need_cmd "${LIGHTTPD:=lighttpd}" lighttpd
need_cmd perl perl-base
need_apache fcgid auth_basic authn_core authn_file authz_user
client_addrs 37
C="$top_srcdir/conf"

# The password file, as `openssl passwd -6` or `htpasswd -5` would write it: glibc's
# SHA-512 crypt, which nginx, lighttpd and Apache all check with crypt(3).
PASSWORD="correct horse"
HTPASSWD="$W/htpasswd"
perl -e 'print "owner:", crypt($ARGV[0], q($6$dualstat.test$)), "\n"' "$PASSWORD" > "$HTPASSWD"
check "the password file holds a SHA-512 crypt hash" grep -q '^owner:\$6\$' "$HTPASSWD"
chmod 0644 "$HTPASSWD"

# site_dir NAME: an empty folder for the files a server includes (include DIR/*.conf), in
# the order their names sort in.
site_dir() {
	rm -rf "${W:?}/$1"
	mkdir -p "$W/$1"
	echo "$W/$1"
}

# password_pages WHAT BASE CURL_ARGS...: every owner page below BASE asks a client chosen by
# CURL_ARGS for the password and opens with the right one.  (lighttpd answers each wrong
# password a second late, on purpose: two of them per call are enough.)
password_pages() {
	_what=$1 _base=$2
	shift 2
	for _p in $OWNER_PAGES; do
		expect_eq "$_what: $_p without a password" 401 "$(get "$_base$_p" "$@")"
		contains "$_what: $_p asks for it" 'WWW-Authenticate: Basic realm="dualstat"' "$W/h"
		expect_eq "$_what: $_p with the right password" 200 \
		    "$(get "$_base$_p" -u "owner:$PASSWORD" "$@")"
		contains "$_what: $_p is dualstat's page" "Content-Security-Policy: default-src 'none'" "$W/h"
	done
	expect_eq "$_what: a wrong password" 401 "$(get "$_base/report.json" -u owner:wrong "$@")"
	expect_eq "$_what: a user the file does not know" 401 \
	    "$(get "$_base/status.json" -u "nobody:$PASSWORD" "$@")"
	expect_eq "$_what: an encoded path asks too" 401 "$(get "$_base/%72eport.json" "$@")"
	expect_eq "$_what: a query string asks too" 401 "$(get "$_base/report.csv?days=7" "$@")"
	expect_eq "$_what: the landing page needs no password" 200 "$(get "$_base/" "$@")"
	lacks "$_what: and asks for none" "WWW-Authenticate" "$W/h"
	# The last page dualstat answered: its status, seen by the owner it let in.
	get "$_base/status.json" -u "owner:$PASSWORD" "$@" > /dev/null
}

# closed_pages WHAT BASE CURL_ARGS...: no password is asked, and the right one opens nothing.
closed_pages() {
	_what=$1 _base=$2
	shift 2
	for _p in $OWNER_PAGES; do
		expect_eq "$_what: $_p stays closed, even with the right password" 403 \
		    "$(get "$_base$_p" -u "owner:$PASSWORD" "$@")"
	done
}

# ---- nginx in front of dualstat serve (as it_nginx.sh runs them)
mkdir -p "$W/db-nginx"
DB="$W/db-nginx/dualstat.db" CONF="$W/nginx-dualstat.conf"
write_conf
SOCK=$(sock_path dualstat.sock)
setpriv --regid www-data --clear-groups \
    "$DUALSTAT" -c "$CONF" serve --user root --listen "unix:$SOCK" --workers 2 2> "$W/serve.log" &
SERVE=$!
track $SERVE
check "dualstat's socket appears" wait_for test -S "$SOCK"
PORT=$(free_port 37)
N="$W/nginx"
mkdir -p "$N/tmp"
sh "$C/fill.sh" "$C/nginx/dualstat_params" > "$N/dualstat_params"
sh "$C/fill.sh" "$C/nginx/listen.conf.in" BIND4=127.0.0.1 BIND6='[::1]' PORT="$PORT" > "$N/listen.conf"
# nginx_with SITE_TEMPLATE PREFIX [NAME=VALUE...]: nginx with the site and owner-auth.conf.
nginx_with() {
	_t=$1 _prefix=$2
	shift 2
	_d=$(site_dir nginx-sites)
	sh "$C/fill.sh" "$C/nginx/$_t" SOCKET="$SOCK" WWW="$top_srcdir/www" "$@" > "$_d/1-site.conf"
	sh "$C/fill.sh" "$C/nginx/owner-auth.conf.in" PREFIX="$_prefix" HTPASSWD="$HTPASSWD" \
	    SOCKET="$SOCK" > "$_d/2-owner-auth.conf"
	sh "$C/fill.sh" "$C/nginx/nginx.conf.in" STATE="$N" USER=www-data GROUP=www-data \
	    LISTEN="$N/listen.conf" SITE="$_d/*.conf" > "$N/nginx.conf"
	"$NGINX_BIN" -t -q -p "$N/" -c "$N/nginx.conf" -e "$N/error.log" || fail "nginx -t: $_t"
	"$NGINX_BIN" -p "$N/" -c "$N/nginx.conf" -e "$N/error.log" &
	NPID=$!
	track $NPID
	check "nginx listens on 127.0.0.1:$PORT and [::1]:$PORT" wait_for listening "$PORT"
}
nginx_stop() {
	kill -TERM $NPID
	check "nginx stops" wait_for sh -c "! kill -0 $NPID 2>/dev/null"
}

nginx_with dualstat.conf.in ""
password_pages "nginx, IPv4" "http://127.0.0.1:$PORT" --interface "$V4"
password_pages "nginx, IPv6" "http://[::1]:$PORT" --interface "$V6"
contains "nginx: the status page is the owner's" '"mode":"serve"' "$W/b"
nginx_stop

mkdir -p "$W/htdocs"
printf 'the site\n' > "$W/htdocs/index.html"
nginx_with whole-site.conf.in /dualstat DOCROOT="$W/htdocs"
password_pages "nginx whole site" "http://[::1]:$PORT/dualstat" --interface "$V6"
expect_eq "nginx whole site: the site's own pages need no password" 200 \
    "$(get "http://[::1]:$PORT/" --interface "$V6")"
nginx_stop
lacks "nginx logged nothing critical" "[crit]" "$N/error.log"
kill -TERM $SERVE
check "serve exits" wait_for sh -c "! kill -0 $SERVE 2>/dev/null"

# ---- lighttpd, spawning dualstat itself (as it_lighttpd.sh runs it)
mkdir -p "$W/db-lighttpd"
DB="$W/db-lighttpd/dualstat.db" CONF="$W/lighttpd-dualstat.conf"
write_conf
PORT=$(free_port 38)
S="$W/lighttpd"
mkdir -p "$S/htdocs"
LSOCK=$(sock_path dualstat.sock-0)
# lighttpd_with AUTH_NAME: lighttpd with the site as 1-site.conf and owner-auth.conf as
# AUTH_NAME: 0-owner-auth.conf comes first, as the file asks, 2-owner-auth.conf after.
lighttpd_with() {
	_d=$(site_dir lighttpd-sites)
	sh "$C/fill.sh" "$C/lighttpd/dualstat.conf.in" DUALSTAT="$DUALSTAT" DUALSTAT_CONF="$CONF" \
	    RUNDIR="$RUN" WWW="$top_srcdir/www" > "$_d/1-site.conf"
	sh "$C/fill.sh" "$C/lighttpd/owner-auth.conf.in" PREFIX="" HTPASSWD="$HTPASSWD" > "$_d/$1"
	sh "$C/fill.sh" "$C/lighttpd/lighttpd.conf.in" PORT="$PORT" BIND4=127.0.0.1 BIND6='[::1]' \
	    STATE="$S" SITE="$_d/*.conf" > "$S/lighttpd.conf"
	check "lighttpd accepts the site with owner-auth.conf" "$LIGHTTPD" -tt -f "$S/lighttpd.conf"
	"$LIGHTTPD" -D -f "$S/lighttpd.conf" > "$S/lighttpd.out" 2>&1 &
	LPID=$!
	track $LPID
	check "lighttpd listens on 127.0.0.1:$PORT and [::1]:$PORT" wait_for listening "$PORT"
	check "lighttpd spawned dualstat" wait_for test -S "$LSOCK"
	for k in $(ps -o pid= --ppid $LPID); do track "$k"; done
}
lighttpd_stop() {
	kill $LPID
	check "lighttpd stops" wait_for sh -c "! kill -0 $LPID 2>/dev/null"
	check "and its dualstat" wait_for sh -c "! test -e '$LSOCK'"
}

lighttpd_with 0-owner-auth.conf
password_pages "lighttpd, IPv4" "http://127.0.0.1:$PORT" --interface "$V4"
password_pages "lighttpd, IPv6" "http://[::1]:$PORT" --interface "$V6"
contains "lighttpd: the status page is the owner's" '"mode":"fastcgi"' "$W/b"
lighttpd_stop
lighttpd_with 2-owner-auth.conf
closed_pages "lighttpd, owner-auth.conf after the site" "http://[::1]:$PORT" --interface "$V6"
lighttpd_stop

# ---- Apache, dualstat under mod_fcgid (as it_apache_fcgid.sh runs it)
DB="$W/db-apache/dualstat.db" CONF="$W/apache-dualstat.conf"
write_conf
www_owns "$W/db-apache"
PORT=$(free_port 39)
FCGID_RUN=$(sock_dir apache "$FCGID_SOCK")
# apache_with AUTH_NAME: Apache with the site as 1-site.conf and owner-auth.conf as
# AUTH_NAME: 2-owner-auth.conf comes after the site, as the file asks, 0-owner-auth.conf first.
apache_with() {
	_d=$(site_dir apache-sites)
	fill conf/apache/dualstat-fcgid.conf.in "$_d/1-site.conf" DUALSTAT="$DUALSTAT" \
	    DUALSTAT_CONF="$CONF" RUNDIR="$FCGID_RUN" WWW="$top_srcdir/www"
	fill conf/apache/owner-auth.conf.in "$_d/$1" PREFIX="" HTPASSWD="$HTPASSWD"
	apache_start "$_d/*.conf"
}
apache_with 2-owner-auth.conf
password_pages "Apache, IPv4" "http://127.0.0.1:$PORT" --interface "$V4"
password_pages "Apache, IPv6" "http://[::1]:$PORT" --interface "$V6"
contains "Apache: the status page is the owner's" '"mode":"fastcgi"' "$W/b"
apache_stop
apache_with 0-owner-auth.conf
closed_pages "Apache, owner-auth.conf before the site" "http://[::1]:$PORT" --interface "$V6"
apache_stop

finish
