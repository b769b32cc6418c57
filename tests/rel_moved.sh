#!/bin/sh
# rel_moved.sh: the database is deleted (with its -wal and -shm), renamed away, and replaced
# by a restore (a copy renamed over it) while `dualstat serve --workers 2` records beacons
# from four clients at once.  After each: every beacon answered 204 once the change was made
# has its row in the file at the path, once; a file renamed away keeps the rows it had; no
# file is corrupt (a new file paired with the old one's -wal and -shm would be); every
# worker, the surviving one and one respawned after a kill, has the file at the path open
# and writes to it.  While the file cannot be made again (its folder replaced by a file)
# /status.json answers 503 and failures are counted; once it can, 200 and rows again.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/rel_lib.sh"
need_sqlite3
need_cmd setpriv util-linux
[ -n "${CGI_FCGI:-}" ] && [ -x "$CGI_FCGI" ] || CGI_FCGI=$(command -v cgi-fcgi || true)
[ -n "$CGI_FCGI" ] || skip "cgi-fcgi not found (Debian package libfcgi-bin)"
id www-data >/dev/null 2>&1 || skip "no www-data group for serve's socket"
write_conf
mkdir -p "$W/db"
serve_start 2

# fcgi PATH HOST: one request to serve, straight over its socket; the status code on
# stdout, the response in $W/fcgi.$OUT.out (each client has its own).
OUT=main
fcgi() {
	env -i PATH="$PATH" REQUEST_METHOD=GET SCRIPT_NAME=/dualstat PATH_INFO="$1" \
	    QUERY_STRING= SERVER_ADDR=::1 HTTP_HOST="$2" REMOTE_ADDR=::1 \
	    timeout 10 "$CGI_FCGI" -bind -connect "$SOCK" < /dev/null > "$W/fcgi.$OUT.out" 2>&1 || true
	sed -n 's/^Status: \([0-9]*\).*/\1/p' "$W/fcgi.$OUT.out" | head -n 1
}

# client PHASE N: beacons named PHASE-{b,a}-N-I.test, "a" once $W/made.PHASE exists when the
# request starts (the change is complete), until 12 went out after it (at most 150 in all).
# One "HOST STATUS" line each in $W/load.PHASE.N.
client() {
	_i=0 _after=0 OUT=$1.$2
	: > "$W/load.$1.$2"
	while [ $_after -lt 12 ] && [ $_i -lt 150 ]; do
		if [ -e "$W/made.$1" ]; then _t=a _after=$((_after + 1)); else _t=b; fi
		_h=$1-$_t-$2-$_i.test
		echo "$_h $(fcgi /beacon "$_h")" >> "$W/load.$1.$2"
		_i=$((_i + 1))
	done
}

# load_start PHASE: four clients at once; load_wait waits for them.
load_start() {
	LOADERS=""
	for _n in 1 2 3 4; do
		client "$1" $_n &
		LOADERS="$LOADERS $!"
	done
}
load_wait() {
	for _p in $LOADERS; do wait "$_p"; done
}
# sent PHASE: requests answered so far.
sent() {
	cat "$W"/load."$1".* 2>/dev/null | wc -l
}
# answered PHASE TAG: the hosts of PHASE's requests with TAG answered 204, sorted.
answered() {
	cat "$W"/load."$1".* | awk -v p="$1-$2-" 'index($1, p) == 1 && $2 == 204 { print $1 }' | sort
}
# rows FILE PHASE TAG: the hosts of those rows in FILE, sorted (duplicates kept).
rows() {
	[ -e "$1" ] || return 0
	"${SQLITE3:-sqlite3}" -batch -noheader -cmd ".timeout 5000" "$1" \
	    "SELECT host FROM request WHERE host LIKE '$2-$3-%' ORDER BY host" | sort
}

# burst NAME: four beacons at once (NAME-1.test ...), so that both workers take some; their
# status codes in $W/burst.
burst() {
	_pids=""
	for _n in 1 2 3 4; do
		(OUT=$1.$_n; fcgi /beacon "$1-$_n.test" > "$W/burst.$_n") &
		_pids="$_pids $!"
	done
	for _p in $_pids; do wait "$_p"; done
	cat "$W"/burst.[1-4] | sort -u > "$W/burst"
}

