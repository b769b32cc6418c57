#!/bin/sh
# it_apache_cgi.sh: shared hosting: the real Apache (mod_cgid) with AllowOverride as a host gives
# it (conf/apache/shared-host.conf), the user's document root holding only the program (as "stats"),
# the stylesheet and conf/apache/htaccess as .htaccess; configuration and database in the user's
# home outside the document root.  Over IPv4 and IPv6: exact rows and report.json counts.  Then
# the variant htaccess describes for hosts that offer mod_fcgid ("SetHandler fcgid-script" and a
# two-line "stats" script naming the configuration), over both families again.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/apache.sh"
need_apache cgid env auth_basic authn_core authn_file authz_user
client_addrs 23
PORT=$(free_port 23)
P4=203.0.113.0/24
P6=2001:db8:ffff::/48
URL4=http://127.0.0.1:$PORT
URL6=http://[::1]:$PORT

# The user's home: configuration and database, never served.
HOMEDIR="$W/home"
CONF="$HOMEDIR/dualstat.conf"
DB="$HOMEDIR/db/dualstat.db"
mkdir -p "$HOMEDIR"
# The stylesheet: uploaded to the document root, or (static pass) dualstat's own.
if [ "${APACHE_CGI_STATIC:-}" = 1 ]; then
	STATIC_URL=/stats
else
	STATIC_URL=/dualstat-www
fi
STYLE=$STATIC_URL/dualstat.css
write_conf "static_url = $STATIC_URL"
# Without suEXEC the host runs CGI programs as www-data: it writes the database.
www_owns "$HOMEDIR/db"
check "www-data can read the configuration" as_www test -r "$CONF"

# What the user uploads to the document root.
DOCROOT="$W/apache/htdocs"
mkdir -p "$DOCROOT"
cp "$DUALSTAT" "$DOCROOT/stats"
chmod 0755 "$DOCROOT/stats"
if [ "$STATIC_URL" = /dualstat-www ]; then
	mkdir -p "$DOCROOT/dualstat-www"
	cp "$top_srcdir/www/dualstat.css" "$DOCROOT/dualstat-www/"
fi
printf 'hello from the site\n' > "$DOCROOT/hello.txt"
fill conf/apache/htaccess "$DOCROOT/.htaccess" DUALSTAT_CONF="$CONF"

fill conf/apache/shared-host.conf.in "$W/site.conf" DOCROOT="$DOCROOT"
apache_start "$W/site.conf"

expect_eq "IPv4 landing at /stats/" 200 "$(get "$URL4/stats/" --interface "$V4")"
contains "IPv4 landing is HTML" "Content-Type: text/html; charset=utf-8" "$W/h"
contains "IPv4 landing says IPv4" "over IPv4" "$W/b"
contains "IPv4 landing shows the /24" "$P4" "$W/b"
lacks "IPv4 landing never shows the address" "$V4" "$W/b"
contains "links stay below /stats (SCRIPT_NAME=/stats)" 'href="/stats/report"' "$W/b"
contains "the stylesheet's link" "href=\"$STYLE\"" "$W/b"
expect_eq "IPv4 beacon.gif" 200 "$(get "$URL4/stats/beacon.gif" --interface "$V4")"
contains "beacon is a GIF" "Content-Type: image/gif" "$W/h"
expect_eq "IPv6 landing at /stats (no slash)" 200 "$(get "$URL6/stats" --interface "$V6")"
contains "IPv6 landing says IPv6" "over IPv6" "$W/b"
contains "IPv6 landing shows the /48" "$P6" "$W/b"
expect_eq "IPv6 beacon (204)" 204 "$(get "$URL6/stats/beacon" --interface "$V6")"
expect_eq "stylesheet" 200 "$(get "$URL4$STYLE" --interface "$V4")"
contains "stylesheet is CSS" "Content-Type: text/css" "$W/h"
check "stylesheet is www/dualstat.css" cmp -s "$W/b" "$top_srcdir/www/dualstat.css"
[ "$STATIC_URL" = /dualstat-www ] ||
    contains "dualstat's own stylesheet is cached a day" "Cache-Control: public, max-age=86400" "$W/h"
expect_eq "IPv6 stylesheet" 200 "$(get "$URL6$STYLE" --interface "$V6")"
contains "IPv6 stylesheet is CSS" "Content-Type: text/css" "$W/h"
check "IPv6 stylesheet is www/dualstat.css" cmp -s "$W/b" "$top_srcdir/www/dualstat.css"
expect_eq "the site's own files" 200 "$(get "$URL6/hello.txt" --interface "$V6")"
expect_eq ".htaccess is not served" 403 "$(get "$URL4/.htaccess" --interface "$V4")"
expect_eq "unknown page" 404 "$(get "$URL6/stats/nope" --interface "$V6")"
expect_eq "report from a visitor's address" 403 "$(get "$URL4/stats/report.json" --interface "$V4")"
# As CGI too: REMOTE_USER is the user Apache's authentication found (none here).
unchecked_user_refused "visitor" "$URL6/stats" --interface "$V6"

