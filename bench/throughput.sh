#!/bin/sh
# throughput.sh: dualstat behind nginx and lighttpd against a hello-world FastCGI responder
# (bench/hello.c) that answers with the same bytes: req/s, p99 and their ratio for the beacon,
# /record and the landing page over 127.0.0.1 and [::1]; the whole-site cost (a static file
# behind auth_request / lighttpd's authorizer); peak RSS per worker; and, after every run,
# rows in the database against the 2xx responses wrk counted.  Not a test: it prints figures.
#   make bench-throughput          (about 15 minutes)
#   make bench-throughput QUICK=1  (a smoke run: 2 s runs, one round)
# Environment: DUALSTAT, HELLO, NGINX, LIGHTTPD, SQLITE3, top_srcdir, OUT (a folder),
# DURATION (10s), ROUNDS (3), CONNS (32), PARTS ("throughput whole-site").
# PostgreSQL (issue 12): variants pgserveN are serveN with `database = postgresql://...`,
# given PG_URI (a libpq URI whose user may create databases; bench/fleet.sh starts a
# server and passes it) and PSQL (psql); each run gets a fresh database dualstat_bench.
set -eu

: "${DUALSTAT:?DUALSTAT must name the dualstat binary}"
: "${HELLO:?HELLO must name bench/hello}"
: "${top_srcdir:=.}"
NGINX_BIN=${NGINX:-nginx}
# nginx reads NGINX from its environment (inherited sockets): never pass it on.
unset NGINX
LIGHTTPD_BIN=${LIGHTTPD:-lighttpd}
SQLITE3=${SQLITE3:-sqlite3}
if [ "${QUICK:-0}" = 1 ]; then
	DURATION=${DURATION:-2s}
	ROUNDS=${ROUNDS:-1}
else
	DURATION=${DURATION:-10s}
	ROUNDS=${ROUNDS:-3}
fi
CONNS=${CONNS:-32}
PARTS=${PARTS:-throughput whole-site}
OUT=${OUT:-bench/work/throughput}
C="$top_srcdir/conf"

die() { echo "throughput.sh: $*" >&2; exit 1; }
for cmd in wrk "$NGINX_BIN" "$LIGHTTPD_BIN" "$SQLITE3" setpriv; do
	command -v "$cmd" >/dev/null 2>&1 || [ -x "$cmd" ] || die "$cmd not found (Debian packages wrk nginx lighttpd sqlite3 util-linux)"
done
id www-data >/dev/null 2>&1 || die "no www-data user to run the servers' workers as"
[ "$(id -u)" -eq 0 ] || die "run as root: nginx and lighttpd drop to www-data"

rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
chmod 0755 "$OUT"
RUNS="$OUT/runs.tsv"		# one line per wrk run
MEM="$OUT/memory.tsv"		# one line per worker per run
LOG="$OUT/bench.log"
printf 'part\tendpoint\tfamily\tvariant\tround\trequests\treq_s\tp50_us\tp99_us\tnon2xx\tsock_errors\trows\trows_ok\n' > "$RUNS"
printf 'variant\tendpoint\tfamily\tround\tpid\tvmhwm_kb\n' > "$MEM"
: > "$LOG"

PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	sleep 0.5
	for p in $PIDS; do kill -9 "$p" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

gone() { ! kill -0 "$1" 2>/dev/null; }
# wait_until SECONDS COMMAND...: poll a condition every 0.05 s.
wait_until() {
	_n=$(( $1 * 20 ))
	shift
	while ! "$@"; do
		_n=$((_n - 1))
		[ $_n -gt 0 ] || return 1
		sleep 0.05
	done
}
stop() {
	kill -TERM "$1" 2>/dev/null || true
	wait_until 15 gone "$1" || { kill -9 "$1" 2>/dev/null || true; }
	wait "$1" 2>/dev/null || true
}
# free_port N: a TCP port nothing listens on.
free_port() {
	_p=$((30000 + ($$ % 200) * 100 + $1))
	while ss -Hltn "( sport = :$_p )" | grep -q .; do _p=$((_p + 1)); done
	echo $_p
}
listening() {
	_s=$(ss -Hltn "( sport = :$1 )")
	case $_s in *"127.0.0.1:$1 "*) ;; *) return 1 ;; esac
	case $_s in *"[::1]:$1 "*) ;; *) return 1 ;; esac
}
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# wrk's own summary, read by done(): requests, non-2xx (wrk counts status > 399),
# socket errors and latency percentiles, without a Lua call per response.
cat > "$OUT/count.lua" <<'EOF'
done = function(summary, latency, requests)
	local e = summary.errors
	io.write(string.format("RESULT %d %d %d %d %d %d\n", summary.requests,
	    summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
	    latency:percentile(50), latency:percentile(99)))
