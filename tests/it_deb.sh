#!/bin/sh
# it_deb.sh: the Debian package.  debian/ builds a .deb (dpkg-buildpackage -us -uc -b)
# from a copy of the source, the distdir (so EXTRA_DIST must carry debian/); lintian finds
# no error and no warning that debian/ does not explain in an override.  Then a throwaway
# Debian 12 root, made by mmdebstrap from the Debian mirror this machine's apt uses, gets
# it by `dpkg -i` and `apt-get -f install` (its dependencies, from that mirror).  In there
# `dualstat version` and `dualstat classify` answer; every file is where `dpkg -L` says,
# the web server snippets are conf/'s files unchanged, /etc/dualstat.conf is a conffile
# with its database in /var/lib/dualstat, the units name /usr/bin and are enabled, the
# system user dualstat exists and owns /var/lib/dualstat (0700), and as that user a CGI
# visit is recorded and `dualstat prune` runs.  The installed units pass
# `systemd-analyze verify` and score as well as upstream's in `systemd-analyze security`.
# `dpkg --remove` keeps the configuration and the database; `dpkg --purge` deletes them
# and the units' enable links, and leaves the user (README.Debian says why).
# Everything stays in tests/work/it_deb/; the Debian root is deleted at the end.

# shellcheck disable=SC2016 # dpkg-query's -f formats are ${Field}s, not the shell's
# A killed run may have left the root's /proc mounted, and lib.sh starts by deleting
# the test folder: unmount it first.
umount "${top_builddir:-.}/tests/work/it_deb/root/proc" 2>/dev/null || true
. "${top_srcdir:-.}/tests/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "a Debian root made by mmdebstrap, and chroot into it, need root"
need_cmd dpkg-buildpackage dpkg-dev
need_cmd dh debhelper
need_cmd lintian lintian
need_cmd mmdebstrap mmdebstrap
need_cmd systemd-analyze systemd
need_cmd "${CURL:=curl}" curl
need_cmd apt-config apt
UNITS=/usr/lib/systemd/system
[ -d "$UNITS" ] || UNITS=/lib/systemd/system
[ -f "$UNITS/sysinit.target" ] || skip "systemd's own units are not installed (Debian package systemd)"

# ---- the Debian 12 sources of this machine: bookworm, -updates and -security, each as
# one "deb URI SUITE main" line, from one-line .list files and deb822 .sources files.
# main has everything the package depends on; other repositories have other suites.
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
	[ -f "$f" ] || continue
	awk '$1 == "deb" {
		i = 2
		if ($i ~ /^\[/) { while (i < NF && $i !~ /\]$/) i++; i++ }
		if ($(i + 1) ~ /^bookworm(-updates|-security)?$/) print "deb " $i " " $(i + 1) " main"
	}' "$f"
done > "$W/sources.list"
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	awk 'function flush(  n, m, a, b, u, s) {
		if (types ~ / deb( |$)/ && enabled != "no") {
			n = split(uris, u, " ")
			m = split(suites, s, " ")
			for (a = 1; a <= n; a++)
				for (b = 1; b <= m; b++)
					if (s[b] ~ /^bookworm(-updates|-security)?$/)
						print "deb " u[a] " " s[b] " main"
		}
		types = uris = suites = enabled = ""
	}
	/^[ \t]*#/ { next }
	/^[ \t]*$/ { flush(); next }
	{ key = tolower($1); $1 = "" }
	key == "types:" { types = $0 }
	key == "uris:" { uris = $0 }
	key == "suites:" { suites = $0 }
	key == "enabled:" { enabled = tolower($2) }
	END { flush() }' "$f"
done >> "$W/sources.list"
sort -u "$W/sources.list" -o "$W/sources.list"
grep -q ' bookworm main$' "$W/sources.list" ||
    skip "no Debian 12 (bookworm) source in /etc/apt/sources.list{,.d}: no mirror to build a root from"
