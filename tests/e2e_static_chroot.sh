#!/bin/sh
# e2e_static_chroot.sh: dualstat-static needs nothing but itself: inside an empty chroot
# holding only the binary and its configuration (no /lib, no /etc, no /dev, no /tmp) it
# answers as CGI, records the visit in a database it makes there, counts it in the counters
# file beside it, and leaves nothing else behind.  Read from outside with the sqlite3 shell.
. "${top_srcdir:-.}/tests/static.sh"
. "$top_srcdir/tests/lib.sh"
need_sqlite3
[ "$(id -u)" -eq 0 ] || skip "chroot needs root"
need_cmd chroot coreutils
CHROOT=$(command -v chroot)

ROOT="$W/root"
mkdir -p "$ROOT"
cp "$DUALSTAT" "$ROOT/dualstat"
printf 'database = /db/dualstat.db\nsite_name = chroot test\n' > "$ROOT/dualstat.conf"
DB="$ROOT/db/dualstat.db"
expect_eq "the chroot holds the binary and the configuration only" "./dualstat
./dualstat.conf" "$(cd "$ROOT" && find . -mindepth 1 | sort)"

# incgi PATH REMOTE_ADDR [VAR=VALUE...]: one CGI request to /dualstat inside the chroot,
# the environment as lib.sh's cgi() sets it; output in $W/out, stderr in $W/err.
incgi() {
	_path=$1 _addr=$2
	shift 2
	env -i GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET SCRIPT_NAME=/stats \
	    PATH_INFO="$_path" QUERY_STRING= SERVER_ADDR=::1 HTTP_HOST=chroot.test \
	    REMOTE_ADDR="$_addr" DUALSTAT_CONF=/dualstat.conf "$@" \
	    PATH="$PATH" timeout 60 "$CHROOT" "$ROOT" /dualstat < /dev/null > "$W/out" 2> "$W/err"
}

check "the landing page is answered" incgi / 2001:db8:c4::77
expect_eq "landing status" 200 "$(status_of)"
contains "landing is HTML" "Content-Type: text/html; charset=utf-8" "$W/out"
contains "landing names the site" "You reached chroot test over IPv6" "$W/out"
contains "landing shows the stored prefix" "2001:db8:c4::/48" "$W/out"
lacks "measurement worked" "not recorded" "$W/out"
expect_eq "nothing on stderr" "" "$(cat "$W/err")"
expect_eq "the row, read from outside" "6|documentation|2001:db8:c4::/48|page|chroot.test" \
    "$(sql 'SELECT family, kind, prefix, how, host FROM request')"
check "IPv4 beacon" incgi /beacon.gif 198.51.100.9 SERVER_ADDR=127.0.0.1
expect_eq "beacon status" 200 "$(status_of)"
expect_eq "the beacon's row" "4|198.51.100.0/24|beacon" \
    "$(sql "SELECT family, prefix, how FROM request WHERE family = 4")"
check "the built-in stylesheet" incgi /dualstat.css 198.51.100.9
contains "stylesheet is CSS" "Content-Type: text/css; charset=utf-8" "$W/out"
check "status, as the owner" incgi /status.json ::1
expect_eq "status 200: the database is writable" 200 "$(status_of)"
contains "status: counted in the shared file" '"counters_shared":true' "$W/out"
contains "status: both earlier processes counted" '"requests":4' "$W/out"
check "the setup check, as the owner" incgi /check ::1 DOCUMENT_ROOT=/
contains "check: static" "linked statically" "$W/out"
contains "check: the database in the document root / is named" "anyone could download it" "$W/out"
# Time without /etc/localtime is UTC, as dualstat writes every time anyway.
expect_eq "rows stamped now (UTC seconds)" 1 \
    "$(sql "SELECT count(*) FROM request WHERE abs(time - $(date +%s)) < 300 AND family = 6")"

expect_eq "afterwards: the binary, the configuration and the database files only" "./db
./db/dualstat.db
./db/dualstat.db-counters
./dualstat
./dualstat.conf" "$(cd "$ROOT" && find . -mindepth 1 | sort)"
expect_eq "database mode 0600 in a 0700 folder" "600 700" \
    "$(stat -c %a "$DB") $(stat -c %a "$ROOT/db")"

finish
