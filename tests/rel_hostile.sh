#!/bin/sh
# rel_hostile.sh: hostile input through nginx and straight to `dualstat serve` over FastCGI
# (cgi-fcgi, and tests/rel_fcgi.pl for what no environment can carry): oversized and
# malformed Host, PATH_INFO, QUERY_STRING, REQUEST_METHOD, REMOTE_ADDR and SERVER_ADDR,
# X-Forwarded-For with 10,000 hops (walked: the hops are trusted), a 1 MiB header, markup in
# every field that is reflected anywhere (the site name and static URL from the
# configuration, SCRIPT_NAME, Host in the report, query values in the 400 page, PATH_INFO,
# the viewer's addresses on /status).  Each answer has its exact status, markup comes out
# escaped, and the same workers are still serving at the end.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/rel_lib.sh"
need_sqlite3
need_nginx
[ -n "${CGI_FCGI:-}" ] && [ -x "$CGI_FCGI" ] || CGI_FCGI=$(command -v cgi-fcgi || true)
[ -n "$CGI_FCGI" ] || skip "cgi-fcgi not found (Debian package libfcgi-bin)"
need_cmd perl perl-base
client_addrs 45
PORT=$(free_port 45)
XSS='<script>alert(1)</script>'
# Markup in both settings that pages reflect: text (site_name) and an attribute (static_url).
cat > "$CONF" <<CONF
database = $DB
site_name = <script>alert("site")</script>'
static_url = /st"><script>alert(2)</script>
trusted_proxies = 10.0.0.0/8
CONF
serve_start 2
nginx_start "$PORT"
workers | sort > "$W/workers.before"
U4=http://127.0.0.1:$PORT
U6=http://[::1]:$PORT

# safe WHAT FILE: no markup of ours survived unescaped.
safe() {
	if grep -qi -e '<script' -e '<img' "$2"; then
		fail "$1: raw markup in the answer"
		grep -i -e '<script' -e '<img' "$2" | head -n 3
	else
		ok
	fi
}
# fcgi PATH REMOTE_ADDR [VAR=VALUE...]: one request through cgi-fcgi; answer in $W/out.
fcgi() {
	_p=$1 _a=$2
	shift 2
	env -i PATH="$PATH" REQUEST_METHOD=GET SCRIPT_NAME= PATH_INFO="$_p" QUERY_STRING= \
	    SERVER_ADDR=::1 HTTP_HOST=hostile.test REMOTE_ADDR="$_a" "$@" \
	    timeout 20 "$CGI_FCGI" -bind -connect "$SOCK" < /dev/null > "$W/out" 2> "$W/fcgi.err"
}
# big PATH REMOTE_ADDR [NAME=VALUE | NAME*COUNT=TEXT | NAME%=TEXT ...]: the same through
# rel_fcgi.pl.  PATH or REMOTE_ADDR "-": not sent (the caller sends its own).
big() {
	_p=$1 _a=$2
	shift 2
	[ "$_p" = - ] && set -- "$@" || set -- PATH_INFO="$_p" "$@"
	[ "$_a" = - ] && set -- "$@" || set -- REMOTE_ADDR="$_a" "$@"
	timeout 20 perl "$top_srcdir/tests/rel_fcgi.pl" "$SOCK" REQUEST_METHOD=GET \
	    SCRIPT_NAME= SERVER_ADDR=::1 "$@" \
	    > "$W/out" 2> "$W/fcgi.err" || fail "rel_fcgi.pl $_p: no complete answer"
}
rows() {
	sql 'SELECT count(*) FROM request'
}

# ---- the configuration's markup, on every HTML page
expect_eq "landing page" 200 "$(get "$U6/" --interface "$V6")"
safe "landing page" "$W/b"
contains "site_name escaped as text" '&lt;script&gt;alert(&quot;site&quot;)&lt;/script&gt;&#39;' "$W/b"
contains "static_url escaped in its attribute" 'href="/st&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;/dualstat.css"' "$W/b"
expect_eq "report" 200 "$(get "$U4/report")"
safe "report" "$W/b"
contains "report: site_name escaped" '&lt;script&gt;alert(&quot;site&quot;)' "$W/b"
contains "report: static_url escaped" 'href="/st&quot;&gt;&lt;script&gt;alert(2)' "$W/b"
for p in /status /nope; do
	case $p in /nope) want=404 ;; *) want=200 ;; esac
	expect_eq "$p" $want "$(get "$U4$p")"
	safe "$p" "$W/b"
	contains "$p: static_url escaped" 'href="/st&quot;&gt;&lt;script&gt;alert(2)' "$W/b"
