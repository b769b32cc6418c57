#!/bin/sh
# it_ingest_nginx.sh: the real nginx with the bundled nginx.conf.in, listen.conf.in and
# whole-site-log.conf.in with its syslog alternative uncommented (as shipped it follows its
# file log: it_ingest_follow.sh): every request it answers goes as a syslog datagram to
# `dualstat ingest --listen unixgram:...`, over IPv4 and IPv6 from documentation addresses
# and from 127.0.0.1 and ::1; the requests recorded exactly (how = log, the prefixes, the
# listeners); status shows the process; nginx's file log of the same lines, imported into a
# database of its own, gives the same report; no full address on disk.  The same again with
# the bundled file's UDP alternative (its syslog lines swapped, nothing else), to
# `--listen udp:127.0.0.1:PORT` and `--listen udp:[::1]:PORT`; and a UDP address that is
# not loopback is refused.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/ingest.sh"
need_sqlite3
NGINX_BIN=${NGINX:-nginx}
unset NGINX
need_cmd "$NGINX_BIN" nginx
need_cmd "${CURL:=curl}" curl
id www-data >/dev/null 2>&1 || skip "no www-data user to run nginx's workers as"
client_addrs 73
PORT=$(free_port 73)
write_conf
mkdir -p "$W/db"
C="$top_srcdir/conf"
D="$W/site"
mkdir -p "$D"
printf '<!DOCTYPE html>\n<title>home</title>\n' > "$D/index.html"
printf 'a file\n' > "$D/file.txt"
ISOCK=$(sock_path ingest.sock)
UPORT=$(free_port 74)
while ss -Hlun "( sport = :$UPORT )" 2>/dev/null | grep -q .; do UPORT=$((UPORT + 1)); done

# ---- a UDP address that is not loopback: refused, one line, exit 2, nothing bound
for a in "udp:192.0.2.1:$UPORT" "udp:0.0.0.0:$UPORT" "udp:[::]:$UPORT" "udp:[2001:db8::1]:$UPORT" \
    "udp:localhost:$UPORT"; do
	rc=0
	"$DUALSTAT" -c "$CONF" ingest --listen "$a" 2> "$W/refused.err" || rc=$?
	expect_eq "$a refused: exit 2" 2 "$rc"
	expect_eq "$a refused: one line" 1 "$(wc -l < "$W/refused.err")"
	contains "$a refused: says why" "only a loopback address" "$W/refused.err"
done

