#!/bin/sh
# logs.sh: make bench-logs: `dualstat import` and its parse step against awk and GoAccess on 1 M and LINES lines (bench/LOGS.md).
#   GEN_LOG=... LOGPARSE_BENCH=... DUALSTAT=... LINES=10000000 OUT=DIR [SMALL=1000000] [ROUNDS=3]
#   [CONTENDERS="import import-gz dualstat dualstat-gz reader awk awk-gz goaccess"] sh bench/logs.sh
# import and import-gz: the whole `dualstat import FILE` into a new SQLite database each run
# (made by the import, in the clock), plain and gzip.
# Every program is timed by GNU time (/usr/bin/time -v: wall clock, user and
# system CPU, maximum RSS) in the same run, ROUNDS times in turn (A B C A B C
# ...), and the medians are printed as a Markdown table.  On a shared machine
# the wall clock counts other people's work too: lines per CPU second is the
# steadier figure, and both are given.  The generated logs are kept in OUT.
set -eu
: "${GEN_LOG:?}" "${LOGPARSE_BENCH:?}" "${DUALSTAT:?}" "${OUT:?}"
LINES=${LINES:-10000000}
SMALL=${SMALL:-1000000}		# the smaller size, also of the Caddy log
CONTENDERS=${CONTENDERS:-import import-gz dualstat dualstat-gz reader awk awk-gz goaccess}
ROUNDS=${ROUNDS:-3}
TIME=/usr/bin/time
command -v goaccess > /dev/null 2>&1 || { echo "logs.sh: goaccess not found (Debian package goaccess)" >&2; exit 1; }
[ -x "$TIME" ] || { echo "logs.sh: $TIME not found (Debian package time)" >&2; exit 1; }
mkdir -p "$OUT"

# A log of N lines (combined, or caddy JSON), made once and kept, and its gzip.
gen() {
	n=$1 fmt=$2 f="$OUT/access-$2-$1.log"
	if [ ! -s "$f.gz" ] || [ "$(cat "$f.n" 2>/dev/null)" != "$n" ]; then
		echo "generating $f ..." >&2
		"$GEN_LOG" -f "$fmt" "$n" > "$f.tmp"
		mv "$f.tmp" "$f"
		gzip -6 -c "$f" > "$f.gz.tmp"
		mv "$f.gz.tmp" "$f.gz"
		echo "$n" > "$f.n"
	fi
}

# One timed run: "wall cpu rss_mb" on stdout, the program's output in $OUT/last.out.
timed() {
	$TIME -v -o "$OUT/time.txt" "$@" > "$OUT/last.out" 2>&1 || {
		echo "logs.sh: failed: $*" >&2
		cat "$OUT/last.out" >&2
		exit 1
	}
	awk -F': ' '
		/Elapsed \(wall clock\)/ {
			n = split($2, p, ":"); w = 0
			for (i = 1; i <= n; i++) w = w * 60 + p[i]
		}
		/User time/ { u = $2 } /System time/ { s = $2 }
		/Maximum resident set size/ { m = $2 / 1024 }
		END { printf "%.3f %.3f %.1f\n", w, u + s, m }' "$OUT/time.txt"
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# A folder without a database for an import.
fresh_db() {
	rm -rf "$OUT/db"
	mkdir -p "$OUT/db"
	printf 'database = %s/db/dualstat.db\n' "$OUT" > "$OUT/import.conf"
}

# The contenders, by name; each reads the log named by $log.
run() {
	case $1 in
	import) fresh_db; timed "$DUALSTAT" -c "$OUT/import.conf" import "$log" ;;
	import-gz) fresh_db; timed "$DUALSTAT" -c "$OUT/import.conf" import "$log.gz" ;;
	dualstat) timed "$LOGPARSE_BENCH" "$log" ;;
	dualstat-gz) timed "$LOGPARSE_BENCH" "$log.gz" ;;
	reader) timed "$LOGPARSE_BENCH" --read-only "$log" ;;
	awk) timed awk '{ if (index($1, ":")) v6++; else v4++ } END { print v4, v6 }' "$log" ;;
	awk-gz) timed sh -c "gzip -dc '$log.gz' | awk '{ if (index(\$1, \":\")) v6++; else v4++ } END { print v4, v6 }'" ;;
	goaccess) timed goaccess "$log" --log-format=COMBINED -o "$OUT/goaccess.html" ;;
	caddy) timed "$LOGPARSE_BENCH" --format caddy "$log" ;;
	esac
}

label() {
	case $1 in
	import) echo "**dualstat import** (SQLite), plain" ;;
	import-gz) echo "**dualstat import** (SQLite), .gz" ;;
	dualstat) echo "dualstat parse (logparse-bench), plain" ;;
	dualstat-gz) echo "dualstat parse (logparse-bench), .gz" ;;
	reader) echo "line reader alone (logparse-bench --read-only)" ;;
	awk) echo "awk counting families ($(readlink -f "$(command -v awk)" | xargs basename))" ;;
	awk-gz) echo "gzip -dc \\| awk counting families" ;;
	goaccess) echo "GoAccess $(goaccess --version 2>/dev/null | sed -n 's/^GoAccess - \([0-9.]*[0-9]\).*/\1/p') --log-format=COMBINED" ;;
	caddy) echo "dualstat parse, Caddy JSON (jansson)" ;;
	esac
}

bench_size() {
	n=$1 fmt=$2 contenders=$3
	log="$OUT/access-$fmt-$n.log"
	rm -f "$OUT"/r.*
	r=1
	while [ "$r" -le "$ROUNDS" ]; do
		for c in $contenders; do
			run "$c" > "$OUT/one"
			read -r wall cpu rss < "$OUT/one"
			echo "$wall" >> "$OUT/r.$c.wall"
			echo "$cpu" >> "$OUT/r.$c.cpu"
			echo "$rss" >> "$OUT/r.$c.rss"
			case $c in dualstat | caddy | import) cp "$OUT/last.out" "$OUT/r.$c.out" ;; esac
		done
		r=$((r + 1))
	done
	printf '\n%s lines (%s, %s MB, .gz %s MB), median of %s rounds\n\n' "$n" "$fmt" \
	    "$(($(wc -c < "$log") / 1000000))" "$(($(wc -c < "$log.gz") / 1000000))" "$ROUNDS"
	echo "| program | wall s | lines/s | CPU s | lines per CPU s | max RSS MB |"
	echo "|---|---:|---:|---:|---:|---:|"
	for c in $contenders; do
		w=$(median < "$OUT/r.$c.wall")
		u=$(median < "$OUT/r.$c.cpu")
		m=$(sort -n "$OUT/r.$c.rss" | tail -n 1)
		# The label through the environment: -v would read its "\|" as an escape.
		LABEL=$(label "$c") awk -v n="$n" -v w="$w" -v u="$u" -v m="$m" 'BEGIN {
			printf "| %s | %.2f | %.0f | %.2f | %.0f | %.1f |\n", ENVIRON["LABEL"], w, n / w, u, (u > 0 ? n / u : 0), m }'
	done
	for c in import dualstat caddy; do
		[ -f "$OUT/r.$c.out" ] && sed 's/^/    /' "$OUT/r.$c.out"
	done
	return 0
}

{
	echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
	    "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	gen "$SMALL" combined
	[ "$LINES" = "$SMALL" ] || gen "$LINES" combined
	gen "$SMALL" caddy
	bench_size "$SMALL" combined "$CONTENDERS"
	[ "$LINES" = "$SMALL" ] || bench_size "$LINES" combined "$CONTENDERS"
	bench_size "$SMALL" caddy "caddy"
	echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/results.md"
