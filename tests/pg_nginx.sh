#!/bin/sh
# pg_nginx.sh: a fleet of two, each the real nginx with the bundled conf/nginx
# files in front of its own `dualstat serve` (node-1, node-2), both recording
# into one real PostgreSQL 15 (tests/pg.sh); clients over IPv4 and IPv6 from
# documentation addresses.  Either node's report shows every request of both;
# the rows are the beacons answered while PostgreSQL was up, once each, with
# PostgreSQL stopped and started again in the middle; and the report's "by
# server" breakdown and its ?node= filter give each node what it answered.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/pg.sh"
grep -q "^#define HAVE_LIBPQ 1" "$top_builddir/autoconf.h" ||
	skip "this dualstat was built without PostgreSQL (configure --without-postgresql)"
NGINX_BIN=${NGINX:-nginx}
unset NGINX
need_cmd "$NGINX_BIN" nginx
need_cmd setpriv util-linux
id www-data >/dev/null 2>&1 || skip "no www-data user to run nginx's workers as"
client_addrs 41
pg_start
C="$top_srcdir/conf"

for n in 1 2; do
	{
		echo "database = $PG_URI"
		echo "node = node-$n"
	} > "$W/node$n.conf"
	sock=$(sock_path "node$n.sock")
	eval "SOCK$n=\$sock"
	# As production runs it: the socket's group is nginx's (it_nginx.sh).
	setpriv --regid www-data --clear-groups \
	    "$DUALSTAT" -c "$W/node$n.conf" serve --user root --listen "unix:$sock" \
	    --workers 2 2> "$W/serve$n.log" &
	track $!
	check "node $n's socket appears" wait_for test -S "$sock"
	port=$(free_port $((40 + n)))
	eval "PORT$n=\$port"
	N="$W/nginx$n"
	mkdir -p "$N/tmp"
	sh "$C/fill.sh" "$C/nginx/dualstat_params" > "$N/dualstat_params"
	sh "$C/fill.sh" "$C/nginx/dualstat.conf.in" SOCKET="$sock" WWW="$top_srcdir/www" \
	    > "$N/site.conf"
	sh "$C/fill.sh" "$C/nginx/listen.conf.in" BIND4=127.0.0.1 BIND6='[::1]' PORT="$port" \
	    > "$N/listen.conf"
	sh "$C/fill.sh" "$C/nginx/nginx.conf.in" STATE="$N" USER=www-data GROUP=www-data \
	    LISTEN="$N/listen.conf" SITE="$N/site.conf" > "$N/nginx.conf"
	"$NGINX_BIN" -t -q -p "$N/" -c "$N/nginx.conf" -e "$N/error.log" || fail "nginx -t, node $n"
	"$NGINX_BIN" -p "$N/" -c "$N/nginx.conf" -e "$N/error.log" &
	track $!
	check "nginx $n listens on 127.0.0.1:$port and [::1]:$port" wait_for listening "$port"
done

UP=0
ANSWERED=0
UP1=0	# beacons node 1 answered while PostgreSQL was up
UP2=0
# load COUNT: beacons through both nginx, both families, in turn.
load() {
	_i=0
	LOAD1=0
	LOAD2=0
	while [ $_i -lt "$1" ]; do
		case $((_i % 4)) in
		0) url=http://127.0.0.1:$PORT1/beacon src=$V4 n=1 ;;
		1) url=http://[::1]:$PORT2/beacon src=$V6 n=2 ;;
		2) url=http://127.0.0.1:$PORT2/beacon src=$V4 n=2 ;;
		*) url=http://[::1]:$PORT1/beacon src=$V6 n=1 ;;
		esac
		code=$(get "$url" --interface "$src")
		if [ "$code" = 204 ]; then
			ANSWERED=$((ANSWERED + 1))
			eval "LOAD$n=\$((LOAD$n + 1))"
		else
			fail "beacon $_i: $code"
		fi
		_i=$((_i + 1))
	done
}
up() {
	load "$1"
	UP=$((UP + $1))
	UP1=$((UP1 + LOAD1))
	UP2=$((UP2 + LOAD2))
}

