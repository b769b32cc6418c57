#!/bin/sh
# e2e_ingest.sh: dualstat ingest through the real binary, with no web server: lines on stdin
# and syslog datagrams on a Unix socket become exactly their requests (how = log, the line's
# own hour); batches go in while it runs and are shown by dualstat status; EOF and SIGTERM
# commit what is in memory; a locked database holds nothing up: a bounded backlog, the
# requests past it dropped and counted, taken by itself once the lock goes; a kill -9 loses
# exactly the batch in memory and nothing committed; usage errors; no full address on disk.
. "${top_srcdir:-.}/tests/lib.sh"
need_sqlite3
need_cmd logger bsdutils
# A status while the test holds a lock waits 100 ms for it, not a second.
write_conf "busy_timeout_ms = 100" "node = ingest-7"
mkdir -p "$W/db"

# clf ADDR HH:MM:SS: one combined line of 1 March 2024, UTC+1.
clf() {
	printf '%s - - [01/Mar/2024:%s +0100] "GET /p HTTP/1.1" 200 5 "-" "curl/8.0"\n' "$1" "$2"
}
total() {
	"$DUALSTAT" -c "$CONF" report --from 2024-03-01 --to 2024-03-01 --format json \
	    > "$W/r.json" 2> /dev/null || { echo none; return 0; }
	sed -n 's/.*"total":\([0-9]*\),.*/\1/p' "$W/r.json"
}
# ifield NAME: a number of the (one) running ingest process in status.json, "" when none runs.
ifield() {
	"$DUALSTAT" -c "$CONF" status --format json > "$W/s.json" 2> /dev/null || true
	sed -n 's/.*"ingest":\[\(.*\)\].*/\1/p' "$W/s.json" |
	    sed -n "s/.*\"$1\":\\([0-9]*\\)[,}].*/\\1/p"
}
is() { [ "$(ifield "$1")" = "$2" ]; }
total_is() { [ "$(total)" = "$1" ]; }
runs() { [ -n "$(ifield pid)" ]; }

# ---- stdin to its end: every request, the format detected, junk skipped
{
	echo 'not a log line'
	clf 203.0.113.7 10:00:01
	clf 2001:db8:1:2:3:4:5:6 10:10:00
	clf ::ffff:198.51.100.9 10:20:00
	clf host.example.net 10:30:00
	clf 2001:db8:1::99 11:59:59
} > "$W/five.log"
set +e
"$DUALSTAT" -c "$CONF" ingest --host www.example.test < "$W/five.log" > "$W/out" 2> "$W/err"
rc=$?
set -e
expect_eq "stdin: exit at its end" 0 "$rc"
contains "stdin: its summary" "stdin: 6 lines, 4 requests recorded, 2 skipped, 0 dropped" "$W/err"
expect_eq "stdin: the requests" 4 "$(total)"
contains "stdin: how = log" '"hows":[{"how":"log","requests":4}]' "$W/r.json"
contains "stdin: the host given" '"hosts":[{"host":"www.example.test","ipv4":2,"ipv6":2}]' "$W/r.json"
"$DUALSTAT" -c "$CONF" report --from 2024-03-01 --to 2024-03-01 --format csv > "$W/series.csv"
contains "stdin: each line's own hour (09:00 UTC)" "2024-03-01T09:00:00Z,2,1," "$W/series.csv"
contains "stdin: each line's own hour (10:00 UTC)" "2024-03-01T10:00:00Z,0,1," "$W/series.csv"
expect_eq "stdin: no raw rows (cells only)" 0 "$(sql 'SELECT count(*) FROM request')"

# A line longer than any server writes (64 KiB) is one skipped line, in the middle and at the end.
{
	clf 203.0.113.40 10:00:05
	head -c 70000 /dev/zero | tr '\0' x
	echo
	clf 203.0.113.41 10:00:06
	head -c 70000 /dev/zero | tr '\0' y
} > "$W/long.log"
mkdir -p "$W/long"
printf 'database = %s\n' "$W/long/dualstat.db" > "$W/long.conf"
"$DUALSTAT" -c "$W/long.conf" ingest < "$W/long.log" 2> "$W/err"
contains "too long: skipped, the others taken" "stdin: 4 lines, 2 requests recorded, 2 skipped" "$W/err"

