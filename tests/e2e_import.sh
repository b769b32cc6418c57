#!/bin/sh
# e2e_import.sh: dualstat import through the real binary: the summary (lines read, imported,
# skipped by reason with line numbers, the format detected), the rows it makes (how = log, the
# line's own hour and host, trusted proxies), and never a line twice: the same file again, a
# grown file, a rotated and a compressed copy, an unrelated file with the same first line, an
# import killed midway; errors that name the file, progress only on a terminal.
. "${top_srcdir:-.}/tests/lib.sh"
need_sqlite3
need_cmd gzip gzip
write_conf "trusted_proxies = 192.0.2.250" "node = importer-1"

# clf ADDR HH:MM:SS [HOST]: one Apache combined line of 1 March 2024, UTC+1.
clf() {
	printf '%s %s - [01/Mar/2024:%s +0100] "GET /p HTTP/1.1" 200 5 "-" "curl/8.0"\n' \
	    "$1" "${3:--}" "$2"
}
# total [EXTRA REPORT OPTIONS]: the report's total for 1 March 2024 (UTC), as JSON says it.
total() {
	"$DUALSTAT" -c "$CONF" report --from 2024-03-01 --to 2024-03-01 --format json "$@" \
	    > "$W/r.json"
	sed -n 's/.*"total":\([0-9]*\),.*/\1/p' "$W/r.json"
}
run_import() {
	set +e
	"$DUALSTAT" -c "$CONF" import "$@" > "$W/out" 2> "$W/err" < /dev/null
	rc=$?
	set -e
}
# field NAME: a number of the summary ("lines read", "imported", ...), the first file's.
field() {
	sed -n "s/^  $1  *\\([0-9][0-9]*\\)\$/\\1/p" "$W/out" | head -n 1
}

L="$W/logs"
mkdir -p "$L"
{
	clf 203.0.113.7 10:00:01		# line 1
	clf 2001:db8:1:2:3:4:5:6 10:10:00
	clf ::ffff:198.51.100.9 10:20:00
	clf host.example.net 10:30:00	# HostnameLookups On: not an address
	clf 203.0.113.8 11:00:00		# line 5
	printf '203.0.113.9 - - [01/Mar/2024:11:0\n'	# cut short
	printf '\001\002binary\377junk\n'
	clf 2001:db8:1::99 11:59:59
	clf 192.0.2.250 12:00:00		# a trusted proxy without forwarded-for: the proxy
} > "$L/access.log"

# ---- a first import: the summary and the rows
run_import "$L/access.log"
expect_eq "first import exit" 0 "$rc"
contains "the format is detected and said" "$L/access.log: combined (detected)" "$W/out"
expect_eq "lines read" 9 "$(field 'lines read')"
expect_eq "imported" 6 "$(field imported)"
expect_eq "skipped" 3 "$(field skipped)"
contains "not an address, with its line" "not_an_address              1  line 4" "$W/out"
contains "cut short, with its line" "cut                         1  line 6" "$W/out"
contains "binary, with its line" "binary                      1  line 7" "$W/out"
expect_eq "nothing on stderr (not a terminal)" "" "$(cat "$W/err")"
expect_eq "report total" 6 "$(total)"
contains "imported traffic is how = log" '"hows":[{"how":"log","requests":6}]' "$W/r.json"
# The line's own time decided the hour: 10:00:01 +0100 is 09:00 UTC.
"$DUALSTAT" -c "$CONF" report --from 2024-03-01 --to 2024-03-01 --format csv > "$W/series.csv"
contains "09:00 UTC: three" "2024-03-01T09:00:00Z,2,1," "$W/series.csv"
contains "10:00 UTC: two" "2024-03-01T10:00:00Z,1,1," "$W/series.csv"
# The listener's family is the peer's; a mapped peer counts as IPv4 on an IPv4 listener.
contains "listeners from the peers" '"listeners":[{"server_family":4,"ipv4":4,"ipv6":0},{"server_family":6,"ipv4":0,"ipv6":2}]' "$W/r.json"
contains "the mapped peer is IPv4, mapped" '{"family":4,"kind":"documentation","mapped":true,"requests":1}' "$W/r.json"
expect_eq "no raw rows: imported rows go to the cells" 0 "$(sql 'SELECT count(*) FROM request')"
expect_eq "one record of the file" "1|$(wc -c < "$L/access.log")|9" \
    "$(sql 'SELECT count(*), max(offset), max(lines) FROM import_file')"

