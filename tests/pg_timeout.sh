#!/bin/sh
# pg_timeout.sh: a slow database never makes a request wait longer than
# busy_timeout_ms (issue 12 §3), through the real `dualstat serve` against a
# real PostgreSQL 15 (tests/pg.sh).  First the request table locked from a
# psql session (lock_timeout), then the dualstat connections' backends
# stopped with SIGSTOP (a hung server: only dualstat's own deadline helps).
# Either way beacon and page answer 204/200, /status 503, each within
# busy_timeout_ms and a generous slack; the failures are counted; released,
# rows are written again.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/pg.sh"

grep -q "^#define HAVE_LIBPQ 1" "$top_builddir/autoconf.h" ||
	skip "this dualstat was built without PostgreSQL (configure --without-postgresql)"
[ -n "${CGI_FCGI:-}" ] && [ -x "$CGI_FCGI" ] || CGI_FCGI=$(command -v cgi-fcgi || true)
[ -n "$CGI_FCGI" ] || skip "cgi-fcgi not found (Debian package libfcgi-bin)"
date +%s%N | grep -qv N || skip "date has no %N"
pg_start

BUSY=500
# What a loaded, shared test machine may add to busy_timeout_ms (not a benchmark).
SLACK=1500
{
	echo "database = $PG_URI"
	echo "node = slow-1"
	echo "busy_timeout_ms = $BUSY"
} > "$W/dualstat.conf"
SOCK=$(sock_path serve.sock)
"$DUALSTAT" -c "$W/dualstat.conf" serve --user root --listen "unix:$SOCK" --workers 2 \
    2> "$W/serve.log" &
track $!
check "serve listens" wait_for test -S "$SOCK"

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}
# fcgi PATH REMOTE_ADDR: one FastCGI request, its output in $W/out, its time in $MS.
fcgi() {
	_t0=$(now_ms)
	env -i PATH="$PATH" REQUEST_METHOD=GET SCRIPT_NAME=/dualstat PATH_INFO="$1" \
	    QUERY_STRING= SERVER_ADDR=::1 HTTP_HOST=slow.test REMOTE_ADDR="$2" \
	    timeout 30 "$CGI_FCGI" -bind -connect "$SOCK" < /dev/null > "$W/out" 2> "$W/fcgi.err"
	MS=$(($(now_ms) - _t0))
}
# answers WHAT COUNT PATH STATUS: COUNT requests, each answered STATUS in time.
answers() {
	_i=0
	_slow=0
	_bad=""
	while [ $_i -lt "$2" ]; do
		fcgi "$3" "203.0.113.$((_i % 200 + 1))"
		[ "$(status_of)" = "$4" ] || _bad="$_bad $(status_of)"
		[ "$MS" -le $((BUSY + SLACK)) ] || _slow="$MS"
		_i=$((_i + 1))
	done
	expect_eq "$1: $3 answered $4" "" "$_bad"
	expect_eq "$1: $3 within busy_timeout_ms ($BUSY) + $SLACK ms (slowest over: ${_slow} ms)" 0 "$_slow"
}
failures() {
	fcgi /status.json 127.0.0.1
	tr ',' '\n' < "$W/out" | sed -n 's/.*"record_failures": *\([0-9]*\).*/\1/p' | head -n 1
}
rows() {
	pg_sql 'SELECT count(*) FROM request'
}

answers "up" 10 /beacon 204
fcgi /status 127.0.0.1
expect_eq "/status 200 while PostgreSQL answers" 200 "$(status_of)"
expect_eq "the beacons' rows, this node's" "slow-1|10" "$(pg_sql 'SELECT node, count(*) FROM request GROUP BY 1')"
F0=$(failures)
expect_eq "no failure counted yet" 0 "$F0"

# 1. A lock on the request table, held by another session.
PGAPPNAME=locker "$PG_BINDIR/psql" -X -q -h "$PG_SOCKDIR" -p 5432 -U postgres -d postgres \
    -c "BEGIN; LOCK TABLE request IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60);" \
    > "$W/locker.log" 2>&1 &
LOCKER=$!
track $LOCKER
locked() {
	[ "$(pg_sql "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
	    WHERE c.relname = 'request' AND l.mode = 'AccessExclusiveLock' AND l.granted")" = 1 ]
}
check "the request table is locked" wait_for locked
answers "locked" 8 /beacon 204
answers "locked" 3 / 200
fcgi /status 127.0.0.1
expect_eq "locked: /status 503" 503 "$(status_of)"
check "locked: /status within busy_timeout_ms + slack ($MS ms)" [ "$MS" -le $((BUSY + SLACK)) ]
F1=$(failures)
check "locked: the beacons that could not be written were counted ($F1)" [ "${F1:-0}" -ge 8 ]
# Its backend sleeps on, holding the lock, whatever happens to psql: ended by the server.
pg_sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'locker'" \
    > /dev/null
wait "$LOCKER" 2>/dev/null || true
unlocked() {
	! locked
}
check "the lock is gone" wait_for unlocked
sleep 1.2	# a failed record's handle is opened again after a second (app.c)
expect_eq "locked: no row went in" 10 "$(rows)"
answers "released" 10 /beacon 204
expect_eq "released: rows are written again" 20 "$(rows)"
fcgi /status 127.0.0.1
expect_eq "released: /status 200" 200 "$(status_of)"

# 2. A hung server: the postmaster and dualstat's backends stopped (this
# test's own server only), so no statement is answered and no reconnect either.
PIDS=$(pg_sql "SELECT pid FROM pg_stat_activity WHERE application_name = 'dualstat'")
[ -n "$PIDS" ] || fail "no backend of dualstat's in pg_stat_activity"
F2=$(failures)
kill -STOP "$PG_PID"
STOPPED="$PG_PID"
for p in $PIDS; do
	# Children of this test's postmaster, nothing else.
	if [ "$(ps -o ppid= -p "$p" | tr -d ' ')" = "$PG_PID" ]; then
		kill -STOP "$p" && STOPPED="$STOPPED $p" && track "$p"
	fi
done
check "dualstat's backends stopped:$STOPPED" [ -n "$STOPPED" ]
answers "stopped" 8 /beacon 204
answers "stopped" 2 / 200
fcgi /status 127.0.0.1
expect_eq "stopped: /status 503" 503 "$(status_of)"
cp "$W/out" "$W/stopped-status"
check "stopped: /status within busy_timeout_ms + slack ($MS ms)" [ "$MS" -le $((BUSY + SLACK)) ]
for p in $STOPPED; do
	kill -CONT "$p" 2>/dev/null || true
done
F3=$(failures)
check "stopped: the beacons no backend answered were counted ($F2 -> $F3)" \
    [ "${F3:-0}" -ge $((${F2:-0} + 8)) ]
sleep 1.2
R0=$(rows)
answers "continued" 10 /beacon 204
R1=$(rows)
expect_eq "continued: rows are written again" $((R0 + 10)) "$R1"
fcgi /status 127.0.0.1
expect_eq "continued: /status 200" 200 "$(status_of)"
contains "stopped: /status says rows cannot be written" "Database: NOT WRITABLE" "$W/stopped-status"
lacks "no client address in the server's log" "203.0.113." "$W/postgres.log"
finish
