#!/bin/sh
# e2e_lifecycle.sh: who owns the socket, and who outlives whom.  A second `dualstat serve`
# on a live socket's path is refused (one line, exit 1) and leaves the first one serving
# (it used to unlink the live socket, bind its own and remove that as it exited: the first
# kept running on nothing); only a stale socket is replaced, and no other file.  Workers
# leave when serve is killed outright (no drain: kill -9).  A FastCGI process that was
# detached on purpose (spawn-fcgi: its own session, the spawner gone) stays and serves.
. "${top_srcdir:-.}/tests/lib.sh"
need_sqlite3
[ -n "${CGI_FCGI:-}" ] && [ -x "$CGI_FCGI" ] || CGI_FCGI=$(command -v cgi-fcgi || true)
[ -n "$CGI_FCGI" ] || skip "cgi-fcgi not found (Debian package libfcgi-bin)"
need_cmd spawn-fcgi spawn-fcgi
write_conf
SOCK=$(sock_path serve.sock)

# beacon SOCKET: one FastCGI request for /beacon; its status on stdout.
beacon() {
	env -i PATH="$PATH" REQUEST_METHOD=GET SCRIPT_NAME= PATH_INFO=/beacon \
	    QUERY_STRING= SERVER_ADDR=::1 REMOTE_ADDR=192.0.2.9 \
	    timeout 10 "$CGI_FCGI" -bind -connect "$1" < /dev/null > "$W/out" 2> "$W/fcgi.err"
	status_of
}
# serve_bg LOG [ARGS...]: dualstat serve on $SOCK in the background; sets SPID.
serve_bg() {
	_log=$1
	shift
	"$DUALSTAT" -c "$CONF" serve --user root --listen "unix:$SOCK" "$@" 2> "$W/$_log" &
	SPID=$!
	track $SPID
}
kids() {
	ps -o pid= --ppid "$1" 2>/dev/null | tr -d ' ' | grep . || true
}
gone() {
	! alive "$1"
}
none_alive() {
	for _p in "$@"; do
		alive "$_p" && return 1
	done
	return 0
}

# ---- a second serve on a live socket's path
serve_bg first.log --workers 2
FIRST=$SPID
check "the first serve listens" wait_for test -S "$SOCK"
check "its two workers" wait_for sh -c "[ \$(ps -o pid= --ppid $FIRST | wc -l) -eq 2 ]"
expect_eq "the first serve answers" 204 "$(beacon "$SOCK")"
ino=$(stat -c %i "$SOCK")
st=0
timeout 10 "$DUALSTAT" -c "$CONF" serve --user root --listen "unix:$SOCK" 2> "$W/second.log" || st=$?
expect_eq "a second serve on the same path: exit 1" 1 "$st"
expect_eq "it says so in one line" 1 "$(grep -c . "$W/second.log")"
contains "address in use" "address in use" "$W/second.log"
expect_eq "the live socket is the first serve's still" "$ino" "$(stat -c %i "$SOCK" 2>/dev/null)"
expect_eq "and the first serve still answers on it" 204 "$(beacon "$SOCK")"

# ---- serve killed outright: its workers leave too, the socket file stays behind (stale)
WORKERS=$(kids "$FIRST")
expect_eq "two workers to watch" 2 "$(echo "$WORKERS" | grep -c .)"
for k in $WORKERS; do track "$k"; done
kill -9 "$FIRST"
# shellcheck disable=SC2086
check "the workers leave when serve is killed" wait_for none_alive $WORKERS
check "the socket file is left behind" test -S "$SOCK"
serve_bg third.log --workers 1
check "a stale socket is replaced: the new serve listens" wait_for grep -q serving "$W/third.log"
check "and answers" wait_for sh -c "[ \"\$(env -i PATH='$PATH' REQUEST_METHOD=GET \
    PATH_INFO=/beacon REMOTE_ADDR=192.0.2.9 timeout 5 '$CGI_FCGI' -bind -connect '$SOCK' \
    < /dev/null 2>/dev/null | sed -n 's/^Status: \([0-9]*\).*/\1/p')\" = 204 ]"
kill -TERM "$SPID"
check "serve stops on SIGTERM" wait_for gone "$SPID"
check "and removes its own socket" test ! -e "$SOCK"

# ---- a file that is not a socket is never replaced
echo keep > "$SOCK"
st=0
timeout 10 "$DUALSTAT" -c "$CONF" serve --user root --listen "unix:$SOCK" 2> "$W/file.log" || st=$?
expect_eq "serve on a regular file's path: exit 1" 1 "$st"
contains "it says what is there" "not a socket" "$W/file.log"
expect_eq "the file is untouched" keep "$(cat "$SOCK")"
rm -f "$SOCK"

# ---- the same TCP port twice
PORT=$(free_port 39)
"$DUALSTAT" -c "$CONF" serve --user root --listen "127.0.0.1:$PORT" 2> "$W/tcp1.log" &
TPID=$!
track $TPID
check "serve on 127.0.0.1:$PORT" wait_for sh -c "ss -Hltn '( sport = :$PORT )' | grep -q ."
st=0
timeout 10 "$DUALSTAT" -c "$CONF" serve --user root --listen "127.0.0.1:$PORT" 2> "$W/tcp2.log" || st=$?
expect_eq "a second serve on the same port: exit 1" 1 "$st"
contains "address in use" "Address already in use" "$W/tcp2.log"
check "the first still listens" alive "$TPID"
kill -TERM "$TPID"
check "it stops" wait_for gone "$TPID"

# ---- detached on purpose: spawn-fcgi gives dualstat a session of its own and exits
SOCK0=$(sock_path fd0.sock)
spawn-fcgi -s "$SOCK0" -P "$W/fd0.pid" -- "$DUALSTAT" -c "$CONF" > "$W/spawn.out" 2>&1
FPID=$(cat "$W/fd0.pid")
track "$FPID"
check "spawn-fcgi's dualstat runs after spawn-fcgi left" alive "$FPID"
expect_eq "it leads a session of its own" "$FPID" "$(ps -o sid= -p "$FPID" | tr -d ' ')"
sleep 1
check "and stays" alive "$FPID"
expect_eq "and answers" 204 "$(beacon "$SOCK0")"
kill -TERM "$FPID"
check "it stops on SIGTERM" wait_for gone "$FPID"

expect_eq "rows: every 204" 4 "$(sql 'SELECT count(*) FROM request')"
finish