up 80
pg_stop fast
load 20
expect_eq "node 1 /status.json 503 while PostgreSQL is down" 503 \
    "$(get "http://127.0.0.1:$PORT1/status.json")"
pg_restart
# A node opens its database again at most once a second after a failure.
sleep 2
up 80
expect_eq "every beacon answered" 180 "$ANSWERED"
expect_eq "the rows: every beacon answered while PostgreSQL was up, once" "$UP" \
    "$(pg_sql 'SELECT count(*) FROM request')"
expect_eq "both families, both prefixes, in halves" "4|203.0.113.0/24|80
6|2001:db8:ffff::/48|80" \
    "$(pg_sql 'SELECT family, prefix, count(*) FROM request GROUP BY 1, 2 ORDER BY 1')"

# One report, from either node: every request of both.
for n in 1 2; do
	eval "port=\$PORT$n"
	expect_eq "node $n report.json" 200 "$(get "http://[::1]:$port/report.json")"
	contains "node $n's report counts both nodes' requests" '"total":160,"ipv4":80,"ipv6":80,' "$W/b"
done

# Each node's share: node 1 answers 7 more over IPv6, so the two differ.
i=0
while [ $i -lt 7 ]; do
	code=$(get "http://[::1]:$PORT1/beacon" --interface "$V6")
	if [ "$code" = 204 ]; then UP1=$((UP1 + 1)); else fail "node 1 beacon $i: $code"; fi
	i=$((i + 1))
done
expect_eq "node 1 answered 87 while PostgreSQL was up" 87 "$UP1"
expect_eq "node 2 answered 80 while PostgreSQL was up" 80 "$UP2"
expect_eq "the rows by node: what each serve answered" "node-1|$UP1
node-2|$UP2" "$(pg_sql 'SELECT node, count(*) FROM request GROUP BY 1 ORDER BY 1')"
for n in 1 2; do
	eval "port=\$PORT$n"
	expect_eq "node $n report.json" 200 "$(get "http://127.0.0.1:$port/report.json")"
	contains "node $n's report: all requests" '"total":167,"ipv4":80,"ipv6":87,' "$W/b"
	contains "node $n's report: each node's share, busiest first" \
	    '"nodes":[{"node":"node-1","requests":87,"ipv4":40,"ipv6":47,"share":0.520958,"ipv6_share":0.54023},{"node":"node-2","requests":80,"ipv4":40,"ipv6":40,"share":0.479042,"ipv6_share":0.5}]' \
	    "$W/b"
done
expect_eq "?node=node-2" 200 "$(get "http://[::1]:$PORT1/report.json?days=1&node=node-2")"
contains "?node=node-2: node 2's requests only" '"total":80,"ipv4":40,"ipv6":40,' "$W/b"
contains "?node=node-2: the filter named" '"filters":{"host":null,"node":"node-2","how":null}' "$W/b"
expect_eq "?node= through nginx: the by-server page" 200 "$(get "http://127.0.0.1:$PORT2/report?node=node-1")"
contains "the HTML names the server filter" 'server <code class="node">node-1</code>' "$W/b"
contains "the HTML's by-server table links each node" 'class="node" href=' "$W/b"
expect_eq "an invalid ?node= is a 400" 400 "$(get "http://127.0.0.1:$PORT1/report.json?node=no%20such")"
contains "the 400 says why" 'is not a node name' "$W/b"
# The command line reads the same: dualstat report --node.
"$DUALSTAT" -c "$W/node2.conf" report --node node-1 --format csv --table summary \
    > "$W/cli.csv" 2> "$W/cli.err" || fail "dualstat report --node: $(cat "$W/cli.err")"
contains "report --node node-1: node 1's requests" ',87,40,47,' "$W/cli.csv"
contains "report --node node-1: the filter in the summary" ',node-1' "$W/cli.csv"
for n in 1 2; do
	lacks "nginx $n logged nothing critical" "[crit]" "$W/nginx$n/error.log"
done
finish
