#!/bin/sh
# e2e_follow.sh: dualstat ingest --follow FILE through the real binary, with no web server:
# the lines already in the file and those appended become exactly their requests; a line
# without its '\n' waits until it is whole; a kill -9 with a batch in memory and a restart
# lose nothing and double nothing (the file's record goes in with the rows); rename rotation
# (the old file read to its end, a late line in it too, then the new one from byte 0);
# copytruncate; the file missing for a while; an unfinished line at a rotation counted as
# cut; a locked database: the file is not read on, nothing dropped, all of it in afterwards;
# import of the rotated file afterwards adds nothing; an import of the file while ingest
# holds a batch of it: nothing twice; SIGTERM; status; usage errors.
. "${top_srcdir:-.}/tests/lib.sh"
need_sqlite3
write_conf "busy_timeout_ms = 100"
mkdir -p "$W/db" "$W/logs"
LOG="$W/logs/access.log"

# clf ADDR MM:SS: one combined line of 1 March 2024, 10:MM:SS UTC+1.
clf() {
	printf '%s - - [01/Mar/2024:10:%s +0100] "GET /p HTTP/1.1" 200 5 "-" "curl/8.0"\n' "$1" "$2"
}
total() {
	"$DUALSTAT" -c "$CONF" report --from 2024-03-01 --to 2024-03-01 --format json \
	    > "$W/r.json" 2> /dev/null || { echo none; return 0; }
	sed -n 's/.*"total":\([0-9]*\),.*/\1/p' "$W/r.json"
}
ifield() {
	"$DUALSTAT" -c "$CONF" status --format json > "$W/s.json" 2> /dev/null || true
	sed -n 's/.*"ingest":\[\(.*\)\].*/\1/p' "$W/s.json" |
	    sed -n "s/.*\"$1\":\\([0-9]*\\)[,}].*/\\1/p"
}
is() { [ "$(ifield "$1")" = "$2" ]; }
total_is() { [ "$(total)" = "$1" ]; }
start() {
	"$DUALSTAT" -c "$CONF" ingest --follow "$LOG" --host www.example.test 2> "$1" &
	ING=$!
	track "$ING"
}
stop() {
	kill -TERM "$ING"
	wait "$ING" || fail "$1: exit 0 on SIGTERM"
}

# ---- usage: one source at a time
set +e
"$DUALSTAT" -c "$CONF" ingest --follow "$LOG" --listen "unixgram:$W/s" > /dev/null 2> "$W/uerr"
rc=$?
set -e
expect_eq "usage: --follow with --listen: exit 2" 2 "$rc"
contains "usage: and why" "one source at a time" "$W/uerr"

# ---- what the file holds already, then what is appended; junk skipped
{
	echo 'not a log line'
	clf 203.0.113.7 00:01
	clf 2001:db8:1::7 00:02
} > "$LOG"
start "$W/e1"
check "the lines already there" wait_for total_is 2
clf 192.0.2.1 00:03 >> "$LOG"
clf 2001:db8:2::1 00:04 >> "$LOG"
check "appended lines" wait_for total_is 4
check "status: its lines" wait_for is lines 5
expect_eq "status: one skipped" 1 "$(ifield skipped)"
expect_eq "status: nothing dropped" 0 "$(ifield dropped)"
contains "status: the file is its source" "\"source\":\"$LOG\"" "$W/s.json"
contains "status: the last line's time" '"last_line":"2024-03-01T09:00:04Z"' "$W/s.json"
contains "how = log" '"hows":[{"how":"log","requests":4}]' "$W/r.json"
# A line without its '\n' waits until it is whole.
printf '%s' "$(clf 192.0.2.2 00:05)" >> "$LOG"
sleep 1.5
expect_eq "a partial line: not yet" 4 "$(total)"
expect_eq "a partial line: not read as a line" 5 "$(ifield lines)"
echo >> "$LOG"
check "a partial line: once whole" wait_for total_is 5
stop "first run"
contains "its summary" "$LOG: 6 lines, 5 requests recorded, 1 skipped, 0 dropped" "$W/e1"

# ---- restart: goes on where the database has it, nothing twice
clf 192.0.2.3 00:06 >> "$LOG"
start "$W/e2"
check "restart: only the new line" wait_for total_is 6
contains "restart: said where it goes on" "going on at byte" "$W/e2"

# ---- kill -9 with a batch in memory: the next one reads it again, exactly
stop "before kill -9"
DUALSTAT_INGEST_BATCH_MS=3600000 "$DUALSTAT" -c "$CONF" ingest --follow "$LOG" \
    --host www.example.test 2> "$W/e3" &