expect_eq "rows: family, kind, prefix, server family, how, mapped, via_proxy" \
"4|documentation|$P4|4|page|0|0
4|documentation|$P4|4|beacon|0|0
6|documentation|$P6|6|page|0|0
6|documentation|$P6|6|beacon|0|0" \
    "$(sql 'SELECT family, kind, prefix, server_family, how, mapped, via_proxy FROM request ORDER BY id')"
expect_eq "database is private to its writer" "600 www-data" "$(stat -c '%a %U' "$DB")"
# The first CGI process took its turn at the upkeep after its answer (Apache sends a CGI
# process that outlives its request SIGTERM): its row rolled up, the finished days closed.
check "CGI upkeep ran under Apache: rows rolled up" \
    [ "$(sql "SELECT value FROM meta WHERE key = 'rollup_id'")" -ge 1 ]
check "CGI upkeep ran under Apache: days closed" \
    [ "$(sql "SELECT value FROM meta WHERE key = 'rollup_closed'")" -gt 0 ]
expect_eq "the counters file is the writer's too" "600 www-data" "$(stat -c '%a %U' "$DB-counters")"

expect_eq "report.json as owner from 127.0.0.1" 200 "$(get "$URL4/stats/report.json?days=1")"
contains "report.json type" "Content-Type: application/json; charset=utf-8" "$W/h"
json_has "report.json counts" '"total":4,"ipv4":2,"ipv6":2'
json_has "report.json prefixes" '"unique_prefixes":{"ipv4":1,"ipv6":1}'
expect_eq "report.json as owner from ::1" 200 "$(get "$URL6/stats/report.json")"
json_has "report.json counts over IPv6" '"total":4,"ipv4":2,"ipv6":2'
expect_eq "status.json as owner" 200 "$(get "$URL6/stats/status.json")"
json_has "run as CGI" '"mode":"cgi"'
json_has "configuration from SetEnv in .htaccess" "\"path\":\"$DB\""
# The setup check, as the owner reads it: as www-data, with Apache's DOCUMENT_ROOT.
expect_eq "/stats/check as owner" 200 "$(get "$URL4/stats/check")"
contains "check: nothing wrong" "No problems found." "$W/b"
contains "check: as the user Apache runs CGI as" "running as uid $(id -u www-data)," "$W/b"
contains "check: the folder tried as www-data" "$HOMEDIR/db exists, and uid $(id -u www-data) can create files in it" "$W/b"
contains "check: Apache's document root" "Neither the database nor the configuration is inside the document root $DOCROOT" "$W/b"
if [ "$STATIC_URL" = /stats ]; then
	contains "check: the built-in stylesheet" "static_url is dualstat&#39;s own path" "$W/b"
	contains "check: the static binary" "linked statically" "$W/b"
else
	contains "check: the uploaded stylesheet" "$DOCROOT/dualstat-www/dualstat.css is there" "$W/b"
fi
expect_eq "/stats/check from a visitor" 403 "$(get "$URL4/stats/check" --interface "$V4")"

# Each CGI process closes the database; reading it as root in between (as
# this test does) must not leave files www-data cannot write.
expect_eq "recording goes on after root read the database" 204 \
    "$(get "$URL4/stats/beacon" --interface "$V4")"
expect_eq "that beacon is recorded" 5 "$(sql 'SELECT count(*) FROM request')"

# ---- the password the comment in htaccess describes, turned on as the user would: a
# password file in the home, the commented lines uncommented (sed does what the user does
# in an editor) with the user's paths.  Apache rereads .htaccess on every request.
PASSWORD="correct horse"
perl -e 'print "owner:", crypt($ARGV[0], q($6$dualstat.test$)), "\n"' "$PASSWORD" > "$HOMEDIR/htpasswd"
chmod 0644 "$HOMEDIR/htpasswd"
cp "$DOCROOT/.htaccess" "$W/htaccess.plain"
sed "/^#<If \"%{REQUEST_URI}/,/^#<\\/If>/ { s/^#//; s|/home/USER/dualstat|$HOMEDIR|; }" \
    "$W/htaccess.plain" > "$DOCROOT/.htaccess"
expect_eq "six lines uncommented in .htaccess" 6 \
    "$(diff "$W/htaccess.plain" "$DOCROOT/.htaccess" | grep -c '^>')"
for p in $OWNER_PAGES; do
	expect_eq "password: $p without one" 401 "$(get "$URL6/stats$p" --interface "$V6")"
	expect_eq "password: $p with the right one" 200 \
	    "$(get "$URL6/stats$p" --interface "$V6" -u "owner:$PASSWORD")"
