#!/bin/sh
# e2e_privacy.sh: full client addresses never reach the disk: not the database, its WAL or
# shared memory, nor the logs.  Searched as text (every spelling) and as binary.
. "${top_srcdir:-.}/tests/lib.sh"
need_sqlite3
write_conf "trusted_proxies = 127.0.0.1"

# Addresses whose host part differs from the stored prefix, so a leak is visible.
V6=2001:db8:1:2:3:4:5:6
V6_LONG=2001:0db8:0001:0002:0003:0004:0005:0006
V6_MAPPED_SRC=::ffff:198.51.100.77
V4=203.0.113.77
V4_XFF=192.0.2.199

cgi /beacon 192.0.2.1
# A reader holding a transaction open keeps every frame in the WAL (no checkpoint, no
# delete on close), so the WAL searched below holds all that was written.
mkfifo "$W/hold"
"${SQLITE3:-sqlite3}" "$DB" < "$W/hold" > /dev/null &
HOLDER=$!
track $HOLDER
exec 3> "$W/hold"
echo 'BEGIN; SELECT count(*) FROM request;' >&3
sleep 0.3
i=0
while [ $i -lt 20 ]; do
	cgi / "$V6"
	cgi /beacon.gif "$V4"
	cgi /beacon "$V6_MAPPED_SRC"
	cgi /record 127.0.0.1 HTTP_X_FORWARDED_FOR="$V4_XFF"
	cgi /index.html "$V6" FCGI_ROLE=AUTHORIZER
	i=$((i + 1))
done
cat "$W/err" >> "$W/logs"
cgi / 'bad:peer:99:zz' 2>> "$W/logs"
cat "$W/err" >> "$W/logs"
expect_eq "rows recorded" 101 "$(sql 'SELECT count(*) FROM request')"
expect_eq "the prefixes that were stored" "192.0.2.0/24
198.51.100.0/24
2001:db8:1::/48
203.0.113.0/24" "$(sql 'SELECT DISTINCT prefix FROM request ORDER BY prefix')"
ls "$W/db" > "$W/files"
contains "the WAL exists to be searched" "dualstat.db-wal" "$W/files"
contains "the counters file exists to be searched" "dualstat.db-counters" "$W/files"

# search NEEDLE-BYTES DESCRIPTION: no file under the db folder, and no log, holds them.
search() {
	for f in "$W"/db/* "$W/logs"; do
		[ -f "$f" ] || continue
		if LC_ALL=C grep -qaF -- "$1" "$f"; then
			fail "$2 found in $f"
			return
		fi
	done
	ok
}
for text in "$V6" "$V6_LONG" "2001:db8:1:2:3:4" "$V4" "$V4_XFF" "198.51.100.77" "bad:peer:99"; do
	search "$text" "address text $text"
done
# Binary forms: the bytes in network order, as a careless store would write them.  Shell
# strings cannot hold NUL, so both sides are compared as space-separated hex bytes.
binsearch() {
	for f in "$W"/db/*; do
		if od -An -tx1 -v "$f" | tr '\n' ' ' | tr -s ' ' | grep -qF " $1 "; then
			fail "$2 found in $f"
			return
		fi
	done
	ok
}
binsearch "20 01 0d b8 00 01 00 02 00 03 00 04 00 05 00 06" "binary $V6"
binsearch "cb 00 71 4d" "binary $V4"
binsearch "c0 00 02 c7" "binary $V4_XFF"
binsearch "c6 33 64 4d" "binary 198.51.100.77"
# The search can fail: the stored prefixes are there as text, so it would find an address.
if LC_ALL=C grep -qaF "2001:db8:1::/48" "$W/db/dualstat.db" "$W/db/dualstat.db-wal" 2>/dev/null; then ok; else fail "search found not even the prefix"; fi
exec 3>&-

finish
