#!/bin/sh
# e2e_static.sh: dualstat-static (make static) is one file with no shared libraries, runs its
# commands, and refuses serve's --user and --socket-owner before any user or group lookup:
# glibc's NSS would load the system's shared modules into the static program (Debian's
# libnss_systemd), where an unknown name or initgroups() of some users crashes it.
. "${top_srcdir:-.}/tests/static.sh"
. "$top_srcdir/tests/lib.sh"
need_cmd file file
need_cmd readelf binutils

file -L "$DUALSTAT" > "$W/file.out"
contains "file says statically linked" "statically linked" "$W/file.out"
contains "for x86-64" "x86-64" "$W/file.out"
ldd "$DUALSTAT" > "$W/ldd.out" 2>&1 || true
contains "ldd: not a dynamic executable" "not a dynamic executable" "$W/ldd.out"
readelf -d "$DUALSTAT" > "$W/dynamic.out" 2>&1 || true
lacks "no shared library needed" "(NEEDED)" "$W/dynamic.out"
readelf -l "$DUALSTAT" > "$W/segments.out"
lacks "no program interpreter" "INTERP" "$W/segments.out"

"$DUALSTAT" version > "$W/out"
contains "version" "dualstat " "$W/out"
contains "SQLite compiled in" "SQLite 3." "$W/out"
write_conf
"$DUALSTAT" -c "$CONF" classify 2001:db8:1:2::1 > "$W/out"
expect_eq "classify" "2001:db8:1:2::1	6	documentation	2001:db8:1::/48	-" "$(cat "$W/out")"
"$DUALSTAT" -c "$CONF" check-config > "$W/out" || true
contains "check-config knows it is static" "linked statically" "$W/out"

# ---- serve: names are refused before any lookup.  A name nobody has is the proof: a
# lookup of it would load libnss_systemd into the static program (a crash, status 139,
# on Debian 12) or at best say "no such user".
SOCK=$(sock_path static.sock)
refused() {	# WHAT ARGS...: exit 2, the one-line reason, nothing started
	_what=$1
	shift
	_rc=0
	timeout 10 "$DUALSTAT" -c "$CONF" serve --listen "unix:$SOCK" "$@" > "$W/out" 2> "$W/err" || _rc=$?
	expect_eq "$_what: a usage error" 2 "$_rc"
	contains "$_what: says why" "a static dualstat looks up no user or group names" "$W/err"
	expect_eq "$_what: one line" 1 "$(wc -l < "$W/err")"
	check "$_what: no socket made" test ! -e "$SOCK"
}
refused "--user of an unknown name" --user no-such-user-dualstat-test
refused "--user root" --user root
refused "--user with a group" --user nobody:nogroup
refused "--socket-owner" --socket-owner no-such-user-dualstat-test:www-data
refused "--socket-owner with --user" --user nobody --socket-owner nobody
# The dynamic binary looks names up: the same unknown name is its own, different error.
_rc=0
timeout 10 "$top_builddir/dualstat" -c "$CONF" serve --listen "unix:$SOCK" \
    --user no-such-user-dualstat-test > "$W/out" 2> "$W/err" || _rc=$?
expect_eq "dynamic: an unknown user is a usage error too" 2 "$_rc"
contains "dynamic: it looked the name up" 'no such user "no-such-user-dualstat-test"' "$W/err"

finish
