#!/bin/sh
# pg_serve.sh: two `dualstat serve` (each its own node) record into one real
# PostgreSQL 15 (tests/pg.sh), started after them, then stopped and started
# again under load: every request is answered; each row answered is in the database
# exactly once unless its failure was counted (rows = answers - failures);
# /status is 503 while rows cannot be written and 200 again once
# PostgreSQL is back, with nobody restarting dualstat.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/pg.sh"

grep -q "^#define HAVE_LIBPQ 1" "$top_builddir/autoconf.h" ||
	skip "this dualstat was built without PostgreSQL (configure --without-postgresql)"
[ -n "${CGI_FCGI:-}" ] && [ -x "$CGI_FCGI" ] || CGI_FCGI=$(command -v cgi-fcgi || true)
[ -n "$CGI_FCGI" ] || skip "cgi-fcgi not found (Debian package libfcgi-bin)"
# Made, not started: the nodes come up before their database does.
pg_start
pg_stop fast

# fcgi SOCKET PATH REMOTE_ADDR [VAR=VALUE...]: one FastCGI request; output in $W/out.
fcgi() {
	sock=$1 path=$2 addr=$3
	shift 3
	env -i PATH="$PATH" REQUEST_METHOD=GET SCRIPT_NAME=/dualstat PATH_INFO="$path" \
	    QUERY_STRING= SERVER_ADDR=::1 HTTP_HOST=fleet.test REMOTE_ADDR="$addr" "$@" \
	    timeout 30 "$CGI_FCGI" -bind -connect "$sock" < /dev/null > "$W/out" 2> "$W/fcgi.err"
}
status_is() {
	fcgi "$1" /status 127.0.0.1
	[ "$(status_of)" = "$2" ]
}

for n in 1 2; do
	{
		echo "database = $PG_URI"
		echo "node = node-$n"
		echo "busy_timeout_ms = 2000"
	} > "$W/node$n.conf"
	eval "SOCK$n=\$(sock_path node$n.sock)"
	eval "sock=\$SOCK$n"
	"$DUALSTAT" -c "$W/node$n.conf" serve --user root --listen "unix:$sock" --workers 2 \
	    2> "$W/serve$n.log" &
	track $!
done
wait_for test -S "$SOCK1" || fail "node 1 listens without its database"
wait_for test -S "$SOCK2" || fail "node 2 listens without its database"

ANSWERED=0
UP=0
# load COUNT: COUNT beacons, alternating nodes and families (documentation addresses).
load() {
	_i=0
	while [ $_i -lt "$1" ]; do
		if [ $((_i % 2)) -eq 0 ]; then s=$SOCK1; a=203.0.113.$((_i % 200 + 1));
		else s=$SOCK2; a=2001:db8:$((_i % 50))::7; fi
		fcgi "$s" /beacon "$a"
		if [ "$(status_of)" = 204 ]; then
			ANSWERED=$((ANSWERED + 1))
		else
			fail "beacon $_i answered $(status_of)"
		fi
		_i=$((_i + 1))
	done
}
# up COUNT: load while PostgreSQL is up: each of these rows must be there, once.
up() {
	load "$1"
	UP=$((UP + $1))
}
# back: PostgreSQL is up again; a node tries to open its database once a
# second after a failure, so the rows of the next second would be lost.
back() {
	pg_restart
	sleep 2
}

# PostgreSQL unreachable from the start: answered, counted, 503.
load 20
check "node 1 /status 503 before PostgreSQL ever ran" status_is "$SOCK1" 503
fcgi "$SOCK1" / 203.0.113.9
expect_eq "the landing page answers before PostgreSQL ever ran" 200 "$(status_of)"
back
up 100
check "node 1 /status 200 once PostgreSQL is there" status_is "$SOCK1" 200
check "node 2 /status 200 once PostgreSQL is there" status_is "$SOCK2" 200
# Each says which server it is (config `node`), as the report's "by server" names it.
for n in 1 2; do
	eval "fcgi \"\$SOCK$n\" /status.json 127.0.0.1"
	grep -q "\"pid\":[0-9]*,\"node\":\"node-$n\"," "$W/out" ||
	    fail "node $n /status.json does not name node-$n: $(grep -o '"node":[^,]*' "$W/out")"
	eval "fcgi \"\$SOCK$n\" /status 127.0.0.1"
	grep -q "<th scope=\"row\">Server (node)</th><td>node-$n</td>" "$W/out" ||
	    fail "node $n /status does not name node-$n"
done
pg_stop fast
load 40
# Down: both say so (the writers' check cannot start a transaction).
check "node 1 /status 503 while PostgreSQL is down" status_is "$SOCK1" 503
check "node 2 /status 503 while PostgreSQL is down" status_is "$SOCK2" 503
back
up 100
# Back by itself, nobody restarted dualstat: rows written, /status 200.
check "node 1 /status 200 after PostgreSQL came back" status_is "$SOCK1" 200
check "node 2 /status 200 after PostgreSQL came back" status_is "$SOCK2" 200
# A crash this time (no shutdown checkpoint).
pg_stop immediate
load 20
back
up 40
check "node 1 /status 200 after the crash" status_is "$SOCK1" 200
check "node 2 /status 200 after the crash" status_is "$SOCK2" 200
expect_eq "every beacon answered, PostgreSQL up or not" 320 "$ANSWERED"

# The failures each node counted, from its /status (JSON): at least the
# rows that could not be written (an open that failed counts too).
failures() {
	fcgi "$1" /status.json 127.0.0.1
	tr ',' '\n' < "$W/out" | sed -n 's/.*"record_failures": *\([0-9]*\).*/\1/p' | head -n 1
}
F1=$(failures "$SOCK1")
F2=$(failures "$SOCK2")
[ -n "$F1" ] && [ -n "$F2" ] || fail "record_failures in /status: [$F1] [$F2]"
ROWS=$(pg_sql 'SELECT count(*) FROM request')
echo "answered $ANSWERED ($UP while PostgreSQL was up), failures $F1 + $F2, rows $ROWS"
expect_eq "every row answered while PostgreSQL was up is there, once" "$UP" "$ROWS"
check "the rows that could not be written were counted as failures" \
    [ $((F1 + F2)) -ge $((ANSWERED - ROWS)) ]
lacks "no password or address in the server's log" "203.0.113." "$W/postgres.log"

finish
