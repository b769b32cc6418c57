#!/bin/sh
# it_proxy_lines.sh: a proxy header sent on several lines, through the bundled nginx site in
# front of `dualstat serve`.  nginx passes a header that came twice as two FastCGI params of
# one name; RFC 7230 §3.2.2 makes them one list, and the right end of that list is what the
# trusted proxy added: a client's own line at the left must never pick the address (it used
# to: dualstat took the first param, and with it the owner's pages).  And a trusted proxy
# is never the owner, nor a loopback client it reports.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/rel_lib.sh"
need_sqlite3
need_nginx
PORT=$(free_port 37)
U=http://127.0.0.1:$PORT

# nginx on loopback is the trusted proxy here, as a load balancer on the same host would
# be; 198.51.100.5 is the owner's address.
write_conf "trusted_proxies = 127.0.0.1 ::1" "admin_allow = 198.51.100.5"
serve_start 2
nginx_start "$PORT"

last_row() {
	sql 'SELECT prefix, via_proxy FROM request ORDER BY id DESC LIMIT 1'
}

expect_eq "two lines, the owner's address first: not the owner" 403 \
    "$(get "$U/report" -H 'X-Forwarded-For: 198.51.100.5' -H 'X-Forwarded-For: 203.0.113.77')"
expect_eq "nor on status.json" 403 \
    "$(get "$U/status.json" -H 'X-Forwarded-For: 198.51.100.5' -H 'X-Forwarded-For: 203.0.113.77')"
expect_eq "two lines: beacon" 204 \
    "$(get "$U/beacon" -H 'X-Forwarded-For: 198.51.100.5' -H 'X-Forwarded-For: 203.0.113.77')"
expect_eq "two lines: the right end is recorded" "203.0.113.0/24|1" "$(last_row)"
expect_eq "the same in one line: beacon" 204 \
    "$(get "$U/beacon" -H 'X-Forwarded-For: 198.51.100.5, 203.0.113.77')"
expect_eq "one line: the same client" "203.0.113.0/24|1" "$(last_row)"
expect_eq "three lines, a trusted hop last: beacon" 204 \
    "$(get "$U/beacon" -H 'X-Forwarded-For: 198.51.100.5' -H 'X-Forwarded-For: 203.0.113.77' \
    -H 'X-Forwarded-For: ::1')"
expect_eq "three lines: walked across them" "203.0.113.0/24|1" "$(last_row)"
expect_eq "the owner's own line, last: the owner" 200 \
    "$(get "$U/report" -H 'X-Forwarded-For: 203.0.113.77' -H 'X-Forwarded-For: 198.51.100.5')"
expect_eq "the forged address was never recorded" 0 \
    "$(sql "SELECT count(*) FROM request WHERE prefix = '198.51.100.0/24'")"

# Forwarded (RFC 7239) the same way.
serve_stop
write_conf "trusted_proxies = 127.0.0.1 ::1" "admin_allow = 198.51.100.5" "proxy_header = forwarded"
serve_start 2
expect_eq "Forwarded on two lines: not the owner" 403 \
    "$(get "$U/report" -H 'Forwarded: for=198.51.100.5' -H 'Forwarded: for="[2001:db8:cafe::17]"')"
expect_eq "Forwarded on two lines: beacon" 204 \
    "$(get "$U/beacon" -H 'Forwarded: for=198.51.100.5' -H 'Forwarded: for="[2001:db8:cafe::17]"')"
expect_eq "Forwarded: the right end is recorded" "2001:db8:cafe::/48|1" "$(last_row)"

# With admin_allow's default (loopback), a loopback peer that is a trusted proxy speaks for
# others: neither it nor a loopback client it reports is the owner.
serve_stop
write_conf "trusted_proxies = 127.0.0.1 ::1"
serve_start 2
expect_eq "a trusted proxy's own request (no header): not the owner" 403 "$(get "$U/status")"
expect_eq "a loopback client it reports: not the owner" 403 \
    "$(get "$U/status" -H 'X-Forwarded-For: 127.0.0.1')"
expect_eq "nor over IPv6" 403 "$(get "http://[::1]:$PORT/report.json" -H 'X-Forwarded-For: ::1')"
expect_eq "a loopback claim: beacon" 204 "$(get "$U/beacon" -H 'X-Forwarded-For: 127.0.0.2')"
expect_eq "a loopback claim is not believed: the proxy stands" "127.0.0.0/24|0" "$(last_row)"
serve_stop
write_conf
serve_start 2
expect_eq "no proxy trusted: loopback is the owner, as before" 200 "$(get "$U/status")"

nginx_stop
serve_stop
lacks "nginx logged no error" "[error]" "$N/error.log"
integrity
finish
