#!/bin/sh
# e2e_probe.sh: readiness probes through the real binary as CGI: the starts' redirects and their
# headers, completions good, forged, unknown, replayed, expired and over the wrong family, what
# /status counts, no secret left in the database files, and 10,000 starts that never come back.
. "${top_srcdir:-.}/tests/lib.sh"
need_sqlite3

# The Location of $W/out, and its token.
location() {
	sed -n 's/^Location: \(.*\)\r$/\1/p; s/^Location: \([^\r]*\)$/\1/p' "$W/out" | head -n 1
}
token_of() {
	location | sed -n 's/.*[?&]t=\([0-9a-f]*\).*/\1/p; s|^https://\([0-9a-f]*\)\.v4\.e2e\.test/.*|\1|p' | head -n 1
}
# json_at KEY...: a number in /status.json's probes, e.g. json_at v6 reached
json_at() {
	cgi /status.json 127.0.0.1
	# The first such key after the probe's own (a URL may hold braces: {token}).
	grep -o "\"probes\":{.*" "$W/out" | grep -o "\"$1\":.*" |
	    grep -o "\"${2:-$1}\":[0-9]*" | head -n 1 | sed 's/.*://'

}

# ---- not configured: the v6 and v4 probes say which key is missing; the control works
write_conf "probe_timeout = 2"
cgi /probe/6.gif 198.51.100.7
expect_eq "unconfigured v6 probe" 404 "$(status_of)"
contains "404 names probe_v6_url" "probe_v6_url is not set" "$W/out"
cgi /probe/4.gif 198.51.100.7
expect_eq "unconfigured v4 probe" 404 "$(status_of)"
contains "404 names probe_v4_url" "probe_v4_url is not set" "$W/out"
cgi /probe/self.gif 198.51.100.7
expect_eq "the control needs no key" 302 "$(status_of)"
expect_eq "the control goes to this site" /dualstat/probe/done.gif "$(location | sed 's/?.*//')"
contains "img-src is the site's own when no probe is set" "img-src 'self'; form-action" "$W/out"

# ---- configured: a URL with the token in the query, one with {token} in the host
write_conf "probe_v6_url = https://v6.e2e.test/dualstat/" \
    "probe_v4_url = https://{token}.v4.e2e.test/dualstat" "probe_timeout = 2"
sql 'DELETE FROM request'
cgi / 198.51.100.7 HTTPS=on
expect_eq "landing" 200 "$(status_of)"
contains "CSP img-src names exactly the probe origins" \
    "img-src 'self' https://v6.e2e.test https://*.v4.e2e.test; form-action" "$W/out"

cgi /probe/6.gif 198.51.100.7 HTTPS=on
expect_eq "v6 start" 302 "$(status_of)"
contains "v6 start not cached" "Cache-Control: no-store" "$W/out"
lacks "a redirect has no body type" "Content-Type:" "$W/out"
T6=$(token_of)
expect_eq "v6 target" "https://v6.e2e.test/dualstat/probe/done.gif?t=$T6" "$(location)"
check "v6 token: 128-bit secret and its number" sh -c "echo '$T6' | grep -Eq '^[0-9a-f]{33,48}$'"
cgi /probe/6.gif 198.51.100.7
T6B=$(token_of)
check "a fresh token each time" test "$T6" != "$T6B"
cgi /probe/4.gif 2001:db8:7::1
expect_eq "v4 start" 302 "$(status_of)"
T4=$(token_of)
expect_eq "v4 target carries the token in its host" \
    "https://$T4.v4.e2e.test/dualstat/probe/done.gif" "$(location)"
cgi /probe/self.gif 198.51.100.7
TS=$(token_of)
expect_eq "starts kept: their family, kind, prefix and host" \
    "0|4|documentation|198.51.100.0/24|e2e.test
1|6|documentation|2001:db8:7::/48|e2e.test
2|4|documentation|198.51.100.0/24|e2e.test" \
    "$(sql 'SELECT DISTINCT probe, family, kind, prefix, host FROM probe ORDER BY probe')"
expect_eq "no probe is a request: the visit counts once" 1 "$(sql 'SELECT count(*) FROM request')"

# ---- completions: on the probe host, answered with the image whatever the token
cgi /probe/done.gif 2001:db8:9::5 HTTP_HOST=v6.e2e.test "QUERY_STRING=t=$T6"
expect_eq "v6 completion" 200 "$(status_of)"
contains "completion is an image" "Content-Type: image/gif" "$W/out"
contains "completion not cached" "Cache-Control: no-store" "$W/out"
expect_eq "v6 reached" 1 "$(json_at v6 reached)"
cgi /probe/done.gif 2001:db8:9::5 HTTP_HOST=v6.e2e.test "QUERY_STRING=t=$T6"
expect_eq "replayed: still the image" 200 "$(status_of)"
expect_eq "replayed: not counted" 1 "$(json_at v6 reached)"
expect_eq "replayed: rejected" 1 "$(json_at rejected)"
# Forged: the number of a real start with another secret; unknown number; not a token.
case $T6B in
0*) forged=1$(echo "$T6B" | cut -c2-) ;;
*) forged=0$(echo "$T6B" | cut -c2-) ;;
esac
cgi /probe/done.gif 2001:db8:9::5 HTTP_HOST=v6.e2e.test "QUERY_STRING=t=$forged"
expect_eq "forged: the image" 200 "$(status_of)"
cgi /probe/done.gif 2001:db8:9::5 HTTP_HOST=v6.e2e.test \
    "QUERY_STRING=t=0123456789abcdef0123456789abcdeffffff"
