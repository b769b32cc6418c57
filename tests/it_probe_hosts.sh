#!/bin/sh
# it_probe_hosts.sh: the readiness probes through the real nginx and the real Apache, each with
# its bundled probe-host configuration (conf/nginx/probe-hosts.conf.in beside dualstat.conf.in,
# conf/apache/probe-hosts.conf.in in a virtual host over dualstat-fcgid.conf.in).  Each server
# runs in a network namespace of its own on the wildcards, with a documentation address of each
# family on its lo; curl in the same namespace maps the site's name and the probe names to them
# with --resolve, as DNS would: the IPv6-only name to the IPv6 address, the IPv4-only name to
# the IPv4 one, or, for a misconfigured name, to the other family's.  A visit over IPv4 starts
# the probes on the main site (302 to the probe host, not cached), follows them over the right
# family (reached), over the wrong one (a misconfiguration), again (a replayed token), or not at
# all (expired); report.json then holds exactly those counts.  And the probe host names answer
# the completion only: the landing page, the report, /status and the stylesheet are 404 through
# them, even to the owner's own address.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/netns.sh"
. "$top_srcdir/tests/apache.sh"
# nginx reads NGINX from its environment (sockets inherited in a binary upgrade):
# keep the path under another name and never pass it on.
NGINX_BIN=${NGINX:-nginx}
unset NGINX
need_cmd "$NGINX_BIN" nginx
need_apache fcgid
netns_up 57 || skip "needs a network namespace of its own (root and ip)"
PORT=$(free_port 57)
C="$top_srcdir/conf"
SITE=site.test
P6H=v6.probe.test
P4H=v4.probe.test
www_owns "$W/db"
mkdir -p "$RUN"
write_conf "probe_v6_url = http://$P6H:$PORT" "probe_v4_url = http://$P4H:$PORT" \
    "probe_timeout = 2"
check "www-data can read the configuration" as_www test -r "$CONF"

# at NAME ADDRESS: curl's --resolve for NAME on this port (an IPv6 address in brackets).
at() {
	case $2 in *:*) echo "$1:$PORT:[$2]" ;; *) echo "$1:$PORT:$2" ;; esac
}

# start SERVER KIND: a visit over IPv4 asks the main site for /probe/KIND.gif; LOC is where it
# is sent: the probe host's completion with the token (self.gif: this site's, relative).
start() {
	expect_eq "$1: /probe/$2.gif on the main site answers 302" 302 \
	    "$(get "http://$SITE:$PORT/probe/$2.gif" --resolve "$(at $SITE "$V4")" --interface "$V4")"
	contains "$1: /probe/$2.gif is not cached" "Cache-Control: no-store" "$W/h"
	LOC=$(sed -n 's/^[Ll]ocation: *//p' "$W/h" | tr -d '\r')
	case $2 in
	6) _want="http://$P6H:$PORT/probe/done.gif?t=" ;;
	4) _want="http://$P4H:$PORT/probe/done.gif?t=" ;;
	*) _want="/probe/done.gif?t=" ;;	# this same site: a relative redirect
	esac
	case $LOC in
	"$_want"?*) ok "$1: /probe/$2.gif sends the visit to $_want..." ;;
	*) fail "$1: /probe/$2.gif sends the visit to '$LOC', not $_want..." ;;
	esac
}

# follow SERVER WHAT NAME ADDRESS: the completion LOC, NAME resolved to ADDRESS and asked from it.
follow() {
	expect_eq "$1: $2: the completion answers" 200 \
	    "$(get "$LOC" --resolve "$(at "$3" "$4")" --interface "$4")"
	contains "$1: $2: the completion is an image" "Content-Type: image/gif" "$W/h"
}