# ---- the same file again: nothing
run_import "$L/access.log"
expect_eq "again: exit" 0 "$rc"
expect_eq "again: imported before" 9 "$(field 'imported before')"
expect_eq "again: imported" 0 "$(field imported)"
expect_eq "again: total unchanged" 6 "$(total)"

# ---- grown: only the new lines; a last line being written waits for the next import
clf 203.0.113.10 12:30:00 >> "$L/access.log"
printf '203.0.113.11 - - [01/Mar/2024:12:40:00 +0100] "GET /half' >> "$L/access.log"
run_import "$L/access.log"
expect_eq "grown: imported before" 9 "$(field 'imported before')"
expect_eq "grown: imported" 1 "$(field imported)"
contains "grown: the unfinished line waits" "its last line has no end yet" "$W/out"
expect_eq "grown: total" 7 "$(total)"
printf ' HTTP/1.1" 200 5 "-" "curl/8.0"\n' >> "$L/access.log"
run_import "$L/access.log"
expect_eq "finished line: imported" 1 "$(field imported)"
expect_eq "finished line: total" 8 "$(total)"

# ---- rotated: access.log.1 holds what was imported and what came after; a new access.log
mv "$L/access.log" "$L/access.log.1"
clf 2001:db8:7::1 13:00:00 >> "$L/access.log.1"
clf 2001:db8:7::2 13:00:01 >> "$L/access.log.1"
clf 198.51.100.20 14:00:00 > "$L/access.log"
run_import "$L/access.log.1" "$L/access.log"
expect_eq "rotation: exit" 0 "$rc"
expect_eq "rotation: the lines written after the last import" 2 "$(field imported)"
contains "rotation: the new file whole" "$L/access.log: combined (detected)" "$W/out"
expect_eq "rotation: total" 11 "$(total)"
# ... compressed by logrotate a day later: still the same file.
gzip -9 "$L/access.log.1"
run_import "$L/access.log.1.gz"
expect_eq "gzip: imported" 0 "$(field imported)"
expect_eq "gzip: every line known" 13 "$(field 'imported before')"
# An older, shorter copy of it (a backup): nothing new in it.
head -n 3 "$L/access.log" > "$L/backup.log"
gzip -dc "$L/access.log.1.gz" | head -n 5 > "$L/backup.log"
run_import "$L/backup.log"
expect_eq "shorter copy: imported" 0 "$(field imported)"
contains "shorter copy: said" "an earlier copy of $L/access.log.1" "$W/out"
expect_eq "copies: total" 11 "$(total)"

# ---- another server's log that starts with the same line: imported whole.  (One no longer
# than the file imported would pass for an earlier copy of it: import_dedupe.h.)
other() {
	clf 203.0.113.7 10:00:01
	i=0
	while [ $i -lt 20 ]; do clf "203.0.113.$((200 + i))" 15:00:00; i=$((i + 1)); done
}
other > "$L/other.log"
run_import "$L/other.log"
expect_eq "same first line, another file: imported" 21 "$(field imported)"
expect_eq "another file: total" 32 "$(total)"
# ... and through stdin too, which cannot be read twice: said so, nothing written.
{ other; clf 203.0.113.250 15:30:00; } | sed 's/15:00:00/15:10:00/' | \
    "$DUALSTAT" -c "$CONF" import - > "$W/out" 2> "$W/err" && rc=0 || rc=$?
expect_eq "a pipe that is another file: exit 1" 1 "$rc"
contains "a pipe: why" "stdin: it begins like a file imported before but is another" "$W/err"
# A file on stdin can be rewound.
{ other; clf 203.0.113.250 15:30:00; } | sed 's/15:00:00/15:10:00/' > "$L/third.log"
"$DUALSTAT" -c "$CONF" import - < "$L/third.log" > "$W/out" 2> "$W/err"
contains "stdin is named so" "stdin: combined (detected)" "$W/out"
expect_eq "a file on stdin: imported whole" 22 "$(field imported)"
expect_eq "stdin: total" 54 "$(total)"

