#!/bin/sh
# rel_stall.sh: connections that stall must hold up nobody.  Against `dualstat serve
# --workers 2` (behind the bundled nginx), 48 FastCGI connections are held open: 16 that
# send nothing, 16 that send 3 bytes of a record header, 16 that send half their params.
# Meanwhile every normal request, straight over FastCGI and through nginx, is answered
# within a bound well under a second (it used to wait for the stalled ones: past 60 s),
# and the stalled ones are still open when that is measured.  Then, with a short
# request_timeout_ms, dualstat closes such connections itself when their time is up.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/rel_lib.sh"
need_sqlite3
need_nginx
need_cmd perl perl-base
PORT=$(free_port 38)
BOUND_MS=500	# well under a second; the requests themselves take a few ms

# timed_ms COMMAND...: run it; its wall time in ms on stdout, its output in $W/out.
timed_ms() {
	_t0=$(date +%s%N)
	"$@" > "$W/out" 2> "$W/timed.err" || echo "# failed: $*" >&2
	echo $((($(date +%s%N) - _t0) / 1000000))
}
direct() {
	timeout 20 perl "$top_srcdir/tests/rel_fcgi.pl" "$SOCK" REQUEST_METHOD=GET \
	    SCRIPT_NAME= PATH_INFO=/beacon SERVER_ADDR=::1 REMOTE_ADDR=192.0.2.7
}
via_nginx() {
	curl -sS -g --max-time 20 -o /dev/null -w '%{http_code}\n' "http://[::1]:$PORT/beacon"
}
# stall IDLE HALF PARAMS SECONDS: the stalled connections, in the background (STALL_PID).
stall() {
	rm -f "$W/stall.ready" "$W/stall.done"
	perl "$top_srcdir/tests/rel_stall.pl" "$SOCK" "$1" "$2" "$3" "$4" \
	    "$W/stall.ready" "$W/stall.done" > "$W/stall.out" 2>&1 &
	STALL_PID=$!
	track $STALL_PID
	check "the stalled connections are open" wait_for test -e "$W/stall.ready"
}
# stall_end: tell the helper to stop, and wait for what it saw (in $W/stall.out).
stall_end() {
	: > "$W/stall.done"
	wait "$STALL_PID" 2>/dev/null || true
}

# Long enough that nothing stalled is closed while we measure.
write_conf "request_timeout_ms = 30000"
serve_start 2
nginx_start "$PORT"
direct > "$W/out"
expect_eq "a request before" 204 "$(status_of)"

stall 16 16 16 60
slow=0
i=0
while [ $i -lt 20 ]; do
	ms=$(timed_ms direct)
	expect_eq "direct request $i answered" 204 "$(status_of)"
	[ "$ms" -lt $BOUND_MS ] || { fail "direct request $i took $ms ms (bound $BOUND_MS)"; slow=$((slow + 1)); }
	ms=$(timed_ms via_nginx)
	expect_eq "request $i through nginx answered" 204 "$(cat "$W/out")"
	[ "$ms" -lt $BOUND_MS ] || { fail "request $i through nginx took $ms ms (bound $BOUND_MS)"; slow=$((slow + 1)); }
	i=$((i + 1))
done
echo "# $slow of 40 requests over $BOUND_MS ms"
check "the stall helper is still holding" alive "$STALL_PID"
stall_end
expect_eq "all 48 stalled connections were still open" "open=48 closed=0" "$(cat "$W/stall.out")"
expect_eq "every answered beacon has its row" 41 "$(sql 'SELECT count(*) FROM request')"
serve_stop

# A short deadline: dualstat closes them itself, and says so.
write_conf "request_timeout_ms = 300"
serve_start 2
stall 4 4 4 10
# The helper leaves as soon as the server has closed all of them.
check "closed by dualstat within a few seconds" wait_for sh -c "! kill -0 $STALL_PID 2>/dev/null"
stall_end
expect_eq "every stalled connection closed by dualstat" "open=0 closed=12" "$(cat "$W/stall.out")"
contains "the log says why" "did not arrive within 300 ms" "$W/serve.log"
direct > "$W/out"
expect_eq "and it serves on" 204 "$(status_of)"
check "no worker died" has_workers 2

nginx_stop
serve_stop
lacks "serve logged no crash" "signal" "$W/serve.log"
integrity
finish