end
EOF

# ---- the database and configuration of one dualstat run --------------------------
DBDIR="$OUT/db"
CONF="$OUT/dualstat.conf"
fresh_db() {
	rm -rf "$DBDIR"
	mkdir -p "$DBDIR"
	chown www-data:www-data "$DBDIR"
	chmod 0700 "$DBDIR"
	printf 'database = %s/dualstat.db\nstatic_url = /dualstat/static\n' "$DBDIR" > "$CONF"
	chmod 0644 "$CONF"
}
# PostgreSQL: the same run against a database made empty for it, on the server of
# PG_URI (the path part of the URI names the database).
DB_KIND=sqlite
PG_BENCH_URI=
if [ -n "${PG_URI:-}" ]; then
	PSQL=${PSQL:-psql}
	PG_BENCH_URI=$(printf '%s\n' "$PG_URI" | sed 's|^\(postgres[a-z]*://[^/?]*\)/[^?]*|\1/dualstat_bench|')
	case $PG_BENCH_URI in *dualstat_bench*) ;; *) die "PG_URI has no database part: $PG_URI" ;; esac
fi
pg_psql() {	# URI SQL
	"$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}
fresh_pg() {
	[ -n "$PG_BENCH_URI" ] || die "a pg variant needs PG_URI (bench/fleet.sh)"
	fresh_db
	pg_psql "$PG_URI" 'DROP DATABASE IF EXISTS dualstat_bench' >> "$LOG" 2>&1 ||
	    die "cannot drop dualstat_bench (see $LOG)"
	pg_psql "$PG_URI" 'CREATE DATABASE dualstat_bench' >> "$LOG" 2>&1 ||
	    die "cannot create dualstat_bench (see $LOG)"
	printf 'database = %s\nstatic_url = /dualstat/static\n' "$PG_BENCH_URI" > "$CONF"
	DB_KIND=pg
}
# The last connection to close checkpoints the WAL: wait for it rather than read 0.
rows() {
	if [ "$DB_KIND" = pg ]; then
		pg_psql "$PG_BENCH_URI" 'SELECT count(*) FROM request' 2>> "$LOG" || echo 0
		return
	fi
	"$SQLITE3" -batch -noheader -cmd '.timeout 10000' "$DBDIR/dualstat.db" \
	    'SELECT count(*) FROM request' 2>> "$LOG" || echo 0
}

# ---- backends on one Unix socket, so one nginx serves either ------------------------
mkdir -p "$OUT/run"
chown www-data:www-data "$OUT/run"
SOCK="$OUT/run/fcgi.sock"
BACKEND=""
# backend VARIANT: hello | helloq (hello -q: closes connections as dualstat does) |
# serveN | singleN (serve with DUALSTAT_BATCH=1: one request per worker at a time, rows
# still shared across workers) | directN (also DUALSTAT_GROUP_COMMIT=off: one commit
# per request) | pgserveN, pgsingleN, pgdirectN (the same on PostgreSQL) | base + any
# of these (the same with DUALSTAT_BASE)
backend_start() {
	rm -f "$SOCK"
	DB_KIND=sqlite
	echo "== backend $1" >> "$LOG"	# whose "stopped; group commit: ..." line follows
	# baseVARIANT: the same with DUALSTAT_BASE (another build, e.g. main's), so
	# a change and what it changes are measured in the same rounds.
	_bin=$DUALSTAT _v=$1
	case $1 in base*) _bin=${DUALSTAT_BASE:?variant $1 needs DUALSTAT_BASE} _v=${1#base} ;; esac
	case $_v in
	hello|helloq)
		_q=
		[ "$1" = helloq ] && _q=-q
		(umask 0007; exec setpriv --reuid www-data --regid www-data --clear-groups \
		    "$HELLO" $_q -s "$SOCK" -w 2 -p "$OUT/landing.cgi") 2>> "$LOG" &
		;;
	serve*|single*|direct*|pgserve*|pgsingle*|pgdirect*)
		case $_v in pg*) fresh_pg ;; *) fresh_db ;; esac
		_gc=on _batch=
		case ${_v#pg} in direct*) _gc=off _batch=1 ;; single*) _batch=1 ;; esac
		# Started as www-data already: --user is for serve started as root
		# (and `--user root` from www-data is refused since 9eb193e).
		DUALSTAT_BATCH=$_batch DUALSTAT_GROUP_COMMIT=$_gc \
		    setpriv --reuid www-data --regid www-data --clear-groups \
		    "$_bin" -c "$CONF" serve --listen "unix:$SOCK" \
		    --workers "${_v##*[a-z]}" 2>> "$LOG" &
		;;
	esac
	BACKEND=$!
	PIDS="$PIDS $BACKEND"
	wait_until 10 test -S "$SOCK" || die "$1 did not open $SOCK"
	sleep 0.3	# the workers' startup (SQLite open) is not measured
}
# Peak RSS of each worker of the running backend.
backend_memory() {
	for _w in $(ps -o pid= --ppid "$BACKEND"); do
		_kb=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$_w/status" 2>/dev/null || true)
		[ -n "$_kb" ] && printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$_w" "$_kb" >> "$MEM"
	done
}

