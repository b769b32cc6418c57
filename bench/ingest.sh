#!/bin/sh
# ingest.sh: the cost of measuring a whole site by its log (bench/LOGS.md).  Not a test: it prints
# figures.
#   make bench-ingest            (about 4 minutes)
# nginx (1 worker) serving a 1 KB static file, wrk on the same cores, rounds alternated, medians:
#   off      access_log off
#   file     access_log FILE combined (what a site has anyway)
#   syslog   access_log syslog: to `dualstat ingest --listen unixgram:` and nothing else (the
#            issue's comparison: against off)
#   udp      the same over loopback UDP, to `dualstat ingest --listen udp:127.0.0.1:PORT` (the
#            bundled file's commented alternative): ingest's receive buffer holds the backlog
#            (as root here: SO_RCVBUFFORCE, 64 MiB)
#   udpuser  the same with the buffer a user's ingest gets at the kernel's default
#            net.core.rmem_max (212992, doubled by the kernel: DUALSTAT_INGEST_RCVBUF)
#   filebuf  access_log FILE combined buffer=64k flush=1s, no ingest (the log's own cost)
#   follow   the same buffered file log, followed by `dualstat ingest --follow FILE`
#   bundled  conf/nginx/whole-site-log.conf.in as shipped: the buffered file log, followed
# After every run nginx's stub_status says how many requests it answered, and ingest (stopped
# with SIGTERM after nginx; --follow: once it read nginx's last flush) how many it recorded:
# every answered request must have its row.
# Apache (mpm_event): its piped log to ingest against its file log, each alone (httpd.conf.in's
# own common log taken out), the same log format; rows (the report's total after Apache stopped
# and ingest with it) against wrk's responses (a pipe loses nothing: Apache waits).
# Environment: DUALSTAT, NGINX, APACHE2, top_srcdir, OUT (a folder), PARTS ("nginx apache"),
#   NGINX_VARIANTS ("off file syslog udp bundled"; also filebuf follow), DURATION (10s), ROUNDS (3), CONNS (32),
#   NETNS (1: everything runs in a network namespace of its own, loopback only, where the two
#   settings below can be changed without touching the machine's; 0: in the machine's),
#   QLEN  (net.unix.max_dgram_qlen there: how many datagrams ingest's socket queues; unset: the
#          kernel's default, 10),
#   INGEST_NICE (a nice value for ingest).
# The other limit, nginx's send buffer (net.core.wmem_default: every datagram not yet read
# counts against it, 167 of them at the default 212992), cannot be changed in a namespace (Linux
# 6.18 refuses any value there: wmem_max is read-only, wmem_default says EINVAL); the machine's
# is left alone, so that limit stays in every run here (bench/LOGS.md).
set -eu
: "${DUALSTAT:?DUALSTAT must name the dualstat binary}"
: "${top_srcdir:=.}"
NETNS=${NETNS:-1}
die() { echo "ingest.sh: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root: nginx drops to www-data"
if [ "$NETNS" = 1 ] && [ -z "${INGEST_BENCH_IN_NS:-}" ]; then
	# The sysctls are per network namespace: set in one of the bench's own.
	export INGEST_BENCH_IN_NS=1
	exec unshare --net sh -c '
		set -e
		ip link set lo up
		[ -z "${QLEN:-}" ] || sysctl -qw net.unix.max_dgram_qlen="$QLEN"
		exec sh "$0"' "$0"
fi
NGINX_BIN=${NGINX:-nginx}
unset NGINX
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-32}
PARTS=${PARTS:-nginx apache}
NGINX_VARIANTS=${NGINX_VARIANTS:-off file syslog udp bundled}
OUT=${OUT:-bench/work/ingest}
C="$top_srcdir/conf"
for cmd in wrk curl "$NGINX_BIN"; do
	command -v "$cmd" >/dev/null 2>&1 || [ -x "$cmd" ] || die "$cmd not found (Debian packages wrk curl nginx)"
