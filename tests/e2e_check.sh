#!/bin/sh
# e2e_check.sh: `dualstat check-config` on the command line and the owner's page /check through
# CGI, with each problem made real: a configuration with an error and one its user cannot read,
# a database folder the CGI user cannot write (as nobody, through setpriv), a database newer than
# the binary, the database inside the document root, a stylesheet missing where static_url
# points, and then each one mended.
. "${top_srcdir:-.}/tests/lib.sh"
need_sqlite3

# A home outside the document root, as on shared hosting; both in $RUN, which every user can
# reach (the build tree may not be), so the CGI can run as nobody.
H="$RUN/home"
DOCROOT="$RUN/htdocs"
mkdir -p "$H" "$DOCROOT"
CONF="$H/dualstat.conf"
DB="$H/db/dualstat.db"
write_conf "static_url = /dualstat-www"
chmod 0644 "$CONF"

# cli [ARGS...]: check-config; output in $W/out, exit status in $RC.
cli() {
	RC=0
	"$DUALSTAT" -c "$CONF" check-config "$@" > "$W/out" 2> "$W/err" || RC=$?
}
# page [VAR=VALUE...]: /check as CGI, from the owner's address, below DOCUMENT_ROOT.
page() {
	cgi /check ::1 DOCUMENT_ROOT="$DOCROOT" SCRIPT_NAME=/stats "$@"
	expect_eq "/check answers" 200 "$(status_of)"
}

# ---- all well but the stylesheet: warnings leave the exit status 0
cli --document-root "$DOCROOT"
expect_eq "good setup: exit 0" 0 "$RC"
contains "configuration read" "ok           configuration: $CONF was read without errors." "$W/out"
contains "folder to be made" "note         database folder: $H/db does not exist yet" "$W/out"
contains "stylesheet missing: a warning" \
    "warning      stylesheet: There is no stylesheet at $DOCROOT/dualstat-www/dualstat.css" "$W/out"
contains "summary" "1 warning." "$W/out"
check "nothing was created" test ! -e "$H/db"
page
contains "page: stylesheet missing" "There is no stylesheet at $DOCROOT/dualstat-www/dualstat.css" "$W/out"
contains "page: marked as a warning" '<dt class="check-warning">stylesheet: warning</dt>' "$W/out"
contains "page: the database folder was made by this visit's process" "$H/db exists" "$W/out"
# The stylesheet uploaded: mended.
mkdir -p "$DOCROOT/dualstat-www"
cp "$top_srcdir/www/dualstat.css" "$DOCROOT/dualstat-www/"
page
contains "page: stylesheet found" "$DOCROOT/dualstat-www/dualstat.css is there" "$W/out"
contains "page: no problems" "No problems found." "$W/out"
# static_url = dualstat's own path: the built-in stylesheet, checked against SCRIPT_NAME.
write_conf "static_url = /stats"
page
contains "page: built-in stylesheet" "static_url is dualstat&#39;s own path" "$W/out"
cgi /dualstat.css 192.0.2.1 SCRIPT_NAME=/stats
sed '1,/^\r\{0,1\}$/d' "$W/out" > "$W/served.css"
check "the built-in stylesheet is www/dualstat.css" cmp -s "$W/served.css" "$top_srcdir/www/dualstat.css"

# ---- a configuration with an error: the CLI says file:line, exit 1; /check still answers
printf 'database = %s\nipv6_prefix = 200\n' "$DB" > "$CONF"
cli
expect_eq "broken configuration: exit 1" 1 "$RC"
contains "broken configuration: file:line" "problem      configuration: The configuration cannot be used: $CONF:2: ipv6_prefix" "$W/out"
contains "the rest is not checked" "not checked  database folder: Not checked: the configuration has an error" "$W/out"
cgi / ::1
expect_eq "other pages answer 500" 500 "$(status_of)"
page
contains "page: file:line" "$CONF:2: ipv6_prefix" "$W/out"
contains "page: a problem" '<dt class="check-problem">configuration: problem</dt>' "$W/out"
cgi /check 203.0.113.9 DOCUMENT_ROOT="$DOCROOT"
expect_eq "a visitor gets no /check" 403 "$(status_of)"
write_conf "static_url = /stats"
chmod 0644 "$CONF"

