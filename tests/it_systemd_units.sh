#!/bin/sh
# it_systemd_units.sh: conf/systemd/dualstat.socket and dualstat.service (made by make
# from its .in, with this build's bindir), and the daily prune's timer and service, pass
# `systemd-analyze verify` (every key known, the command there) and score as well
# hardened by `systemd-analyze security`, both offline in a root folder of their own;
# then the service's own command line runs the way systemd would run it: the
# socket the .socket unit describes (mode 0660, group www-data) on fd 0, an
# unprivileged user, a private state folder, with nginx in front over IPv4 and IPv6.
# dualstat-ingest@.service likewise: verified and scored for an instance, then its command
# line as that user in group adm (only), on a log readable by group adm alone, into the same
# database: the site's lines recorded, SIGTERM commits and exits 0.
. "${top_srcdir:-.}/tests/lib.sh"
need_sqlite3
need_cmd systemd-analyze systemd
NGINX_BIN=${NGINX:-nginx}
unset NGINX
need_cmd "$NGINX_BIN" nginx
need_cmd setpriv util-linux
need_cmd perl perl-base
id www-data >/dev/null 2>&1 || skip "no www-data user to run nginx's workers as"
id nobody >/dev/null 2>&1 || skip "no nobody user to run dualstat as"
S="$top_srcdir/conf/systemd"
# The units that name the binary are made by make, in the build folder.
G="$top_builddir/conf/systemd"
: "${BINDIR:?BINDIR must name the configured bindir (make check sets it)}"
UNITS=/usr/lib/systemd/system
[ -d "$UNITS" ] || UNITS=/lib/systemd/system
[ -f "$UNITS/sysinit.target" ] || skip "systemd's own units are not installed (Debian package systemd)"

# ---- offline checks in a root folder: systemd's units (for sysinit.target and
# friends), ours, and the binary where ExecStart expects it.
R="$W/root"
mkdir -p "$R/usr/lib/systemd" "$R/etc/systemd/system" "$R$BINDIR"
cp -R "$UNITS" "$R/usr/lib/systemd/system"
cp "$S/dualstat.socket" "$G/dualstat.service" "$S/dualstat-prune.timer" \
    "$G/dualstat-prune.service" "$G/dualstat-ingest@.service" "$R/etc/systemd/system/"
INGEST_UNIT=dualstat-ingest@www.example.org.service
cp "$DUALSTAT" "$R$BINDIR/dualstat"
# man pages are checked once installed, not here (--man=no).
check "systemd-analyze verify" systemd-analyze verify --man=no --root="$R" \
    dualstat.socket dualstat.service dualstat-prune.timer dualstat-prune.service \
    "$INGEST_UNIT" 2> "$W/verify.err"
expect_eq "verify says nothing (no unknown key, no bad value)" "" "$(cat "$W/verify.err")"
check "systemd-analyze security: exposure at most 2.0 of 10" systemd-analyze security \
    --offline=yes --root="$R" --threshold=20 dualstat.service > "$W/security.out" 2>&1
contains "exposure judged" "Overall exposure level for dualstat.service" "$W/security.out"
check "systemd-analyze security: prune's exposure at most 2.0 too" systemd-analyze security \
    --offline=yes --root="$R" --threshold=20 dualstat-prune.service > "$W/security-prune.out" 2>&1
check "systemd-analyze security: ingest's exposure at most 2.0 too" systemd-analyze security \
    --offline=yes --root="$R" --threshold=20 "$INGEST_UNIT" > "$W/security-ingest.out" 2>&1
contains "ingest's exposure judged" "Overall exposure level for $INGEST_UNIT" \
    "$W/security-ingest.out"
expect_eq "ingest follows the instance's log, under its name" \
    "$BINDIR/dualstat ingest --follow /var/log/nginx/%i.access.log --host %i" \
    "$(sed -n 's/^ExecStart=//p' "$G/dualstat-ingest@.service")"
