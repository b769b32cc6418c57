# pg.sh: a real PostgreSQL 15 for a test (sourced after lib.sh): initdb in the
# test's folder as an unprivileged user, the server on a Unix socket in $RUN
# only (no TCP), stopped by PID when the test ends.
#
#   pg_start            initdb and start; sets PG_URI (libpq URI of the
#                       database "postgres" as its superuser), PG_SOCKDIR,
#                       PG_DATA, PG_PID
#   pg_sql SQL          run SQL with psql, rows as text, '|' between columns
#   pg_stop [MODE]      stop the server (fast, or immediate: a crash)
#   pg_restart          start it again on the same data and socket
#
# Tests run as root in CI; PostgreSQL refuses to, so the server runs as
# PG_USER (default nobody), through setpriv.  Trust authentication: only
# that socket, in a folder only the test can reach, takes connections.

: "${PG_BINDIR:=/usr/lib/postgresql/15/bin}"
: "${PG_USER:=nobody}"

PG_PID=""

# The commands the server and its tools run as: PG_USER when we are root.
pg_as() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid="$PG_USER" --regid="$(id -g "$PG_USER")" --clear-groups \
		    --reset-env -- "$@"
	else
		"$@"
	fi
}

pg_run_server() {
	# Every setting the test relies on is given here, none read from
	# the system: no TCP at all, the socket in PG_SOCKDIR only.  The
	# subshell execs (setpriv execs too), so $! is the postmaster's PID.
	(
		if [ "$(id -u)" -eq 0 ]; then
			exec setpriv --reuid="$PG_USER" --regid="$(id -g "$PG_USER")" \
			    --clear-groups --reset-env -- "$PG_BINDIR/postgres" \
			    -D "$PG_DATA" -k "$PG_SOCKDIR" -c listen_addresses= \
			    -c port=5432 -c unix_socket_permissions=0777 -c fsync=off \
			    -c max_connections=60 -c log_min_messages=warning
		fi
		exec "$PG_BINDIR/postgres" -D "$PG_DATA" -k "$PG_SOCKDIR" \
		    -c listen_addresses= -c port=5432 -c unix_socket_permissions=0777 \
		    -c fsync=off -c max_connections=60 -c log_min_messages=warning
	) >> "$W/postgres.log" 2>&1 &
	PG_PID=$!
	track "$PG_PID"
	if ! wait_for pg_ready; then
		cat "$W/postgres.log" >&2
		echo "ERROR: $T: PostgreSQL did not start (see $W/postgres.log)" >&2
		exit 99
	fi
}

pg_ready() {
	"$PG_BINDIR/pg_isready" -q -h "$PG_SOCKDIR" -p 5432 >/dev/null 2>&1
}

pg_start() {
	[ -x "$PG_BINDIR/initdb" ] && [ -x "$PG_BINDIR/postgres" ] ||
		skip "no PostgreSQL server in $PG_BINDIR (Debian package postgresql-15)"
	need_cmd setpriv util-linux
	id "$PG_USER" >/dev/null 2>&1 || skip "no user $PG_USER to run PostgreSQL as"
	PG_SOCKDIR=$RUN/pg
	sock_fits "$PG_SOCKDIR/.s.PGSQL.5432" >/dev/null
	PG_DATA=$W/pg/data
	mkdir -p "$PG_SOCKDIR" "$PG_DATA"
	if [ "$(id -u)" -eq 0 ]; then
		chown "$PG_USER" "$PG_SOCKDIR" "$W/pg" "$PG_DATA"
	fi
	chmod 0700 "$PG_DATA"
	if ! pg_as "$PG_BINDIR/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 \
	    --no-locale --no-sync > "$W/initdb.log" 2>&1; then
		cat "$W/initdb.log" >&2
		echo "ERROR: $T: initdb failed (see $W/initdb.log)" >&2
		exit 99
	fi
	pg_run_server
	PG_URI="postgresql:///postgres?host=$PG_SOCKDIR&port=5432&user=postgres"
}

pg_sql() {
	"$PG_BINDIR/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$PG_SOCKDIR" -p 5432 \
	    -U postgres -d "${PG_DB:-postgres}" -c "$1"
}

# pg_stop [fast|immediate]: immediate is a crash (no checkpoint), as a
# machine that lost power; either way every committed row must survive.
pg_stop() {
	pg_as "$PG_BINDIR/pg_ctl" -D "$PG_DATA" -m "${1:-fast}" -w -t 30 stop \
	    >> "$W/postgres.log" 2>&1 || kill "$PG_PID" 2>/dev/null || true
	_i=0
	while alive "$PG_PID" && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

pg_restart() {
	pg_run_server
}
