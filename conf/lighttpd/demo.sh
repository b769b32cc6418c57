#!/bin/sh
# demo.sh: run lighttpd in the foreground with the bundled configuration and dualstat
# (what `make demo` does).  PORT (default 8080) and BIND=local|any choose where it listens.
set -eu
: "${DUALSTAT:?}" "${LIGHTTPD:?}" "${srcdir:?}" "${builddir:?}"
PORT=${PORT:-8080}
BIND=${BIND:-local}
case $BIND in
local)	bind4=127.0.0.1 bind6='[::1]' ;;
any)	bind4=0.0.0.0 bind6='[::]' ;;
*)	echo "demo: BIND must be local or any, not \"$BIND\"" >&2; exit 2 ;;
esac
case $PORT in
''|*[!0-9]*) echo "demo: PORT must be a number, not \"$PORT\"" >&2; exit 2 ;;
esac

state="$builddir/demo"
mkdir -p "$state/htdocs" "$state/run"
cat > "$state/dualstat.conf" <<CONF
# Written by make demo: the database lives in the build tree.
database = $state/db/dualstat.db
site_name = the dualstat demo
static_url = /static
CONF
sh "$srcdir/conf/fill.sh" "$srcdir/conf/lighttpd/dualstat.conf.in" \
    DUALSTAT="$DUALSTAT" DUALSTAT_CONF="$state/dualstat.conf" \
    RUNDIR="$state/run" WWW="$srcdir/www" > "$state/site.conf"
sh "$srcdir/conf/fill.sh" "$srcdir/conf/lighttpd/lighttpd.conf.in" \
    PORT="$PORT" BIND4="$bind4" BIND6="$bind6" STATE="$state" \
    SITE="$state/site.conf" > "$state/lighttpd.conf"
"$LIGHTTPD" -tt -f "$state/lighttpd.conf"

host4=$bind4 host6=$bind6
[ "$BIND" = any ] && host4=127.0.0.1 host6='[::1]'
cat <<MSG

dualstat demo: lighttpd on $bind4:$PORT and $bind6:$PORT, database $state/db/dualstat.db
  landing page   http://$host4:$PORT/        http://$host6:$PORT/
  usage report   http://$host4:$PORT/report  http://$host6:$PORT/report
  status         http://$host4:$PORT/status  http://$host6:$PORT/status
  from a shell   $DUALSTAT -c $state/dualstat.conf report
Ctrl-C stops it.

MSG
exec "$LIGHTTPD" -D -f "$state/lighttpd.conf"