done
expect_eq "a visitor's 403" 403 "$(get "$U4/report" --interface "$V4")"
safe "403 page" "$W/b"

# ---- through nginx: Host, path and query with markup; what nginx itself refuses
# nginx refuses a Host with markup itself; quotes and ampersands it passes on.
expect_eq "nginx refuses a Host with markup: 400" 400 \
    "$(get "$U6/" --interface "$V6" -H "Host: $XSS.test")"
safe "nginx's 400" "$W/b"
expect_eq "nginx: Host with quotes and ampersand" 200 \
    "$(get "$U6/" --interface "$V6" -H "Host: q\"uote'&amp.test")"
fcgi / 192.0.2.40 HTTP_HOST="$XSS.test"
expect_eq "FastCGI: Host with markup" 200 "$(status_of)"
safe "FastCGI: Host with markup" "$W/out"
# Recorded as sent, or (host.h) as "" since neither is a host name: either is safe, and
# the report below must escape whatever is there.
expect_eq "no host recorded other than as sent" 0 \
    "$(sql "SELECT count(*) FROM request WHERE host LIKE '%script%' AND host <> '$XSS.test'")"
expect_eq "nginx: report shows the host" 200 "$(get "$U4/report")"
safe "report with a hostile host" "$W/b"
if [ "$(sql "SELECT count(*) FROM request WHERE host = '$XSS.test'")" != 0 ]; then
	contains "report: host escaped" '&lt;script&gt;alert(1)&lt;/script&gt;.test' "$W/b"
	contains "report: quotes escaped" 'q&quot;uote&#39;&amp;amp.test' "$W/b"
fi
expect_eq "nginx: report.json" 200 "$(get "$U4/report.json")"
lacks "report.json: no raw markup" "<script" "$W/b"
expect_eq "nginx: formula in Host" 204 \
    "$(get "$U4/beacon" --interface "$V4" -H 'Host: =HYPERLINK(1)')"
expect_eq "nginx: report.csv" 200 "$(get "$U4/report.csv")"
check "report.csv: no field starts a formula" sh -c "! grep -Eq '(^|,)\"?[=+@]' '$W/b'"
expect_eq "nginx: 400 page for a bad days value with markup" 400 \
    "$(get "$U4/report?days=%3Cscript%3Ealert(1)%3C/script%3E")"
safe "400 page" "$W/b"
expect_eq "nginx: 400 page for an unknown key with markup" 400 \
    "$(get "$U4/report?%3Cscript%3Ealert(1)%3C/script%3E=1")"
safe "400 page, key" "$W/b"
contains "400 page: the key escaped" '&lt;script&gt;alert(1)&lt;/script&gt;' "$W/b"
expect_eq "nginx: 400 page for a date with quotes and markup" 400 \
    "$(get "$U4/report?from=%22%3E%3Cimg%20src=x%3E&to=2026-01-01")"
safe "400 page, date" "$W/b"
contains "400 page: the date escaped" '&quot;&quot;&gt;&lt;img src=x&gt;&quot;' "$W/b"
expect_eq "nginx: host filter with markup" 200 "$(get "$U4/report?host=%22%3E%3Cscript%3Ealert(1)%3C/script%3E")"
safe "report with a hostile host filter" "$W/b"
expect_eq "nginx: 404 for a path with markup" 404 "$(get "$U6/%3Cscript%3Ealert(1)%3C/script%3E" --interface "$V6")"
safe "404 page" "$W/b"
expect_eq "nginx: 405 for a POST" 405 "$(get "$U6/" --interface "$V6" -X POST)"
contains "405 says what is allowed" "Allow: GET, HEAD" "$W/h"
# nginx's own limits (large_client_header_buffers 4 8k): it answers before dualstat sees anything.
i=0 hops=""
while [ $i -lt 10000 ]; do hops="${hops}10.0.$((i / 250)).$((i % 250 + 1)), "; i=$((i + 1)); done
printf 'X-Forwarded-For: 203.0.113.77, %s10.0.0.1\n' "$hops" > "$W/xff.hdr"
expect_eq "nginx refuses X-Forwarded-For with 10,000 hops (${#hops} bytes): 400" 400 \
    "$(get "$U4/beacon" --interface "$V4" -H "@$W/xff.hdr")"