# ---- a newer database: the CLI and the page name the schema, and nothing is changed
SCHEMA=$(sql 'PRAGMA user_version')	# this dualstat's, as it made the database
sql 'PRAGMA user_version = 99'
cli
expect_eq "newer database: exit 1" 1 "$RC"
contains "newer database" "database schema 99 is newer than this dualstat ($SCHEMA)" "$W/out"
page
contains "page: newer database" "database schema 99 is newer than this dualstat ($SCHEMA)" "$W/out"
expect_eq "the newer database was not changed" 99 "$(sql 'PRAGMA user_version')"
sql "PRAGMA user_version = $SCHEMA"

# ---- the database inside the document root
mkdir -p "$DOCROOT/data"
write_conf "database = $DOCROOT/data/dualstat.db" "static_url = /stats"
sed -i 1d "$CONF"	# write_conf's own database line goes: one key, once
cli --document-root "$DOCROOT"
expect_eq "database in the document root: exit 1" 1 "$RC"
contains "database in the document root" "The database $DOCROOT/data/dualstat.db is inside the document root" "$W/out"
page
contains "page: database in the document root" "anyone could download it" "$W/out"
write_conf "static_url = /stats"
chmod 0644 "$CONF"

# ---- as a user who may not write the database's folder, nor read the configuration
[ "$(id -u)" -eq 0 ] || skip "running the CGI as nobody needs root (setpriv)"
need_cmd setpriv util-linux
NB="setpriv --reuid=nobody --regid=nogroup --clear-groups"
chown -R root:root "$H"
chmod 0755 "$H" "$H/db"
if $NB test -w "$H/db"; then fail "nobody can write $H/db"; else ok; fi
# as_nobody PATH ADDR [VAR=VALUE...]: lib.sh's cgi(), the program run by nobody.
as_nobody() {
	_p=$1 _a=$2
	shift 2
	_real=$DUALSTAT
	DUALSTAT="$W/nobody.sh"
	cgi "$_p" "$_a" "$@"
	DUALSTAT=$_real
}
printf '#!/bin/sh\nexec %s "%s"\n' "$NB" "$DUALSTAT" > "$W/nobody.sh"
chmod 0755 "$W/nobody.sh"
as_nobody /check ::1 DOCUMENT_ROOT="$DOCROOT" SCRIPT_NAME=/stats
expect_eq "nobody: /check answers" 200 "$(status_of)"
contains "nobody: the folder is not writable" "uid 65534 cannot create files in $H/db (Permission denied)" "$W/out"
contains "nobody: whose the folder is" "The folder is uid 0&#39;s, mode 0755" "$W/out"
contains "nobody: the database is not writable" "uid 65534 cannot write $DB (Permission denied)" "$W/out"
as_nobody / 192.0.2.7
contains "nobody: the visit is not recorded, as /check said" "not recorded" "$W/out"
RC=0
$NB "$DUALSTAT" -c "$CONF" check-config > "$W/out" 2>&1 || RC=$?
expect_eq "nobody: check-config exit 1" 1 "$RC"
contains "nobody: check-config says it" "uid 65534 cannot create files in $H/db" "$W/out"
chmod 0600 "$CONF"
as_nobody /check ::1 DOCUMENT_ROOT="$DOCROOT"
contains "nobody: configuration unreadable" "$CONF: Permission denied" "$W/out"
contains "nobody: says who must read it" "dualstat runs as uid 65534, which must be able to read the file" "$W/out"
# Mended: the folder and the database given to nobody, the configuration readable.
chmod 0644 "$CONF"
chown -R nobody:nogroup "$H/db"
as_nobody /check ::1 DOCUMENT_ROOT="$DOCROOT" SCRIPT_NAME=/stats
contains "nobody: mended" "No problems found." "$W/out"
contains "nobody: the folder is writable" "uid 65534 can create files in it" "$W/out"
as_nobody / 192.0.2.8
lacks "nobody: recorded now" "not recorded" "$W/out"

finish