done
rm -rf "$OUT"
mkdir -p "$OUT/site" "$OUT/db"
OUT=$(cd "$OUT" && pwd)
chmod 0755 "$OUT"
RUN=$(mktemp -d /tmp/dualstat-bench.XXXXXX)
chmod 0755 "$RUN"
head -c 1024 /dev/zero | tr '\0' 'x' > "$OUT/site/file.txt"
printf 'database = %s\n' "$OUT/db/dualstat.db" > "$OUT/dualstat.conf"
PORT=$((30000 + ($$ % 200) * 10))
while ss -Hltn "( sport = :$PORT )" | grep -q .; do PORT=$((PORT + 1)); done
UPORT=$((PORT + 1))
while ss -Hlun "( sport = :$UPORT )" | grep -q .; do UPORT=$((UPORT + 1)); done
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	sleep 0.5
	for p in $PIDS; do kill -9 "$p" 2>/dev/null || true; done
	rm -rf "$RUN"
}
trap cleanup EXIT INT TERM
gone() { ! kill -0 "$1" 2>/dev/null; }
wait_until() {
	_n=$(( $1 * 20 ))
	shift
	while ! "$@"; do
		_n=$((_n - 1))
		[ $_n -gt 0 ] || return 1
		sleep 0.05
	done
}
listening() { ss -Hltn "( sport = :$PORT )" | grep -q "127.0.0.1:$PORT "; }
# wrk's responses: "N requests in 10.00s".
wrk_count() { sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' "$1"; }
wrk_rate() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1"; }
# CPU seconds (user + system) of a process and its children that were waited for, from /proc.
cpu_of() { awk '{ printf "%.2f", ($14 + $15 + $16 + $17) / 100 }' "/proc/$1/stat" 2>/dev/null || echo -; }
qlen() { cat /proc/sys/net/unix/max_dgram_qlen; }
wmem() { cat /proc/sys/net/core/wmem_default; }

# The sites: the bundled whole-site-log.conf, and the others made here for comparison; each
# with a stub_status of its own (not logged), which counts the requests nginx answered.
ISOCK="$RUN/ingest.sock"
STATUS='location = /nginx-status { stub_status; access_log off; }'
site() { printf 'root %s;\nlocation / { try_files $uri =404; }\n%s\n%s\n' "$OUT/site" "$1" "$STATUS"; }
{
	sh "$C/fill.sh" "$C/nginx/whole-site-log.conf.in" DOCROOT="$OUT/site" \
	    INGEST_SOCKET="$ISOCK" INGEST_UDP="127.0.0.1:$UPORT" ACCESS_LOG="$OUT/access-bundled.log"
	echo "$STATUS"
} > "$OUT/site-bundled.conf"
site 'access_log off;' > "$OUT/site-off.conf"
site "access_log $OUT/access-file.log combined;" > "$OUT/site-file.conf"
site "access_log $OUT/access-filebuf.log combined buffer=64k flush=1s;" > "$OUT/site-filebuf.conf"
site "access_log $OUT/access-follow.log combined buffer=64k flush=1s;" > "$OUT/site-follow.conf"
site "access_log syslog:server=unix:$ISOCK,nohostname combined;" > "$OUT/site-syslog.conf"
site "access_log syslog:server=127.0.0.1:$UPORT,nohostname combined;" > "$OUT/site-udp.conf"
cp "$OUT/site-udp.conf" "$OUT/site-udpuser.conf"
udp_bound() { ss -Hlun "( sport = :$UPORT )" | grep -q "127.0.0.1:$UPORT "; }
sh "$C/fill.sh" "$C/nginx/listen.conf.in" BIND4=127.0.0.1 BIND6='[::1]' PORT="$PORT" \
    > "$OUT/listen.conf"

# run VARIANT ROUND: one wrk run against nginx with that site; prints a TSV line.
run() {
	mkdir -p "$OUT/nginx-$1/tmp"
	sh "$C/fill.sh" "$C/nginx/nginx.conf.in" STATE="$OUT/nginx-$1" USER=www-data \
	    GROUP=www-data LISTEN="$OUT/listen.conf" SITE="$OUT/site-$1.conf" \
	    > "$OUT/nginx-$1/nginx.conf"
	ING=""
	: > "$OUT/access-$1.log"
	case $1 in follow | bundled)
		# The file as nginx makes it: ingest is there first and waits for it.
		rm -f "$OUT/access-$1.log"
		${INGEST_NICE:+nice -n "$INGEST_NICE"} "$DUALSTAT" -c "$OUT/dualstat.conf" ingest \
		    --follow "$OUT/access-$1.log" --host bench.example.test 2> "$OUT/ingest-$1-$2.err" &
		ING=$!
		PIDS="$PIDS $ING"
		;;
	syslog | udp | udpuser)
		listen="unixgram:$ISOCK" rcvbuf=
		case $1 in udp*) listen="udp:127.0.0.1:$UPORT" ;; esac
		[ "$1" != udpuser ] || rcvbuf=212992
		${rcvbuf:+env DUALSTAT_INGEST_RCVBUF=$rcvbuf} \
		    ${INGEST_NICE:+nice -n "$INGEST_NICE"} "$DUALSTAT" -c "$OUT/dualstat.conf" ingest \
		    --listen "$listen" --host bench.example.test 2> "$OUT/ingest-$1-$2.err" &
		ING=$!
		PIDS="$PIDS $ING"
		if [ "$listen" != "unixgram:$ISOCK" ]; then
			wait_until 10 udp_bound || die "ingest did not bind its port"
		else
			wait_until 10 test -S "$ISOCK" || die "ingest did not make its socket"
		fi
		;;
	esac
	"$NGINX_BIN" -p "$OUT/nginx-$1/" -c "$OUT/nginx-$1/nginx.conf" -e "$OUT/nginx-$1/error.log" &
	NP=$!
	PIDS="$PIDS $NP"
	wait_until 10 listening || die "nginx did not listen"
	wrk -t1 -c"$CONNS" -d"$DURATION" "http://127.0.0.1:$PORT/file.txt" > "$OUT/wrk-$1-$2.txt"
	# "Active connections ... server accepts handled requests / a b N": N counts this one too.
	answered=$(curl -sf "http://127.0.0.1:$PORT/nginx-status" | awk 'NR == 3 { print $3 - 1 }')
	kill -TERM "$NP"
	wait_until 15 gone "$NP" || true
	rows=- icpu=-
	if [ -n "$ING" ]; then
		# --follow: nginx's last flush (at its exit) read and committed before the stop.
		case $1 in follow | bundled) sleep 2 ;; esac
		icpu=$(cpu_of "$ING")
		kill -TERM "$ING"
		wait "$ING" || true
		rows=$(sed -n 's/.* lines, \([0-9]*\) requests recorded.*/\1/p' "$OUT/ingest-$1-$2.err")
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$(wrk_rate "$OUT/wrk-$1-$2.txt")" \
	    "$answered" "$rows" "$(wrk_count "$OUT/wrk-$1-$2.txt")" "$icpu"
}