# flow SERVER: the probes of one visit over IPv4, and what the report counts of them.
flow() {
	start "$1" 6
	follow "$1" "the IPv6-only name over IPv6" $P6H "$V6"
	replay=$LOC
	start "$1" 4
	follow "$1" "the IPv4-only name over IPv4" $P4H "$V4"
	start "$1" self
	LOC="http://$SITE:$PORT$LOC"
	follow "$1" "the control, this site" $SITE "$V4"
	# A name with a record of the other family: the completion comes over the wrong one.
	start "$1" 6
	follow "$1" "the IPv6-only name over IPv4 (misconfigured)" $P6H "$V4"
	start "$1" 4
	follow "$1" "the IPv4-only name over IPv6 (misconfigured)" $P4H "$V6"
	# A token is good once; one never followed expires after probe_timeout (2 s).
	LOC=$replay
	follow "$1" "a replayed token" $P6H "$V6"
	start "$1" 6
	sleep 3
	expect_eq "$1: report.json from the owner" 200 \
	    "$(get "http://$SITE:$PORT/report.json?days=1" --resolve "$(at $SITE 127.0.0.1)")"
	contains "$1: report.json: each probe as it was followed" \
	    '"readiness":{"v6":{"started":3,"reached":1,"wrong_family":1},"v4":{"started":2,"reached":1,"wrong_family":1},"self":{"started":1,"reached":1,"wrong_family":0}' \
	    "$W/b"
	contains "$1: report.json: the v6 probes of the visit over IPv4" \
	    '{"family":4,"kind":"documentation","probe":"v6","started":3,"reached":1}' "$W/b"
	contains "$1: report.json: the v4 probes of the visit over IPv4" \
	    '{"family":4,"kind":"documentation","probe":"v4","started":2,"reached":1}' "$W/b"
	contains "$1: report.json: no probe counted as a request" '"total":0,' "$W/b"
	expect_eq "$1: no start left once resolved" 0 "$(sql 'SELECT count(*) FROM probe')"
}

# hosts_closed SERVER: through the probe names only the completion answers; the same pages
# through the site's own name answer, so the 404s come from the name.
hosts_closed() {
	for _h in $P6H $P4H; do
		for _a in 127.0.0.1 ::1; do
			for _p in / /report /report.json /report.csv /status /status.json \
			    /check /dualstat.css /static/dualstat.css /beacon.gif /record \
			    /probe/6.gif /probe/self.gif; do
				expect_eq "$1: $_h from $_a: $_p is 404" 404 \
				    "$(get "http://$_h:$PORT$_p" --resolve "$(at $_h $_a)")"
			done
		done
		expect_eq "$1: $_h: the completion still answers (a token it does not know)" 200 \
		    "$(get "http://$_h:$PORT/probe/done.gif?t=x" --resolve "$(at $_h 127.0.0.1)")"
		contains "$1: $_h: the completion is dualstat's image" "Content-Type: image/gif" "$W/h"
	done
	expect_eq "$1: the site's own name: report.json for the owner" 200 \
	    "$(get "http://$SITE:$PORT/report.json" --resolve "$(at $SITE 127.0.0.1)")"
	expect_eq "$1: the site's own name: status for the owner" 200 \
	    "$(get "http://$SITE:$PORT/status" --resolve "$(at $SITE ::1)")"
	expect_eq "$1: the site's own name: the landing page" 200 \
	    "$(get "http://$SITE:$PORT/" --resolve "$(at $SITE "$V4")" --interface "$V4")"
	expect_eq "$1: the site's own name: the stylesheet" 200 \
	    "$(get "http://$SITE:$PORT/static/dualstat.css" --resolve "$(at $SITE "$V6")" --interface "$V6")"
}

# ---- nginx in front of dualstat serve (the site and the probe names' server block)
SOCK=$(sock_path dualstat.sock)
setpriv --regid www-data --clear-groups \
    "$DUALSTAT" -c "$CONF" serve --user root --listen "unix:$SOCK" --workers 2 2> "$W/serve.log" &