# ---- while it runs: batches go in by themselves, and status shows the process
mkfifo "$W/pipe"
"$DUALSTAT" -c "$CONF" ingest < "$W/pipe" 2> "$W/err2" 3>&- 4>&- &
ING=$!
track "$ING"
exec 3> "$W/pipe"
clf 192.0.2.1 12:00:00 >&3
clf 2001:db8:2::1 12:00:01 >&3
check "running: the batch is committed without an end of input" wait_for total_is 6
check "running: status shows its rows" wait_for is rows 2
expect_eq "running: its lines" 2 "$(ifield lines)"
expect_eq "running: nothing waits" 0 "$(ifield backlog)"
expect_eq "running: its pid" "$ING" "$(ifield pid)"
contains "running: what it reads" '"source":"stdin"' "$W/s.json"
contains "running: the last line's time" '"last_line":"2024-03-01T11:00:01Z"' "$W/s.json"
"$DUALSTAT" -c "$CONF" status > "$W/status.txt" || true
contains "running: dualstat status in text" "2 read, 2 recorded, 0 skipped" "$W/status.txt"
exec 3>&-
wait "$ING" || fail "running: exit at the end of its input"
expect_eq "ended: no process shown" "" "$(ifield pid)"
contains "ended: nothing on stdout, and no slot left" '"ingest":[]' "$W/s.json"

# Every process started below closes fds 3 and 4 (the test's ends of its pipes), or a
# reader of a pipe would never see its end.

# ---- SIGTERM commits the batch in memory (batches held an hour, so only the signal can)
DUALSTAT_INGEST_BATCH_MS=3600000
export DUALSTAT_INGEST_BATCH_MS
"$DUALSTAT" -c "$CONF" ingest < "$W/pipe" 2> "$W/err3" 3>&- 4>&- &
ING=$!
track "$ING"
exec 3> "$W/pipe"
clf 192.0.2.3 12:00:03 >&3
clf 192.0.2.4 12:00:04 >&3
check "sigterm: read, held in memory" wait_for is backlog 2
expect_eq "sigterm: not committed yet" 6 "$(total)"
kill -TERM "$ING"
wait "$ING" || fail "sigterm: exit 0"
exec 3>&-
expect_eq "sigterm: the batch in memory committed" 8 "$(total)"
contains "sigterm: its summary" "2 requests recorded" "$W/err3"
# Lines already in the pipe when SIGTERM comes are read too (stopped, so it cannot read
# them before): Apache's graceful restart stops its old piped logger so.
"$DUALSTAT" -c "$CONF" ingest < "$W/pipe" 2> "$W/err3" 3>&- 4>&- &
ING=$!
track "$ING"
exec 3> "$W/pipe"
check "sigterm: the next one runs" wait_for runs
kill -STOP "$ING"
clf 192.0.2.5 12:00:05 >&3
clf 192.0.2.6 12:00:06 >&3
kill -TERM "$ING"
kill -CONT "$ING"
wait "$ING" || fail "sigterm: exit 0 after a stop"
exec 3>&-
expect_eq "sigterm: the lines waiting in the pipe committed too" 10 "$(total)"

# ---- a locked database: the backlog, bounded (two groups here), drops counted, taken later
unset DUALSTAT_INGEST_BATCH_MS
mkfifo "$W/lockpipe"
"${SQLITE3:-sqlite3}" -batch "$DB" < "$W/lockpipe" > "$W/lock.out" 2>&1 3>&- 4>&- &
LOCKER=$!
track "$LOCKER"
exec 4> "$W/lockpipe"
DUALSTAT_INGEST_BACKLOG=2 "$DUALSTAT" -c "$CONF" ingest < "$W/pipe" 2> "$W/err4" 3>&- 4>&- &
ING=$!
track "$ING"
exec 3> "$W/pipe"
clf 198.51.100.1 13:00:00 >&3
check "locked: a first batch goes in" wait_for total_is 11
printf 'BEGIN EXCLUSIVE;\nSELECT %s;\n' "'locked'" >&4
check "locked: the lock is taken" wait_for grep -q locked "$W/lock.out"
clf 198.51.100.2 13:00:01 >&3	# group 1 (198.51.100.0/24, 12:00 UTC)
clf 198.51.100.3 13:00:02 >&3	# group 1
clf 203.0.113.9 13:00:03 >&3	# group 2
clf 192.0.2.9 13:00:04 >&3	# a third group: past the backlog
check "locked: three wait, one dropped" wait_for is dropped 1
expect_eq "locked: the backlog" 3 "$(ifield backlog)"
expect_eq "locked: every line read" 5 "$(ifield lines)"
expect_eq "locked: nothing half-written" 11 "$(total)"
check "locked: said on stderr" wait_for grep -q "the database cannot take rows" "$W/err4"
printf 'COMMIT;\n' >&4
exec 4>&-
wait "$LOCKER" || true
check "unlocked: the backlog goes in by itself" wait_for total_is 14
check "unlocked: nothing waits" wait_for is backlog 0
expect_eq "unlocked: the drop stays counted" 1 "$(ifield dropped)"
expect_eq "unlocked: the failure said once" 1 "$(grep -c 'cannot take rows' "$W/err4")"
contains "unlocked: said so" "the database takes rows again; 1 requests dropped so far" "$W/err4"