# run PART ENDPOINT FAMILY VARIANT ROUND URL: one wrk run, one line in runs.tsv,
# finished by run_rows once the backend has drained.
# CPU_PROFILE=1: the CPU each part of the stack used during a run (utime + stime from
# /proc, clock ticks), in µs per request, into cpu.tsv: nginx's processes, the backend's,
# PostgreSQL's (the children of PG_PID, when given: its backends and background
# workers) and wrk's.  A process that ends during the run is not counted.
CPU="$OUT/cpu.tsv"
TCK=$(getconf CLK_TCK)
printf 'part\tendpoint\tfamily\tvariant\tround\trequests\tnginx_us\tbackend_us\tpostgres_us\twrk_us\n' > "$CPU"
ticks() {	# PID...: their utime + stime, clock ticks
	for _p in "$@"; do cat "/proc/$_p/stat" 2>/dev/null || true; done |
	    sed 's/^.*) //' | awk '{ t += $12 + $13 } END { print t + 0 }'
}
tree() { echo "$1 $(ps -o pid= --ppid "$1" | tr '\n' ' ')"; }
run() {
	if [ "${CPU_PROFILE:-0}" = 1 ]; then
		_gn=$(tree "${NGINX_PID:-$LIGHTTPD_PID}") _gb=$(tree "$BACKEND") _gp=
		[ -n "${PG_PID:-}" ] && _gp=$(ps -o pid= --ppid "$PG_PID" | tr '\n' ' ')
		# shellcheck disable=SC2086
		_c0="$(ticks $_gn) $(ticks $_gb) $(ticks $_gp)"
		/usr/bin/time -f '%U %S' -o "$OUT/wrk.time" \
		    wrk -t2 -c"$CONNS" -d"$DURATION" -s "$OUT/count.lua" "$6" > "$OUT/wrk.out" 2>&1 || true
		# shellcheck disable=SC2086
		_c1="$(ticks $_gn) $(ticks $_gb) $(ticks $_gp) $(cat "$OUT/wrk.time")"
	else
		wrk -t2 -c"$CONNS" -d"$DURATION" -s "$OUT/count.lua" "$6" > "$OUT/wrk.out" 2>&1 || true
	fi
	cat "$OUT/wrk.out" >> "$LOG"
	set -- "$@" $(sed -n 's/^RESULT //p' "$OUT/wrk.out")
	[ $# -eq 12 ] || die "wrk gave no result for $6: $(cat "$OUT/wrk.out")"
	_req=$7 _us=$8 _bad=$9 _sock=${10} _p50=${11} _p99=${12}
	_rps=$(awk -v r="$_req" -v us="$_us" 'BEGIN { printf "%.0f", r / (us / 1e6) }')
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' "$1" "$2" "$3" "$4" "$5" \
	    "$_req" "$_rps" "$_p50" "$_p99" "$_bad" "$_sock" >> "$RUNS"
	LAST_2XX=$((_req - _bad))
	if [ "${CPU_PROFILE:-0}" = 1 ]; then
		echo "$_c0 $_c1" | awk -v r="$_req" -v tck="$TCK" -v OFS='\t' \
		    -v k="$1	$2	$3	$4	$5" '{ f = 1e6 / tck / r
			printf "%s\t%d\t%.1f\t%.1f\t%.1f\t%.1f\n", k, r, ($4 - $1) * f,
			    ($5 - $2) * f, ($6 - $3) * f, ($7 + $8) * 1e6 / r }' >> "$CPU"
	fi
	printf '%-10s %-8s IPv%s %-8s round %s: %7s req/s  p99 %6s us  non-2xx %s  errors %s\n' \
	    "$1" "$2" "$3" "$4" "$5" "$_rps" "$_p99" "$_bad" "$_sock"
}
# run_rows RECORDS: RECORDS=1: every 2xx must have its row (dualstat was asked).
# Rows may exceed the 2xx count by the requests still in flight when wrk
# stopped (at most CONNS), never fall short of it.
run_rows() {
	if [ "$1" = 1 ]; then
		_rows=$(rows)
		if [ "$_rows" -ge "$LAST_2XX" ] && [ "$_rows" -le $((LAST_2XX + CONNS)) ]; then
			_ok=yes
		else
			_ok=NO
			echo "  ROWS DO NOT MATCH: $_rows rows for $LAST_2XX 2xx responses" >&2
		fi
		printf '\t%s\t%s\n' "$_rows" "$_ok" >> "$RUNS"
	else
		printf '\t-\t-\n' >> "$RUNS"
	fi
}