MIRROR=$(sed -n 's/^deb \([^ ]*\) bookworm main$/\1/p' "$W/sources.list" | head -n 1)
"$CURL" -sSf --max-time 20 -o /dev/null "$MIRROR/dists/bookworm/Release" 2> "$W/mirror.err" ||
    skip "no network to the Debian mirror $MIRROR: $(cat "$W/mirror.err")"
# The apt settings this machine needs to reach it (a proxy, a mirror whose Release files
# are past their Valid-Until) go to the root's apt too.
set --
for key in Acquire::http::Proxy Acquire::https::Proxy Acquire::Check-Valid-Until Acquire::Check-Date; do
	v=""
	eval "$(apt-config shell v "$key")"
	[ -z "$v" ] || set -- "$@" "--aptopt=$key \"$v\""
done
# apt in the root verifies an https mirror with the CA certificates, which apt lacks.
! grep -q '^deb https:' "$W/sources.list" || set -- "$@" --include=ca-certificates

# ---- the package, from the distdir: exactly what `make dist` ships.  Nothing of this
# build's make or test environment leaks into it; one job (make -j2 check runs beside).
clean_env="env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u DUALSTAT -u CK_RUN_SUITE"
$clean_env timeout 300 make -C "$top_builddir" distdir distdir="$W/src" > "$W/distdir.log" 2>&1 ||
    { fail "make distdir"; tail -n 20 "$W/distdir.log"; finish; }
chmod -R u+w "$W/src"
st=0
(cd "$W/src" && $clean_env timeout 900 dpkg-buildpackage -us -uc -b -j1) > "$W/build.log" 2>&1 || st=$?
expect_eq "dpkg-buildpackage -us -uc -b" 0 "$st"
if [ "$st" -ne 0 ]; then
	tail -n 40 "$W/build.log"
	finish
fi
DEB=$(ls "$W"/dualstat_*.deb 2>/dev/null || true)
expect_eq "one .deb" 1 "$(echo "$DEB" | grep -c .)"
[ -n "$DEB" ] || finish
contains "the package's own unit suites ran in the build" "PASS: tests/check_dualstat" "$W/build.log"
VERSION=$("$DUALSTAT" version | sed -n '1s/^dualstat //p')
expect_eq "native package: its version is the program's" "$VERSION" "$(dpkg-deb -f "$DEB" Version)"

st=0
timeout 600 lintian --fail-on error,warning "$DEB" > "$W/lintian.out" 2>&1 || st=$?
expect_eq "lintian: no error, no warning that debian/ does not override with a reason" 0 "$st"
[ "$st" -eq 0 ] || cat "$W/lintian.out"
lacks "lintian: no error" "E: " "$W/lintian.out"

# ---- a Debian 12 root: apt and what it needs, nothing more.
R="$W/root"
at_cleanup "umount '$R/proc' 2>/dev/null || umount -l '$R/proc' 2>/dev/null; rm -rf --one-file-system '$R'"
st=0
timeout 900 mmdebstrap --variant=apt --mode=root "$@" bookworm "$R" "$W/sources.list" \
    > "$W/mmdebstrap.log" 2>&1 || st=$?
expect_eq "mmdebstrap: a Debian 12 root from $MIRROR" 0 "$st"
if [ "$st" -ne 0 ]; then
	tail -n 30 "$W/mmdebstrap.log"
	finish
fi
mkdir -p "$R/proc"
check "/proc in the root" mount -t proc proc "$R/proc"

# inroot COMMAND...: run in the root as root, with a clean environment, bounded.
inroot() {
	timeout 300 chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
	    LC_ALL=C DEBIAN_FRONTEND=noninteractive "$@"
}
# asuser COMMAND...: the same as the package's user.
asuser() {
	timeout 60 chroot --userspec=dualstat:dualstat "$R" /usr/bin/env -i PATH=/usr/bin:/bin \
	    LC_ALL=C "$@"
}

# into LOG COMMAND...: COMMAND's output in LOG; when it fails, LOG's end is shown.
into() {
	_log=$1
	shift
	"$@" > "$_log" 2>&1 || { tail -n 20 "$_log"; return 1; }
}

