#!/bin/sh
# it_demo.sh: the README's demo, conf/lighttpd/demo.sh, run as `make demo` runs it: it prints
# its URLs, each of them answers 200 over IPv4 and IPv6, the landing page's visits land in
# the database it names, and Ctrl-C (SIGINT to its process group) stops lighttpd and the
# dualstat it spawned, with status 0.  Then BIND=any, in a network namespace of the test's
# own (a wildcard listens on every address of the host): 0.0.0.0 and [::], reached on
# loopback and on another address of the namespace.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/netns.sh"
need_sqlite3
need_cmd "${LIGHTTPD:=lighttpd}" lighttpd
need_cmd "${CURL:=curl}" curl
need_cmd setsid util-linux
PORT=$(free_port 15)

# demo NAME [VAR=VALUE...]: demo.sh with the variables make demo passes, run by $IN (inside
# the namespace, once there is one) and $SETSID.  demo.sh keeps its state in
# "$builddir/demo"; builddir is a folder of the test's own under RUN (the FastCGI socket's
# path must stay short), not the build tree, where a real demo may be running.
SETSID=""
demo() {
	_b="$RUN/$1"
	shift
	mkdir -p "$_b"
	# shellcheck disable=SC2086
	$IN $SETSID env DUALSTAT="$DUALSTAT" LIGHTTPD="$LIGHTTPD" srcdir="$top_srcdir" \
	    builddir="$_b" PORT="$PORT" "$@" sh "$top_srcdir/conf/lighttpd/demo.sh"
}

# ---- demo.sh refuses what it cannot use, before it starts anything
st=0
demo bad BIND=everywhere > "$W/bad.out" 2>&1 || st=$?
expect_eq "BIND=everywhere is refused" 2 "$st"
contains "BIND=everywhere says why" 'BIND must be local or any, not "everywhere"' "$W/bad.out"
st=0
demo bad PORT=80x > "$W/bad.out" 2>&1 || st=$?
expect_eq "PORT=80x is refused" 2 "$st"
contains "PORT=80x says why" 'PORT must be a number, not "80x"' "$W/bad.out"

# two_sockets: two sockets listen on PORT (lighttpd opens them one after the other); they
# are in $W/ss.out.
two_sockets() {
	ns_listening "$PORT" 2
}

# sockets: the addresses that listen on PORT, sorted, on one line.
sockets() {
	awk '{ print $4 }' "$W/ss.out" | sort | tr '\n' ' ' | sed 's/ $//'
}

# start NAME [VAR=VALUE...]: the demo in the background, in a session and process group of
# its own, as in a terminal.  Sets OUT (what it printed), STATE, DPID (what $! waits for),
# LPID (lighttpd, from its pid file), PG and KIDS (the dualstat lighttpd spawned).
start() {
	OUT="$W/$1.out"
	STATE="$RUN/$1/demo"
	SETSID="setsid -w"
	demo "$@" > "$OUT" 2>&1 < /dev/null &
	DPID=$!
	SETSID=""
	track "$DPID"
	# lighttpd is there: not listening is the demo's failure, not a reason to skip.
	if ! wait_for test -s "$STATE/lighttpd.pid" || ! wait_for two_sockets; then
		cat "$OUT" "$STATE/error.log" 2>/dev/null || true
		fail "$1: the demo did not listen on port $PORT"
		finish || exit 1
	fi
	LPID=$(cat "$STATE/lighttpd.pid")
	track "$LPID"
	PG=$(ps -o pgid= -p "$LPID" | tr -d ' ')
	expect_eq "$1: lighttpd leads a process group of its own" "$LPID" "$PG"
	LSOCK=$(sock_path "$1/demo/run/dualstat.sock-0")
	check "$1: lighttpd spawned dualstat" wait_for test -S "$LSOCK"
	KIDS=$(ps -o pid= --ppid "$LPID" | tr -d ' ')
	for k in $KIDS; do track "$k"; done
	expect_eq "$1: one dualstat process" 1 "$(echo "$KIDS" | grep -c .)"
}

# urls: the URLs the demo printed, in order.
urls() {
	grep -o 'http://[^ ]*' "$OUT"
}

# printed_urls NAME: the demo printed the landing page, report and status over both
# families, on loopback (what a browser on this machine opens, also with BIND=any).
printed_urls() {
	expect_eq "$1: the URLs it prints" "http://127.0.0.1:$PORT/
http://[::1]:$PORT/
http://127.0.0.1:$PORT/report
http://[::1]:$PORT/report
http://127.0.0.1:$PORT/status
http://[::1]:$PORT/status" "$(urls)"
}

# gone PID: the process has exited (a zombie waiting to be reaped counts as gone).
gone() {
	! alive "$1"
}