# ---- --host, hosts from the line, trusted proxies
{
	printf 'www.example.org:443 2001:db8:aa::1 - - [01/Mar/2024:16:00:00 +0100] "GET / HTTP/1.1" 200 5 "-" "x"\n'
	printf 'WWW.example.org:80 203.0.113.5 - - [01/Mar/2024:16:00:01 +0100] "GET / HTTP/1.1" 200 5 "-" "x"\n'
} > "$L/vhost.log"
{ clf 203.0.113.60 17:00:00; clf 2001:db8:bb::1 17:00:01; } > "$L/plain.log"
run_import --host Site.Example "$L/vhost.log" "$L/plain.log"
contains "vhost_combined detected" "$L/vhost.log: vhost_combined (detected)" "$W/out"
expect_eq "hosts: total" 58 "$(total)"
expect_eq "the line's host" 2 "$(total --host www.example.org)"
expect_eq "--host for lines without one" 2 "$(total --host site.example)"
# An ALB line: the client and its forwarded-for are the ALB's; behind it no proxy counts.
printf 'https 2024-03-01T17:30:00.123456Z app/lb/1 2001:db8:cc::7:50718 10.0.0.1:80 0.001 0.002 0.000 200 200 34 366 "GET https://alb.example:443/ HTTP/1.1" "curl/8" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/t/1 "Root=1-1" "alb.example" "arn:aws:acm:us-east-1:1:certificate/1" 0 2024-03-01T17:30:00.120000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-"\n' > "$L/alb.log"
run_import --format alb "$L/alb.log"
expect_eq "alb: imported" 1 "$(field imported)"
expect_eq "alb: its host" 1 "$(total --host alb.example)"
"$DUALSTAT" -c "$CONF" report --from 2024-03-01 --to 2024-03-01 --format json --host alb.example > "$W/r.json"
contains "alb: an IPv6 client without brackets" '"prefix":"2001:db8:cc::/48"' "$W/r.json"
# Behind a trusted proxy (Caddy's client_ip): the visitor, not the proxy.
printf '{"level":"info","ts":1709312400.5,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"192.0.2.250","remote_port":"5000","client_ip":"2001:db8:dd::1","proto":"HTTP/1.1","method":"GET","host":"caddy.example","uri":"/","headers":{}},"status":200}\n' > "$L/caddy.log"
run_import "$L/caddy.log"
contains "caddy detected" "$L/caddy.log: caddy (detected)" "$W/out"
"$DUALSTAT" -c "$CONF" report --from 2024-03-01 --to 2024-03-01 --format json --host caddy.example > "$W/r.json"
contains "caddy: the client behind the trusted proxy" '"prefix":"2001:db8:dd::/48"' "$W/r.json"
contains "caddy: the listener is the proxy's" '"listeners":[{"server_family":4,"ipv4":0,"ipv6":1}]' "$W/r.json"

# ---- errors: the file named, exit 1, the others imported, nothing half-written
before=$(total)
{ clf 203.0.113.70 18:00:00; } > "$L/good.log"
run_import "$L/missing.log" "$L/good.log"
expect_eq "missing file: exit 1" 1 "$rc"
contains "missing file: named" "dualstat: import: $L/missing.log: cannot open: No such file or directory" "$W/err"
contains "the other file is imported" "$L/good.log: combined (detected)" "$W/out"
expect_eq "the other file's line counted" $((before + 1)) "$(total)"
mkdir -p "$L/adir"
run_import "$L/adir"
expect_eq "a folder: exit 1" 1 "$rc"
contains "a folder: named" "$L/adir" "$W/err"
printf 'this is no log\nnor is this\n' > "$L/notes.txt"
run_import "$L/notes.txt"
expect_eq "no known format: exit 1" 1 "$rc"
contains "no known format: said" "$L/notes.txt: not an access log dualstat reads" "$W/err"
# Damaged gzip: the lines before the damage are in; the error names the file.
{ i=0; while [ $i -lt 2000 ]; do clf "203.0.113.$((i % 200 + 1))" 19:00:00; i=$((i + 1)); done; } | gzip > "$L/damaged.log.gz"
size=$(wc -c < "$L/damaged.log.gz")
head -c $((size - 100)) "$L/damaged.log.gz" > "$L/cut.log.gz"
DUALSTAT_IMPORT_BATCH=100 run_import "$L/cut.log.gz"
expect_eq "damaged gzip: exit 1" 1 "$rc"
contains "damaged gzip: named" "$L/cut.log.gz: gzip data ends early" "$W/err"
in=$(sql "SELECT lines FROM import_file WHERE name = '$L/cut.log.gz'")
expect_eq "damaged gzip: what was read is in, and recorded" "$in" \
    "$(( $(total) - before - 1 ))"
