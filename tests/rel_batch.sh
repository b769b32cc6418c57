#!/bin/sh
# rel_batch.sh: a worker answers the requests already queued for it together, after one
# commit of their rows (app/server.c).  Under load through nginx, `dualstat serve
# --workers 1` must commit several rows at a time (one worker has no other worker to share
# a commit with), yet every 2xx has its row and nginx sees no reset connection; with
# DUALSTAT_BATCH=1, the control, the same load gives one row per commit.  Request bodies
# are read before a connection is closed: small ones in full, large ones by libfcgi's
# lingering close; both answer, both are recorded, nginx logs no error.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/rel_lib.sh"
need_sqlite3
need_nginx
need_cmd wrk wrk
need_cmd "${CURL:-curl}" curl
PORT=$(free_port 46)
CONNS=12
write_conf

# load NAME: 3 s of wrk on the beacon and /record; checks every answer has its row and
# sets RATIO to rows per commit (x100) from serve's own count when it stops.
load() {
	base=$(sql 'SELECT coalesce(max(id), 0) FROM request')
	timeout 30 wrk -t2 -c$CONNS -d3s --timeout 5s -s "$top_srcdir/tests/rel_wrk.lua" \
	    "http://127.0.0.1:$PORT" -- /beacon /record > "$W/wrk.$1" 2>&1 ||
	    fail "$1: wrk exited $?"
	line=$(grep '^ok=' "$W/wrk.$1" || true)
	echo "$1: $line"
	ok=$(echo "$line" | tr ' ' '\n' | sed -n 's/^ok=//p')
	rest=$(echo "$line" | tr ' ' '\n' | grep -v '^ok=' | sed 's/.*=//' | tr -d '\n')
	rows=$(sql "SELECT count(*) FROM request WHERE id > $base")
	echo "$1: $rows rows for ${ok:-?} answers"
	check "$1: a real load (over 1000 answers, got ${ok:-none})" test "${ok:-0}" -gt 1000
	expect_eq "$1: nothing but 2xx, no socket errors" 0000000 "$rest"
	check "$1: every answer has its row ($rows >= ${ok:-?})" test "$rows" -ge "${ok:-0}"
	check "$1: no more rows than answers and requests in flight" \
	    test "$rows" -le $((${ok:-0} + CONNS))
}

# ratio: rows per commit x100 from the last "stopped; group commit:" line of serve.log.
ratio() {
	sed -n 's/.*group commit: \([0-9]*\) rows in \([0-9]*\) commits.*/\1 \2/p' \
	    "$W/serve.log" | tail -n 1 | awk '$2 > 0 { printf "%d\n", $1 * 100 / $2 }'
}

# The control: one request at a time, so one row per commit.
export DUALSTAT_BATCH=1
serve_start 1
unset DUALSTAT_BATCH
nginx_start "$PORT"
load single
nginx_stop
serve_stop
single=$(ratio)
echo "DUALSTAT_BATCH=1: ${single:-?} rows per 100 commits"
expect_eq "control: one row per commit with DUALSTAT_BATCH=1" 100 "$single"

# A value that is not a batch size is said in the log, and the default is taken.
export DUALSTAT_BATCH=lots
serve_start 1
unset DUALSTAT_BATCH
nginx_start "$PORT"
load batched
contains "a bad DUALSTAT_BATCH is said in the log" "DUALSTAT_BATCH=lots is not a number from 1 to 16" "$W/serve.log"

# Bodies: 1 KiB is read before the connection is closed at once; 256 KiB is more than
# dualstat reads itself (DRAIN_MAX), so libfcgi's lingering close reads the rest.
head -c 1024 /dev/zero | tr '\0' x > "$W/small"
head -c 262144 /dev/zero | tr '\0' y > "$W/large"
before=$(sql "SELECT count(*) FROM request WHERE how = 'record'")
expect_eq "POST /record with 1 KiB" 204 \
    "$(get "http://127.0.0.1:$PORT/record" --data-binary @"$W/small")"
expect_eq "POST /record with 256 KiB" 204 \
    "$(get "http://[::1]:$PORT/record" --data-binary @"$W/large")"
expect_eq "both recorded" $((before + 2)) "$(sql "SELECT count(*) FROM request WHERE how = 'record'")"
expect_eq "still serving" 204 "$(get "http://127.0.0.1:$PORT/beacon")"
nginx_stop
serve_stop
batched=$(ratio)
echo "batched: ${batched:-?} rows per 100 commits"
check "one worker commits several rows at a time (${batched:-?} rows per 100 commits)" \
    test "${batched:-0}" -ge 200
lacks "nginx logged no error" "[error]" "$N/error.log"
lacks "nginx saw no reset connection" "reset by peer" "$N/error.log"
lacks "nginx logged nothing critical" "[crit]" "$N/error.log"
integrity
finish
