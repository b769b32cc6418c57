#!/bin/sh
# rel_locked.sh: the sqlite3 shell holds the database's write lock far longer than
# busy_timeout_ms while requests come in through nginx: every request is still answered,
# before the lock is released; each one that records is either recorded or counted as a
# failure in /status.json (record_failures, last_error), /status answers 503 meanwhile;
# after the release recording resumes by itself and /status answers 200 again.  A CGI
# process under the lock waits busy_timeout_ms in all, not once more for its upkeep.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/rel_lib.sh"
need_sqlite3
need_nginx
PORT=$(free_port 43)
write_conf "busy_timeout_ms = 200"
serve_start 2
nginx_start "$PORT"
U=http://127.0.0.1:$PORT

expect_eq "a first beacon" 204 "$(get "$U/beacon" -H 'Host: before.test')"
expect_eq "status before" 200 "$(get "$U/status.json")"
contains "no failures yet" '"record_failures":0' "$W/b"

# locked_now: no write transaction can start right now (no waiting).
locked_now() {
	! "${SQLITE3:-sqlite3}" -batch "$DB" "PRAGMA busy_timeout = 0; BEGIN IMMEDIATE; ROLLBACK;" \
	    > /dev/null 2>&1
}
# The holder: a write transaction, kept open until $W/release exists (at most 30 s).
{
	# The workers' own upkeep (roll-ups after a response) may hold the lock
	# for a moment: wait for it rather than fail to take it.
	echo ".timeout 5000"
	echo "BEGIN IMMEDIATE;"
	echo "INSERT INTO request (time, family, kind, prefix, mapped, server_family, host, how, via_proxy) SELECT time, family, kind, prefix, mapped, server_family, 'holder.test', how, via_proxy FROM request LIMIT 1;"
	i=0
	while [ ! -e "$W/release" ] && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	echo "COMMIT;"
} | "${SQLITE3:-sqlite3}" -batch "$DB" > "$W/holder.out" 2>&1 &
HOLDER=$!
track $HOLDER
check "the shell holds the write lock" wait_for locked_now

# Ten recording requests of each kind, each named by its Host, while the lock is held.
n=0
for path in / /beacon.gif /beacon /record; do
	case $path in /) want=200 ;; /beacon.gif) want=200 ;; *) want=204 ;; esac
	i=0
	while [ $i -lt 10 ]; do
		expect_eq "locked: $path $i answers" $want \
		    "$(get "$U$path" -H "Host: locked-$n.test" --max-time 10)"
		n=$((n + 1))
		i=$((i + 1))
	done
done
expect_eq "locked: landing page" 200 "$(get "$U/" -H "Host: locked-$n.test" --max-time 10)"
n=$((n + 1))
# A CGI process on the same database: its waits for the lock, the request's and the upkeep's
# after the response (its turn is due: no CGI process has taken one), add up to
# busy_timeout_ms (1000 for it).  Issue 9 asks for this bound, so it is timed: more than
# the one wait, well under two (1800 ms leaves 800 ms for starting the process).
{ echo "database = $DB"; echo "busy_timeout_ms = 1000"; } > "$W/cgi.conf"
t0=$(date +%s%N)
cgi /beacon 2001:db8:c61::1 DUALSTAT_CONF="$W/cgi.conf" HTTP_HOST="locked-$n.test"
t1=$(date +%s%N)
n=$((n + 1))
ms=$(((t1 - t0) / 1000000))
echo "a CGI beacon under the lock took $ms ms (busy_timeout_ms = 1000)"
expect_eq "locked: a CGI beacon answers" 204 "$(status_of)"
check "locked: the CGI process waited for the lock ($ms ms >= 1000)" test "$ms" -ge 1000
check "locked: its upkeep did not wait again ($ms ms < 1800)" test "$ms" -lt 1800
contains "locked: the landing page says this visit was not recorded" "not recorded" "$W/b"
expect_eq "locked: the report still reads" 200 "$(get "$U/report.json")"
expect_eq "locked: /status answers 503" 503 "$(get "$U/status")"
contains "locked: /status says NOT WRITABLE" "NOT WRITABLE" "$W/b"
expect_eq "locked: /status.json answers 503" 503 "$(get "$U/status.json")"
cp "$W/b" "$W/status-locked.json"
check "every answer came while the lock was still held" alive $HOLDER
check "and it is still held" locked_now
lacks "the holder's shell saw no error" "Error" "$W/holder.out"

failures=$(sed -n 's/.*"record_failures":\([0-9]*\).*/\1/p' "$W/status-locked.json")
lasterr=$(sed -n 's/.*"last_error":\("[^"]*"\|null\).*/\1/p' "$W/status-locked.json")
echo "during the lock: record_failures=$failures last_error=$lasterr"
check "failures counted (record_failures $failures > 0)" test "${failures:-0}" -gt 0
check "last_error says why" sh -c "test '$lasterr' != null && test -n '$lasterr'"
contains "last_error names the lock" "locked" "$W/status-locked.json"

# Release: recording resumes by itself, nothing restarted.
touch "$W/release"
check "the holder commits and exits" wait_for sh -c "! kill -0 $HOLDER 2>/dev/null"
expect_eq "the holder's row" 1 "$(sql "SELECT count(*) FROM request WHERE host = 'holder.test'")"
recorded=$(sql "SELECT count(*) FROM request WHERE host LIKE 'locked-%'")
echo "locked requests: $n, recorded $recorded, failures $failures"
# Each recording request during the lock: recorded, or counted as a failure; never neither.
expect_eq "each locked request is recorded or counted" $n $((recorded + failures))
expect_eq "after: beacon" 204 "$(get "$U/beacon" -H 'Host: after.test')"
expect_eq "after: recorded again" 1 "$(sql "SELECT count(*) FROM request WHERE host = 'after.test'")"
expect_eq "after: /status answers 200" 200 "$(get "$U/status.json")"
contains "after: writable again" '"writable":true' "$W/b"
contains "after: the failures stay counted" "\"record_failures\":$failures," "$W/b"
nginx_stop
serve_stop
integrity
finish