SERVE=$!
track $SERVE
check "dualstat's socket appears" wait_for test -S "$SOCK"
N="$W/nginx"
mkdir -p "$N/tmp" "$N/sites"
sh "$C/fill.sh" "$C/nginx/dualstat_params" > "$N/dualstat_params"
sh "$C/fill.sh" "$C/nginx/listen.conf.in" BIND4=0.0.0.0 BIND6='[::]' PORT="$PORT" > "$N/listen.conf"
sh "$C/fill.sh" "$C/nginx/dualstat.conf.in" SOCKET="$SOCK" WWW="$top_srcdir/www" > "$N/site.conf"
sh "$C/fill.sh" "$C/nginx/probe-hosts.conf.in" PROBE_V6_HOST=$P6H PROBE_V4_HOST=$P4H \
    LISTEN="$N/listen.conf" SOCKET="$SOCK" > "$N/probe-hosts.conf"
# The site's server { } is nginx.conf's; the probe names' is beside it in http { }.
sh "$C/fill.sh" "$C/nginx/nginx.conf.in" STATE="$N" USER=www-data GROUP=www-data \
    LISTEN="$N/listen.conf" SITE="$N/site.conf" |
    sed "\$s|^}\$|	include $N/probe-hosts.conf;\n}|" > "$N/nginx.conf"
check "nginx.conf includes the probe hosts" grep -q "include $N/probe-hosts.conf;" "$N/nginx.conf"
check "nginx accepts the bundled configuration" \
    "$NGINX_BIN" -t -q -p "$N/" -c "$N/nginx.conf" -e "$N/error.log"
$IN "$NGINX_BIN" -p "$N/" -c "$N/nginx.conf" -e "$N/error.log" &
NGINX_PID=$!
track $NGINX_PID
check "nginx listens on both wildcards" wait_for ns_listening "$PORT" 2
flow nginx
hosts_closed nginx
expect_eq "nginx: status.json from the owner" 200 \
    "$(get "http://$SITE:$PORT/status.json" --resolve "$(at $SITE 127.0.0.1)")"
contains "nginx: /status counts the misconfigured completions and the replayed token" \
    '"wrong_family":1' "$W/b"
contains "nginx: /status counts the rejected tokens (a replay, two unknown)" '"rejected":3' "$W/b"
kill -TERM $NGINX_PID
check "nginx stops" wait_for sh -c "! kill -0 $NGINX_PID 2>/dev/null"
lacks "nginx logged no error" "[error]" "$N/error.log"
kill -TERM $SERVE
check "serve exits" wait_for sh -c "! kill -0 $SERVE 2>/dev/null"

# ---- Apache with mod_fcgid: dualstat-fcgid.conf, and a virtual host with the probe names
rm -f "$DB" "$DB-wal" "$DB-shm"
sock_fits "$RUN/$FCGID_SOCK"
fill conf/apache/dualstat-fcgid.conf.in "$W/dualstat-fcgid.conf" DUALSTAT="$DUALSTAT" \
    DUALSTAT_CONF="$CONF" RUNDIR="$RUN" WWW="$top_srcdir/www"
fill conf/apache/probe-hosts.conf.in "$W/probe-hosts.conf" PROBE_V6_HOST=$P6H PROBE_V4_HOST=$P4H
# The site as a virtual host of its own (the first, so every other name lands in it too).
{
	echo "Include \"$W/dualstat-fcgid.conf\""
	echo "<VirtualHost *:$PORT>"
	echo "	ServerName $SITE"
	echo "	Include \"$W/probe-hosts.conf\""
	echo "</VirtualHost>"
} > "$W/site.conf"
APACHE_BIND4=0.0.0.0 APACHE_BIND6='[::]' APACHE_READY=ns_listening
export APACHE_BIND4 APACHE_BIND6 APACHE_READY
apache_start "$W/site.conf"
flow Apache
hosts_closed Apache
spawned=$(descendants "$APACHE_PID")
apache_stop
check "Apache and the dualstat it spawned stopped" wait_for none_running $APACHE_PID $spawned
lacks "Apache logged no error" "[error]" "$W/apache/error.log"
expect_eq "integrity" ok "$(sql 'PRAGMA integrity_check')"
finish