# visit_all NAME: each printed URL answers 200, and each landing page leaves one row.
visit_all() {
	for u in $(urls); do
		expect_eq "$1: $u" 200 "$(get "$u")"
		case $u in
		*/report) contains "$1: $u is the report" "<h1>IPv6 usage of " "$W/b" ;;
		*/status) contains "$1: $u is the status page" "<h1>dualstat status</h1>" "$W/b" ;;
		http://127.0.0.1:*/) contains "$1: $u says IPv4" "over IPv4" "$W/b" ;;
		http://\[::1\]:*/) contains "$1: $u says IPv6" "over IPv6" "$W/b" ;;
		*) fail "$1: a URL the test does not know: $u" ;;
		esac
	done
}

# group_left PG: the live processes of process group PG; group_empty PG: there are none.
group_left() {
	ps -e -o pgid=,pid=,stat=,args= | awk -v g="$1" '$1 == g && $3 !~ /^Z/'
}
group_empty() {
	[ -z "$(group_left "$1")" ]
}

# stop NAME: Ctrl-C, as a terminal sends it: SIGINT to the demo's process group.  lighttpd
# shuts down and exits 0, and nothing of the group is left (zombies aside: lighttpd's
# children may outlive it by the moment their new parent takes to reap them).
stop() {
	kill -INT -"$PG"
	check "$1: lighttpd stops on SIGINT" wait_for gone "$LPID"
	if alive "$LPID"; then
		kill -9 "$LPID" 2>/dev/null || true
	fi
	st=0
	wait "$DPID" || st=$?
	expect_eq "$1: the demo's exit status after Ctrl-C" 0 "$st"
	for k in $KIDS; do
		check "$1: spawned dualstat $k is gone" wait_for gone "$k"
	done
	# A dualstat lighttpd spawned again while it shut down (it does, when the first
	# one ended on the SIGINT a moment before lighttpd) leaves as its parent goes.
	wait_for group_empty "$PG" || true
	expect_eq "$1: nothing left in the demo's process group" "" "$(group_left "$PG")"
	check "$1: FastCGI socket removed" test ! -e "$LSOCK"
	contains "$1: lighttpd says it stopped" "server stopped" "$STATE/error.log"
}

# ---- BIND=local (the default), on the host's loopback, as the README runs it
start local
contains "local: lighttpd on 127.0.0.1 and [::1]" \
    "lighttpd on 127.0.0.1:$PORT and [::1]:$PORT, database $STATE/db/dualstat.db" "$OUT"
expect_eq "local: two sockets, 127.0.0.1 and [::1]" "127.0.0.1:$PORT [::1]:$PORT" "$(sockets)"
printed_urls local
contains "local: says how to stop it" "Ctrl-C stops it." "$OUT"
visit_all local
DB="$STATE/db/dualstat.db"
expect_eq "local: the two landings, in the database it printed" "4|page|127.0.0.1
6|page|[::1]" "$(sql 'SELECT family, how, host FROM request ORDER BY id')"
# The command it prints for a shell reads that database.
cmd=$(sed -n 's/^ *from a shell *//p' "$OUT")
expect_eq "local: the shell command it prints" "$DUALSTAT -c $STATE/dualstat.conf report" "$cmd"
st=0
$cmd > "$W/report.txt" 2>&1 || st=$?
expect_eq "local: the printed command runs" 0 "$st"
check "local: the report counts both visits" grep -qE '^ *total +2$' "$W/report.txt"
check "local: one of them over IPv6" grep -qE '^ *IPv6 +1 ' "$W/report.txt"
stop local

# ---- BIND=any: the wildcards, only inside a network namespace
if netns_up 15; then
	start any BIND=any
	contains "any: lighttpd on 0.0.0.0 and [::]" "lighttpd on 0.0.0.0:$PORT and [::]:$PORT" "$OUT"
	expect_eq "any: two sockets, 0.0.0.0 and [::]" "0.0.0.0:$PORT [::]:$PORT" "$(sockets)"
	printed_urls any
	visit_all any
	# Only a wildcard socket takes the namespace's other addresses.
	expect_eq "any: landing on $V4" 200 "$(get "http://$V4:$PORT/")"
	contains "any: $V4 says IPv4" "over IPv4" "$W/b"
	expect_eq "any: landing on [$V6]" 200 "$(get "http://[$V6]:$PORT/")"
	contains "any: [$V6] says IPv6" "over IPv6" "$W/b"
	DB="$STATE/db/dualstat.db"
	expect_eq "any: four landings" "4|page|127.0.0.1
6|page|[::1]
4|page|$V4
6|page|[$V6]" "$(sql 'SELECT family, how, host FROM request ORDER BY id')"
	stop any
else
	echo "# BIND=any left out: no network namespace, and a wildcard must not listen on the host"
	[ "${CI:-}" != true ] || fail "BIND=any left out under CI: no network namespace"
fi

finish