run_import "$L/damaged.log.gz"
expect_eq "the whole file after the cut one: only the rest" $((2000 - in)) "$(field imported)"
expect_eq "damaged, then whole: every line once" $((before + 1 + 2000)) "$(total)"
# Usage errors.
run_import
expect_eq "no file: usage error" 2 "$rc"
run_import --format nginx "$L/good.log"
expect_eq "unknown format: usage error" 2 "$rc"
contains "unknown format: the names" "--format must be auto, combined" "$W/err"
run_import --host 'not a host' "$L/good.log"
expect_eq "bad --host: usage error" 2 "$rc"

# ---- killed midway (kill -9): what was committed stands, and the rest comes once
before=$(total)
{ i=0; while [ $i -lt 30000 ]; do clf "2001:db8:$((i % 300)):1::1" 20:00:00; i=$((i + 1)); done; } > "$L/big.log"
mkfifo "$L/slow"
# The file through a pipe that gives it out slowly (a thousand lines every 0.2 s), so the
# import is surely killed halfway.
split -l 1000 "$L/big.log" "$L/chunk."
( for c in "$L"/chunk.*; do cat "$c"; sleep 0.2; done > "$L/slow" ) &
FEEDER=$!
track $FEEDER
DUALSTAT_IMPORT_BATCH=1000 "$DUALSTAT" -c "$CONF" import - < "$L/slow" > "$W/out" 2>&1 &
IMP=$!
track $IMP
committed_some() {
	[ "$(sql "SELECT count(*) FROM import_file WHERE name = 'stdin' AND lines >= 3000")" = 1 ]
}
check "the import commits some batches" wait_for committed_some
kill -9 $IMP
wait $IMP 2>/dev/null || true
kill $FEEDER 2>/dev/null || true
got=$(sql "SELECT lines FROM import_file WHERE name = 'stdin' AND lines >= 3000")
check "killed before the end" test "$got" -lt 30000
expect_eq "killed: the rows of every committed batch, no more" $((before + got)) "$(total)"
run_import "$L/big.log"
expect_eq "after the kill: the rest" $((30000 - got)) "$(field imported)"
expect_eq "after the kill: every line once" $((before + 30000)) "$(total)"

# ---- progress: on a terminal, and nothing on a pipe
if command -v script >/dev/null 2>&1; then
	# From a pipe that takes seconds (the chunks above): lines/s, no size to go by.
	script -qec "for c in '$L'/chunk.*; do cat \"\$c\"; sleep 0.1; done | sed 's/20:00:00/22:00:00/' | '$DUALSTAT' -c '$CONF' import - > /dev/null" /dev/null > "$W/tty" 2>&1 < /dev/null
	contains "progress on a terminal" "lines/s" "$W/tty"
	contains "progress from a pipe: bytes read" "stdin: " "$W/tty"
	# From a file: how far into it.  Two million lines, made by awk (a shell loop is slow).
	awk 'BEGIN { for (i = 0; i < 2000000; i++) printf "192.0.2.%d - - [01/Mar/2024:21:%02d:00 +0100] \"GET /p HTTP/1.1\" 200 5 \"-\" \"curl/8.0\"\n", i % 200 + 1, i % 60 }' > "$L/huge.log"
	script -qec "'$DUALSTAT' -c '$CONF' import '$L/huge.log' > /dev/null" /dev/null > "$W/tty" 2>&1 < /dev/null
	contains "progress: how far into the file" " MB of " "$W/tty"
	contains "progress: time left" " left" "$W/tty"
	rm -f "$L/huge.log"
else
	fail "script(1) not found (Debian package bsdutils)"
fi
run_import "$L/other.log"
expect_eq "progress: nothing on a pipe" "" "$(cat "$W/err")"

# The rows are the importing dualstat's: its node, in the report's by-server table.
expect_eq "imported rows carry the importer's node" "importer-1" \
    "$(sql "SELECT DISTINCT node FROM rollup_host")"
"$DUALSTAT" -c "$CONF" report --from 2024-03-01 --to 2024-03-01 --format csv --table nodes \
    > "$W/nodes.csv"
expect_eq "the report's nodes: all of 1 March from importer-1" "importer-1,$(total)" \
    "$(sed -n 2p "$W/nodes.csv" | cut -d, -f1,2)"
expect_eq "integrity" ok "$(sql 'PRAGMA integrity_check')"
finish
