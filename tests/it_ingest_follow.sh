#!/bin/sh
# it_ingest_follow.sh: the real nginx with the bundled nginx.conf.in, listen.conf.in and
# whole-site-log.conf.in as shipped: its buffered file log (buffer=64k flush=1s) followed by
# `dualstat ingest --follow`, started before nginx made the file; requests over IPv4 and IPv6
# from documentation addresses and from 127.0.0.1 and ::1, the rows asserted exactly at each
# step: logrotate's rename and `kill -USR1` (nginx -s reopen); copytruncate; a kill -9 of
# ingest with a batch in memory, then a new ingest: nothing lost, nothing twice; a graceful
# reload (HUP) of nginx; hostile clients through nginx (a User-Agent that forges a log line,
# forwarded-for headers from a client that is no trusted proxy, TLS garbage on the plain port,
# one that stalls half-way through its headers while another is served): each one row, from
# its own address, nothing forged believed; status shows the process and its file.  nginx's log files imported
# into a database of their own give the same report; no full address on disk.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/ingest.sh"
need_sqlite3
NGINX_BIN=${NGINX:-nginx}
unset NGINX
need_cmd "$NGINX_BIN" nginx
need_cmd "${CURL:=curl}" curl
id www-data >/dev/null 2>&1 || skip "no www-data user to run nginx's workers as"
client_addrs 76
PORT=$(free_port 76)
write_conf
mkdir -p "$W/db"
C="$top_srcdir/conf"
D="$W/site"
mkdir -p "$D"
printf 'a file\n' > "$D/file.txt"
N="$W/nginx"
mkdir -p "$N/tmp" "$N/logs"
LOG="$N/logs/site-access.log"
# www-data writes the log (nginx opens it as root, but a reopen on USR1 is its workers').
chown www-data "$N/logs"

sh "$C/fill.sh" "$C/nginx/whole-site-log.conf.in" DOCROOT="$D" INGEST_SOCKET="$W/unused.sock" \
    INGEST_UDP=127.0.0.1:9 ACCESS_LOG="$LOG" > "$N/site.conf"
expect_eq "as shipped: the buffered file log, and no syslog" \
    "access_log $LOG combined buffer=64k flush=1s;" "$(grep '^access_log' "$N/site.conf")"
sh "$C/fill.sh" "$C/nginx/listen.conf.in" BIND4=127.0.0.1 BIND6='[::1]' PORT="$PORT" \
    > "$N/listen.conf"
sh "$C/fill.sh" "$C/nginx/nginx.conf.in" STATE="$N" USER=www-data GROUP=www-data \
    LISTEN="$N/listen.conf" SITE="$N/site.conf" > "$N/nginx.conf"
check "nginx accepts the bundled whole-site-log configuration" \
    "$NGINX_BIN" -t -q -p "$N/" -c "$N/nginx.conf" -e "$N/error.log"

ingest() {
	"$DUALSTAT" -c "$CONF" ingest --follow "$LOG" --host www.example.test 2>> "$W/ingest.err" &
	ING=$!
	track "$ING"
}
# ---- ingest first, as its service would be: the file is not there yet
ingest
"$NGINX_BIN" -p "$N/" -c "$N/nginx.conf" -e "$N/error.log" &
NGINX_PID=$!
track "$NGINX_PID"
if ! wait_for listening "$PORT"; then
	cat "$N/error.log" 2>/dev/null || true
	fail "nginx did not listen on 127.0.0.1:$PORT and [::1]:$PORT"
	finish || exit 1
fi
U4="http://127.0.0.1:$PORT/file.txt"
U6="http://[::1]:$PORT/file.txt"
v4() { expect_eq "$1: v4" 200 "$(get "$U4" --interface "$V4")"; }
v6() { expect_eq "$1: v6" 200 "$(get "$U6" --interface "$V6")"; }
# ingest's status field NAME.
ifield() {
	"$DUALSTAT" -c "$CONF" status --format json > "$W/s.json" 2> /dev/null || true
	sed -n 's/.*"ingest":\[\(.*\)\].*/\1/p' "$W/s.json" |
	    sed -n "s/.*\"$1\":\\([0-9]*\\)[,}].*/\\1/p"
}
is() { [ "$(ifield "$1")" = "$2" ]; }
# still N: after nginx's flush (1 s) and a batch (1 s) more, still N requests: none twice.
still() {
	sleep 2.5
	expect_eq "$1: nothing twice" "$2" "$(total_of "$CONF")"
}