# (1,000,000 bytes: curl's own cap on a request's headers is 1 MiB.)
head -c 1000000 /dev/zero | tr '\0' a | sed 's/^/X-Junk: /' > "$W/junk.hdr"
expect_eq "nginx refuses a 1 MB header: 400" 400 "$(get "$U4/" --interface "$V4" -H "@$W/junk.hdr")"
q=$(head -c 20000 /dev/zero | tr '\0' a)
expect_eq "nginx refuses a 20 kB query string: 414" 414 "$(get "$U4/report?days=$q")"
expect_eq "nginx still serves" 200 "$(get "$U6/" --interface "$V6")"

# ---- straight to dualstat over FastCGI: what no web server would send
n0=$(rows)
bad=0
for a in '' not-an-address 999.0.0.1 01.2.3.4 192.0.2.1:80 '[::1]' '::1%' 2001:db8::/48 \
    "$XSS" '"><img src=x onerror=alert(1)>' ' 192.0.2.1'; do
	fcgi / "$a"
	expect_eq "REMOTE_ADDR [$a]: landing page" 200 "$(status_of)"
	contains "REMOTE_ADDR [$a]: not recorded, and says so" "not recorded" "$W/out"
	safe "REMOTE_ADDR [$a]" "$W/out"
	bad=$((bad + 1))
	fcgi /beacon "$a"
	expect_eq "REMOTE_ADDR [$a]: beacon" 204 "$(status_of)"
	bad=$((bad + 1))
done
expect_eq "no row for an unreadable REMOTE_ADDR" "$n0" "$(rows)"
# The viewer's own fields on /status, for an authenticated owner from anywhere.
fcgi /status "$XSS" REMOTE_USER=owner SERVER_ADDR='"><img src=x onerror=alert(1)>'
expect_eq "status with markup in REMOTE_ADDR and SERVER_ADDR" 200 "$(status_of)"
safe "status viewer fields" "$W/out"
contains "status: REMOTE_ADDR escaped" '&lt;script&gt;alert(1)&lt;/script&gt;' "$W/out"
contains "status: SERVER_ADDR escaped" '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;' "$W/out"
fcgi /status.json "$XSS" REMOTE_USER=owner SERVER_ADDR='"><img src=x onerror=alert(1)>'
expect_eq "status.json with markup" 200 "$(status_of)"
contains "status.json: REMOTE_ADDR escaped" '"remote_addr":"\u003cscript\u003ealert(1)\u003c/script\u003e"' "$W/out"
lacks "status.json: no raw markup" "<script" "$W/out"
contains "status.json: every unreadable REMOTE_ADDR that recorded counted" "\"bad_peers\":$bad," "$W/out"

fcgi / 192.0.2.10 SCRIPT_NAME='/d"><script>alert(1)</script>'
expect_eq "SCRIPT_NAME with markup" 200 "$(status_of)"
safe "SCRIPT_NAME in attributes" "$W/out"
contains "SCRIPT_NAME escaped in links" 'href="/d&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;/report"' "$W/out"
fcgi "/nope$XSS" 192.0.2.10
expect_eq "PATH_INFO with markup: 404" 404 "$(status_of)"
safe "404 for PATH_INFO with markup" "$W/out"
fcgi /beacon 192.0.2.10 REQUEST_METHOD="$XSS"
expect_eq "REQUEST_METHOD with markup: 405" 405 "$(status_of)"
safe "405 page" "$W/out"
fcgi /report ::1 QUERY_STRING="from=$XSS&to=2026-01-01"
expect_eq "a date with markup: 400" 400 "$(status_of)"
safe "400 page for a date" "$W/out"
contains "400 page: the date escaped" '&lt;script&gt;' "$W/out"
fcgi /report ::1 QUERY_STRING='days=%ff%fe%00'
expect_eq "bytes that are not UTF-8 and a NUL in the query: 400" 400 "$(status_of)"

