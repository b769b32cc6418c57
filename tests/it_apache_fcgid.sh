#!/bin/sh
# it_apache_fcgid.sh: the real Apache with mod_fcgid and the bundled conf/apache files,
# dual-stack on 127.0.0.1 and [::1]: dualstat at the site root (dualstat-fcgid.conf), then a
# whole site measured through the FastCGI Authorizer role (whole-site-fcgid.conf), over IPv4
# and IPv6 from documentation addresses; exact rows and report.json counts; and that site
# still served when dualstat fails (FcgidAccessCheckerAuthoritative Off).
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/apache.sh"
need_apache fcgid
client_addrs 21
PORT=$(free_port 21)
# Where the client addresses land: /24 and /48 (2001:db8:ffff:21::1 -> 2001:db8:ffff::/48).
P4=203.0.113.0/24
P6=2001:db8:ffff::/48
URL4=http://127.0.0.1:$PORT
URL6=http://[::1]:$PORT

write_conf
www_owns "$W/db"
mkdir -p "$RUN"
sock_fits "$RUN/$FCGID_SOCK"
check "www-data can read the configuration" as_www test -r "$CONF"

# ---- 1. dualstat at the site root under mod_fcgid
fill conf/apache/dualstat-fcgid.conf.in "$W/site.conf" DUALSTAT="$DUALSTAT" \
    DUALSTAT_CONF="$CONF" RUNDIR="$RUN" WWW="$top_srcdir/www"
apache_start "$W/site.conf"

dual_stack_smoke "$URL4" "$URL6" /static/dualstat.css
expect_eq "IPv4 landing again" 200 "$(get "$URL4/" --interface "$V4")"
contains "links are below the site root (SCRIPT_NAME empty)" 'href="/report"' "$W/b"
expect_eq "report from a visitor's address" 403 "$(get "$URL4/report.json" --interface "$V4")"
# Apache's REMOTE_USER is the user its own authentication found (none here); mod_fcgid
# does not turn the client's Authorization header into anything dualstat reads.
unchecked_user_refused "IPv4 visitor" "$URL4" --interface "$V4"
unchecked_user_refused "IPv6 visitor" "$URL6" --interface "$V6"

expect_eq "rows: family, kind, prefix, server family, how, mapped, via_proxy" \
"4|documentation|$P4|4|page|0|0
4|documentation|$P4|4|beacon|0|0
4|documentation|$P4|4|beacon|0|0
6|documentation|$P6|6|page|0|0
6|documentation|$P6|6|beacon|0|0
6|documentation|$P6|6|beacon|0|0
4|documentation|$P4|4|page|0|0" \
    "$(sql 'SELECT family, kind, prefix, server_family, how, mapped, via_proxy FROM request ORDER BY id')"
expect_eq "the Host header is kept, without its port" "127.0.0.1" "$(sql 'SELECT host FROM request WHERE id = 1')"

expect_eq "report.json as owner from 127.0.0.1" 200 "$(get "$URL4/report.json?days=1")"
contains "report.json type" "Content-Type: application/json; charset=utf-8" "$W/h"
json_has "report.json counts" '"total":7,"ipv4":4,"ipv6":3'
json_has "report.json prefixes" '"unique_prefixes":{"ipv4":1,"ipv6":1}'
expect_eq "report.json as owner from ::1" 200 "$(get "$URL6/report.json")"
json_has "report.json counts over IPv6" '"total":7,"ipv4":4,"ipv6":3'
expect_eq "status.json as owner" 200 "$(get "$URL6/status.json")"
json_has "mod_fcgid spawned dualstat in FastCGI mode" '"mode":"fastcgi"'
expect_eq "owner pages are not recorded" 7 "$(sql 'SELECT count(*) FROM request')"

# Everything mod_fcgid started goes away with Apache.
spawned=$(descendants "$APACHE_PID")
expect_eq "mod_fcgid runs dualstat below Apache" yes \
    "$(for p in $spawned; do ps -o comm= -p "$p"; done | grep -qx dualstat && echo yes)"
apache_stop
check "Apache and the dualstat it spawned stopped" wait_for none_running $APACHE_PID $spawned

# ---- 2. the whole site through FcgidAccessChecker (FastCGI Authorizer role)
printf 'hello from the site\n' > "$W/apache/htdocs/hello.txt"
printf '<!DOCTYPE html><title>home</title><p>home page\n' > "$W/apache/htdocs/index.html"
write_conf "static_url = /dualstat/static"
fill conf/apache/whole-site-fcgid.conf.in "$W/whole.conf" DUALSTAT="$DUALSTAT" \
    DUALSTAT_CONF="$CONF" RUNDIR="$RUN" WWW="$top_srcdir/www"
