#!/bin/sh
# it_nginx_auth_request.sh: a whole static site under nginx, every request measured by
# dualstat through auth_request (conf/nginx/whole-site.conf), over IPv4 and IPv6: the
# files are served, each visit is one row with how = record; dualstat's own pages live
# under /dualstat/; with dualstat down the site is still served.
. "${top_srcdir:-.}/tests/lib.sh"
need_sqlite3
# nginx reads NGINX from its environment (sockets inherited in a binary upgrade).
NGINX_BIN=${NGINX:-nginx}
unset NGINX
need_cmd "$NGINX_BIN" nginx
need_cmd setpriv util-linux
id www-data >/dev/null 2>&1 || skip "no www-data user to run nginx's workers as"
client_addrs 32
PORT=$(free_port 32)
write_conf "static_url = /dualstat/static"
C="$top_srcdir/conf"

# The site: files of the test's own.
mkdir -p "$W/htdocs" "$RUN"
printf '<!DOCTYPE html><title>a site</title><p>the site itself\n' > "$W/htdocs/index.html"
printf 'hello from the site\n' > "$W/htdocs/hello.txt"

# dualstat serve, its socket in nginx's group (see it_nginx.sh).
SOCK=$(sock_path dualstat.sock)
setpriv --regid www-data --clear-groups \
    "$DUALSTAT" -c "$CONF" serve --user root --listen "unix:$SOCK" --workers 2 2> "$W/serve.log" &
SERVE=$!
track $SERVE
check "dualstat's socket appears" wait_for test -S "$SOCK"

N="$W/nginx"
mkdir -p "$N/tmp"
sh "$C/fill.sh" "$C/nginx/dualstat_params" > "$N/dualstat_params"
sh "$C/fill.sh" "$C/nginx/whole-site.conf.in" DOCROOT="$W/htdocs" SOCKET="$SOCK" \
    WWW="$top_srcdir/www" > "$N/site.conf"
sh "$C/fill.sh" "$C/nginx/listen.conf.in" BIND4=127.0.0.1 BIND6='[::1]' PORT="$PORT" > "$N/listen.conf"
sh "$C/fill.sh" "$C/nginx/nginx.conf.in" STATE="$N" USER=www-data GROUP=www-data \
    LISTEN="$N/listen.conf" SITE="$N/site.conf" > "$N/nginx.conf"
"$NGINX_BIN" -t -q -p "$N/" -c "$N/nginx.conf" -e "$N/error.log" || fail "nginx -t"
"$NGINX_BIN" -p "$N/" -c "$N/nginx.conf" -e "$N/error.log" &
NGINX_PID=$!
track $NGINX_PID
check "nginx listens on 127.0.0.1:$PORT and [::1]:$PORT" wait_for listening $PORT

# ---- the site's files, each request measured before it is served
for fam in 4 6; do
	if [ $fam = 4 ]; then src=$V4 base=http://127.0.0.1:$PORT; else src=$V6 base=http://[::1]:$PORT; fi
	expect_eq "IPv$fam static file" 200 "$(get "$base/hello.txt" --interface "$src")"
	check "IPv$fam static file body" cmp -s "$W/b" "$W/htdocs/hello.txt"
	lacks "IPv$fam static file is not dualstat's answer" "Content-Security-Policy" "$W/h"
	before=$(sql 'SELECT count(*) FROM request')
	expect_eq "IPv$fam index" 200 "$(get "$base/" --interface "$src")"
	expect_eq "IPv$fam index is one visit, one row" $((before + 1)) "$(sql 'SELECT count(*) FROM request')"
	contains "IPv$fam index is the site's" "the site itself" "$W/b"
	expect_eq "IPv$fam index by its name" 200 "$(get "$base/index.html" --interface "$src")"
	expect_eq "IPv$fam missing file: nginx's 404" 404 "$(get "$base/missing.txt" --interface "$src")"
	expect_eq "IPv$fam HEAD of a file" 200 "$(get "$base/hello.txt" --interface "$src" -I)"
done
expect_eq "one row per request, how = record" \
"4|documentation|203.0.113.0/24|0|4|record|0|5
6|documentation|2001:db8:ffff::/48|0|6|record|0|5" \
    "$(sql 'SELECT family, kind, prefix, mapped, server_family, how, via_proxy, count(*) FROM request
	GROUP BY family, kind, prefix, mapped, server_family, how, via_proxy ORDER BY family')"
expect_eq "the subrequest carries the visitor's Host" "127.0.0.1|5
[::1]|5" "$(sql 'SELECT host, count(*) FROM request GROUP BY host ORDER BY host')"
expect_eq "the record endpoint is internal" 404 "$(get "http://127.0.0.1:$PORT/dualstat-record" --interface "$V4")"

# ---- dualstat's own pages under /dualstat/, not measured as visits of the site
expect_eq "report.json from 127.0.0.1" 200 "$(get "http://127.0.0.1:$PORT/dualstat/report.json")"
contains "report.json counts" '"total":10,"ipv4":5,"ipv6":5,' "$W/b"
contains "report.json IPv6 prefix" '{"prefix":"2001:db8:ffff::/48","family":6,"kind":"documentation","requests":5}' "$W/b"
expect_eq "report from [::1]" 200 "$(get "http://[::1]:$PORT/dualstat/report")"
contains "the report links its stylesheet under /dualstat/static" 'href="/dualstat/static/dualstat.css"' "$W/b"
expect_eq "the stylesheet is served there" 200 "$(get "http://[::1]:$PORT/dualstat/static/dualstat.css")"
check "stylesheet is www/dualstat.css" cmp -s "$W/b" "$top_srcdir/www/dualstat.css"
expect_eq "report from a visitor" 403 "$(get "http://[::1]:$PORT/dualstat/report" --interface "$V6")"
unchecked_user_refused "visitor" "http://[::1]:$PORT/dualstat" --interface "$V6"
expect_eq "dualstat's landing page under /dualstat/" 200 "$(get "http://[::1]:$PORT/dualstat/" --interface "$V6")"
contains "landing says IPv6" "over IPv6" "$W/b"
expect_eq "rows now" "record|10
page|1" "$(sql 'SELECT how, count(*) FROM request GROUP BY how ORDER BY how DESC')"

# ---- dualstat down: the site is still served, unmeasured
lacks "nginx logged nothing critical while dualstat ran" "[crit]" "$N/error.log"
kill -TERM $SERVE
check "serve exits" wait_for sh -c "! kill -0 $SERVE 2>/dev/null"
expect_eq "with dualstat down the file is still served" 200 "$(get "http://127.0.0.1:$PORT/hello.txt" --interface "$V4")"
check "and it is the file" cmp -s "$W/b" "$W/htdocs/hello.txt"
expect_eq "nothing recorded meanwhile" 11 "$(sql 'SELECT count(*) FROM request')"
contains "nginx says why it went around" "auth request unexpected status: 502" "$N/error.log"

kill -TERM $NGINX_PID
check "nginx stops" wait_for sh -c "! kill -0 $NGINX_PID 2>/dev/null"
expect_eq "integrity" ok "$(sql 'PRAGMA integrity_check')"
finish