# ---- kill -9: exactly the batch in memory is lost, nothing that was committed
printf 'BEGIN EXCLUSIVE;\nSELECT %s;\n' "'locked again'" > "$W/lock2.sql"
mkfifo "$W/lockpipe2"
"${SQLITE3:-sqlite3}" -batch "$DB" < "$W/lockpipe2" > "$W/lock2.out" 2>&1 3>&- 4>&- &
LOCKER=$!
track "$LOCKER"
exec 4> "$W/lockpipe2"
cat "$W/lock2.sql" >&4
check "kill -9: the lock is taken" wait_for grep -q 'locked again' "$W/lock2.out"
clf 198.51.100.20 14:00:00 >&3
clf 198.51.100.21 14:00:01 >&3
check "kill -9: two in memory" wait_for is backlog 2
kill -9 "$ING"
wait "$ING" 2> /dev/null || true
printf 'COMMIT;\n' >&4
exec 4>&- 3>&-
wait "$LOCKER" || true
expect_eq "kill -9: what was committed is all there, the batch in memory is not" 14 "$(total)"
expect_eq "kill -9: its slot is not shown" "" "$(ifield pid)"
# The next process takes the slot and goes on.
clf 198.51.100.22 14:00:02 | "$DUALSTAT" -c "$CONF" ingest 2> /dev/null
expect_eq "after kill -9: the next one records" 15 "$(total)"

