# apache.sh: shared by the Apache integration tests (sourced after lib.sh).
# Runs the bundled conf/apache/httpd.conf.in with one of the bundled site
# files, both filled in by conf/fill.sh, as root with children as www-data.

APACHE_MODULES=/usr/lib/apache2/modules

# The longest socket name mod_fcgid makes below a site file's @RUNDIR@: FcgidIPCDir is
# @RUNDIR@/fcgid, and each socket there is PID.N (Apache's PID, up to 7 digits, and a
# count of the processes it has spawned).  For sock_fits and sock_dir (lib.sh).
FCGID_SOCK=fcgid/4194304.99999

# need_apache MODULE...: apache2, curl, sqlite3, www-data and the modules
# (mod_NAME.so in Debian's folder), or skip saying which package is missing.
need_apache() {
	need_sqlite3
	[ -n "${APACHE2:-}" ] && [ -x "$APACHE2" ] || APACHE2=$(command -v apache2 || true)
	[ -n "$APACHE2" ] || APACHE2=/usr/sbin/apache2
	[ -x "$APACHE2" ] || skip "apache2 not found (Debian package apache2)"
	need_cmd "${CURL:-curl}" curl
	need_cmd setpriv util-linux
	[ "$(id -u)" -eq 0 ] || skip "starting Apache with User www-data needs root"
	id www-data >/dev/null 2>&1 || skip "no www-data user to run Apache's children as"
	for _m in mpm_event authz_core mime dir alias "$@"; do
		if [ ! -f "$APACHE_MODULES/mod_$_m.so" ]; then
			case $_m in
			fcgid) skip "mod_fcgid not found (Debian package libapache2-mod-fcgid)" ;;
			*) skip "mod_$_m not found in $APACHE_MODULES (Debian package apache2)" ;;
			esac
		fi
	done
}

# as_www COMMAND...: run a command as www-data.
as_www() {
	setpriv --reuid=www-data --regid=www-data --init-groups "$@"
}

# www_owns DIR...: create folders that Apache's children must write.
www_owns() {
	mkdir -p "$@"
	chown www-data:www-data "$@"
	chmod 0700 "$@"
}

# fill TEMPLATE OUT NAME=VALUE...: a bundled template with its placeholders filled.
fill() {
	_t=$1 _o=$2
	shift 2
	sh "$top_srcdir/conf/fill.sh" "$top_srcdir/$_t" "$@" > "$_o" || { echo "fill $_t failed"; exit 99; }
}

# apache_start SITEFILE: start Apache in the foreground on $PORT, on APACHE_BIND4 and
# APACHE_BIND6 (127.0.0.1 and [::1] unless set), with the filled site file included; sets
# APACHE_PID.  It runs inside the network namespace of tests/netns.sh once netns_up has
# made one ($IN), and is ready when APACHE_READY PORT succeeds (listening: both loopback
# sockets).  State, logs and htdocs/ are under $W/apache; locks and mod_cgid's socket
# (cgisock.PID) in $RUN/httpd.
apache_start() {
	mkdir -p "$W/apache/htdocs"
	_httpd_run=$(sock_dir httpd cgisock.4194304)
	fill conf/apache/httpd.conf.in "$W/apache/httpd.conf" PORT="$PORT" \
	    BIND4="${APACHE_BIND4:-127.0.0.1}" BIND6="${APACHE_BIND6:-[::1]}" STATE="$W/apache" \
	    RUNDIR="$_httpd_run" USER=www-data GROUP=www-data SITE="$1"
	if ! "$APACHE2" -d "$W/apache" -f "$W/apache/httpd.conf" -t > "$W/apache/configtest.log" 2>&1; then
		cat "$W/apache/configtest.log"
		echo "FAIL: apache2 -t rejects the bundled configuration"
		exit 1
	fi
	: > "$W/apache/error.log"
	${IN:-} "$APACHE2" -d "$W/apache" -f "$W/apache/httpd.conf" -DFOREGROUND \
	    > "$W/apache/stdout.log" 2>&1 &
	APACHE_PID=$!
	track $APACHE_PID
	if ! wait_for "${APACHE_READY:-listening}" "$PORT"; then
		cat "$W/apache/stdout.log" "$W/apache/error.log"
		echo "FAIL: Apache did not listen on ${APACHE_BIND4:-127.0.0.1}:$PORT and ${APACHE_BIND6:-[::1]}:$PORT"
		exit 1
	fi
}

# running PID: the process exists and is not a zombie (a child that exited
# stays visible to kill -0 until it is reaped).
running() {
	_s=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	case $_s in Z*) return 1 ;; esac
}

# apache_stop: SIGTERM (Apache stops, and with it everything it started),
# up to 10 s for it to be gone, then reap it.
apache_stop() {
	kill "$APACHE_PID" 2>/dev/null || true
	wait_for none_running "$APACHE_PID" || true
	wait "$APACHE_PID" 2>/dev/null || true
}

# descendants PID: every process below PID (children, grandchildren, ...).
descendants() {
	for _c in $(ps -o pid= --ppid "$1"); do
		echo "$_c"
		descendants "$_c"
	done
}

# none_running PID...: none of these processes is still running.
none_running() {
	for _p in "$@"; do
		running "$_p" && return 1
	done
	return 0
}

# json_has DESCRIPTION NEEDLE: $W/b (the last body fetched) holds NEEDLE.
json_has() {
	contains "$1" "$2" "$W/b"
}
