#!/bin/sh
# rel_crash.sh: kill -9 a worker of `dualstat serve` three times in the middle of a load
# through nginx, over IPv4 and IPv6.  Each request names itself in its Host header (which
# is recorded), so rows and answers are matched one by one: every 2xx has exactly one row,
# every row is a request that was made, each killed worker is replaced, the database passes
# integrity_check.  What a kill may honestly cost: the requests the killed worker had
# taken, which nginx then answers 502 (recorded or not, depending on when it died).  A
# worker answers the requests already queued together (app/server.c, up to 16), so that is
# at most the requests in flight, 12 here: at most 12 5xx per kill, and no other failure.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/rel_lib.sh"
need_sqlite3
need_nginx
need_cmd "${CURL:-curl}" curl
PORT=$(free_port 42)
write_conf
serve_start 4
nginx_start "$PORT"
expect_eq "a first beacon" 204 "$(get "http://127.0.0.1:$PORT/beacon")"
sql "DELETE FROM request"

# One curl per family, 6 requests at a time, 10000 each: beacons and /record alternately,
# each to its own host name (every name resolves to the loopback address of the family).
# 2 x 6 clients and their 12 FastCGI connections stay well inside nginx.conf's
# worker_connections 64: past it nginx closes idle keep-alive connections, and a request
# curl sends on one just closed gets no answer at all (seen under ASan with 2 x 8).
REQS=10000
INFLIGHT=12	# 2 x --parallel-max 6: the most requests a killed worker can hold
for fam in 4 6; do
	i=0
	while [ $i -lt $REQS ]; do
		[ $((i % 2)) = 0 ] && p=beacon || p=record
		printf 'url = "http://r%s-%s.test:%s/%s"\noutput = "/dev/null"\n' $fam $i "$PORT" $p
		i=$((i + 1))
	done > "$W/urls$fam"
done
for fam in 4 6; do
	if [ $fam = 4 ]; then lo=127.0.0.1; else lo='[::1]'; fi
	timeout 120 "${CURL:-curl}" -sS --parallel --parallel-max 6 --max-time 20 \
	    --resolve "*:$PORT:$lo" -w '%{http_code} %{url_effective}\n' -K "$W/urls$fam" \
	    > "$W/codes$fam" 2> "$W/curl$fam.err" &
	eval "curl$fam=\$!"
done

# Three kills, 0.5 s apart, each while both loads still run.
kills=0
sleep 0.5
while [ $kills -lt 3 ]; do
	# shellcheck disable=SC2154
	alive "$curl4" && alive "$curl6" || break
	victim=$(workers | head -n 1)
	[ -n "$victim" ] || { fail "no worker to kill"; break; }
	kill -9 "$victim"
	kills=$((kills + 1))
	check "kill $kills: worker $victim is gone" wait_for sh -c "! ps -o pid= --ppid $SERVE | grep -qw $victim"
	check "kill $kills: replaced (4 workers again)" wait_for has_workers 4
	sleep 0.5
done
expect_eq "three workers killed while the load ran" 3 "$kills"
wait "$curl4" || true
# shellcheck disable=SC2154
wait "$curl6" || true

cat "$W/codes4" "$W/codes6" > "$W/codes"
expect_eq "one answer line per request" $((2 * REQS)) "$(wc -l < "$W/codes")"
# host NAME:PORT of every URL, by the class of its answer
# (the recorded host may keep the port or drop it, as host.h's key does: compare names)
sed -n 's|^2[0-9][0-9] http://\([^/:]*\)[:/].*|\1|p' "$W/codes" | sort > "$W/ok"
sed -n 's|^5[0-9][0-9] http://\([^/:]*\)[:/].*|\1|p' "$W/codes" | sort > "$W/5xx"
grep -v '^[25][0-9][0-9] ' "$W/codes" > "$W/other" || true
sql "SELECT host FROM request" | sed 's/:[0-9]*$//' | sort > "$W/rows"
nok=$(wc -l < "$W/ok")
n5=$(wc -l < "$W/5xx")
echo "answers: $nok 2xx, $n5 5xx, $(wc -l < "$W/other") other; rows: $(wc -l < "$W/rows")"
check "all but the kills' requests answered 2xx ($nok)" test "$nok" -ge $((2 * REQS - kills * INFLIGHT))
check "at most the requests in flight cut by each kill ($n5 <= $kills x $INFLIGHT)" \
    test "$n5" -le $((kills * INFLIGHT))
expect_eq "no answer but 2xx and those 5xx" "" "$(head -n 5 "$W/other")"
expect_eq "every 2xx has its row" "" "$(comm -23 "$W/ok" "$W/rows" | head -n 5)"
expect_eq "every row is a request answered 2xx or cut by a kill" "" \
    "$(sort "$W/ok" "$W/5xx" | comm -13 - "$W/rows" | head -n 5)"
expect_eq "no request recorded twice" "" "$(uniq -d "$W/rows" | head -n 5)"
lacks "curl saw no transport error" "curl:" "$W/curl4.err"
lacks "curl saw no transport error over IPv6" "curl:" "$W/curl6.err"

expect_eq "still serving afterwards" 200 "$(get "http://[::1]:$PORT/status.json")"
nginx_stop
serve_stop
integrity
finish