# ---- nginx with the bundled templates ------------------------------------------------
PORT=$(free_port 1)
N="$OUT/nginx"
nginx_start() {	# SITE_FILE
	mkdir -p "$N/tmp"
	sh "$C/fill.sh" "$C/nginx/dualstat_params" > "$N/dualstat_params"
	sh "$C/fill.sh" "$C/nginx/listen.conf.in" BIND4=127.0.0.1 BIND6='[::1]' PORT="$PORT" > "$N/listen.conf"
	# The bundled nginx.conf as it is, but for two lines: 64 connections
	# are too few for wrk's 32 plus as many to the backend, and an access
	# log of millions of lines measures the disk.
	sh "$C/fill.sh" "$C/nginx/nginx.conf.in" STATE="$N" USER=www-data GROUP=www-data \
	    LISTEN="$N/listen.conf" SITE="$1" |
	    sed -e 's/worker_connections 64;/worker_connections 1024;/' \
		-e 's|access_log .*;|access_log off;|' > "$N/nginx.conf"
	grep -q 'worker_connections 1024;' "$N/nginx.conf" || die "nginx.conf.in changed: worker_connections"
	"$NGINX_BIN" -t -q -p "$N/" -c "$N/nginx.conf" -e "$N/error.log" || die "nginx -t failed"
	"$NGINX_BIN" -p "$N/" -c "$N/nginx.conf" -e "$N/error.log" &
	NGINX_PID=$!
	PIDS="$PIDS $NGINX_PID"
	wait_until 10 listening "$PORT" || die "nginx does not listen on $PORT"
}
nginx_stop() { stop "$NGINX_PID"; }

base_url() { if [ "$1" = 4 ]; then echo "http://127.0.0.1:$PORT"; else echo "http://[::1]:$PORT"; fi; }

# The landing page hello answers with: dualstat's own, taken once through CGI, so
# both send the same number of bytes.
fresh_db
env -i GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET SCRIPT_NAME= PATH_INFO=/ \
    SERVER_ADDR=127.0.0.1 HTTP_HOST="127.0.0.1:$PORT" REMOTE_ADDR=127.0.0.1 \
    DUALSTAT_CONF="$CONF" "$DUALSTAT" > "$OUT/landing.cgi" < /dev/null
grep -q '^Status: 200' "$OUT/landing.cgi" || die "no landing page from $DUALSTAT"

VARIANTS=${VARIANTS:-hello helloq serve2 serve4}
ENDPOINTS=${ENDPOINTS:-beacon record landing}
FAMILIES=${FAMILIES:-4 6}

