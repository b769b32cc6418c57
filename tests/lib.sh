# lib.sh: shared helpers for the end-to-end tests (sourced, POSIX sh).
# Each test gets its own folder under tests/work/, so `make -j check` runs them side by side.

set -eu

: "${DUALSTAT:?DUALSTAT must name the binary (make check sets it)}"
: "${top_srcdir:=.}"
: "${top_builddir:=.}"

T=$(basename "$0" .sh)
W="$top_builddir/tests/work/$T"
rm -rf "$W"
mkdir -p "$W"
W=$(cd "$W" && pwd)
FAILS=0
PASSES=0
CLEANUP_PIDS=""

# Sockets and pid files go to RUN, a short folder outside the build tree ($W/run
# links to it): a Unix socket's path holds at most 107 bytes, Apache's
# mod_proxy takes at most 95, and make distcheck builds deep below the source.
RUN=$(mktemp -d "${TMPDIR:-/tmp}/dualstat-test.XXXXXX")
chmod 0755 "$RUN"
ln -s "$RUN" "$W/run"

# A socket path that does not fit fails far from its cause: lighttpd refuses its
# configuration ("unixsocket is too long"), mod_cgid truncates the path and binds
# somewhere else, dualstat serve exits.  So every socket a test creates or hands to
# a server is named by sock_path (or lives in a sock_dir), which stops the test
# where the name is made, saying which path and why (exit 99, a hard error).
SOCK_MAX=107

# sock_fits PATH [MAX]: PATH holds at most MAX bytes (default SOCK_MAX), or the test stops.
# finish() fails too, for a call whose exit status nobody looked at.
sock_fits() {
	_n=$(printf '%s' "$1" | wc -c)
	[ "$_n" -le "${2:-$SOCK_MAX}" ] && return 0
	echo "ERROR: $T: the socket path $1 is $_n bytes, more than ${2:-$SOCK_MAX}:" \
	    "a test's sockets belong in \$RUN (sock_path), never below the build tree;" \
	    "\$RUN is in \$TMPDIR (${TMPDIR:-/tmp}), which must be short" >&2
	echo "$1" >> "$W/socket-too-long"
	exit 99
}

# sock_path NAME [MAX]: "$RUN/NAME", the path of a socket, checked.  Call it in an
# assignment, SOCK=$(sock_path dualstat.sock), so that set -e stops the test when it
# fails.  MAX: a server's own limit when it is lower (Apache's mod_proxy: 95).  A server
# that adds to the name it is given is checked with the name it makes
# (lighttpd's bin-path socket "dualstat.sock" becomes "dualstat.sock-0").
sock_path() {
	sock_fits "$RUN/$1" "${2:-$SOCK_MAX}"
	printf '%s\n' "$RUN/$1"
}

# sock_dir NAME LEAF: the folder "$RUN/NAME", made, for a server that names the sockets
# in it itself (mod_fcgid: PID.N, mod_cgid: cgisock.PID); LEAF is the longest name it
# gives one.
sock_dir() {
	mkdir -p "$RUN/$1"
	sock_fits "$RUN/$1/$2"
	printf '%s\n' "$RUN/$1"
}

# Under CI nothing may skip: a missing package or permission there is a failure.
skip() {
	if [ "${CI:-}" = true ]; then
		echo "FAIL: $T would skip under CI: $*"
		exit 1
	fi
	echo "SKIP: $T: $*"
	exit 77
}

fail() {
	echo "FAIL: $*"
	FAILS=$((FAILS + 1))
}

ok() {
	PASSES=$((PASSES + 1))
}

# check DESCRIPTION COMMAND...: the command must succeed.
check() {
	desc=$1
	shift
	if "$@"; then ok; else fail "$desc"; fi
}

# expect_eq DESCRIPTION EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then ok; else fail "$1: expected [$2], got [$3]"; fi
}

# contains DESCRIPTION NEEDLE FILE
contains() {
	if grep -qF -- "$2" "$3"; then ok; else fail "$1: [$2] not in $3"; sed -n '1,40p' "$3"; fi
}

lacks() {
	if grep -qF -- "$2" "$3"; then fail "$1: [$2] found in $3"; else ok; fi
}

