#!/bin/sh
# fleet.sh: dualstat on PostgreSQL 15 beside SQLite, on this machine, in one run
# (issue 12 §5, bench/FLEET.md).  One server, started here by tests/pg.sh (a Unix
# socket, no TCP, fsync off), serves three parts (FLEET_PARTS, default all):
#   batch   what a row costs by commit size, one process, no web server
#           (bench/throughput-batch against an SQLite file and PostgreSQL)
#   beacon  the beacon through the bundled nginx -> dualstat serve, on SQLite and
#           on PostgreSQL, alternated (bench/throughput.sh's variants serveN and
#           pgserveN); rows against 2xx after every run; the ratio
#   report  10 M requests over 365 days written by bench/gen-db into an SQLite file
#           and into PostgreSQL, rolled up by the upkeep; bench/report-bench times
#           both and checks that every PostgreSQL report holds SQLite's figures
# Environment: DUALSTAT, top_srcdir, top_builddir, PG_BINDIR; for beacon HELLO,
# NGINX, LIGHTTPD, SQLITE3 and BEACON_VARIANTS ("hello serve2 pgserve2 serve4
# pgserve4"; basepgserveN runs DUALSTAT_BASE's build), BEACON_FAMILIES ("4 6"),
# DURATION (10s), ROUNDS (5), CPU_PROFILE (1: the CPU of nginx, the backend,
# PostgreSQL and wrk per request); for report
# REQUESTS (10000000), PROBES (3 per 10 requests), KEEP=1 keeps both databases.
# QUICK=1: the beacon's runs 2 s, one round (a smoke run, not a figure).
set -eu
if [ "${QUICK:-0}" = 1 ]; then
	DURATION=${DURATION:-2s}
	ROUNDS=${ROUNDS:-1}
fi
: "${top_srcdir:?}" "${top_builddir:?}" "${DUALSTAT:?}"
BENCH=$top_builddir/bench
FLEET_PARTS=${FLEET_PARTS:-batch beacon report}
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/pg.sh"
PSQL=$PG_BINDIR/psql
# Every figure beside what else the two cores were doing.
echo "# fleet.sh $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(uname -m), $(nproc) cores," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"
pg_start
echo "PostgreSQL: $("$PG_BINDIR/postgres" --version), fsync=off, Unix socket"

# part [NAME]: whether FLEET_PARTS asks for it.
part() { case " $FLEET_PARTS " in *" $1 "*) return 0 ;; esac; return 1; }
# The URI of another database on the same server.
pg_uri_of() { printf '%s\n' "$PG_URI" | sed "s|^\(postgres[a-z]*://[^/?]*\)/[^?]*|\1/$1|"; }

# ---- batch: a row's cost by commit size, no web server ------------------------------
if part batch; then
	echo
	echo "## batch: SQLite ($(uname -m), $(nproc) cores)"
	"$BENCH/throughput-batch" "$W/bench.db"
	echo
	pg_sql "CREATE DATABASE dualstat_batch" >/dev/null
	echo "## batch: PostgreSQL 15, same machine, Unix socket (synchronous_commit=off)"
	pg_sql "ALTER SYSTEM SET synchronous_commit = off" >/dev/null
	pg_sql "SELECT pg_reload_conf()" >/dev/null
	"$BENCH/throughput-batch" "$(pg_uri_of dualstat_batch)"
	echo
	echo "## batch: PostgreSQL 15, synchronous_commit=on (each commit waits for its WAL write; fsync off here)"
	pg_sql "ALTER SYSTEM RESET synchronous_commit" >/dev/null
	pg_sql "SELECT pg_reload_conf()" >/dev/null
	pg_sql "DROP DATABASE dualstat_batch" >/dev/null
	pg_sql "CREATE DATABASE dualstat_batch" >/dev/null
	"$BENCH/throughput-batch" "$(pg_uri_of dualstat_batch)"
	pg_sql "DROP DATABASE dualstat_batch" >/dev/null
	rm -f "$W"/bench.db*
fi