# ---- 1. throughput: nginx + backend, per endpoint, family and variant -----------------
case " $PARTS " in *" throughput "*)
echo "== throughput: nginx + {$VARIANTS}, wrk -t2 -c$CONNS -d$DURATION, $ROUNDS rounds"
sh "$C/fill.sh" "$C/nginx/dualstat.conf.in" SOCKET="$SOCK" WWW="$top_srcdir/www" > "$N.site.conf"
nginx_start "$N.site.conf"
for ep in $ENDPOINTS; do
	case $ep in landing) path=/ ;; *) path=/$ep ;; esac
	for fam in $FAMILIES; do
		r=1
		while [ $r -le "$ROUNDS" ]; do
			# Alternated: each round runs every variant once, in turn.
			for v in $VARIANTS; do
				backend_start "$v"
				run throughput "$ep" "$fam" "$v" "$r" "$(base_url "$fam")$path"
				case $v in hello*) ;; *) backend_memory "$v" "$ep" "$fam" "$r" ;; esac
				stop "$BACKEND"
				case $v in hello*) run_rows 0 ;; *) run_rows 1 ;; esac
			done
			r=$((r + 1))
		done
	done
done
nginx_stop
;; esac

# ---- 2. whole-site cost: a static file behind auth_request / the authorizer -----------
case " $PARTS " in *" whole-site "*)
WS_WORKERS=${WS_WORKERS:-2}
DOCROOT="$OUT/htdocs"
mkdir -p "$DOCROOT"
# A small page of a site, the kind auth_request guards.
awk 'BEGIN { printf "<!DOCTYPE html><title>a page</title>"; for (i = 0; i < 40; i++) printf "<p>a line of the site, number %d\n", i }' > "$DOCROOT/page.html"
chmod -R a+rX "$DOCROOT"
WS_FAM=${WS_FAMILIES:-4}
echo "== whole-site: a static file, nginx auth_request and lighttpd authorizer, IPv$WS_FAM"

# nginx: no auth, auth_request to hello (and hello -q), auth_request to dualstat serve.
printf 'root %s;\nlocation / { }\n' "$DOCROOT" > "$N.static.conf"
sh "$C/fill.sh" "$C/nginx/whole-site.conf.in" DOCROOT="$DOCROOT" SOCKET="$SOCK" \
    WWW="$top_srcdir/www" > "$N.whole.conf"
for fam in $WS_FAM; do
	r=1
	while [ $r -le "$ROUNDS" ]; do
		for v in none hello helloq "serve$WS_WORKERS"; do
			if [ $v = none ]; then
				nginx_start "$N.static.conf"
				run nginx-site page "$fam" "$v" "$r" "$(base_url "$fam")/page.html"
				nginx_stop
				run_rows 0
				continue
			fi
			backend_start "$v"
			nginx_start "$N.whole.conf"
			run nginx-site page "$fam" "$v" "$r" "$(base_url "$fam")/page.html"
			nginx_stop
			case $v in hello*) ;; *) backend_memory "$v" nginx-site "$fam" "$r" ;; esac
			stop "$BACKEND"
			case $v in hello*) run_rows 0 ;; *) run_rows 1 ;; esac
		done
		r=$((r + 1))
	done
done