expect_eq "ingest runs in group adm (Debian's logs are 0640 root:adm)" "SupplementaryGroups=adm" \
    "$(grep '^SupplementaryGroups=' "$G/dualstat-ingest@.service")"
expect_eq "prune runs dualstat prune from bindir" "$BINDIR/dualstat prune" \
    "$(sed -n 's/^ExecStart=//p' "$G/dualstat-prune.service")"
expect_eq "unit: the socket of dualstat.service is on stdin" "StandardInput=socket" \
    "$(grep '^StandardInput=' "$G/dualstat.service")"
expect_eq "unit: output is not the socket" "StandardOutput=journal" \
    "$(grep '^StandardOutput=' "$G/dualstat.service")"

# ---- the service's command, as systemd runs it.  ExecStart as made, with this
# build's binary for $BINDIR/dualstat.
exec_start=$(sed -n 's/^ExecStart=//p' "$G/dualstat.service")
expect_eq "ExecStart serves the socket on fd 0" \
    "$BINDIR/dualstat serve --listen fd:0 --workers 4" "$exec_start"
args=${exec_start#"$BINDIR"/dualstat }
sock_path=$(sed -n 's/^ListenStream=//p' "$S/dualstat.socket")
sock_group=$(sed -n 's/^SocketGroup=//p' "$S/dualstat.socket")
sock_mode=$(sed -n 's/^SocketMode=//p' "$S/dualstat.socket")
expect_eq "the socket unit's socket" "/run/dualstat/dualstat.sock www-data 0660" \
    "$sock_path $sock_group $sock_mode"
# What systemd would do: /run/dualstat/dualstat.sock becomes $RUN/dualstat.sock;
# StateDirectory=dualstat becomes $W/state, the dynamic user becomes nobody.
mkdir -p "$RUN" "$W/state"
chown nobody:nogroup "$W/state"
chmod 0700 "$W/state"
DB="$W/state/dualstat.db"
write_conf
sed -i "s|^database = .*|database = $DB|" "$CONF"
SOCK=$(sock_path dualstat.sock)
# perl (perl-base) opens the socket as systemd does, then becomes the service.
# shellcheck disable=SC2086
DUALSTAT_CONF="$CONF" perl -MIO::Socket::UNIX -e '
	my ($path, $group, $mode, @cmd) = @ARGV;
	my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Local => $path, Listen => 128)
	    or die "listen $path: $!\n";
	chown(0, scalar(getgrnam($group)), $path) or die "chown: $!\n";
	chmod(oct($mode), $path) or die "chmod: $!\n";
	open(STDIN, "<&", $s) or die "dup to fd 0: $!\n";
	close($s);
	exec(@cmd) or die "exec: $!\n";
' "$SOCK" "$sock_group" "$sock_mode" \
    setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$DUALSTAT" $args \
    2> "$W/serve.log" &
SERVE=$!
track $SERVE
check "the service runs" wait_for sh -c "test \"\$(ps -o user= --ppid $SERVE | grep -c nobody)\" -eq 4"
expect_eq "as nobody, with 4 workers" "nobody 4" \
    "$(ps -o user= -p $SERVE | tr -d ' ') $(ps -o pid= --ppid $SERVE | wc -l)"
expect_eq "socket as the unit says" "root www-data 660" "$(stat -c '%U %G %a' "$SOCK")"

client_addrs 35
PORT=$(free_port 36)
C="$top_srcdir/conf"
N="$W/nginx"
mkdir -p "$N/tmp"
sh "$C/fill.sh" "$C/nginx/dualstat_params" > "$N/dualstat_params"
sh "$C/fill.sh" "$C/nginx/dualstat.conf.in" SOCKET="$SOCK" WWW="$top_srcdir/www" > "$N/site.conf"
sh "$C/fill.sh" "$C/nginx/listen.conf.in" BIND4=127.0.0.1 BIND6='[::1]' PORT="$PORT" > "$N/listen.conf"
sh "$C/fill.sh" "$C/nginx/nginx.conf.in" STATE="$N" USER=www-data GROUP=www-data \
    LISTEN="$N/listen.conf" SITE="$N/site.conf" > "$N/nginx.conf"
