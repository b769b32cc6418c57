#!/bin/sh
# ingest.sh: the cost of measuring a whole nginx site by its log: nginx serving a 1 KB static
# file with the bundled whole-site-log.conf (syslog datagrams to `dualstat ingest`, and the
# same lines to a file) against the same nginx with access_log off and with only its usual
# file log; wrk on the same two cores, rounds alternated, medians.  After every ingest run:
# the requests ingest recorded against the lines nginx logged (every answered request has its
# row).  Not a test: it prints figures (bench/LOGS.md).
#   make bench-ingest            (about 2 minutes)
# The same for Apache: its piped log (the bundled whole-site-log.conf) against its file log.
# Environment: DUALSTAT, NGINX, APACHE2, PARTS ("nginx apache"), top_srcdir, OUT (a folder), DURATION (10s), ROUNDS (3), CONNS (32),
# QLEN (the datagram queue of ingest's socket; unset: the machine's net.unix.max_dgram_qlen).
set -eu
: "${DUALSTAT:?DUALSTAT must name the dualstat binary}"
: "${top_srcdir:=.}"
NGINX_BIN=${NGINX:-nginx}
unset NGINX
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-32}
OUT=${OUT:-bench/work/ingest}
C="$top_srcdir/conf"
die() { echo "ingest.sh: $*" >&2; exit 1; }
for cmd in wrk "$NGINX_BIN"; do
	command -v "$cmd" >/dev/null 2>&1 || [ -x "$cmd" ] || die "$cmd not found (Debian packages wrk nginx)"
done
[ "$(id -u)" -eq 0 ] || die "run as root: nginx drops to www-data"
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

# The three sites: the bundled whole-site-log.conf, and two made here for comparison.
ISOCK="$RUN/ingest.sock"
sh "$C/fill.sh" "$C/nginx/whole-site-log.conf.in" DOCROOT="$OUT/site" \
    INGEST_SOCKET="$ISOCK" ACCESS_LOG="$OUT/access-ingest.log" > "$OUT/site-ingest.conf"
printf 'root %s;\nlocation / { try_files $uri =404; }\naccess_log off;\n' "$OUT/site" \
    > "$OUT/site-off.conf"
printf 'root %s;\nlocation / { try_files $uri =404; }\naccess_log %s combined;\n' \
    "$OUT/site" "$OUT/access-file.log" > "$OUT/site-file.conf"
sh "$C/fill.sh" "$C/nginx/listen.conf.in" BIND4=127.0.0.1 BIND6='[::1]' PORT="$PORT" \
    > "$OUT/listen.conf"

# run VARIANT ROUND: one wrk run against nginx with that site; prints a TSV line.
run() {
	mkdir -p "$OUT/nginx-$1/tmp"
	sh "$C/fill.sh" "$C/nginx/nginx.conf.in" STATE="$OUT/nginx-$1" USER=www-data \
	    GROUP=www-data LISTEN="$OUT/listen.conf" SITE="$OUT/site-$1.conf" \
	    > "$OUT/nginx-$1/nginx.conf"
	ING=""
	if [ "$1" = ingest ]; then
		# The socket's queue (net.unix.max_dgram_qlen, per network namespace,
		# read when the socket is made): QLEN sets it in a namespace of
		# ingest's own, the machine's stays as it is.  nginx sends by path.
		if [ -n "${QLEN:-}" ]; then
			unshare --net sh -c 'sysctl -qw net.unix.max_dgram_qlen="$1" && shift && exec "$@"' \
			    sh "$QLEN" ${INGEST_NICE:+nice -n "$INGEST_NICE"} "$DUALSTAT" -c "$OUT/dualstat.conf" ingest \
			    --listen "unixgram:$ISOCK" --host bench.example.test 2> "$OUT/ingest-$2.err" &
		else
			"$DUALSTAT" -c "$OUT/dualstat.conf" ingest --listen "unixgram:$ISOCK" \
			    --host bench.example.test 2> "$OUT/ingest-$2.err" &
		fi
		ING=$!
		PIDS="$PIDS $ING"
		wait_until 10 test -S "$ISOCK" || die "ingest did not make its socket"
		: > "$OUT/access-ingest.log"
	fi
	"$NGINX_BIN" -p "$OUT/nginx-$1/" -c "$OUT/nginx-$1/nginx.conf" -e "$OUT/nginx-$1/error.log" &
	NP=$!
	PIDS="$PIDS $NP"
	wait_until 10 listening || die "nginx did not listen"
	wrk -t1 -c"$CONNS" -d"$DURATION" "http://127.0.0.1:$PORT/file.txt" > "$OUT/wrk-$1-$2.txt"
	kill -TERM "$NP"
	wait_until 15 gone "$NP" || true
	rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$OUT/wrk-$1-$2.txt")
	rows=- logged=-
	if [ -n "$ING" ]; then
		kill -TERM "$ING"
		wait "$ING" || true
		rows=$(sed -n 's/.* lines, \([0-9]*\) requests recorded.*/\1/p' "$OUT/ingest-$2.err")
		logged=$(wc -l < "$OUT/access-ingest.log")
	fi
	printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$rps" "$rows" "$logged"
}