# lighttpd: no auth, the authorizer as hello, as dualstat on fd 0 (the bundled
# whole-site.conf: lighttpd spawns one process), and as `dualstat serve --listen
# fd:0` with workers (bin-path splits its arguments).
L="$OUT/lighttpd"
mkdir -p "$L/htdocs" "$L/run"
chown www-data:www-data "$L/run"
lighttpd_start() {	# SITE_FILE
	sh "$C/fill.sh" "$C/lighttpd/lighttpd.conf.in" PORT="$PORT" BIND4=127.0.0.1 \
	    BIND6='[::1]' STATE="$L" SITE="$1" > "$L/lighttpd.conf"
	printf 'server.username = "www-data"\nserver.groupname = "www-data"\n' >> "$L/lighttpd.conf"
	chown www-data:www-data "$L"
	"$LIGHTTPD_BIN" -tt -f "$L/lighttpd.conf" > /dev/null || die "lighttpd -tt failed"
	"$LIGHTTPD_BIN" -D -f "$L/lighttpd.conf" 2>> "$LOG" &
	LIGHTTPD_PID=$!
	PIDS="$PIDS $LIGHTTPD_PID"
	wait_until 10 listening "$PORT" || die "lighttpd does not listen on $PORT"
	sleep 0.3
}
lighttpd_stop() { stop "$LIGHTTPD_PID"; }
printf 'server.document-root := "%s"\n' "$DOCROOT" > "$L.static.conf"
ws_lighttpd() {	# VARIANT -> the whole-site file
	case $1 in
	hello) _bin=$HELLO ;;
	fd0) _bin=$DUALSTAT ;;
	*) _bin="$DUALSTAT serve --user root --listen fd:0 --workers ${1#serve}" ;;
	esac
	sh "$C/fill.sh" "$C/lighttpd/whole-site.conf.in" DUALSTAT="$_bin" DUALSTAT_CONF="$CONF" \
	    RUNDIR="$L/run" WWW="$top_srcdir/www" DOCROOT="$DOCROOT" > "$L.whole.conf"
}
for fam in $WS_FAM; do
	r=1
	while [ $r -le "$ROUNDS" ]; do
		for v in none hello fd0 "serve$WS_WORKERS"; do
			fresh_db
			if [ $v = none ]; then
				lighttpd_start "$L.static.conf"
			else
				ws_lighttpd "$v"
				lighttpd_start "$L.whole.conf"
			fi
			run lighttpd-site page "$fam" "$v" "$r" "$(base_url "$fam")/page.html"
			# lighttpd spawned the authorizer: its processes are lighttpd's children.
			if [ "$v" != none ] && [ "$v" != hello ]; then
				for _p in $(ps -o pid= --ppid "$LIGHTTPD_PID"); do
					BACKEND=$_p
					case $v in fd0) printf '%s\t%s\t%s\t%s\t%s\t%s\n' "lighttpd-$v" page "$fam" "$r" "$_p" \
					    "$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$_p/status)" >> "$MEM" ;;
					*) backend_memory "lighttpd-$v" page "$fam" "$r" ;;
					esac
				done
			fi
			_kids=$(ps -o pid= --ppid "$LIGHTTPD_PID" | tr '\n' ' ')
			lighttpd_stop
			for _p in $_kids; do wait_until 15 gone "$_p" || true; done
			case $v in none|hello) run_rows 0 ;; *) run_rows 1 ;; esac
		done
		r=$((r + 1))
	done
done
;; esac

# ---- summary: medians, ratios against hello (or no auth) --------------------------------
SUM="$OUT/summary.md"
{
	echo "wrk -t2 -c$CONNS -d$DURATION, $ROUNDS round(s), median req/s and p99 (ms); ratio = median / hello's median;"
	echo "to helloq = median / hello -q's median (the same close as dualstat), where it ran"
	echo
	echo "| part | endpoint | family | variant | req/s | p99 ms | ratio | to helloq | rows = 2xx |"
	echo "|---|---|---|---|---:|---:|---:|---:|---|"
	tail -n +2 "$RUNS" | cut -f1-4 | sort -u | while IFS="$(printf '\t')" read -r part ep fam v; do
		sel() { awk -F'\t' -v p="$part" -v e="$ep" -v f="$fam" -v v="$1" -v c="$2" \
		    'NR > 1 && $1 == p && $2 == e && $3 == f && $4 == v { print $c }' "$RUNS"; }
		rps=$(sel "$v" 7 | median)
		p99=$(sel "$v" 9 | median)
		b=$(sel hello 7 | median)
		bq=$(sel helloq 7 | median)
		ratio=$(awk -v a="$rps" -v b="$b" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "-" }')
		ratioq=$(awk -v a="$rps" -v b="$bq" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "-" }')
		okc=$(sel "$v" 13 | sort -u | tr '\n' ' ')
		p99ms=$(awk -v u="$p99" 'BEGIN { printf "%.2f", u / 1000 }')
		echo "| $part | $ep | IPv$fam | $v | $rps | $p99ms | $ratio | $ratioq | $okc|"
	done
	echo
	echo "Peak RSS (VmHWM) per worker, kB: max over runs"
	echo
	echo "| variant | max VmHWM kB | workers measured |"
	echo "|---|---:|---:|"
	tail -n +2 "$MEM" | awk -F'\t' '{ n[$1]++; if ($6 > m[$1]) m[$1] = $6 } END { for (v in m) printf "| %s | %d | %d |\n", v, m[v], n[v] }' | sort
} > "$SUM"
echo
cat "$SUM"
echo
echo "Every run: $RUNS; memory: $MEM; wrk output and server logs: $LOG"
if cut -f13 "$RUNS" | grep -qx NO; then
	echo "throughput.sh: some run lost rows: its figures are not a result" >&2
	exit 1
fi
