#!/bin/sh
# e2e_cli.sh: the command line through the real binary: classify, usage errors, config errors,
# report, status and prune against a database the CGI mode filled.
. "${top_srcdir:-.}/tests/lib.sh"
need_sqlite3
write_conf

# ---- version and help
"$DUALSTAT" version > "$W/v"
contains "version names dualstat" "dualstat " "$W/v"
contains "version names SQLite" "SQLite 3." "$W/v"
for c in classify report status prune version serve; do
	if "$DUALSTAT" "$c" --help > "$W/h" 2>&1; then ok; else fail "$c --help exit"; fi
	contains "$c --help shows usage" "usage: dualstat [-c FILE] $c" "$W/h"
done
"$DUALSTAT" --help > "$W/h"
contains "--help lists commands" "classify" "$W/h"

# ---- usage errors: one line, exit 2
usage() {
	set +e
	"$DUALSTAT" "$@" > "$W/u.out" 2> "$W/u.err" < /dev/null
	rc=$?
	set -e
	expect_eq "exit status of: $*" 2 "$rc"
	expect_eq "one line on stderr for: $*" 1 "$(wc -l < "$W/u.err")"
	expect_eq "nothing on stdout for: $*" 0 "$(wc -c < "$W/u.out")"
}
usage frobnicate
usage report --bogus
usage report --days 0
usage report --days
usage report --format xml
usage report --from 2026-01-01
usage report --from 2026-02-30 --to 2026-03-01
usage report --days 7 --from 2026-01-01 --to 2026-01-02
# An option given twice is an error, as a parameter given twice is a 400 on the report page.
for twice in "--days|--days 1 --days 7" "--days|--days=7 --days 7" \
    "--from|--from 2026-01-01 --from 2026-01-02 --to 2026-01-03" \
    "--to|--from 2026-01-01 --to 2026-01-02 --to 2026-01-03" \
    "--host|--host a.example --host b.example" "--how|--how page --how beacon" \
    "--node|--node web-1 --node web-2" \
    "--table|--format csv --table hosts --table kinds" "--format|--format json --format csv"; do
	opt=${twice%%|*}
	args=${twice#*|}
	# shellcheck disable=SC2086
	usage report $args
	contains "report $args: names $opt" "$opt is given more than once" "$W/u.err"
done
usage status --format json --format text
contains "status --format twice" "--format is given more than once" "$W/u.err"
# A date out of range names the range, not "not a date".
usage report --from 0001-01-01 --to 2026-01-01
contains "--from 0001-01-01 names the range" \
    '--from: "0001-01-01" is outside 1970-01-01..9999-12-31' "$W/u.err"
usage report --from 2026-01-01 --to 1969-12-31
contains "--to 1969-12-31 names the range" "is outside 1970-01-01..9999-12-31" "$W/u.err"
usage report --from 2026-02-30 --to 2026-03-01
contains "--from 2026-02-30 is not a date" '--from: "2026-02-30" is not a date (YYYY-MM-DD)' "$W/u.err"
# --node: a server's name, as ?node= takes it.
usage report --node "web 1"
contains "report --node 'web 1' says why" '--node: "web 1" is not a node name' "$W/u.err"
usage report --node ""
contains "report --node '' needs a name" "--node needs a name" "$W/u.err"
usage classify --v4-prefix 33
usage classify --v6-prefix x
usage status --format csv
usage serve
usage serve --listen 192.0.2.1:9000
usage serve --listen '[2001:db8::1]:9000'
usage serve --listen 0.0.0.0:9000
usage serve --listen fd:x
usage serve --listen fd:0
usage serve --listen unix:/tmp/x --workers 0
usage prune extra
usage -c
"$DUALSTAT" serve --listen 0.0.0.0:9000 2> "$W/u.err" || true
contains "remote listen says why" "not a loopback address" "$W/u.err"

# ---- classify: the documented line format, in input order
"$DUALSTAT" -c "$CONF" classify 2001:db8:1:2::1 192.0.2.77 ::ffff:203.0.113.9 2002:c000:204::1 \
    2001:0:4136:e378:8000:63bf:3fff:fdd2 64:ff9b::192.0.2.1 fe80::1%eth0 100.64.1.1 > "$W/c"
printf '%s\n' \
    "2001:db8:1:2::1	6	documentation	2001:db8:1::/48	-" \
    "192.0.2.77	4	documentation	192.0.2.0/24	-" \
    "::ffff:203.0.113.9	4	documentation	203.0.113.0/24	mapped" \
    "2002:c000:204::1	6	6to4	2002:c000:204::/48	-" \
    "2001:0:4136:e378:8000:63bf:3fff:fdd2	6	teredo	2001:0:4136::/48	-" \
    "64:ff9b::192.0.2.1	6	nat64	64:ff9b::/48	-" \
    "fe80::1%eth0	6	link-local	fe80::/48	-" \
    "100.64.1.1	4	cgnat	100.64.1.0/24	-" > "$W/c.want"
if cmp -s "$W/c" "$W/c.want"; then ok; else fail "classify output"; diff "$W/c.want" "$W/c" || true; fi

printf '2001:db8::1\nnot-an-address\n10.1.2.3\n' | {
	set +e
	"$DUALSTAT" -c "$CONF" classify --v6-prefix 32 --v4-prefix 8 > "$W/c2"
	echo $? > "$W/c2.rc"
}
expect_eq "classify stdin: invalid input exits 1" 1 "$(cat "$W/c2.rc")"
printf '%s\n' "2001:db8::1	6	documentation	2001:db8::/32	-" "not-an-address	invalid" \
    "10.1.2.3	4	private	10.0.0.0/8	-" > "$W/c2.want"
if cmp -s "$W/c2" "$W/c2.want"; then ok; else fail "classify from stdin"; diff "$W/c2.want" "$W/c2" || true; fi
echo 192.0.2.1 | "$DUALSTAT" -c "$CONF" classify - > "$W/c3"
contains "classify - reads stdin" "192.0.2.0/24" "$W/c3"
# "-" among addresses reads stdin in its place; blank lines are no input
printf '192.0.2.1\n\n2001:db8::1\n\n' |
    "$DUALSTAT" -c "$CONF" classify 198.51.100.1 - 203.0.113.9 | cut -f 1 > "$W/c4"
expect_eq "classify: - in input order, blank lines skipped" \
    "198.51.100.1 192.0.2.1 2001:db8::1 203.0.113.9" "$(tr '\n' ' ' < "$W/c4" | sed 's/ $//')"

# ---- configuration errors name file:line and exit non-zero
printf 'database = %s\nipv4_prefix = 24\nbogus_key = 1\n' "$DB" > "$W/bad.conf"
set +e
"$DUALSTAT" -c "$W/bad.conf" report > /dev/null 2> "$W/e"
rc=$?
set -e
expect_eq "bad config exits 1" 1 "$rc"
contains "bad config names file:line" "$W/bad.conf:3" "$W/e"
expect_eq "bad config: one line" 1 "$(wc -l < "$W/e")"
# serve refuses to start rather than answer every request with a 500
BADSOCK=$(sock_path bad.sock)
set +e
timeout 10 "$DUALSTAT" -c "$W/bad.conf" serve --user root --listen "unix:$BADSOCK" > /dev/null 2> "$W/e"
rc=$?
set -e
expect_eq "serve with a bad config exits 1" 1 "$rc"
contains "serve: bad config names file:line" "$W/bad.conf:3" "$W/e"
expect_eq "serve: bad config: one line" 1 "$(wc -l < "$W/e")"
check "serve: bad config: no socket made" [ ! -e "$BADSOCK" ]
set +e
"$DUALSTAT" -c "$W/missing.conf" status > /dev/null 2> "$W/e"
rc=$?
set -e
expect_eq "missing named config exits 1" 1 "$rc"
contains "missing config named" "$W/missing.conf" "$W/e"
set +e
DUALSTAT_CONF="$W/bad.conf" "$DUALSTAT" classify 192.0.2.1 > /dev/null 2> "$W/e"
rc=$?
set -e
expect_eq "DUALSTAT_CONF is read" 1 "$rc"
contains "DUALSTAT_CONF error names the file" "$W/bad.conf:3" "$W/e"

# ---- report and status before anything was recorded
set +e
"$DUALSTAT" -c "$CONF" report > /dev/null 2> "$W/e"
rc=$?
set -e
expect_eq "report without a database fails" 1 "$rc"
check "report without a database does not create it" test ! -e "$DB"
set +e
"$DUALSTAT" -c "$CONF" status > "$W/s" 2>&1
rc=$?
set -e
expect_eq "status without a database exits 1" 1 "$rc"
check "status does not create the database" test ! -e "$DB"

# ---- fill through CGI, then read it back
for a in 2001:db8:1::1 2001:db8:1::2 2001:db8:2::1 192.0.2.10; do
	cgi /beacon "$a"
	expect_eq "beacon from $a" 204 "$(status_of)"
done
"$DUALSTAT" -c "$CONF" report --days 1 --format json > "$W/r.json"
contains "report json total" '"total":4' "$W/r.json"
contains "report json ipv6" '"ipv6":3' "$W/r.json"
contains "report json unique" '"unique_prefixes":{"ipv4":1,"ipv6":2}' "$W/r.json"
contains "report json busiest prefix" '"prefix":"2001:db8:1::/48"' "$W/r.json"
"$DUALSTAT" -c "$CONF" report --format csv > "$W/r.csv"
check "report csv has a header and rows" test "$(wc -l < "$W/r.csv")" -ge 2
"$DUALSTAT" -c "$CONF" report > "$W/r.txt"
contains "report text names IPv6" "IPv6" "$W/r.txt"
today=$(date -u +%Y-%m-%d)
"$DUALSTAT" -c "$CONF" report --from "$today" --to "$today" --format json > "$W/r2.json"
contains "report by range" '"total":4' "$W/r2.json"
"$DUALSTAT" -c "$CONF" report --format csv --table kinds > "$W/k.csv"
expect_eq "report csv --table kinds: its header" "family,kind,mapped,requests" "$(head -n 1 "$W/k.csv" | tr -d '\r')"
"$DUALSTAT" -c "$CONF" report --format csv --table summary > "$W/s.csv"
expect_eq "report csv --table summary: total as in the JSON" 4 \
    "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "total") c = i } NR == 2 { print $c }' "$W/s.csv")"
usage report --format csv --table bogus
usage report --table kinds
# By server: the rows are this dualstat's, its node the host name (no node in the configuration).
NODE=$(uname -n | cut -c1-64 | tr -c 'A-Za-z0-9._\n-' '-')
"$DUALSTAT" -c "$CONF" report --format csv --table nodes > "$W/n.csv"
expect_eq "report csv --table nodes: every request, this server's" \
    "node,requests,ipv4,ipv6,share,ipv6_share|$NODE,4,1,3,1,0.75" \
    "$(tr -d '\r' < "$W/n.csv" | paste -sd '|')"
"$DUALSTAT" -c "$CONF" report --node "$NODE" --format json > "$W/n.json"
contains "report --node: its requests" '"total":4' "$W/n.json"
"$DUALSTAT" -c "$CONF" report --node no-such-node --format json > "$W/n.json"
contains "report --node of no server: nothing" '"total":0' "$W/n.json"
"$DUALSTAT" -c "$CONF" report > "$W/r.txt"
contains "report text: by server" "By server" "$W/r.txt"
"$DUALSTAT" -c "$CONF" status --format json > "$W/s.json"
contains "status json rows" '"rows":4' "$W/s.json"
contains "status json wal" '"journal_mode":"wal"' "$W/s.json"
"$DUALSTAT" -c "$CONF" status > "$W/s.txt"
contains "status text names the database" "$DB" "$W/s.txt"

# ---- prune: an old row goes, today's stay
old=$(( $(date +%s) - 100 * 86400 ))
sql "INSERT INTO request (time, family, kind, prefix, mapped, server_family, host, how, via_proxy)
     VALUES ($old, 4, 'global', '198.51.100.0/24', 0, 4, 'old.test', 'page', 0)"
expect_eq "old row inserted" 5 "$(sql 'SELECT count(*) FROM request')"
"$DUALSTAT" -c "$CONF" prune > "$W/p"
contains "prune says how many" "pruned 1 rows" "$W/p"
expect_eq "prune kept today's rows" 4 "$(sql 'SELECT count(*) FROM request')"
write_conf "retention_days = 0"
# Two rows: the first takes the id of the row pruned above, which was rolled up.
for i in 1 2; do
	sql "INSERT INTO request (time, family, kind, prefix, mapped, server_family, host, how, via_proxy)
	     VALUES ($(( $(date +%s) - 3 * 86400 )), 6, 'global', '2001:db8:3::/48', 0, 6, 'old.test', 'page', 0)"
done
"$DUALSTAT" -c "$CONF" prune > "$W/p"
contains "retention 0 keeps all" "nothing pruned" "$W/p"
expect_eq "retention 0 kept the rows" 6 "$(sql 'SELECT count(*) FROM request')"
# prune is the whole upkeep too (a cron line for CGI sites): all rolled up, days closed
expect_eq "prune rolled up every row" "$(sql 'SELECT max(id) FROM request')" \
    "$(sql "SELECT value FROM meta WHERE key = 'rollup_id'")"
check "prune closed the finished days" \
    [ "$(sql "SELECT value FROM meta WHERE key = 'rollup_closed'")" -ge "$(( $(date +%s) / 86400 * 86400 ))" ]

finish