# ---- Apache: its piped log to ingest (whole-site-log.conf) against its file log alone
APACHE2=${APACHE2:-/usr/sbin/apache2}
# arun VARIANT ROUND: Apache (httpd.conf.in, which keeps a common file log) with nothing
# more (file) or with the bundled whole-site-log.conf (ingest); a TSV line.
arun() {
	A="$OUT/apache-$1"
	rm -rf "$A"
	mkdir -p "$A/htdocs" "$RUN/httpd"
	cp "$OUT/site/file.txt" "$A/htdocs/"
	if [ "$1" = ingest ]; then
		sh "$C/fill.sh" "$C/apache/whole-site-log.conf.in" DUALSTAT="$DUALSTAT" \
		    DUALSTAT_CONF="$OUT/dualstat.conf" USER=www-data GROUP=www-data \
		    ACCESS_LOG="$A/site-access.log" > "$A/site.conf"
	else
		: > "$A/site.conf"
	fi
	sh "$C/fill.sh" "$C/apache/httpd.conf.in" PORT="$PORT" BIND4=127.0.0.1 BIND6='[::1]' \
	    STATE="$A" RUNDIR="$RUN/httpd" USER=www-data GROUP=www-data SITE="$A/site.conf" \
	    > "$A/httpd.conf"
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
	rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$OUT/wrk-a$1-$2.txt")
	rows=- logged=-
	if [ "$1" = ingest ]; then
		wait_until 15 sh -c '! pgrep -u www-data -x dualstat > /dev/null' || true
		rows=$("$DUALSTAT" -c "$OUT/dualstat.conf" report --days 1 --format json |
		    sed -n 's/.*"total":\([0-9]*\),.*/\1/p')
		logged=$(wc -l < "$A/site-access.log")
	fi
	printf 'apache-%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$rps" "$rows" "$logged"
}

printf 'variant\tround\treq_s\trows\tlogged\n' > "$OUT/runs.tsv"
r=1
while [ $r -le "$ROUNDS" ]; do
	case " ${PARTS:-nginx apache} " in *" nginx "*)
		for v in off file ingest; do
			run "$v" "$r" | tee -a "$OUT/runs.tsv"
		done ;;
	esac
	case " ${PARTS:-nginx apache} " in *" apache "*)
		for v in file ingest; do
			arun "$v" "$r" | tee -a "$OUT/runs.tsv"
		done ;;
	esac
	r=$((r + 1))
done
# Medians and ratios.
med() { awk -F'\t' -v v="$1" '$1 == v { print $3 }' "$OUT/runs.tsv" | sort -n |
    awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
case " ${PARTS:-nginx apache} " in *" nginx "*)
	off=$(med off) file=$(med file) ing=$(med ingest)
	echo "nginx: ingest's socket queue: ${QLEN:-$(cat /proc/sys/net/unix/max_dgram_qlen) (the machine's)} datagrams"
	echo "nginx: median req/s: access_log off $off, file log $file, syslog to ingest + file log $ing"
	awk -v a="$off" -v b="$file" -v c="$ing" 'BEGIN {
		printf "nginx: ingest / off = %.2f, ingest / file log = %.2f\n", c / a, c / b }' ;;
esac
case " ${PARTS:-nginx apache} " in *" apache "*)
	afile=$(med apache-file) aing=$(med apache-ingest)
	echo "Apache: median req/s: file log $afile, piped to ingest + file logs $aing"
	awk -v b="$afile" -v c="$aing" 'BEGIN { printf "Apache: ingest / file log = %.2f\n", c / b }' ;;
esac
awk -F'\t' '$1 ~ /ingest$/ && $4 != $5 { bad++ } END {
	print bad ? "ROWS MISSING in " bad " runs" : "every logged request has its row" }' "$OUT/runs.tsv"
