#!/bin/sh
# rel_no_lost_rows.sh: 10 s of load on the beacon and /record through nginx and
# `dualstat serve --workers 4`, over IPv4 and IPv6 at once: every 2xx the clients counted
# has its row, no 5xx, no socket errors.  Requests still in flight when wrk stops may
# have been recorded without being counted: at most one per connection, never fewer rows.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/rel_lib.sh"
need_sqlite3
need_nginx
need_cmd wrk wrk
PORT=$(free_port 41)
write_conf
serve_start 4
nginx_start "$PORT"

expect_eq "a first beacon" 204 "$(get "http://127.0.0.1:$PORT/beacon")"
base=$(sql 'SELECT max(id) FROM request')
expect_eq "its row" 1 "$base"

# Two clients at once, one per family, 2 threads x 6 connections each: nginx.conf's
# worker_connections 64 holds these 24 and their 24 FastCGI connections.
CONNS=12
for fam in 4 6; do
	if [ $fam = 4 ]; then url=http://127.0.0.1:$PORT; else url=http://[::1]:$PORT; fi
	timeout 40 wrk -t2 -c6 -d10s --timeout 5s -s "$top_srcdir/tests/rel_wrk.lua" \
	    "$url" -- /beacon /record > "$W/wrk$fam" 2>&1 &
	eval "wrk$fam=\$!"
done
# shellcheck disable=SC2154
wait "$wrk4" || fail "wrk over IPv4 exited $?"
# shellcheck disable=SC2154
wait "$wrk6" || fail "wrk over IPv6 exited $?"

# count FAMILY NAME: a figure from wrk's summary line (rel_wrk.lua's done()).
count() {
	sed -n "s/^ok=.*/&/p" "$W/wrk$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}
for fam in 4 6; do
	line=$(grep '^ok=' "$W/wrk$fam" || true)
	[ -n "$line" ] || { fail "IPv$fam: no summary from wrk"; cat "$W/wrk$fam"; continue; }
	echo "IPv$fam: $line"
	ok=$(count $fam ok)
	rows=$(sql "SELECT count(*) FROM request WHERE id > $base AND family = $fam")
	echo "IPv$fam: $rows rows for $ok answers"
	check "IPv$fam: a real load (over 1000 answers, got $ok)" test "$ok" -gt 1000
	expect_eq "IPv$fam: no 4xx" 0 "$(count $fam s4)"
	expect_eq "IPv$fam: no 5xx" 0 "$(count $fam s5)"
	expect_eq "IPv$fam: nothing but 2xx" 0 "$(count $fam other)"
	expect_eq "IPv$fam: no socket errors" "0 0 0 0" \
	    "$(count $fam connect) $(count $fam read) $(count $fam write) $(count $fam timeout)"
	check "IPv$fam: every answer has its row ($rows rows >= $ok answers)" test "$rows" -ge "$ok"
	check "IPv$fam: no more rows than answers and requests in flight ($rows <= $ok + $CONNS)" \
	    test "$rows" -le $((ok + CONNS))
done
expect_eq "only beacon and record rows" "beacon
record" "$(sql "SELECT DISTINCT how FROM request WHERE id > $base ORDER BY how")"
expect_eq "every row from loopback" "4|127.0.0.0/24|loopback
6|::/48|loopback" "$(sql "SELECT DISTINCT family, prefix, kind FROM request WHERE id > $base ORDER BY family")"

expect_eq "still serving afterwards" 200 "$(get "http://[::1]:$PORT/status.json")"
contains "status.json: no record failures" '"record_failures":0' "$W/b"
# Workers shared commits, so their tree wrote its batch marker; it goes when serve stops.
MARK="SELECT count(*) FROM meta WHERE key LIKE 'group_commit.%'"
expect_eq "a group-commit marker while serving" 1 "$(sql "$MARK")"
nginx_stop
serve_stop
expect_eq "no group-commit marker left after serve stopped" 0 "$(sql "$MARK")"
lacks "nginx logged no error" "[error]" "$N/error.log"
lacks "nginx logged nothing critical" "[crit]" "$N/error.log"
integrity
finish