cgi /probe/done.gif 2001:db8:9::5 HTTP_HOST=v6.e2e.test "QUERY_STRING=t=<script>"
expect_eq "garbage: the image" 200 "$(status_of)"
# A v6 token brought to the v4 host is not the v4 probe's.
cgi /probe/done.gif 198.51.100.9 HTTP_HOST="$T6B.v4.e2e.test"
expect_eq "forged, unknown, garbage, other probe's: rejected" 5 "$(json_at rejected)"
expect_eq "none of them counted" 1 "$(json_at v6 reached)"
expect_eq "the forged start is still open" 1 \
    "$(sql "SELECT count(*) FROM probe WHERE probe = 0 AND secret IS NOT NULL")"

# The v4 probe over IPv6: its host name has an AAAA record, a misconfiguration.
cgi /probe/done.gif 2001:db8:9::5 HTTP_HOST="$T4.v4.e2e.test"
expect_eq "wrong-family completion: the image" 200 "$(status_of)"
expect_eq "wrong family counted" 1 "$(json_at v4 wrong_family)"
expect_eq "wrong family is not reached" 0 "$(json_at v4 reached)"
contains "/status warns about the wrong family" "came back over the wrong family" "$W/out"
cgi /probe/done.gif 198.51.100.7 "QUERY_STRING=t=$TS"
expect_eq "control reached" 1 "$(json_at self reached)"
cgi /status 127.0.0.1
contains "/status shows the probes" "Readiness probes" "$W/out"
contains "/status shows the wrong family" "the IPv6-only host name has an A record" "$W/out"

# ---- expired: a start whose probe_timeout (2 s) has passed finds nothing
cgi /probe/6.gif 198.51.100.7
TX=$(token_of)
sleep 3
cgi /probe/done.gif 2001:db8:9::5 HTTP_HOST=v6.e2e.test "QUERY_STRING=t=$TX"
expect_eq "expired: the image" 200 "$(status_of)"
expect_eq "expired: rejected" 6 "$(json_at rejected)"
expect_eq "expired: not counted" 1 "$(json_at v6 reached)"

# ---- resolved starts become counts and go, secrets and all, from the files
cgi /report.json 127.0.0.1 QUERY_STRING=days=1
expect_eq "report after the probes" 200 "$(status_of)"
contains "report.json: every start counted once, as it resolved" \
    '"readiness":{"v6":{"started":3,"reached":1,"wrong_family":0},"v4":{"started":1,"reached":0,"wrong_family":1},"self":{"started":2,"reached":1,"wrong_family":0},"estimate":{"share":0.666667,' "$W/out"
contains "report.json: by arrival" \
    '{"family":4,"kind":"documentation","probe":"v6","started":3,"reached":1}' "$W/out"
contains "report.json: the v4 probe's wrong way back" \
    '{"probe":"v4","family":6,"kind":"documentation","n":1}' "$W/out"
contains "report.json: the probes are no requests" '"total":1,' "$W/out"
expect_eq "no start left once resolved" 0 "$(sql 'SELECT count(*) FROM probe')"
check "counted in probe cells" test "$(sql 'SELECT count(*) FROM probe_cell')" -gt 0
for t in "$T6" "$T6B" "$T4" "$TS" "$TX"; do
	secret=$(echo "$t" | cut -c1-32)
	for f in "$DB" "$DB-wal"; do
		[ -e "$f" ] || continue
		if grep -qaF "$secret" "$f"; then fail "secret of $t found in $f"; else ok; fi
	done
done

# ---- mixed content: an https site with an http probe is warned about
write_conf "probe_v6_url = http://v6.e2e.test/dualstat"
cgi /status 127.0.0.1 HTTPS=on
contains "https site, http probe: warned" "mixed content" "$W/out"
cgi /status 127.0.0.1
lacks "http site, http probe: no warning" "mixed content" "$W/out"

# ---- 10,000 starts that never come back: once expired, the database does not grow
write_conf "probe_v6_url = https://v6.e2e.test/dualstat" "probe_timeout = 1"
starts() {
	seq "$1" | xargs -P 2 -n 500 sh -c '
	d=$1
	shift
	for i; do
		env -i PATH="$PATH" GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET \
		    SCRIPT_NAME=/dualstat PATH_INFO=/probe/6.gif QUERY_STRING= SERVER_ADDR=::1 \
		    HTTP_HOST=e2e.test REMOTE_ADDR="192.0.2.$((i % 250 + 1))" \
		    DUALSTAT_CONF="$0" timeout 60 "$d" < /dev/null > /dev/null 2>&1 || exit 1
	done' "$CONF" "$DUALSTAT"
}
size() {
	echo $(( $(stat -c %s "$DB") + $( [ -e "$DB-wal" ] && stat -c %s "$DB-wal" || echo 0) ))
}
BEFORE=$(json_at v6 started)
check "5,000 starts" starts ${PROBE_STARTS:-5000}
sleep 2
cgi /report.json 127.0.0.1 QUERY_STRING=days=1
expect_eq "the first 5,000 expired and went" 0 "$(sql 'SELECT count(*) FROM probe')"
S1=$(size)
check "5,000 more starts" starts ${PROBE_STARTS:-5000}
sleep 2
cgi /report.json 127.0.0.1 QUERY_STRING=days=1
expect_eq "the next 5,000 expired and went" 0 "$(sql 'SELECT count(*) FROM probe')"
S2=$(size)
# The pages the first ones freed hold the next: at most a few pages more, not 5,000 rows more.
check "the database did not grow with the starts ($S1 -> $S2 bytes)" \
    test "$S2" -le $((S1 + S1 / 10 + 65536))
expect_eq "all 10,000 counted as started" $((BEFORE + 2 * ${PROBE_STARTS:-5000})) "$(json_at v6 started)"

finish