# ---- Apache: its piped log to ingest against its file log, each alone
APACHE2=${APACHE2:-/usr/sbin/apache2}
# arun VARIANT ROUND: Apache (httpd.conf.in without its own common log) with the bundled
# whole-site-log.conf's LogFormat and only its file log (file) or only its piped log (piped).
arun() {
	A="$OUT/apache-$1"
	rm -rf "$A"
	mkdir -p "$A/htdocs" "$RUN/httpd"
	cp "$OUT/site/file.txt" "$A/htdocs/"
	case $1 in
	file) drop='^CustomLog "||' ;;
	piped) drop="^CustomLog \"$A/site-access.log\"" ;;
	esac
	sh "$C/fill.sh" "$C/apache/whole-site-log.conf.in" DUALSTAT="$DUALSTAT" \
	    DUALSTAT_CONF="$OUT/dualstat.conf" USER=www-data GROUP=www-data \
	    ACCESS_LOG="$A/site-access.log" | grep -v "$drop" > "$A/site.conf"
	sh "$C/fill.sh" "$C/apache/httpd.conf.in" PORT="$PORT" BIND4=127.0.0.1 BIND6='[::1]' \
	    STATE="$A" RUNDIR="$RUN/httpd" USER=www-data GROUP=www-data SITE="$A/site.conf" |
	    grep -v '^CustomLog "[^"]*/access.log" common$' > "$A/httpd.conf"
	[ "$(grep -c '^CustomLog' "$A/httpd.conf" "$A/site.conf" | awk -F: '{ s += $2 } END { print s }')" = 1 ] ||
	    die "apache-$1: not exactly one CustomLog"
	rm -rf "$OUT/db"
	mkdir -p "$OUT/db"
	chown www-data:www-data "$OUT/db"
	"$APACHE2" -d "$A" -f "$A/httpd.conf" -DFOREGROUND > "$A/stdout.log" 2>&1 &
	AP=$!
	PIDS="$PIDS $AP"
	wait_until 10 listening || die "Apache did not listen"
	wrk -t1 -c"$CONNS" -d"$DURATION" "http://127.0.0.1:$PORT/file.txt" > "$OUT/wrk-a$1-$2.txt"
	kill -TERM "$AP"
	wait_until 15 gone "$AP" || true
	wait "$AP" 2> /dev/null || true
	answered=- rows=-
	if [ "$1" = piped ]; then
		# ingest ends when Apache closes its pipe: its rows are in then.
		wait_until 15 sh -c '! pgrep -u www-data -x dualstat > /dev/null' || true
		rows=$("$DUALSTAT" -c "$OUT/dualstat.conf" report --days 1 --format json |
		    sed -n 's/.*"total":\([0-9]*\),.*/\1/p')
	else
		answered=$(wc -l < "$A/site-access.log")
	fi
	printf 'apache-%s\t%s\t%s\t%s\t%s\t%s\t-\n' "$1" "$2" "$(wrk_rate "$OUT/wrk-a$1-$2.txt")" \
	    "$answered" "$rows" "$(wrk_count "$OUT/wrk-a$1-$2.txt")"
}