# ---- the visits: 3 over IPv4 and 2 over IPv6 from documentation addresses, one each from loopback
v4 first; v4 first; v4 first; v6 first; v6 first
expect_eq "first: 127.0.0.1" 200 "$(get "$U4")"
expect_eq "first: ::1" 200 "$(get "$U6")"
check "first: every request recorded, after nginx's flush and a batch" wait_for total_is 7
figures "$CONF" > "$W/r.json"
contains "first: families" '"total":7,"ipv4":4,"ipv6":3' "$W/r.json"
contains "how = log" '"hows":[{"how":"log","requests":7}]' "$W/r.json"
contains "the documentation /24" '{"prefix":"203.0.113.0/24","family":4,"kind":"documentation","requests":3}' "$W/r.json"
contains "the documentation /48" '{"prefix":"2001:db8:ffff::/48","family":6,"kind":"documentation","requests":2}' "$W/r.json"
contains "loopback, IPv4" '{"prefix":"127.0.0.0/24","family":4,"kind":"loopback","requests":1}' "$W/r.json"
contains "loopback, IPv6" '{"prefix":"::/48","family":6,"kind":"loopback","requests":1}' "$W/r.json"
contains "the listeners: each family on its own socket" '"listeners":[{"server_family":4,"ipv4":4,"ipv6":0},{"server_family":6,"ipv4":0,"ipv6":3}]' "$W/r.json"
contains "the host named by --host" '"hosts":[{"host":"www.example.test","ipv4":4,"ipv6":3}]' "$W/r.json"
check "status: its lines" wait_for is rows 7
contains "status: the process and its file" "\"source\":\"$LOG\",\"pid\":$ING," "$W/s.json"
contains "status: its figures" '"lines":7,"rows":7,"skipped":0,"backlog":0,"dropped":0' "$W/s.json"

# ---- logrotate: rename, then nginx -s reopen (USR1 to the master)
mv "$LOG" "$LOG.1"
kill -USR1 "$NGINX_PID"
check "reopen: nginx made the file again" wait_for test -e "$LOG"
v4 rotated; v4 rotated; v6 rotated
check "reopen: the new file's requests" wait_for total_is 10
still "reopen" 10

# ---- copytruncate (logrotate's other way): the same file from byte 0
cp "$LOG" "$LOG.2"
: > "$LOG"
v4 truncated; v6 truncated
check "copytruncate: the requests after it" wait_for total_is 12
still "copytruncate" 12

# ---- kill -9 of ingest with a batch in memory (batches held an hour), then a new one
kill -TERM "$ING"
wait "$ING" || fail "ingest: exit 0 on SIGTERM"
contains "ingest: its summary" "$LOG: 12 lines, 12 requests recorded, 0 skipped, 0 dropped" "$W/ingest.err"
DUALSTAT_INGEST_BATCH_MS=3600000 "$DUALSTAT" -c "$CONF" ingest --follow "$LOG" \
    --host www.example.test 2> "$W/ingest9.err" &
ING=$!
track "$ING"
check "kill -9: the next ingest runs" wait_for is lines 0
v4 "kill -9"; v4 "kill -9"
check "kill -9: two read, held in memory" wait_for is backlog 2
expect_eq "kill -9: not committed yet" 12 "$(total_of "$CONF")"
kill -9 "$ING"
wait "$ING" 2> /dev/null || true
v6 "after kill -9"
ingest
check "after kill -9: the two lost in memory read again from the file, and the new one" \
    wait_for total_is 15
still "after kill -9" 15
contains "after kill -9: it went on where the database had it" "going on at byte" "$W/ingest.err"

# ---- a graceful reload of nginx (HUP): new workers, the old ones flush their log as they go
v4 "before HUP"; v6 "before HUP"
kill -HUP "$NGINX_PID"
sleep 0.5
v4 "after HUP"; v6 "after HUP"
check "HUP: the requests before and after it" wait_for total_is 19
still "HUP" 19

# ---- hostile clients: one row each, from the address the connection came from
# A User-Agent that closes the quotes and forges a second line after a vertical tab (nginx
# escapes both: \x22, \x0B), and forwarded-for headers from a client that is no trusted proxy.
forged=$(printf 'x" 200 5 "-" "y"\013198.51.100.99 - - [06/Dec/2026:00:00:00 +0000] "GET / HTTP/1.1')
expect_eq "hostile: a forged line in the User-Agent answered" 200 "$(get "$U4" --interface "$V4" \
    -A "$forged" -H 'X-Forwarded-For: 192.0.2.66' -H 'X-Real-IP: 192.0.2.67' \
    -H 'Forwarded: for=192.0.2.68')"