apache_start "$W/whole.conf"

expect_eq "IPv4 static file" 200 "$(get "$URL4/hello.txt" --interface "$V4")"
contains "IPv4 static file served by Apache" "hello from the site" "$W/b"
contains "static file keeps its own type" "Content-Type: text/plain" "$W/h"
lacks "static file gets no dualstat CSP" "Content-Security-Policy" "$W/h"
lacks "static file keeps its cacheability" "no-store" "$W/h"
expect_eq "IPv6 static file" 200 "$(get "$URL6/hello.txt" --interface "$V6")"
contains "IPv6 static file served by Apache" "hello from the site" "$W/b"
expect_eq "IPv6 home page (DirectoryIndex)" 200 "$(get "$URL6/" --interface "$V6")"
contains "home page is the site's" "home page" "$W/b"
expect_eq "missing file stays a 404" 404 "$(get "$URL4/missing.txt" --interface "$V4")"

expect_eq "authorizer rows: one per request, both families" \
"4|documentation|$P4|4|authorizer|0|0
6|documentation|$P6|6|authorizer|0|0
6|documentation|$P6|6|authorizer|0|0
4|documentation|$P4|4|authorizer|0|0" \
    "$(sql "SELECT family, kind, prefix, server_family, how, mapped, via_proxy FROM request WHERE how = 'authorizer' ORDER BY id")"

# The owner's pages live at /dualstat/ next to the measured site.
expect_eq "landing at /dualstat/" 200 "$(get "$URL4/dualstat/" --interface "$V4")"
contains "its links are below /dualstat" 'href="/dualstat/report"' "$W/b"
contains "its stylesheet is below /dualstat" 'href="/dualstat/static/dualstat.css"' "$W/b"
expect_eq "stylesheet at /dualstat/static/" 200 "$(get "$URL4/dualstat/static/dualstat.css")"
expect_eq "/dualstat/ recorded as a page, not twice" 1 \
    "$(sql "SELECT count(*) FROM request WHERE id > 7 AND how = 'page'")"
expect_eq "report.json at /dualstat/ as owner" 200 "$(get "$URL4/dualstat/report.json?days=1")"
json_has "report.json counts the whole site" '"total":12,"ipv4":7,"ipv6":5'
apache_stop

# ---- 3. fail-open: the access checker cannot answer, the site stays up
# FcgidAccessCheckerAuthoritative Off lets a request through when the access
# checker fails.  The bundled file, filled with a "dualstat" that exits at once
# (mod_fcgid gets no answer: "End of script output before headers").
printf '#!/bin/sh\n# dualstat that fails before answering anything\nexit 1\n' > "$W/broken-dualstat"
chmod 0755 "$W/broken-dualstat"
fill conf/apache/whole-site-fcgid.conf.in "$W/broken.conf" DUALSTAT="$W/broken-dualstat" \
    DUALSTAT_CONF="$CONF" RUNDIR="$RUN" WWW="$top_srcdir/www"
# mod_fcgid throttles respawning a checker that keeps dying (its spawn score): a later
# request can wait 10 s and more for a process slot before it is let through, so these
# requests may take up to a minute (the last --max-time wins).
apache_start "$W/broken.conf"
expect_eq "checker failing: IPv4 static file still served" 200 \
    "$(get "$URL4/hello.txt" --interface "$V4" --max-time 60)"
contains "checker failing: the site's file" "hello from the site" "$W/b"
expect_eq "checker failing: IPv6 static file still served" 200 \
    "$(get "$URL6/hello.txt" --interface "$V6" --max-time 60)"
contains "checker failing: the site's file over IPv6" "hello from the site" "$W/b"
expect_eq "checker failing: home page still served" 200 \
    "$(get "$URL6/" --interface "$V6" --max-time 60)"
contains "checker failing: the home page" "home page" "$W/b"
# The checker did run and fail: the 200s are Authoritative Off at work, not a skipped check.
contains "mod_fcgid says the access check failed" "Access check to access /hello.txt failed" \
    "$W/apache/error.log"
expect_eq "checker failing: nothing recorded" 12 "$(sql 'SELECT count(*) FROM request')"
apache_stop

finish