cp "$DEB" "$R/tmp/dualstat.deb"
check "apt-get update in the root" into "$W/apt-update.log" inroot apt-get -q update
# dpkg -i alone stops at the missing libraries (the root has none of them), and leaves
# the package unpacked; apt-get -f install fetches them and configures it.
inroot dpkg -i /tmp/dualstat.deb > "$W/dpkg-i.log" 2>&1 || true
check "apt-get -f install: the dependencies from the mirror" into "$W/apt-install.log" \
    inroot apt-get -y -f install -o APT::Install-Recommends=false -o Dpkg::Use-Pty=false
expect_eq "installed" "install ok installed" "$(inroot dpkg-query -W -f='${Status}' dualstat 2>&1)"
if ! inroot dpkg-query -W dualstat > /dev/null 2>&1; then
	cat "$W/dpkg-i.log" "$W/apt-install.log"
	finish
fi

# ---- the program
inroot dualstat version > "$W/version.out" 2>&1 || fail "dualstat version"
expect_eq "dualstat version" "dualstat $VERSION" "$(head -n 1 "$W/version.out")"
contains "version: SQLite's" "SQLite 3." "$W/version.out"
contains "version: libfcgi's" "libfcgi 2." "$W/version.out"
tab=$(printf '\t')
expect_eq "dualstat classify" "2001:db8::1${tab}6${tab}documentation${tab}2001:db8::/48${tab}-
192.0.2.1${tab}4${tab}documentation${tab}192.0.2.0/24${tab}-" \
    "$(inroot dualstat classify 2001:db8::1 192.0.2.1 2>&1)"

# ---- the files: each one dpkg lists is there, and these are among them
inroot dpkg -L dualstat > "$W/dpkg-L.out" || fail "dpkg -L dualstat"
missing=""
while IFS= read -r p; do
	[ -e "$R$p" ] || [ -L "$R$p" ] || missing="$missing $p"
done < "$W/dpkg-L.out"
expect_eq "every file dpkg -L names is in the root" "" "$missing"
for p in /usr/bin/dualstat /usr/share/man/man8/dualstat.8.gz \
    /usr/share/man/man5/dualstat.conf.5.gz /etc/dualstat.conf \
    /lib/systemd/system/dualstat.socket /lib/systemd/system/dualstat.service \
    /lib/systemd/system/dualstat-prune.service /lib/systemd/system/dualstat-prune.timer \
    /lib/systemd/system/dualstat.service.d/debian.conf \
    /lib/systemd/system/dualstat-prune.service.d/debian.conf \
    /lib/systemd/system/dualstat-ingest@.service \
    /lib/systemd/system/dualstat-ingest@.service.d/debian.conf \
    /usr/share/dualstat/www/dualstat.css /usr/share/dualstat/fill.sh \
    /usr/share/doc/dualstat/README.Debian.gz /usr/share/doc/dualstat/copyright; do
	check "dpkg -L lists $p" grep -qx "$p" "$W/dpkg-L.out"
