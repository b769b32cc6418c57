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

cleanup() {
	for p in $CLEANUP_PIDS; do
		kill "$p" 2>/dev/null || true
	done
	for p in $CLEANUP_PIDS; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$p" 2>/dev/null || true
	done
}
trap cleanup EXIT INT TERM

# The database the tests read through the sqlite3 shell, never through dualstat.
sql() {
	"${SQLITE3:-sqlite3}" -batch -noheader "$DB" "$1"
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
cgi() {
	path=$1
	addr=$2
	shift 2
	env -i PATH="$PATH" GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET \
	    SCRIPT_NAME=/dualstat PATH_INFO="$path" QUERY_STRING= \
	    SERVER_ADDR=::1 HTTP_HOST=e2e.test REMOTE_ADDR="$addr" \
	    DUALSTAT_CONF="$CONF" "$@" "$DUALSTAT" < /dev/null > "$W/out" 2> "$W/err"
}

# The Status line of $W/out.
status_of() {
	sed -n 's/^Status: \([0-9]*\).*/\1/p' "${1:-$W/out}" | head -n 1
}

finish() {
	echo "$T: $PASSES passed, $FAILS failed"
	[ "$FAILS" -eq 0 ]
}