# ---- nginx's syslog datagrams on a Unix socket, the header taken off
SOCK=$(sock_path ingest.sock)
"$DUALSTAT" -c "$CONF" ingest --listen "unixgram:$SOCK" 2> "$W/err5" 3>&- 4>&- &
ING=$!
track "$ING"
check "unixgram: the socket is there" wait_for test -S "$SOCK"
logger -u "$SOCK" -d --rfc3164 -t nginx -p local7.info "$(clf 2001:db8:3::7 15:00:00)"
logger -u "$SOCK" -d --rfc3164 -t nginx -p local7.info "$(clf 2001:db8:: 15:00:01)"
logger -u "$SOCK" -d --rfc3164 -t nginx -p local7.info "$(clf 203.0.113.30 15:00:02)"
check "unixgram: three requests" wait_for total_is 18
expect_eq "unixgram: status shows it" "$ING" "$(ifield pid)"
expect_eq "unixgram: status says what it reads" "unixgram:$SOCK" \
    "$(sed -n 's/.*"source":"\([^"]*\)".*/\1/p' "$W/s.json")"
# A second one on the same socket is refused; the first keeps it.
set +e
"$DUALSTAT" -c "$CONF" ingest --listen "unixgram:$SOCK" > /dev/null 2> "$W/err6"
rc=$?
set -e
expect_eq "unixgram: a second reader refused" 1 "$rc"
contains "unixgram: and why" "another process reads this socket" "$W/err6"
kill -TERM "$ING"
wait "$ING" || fail "unixgram: exit 0 on SIGTERM"
check "unixgram: the socket removed at the end" test ! -e "$SOCK"

# ---- loopback UDP with a receive buffer too small for a burst: what the kernel dropped while
# ingest was stopped is counted as dropped (SO_RXQ_OVFL), and nothing else is lost
UPORT=$(free_port 71)
DUALSTAT_INGEST_RCVBUF=4096 "$DUALSTAT" -c "$CONF" ingest --listen "udp:127.0.0.1:$UPORT" \
    2> "$W/err7" 3>&- 4>&- &
ING=$!
track "$ING"
check "udp: bound" wait_for grep -q "a receive buffer of" "$W/err7"
kill -STOP "$ING"
# udp COUNT FIRST: COUNT syslog datagrams of combined lines, 16:00:FIRST.. (seconds mod 60).
udp() {
	perl -MIO::Socket::INET -e '
		my ($port, $n, $first) = @ARGV;
		my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $port,
		    Proto => "udp") or die "udp: $!\n";
		for my $i ($first .. $first + $n - 1) {
			$s->send(sprintf("<190>Mar  1 16:00:00 nginx: 2001:db8:4::%x - - " .
			    "[01/Mar/2024:16:%02d:%02d +0100] \"GET /p HTTP/1.1\" 200 5 \"-\" " .
			    "\"curl/8.0\"", $i, int($i / 60) % 60, $i % 60)) or die "send: $!\n";
		}' "$UPORT" "$@"
}
udp 500 0
# recvq: the bytes waiting in ingest's socket (ss's Recv-Q).
recvq() { ss -Hlun "( sport = :$UPORT )" | awk '{ print $2; exit }'; }
check "udp: the burst filled the buffer" test "$(recvq)" -gt 0
kill -CONT "$ING"
# The count comes with the next datagram the kernel keeps: once the queue is read.
check "udp: ingest reads what the buffer kept" wait_for sh -c "test \"\$(ss -Hlun '( sport = :$UPORT )' | awk '{ print \$2; exit }')\" = 0"
udp 1 500
kill -TERM "$ING"
wait "$ING" || fail "udp: exit 0 on SIGTERM"
summary=$(grep "requests recorded" "$W/err7")
rec=$(echo "$summary" | sed -n 's/.* \([0-9]*\) requests recorded.*/\1/p')
drop=$(echo "$summary" | sed -n 's/.* \([0-9]*\) dropped.*/\1/p')
echo "udp: $summary"
check "udp: the kernel dropped some of the burst ($drop)" test "${drop:-0}" -gt 0
expect_eq "udp: recorded and dropped add up to what was sent" 501 "$((${rec:-0} + ${drop:-0}))"
expect_eq "udp: what was recorded is in the database" "$((18 + ${rec:-0}))" "$(total)"

# ---- usage errors: one line, exit 2
for args in "--listen tcp:127.0.0.1:9" "--listen udp:192.0.2.1:5140" "--listen udp:0.0.0.0:5140" \
    "--listen udp:127.0.0.1" "--format apache" "--host a..b" "extra" "--listen"; do
	set +e
	# shellcheck disable=SC2086
	"$DUALSTAT" -c "$CONF" ingest $args < /dev/null > /dev/null 2> "$W/uerr"
	rc=$?
	set -e
	expect_eq "usage: ingest $args: exit 2" 2 "$rc"
	expect_eq "usage: ingest $args: one line" 1 "$(wc -l < "$W/uerr")"
done
: > "$W/plain"
set +e
"$DUALSTAT" -c "$CONF" ingest --listen "unixgram:$W/plain" < /dev/null 2> "$W/uerr"
rc=$?
set -e
expect_eq "a file that is no socket: exit 1" 1 "$rc"
contains "a file that is no socket: said" "exists and is no socket" "$W/uerr"

# ---- the rows are the ingesting dualstat's: its node (the --listen one's config too)
expect_eq "ingested rows carry the ingester's node" "ingest-7" \
    "$(sql "SELECT DISTINCT node FROM rollup_host")"

# ---- privacy: no full client address in the database, its WAL or the counters file
for a in 203.0.113.7 2001:db8:1:2:3:4:5:6 198.51.100.9 2001:db8:1::99 192.0.2.1 \
    2001:db8:2::1 198.51.100.20 2001:db8:3::7 203.0.113.30; do
	for f in "$DB" "$DB-wal" "$DB-counters"; do
		[ -e "$f" ] || continue
		if grep -aqF "$a" "$f"; then fail "privacy: $a in $f"; else ok; fi
	done
done

finish