done
check "fill.sh is executable" test -x "$R/usr/share/dualstat/fill.sh"
# The snippets as they are in conf/: every web server file, byte for byte.
for f in "$top_srcdir"/conf/lighttpd/*.in "$top_srcdir"/conf/apache/* "$top_srcdir"/conf/nginx/*; do
	rel=${f#"$top_srcdir"/conf/}
	check "conf/$rel installed unchanged in /usr/share/dualstat/$rel" \
	    cmp -s "$f" "$R/usr/share/dualstat/$rel"
done
check "/usr/share/dualstat/fill.sh is conf/fill.sh" cmp -s "$top_srcdir/conf/fill.sh" \
    "$R/usr/share/dualstat/fill.sh"
check "fill.sh fills an installed snippet" into "$W/nginx-site.conf" inroot \
    sh /usr/share/dualstat/fill.sh /usr/share/dualstat/nginx/dualstat.conf.in \
    SOCKET=/run/dualstat/dualstat.sock WWW=/usr/share/dualstat/www
contains "filled: the packaged socket" "fastcgi_pass unix:/run/dualstat/dualstat.sock;" "$W/nginx-site.conf"

# ---- the configuration: a conffile, the database line its only active setting
inroot dpkg-query -W -f='${Conffiles}\n' dualstat > "$W/conffiles.out"
contains "/etc/dualstat.conf is a conffile" " /etc/dualstat.conf " "$W/conffiles.out"
expect_eq "the only active line of /etc/dualstat.conf" "database = /var/lib/dualstat/dualstat.db" \
    "$(grep -v '^[[:space:]]*#' "$R/etc/dualstat.conf" | grep -v '^[[:space:]]*$')"

# ---- the units: installed paths, enabled as dh_installsystemd does without systemd
# running (the links; nothing starts in a chroot)
expect_eq "dualstat.service runs /usr/bin/dualstat" \
    "/usr/bin/dualstat serve --listen fd:0 --workers 4" \
    "$(sed -n 's/^ExecStart=//p' "$R/lib/systemd/system/dualstat.service")"
expect_eq "dualstat-prune.service runs /usr/bin/dualstat prune" "/usr/bin/dualstat prune" \
    "$(sed -n 's/^ExecStart=//p' "$R/lib/systemd/system/dualstat-prune.service")"
expect_eq "no unit names /usr/local" "" \
    "$(grep -l /usr/local "$R"/lib/systemd/system/dualstat* "$R"/lib/systemd/system/dualstat*/* 2>/dev/null)"
expect_eq "dualstat-ingest@.service follows the site's nginx log with /usr/bin/dualstat" \
    "/usr/bin/dualstat ingest --follow /var/log/nginx/%i.access.log --host %i" \
    "$(sed -n 's/^ExecStart=//p' "$R/lib/systemd/system/dualstat-ingest@.service")"
for d in dualstat.service.d dualstat-prune.service.d dualstat-ingest@.service.d; do
	expect_eq "$d: the dualstat user, not a dynamic one" "DynamicUser=no User=dualstat Group=dualstat" \
	    "$(grep -E '^(DynamicUser|User|Group)=' "$R/lib/systemd/system/$d/debian.conf" | tr '\n' ' ' | sed 's/ $//')"
done
check "dualstat.socket enabled" test -L "$R/etc/systemd/system/sockets.target.wants/dualstat.socket"
check "dualstat-prune.timer enabled" test -L "$R/etc/systemd/system/timers.target.wants/dualstat-prune.timer"
expect_eq "no ingest instance enabled by the package" "" \
    "$(find "$R/etc/systemd/system" -name 'dualstat-ingest@*' 2>/dev/null)"