# ---- beacon: nginx -> dualstat serve -> SQLite or PostgreSQL ------------------------
if part beacon; then
	echo
	echo "## beacon: nginx (bundled conf) -> dualstat serve -> SQLite / PostgreSQL" \
	    "(synchronous_commit=on), loopback"
	# bench/throughput.sh runs nginx, the backends and wrk (its own traps stop
	# them by PID); this server is ours and stays up until finish.
	OUT="$W/beacon"
	CONNS=${CONNS:-32}
	env DUALSTAT="$DUALSTAT" HELLO="${HELLO:-$BENCH/hello}" NGINX="${NGINX:-nginx}" \
	    LIGHTTPD="${LIGHTTPD:-lighttpd}" SQLITE3="${SQLITE3:-sqlite3}" \
	    top_srcdir="$top_srcdir" OUT="$OUT" PG_URI="$PG_URI" PSQL="$PSQL" \
	    PG_PID="$PG_PID" CPU_PROFILE="${CPU_PROFILE:-1}" DUALSTAT_BASE="${DUALSTAT_BASE:-}" \
	    PARTS=throughput ENDPOINTS=beacon FAMILIES="${BEACON_FAMILIES:-4 6}" \
	    VARIANTS="${BEACON_VARIANTS:-hello serve2 pgserve2 serve4 pgserve4}" \
	    DURATION="${DURATION:-10s}" ROUNDS="${ROUNDS:-5}" CONNS="$CONNS" \
	    sh "$top_srcdir/bench/throughput.sh" > "$W/beacon.out" 2>&1 || {
		cat "$W/beacon.out"
		echo "fleet.sh: the beacon part failed (see $OUT/bench.log)" >&2
		exit 1
	}
	sed -n '/^| part/,/^$/p' "$OUT/summary.md"
	# PostgreSQL's median against SQLite's, workers for workers, family for
	# family; the rounds' spread beside it (the machine is shared).
	# basepgserveN (DUALSTAT_BASE's build on PostgreSQL) gets a line of its own.
	echo "| family | workers | SQLite req/s median (min-max) | PostgreSQL req/s median (min-max) | PostgreSQL / SQLite | PostgreSQL variant |"
	echo "|---|---:|---:|---:|---:|---|"
	awk -F'\t' 'NR > 1 && $4 ~ /^(base)?(pg)?serve/ { k = $3 " " $4; v[k] = v[k] " " $7 }
	    function sorted(s, a,   n, i, j, t) {
		n = split(s, a, " ")
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
			if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
		return n
	    }
	    function med(s,   a, n) {
		n = sorted(s, a)
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	    }
	    function span(s,   a, n) { n = sorted(s, a); return a[1] "-" a[n] }
	    END {
		for (k in v) {
			split(k, f, " ")
			if (f[2] !~ /^serve/)
				continue
			for (b = 0; b < 2; b++) {
				q = f[1] (b ? " basepg" : " pg") f[2]
				if (!(q in v))
					continue
				s = med(v[k]); p = med(v[q])
				printf "| IPv%s | %s | %.0f (%s) | %.0f (%s) | %.2f | %s |\n", f[1],
				    substr(f[2], 6), s, span(v[k]), p, span(v[q]), p / s, substr(q, 3)
			}
		}
	    }' "$OUT/runs.tsv" | sort
	echo
	if [ "${CPU_PROFILE:-1}" = 1 ]; then
		# Where the CPU went, per request (median over rounds and families).
		echo "CPU per request, µs (median of the runs; /proc utime + stime):"
		echo
		echo "| variant | nginx | backend (dualstat or hello) | PostgreSQL | wrk | all |"
		echo "|---|---:|---:|---:|---:|---:|"
		awk -F'\t' 'NR > 1 { v = $4; for (c = 7; c <= 10; c++) x[v, c] = x[v, c] " " $c
			x[v, 11] = x[v, 11] " " ($7 + $8 + $9 + $10); seen[v] = 1 }
		    function med(s,   a, n, i, j, t) {
			n = split(s, a, " ")
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
				if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
			return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		    }
		    END { for (v in seen) printf "| %s | %.1f | %.1f | %.1f | %.1f | %.1f |\n", v,
			med(x[v, 7]), med(x[v, 8]), med(x[v, 9]), med(x[v, 10]), med(x[v, 11]) }' \
		    "$OUT/cpu.tsv" | sort
		echo
	fi
	# What each backend's group commit gathered: rows per commit, from the
	# line serve logs when it stops.
	echo "group commit (rows / commits per run, from serve's \"stopped\" line):"
	awk '/^== backend / { v = $3 }
	    /stopped; group commit:/ { for (i = 1; i <= NF; i++) if ($i == "rows") r = $(i - 1);
		else if ($i == "commits,") c = $(i - 1);
		n[v]++; R[v] += r; C[v] += c;
		if ($0 ~ /[1-9][0-9]* timed out|[1-9][0-9]* direct/) odd[v]++ }
	    END { for (v in n) printf "  %-9s %d runs, %.2f rows per commit%s\n", v, n[v],
		R[v] / C[v], odd[v] ? ", some timed out or direct" : "" }' "$OUT/bench.log" | sort
	if grep -q 'ROWS DO NOT MATCH' "$W/beacon.out"; then
		grep 'ROWS DO NOT MATCH' "$W/beacon.out"
		echo "fleet.sh: some run lost rows" >&2
		exit 1
	fi
	echo "every run: rows in its database = the 2xx wrk counted (+ at most the $CONNS in flight): yes"
	echo "(every run: $OUT/runs.tsv; wrk output and server logs: $OUT/bench.log)"
fi

# ---- report: 10 M requests, 30 and 365 days, on both ----------------------------------
if part report; then
	REQUESTS=${REQUESTS:-10000000}
	PROBES=${PROBES:-$((REQUESTS / 10 * 3))}
	echo
	echo "## report: $REQUESTS requests over 365 days from 50 000 prefixes, $PROBES probes"
	pg_sql "CREATE DATABASE dualstat_report" >/dev/null
	RURI=$(pg_uri_of dualstat_report)
	echo "### writing SQLite (bench/gen-db: store_record_batch, then store_maintain)"
	"$BENCH/gen-db" "$W/report.db" "$REQUESTS" 365 50000 "$PROBES"
	echo "### writing PostgreSQL (the same program, the same rows)"
	"$BENCH/gen-db" "$RURI" "$REQUESTS" 365 50000 "$PROBES"
	PG_DB=dualstat_report pg_sql "VACUUM ANALYZE" >/dev/null
	echo "sizes: SQLite $(du -m "$W/report.db" | cut -f1) MB;" \
	    "PostgreSQL $(PG_DB=dualstat_report pg_sql "SELECT pg_database_size(current_database()) / 1048576") MB"
	echo
	echo "### SQLite (store_report + render)"
	"$BENCH/report-bench" "$W/report.db" 0
	echo
	echo "### PostgreSQL (store_report + render), each report compared with SQLite's"
	"$BENCH/report-bench" --same-as "$W/report.db" "$RURI"
	if [ "${KEEP:-0}" = 1 ]; then
		echo "kept: $W/report.db and database dualstat_report in $PG_DATA (server stopped)"
	else
		rm -f "$W"/report.db*
	fi
fi
finish
