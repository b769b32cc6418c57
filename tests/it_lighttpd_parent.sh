#!/bin/sh
# it_lighttpd_parent.sh: the dualstat lighttpd spawns (bundled conf/lighttpd files, a socket
# on fd 0) never outlives lighttpd.  Killed outright (kill -9, no chance to stop its
# children), lighttpd leaves dualstat an orphan, which must leave too (it used to wait in
# epoll for good).  And the race Ctrl-C can run, every time the same way: dualstat ends on
# its SIGINT just before lighttpd handles its own, lighttpd spawns it again while shutting
# down, and the stop it sends that new one can be lost; whatever lighttpd does, nothing may
# be left once it is gone.
. "${top_srcdir:-.}/tests/lib.sh"
LIGHTTPD=${LIGHTTPD:-lighttpd}
need_cmd "$LIGHTTPD" lighttpd
need_cmd setsid util-linux
write_conf
PORT=$(free_port 16)
C="$top_srcdir/conf"
L="$W/lighttpd"
mkdir -p "$L/htdocs" "$RUN/lighttpd"
sh "$C/fill.sh" "$C/lighttpd/dualstat.conf.in" DUALSTAT="$DUALSTAT" DUALSTAT_CONF="$CONF" \
    RUNDIR="$RUN/lighttpd" WWW="$top_srcdir/www" > "$L/site.conf"
sh "$C/fill.sh" "$C/lighttpd/lighttpd.conf.in" PORT="$PORT" BIND4=127.0.0.1 BIND6='[::1]' \
    STATE="$L" SITE="$L/site.conf" > "$L/lighttpd.conf"
"$LIGHTTPD" -tt -f "$L/lighttpd.conf" || fail "lighttpd -tt"

gone() {
	! alive "$1"
}
# left PG: the live dualstat processes of process group PG (lighttpd's children stay in it).
left() {
	ps -e -o pgid=,pid=,stat=,args= |
	    awk -v g="$1" -v d="$DUALSTAT" '$1 == g && $3 !~ /^Z/ && index($0, d)'
}
none_left() {
	[ -z "$(left "$1")" ]
}
# start: lighttpd in a process group of its own, as in a terminal; sets LP and KID.
start() {
	setsid "$LIGHTTPD" -D -f "$L/lighttpd.conf" 2>> "$L/stderr" &
	LP=$!
	track $LP
	wait_for listening "$PORT" || { fail "lighttpd does not listen"; finish; exit 1; }
	expect_eq "dualstat answers" 204 "$(get "http://127.0.0.1:$PORT/beacon")"
	KID=$(ps -o pid= --ppid "$LP" | tr -d ' ' | head -n 1)
	[ -n "$KID" ] && track "$KID"
}

# ---- lighttpd killed outright
start
check "lighttpd spawned dualstat" test -n "$KID"
kill -9 "$LP"
check "lighttpd is gone" wait_for gone "$LP"
check "the dualstat it spawned leaves too" wait_for gone "$KID"

# ---- Ctrl-C's race, forced: dualstat's SIGINT first, lighttpd's right after
i=0
while [ $i -lt 8 ]; do
	start
	kill -INT "$KID"
	kill -INT "$LP"
	check "round $i: lighttpd stops" wait_for gone "$LP"
	check "round $i: no dualstat left in lighttpd's process group" wait_for none_left "$LP"
	left "$LP" | sed 's/^/# left: /'
	for p in $(left "$LP" | awk '{ print $2 }'); do kill -9 "$p"; done
	i=$((i + 1))
done
finish
