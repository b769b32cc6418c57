# rel_lib.sh: what the reliability tests share (sourced after lib.sh): `dualstat serve`
# behind nginx, both started from the bundled conf/nginx files exactly as it_nginx.sh does.

# nginx reads NGINX from its environment (sockets inherited in a binary upgrade):
# keep the path under another name and never pass it on.
NGINX_BIN=${NGINX:-nginx}
unset NGINX

need_nginx() {
	need_cmd "$NGINX_BIN" nginx
	need_cmd setpriv util-linux
	id www-data >/dev/null 2>&1 || skip "no www-data user to run nginx's workers as"
}

# workers: the live (not zombie) workers of $SERVE, one PID a line.
workers() {
	ps -o pid=,stat= --ppid "$SERVE" 2>/dev/null | awk '$2 !~ /^Z/ { print $1 }'
}

# has_workers N: $SERVE has exactly N live workers.
has_workers() {
	test "$(workers | wc -l)" -eq "$1"
}

# serve_start WORKERS: `dualstat serve` on $SOCK with its socket in nginx's group, as in
# production (conf/systemd/dualstat.socket: SocketGroup=www-data).  Sets SERVE.
serve_start() {
	mkdir -p "$RUN"
	SOCK=$(sock_path dualstat.sock)
	setpriv --regid www-data --clear-groups \
	    "$DUALSTAT" -c "$CONF" serve --user root --listen "unix:$SOCK" --workers "$1" \
	    2>> "$W/serve.log" &
	SERVE=$!
	track $SERVE
	check "dualstat's socket appears" wait_for test -S "$SOCK"
	check "$1 workers" wait_for has_workers "$1"
}

serve_stop() {
	kill -TERM "$SERVE"
	check "serve exits on SIGTERM" wait_for sh -c "! kill -0 $SERVE 2>/dev/null"
}

# nginx_start PORT [SITE_TEMPLATE]: nginx on 127.0.0.1:PORT and [::1]:PORT with the bundled
# nginx.conf, listen.conf and the dualstat site (dualstat.conf.in unless told).  Sets NGINX_PID.
nginx_start() {
	_c="$top_srcdir/conf"
	N="$W/nginx"
	mkdir -p "$N/tmp"
	sh "$_c/fill.sh" "$_c/nginx/dualstat_params" > "$N/dualstat_params"
	sh "$_c/fill.sh" "$_c/nginx/${2:-dualstat.conf.in}" SOCKET="$SOCK" \
	    WWW="$top_srcdir/www" > "$N/site.conf"
	sh "$_c/fill.sh" "$_c/nginx/listen.conf.in" BIND4=127.0.0.1 BIND6='[::1]' \
	    PORT="$1" > "$N/listen.conf"
	sh "$_c/fill.sh" "$_c/nginx/nginx.conf.in" STATE="$N" USER=www-data GROUP=www-data \
	    LISTEN="$N/listen.conf" SITE="$N/site.conf" > "$N/nginx.conf"
	"$NGINX_BIN" -t -q -p "$N/" -c "$N/nginx.conf" -e "$N/error.log" || fail "nginx -t"
	"$NGINX_BIN" -p "$N/" -c "$N/nginx.conf" -e "$N/error.log" &
	NGINX_PID=$!
	track $NGINX_PID
	check "nginx listens on 127.0.0.1:$1 and [::1]:$1" wait_for listening "$1"
}

nginx_stop() {
	kill -TERM "$NGINX_PID"
	check "nginx stops" wait_for sh -c "! kill -0 $NGINX_PID 2>/dev/null"
}

# integrity: PRAGMA integrity_check of $DB through the sqlite3 shell.
integrity() {
	expect_eq "${1:-database} integrity_check" ok "$(sql 'PRAGMA integrity_check')"
}