# on_path: no worker has a file of the test open but the database's at the path (none
# deleted, none renamed away).  A worker finds out at its next request: beacon_on_path
# sends a burst first, so this holds once each has had one.
on_path() {
	for _w in $(workers); do
		for _f in /proc/"$_w"/fd/*; do
			_l=$(readlink "$_f" 2>/dev/null) || continue
			case $_l in
			"$W"/db*|"$W"/away*) ;;
			*) continue ;;
			esac
			case $_l in
			"$DB"|"$DB-wal"|"$DB-shm") ;;
			*) return 1 ;;
			esac
		done
	done
}
BURST=check
beacon_on_path() {
	burst $BURST
	on_path
}

# same DESCRIPTION WANT GOT: the two files are the same; if not, how they differ (-: a 204
# without its row, +: a row without its 204, or twice).
same() {
	if cmp -s "$2" "$3"; then
		ok
	else
		fail "$1"
		diff "$2" "$3" | grep '^[<>]' | sed 's/^</-/; s/^>/+/' | head -n 20
	fi
}

# after PHASE: what must hold once PHASE's change was made.
after() {
	answered "$1" a > "$W/answered.$1"
	rows "$DB" "$1" a > "$W/rows.$1"
	_n=$(wc -l < "$W/answered.$1")
	echo "$1: $(sent "$1") requests, $_n answered after the change, $(wc -l < "$W/rows.$1") rows"
	check "$1: requests after the change ($_n)" test "$_n" -ge 24
	expect_eq "$1: every request answered 204" 0 \
	    "$(cat "$W"/load."$1".* | awk '$2 != 204' | wc -l)"
	# Each answer after the change has its row in the file at the path, once.
	same "$1: every 204 after the change has one row at the path" \
	    "$W/answered.$1" "$W/rows.$1"
	integrity "$1: the file at the path"
	check "$1: every worker writes to the file at the path" wait_for beacon_on_path
}

# respawned PHASE: a worker killed and replaced; then both record into the file at the path.
respawned() {
	_victim=$(workers | head -n 1)
	kill -9 "$_victim"
	check "$1: the killed worker is gone" wait_for sh -c "! ps -o pid= --ppid $SERVE | grep -qw $_victim"
	check "$1: and replaced" wait_for has_workers 2
	touch "$W/made.$1-k"
	load_start "$1-k"
	load_wait
	after "$1-k"
}

expect_eq "a first beacon" 204 "$(fcgi /beacon first.test)"
expect_eq "status before" 200 "$(fcgi /status.json ::1)"

# ---- deleted, with its -wal and -shm, mid-run
load_start rm
check "rm: load under way" wait_for sh -c "test \$(cat '$W'/load.rm.* | wc -l) -ge 8"
rm -f "$DB" "$DB-wal" "$DB-shm"
touch "$W/made.rm"
load_wait
after rm
respawned rm

# ---- renamed away (alone: its -wal and -shm stay at the path) mid-run
load_start away
check "away: load under way" wait_for sh -c "test \$(cat '$W'/load.away.* | wc -l) -ge 8"
mv "$DB" "$W/away.db"
touch "$W/made.away"
load_wait
after away
# Answered before the change: in the file renamed away, or (committed after it) at the path.
# A batch whose commit was under way when the file was renamed is in the file renamed away and,
# recorded again because its file had moved (store.c), at the path too: a row may be in both
# files, but never twice in one.
answered away b > "$W/answered.away-b"
rows "$W/away.db" away b > "$W/rows.away-b.away"
rows "$DB" away b > "$W/rows.away-b.path"
sort -u "$W/rows.away-b.away" "$W/rows.away-b.path" > "$W/rows.away-b"
same "away: every 204 before the change is in one of the two files" \
    "$W/answered.away-b" "$W/rows.away-b"
expect_eq "away: none twice in the file renamed away" "" "$(uniq -d "$W/rows.away-b.away")"
expect_eq "away: none twice at the path" "" "$(uniq -d "$W/rows.away-b.path")"
echo "away: $(comm -12 "$W/rows.away-b.away" "$W/rows.away-b.path" | wc -l) rows in both files"
integrity_of() {
	expect_eq "$1 integrity_check" ok \
	    "$("${SQLITE3:-sqlite3}" -batch -noheader "$1" 'PRAGMA integrity_check')"
}
integrity_of "$W/away.db"
respawned away

# ---- replaced by a restore: a copy renamed over it, mid-run
"${SQLITE3:-sqlite3}" -batch -cmd ".timeout 5000" "$DB" ".backup '$W/copy.db'"
copied=$(rows "$W/copy.db" '%' '%' | wc -l)
load_start restore
check "restore: load under way" wait_for sh -c "test \$(cat '$W'/load.restore.* | wc -l) -ge 8"
mv "$W/copy.db" "$DB"
touch "$W/made.restore"
load_wait
after restore
# The copy's rows and what came after, not the replaced file's log.
expect_eq "restore: none of the rows of before the copy was made is lost" "$copied" \
    "$(rows "$DB" '%' '%' | grep -cv '^restore-')"
respawned restore

# ---- the file cannot be made again: its folder is replaced by a file
rm -rf "$W/db"
: > "$W/db"
i=0
while [ $i -lt 5 ]; do
	burst nofolder-$i
	expect_eq "no folder: burst $i answered" 204 "$(cat "$W/burst")"
	expect_eq "no folder: /status.json $i answers 503" 503 "$(fcgi /status.json ::1)"
	i=$((i + 1))
done
cp "$W/fcgi.main.out" "$W/status-nofolder.out"
contains "no folder: /status.json counts the failures" '"record_failures":' "$W/status-nofolder.out"
lacks "no folder: failures counted" '"record_failures":0,' "$W/status-nofolder.out"
contains "no folder: and says why" 'Not a directory' "$W/status-nofolder.out"
BURST=nofolder-check
check "no folder: no worker holds a file of the database" wait_for beacon_on_path
BURST=check
rm -f "$W/db"
mkdir "$W/db"
# Until a row is recorded again, the failures are the latest news: 503 (app.h).
status_ok() {
	burst probe
	test "$(fcgi /status.json ::1)" = 200
}
check "the folder is back: /status.json answers 200" wait_for status_ok
touch "$W/made.back"
load_start back
load_wait
after back
respawned back
expect_eq "nothing of the outage recorded" 0 "$(sql "SELECT count(*) FROM request WHERE host LIKE 'nofolder%'")"

# ---- deleted while nothing comes: the workers let go of it by themselves, within the
# upkeep's period (app.h: APP_MAINTAIN_SECONDS), without a request
rm -f "$DB" "$DB-wal" "$DB-shm"
waited=0
until on_path || [ $waited -ge 25 ]; do
	sleep 1
	waited=$((waited + 1))
done
check "idle: no worker holds the deleted file after ${waited} s" on_path

serve_stop
lacks "no worker died but the ones killed" "exited with" "$W/serve.log"
finish
