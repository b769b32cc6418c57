#!/bin/sh
# it_serve_user.sh: `dualstat serve` started as root next to the bundled nginx, whose workers
# run as www-data.  Root must say whom to serve as (--user); the socket is bound as root and
# then made what nginx needs (--socket-owner, --socket-mode), the database opened only after
# the drop.  Without --socket-owner the socket is root's and nginx answers 502, as it did for
# everyone before these options existed.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/rel_lib.sh"
need_sqlite3
need_nginx
[ "$(id -u)" -eq 0 ] || skip "starting serve as root needs root"
id nobody >/dev/null 2>&1 || skip "no user nobody to serve as"
getent group nogroup >/dev/null 2>&1 || skip "no group nogroup"
PORT=$(free_port 48)
SOCK=$(sock_path serve.sock)
write_conf
mkdir -p "$W/db"
chown nobody:nogroup "$W/db"

# serve_user LOG ARGS...: serve as root with ARGS, in the background; sets SERVE.
serve_user() {
	_log=$1
	shift
	"$DUALSTAT" -c "$CONF" serve --listen "unix:$SOCK" --workers 2 "$@" 2> "$W/$_log" &
	SERVE=$!
	track $SERVE
}
usage() {
	_st=0
	timeout 10 "$DUALSTAT" -c "$CONF" serve --listen "unix:$SOCK" "$@" > /dev/null 2> "$W/u.err" || _st=$?
	expect_eq "serve $*: exit 2" 2 "$_st"
	expect_eq "serve $*: one line" 1 "$(grep -c . "$W/u.err")"
}
users_of() {
	ps -o user= -p "$1" --ppid "$1" | sort -u | tr -d ' ' | tr '\n' ' '
}

# ---- root must say whom to serve as; bad values are usage errors
usage
contains "root is told how" "give --user USER[:GROUP]" "$W/u.err"
usage --user no-such-user-here
contains "an unknown user is named" 'no such user "no-such-user-here"' "$W/u.err"
usage --user nobody:no-such-group
usage --user nobody --socket-mode 0999
usage --user nobody --socket-mode rw
usage --user nobody --user root
contains "an option given twice" "--user is given more than once" "$W/u.err"
st=0
timeout 10 "$DUALSTAT" -c "$CONF" serve --listen "127.0.0.1:$PORT" --user nobody \
    --socket-mode 0660 > /dev/null 2> "$W/u.err" || st=$?
expect_eq "--socket-mode with a TCP socket: exit 2" 2 "$st"
contains "it says so" "are for a unix: socket" "$W/u.err"
check "nothing was left at the socket's path" test ! -e "$SOCK"

nginx_start "$PORT"

# ---- the drop alone: the socket is the user's, and nginx's www-data workers cannot connect
serve_user plain.log --user nobody:nogroup
check "serve listens" wait_for test -S "$SOCK"
expect_eq "the socket is nobody's, 0660" "660 nobody nogroup" "$(stat -c '%a %U %G' "$SOCK")"
expect_eq "nginx cannot reach it: 502" 502 "$(get "http://127.0.0.1:$PORT/beacon")"
contains "nginx says why" "Permission denied" "$N/error.log"
serve_stop

# ---- the socket made nginx's: it answers, and serve runs as nobody
serve_user owned.log --user nobody:nogroup --socket-owner nobody:www-data --socket-mode 0660
check "serve listens" wait_for grep -q serving "$W/owned.log"
check "its two workers" wait_for has_workers 2
expect_eq "the socket: nobody:www-data, 0660" "660 nobody www-data" "$(stat -c '%a %U %G' "$SOCK")"
expect_eq "nginx's beacon over IPv4" 204 "$(get "http://127.0.0.1:$PORT/beacon")"
expect_eq "nginx's beacon over IPv6" 204 "$(get "http://[::1]:$PORT/beacon")"
expect_eq "serve and its workers run as nobody" "nobody " "$(users_of "$SERVE")"
for w in $(workers); do
	expect_eq "worker $w cannot be root again (real, effective, saved)" "65534 65534 65534" \
	    "$(awk '/^Uid:/ { print $2, $3, $4 }' /proc/"$w"/status)"
	expect_eq "worker $w has no group of root's" "" \
	    "$(awk '/^Groups:/ { for (i = 2; i <= NF; i++) if ($i == 0) print $i }' /proc/"$w"/status)"
done
expect_eq "the database was made by nobody" "nobody" "$(stat -c %U "$DB")"
expect_eq "the rows" 2 "$(sql 'SELECT count(*) FROM request')"
serve_stop

# ---- a mode for a web server that shares the user: 0600
serve_user mode.log --user www-data --socket-mode 0600
# (The last serve, as nobody, could not remove its socket from root's folder: stale now.)
check "serve listens" wait_for grep -q serving "$W/mode.log"
expect_eq "the socket: www-data's own, 0600" "600 www-data www-data" "$(stat -c '%a %U %G' "$SOCK")"
serve_stop

nginx_stop
integrity
finish