# Oversized parameters (over 8 KiB) are never cut (request.h): too long a path names no page
# and is not recorded, too long a query is a 400 where a page reads it; other params are absent.
long=$(head -c 9000 /dev/zero | tr '\0' a)
rows=$(sql 'SELECT count(*) FROM request')
fcgi "/$long" 192.0.2.11
expect_eq "PATH_INFO of 9000 bytes: no such page" 404 "$(status_of)"
expect_eq "PATH_INFO of 9000 bytes: not recorded" "$rows" "$(sql 'SELECT count(*) FROM request')"
fcgi /report ::1 QUERY_STRING="days=$long"
expect_eq "QUERY_STRING of 9000 bytes: 400" 400 "$(status_of)"
contains "QUERY_STRING of 9000 bytes: says so" "too long" "$W/out"
fcgi /beacon 192.0.2.12 HTTP_HOST="$long"
expect_eq "Host of 9000 bytes: beacon" 204 "$(status_of)"
fcgi /beacon 192.0.2.13 HTTP_HOST="$(printf '%0300d' 0)"
expect_eq "Host of 300 bytes: beacon" 204 "$(status_of)"
expect_eq "stored hosts are at most 255 bytes" 0 "$(sql 'SELECT count(*) FROM request WHERE length(host) > 255')"
fcgi /beacon 192.0.2.14 HTTP_HOST="$(printf 'bad\377\376utf8\001\033[31m')"
expect_eq "Host with bytes that are not UTF-8 and controls: beacon" 204 "$(status_of)"
fcgi /report.json ::1
expect_eq "report.json after a binary Host" 200 "$(status_of)"
sed '1,/^\r*$/d' "$W/out" > "$W/body"
check "report.json has no raw control bytes" sh -c "! tr -d '\n' < '$W/body' | grep -q '[[:cntrl:]]'"


# A NUL inside a param (FastCGI params are counted strings; libfcgi keeps C strings, cut
# at the NUL): the value is invalid, never what comes before the NUL.
n0=$(rows)
big /status - REMOTE_ADDR%=127.0.0.1%00junk
expect_eq "REMOTE_ADDR 127.0.0.1 NUL junk: not loopback, so not the owner" 403 "$(status_of)"
big - ::1 PATH_INFO%=/report%00.json
expect_eq "PATH_INFO /report NUL .json: no such page" 404 "$(status_of)"
big /beacon - REMOTE_ADDR%=192.0.2.40%00
expect_eq "REMOTE_ADDR with a NUL: beacon" 204 "$(status_of)"
big /report ::1 QUERY_STRING%=days=7%00x
expect_eq "QUERY_STRING with a NUL: 400" 400 "$(status_of)"
contains "the 400 says why" "NUL byte" "$W/out"
big /status 198.51.100.9 REMOTE_USER%=owner%00
expect_eq "REMOTE_USER with a NUL: nobody" 403 "$(status_of)"
big /beacon 10.9.9.9 'HTTP_X_FORWARDED_FOR%=203.0.113.77%00, 198.51.100.1'
expect_eq "X-Forwarded-For with a NUL: beacon" 204 "$(status_of)"
expect_eq "X-Forwarded-For with a NUL: unknown, so the trusted peer stands" "10.9.9.0/24|0" \
    "$(sql "SELECT prefix, via_proxy FROM request WHERE id > (SELECT max(id) - 1 FROM request)")"
expect_eq "only the last beacon recorded" $((n0 + 1)) "$(rows)"