# pass LISTEN: ingest on LISTEN, then nginx with the bundled site for it; the visits; the rows.
pass() {
	P=$1
	rm -rf "$DB" "$DB-wal" "$DB-shm" "$DB-counters" "$W/imported"
	# ---- dualstat ingest first, as its service would be
	"$DUALSTAT" -c "$CONF" ingest --listen "$P" --host www.example.test \
	    2> "$W/ingest.err" &
	ING=$!
	track "$ING"
	case $P in
	unixgram:*) check "$P: ingest's socket appears" wait_for test -S "$ISOCK" ;;
	udp:*) check "$P: ingest's port is bound" wait_for sh -c \
	    "ss -Hlun '( sport = :$UPORT )' | grep -qF '${P#udp:}'"
		check "$P: ingest says its receive buffer" wait_for grep -q "receive buffer of" \
		    "$W/ingest.err" ;;
	esac

	N="$W/nginx"
	rm -rf "$N"
	mkdir -p "$N/tmp"
	sh "$C/fill.sh" "$C/nginx/whole-site-log.conf.in" DOCROOT="$D" INGEST_SOCKET="$ISOCK" \
	    INGEST_UDP="${P#udp:}" ACCESS_LOG="$N/site-access.log" > "$N/site.conf"
	# The bundled file's commented alternatives (it follows its file log as shipped:
	# it_ingest_follow.sh): the one for this pass uncommented, nothing else changed.
	case $P in
	udp:*) sed -e 's/^#\(access_log syslog:server=[[[:digit:]]\)/\1/' "$N/site.conf" ;;
	*) sed -e 's/^#\(access_log syslog:server=unix:\)/\1/' "$N/site.conf" ;;
	esac > "$N/site-alt.conf"
	mv "$N/site-alt.conf" "$N/site.conf"
	case $P in
	udp:*) expect_eq "$P: the site sends syslog over UDP only" \
		    "access_log syslog:server=${P#udp:},nohostname combined;" \
		    "$(grep '^access_log syslog:' "$N/site.conf")" ;;
	*) expect_eq "$P: the site sends syslog to the Unix socket only" \
		    "access_log syslog:server=unix:$ISOCK,nohostname combined;" \
		    "$(grep '^access_log syslog:' "$N/site.conf")" ;;
	esac
	sh "$C/fill.sh" "$C/nginx/listen.conf.in" BIND4=127.0.0.1 BIND6='[::1]' PORT="$PORT" \
	    > "$N/listen.conf"
	sh "$C/fill.sh" "$C/nginx/nginx.conf.in" STATE="$N" USER=www-data GROUP=www-data \
	    LISTEN="$N/listen.conf" SITE="$N/site.conf" > "$N/nginx.conf"
	check "nginx accepts the bundled whole-site-log configuration" \
	    "$NGINX_BIN" -t -q -p "$N/" -c "$N/nginx.conf" -e "$N/error.log"
	"$NGINX_BIN" -p "$N/" -c "$N/nginx.conf" -e "$N/error.log" &
	NGINX_PID=$!
	track "$NGINX_PID"
	if ! wait_for listening "$PORT"; then
		cat "$N/error.log" 2>/dev/null || true
		fail "nginx did not listen on 127.0.0.1:$PORT and [::1]:$PORT"
		finish || exit 1
	fi
	U4="http://127.0.0.1:$PORT"
	U6="http://[::1]:$PORT"

	# ---- the visits: 3 over IPv4 and 2 over IPv6 from documentation addresses, one each from loopback
	expect_eq "v4 index" 200 "$(get "$U4/" --interface "$V4")"
	expect_eq "v4 file" 200 "$(get "$U4/file.txt" --interface "$V4")"
	expect_eq "v4 missing" 404 "$(get "$U4/nope" --interface "$V4")"
	expect_eq "v6 index" 200 "$(get "$U6/" --interface "$V6")"
	expect_eq "v6 file" 200 "$(get "$U6/file.txt" --interface "$V6")"
	expect_eq "127.0.0.1" 200 "$(get "$U4/file.txt")"
	expect_eq "::1" 200 "$(get "$U6/file.txt")"
	check "$P: every request recorded, within a batch or two" wait_for total_is 7
	figures "$CONF" > "$W/r.json"
	contains "$P: families" '"total":7,"ipv4":4,"ipv6":3' "$W/r.json"
	contains "how = log" '"hows":[{"how":"log","requests":7}]' "$W/r.json"
	contains "the documentation /24" '{"prefix":"203.0.113.0/24","family":4,"kind":"documentation","requests":3}' "$W/r.json"
	contains "the documentation /48" '{"prefix":"2001:db8:ffff::/48","family":6,"kind":"documentation","requests":2}' "$W/r.json"
	contains "loopback, IPv4" '{"prefix":"127.0.0.0/24","family":4,"kind":"loopback","requests":1}' "$W/r.json"
	contains "loopback, IPv6" '{"prefix":"::/48","family":6,"kind":"loopback","requests":1}' "$W/r.json"
	contains "the listeners: each family on its own socket" '"listeners":[{"server_family":4,"ipv4":4,"ipv6":0},{"server_family":6,"ipv4":0,"ipv6":3}]' "$W/r.json"
	contains "the host named by --host" '"hosts":[{"host":"www.example.test","ipv4":4,"ipv6":3}]' "$W/r.json"
	"$DUALSTAT" -c "$CONF" status --format json > "$W/s.json" || true
	contains "status: the process" "\"source\":\"$P\",\"pid\":$ING," "$W/s.json"
	contains "status: its lines" '"lines":7,"rows":7,"skipped":0,"backlog":0,"dropped":0' "$W/s.json"

	kill -TERM "$NGINX_PID"
	check "nginx stops" wait_for sh -c "! kill -0 $NGINX_PID 2>/dev/null"
	kill -TERM "$ING"
	wait "$ING" || fail "ingest: exit 0 on SIGTERM"
	contains "$P: ingest: its summary" "7 lines, 7 requests recorded, 0 skipped, 0 dropped" "$W/ingest.err"
	expect_eq "nothing more after the stop" 7 "$(total_of "$CONF")"

	# ---- nginx's file log of the same requests, imported elsewhere: the same report
	expect_eq "nginx's file log has every request" 7 "$(wc -l < "$N/site-access.log")"
	same_as_import "import of nginx's log" "$N/site-access.log" --host www.example.test
}

pass "unixgram:$ISOCK"
pass "udp:127.0.0.1:$UPORT"
pass "udp:[::1]:$UPORT"
no_full_address "$V4" "$V6"
finish