# Remember a PID to stop when the test ends, whatever happens.
track() {
	CLEANUP_PIDS="$CLEANUP_PIDS $1"
}

CLEANUP_ADDRS=""

# alive PID: the process exists and is not a zombie waiting to be reaped.
alive() {
	_s=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	case $_s in Z*) return 1 ;; esac
	return 0
}

# at_cleanup COMMAND: run COMMAND (a string, evaluated) when the test ends, after the
# tracked processes have stopped: a test that needs more than lib.sh's cleanup adds to it
# here rather than replacing the traps below.
CLEANUP_CMDS=""
at_cleanup() {
	CLEANUP_CMDS="$CLEANUP_CMDS
$1"
}

# cleanup runs once (the EXIT trap runs again after an INT or TERM handler's exit), and
# a second Ctrl-C does not cut it short: it waits at most 5 s for each process.
CLEANED=""
cleanup() {
	[ -z "$CLEANED" ] || return 0
	CLEANED=1
	trap '' INT TERM
	for a in $CLEANUP_ADDRS; do
		ip addr del "$a" dev lo 2>/dev/null || true
	done
	for p in $CLEANUP_PIDS; do
		kill "$p" 2>/dev/null || true
	done
	for p in $CLEANUP_PIDS; do
		i=0
		while alive "$p" && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$p" 2>/dev/null || true
	done
	eval "$CLEANUP_CMDS" || true
	case $RUN in */dualstat-test.*) rm -rf "$RUN" ;; esac
}
# A POSIX shell goes on with the script once an INT or TERM handler returns: these exit,
# with the status a shell reports for the signal (128 + 2, 128 + 15).
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

# The database the tests read through the sqlite3 shell, never through dualstat.  It waits
# (up to 5 s) for a worker's upkeep that holds a lock at that moment, as dualstat does.
sql() {
	"${SQLITE3:-sqlite3}" -batch -noheader -cmd ".timeout 5000" "$DB" "$1"
}

need_sqlite3() {
	command -v "${SQLITE3:-sqlite3}" >/dev/null 2>&1 || skip "sqlite3 shell not found (Debian package sqlite3)"
}