{
	echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
	    "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	if [ "$NETNS" = 1 ]; then
		echo "in a network namespace of the bench's own: net.unix.max_dgram_qlen $(qlen), net.core.wmem_default $(wmem)"
	else
		echo "in the machine's network namespace: net.unix.max_dgram_qlen $(qlen), net.core.wmem_default $(wmem)"
	fi
	echo "wrk -t1 -c$CONNS -d$DURATION, $ROUNDS rounds${INGEST_NICE:+, ingest at nice $INGEST_NICE}"
} | tee "$OUT/results.txt"
printf 'variant\tround\treq_s\tanswered\trows\twrk_responses\tingest_cpu_s\n' | tee "$OUT/runs.tsv"
r=1
while [ $r -le "$ROUNDS" ]; do
	case " $PARTS " in *" nginx "*)
		for v in $NGINX_VARIANTS; do
			run "$v" "$r" | tee -a "$OUT/runs.tsv"
		done ;;
	esac
	case " $PARTS " in *" apache "*)
		for v in file piped; do
			arun "$v" "$r" | tee -a "$OUT/runs.tsv"
		done ;;
	esac
	r=$((r + 1))
done
# Medians and ratios.
med() { awk -F'\t' -v v="$1" '$1 == v { print $3 }' "$OUT/runs.tsv" | sort -n |
    awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
{
	case " $PARTS " in *" nginx "*)
		for v in $NGINX_VARIANTS; do
			printf 'nginx %s: median %s req/s' "$v" "$(med "$v")"
			[ "$v" = off ] || awk -v a="$(med off)" -v c="$(med "$v")" 'BEGIN { printf ", %.2f of off", c / a }'
			echo
		done ;;
	esac
	case " $PARTS " in *" nginx "*)
		# Lines lost a variant: answered requests without their row, over all rounds.
		awk -F'\t' '$1 == "syslog" || $1 == "bundled" || $1 == "follow" || $1 ~ /^udp/ {
			a[$1] += $4; l[$1] += $4 - $5; if ($4 - $5 > m[$1]) m[$1] = $4 - $5
			if (!($1 in o)) { o[$1] = ++k; v[k] = $1 } }
			END { for (i = 1; i <= k; i++) printf "nginx %s: %d of %d answered requests lost (%.2f %%), at most %d in a run\n",
			    v[i], l[v[i]], a[v[i]], a[v[i]] ? 100 * l[v[i]] / a[v[i]] : 0, m[v[i]] }' "$OUT/runs.tsv" ;;
	esac
	case " $PARTS " in *" apache "*)
		awk -v b="$(med apache-file)" -v c="$(med apache-piped)" 'BEGIN {
			printf "Apache: median req/s: file log %s, piped to ingest %s: %.2f of the file log\n", b, c, c / b }' ;;
	esac
	# nginx: rows = answered exactly; Apache's piped log: at least every response wrk had,
	# at most the CONNS requests in flight when wrk stopped more.
	awk -F'\t' -v conns="$CONNS" '
		$1 == "syslog" || $1 == "bundled" || $1 == "follow" || $1 ~ /^udp/ {
			n++; if ($5 != $4) { bad++; lost += $4 - $5; of += $4 } }
		$1 == "apache-piped" {
			n++; if ($5 < $6 || $5 > $6 + conns) bad++ }
		END {
			if (n == 0) exit
			if (bad) printf "ROWS MISSING in %d of %d runs (nginx: %d of %d answered requests lost)\n", bad, n, lost, of
			else printf "every answered request has its row (%d runs)\n", n }' "$OUT/runs.tsv"
	for v in udp udpuser; do
		[ ! -e "$OUT/ingest-$v-1.err" ] || sed -n "s/^dualstat: ingest: udp:[^ ]*: \\(a receive buffer of .*\\)/$v: ingest had \\1/p" "$OUT/ingest-$v-1.err"
	done
	echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$OUT/results.txt"