"$NGINX_BIN" -p "$N/" -c "$N/nginx.conf" -e "$N/error.log" &
NPID=$!
track $NPID
check "nginx listens" wait_for listening $PORT
expect_eq "IPv4 landing" 200 "$(get "http://127.0.0.1:$PORT/" --interface "$V4")"
expect_eq "IPv6 beacon" 204 "$(get "http://[::1]:$PORT/beacon" --interface "$V6")"
expect_eq "rows" "4|documentation|203.0.113.0/24|0|4|page|0
6|documentation|2001:db8:ffff::/48|0|6|beacon|0" \
    "$(sql 'SELECT family, kind, prefix, mapped, server_family, how, via_proxy FROM request ORDER BY id')"
expect_eq "the database belongs to the service's user, mode 0600" "nobody 600" "$(stat -c '%U %a' "$DB")"
expect_eq "status.json" 200 "$(get "http://[::1]:$PORT/status.json")"
contains "status: serve mode" '"mode":"serve"' "$W/b"
expect_eq "report.json" 200 "$(get "http://127.0.0.1:$PORT/report.json")"
contains "report.json counts" '"total":2,"ipv4":1,"ipv6":1,' "$W/b"

# systemctl stop: SIGTERM drains; the socket is systemd's, so it stays.
kill -TERM $SERVE
check "the service stops on SIGTERM" wait_for sh -c "! kill -0 $SERVE 2>/dev/null"
check "the socket it was given is left in place" test -S "$SOCK"
kill -TERM $NPID
check "nginx stops" wait_for sh -c "! kill -0 $NPID 2>/dev/null"

# ---- dualstat-ingest@www.example.org's command, as systemd runs it: the unit's user (nobody
# here), its only group adm, the instance for %i, $W/log for /var/log/nginx.
getent group adm > /dev/null || fail "no group adm (Debian's base-passwd has it)"
mkdir -p "$W/log"
LOG="$W/log/www.example.org.access.log"
{
	printf '%s - - [01/Mar/2024:10:00:01 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8.0"\n' 198.51.100.7
	printf '%s - - [01/Mar/2024:10:00:02 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8.0"\n' 2001:db8:7::1
} > "$LOG"
chown root:adm "$LOG"
chmod 0640 "$LOG"
ingest_cmd=$(sed -n 's/^ExecStart=//p' "$G/dualstat-ingest@.service" |
    sed "s|%i|www.example.org|g; s|/var/log/nginx/|$W/log/|; s|^$BINDIR/dualstat ||")
# shellcheck disable=SC2086
DUALSTAT_CONF="$CONF" setpriv --reuid=nobody --regid=nogroup --groups=adm -- \
    "$DUALSTAT" $ingest_cmd 2> "$W/ingest.log" &
ING=$!
track $ING
site_total() {
	"$DUALSTAT" -c "$CONF" report --from 2024-03-01 --to 2024-03-01 --host www.example.org \
	    --format json > "$W/r.json" 2> /dev/null &&
	    grep -q '"total":3,"ipv4":2,"ipv6":1,' "$W/r.json"
}
printf '%s - - [01/Mar/2024:10:00:03 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8.0"\n' 203.0.113.9 >> "$LOG"
check "ingest@: the site's log, read through group adm, recorded (2 IPv4, 1 IPv6)" \
    wait_for site_total
expect_eq "ingest@: as nobody" nobody "$(ps -o user= -p $ING | tr -d ' ')"
kill -TERM $ING
rc=0
wait $ING || rc=$?
expect_eq "ingest@: SIGTERM commits and exits 0" 0 "$rc"
lacks "ingest@: the log could be opened" "cannot" "$W/ingest.log"
lacks "ingest@: nothing denied" "denied" "$W/ingest.log"
finish