# raw ADDR FILE: FILE's bytes to nginx from ADDR (IPv6 to [::1], else 127.0.0.1), the
# answer's status line in $W/raw.out; with STALL=N, the last 2 bytes N seconds later.
raw() {
	STALL=${STALL:-0} perl -MIO::Socket::IP -e '
		my ($port, $from, $file) = @ARGV;
		open(my $f, "<", $file) or die "$file: $!\n";
		local $/; my $d = <$f>;
		my $s = IO::Socket::IP->new(PeerHost => ($from =~ /:/ ? "::1" : "127.0.0.1"),
		    PeerPort => $port, LocalHost => $from) or die "connect: $@\n";
		if ($ENV{STALL}) {
			syswrite($s, substr($d, 0, -2)); sleep($ENV{STALL}); syswrite($s, substr($d, -2));
		} else { syswrite($s, $d); }
		my $l = <$s>; print defined $l ? $l : "none\n";' "$PORT" "$1" "$2" > "$W/raw.out" 2>&1
}
printf '\026\003\001\000\377\001\000\000\373garbage\r\n\r\n' > "$W/garbage"
raw "$V6" "$W/garbage"
contains "hostile: TLS garbage on the plain port is a 400" "HTTP/1.1 400" "$W/raw.out"
# Stalled half-way through its headers for 3 s: another client is served and recorded
# meanwhile, then the stalled one completes.
printf 'GET /file.txt HTTP/1.1\r\nHost: www.example.test\r\nConnection: close\r\n\r\n' > "$W/slow"
STALL=3 raw "$V4" "$W/slow" &
SLOW=$!
track "$SLOW"
v6 "while one stalls"
check "hostile: a request served and recorded while another stalls" wait_for total_is 22
wait "$SLOW" || true
contains "hostile: the stalled one answered once whole" "HTTP/1.1 200" "$W/raw.out"
check "hostile: each one row" wait_for total_is 23
still "hostile" 23
figures "$CONF" > "$W/r.json"
lacks "hostile: no forwarded-for address believed (192.0.2.0/24)" '"prefix":"192.0.2.' "$W/r.json"
lacks "hostile: no forged line's address (198.51.100.0/24)" '"prefix":"198.51.100.' "$W/r.json"

# ---- the end: every request, by family and network
kill -TERM "$NGINX_PID"
check "nginx stops" wait_for sh -c "! kill -0 $NGINX_PID 2>/dev/null"
sleep 1.5
kill -TERM "$ING"
wait "$ING" || fail "ingest: exit 0 on SIGTERM"
figures "$CONF" > "$W/r.json"
contains "end: families" '"total":23,"ipv4":13,"ipv6":10' "$W/r.json"
contains "end: the documentation /24" '{"prefix":"203.0.113.0/24","family":4,"kind":"documentation","requests":12}' "$W/r.json"
contains "end: the documentation /48" '{"prefix":"2001:db8:ffff::/48","family":6,"kind":"documentation","requests":9}' "$W/r.json"
contains "end: loopback, IPv4" '{"prefix":"127.0.0.0/24","family":4,"kind":"loopback","requests":1}' "$W/r.json"
contains "end: loopback, IPv6" '{"prefix":"::/48","family":6,"kind":"loopback","requests":1}' "$W/r.json"
expect_eq "nothing lost: the log files hold every request" 23 \
    "$(cat "$LOG.1" "$LOG.2" "$LOG" | wc -l)"

# ---- nginx's own files, imported elsewhere: the same report
same_as_import "import of nginx's logs" "$LOG" --host www.example.test "$LOG.1" "$LOG.2"
# ... and into ingest's database: nothing new (import and ingest keep the same records, and
# the copy copytruncate made is the file ingest read before the truncation).
"$DUALSTAT" -c "$CONF" import --host www.example.test "$LOG.1" "$LOG.2" "$LOG" \
    > "$W/again.out" 2>&1 ||
    { fail "import into ingest's database"; cat "$W/again.out"; }
expect_eq "import of the followed files into ingest's database: nothing twice" 23 \
    "$(total_of "$CONF")"
no_full_address "$V4" "$V6"
finish
