#!/bin/sh
# rel_disk.sh: the database on a small tmpfs of its own, behind nginx and `dualstat serve`.
# 1. The tmpfs fills up: the landing page and beacons still answer 200/204, /status answers
#    503 with the error, and once the filler is removed recording resumes by itself.
# 2. The file system is read-only when serve starts (a running writer's open files would
#    keep Linux from remounting it read-only): pages answer, /status is 503 with the error;
#    remounted read-write, recording resumes by itself.  The database passes integrity_check.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/rel_lib.sh"
need_sqlite3
need_nginx
[ "$(id -u)" -eq 0 ] || skip "mounting a tmpfs needs root"
PORT=$(free_port 44)
D="$W/disk"
mkdir -p "$D"
mount -t tmpfs -o size=1m,mode=0755 dualstat-rel-disk "$D" || skip "cannot mount a tmpfs on $D"
# Unmount after the servers are stopped, whatever happens.
at_cleanup 'umount "$D" 2>/dev/null || umount -l "$D" 2>/dev/null || true'
DB="$D/db/dualstat.db"
write_conf
serve_start 2
nginx_start "$PORT"
U=http://127.0.0.1:$PORT

# status_field NAME: a field of the last /status.json fetched (in $W/b), raw.
status_field() {
	sed -n "s/.*\"$1\":\(\"[^\"]*\"\|[a-z0-9]*\).*/\1/p" "$W/b"
}
# recorded_again NAME: a beacon with Host NAME is answered and has its row now.
recorded_again() {
	_n=$(( ${_n:-0} + 1 ))
	[ "$(get "$U/beacon" -H "Host: $1-$_n.test")" = 204 ] &&
	    [ "$(sql "SELECT count(*) FROM request WHERE host = '$1-$_n.test'")" = 1 ]
}
# status_is CODE: /status.json answers CODE now.
status_is() {
	[ "$(get "$U/status.json")" = "$1" ]
}
# pages_answer PHASE: landing page, beacon.gif and beacon answer whatever the database does.
pages_answer() {
	expect_eq "$1: landing page" 200 "$(get "$U/")"
	contains "$1: landing page is dualstat's" "over IPv4" "$W/b"
	expect_eq "$1: beacon.gif" 200 "$(get "$U/beacon.gif")"
	expect_eq "$1: beacon" 204 "$(get "$U/beacon")"
	expect_eq "$1: record" 204 "$(get "$U/record")"
}

pages_answer "before"
expect_eq "before: status" 200 "$(get "$U/status.json")"
expect_eq "before: rows" 4 "$(sql 'SELECT count(*) FROM request')"

# ---- 1. full
dd if=/dev/zero of="$D/filler" bs=4k > /dev/null 2>&1 || true
check "the tmpfs is full" sh -c "! dd if=/dev/zero of='$D/more' bs=4k count=1 2>/dev/null"
rm -f "$D/more"
# Each commit needs room for WAL frames: the failures come within a few requests.
i=0
while [ $i -lt 100 ]; do
	pages_answer "full $i" > "$W/pages.out"
	get "$U/status.json" > /dev/null
	[ "$(status_field record_failures)" != 0 ] && break
	i=$((i + 1))
done
cat "$W/pages.out"
expect_eq "full: /status.json answers 503" 503 "$(get "$U/status.json")"
echo "full after $i rounds: record_failures=$(status_field record_failures) last_error=$(status_field last_error)"
check "full: failures counted" test "$(status_field record_failures)" -gt 0
contains "full: the error says the disk is full" "full" "$W/b"
expect_eq "full: /status answers 503" 503 "$(get "$U/status")"
contains "full: /status says NOT WRITABLE" "NOT WRITABLE" "$W/b"
pages_answer "full"
expect_eq "full: landing page" 200 "$(get "$U/")"
contains "full: the landing page says this visit was not recorded" "not recorded" "$W/b"
lacks "no worker died" "signal" "$W/serve.log"

rm -f "$D/filler"
check "full: recording resumes by itself once space returns" wait_for recorded_again space
# Each worker retries its own connection (at most once a second): a bound, not a delay.
check "space back: /status.json answers 200 again" wait_for status_is 200
pages_answer "space back"
nginx_stop
serve_stop
integrity "after the full disk:"

# ---- 2. read-only
# (SQLite cannot open a WAL database where it cannot create the -shm file: count first.)
before=$(sql 'SELECT count(*) FROM request')
mount -o remount,ro "$D" || fail "cannot remount $D read-only"
check "the tmpfs is read-only" sh -c "! touch '$D/x' 2>/dev/null"
serve_start 2
nginx_start "$PORT"
pages_answer "read-only"
expect_eq "read-only: /status.json answers 503" 503 "$(get "$U/status.json")"
echo "read-only: last_error=$(status_field last_error)"
check "read-only: an error is shown" test "$(status_field last_error)" != null
# The owner must learn why, as serve's log says it: "cannot open ...: Read-only file system".
contains "read-only: /status.json says why" "Read-only file system" "$W/b"
expect_eq "read-only: /status answers 503" 503 "$(get "$U/status")"
contains "read-only: /status says NOT WRITABLE" "NOT WRITABLE" "$W/b"
contains "read-only: /status says why" "Read-only file system" "$W/b"

mount -o remount,rw "$D" || fail "cannot remount $D read-write"
expect_eq "read-only: nothing was written" "$before" "$(sql 'SELECT count(*) FROM request')"
check "read-only: recording resumes by itself once writable" wait_for recorded_again rw
check "writable: /status.json answers 200 again" wait_for status_is 200
pages_answer "writable"
nginx_stop
serve_stop
lacks "nginx logged nothing critical" "[crit]" "$N/error.log"
integrity "at the end:"
finish
