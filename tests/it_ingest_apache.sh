#!/bin/sh
# it_ingest_apache.sh: the real Apache with the bundled httpd.conf.in and
# whole-site-log.conf.in: every request it answers is piped ("||") to `dualstat ingest`
# running as www-data, over IPv4 and IPv6 from documentation addresses and from 127.0.0.1
# and ::1; the requests recorded exactly (how = log, prefixes, listeners, the Host asked
# for); a graceful restart (SIGUSR1, apache2 -k graceful) ends the old process, which
# commits what it held; a kill -9 loses exactly the batch in memory and Apache starts
# another; nothing is counted twice; Apache's file log of the same lines, imported into a
# database of its own, gives the same report; no full address on disk.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/apache.sh"
. "$top_srcdir/tests/ingest.sh"
need_apache
client_addrs 71
PORT=$(free_port 71)
URL4=http://127.0.0.1:$PORT
URL6=http://[::1]:$PORT
write_conf
www_owns "$W/db"
check "www-data can read the configuration" as_www test -r "$CONF"
mkdir -p "$W/apache/htdocs"
printf '<!DOCTYPE html>\n<title>home</title>\n' > "$W/apache/htdocs/index.html"
printf 'a file\n' > "$W/apache/htdocs/file.txt"
fill conf/apache/whole-site-log.conf.in "$W/site.conf" DUALSTAT="$DUALSTAT" \
    DUALSTAT_CONF="$CONF" USER=www-data GROUP=www-data ACCESS_LOG="$W/apache/site-access.log"
# The piped program inherits Apache's environment: its batches are held an hour, so rows
# go in only when its input ends (a restart, a stop) or on SIGTERM, and what a kill -9
# loses is exactly what status showed waiting.
DUALSTAT_INGEST_BATCH_MS=3600000
export DUALSTAT_INGEST_BATCH_MS
apache_start "$W/site.conf"

# ingest_pid: the ingest process /status shows ("" when none); ifield NAME: its figure.
ingest_pid() {
	"$DUALSTAT" -c "$CONF" status --format json > "$W/s.json" 2> /dev/null || true
	sed -n 's/.*"ingest":\[{"source":"stdin","pid":\([0-9]*\),.*/\1/p' "$W/s.json"
}
ifield() {
	"$DUALSTAT" -c "$CONF" status --format json > "$W/s.json" 2> /dev/null || true
	sed -n 's/.*"ingest":\[\(.*\)\].*/\1/p' "$W/s.json" |
	    sed -n "s/.*\"$1\":\\([0-9]*\\)[,}].*/\\1/p"
}
is() { [ "$(ifield "$1")" = "$2" ]; }
new_ingest() { _p=$(ingest_pid); [ -n "$_p" ] && [ "$_p" != "$1" ]; }

# ---- the visits, read and held in memory
expect_eq "v4 index" 200 "$(get "$URL4/" --interface "$V4")"
expect_eq "v4 file" 200 "$(get "$URL4/file.txt" --interface "$V4")"
expect_eq "v4 missing" 404 "$(get "$URL4/nope" --interface "$V4")"
expect_eq "v6 index" 200 "$(get "$URL6/" --interface "$V6")"
expect_eq "v6 file" 200 "$(get "$URL6/file.txt" --interface "$V6")"
expect_eq "127.0.0.1" 200 "$(get "$URL4/file.txt")"
expect_eq "::1" 200 "$(get "$URL6/file.txt")"
check "every line read, held in memory" wait_for is backlog 7
contains "status: its lines" '"lines":7,"rows":0,"skipped":0,"backlog":7,"dropped":0' "$W/s.json"
P1=$(ingest_pid)
expect_eq "it runs as www-data" www-data "$(ps -o user= -p "$P1" | tr -d ' ')"

# ---- a graceful restart: the old one reads its pipe to the end and commits, a new one reads on
kill -USR1 "$APACHE_PID"
check "graceful: the old process ends" wait_for none_running "$P1"
expect_eq "graceful: its batch committed" 7 "$(total_of "$CONF")"
expect_eq "the database is www-data's" www-data "$(stat -c %U "$DB")"
figures "$CONF" > "$W/r.json"
contains "families" '"total":7,"ipv4":4,"ipv6":3' "$W/r.json"
contains "how = log" '"hows":[{"how":"log","requests":7}]' "$W/r.json"
contains "the documentation /24" '{"prefix":"203.0.113.0/24","family":4,"kind":"documentation","requests":3}' "$W/r.json"
contains "the documentation /48" '{"prefix":"2001:db8:ffff::/48","family":6,"kind":"documentation","requests":2}' "$W/r.json"
contains "loopback" '{"prefix":"127.0.0.0/24","family":4,"kind":"loopback","requests":1}' "$W/r.json"
contains "the listeners" '"listeners":[{"server_family":4,"ipv4":4,"ipv6":0},{"server_family":6,"ipv4":0,"ipv6":3}]' "$W/r.json"
contains "the Host asked for, without its port" '"hosts":[{"host":"127.0.0.1","ipv4":4,"ipv6":0},{"host":"[::1]","ipv4":0,"ipv6":3}]' "$W/r.json"
# Apache's file log of the same requests, imported elsewhere: the same report.
expect_eq "Apache's file log has every request" 7 "$(wc -l < "$W/apache/site-access.log")"
same_as_import "import of Apache's log" "$W/apache/site-access.log"
check "graceful: a new ingest process" wait_for new_ingest "$P1"
check "graceful: Apache answers again" wait_for listening "$PORT"

# ---- kill -9: exactly the batch in memory is lost, and Apache starts another
P2=$(ingest_pid)
expect_eq "kill -9: v4" 200 "$(get "$URL4/file.txt" --interface "$V4")"
expect_eq "kill -9: v6" 200 "$(get "$URL6/file.txt" --interface "$V6")"
check "kill -9: two in memory" wait_for is backlog 2
kill -9 "$P2"
check "kill -9: Apache starts another" wait_for new_ingest "$P2"
expect_eq "kill -9: what was committed is all there, the two in memory are not" 7 \
    "$(total_of "$CONF")"

# ---- Apache stops: the last batch goes in, nothing twice
expect_eq "stop: v4" 200 "$(get "$URL4/" --interface "$V4")"
expect_eq "stop: v6" 200 "$(get "$URL6/" --interface "$V6")"
check "stop: two in memory" wait_for is backlog 2
P3=$(ingest_pid)
apache_stop
check "stop: its ingest ends with it" wait_for none_running "$P3"
expect_eq "stop: its batch committed, nothing twice" 9 "$(total_of "$CONF")"
no_full_address "$V4" "$V6"
finish