ING=$!
track "$ING"
check "kill -9: running" wait_for is lines 0
clf 198.51.100.1 00:07 >> "$LOG"
clf 2001:db8:3::1 00:08 >> "$LOG"
check "kill -9: two read, held in memory" wait_for is backlog 2
expect_eq "kill -9: not committed yet" 6 "$(total)"
kill -9 "$ING"
wait "$ING" 2> /dev/null || true
clf 198.51.100.2 00:09 >> "$LOG"
start "$W/e4"
check "after kill -9: the batch lost in memory read again, and the new line" wait_for total_is 9
sleep 1.5
expect_eq "after kill -9: nothing twice" 9 "$(total)"

# ---- logrotate's rename, a late line into the old file, then the new file
mv "$LOG" "$LOG.1"
clf 203.0.113.10 00:10 >> "$LOG.1"
check "renamed: the old file read on" wait_for total_is 10
clf 203.0.113.11 00:11 > "$LOG"
# A worker's last flush into the old file after the new one is there (nginx -s reopen).
clf 203.0.113.12 00:12 >> "$LOG.1"
printf 'half a line' >> "$LOG.1"
check "renamed: the late line, and the new file from byte 0" wait_for total_is 12
check "renamed: the unfinished line counted as cut" wait_for grep -q "never ended before the file changed" "$W/e4"
clf 203.0.113.13 00:13 >> "$LOG"
check "renamed: the new file read on" wait_for total_is 13

# ---- copytruncate: the same file from byte 0
cp "$LOG" "$LOG.2"
: > "$LOG"
clf 2001:db8:4::1 00:14 >> "$LOG"
check "copytruncate: the new lines" wait_for total_is 14
clf 2001:db8:4::2 00:15 >> "$LOG"
check "copytruncate: read on" wait_for total_is 15

# ---- the file missing for a while
rm "$LOG"
sleep 1.5
clf 2001:db8:5::1 00:16 > "$LOG"
check "missing, then there again: read from byte 0" wait_for total_is 16

# ---- a locked database: not read on, nothing dropped, all of it once the lock goes
mkfifo "$W/lockpipe"
"${SQLITE3:-sqlite3}" -batch "$DB" < "$W/lockpipe" > "$W/lock.out" 2>&1 3>&- &
LOCKER=$!
track "$LOCKER"
exec 3> "$W/lockpipe"
printf 'BEGIN EXCLUSIVE;\nSELECT %s;\n' "'locked'" >&3
check "locked: the lock is taken" wait_for grep -q locked "$W/lock.out"
for s in 17 18 19 20 21; do clf 192.0.2.$s 00:$s >> "$LOG"; done
check "locked: said on stderr" wait_for grep -q "is not read on until it does" "$W/e4"
sleep 1
expect_eq "locked: nothing half-written" 16 "$(total)"
printf 'COMMIT;\n' >&3
exec 3>&-
wait "$LOCKER" || true
check "unlocked: every line in, by itself" wait_for total_is 21
expect_eq "unlocked: nothing dropped" 0 "$(ifield dropped)"
stop "after the lock"
contains "the last summary: the cut line among the skipped" "0 dropped" "$W/e4"

# ---- the rotated files imported afterwards: nothing twice (the same records as import's)
"$DUALSTAT" -c "$CONF" import --host www.example.test "$LOG.1" "$LOG" > "$W/imp" 2>&1 ||
    { fail "import of the followed files"; cat "$W/imp"; }
expect_eq "import after follow: nothing twice" 21 "$(total)"
contains "import after follow: all of access.log.1 was in" "imported before" "$W/imp"

# ---- dualstat import of the file ingest follows, while ingest holds a batch of it: whichever
# commits first counts the lines, the other finds the record moved on and reads the file again
LOG=$W/logs/other.log
clf 198.51.100.30 00:30 > "$LOG"
clf 198.51.100.31 00:31 >> "$LOG"
DUALSTAT_INGEST_BATCH_MS=3600000 "$DUALSTAT" -c "$CONF" ingest --follow "$LOG" \
    --host www.example.test 2> "$W/e5" &
ING=$!
track "$ING"
check "both: ingest holds the two lines" wait_for is backlog 2
"$DUALSTAT" -c "$CONF" import --host www.example.test "$LOG" > "$W/imp2" 2>&1 ||
    fail "both: the import"
expect_eq "both: the import counted them" 23 "$(total)"
stop "both"
contains "both: ingest saw the record moved on" "imported by another process meanwhile" "$W/e5"
expect_eq "both: nothing twice" 23 "$(total)"
clf 198.51.100.32 00:32 >> "$LOG"
start "$W/e6"
check "both: the next ingest takes only the new line" wait_for total_is 24
sleep 1.5
expect_eq "both: still nothing twice" 24 "$(total)"
stop "the last"

# ---- privacy
for a in 203.0.113.7 2001:db8:1::7 192.0.2.1 198.51.100.1 2001:db8:4::1; do
	for f in "$DB" "$DB-wal" "$DB-counters"; do
		[ -e "$f" ] || continue
		if grep -aqF "$a" "$f"; then fail "privacy: $a in $f"; else ok; fi
	done
done
finish