# write_conf [EXTRA LINES]: a configuration whose database lives in the test folder.
DB="$W/db/dualstat.db"
CONF="$W/dualstat.conf"
write_conf() {
	{
		echo "database = $DB"
		echo "site_name = e2e test site"
		[ $# -gt 0 ] && printf '%s\n' "$@"
		true
	} > "$CONF"
}

# cgi PATH REMOTE_ADDR [VAR=VALUE...]: one CGI request; output in $W/out, stderr in $W/err.
# Bounded: a request that hangs (a lock never let go) fails the test instead of stalling it.
cgi() {
	path=$1
	addr=$2
	shift 2
	env -i PATH="$PATH" GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET \
	    SCRIPT_NAME=/dualstat PATH_INFO="$path" QUERY_STRING= \
	    SERVER_ADDR=::1 HTTP_HOST=e2e.test REMOTE_ADDR="$addr" \
	    DUALSTAT_CONF="$CONF" "$@" timeout 60 "$DUALSTAT" < /dev/null > "$W/out" 2> "$W/err"
}

# The Status line of $W/out.
status_of() {
	sed -n 's/^Status: \([0-9]*\).*/\1/p' "${1:-$W/out}" | head -n 1
}

# ---- helpers for tests that start real web servers ----------------------------

# wait_for COMMAND...: up to 10 s for a condition.
wait_for() {
	_i=0
	until "$@"; do
		_i=$((_i + 1))
		[ $_i -ge 100 ] && return 1
		sleep 0.1
	done
}

# free_port N: a TCP port that nothing listens on, on any address.  N (0..99)
# keeps tests that run side by side (make -j2 check) apart.  Ports stay
# below Linux's ephemeral range (32768..), where a client's own outgoing
# connections (wrk, curl) could take them first.
free_port() {
	_p=$(( 20000 + ($$ % 120) * 100 + $1 ))
	while ss -Hltn "( sport = :$_p )" 2>/dev/null | grep -q .; do
		_p=$((_p + 1))
	done
	echo $_p
}

# listening PORT: something listens on both 127.0.0.1:PORT and [::1]:PORT.
listening() {
	ss -Hltn "( sport = :$1 )" > "$W/ss.out" 2>/dev/null || return 1
	grep -qF "127.0.0.1:$1 " "$W/ss.out" && grep -qF "[::1]:$1 " "$W/ss.out"
}

# client_addrs N: documentation addresses on lo to send from, removed when the
# test ends.  N (1..250) must differ between tests: make -j2 runs them together.
# Sets V4 (203.0.113.N) and V6 (2001:db8:ffff:N::1).  Skips without root.
#
# lo belongs to the whole machine, so the same test running in another build tree
# (another make check, or distcheck) wants the same pair.  A lock per N, in
# /run/lock, says who owns it: a helper process holds the lock for as long as this
# shell lives, and the kernel lets go of it when the helper dies, however this test
# ended.  A second run waits (up to 5 min) for the first.  So an address that is
# already on lo once we hold the lock is the leftover of a run that was killed
# before its cleanup: we take it over (ip addr replace) and remove it at the end,
# and we never remove an address that a running test still uses.
client_addrs() {
	[ "$(id -u)" -eq 0 ] || skip "adding client addresses to lo needs root"
	command -v ip >/dev/null 2>&1 || skip "ip not found (Debian package iproute2)"
	need_cmd flock util-linux
	V4=203.0.113.$1
	V6=2001:db8:ffff:$1::1
	_lockdir=/run/lock
	[ -d "$_lockdir" ] || _lockdir=/tmp
	_held="$W/addr-lock.held"
	# flock -o: only flock keeps the lock file open, not the loop it runs, so
	# stopping flock (cleanup tracks it) lets go of the lock at once.
	# shellcheck disable=SC2016
	flock -o -w 300 "$_lockdir/dualstat-test-addr-$1" \
	    sh -c ': > "$1"; while kill -0 "$2" 2>/dev/null; do sleep 1; done' \
	    sh "$_held" $$ < /dev/null > /dev/null 2> "$W/addr-lock.err" &
	_lockpid=$!
	track "$_lockpid"
	_i=0
	until [ -e "$_held" ]; do
		alive "$_lockpid" ||
		    skip "no lock on $V4 and $V6 (another test held it for 5 min?) $(cat "$W/addr-lock.err")"
		[ $_i -eq 20 ] && echo "# waiting for another test that uses $V4 and $V6"
		_i=$((_i + 1))
		sleep 0.1
	done
	# cleanup removes the addresses before it stops the lock's holder.
	CLEANUP_ADDRS="$CLEANUP_ADDRS $V4/32 $V6/128"
	ip addr replace "$V4/32" dev lo || skip "cannot add $V4 to lo"
	ip -6 addr replace "$V6/128" dev lo nodad || skip "cannot add $V6 to lo"
}

# get URL [CURL ARGS...]: status code on stdout; headers in $W/h, body in $W/b.
get() {
	_url=$1
	shift
	"${CURL:-curl}" -sS -g --max-time 10 -D "$W/h" -o "$W/b" -w '%{http_code}' "$@" "$_url" || echo 000
}

# The pages dualstat shows only to its owner (app.c's table).
OWNER_PAGES="/report /report.json /report.csv /status /status.json /check"

# unchecked_user_refused WHAT BASE CURL_ARGS...: a client that admin_allow does not let in
# (CURL_ARGS choose its address) and sends credentials nothing checked, Basic ones and a
# Remote-User header, gets 403 on every owner page below BASE: the web server passed no
# REMOTE_USER, since none authenticated it.
unchecked_user_refused() {
	_what=$1 _base=$2
	shift 2
	for _p in $OWNER_PAGES; do
		expect_eq "$_what: $_p with unchecked credentials is refused" 403 \
		    "$(get "$_base$_p" -u owner:guess -H 'Remote-User: owner' "$@")"
	done
}

# need_cmd NAME PACKAGE: skip (FAIL under CI) when a program is missing.
need_cmd() {
	command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] || skip "$1 not found (Debian package $2)"
}

finish() {
	[ ! -e "$W/socket-too-long" ] || fail "socket paths too long: $(cat "$W/socket-too-long")"
	echo "$T: $PASSES passed, $FAILS failed"
	[ "$FAILS" -eq 0 ]
}
