# ingest.sh: shared by the it_ingest_* tests (sourced after lib.sh): the figures of what
# dualstat ingest recorded from a real server, the same log file imported into a database
# of its own, and the search of every file dualstat wrote for a full client address.

# The requests are made now: today's report (UTC) holds them all.
DAY=$(date -u +%F)

# figures CONF: today's report as JSON.
figures() {
	"$DUALSTAT" -c "$1" report --from "$DAY" --to "$DAY" --format json
}
total_of() {
	figures "$1" 2> /dev/null | sed -n 's/.*"total":\([0-9]*\),.*/\1/p'
}
# total_is N: the test's database holds N requests today.
total_is() {
	[ "$(total_of "$CONF")" = "$1" ]
}

# same_as_import WHAT LOG [IMPORT OPTIONS]: LOG (the server's file log of the same
# lines) imported into a fresh database gives exactly the report ingest's gives.
same_as_import() {
	_what=$1 _log=$2
	shift 2
	mkdir -p "$W/imported"
	printf 'database = %s\n' "$W/imported/dualstat.db" > "$W/imported.conf"
	"$DUALSTAT" -c "$W/imported.conf" import "$@" "$_log" > "$W/import.out" 2>&1 ||
	    { fail "$_what: import of $_log"; cat "$W/import.out"; return 0; }
	figures "$CONF" > "$W/ingested.json"
	figures "$W/imported.conf" > "$W/imported.json"
	if cmp -s "$W/ingested.json" "$W/imported.json"; then ok; else
		fail "$_what: the import of the server's own log differs from what ingest recorded"
		cat "$W/ingested.json" "$W/imported.json"
	fi
}

# no_full_address ADDR...: none of these addresses, as text, in any file dualstat wrote
# (the databases, their WAL, the counters files).
no_full_address() {
	for _a in "$@"; do
		for _f in "$DB" "$DB-wal" "$DB-counters" "$W/imported/dualstat.db" \
		    "$W/imported/dualstat.db-wal"; do
			[ -e "$_f" ] || continue
			if grep -aqF "$_a" "$_f"; then fail "privacy: $_a in $_f"; else ok; fi
		done
	done
}