done
expect_eq "password: a wrong one" 401 "$(get "$URL4/stats/report" --interface "$V4" -u owner:wrong)"
expect_eq "password: an encoded path asks too" 401 "$(get "$URL4/stats/%72eport" --interface "$V4")"
cp "$W/htaccess.plain" "$DOCROOT/.htaccess"
# A ScriptSock path too long for a socket is cut short and bound elsewhere, with an error.
lacks "mod_cgid's socket is where DefaultRuntimeDir says" "[cgid:error]" "$W/apache/error.log"
apache_stop

# ---- 2. the same user on a host that offers mod_fcgid: the variant htaccess describes
if [ ! -f "$APACHE_MODULES/mod_fcgid.so" ]; then
	# Under CI nothing may be left out.
	[ "${CI:-}" != true ] || fail "mod_fcgid not found (Debian package libapache2-mod-fcgid)"
	echo "# mod_fcgid not found: the fcgid-script pass is left out"
	finish
	exit
fi
# The host's side: mod_fcgid loaded, its sockets and process table in the test's folder
# (Debian's own are in /var/lib/apache2/fcgid), and the bundled shared-host.conf.
sock_fits "$RUN/$FCGID_SOCK"
cat > "$W/site-fcgid.conf" <<EOF
LoadModule fcgid_module $APACHE_MODULES/mod_fcgid.so
FcgidIPCDir "$RUN/fcgid"
FcgidProcessTableFile "$RUN/fcgid/shm"
Include "$W/site.conf"
EOF
# The user's side, as the comment in htaccess says: "SetHandler fcgid-script" in the
# <Files> block (sed does what the user does in an editor), the binary outside the
# document root, and "stats" the two-line script from that comment, with the user's paths.
cp "$DUALSTAT" "$HOMEDIR/dualstat"
chmod 0755 "$HOMEDIR/dualstat"
sed -n 's/^#\t\(#!\/bin\/sh\)$/\1/p; s/^#\t\(exec env DUALSTAT_CONF=.*\)$/\1/p' \
    "$top_srcdir/conf/apache/htaccess" | sed "s|/home/USER/dualstat|$HOMEDIR|g" > "$DOCROOT/stats"
expect_eq "the two-line script from htaccess" "#!/bin/sh
exec env DUALSTAT_CONF=$CONF $HOMEDIR/dualstat" "$(cat "$DOCROOT/stats")"
sed 's/^\tSetHandler cgi-script$/\tSetHandler fcgid-script/' "$DOCROOT/.htaccess" > "$W/htaccess.fcgid"
mv "$W/htaccess.fcgid" "$DOCROOT/.htaccess"
expect_eq "one handler changed in .htaccess" 1 "$(grep -c '^	SetHandler fcgid-script$' "$DOCROOT/.htaccess")"
apache_start "$W/site-fcgid.conf"

expect_eq "fcgid: IPv4 landing at /stats/" 200 "$(get "$URL4/stats/" --interface "$V4")"
contains "fcgid: IPv4 landing says IPv4" "over IPv4" "$W/b"
contains "fcgid: IPv4 landing shows the /24" "$P4" "$W/b"
contains "fcgid: links stay below /stats" 'href="/stats/report"' "$W/b"
expect_eq "fcgid: IPv4 beacon.gif" 200 "$(get "$URL4/stats/beacon.gif" --interface "$V4")"
contains "fcgid: beacon is a GIF" "Content-Type: image/gif" "$W/h"
expect_eq "fcgid: IPv6 landing at /stats/" 200 "$(get "$URL6/stats/" --interface "$V6")"
contains "fcgid: IPv6 landing says IPv6" "over IPv6" "$W/b"
contains "fcgid: IPv6 landing shows the /48" "$P6" "$W/b"
expect_eq "fcgid: IPv6 beacon (204)" 204 "$(get "$URL6/stats/beacon" --interface "$V6")"
expect_eq "fcgid rows: family, kind, prefix, server family, how, mapped, via_proxy" \
"4|documentation|$P4|4|page|0|0
4|documentation|$P4|4|beacon|0|0
6|documentation|$P6|6|page|0|0
6|documentation|$P6|6|beacon|0|0" \
    "$(sql 'SELECT family, kind, prefix, server_family, how, mapped, via_proxy FROM request WHERE id > 5 ORDER BY id')"
expect_eq "fcgid: status.json as owner" 200 "$(get "$URL6/stats/status.json")"
json_has "fcgid: run by mod_fcgid, not as CGI" '"mode":"fastcgi"'
json_has "fcgid: configuration from the two-line script" "\"path\":\"$DB\""
expect_eq "fcgid: report.json as owner" 200 "$(get "$URL4/stats/report.json?days=1")"
json_has "fcgid: report.json counts both passes" '"total":9,"ipv4":5,"ipv6":4'
apache_stop

finish