# X-Forwarded-For with 4,000 hops (52 kB) from a trusted peer: walked right to left over
# the trusted hops to the client; with garbage the walk stops at once, the peer stands.
hops=$(printf '%s' "$hops" | head -c 52000)
hops="${hops%, *}, "
n0=$(rows)
fcgi /beacon 10.9.9.9 HTTP_X_FORWARDED_FOR="203.0.113.77, ${hops}10.0.0.1"
expect_eq "XFF with 4,000 trusted hops: beacon" 204 "$(status_of)"
expect_eq "XFF with 4,000 trusted hops: the client behind them" "203.0.113.0/24|1" \
    "$(sql "SELECT prefix, via_proxy FROM request WHERE id > (SELECT max(id) - 1 FROM request)")"
fcgi /beacon 10.9.9.9 HTTP_X_FORWARDED_FOR="$(printf '%s' "$hops" | tr 0-9 a-j)"
expect_eq "XFF with 4,000 garbage hops: beacon" 204 "$(status_of)"
expect_eq "XFF with garbage: the trusted peer stands" "10.9.9.0/24|0" \
    "$(sql "SELECT prefix, via_proxy FROM request WHERE id > (SELECT max(id) - 1 FROM request)")"
fcgi /beacon 198.51.100.9 HTTP_X_FORWARDED_FOR="203.0.113.77, ${hops}10.0.0.1"
expect_eq "XFF from an untrusted peer: ignored" "198.51.100.0/24|0" \
    "$(sql "SELECT prefix, via_proxy FROM request WHERE id > (SELECT max(id) - 1 FROM request)")"
expect_eq "three rows" $((n0 + 3)) "$(rows)"

# Params are held up to 64 KiB in all (no web server sends more: nginx's headers stop at
# 32 KiB): under that a request is read as usual; over it, it is answered 431 unread,
# whatever the params were, and nothing is recorded.
n0=$(rows)
big / 192.0.2.20 HTTP_HOST=big.test 'HTTP_X_JUNK*60000=a'
expect_eq "a 60 kB header: landing page" 200 "$(status_of)"
big /beacon 10.9.9.9 'HTTP_X_FORWARDED_FOR*6000=10.1.2.3, '
expect_eq "X-Forwarded-For of 60 kB from a trusted peer: beacon" 204 "$(status_of)"
expect_eq "every hop trusted: the last one walked is the client" "10.1.2.0/24|1" \
    "$(sql "SELECT prefix, via_proxy FROM request WHERE id > (SELECT max(id) - 1 FROM request)")"
expect_eq "two rows" $((n0 + 2)) "$(rows)"
big / 192.0.2.20 HTTP_HOST=big.test 'HTTP_X_JUNK*1048576=a'
expect_eq "a 1 MiB header: 431" 431 "$(status_of)"
contains "431 says why" "over 64 KiB" "$W/out"
big /beacon 192.0.2.21 'HTTP_HOST*1048576=<'
expect_eq "a 1 MiB Host: 431" 431 "$(status_of)"
big '' 192.0.2.22 'PATH_INFO*1048576=/'
expect_eq "a 1 MiB PATH_INFO: 431" 431 "$(status_of)"
big /beacon 10.9.9.9 'HTTP_X_FORWARDED_FOR*95325=10.1.2.3, '
expect_eq "X-Forwarded-For of 1 MiB: 431" 431 "$(status_of)"
big /beacon 192.0.2.23 'HTTP_X_A*40000=a' 'HTTP_X_B*40000=b'
expect_eq "two params of 40 kB: 431" 431 "$(status_of)"
FCGI_ROLE_CODE=2 big /beacon 192.0.2.24 'HTTP_X_JUNK*1048576=a'
expect_eq "an Authorizer request of 1 MiB: allowed all the same" 200 "$(status_of)"
expect_eq "none of them recorded" $((n0 + 2)) "$(rows)"

# ---- still the same workers, still serving
fcgi / 192.0.2.30
expect_eq "after all that: landing page over FastCGI" 200 "$(status_of)"
expect_eq "after all that: landing page through nginx" 200 "$(get "$U6/" --interface "$V6")"
workers | sort > "$W/workers.after"
check "no worker died (the same PIDs)" cmp -s "$W/workers.before" "$W/workers.after"
lacks "serve logged no crash" "signal" "$W/serve.log"
nginx_stop
serve_stop
integrity
finish
