#!/bin/sh
# rel_backlog.sh: a backlog of raw rows and then no traffic at all (a burst the upkeep has not
# caught up with, a database restored from a copy): `dualstat serve`'s idle workers roll all of
# it up by themselves, a step of STORE_MAINTAIN_STEP rows at a time with the commit lock let go
# between, one step after another, not one step every APP_MAINTAIN_SECONDS (which would take
# 200 000 rows some 200 s on 2 workers); a beacon during it is answered and recorded; the
# report counts every row once, and once caught up the workers wait again (no busy loop).
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/rel_lib.sh"
need_sqlite3
need_cmd setpriv util-linux
[ -n "${CGI_FCGI:-}" ] && [ -x "$CGI_FCGI" ] || CGI_FCGI=$(command -v cgi-fcgi || true)
[ -n "$CGI_FCGI" ] || skip "cgi-fcgi not found (Debian package libfcgi-bin)"
id www-data >/dev/null 2>&1 || skip "no www-data group for serve's socket"
write_conf
mkdir -p "$W/db"
ROWS=200000

# beacon NAME: one beacon over serve's socket; its status code on stdout.
beacon() {
	env -i PATH="$PATH" REQUEST_METHOD=GET SCRIPT_NAME=/dualstat PATH_INFO=/beacon \
	    QUERY_STRING= SERVER_ADDR=::1 HTTP_HOST="$1" REMOTE_ADDR=2001:db8:5::1 \
	    timeout 10 "$CGI_FCGI" -bind -connect "$SOCK" < /dev/null > "$W/fcgi.out" 2>&1 || true
	sed -n 's/^Status: \([0-9]*\).*/\1/p' "$W/fcgi.out" | head -n 1
}
watermark() { sql "SELECT value FROM meta WHERE key = 'rollup_id'"; }
rolled_up() { [ "$(watermark)" = "$(sql 'SELECT MAX(id) FROM request')" ]; }

serve_start 2
expect_eq "a first beacon" 204 "$(beacon first.test)"
check "its row rolled up" wait_for rolled_up
# The backlog: ROWS copies of that row, straight into the raw table, as a burst leaves them.
cols=$(sql "SELECT group_concat(name, ',') FROM pragma_table_info('request') WHERE name != 'id'")
sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ROWS)
    INSERT INTO request ($cols) SELECT $cols FROM request, n"
expect_eq "the backlog is there" "$((ROWS + 1))" "$(sql 'SELECT COUNT(*) FROM request')"
t0=$(date +%s)
# No request comes: the first step waits for the idle timeout (APP_MAINTAIN_SECONDS), the rest
# follow at once.  30 s: far less than one step every 10 s would need.
i=0
until rolled_up || [ $i -ge 300 ]; do
	[ $i -eq 20 ] && expect_eq "a beacon while it rolls up" 204 "$(beacon during.test)"
	sleep 0.1
	i=$((i + 1))
done
check "the backlog rolled up without a request to drive it, within 30 s" rolled_up
echo "rolled up $ROWS rows in about $(( $(date +%s) - t0 )) s (watermark $(watermark))"
"$DUALSTAT" -c "$CONF" report --days 1 --format json > "$W/r.json"
contains "the report counts every row once" "\"total\":$((ROWS + 2))," "$W/r.json"
# Caught up: the workers sleep in their wait again, not in a loop of empty steps.
sleep 1
c0=$(for w in $(workers); do awk '{ print $14 + $15 }' /proc/"$w"/stat; done | awk '{ s += $1 } END { print s }')
sleep 2
c1=$(for w in $(workers); do awk '{ print $14 + $15 }' /proc/"$w"/stat; done | awk '{ s += $1 } END { print s }')
check "idle workers use no CPU once caught up ($((c1 - c0)) ticks in 2 s)" test $((c1 - c0)) -le 10
kill -TERM "$SERVE"
check "serve stops" wait_for sh -c "! kill -0 $SERVE 2>/dev/null"
finish