# The installed units and binary, copied as installed into a folder with systemd's own
# units (the root has no systemd: the package does not need it), checked offline by this
# machine's systemd-analyze (Debian 12's too).  Man pages: dpkg -L has them (above).
V="$W/verify"
mkdir -p "$V/usr/lib/systemd" "$V/usr/bin"
cp -R "$UNITS" "$V/usr/lib/systemd/system"
while IFS= read -r p; do
	case $p in /lib/systemd/*) ;; *) continue ;; esac
	[ -f "$R$p" ] || continue
	mkdir -p "$V${p%/*}"
	cp "$R$p" "$V$p"
done < "$W/dpkg-L.out"
cp "$R/usr/bin/dualstat" "$V/usr/bin/dualstat"
check "systemd-analyze verify: the installed units with their drop-ins" systemd-analyze verify \
    --man=no --root="$V" dualstat.socket dualstat.service dualstat-prune.timer \
    dualstat-prune.service dualstat-ingest@www.example.org.service 2> "$W/verify.err"
expect_eq "verify says nothing" "" "$(cat "$W/verify.err")"
for u in dualstat.service dualstat-prune.service dualstat-ingest@www.example.org.service; do
	check "systemd-analyze security: installed $u's exposure at most 2.0" \
	    into "$W/security-$u.out" systemd-analyze security --offline=yes --root="$V" \
	    --threshold=20 "$u"
	contains "$u: exposure judged" "Overall exposure level for $u" "$W/security-$u.out"
done

# ---- the user and its state directory
inroot getent passwd dualstat > "$W/passwd.out" || fail "no user dualstat"
IFS=: read -r _ _ uid _ _ home shell < "$W/passwd.out" || true
check "dualstat is a system user (uid $uid < 1000)" test "${uid:-1000}" -lt 1000
expect_eq "its home and shell" "/var/lib/dualstat /usr/sbin/nologin" "$home $shell"
check "group dualstat" into "$W/group.out" inroot getent group dualstat
expect_eq "/var/lib/dualstat: dualstat's, 0700" "dualstat dualstat 700" \
    "$(inroot stat -c '%U %G %a' /var/lib/dualstat 2>&1)"

# As that user, with the packaged configuration: a CGI visit is recorded, prune runs.
asuser env GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET SCRIPT_NAME= PATH_INFO=/ \
    QUERY_STRING= SERVER_ADDR=::1 HTTP_HOST=deb.test REMOTE_ADDR=2001:db8:deb::1 \
    dualstat < /dev/null > "$W/cgi.out" 2> "$W/cgi.err" || fail "CGI visit: $(cat "$W/cgi.err")"
expect_eq "CGI landing page as dualstat" 200 "$(status_of "$W/cgi.out")"
asuser dualstat report --days 1 --format json > "$W/report.json" 2>&1 || fail "dualstat report"
contains "the visit is in /var/lib/dualstat's database" '"total":1,"ipv4":0,"ipv6":1,' "$W/report.json"
asuser dualstat prune > "$W/prune.out" 2>&1 || fail "dualstat prune: $(cat "$W/prune.out")"
contains "prune as dualstat" "pruned 0 rows" "$W/prune.out"
expect_eq "the database: dualstat's, 0600" "dualstat 600" \
    "$(inroot stat -c '%U %a' /var/lib/dualstat/dualstat.db 2>&1)"

# ---- remove keeps the configuration and the database
check "dpkg --remove" into "$W/remove.log" inroot dpkg --remove dualstat
expect_eq "removed, its configuration left" "deinstall ok config-files" \
    "$(inroot dpkg-query -W -f='${Status}' dualstat 2>&1)"
check "remove: the binary is gone" test ! -e "$R/usr/bin/dualstat"
check "remove: the units are gone" test ! -e "$R/lib/systemd/system/dualstat.service"
check "remove: /etc/dualstat.conf stays" test -f "$R/etc/dualstat.conf"
check "remove: the database stays" test -f "$R/var/lib/dualstat/dualstat.db"

# ---- purge removes what the package made, but the user
check "dpkg --purge" into "$W/purge.log" inroot dpkg --purge dualstat
st=0
inroot dpkg-query -W dualstat > /dev/null 2>&1 || st=$?
check "purged: dpkg knows no dualstat" test "$st" -ne 0
check "purge: /etc/dualstat.conf is gone" test ! -e "$R/etc/dualstat.conf"
check "purge: /var/lib/dualstat and its database are gone" test ! -e "$R/var/lib/dualstat"
check "purge: /usr/share/dualstat is gone" test ! -e "$R/usr/share/dualstat"
check "purge: the socket's enable link is gone" \
    test ! -e "$R/etc/systemd/system/sockets.target.wants/dualstat.socket" -a \
    ! -L "$R/etc/systemd/system/sockets.target.wants/dualstat.socket"
check "purge: the timer's enable link is gone" \
    test ! -L "$R/etc/systemd/system/timers.target.wants/dualstat-prune.timer"
check "purge: the user stays (Debian keeps system users; README.Debian)" \
    into "$W/passwd-after.out" inroot getent passwd dualstat
finish
