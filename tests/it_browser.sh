#!/bin/sh
# it_browser.sh: the report in a real browser.  The bundled lighttpd configuration runs dualstat
# over a database seeded with known rows; headless Chromium (Debian's chromium) loads the report
# and the test asserts no console messages and no CSP violations (proven able to fail against a
# page that breaks the policy), the SVG charts with one point per hour that has requests and one
# bar per family and hour that has requests of it, hostile host names as text only, and saves
# screenshots at desktop width and at 320 px.  At 320 px the page, measured over the DevTools
# protocol, must not scroll sideways nor cut a table off.  Printed to PDF, the report shows the
# tables folded on screen and the charts in colour.  Every page's HTML (landing, report, status,
# 400, 403, 404, 405, 500, 503, the setup check) is validated with tidy.  Last, the stylesheet
# dualstat serves itself is shown applied under the real CSP (and a page without one not).
. "${top_srcdir:-.}/tests/lib.sh"
need_sqlite3
need_cmd "${LIGHTTPD:=lighttpd}" lighttpd
need_cmd "${CURL:=curl}" curl
need_cmd tidy tidy
need_cmd perl perl
need_cmd pdftotext poppler-utils
need_cmd pdftoppm poppler-utils
CHROMIUM=${CHROMIUM:-chromium}
need_cmd "$CHROMIUM" chromium
PORT=$(free_port 61)
# The site name is markup-like: the page must show it as text.
printf 'database = %s\nsite_name = browser & <i>test</i> site\nstatic_url = /static\n' \
    "$DB" > "$CONF"

S="$W/state"
mkdir -p "$S/htdocs" "$RUN"
chmod 0700 "$RUN"
# lighttpd names its bin-path socket @RUNDIR@/dualstat.sock-0.
sock_fits "$RUN/dualstat.sock-0"
sh "$top_srcdir/conf/fill.sh" "$top_srcdir/conf/lighttpd/dualstat.conf.in" \
    DUALSTAT="$DUALSTAT" DUALSTAT_CONF="$CONF" RUNDIR="$RUN" \
    WWW="$top_srcdir/www" > "$W/site.conf"
sh "$top_srcdir/conf/fill.sh" "$top_srcdir/conf/lighttpd/lighttpd.conf.in" \
    PORT="$PORT" BIND4=127.0.0.1 BIND6='[::1]' STATE="$S" \
    SITE="$W/site.conf" > "$W/lighttpd.conf"

# The control: a page that breaks its own (meta) policy with an inline
# script, served by a second, static-only lighttpd (the bundled one sends
# every path but /static/ to dualstat), so the detection below must see it.
C="$W/control"
mkdir -p "$C/htdocs"
cat > "$C/htdocs/csp-violation.html" <<'EOF'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'">
<title>CSP control</title></head>
<body><p>control</p><script>document.title = "ran";</script></body></html>
EOF
CPORT=$(free_port 62)
cat > "$C/lighttpd.conf" <<EOF
server.document-root = "$C/htdocs"
server.pid-file = "$C/lighttpd.pid"
server.errorlog = "$C/error.log"
server.port = $CPORT
server.bind = "127.0.0.1"
mimetype.assign = ( ".html" => "text/html; charset=utf-8" )
EOF
# A server that was found but does not listen is a failure, not a skip:
# say so with what it logged, and stop (nothing below can run without it).
down() {	# WHAT LOG...
	fail "$1 did not listen"
	shift
	for _log; do
		[ -s "$_log" ] && { echo "---- $_log"; cat "$_log"; }
	done
	finish
	exit 1
}
"$LIGHTTPD" -D -f "$C/lighttpd.conf" > "$C/lighttpd.out" 2>&1 &
track $!

"$LIGHTTPD" -D -f "$W/lighttpd.conf" > "$W/lighttpd.out" 2>&1 &
LPID=$!
track "$LPID"
wait_for listening "$PORT" || down "lighttpd on port $PORT" "$W/lighttpd.out" "$S/error.log"
U="http://127.0.0.1:$PORT"

# ---- seed: one real visit creates the database (and is a row); then known raw rows
N=$(date +%s)
expect_eq "landing page" 200 "$(get "$U/")"
for k in $(ps -o pid= --ppid "$LPID" 2>/dev/null); do track "$k"; done
EVIL='<b id="evil">x</b>&"'"'"'.example'
ins() {	# AGO FAMILY KIND PREFIX MAPPED SERVER_FAMILY HOST HOW
	echo "INSERT INTO request (time, family, kind, prefix, mapped, server_family, host, how, via_proxy)" \
	    "VALUES ($((N - $1)), $2, '$3', '$4', $5, $6, '$7', '$8', 0);"
}
{
	echo "BEGIN;"
	ins 3600 6 global 2001:db8:1::/48 0 6 www.example beacon
	ins 3600 6 global 2001:db8:1::/48 0 6 www.example beacon
	ins 3600 6 global 2001:db8:2::/48 0 6 www.example beacon
	ins 3600 4 global 192.0.2.0/24 0 4 www.example beacon
	ins 10800 4 global 198.51.100.0/24 1 6 www.example page
	ins 10800 4 global 198.51.100.0/24 0 4 www.example page
	ins 10800 6 6to4 2002:c000:200::/48 0 6 www.example page
	ins 18000 6 teredo 2001:0:4136::/48 0 6 "$(printf '%s' "$EVIL" | sed "s/'/''/g")" authorizer
	ins 18000 4 private 10.0.0.0/24 0 4 "$(printf '%s' "$EVIL" | sed "s/'/''/g")" authorizer
	ins 172800 6 global 2001:db8:1::/48 0 6 www.example beacon
	ins 345600 4 global 192.0.2.0/24 0 4 www.example beacon
	echo "COMMIT;"
} > "$W/seed.sql"
check "seed rows" "${SQLITE3:-sqlite3}" -batch "$DB" ".read $W/seed.sql"
expect_eq "rows in the database" 12 "$(sql 'SELECT count(*) FROM request')"

# ---- the browser
# Flags: no sandbox (root in a container), nothing fetched from the network,
# a profile of its own; console messages go to stderr (--enable-logging).
browser() {	# OUT ERR WHAT COMMAND...: COMMAND ends in the browser; the flags follow it
	_out=$1 _err=$2 _what=$3
	shift 3
	_prof=$(mktemp -d "$W/profile.XXXXXX")
	timeout 60 "$@" --headless --no-sandbox --disable-gpu --disable-quic \
	    --disable-crash-reporter --disable-breakpad \
	    --no-first-run --disable-background-networking --disable-component-update \
	    --disable-sync --disable-extensions --hide-scrollbars --user-data-dir="$_prof" \
	    --enable-logging=stderr --v=0 > "$_out" 2> "$_err" &
	_cpid=$!
	track "$_cpid"
	wait "$_cpid" || fail "chromium exited with $? for $_what: $(grep -v '^\[' "$_err" | tail -n 3)"
	# Helpers (crashpad) may outlive the browser: stop them by PID, found
	# by this run's own profile folder.
	for _p in $(ps -eo pid=,args= | grep -F -- "--user-data-dir=$_prof" | grep -v grep | awk '{ print $1 }'); do
		kill "$_p" 2>/dev/null || true
	done
	rm -rf "$_prof"
}
chrome() {	# OUT ERR URL [FLAGS...]
	_o=$1 _e=$2 _u=$3
	shift 3
	browser "$_o" "$_e" "$_u" "$CHROMIUM" "$@" "$_u"
}

# What a page measures in the browser: Chromium's command line prints no
# layout, so a small client of the DevTools protocol (perl, which Debian's
# build-essential brings) loads the page and evaluates one expression.
cat > "$W/cdp.pl" <<'PERL'
# cdp.pl WIDTH HEIGHT URL EXPRESSION -- BROWSER [FLAGS...]: load URL in a
# WIDTH x HEIGHT viewport, wait for the load event and print the value of
# the JavaScript EXPRESSION.  The browser is driven over the DevTools
# protocol on its fds 3 (commands) and 4 (answers and events), one JSON
# message per NUL-terminated record (--remote-debugging-pipe).
use strict;
use warnings;
use JSON::PP;
use POSIX ();

my ($width, $height, $url, $expr, $dashes, @browser) = @ARGV;
die "usage: cdp.pl WIDTH HEIGHT URL EXPRESSION -- BROWSER [FLAGS...]\n"
    unless defined $dashes && $dashes eq '--' && @browser;
$^F = 255;	# the pipes stay open across exec
pipe(my $cmd_r, my $cmd_w) or die "pipe: $!";
pipe(my $ans_r, my $ans_w) or die "pipe: $!";
my $pid = fork // die "fork: $!";
if ($pid == 0) {
	# Through fds 10 and 11, so neither dup2 overwrites the other's source.
	POSIX::dup2(fileno($cmd_r), 10) // die "dup2: $!";
	POSIX::dup2(fileno($ans_w), 11) // die "dup2: $!";
	POSIX::dup2(10, 3) // die "dup2: $!";
	POSIX::dup2(11, 4) // die "dup2: $!";
	POSIX::close($_) for 10, 11;
	exec @browser, '--remote-debugging-pipe' or die "exec $browser[0]: $!";
}
close $cmd_r;
close $ans_w;
$SIG{ALRM} = sub { kill 'TERM', $pid; die "cdp.pl: no answer in 40 s\n" };
alarm 40;

my $json = JSON::PP->new->canonical;
my ($id, $buf, @events) = (0, '');

sub receive {
	while (1) {
		my $i = index($buf, "\0");
		if ($i >= 0) {
			my $m = substr($buf, 0, $i);
			$buf = substr($buf, $i + 1);
			return $json->decode($m);
		}
		sysread($ans_r, $buf, 65536, length $buf)
		    or die "cdp.pl: the browser closed its pipe\n";
	}
}

# One command and its result; events that come first wait for await().
sub call {
	my ($method, $params, $session) = @_;
	my $m = { id => ++$id, method => $method, params => $params // {} };
	$m->{sessionId} = $session if defined $session;
	my $s = $json->encode($m) . "\0";
	syswrite($cmd_w, $s) == length $s or die "cdp.pl: write: $!\n";
	while (1) {
		my $r = receive();
		if (!defined $r->{id}) {
			push @events, $r;
		} elsif ($r->{id} == $id) {
			die "cdp.pl: $method: " . $json->encode($r->{error}) . "\n"
			    if $r->{error};
			return $r->{result};
		}
	}
}

sub await {
	my ($method, $session) = @_;
	while (1) {
		my $e = @events ? shift @events : receive();
		return if ($e->{method} // '') eq $method &&
		    ($e->{sessionId} // '') eq $session;
	}
}

my $t = call('Target.createTarget', { url => 'about:blank' })->{targetId};
my $s = call('Target.attachToTarget',
    { targetId => $t, flatten => JSON::PP::true })->{sessionId};
call('Emulation.setDeviceMetricsOverride', { width => 0 + $width,
    height => 0 + $height, deviceScaleFactor => 1, mobile => JSON::PP::false }, $s);
call('Page.enable', {}, $s);
call('Page.navigate', { url => $url }, $s);
await('Page.loadEventFired', $s);
my $r = call('Runtime.evaluate',
    { expression => $expr, returnByValue => JSON::PP::true }, $s);
die "cdp.pl: " . $json->encode($r->{exceptionDetails}) . "\n"
    if $r->{exceptionDetails};
my $v = $r->{result}{value};
print ref $v ? $json->encode($v) : $v // 'undefined', "\n";
eval { call('Browser.close') };
alarm 0;
waitpid $pid, 0;
PERL
measure() {	# OUT ERR URL WIDTH HEIGHT EXPRESSION
	browser "$1" "$2" "$3" perl "$W/cdp.pl" "$4" "$5" "$3" "$6" -- "$CHROMIUM"
}
# Console lines ("INFO:CONSOLE") and any CSP report, whatever Chromium's wording.
console() {
	grep -E ':CONSOLE[(:]|Content[- ]Security[- ]Policy|Refused to' "$1" > "$1.console" || true
}

wait_for sh -c "ss -Hltn '( sport = :$CPORT )' | grep -q ." ||
    down "the control lighttpd on port $CPORT" "$C/lighttpd.out" "$C/error.log"
chrome "$W/control.dom" "$W/control.err" "http://127.0.0.1:$CPORT/csp-violation.html" --dump-dom
console "$W/control.err"
contains "the control page loaded" "<p>control</p>" "$W/control.dom"
contains "a CSP violation is detected" "Content Security Policy" "$W/control.err.console"
lacks "the control's inline script did not run" "<title>ran</title>" "$W/control.dom"

for q in "days=1" "days=7" "days=365" "days=1&host=www.example&how=beacon"; do
	f=$(echo "$q" | tr '=&' '__')
	chrome "$W/$f.dom" "$W/$f.err" "$U/report?$q" --dump-dom
	console "$W/$f.err"
	expect_eq "report?$q: no console messages or CSP violations" "" "$(cat "$W/$f.err.console")"
	contains "report?$q: loaded" "</html>" "$W/$f.dom"
	contains "report?$q: has the chart" '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' "$W/$f.dom"
	contains "report?$q: chart has a title" "<title>IPv6 share over time</title>" "$W/$f.dom"
done

# One point per bucket with requests: the visit's hour and the three seeded hours.
expect_eq "24 hours: four points" 4 "$(grep -o '<circle class="pt"' "$W/days_1.dom" | wc -l)"
expect_eq "24 hours: 24 hourly rows in the table" 24 \
    "$(sed -n '/<summary>The IPv6 share as a table/,/<\/details>/p' "$W/days_1.dom" | grep -c '<th scope="row">')"
want7=$(sql "SELECT count(DISTINCT time / 86400) FROM request")
expect_eq "7 days: one point per day with requests" "$want7" "$(grep -o '<circle class="pt"' "$W/days_7.dom" | wc -l)"
expect_eq "1 year: the same days" "$want7" "$(grep -o '<circle class="pt"' "$W/days_365.dom" | wc -l)"
expect_eq "filtered: the one beacon hour" 1 \
    "$(grep -o '<circle class="pt"' "$W/days_1_host_www.example_how_beacon.dom" | wc -l)"
contains "filtered: headline counts only beacon rows of www.example" \
    "<strong>75.0 %</strong> of 4 requests came over IPv6" "$W/days_1_host_www.example_how_beacon.dom"

# The family chart: for each bucket with requests, an IPv4 bar if it had
# IPv4 requests and an IPv6 bar above it if it had IPv6 ones.  The legend's
# two squares are rects too, outside the bars' group.
bars() {	# FILE CLASS
	sed -n '/<g class="bars">/,/<\/g>/p' "$1" | grep -c "<rect class=\"$2\"" || true
}
expect_eq "24 hours: IPv4 bars in the visit's hour and the three seeded hours" 4 "$(bars "$W/days_1.dom" v4)"
expect_eq "24 hours: IPv6 bars in the three seeded hours" 3 "$(bars "$W/days_1.dom" v6)"
for d in 7 365; do
	expect_eq "$d days: one IPv4 bar per day with IPv4 requests" \
	    "$(sql "SELECT count(DISTINCT time / 86400) FROM request WHERE family = 4")" \
	    "$(bars "$W/days_$d.dom" v4)"
	expect_eq "$d days: one IPv6 bar per day with IPv6 requests" \
	    "$(sql "SELECT count(DISTINCT time / 86400) FROM request WHERE family = 6")" \
	    "$(bars "$W/days_$d.dom" v6)"
done
expect_eq "filtered: the beacon hour's IPv4 bar" 1 "$(bars "$W/days_1_host_www.example_how_beacon.dom" v4)"
expect_eq "filtered: the beacon hour's IPv6 bar" 1 "$(bars "$W/days_1_host_www.example_how_beacon.dom" v6)"
contains "filtered: the IPv6 bar is of its 3 requests" ": 3 IPv6</title></rect>" \
    "$W/days_1_host_www.example_how_beacon.dom"

# Hostile host names are text, never markup, in the page the browser built.
contains "the host name is shown" '&lt;b id="evil"&gt;x&lt;/b&gt;&amp;' "$W/days_1.dom"
lacks "no injected element" '<b id="evil"' "$W/days_1.dom"
lacks "no injected italics from the site name" '<i>test</i>' "$W/days_1.dom"

# ---- screenshots, for people to look at: desktop and 320 px wide
chrome "$W/shot.out" "$W/shot.err" "$U/report?days=1" --screenshot="$W/report.png" --window-size=1280,1800
check "desktop screenshot saved" test -s "$W/report.png"
chrome "$W/shot320.out" "$W/shot320.err" "$U/report?days=7" --screenshot="$W/report-320.png" --window-size=320,1400
check "320 px screenshot saved" test -s "$W/report-320.png"
console "$W/shot320.err"
expect_eq "320 px: no console messages" "" "$(cat "$W/shot320.err.console")"

# ---- the page works at 320 px: it never scrolls sideways, and no table
# is cut off inside its own scrolling box (every column is on screen).
# Lines: the viewport's width, the page's, then one per element that is
# cut off or that sticks out of a parent that fits.
WIDTHS='(() => {
	const name = (e) => e.tagName.toLowerCase() + (e.className ? "." + e.className : "") +
	    " in \"" + ((e.closest("section") || document.body).querySelector("h2, h1") || {}).textContent + "\"";
	const out = ["viewport " + window.innerWidth, "page " + document.documentElement.scrollWidth];
	for (const e of document.querySelectorAll("body *")) {
		const r = e.getBoundingClientRect();
		if (e.scrollWidth > e.clientWidth && getComputedStyle(e).overflowX !== "visible")
			out.push("cut " + name(e) + ": " + e.scrollWidth + " px in " + e.clientWidth);
		else if (r.right > window.innerWidth + 0.5 &&
		    e.parentElement.getBoundingClientRect().right <= window.innerWidth + 0.5)
			out.push("over " + name(e) + ": right edge at " + Math.round(r.right) + " px");
	}
	return out.join("\n");
})()'
for q in "days=1" "days=7"; do
	f=w320_$(echo "$q" | tr '=&' '__')
	measure "$W/$f.out" "$W/$f.err" "$U/report?$q" 320 800 "$WIDTHS"
	expect_eq "320 px, report?$q: measured at 320 px" "viewport 320" "$(grep '^viewport ' "$W/$f.out")"
	pw=$(sed -n 's/^page //p' "$W/$f.out")
	if [ -n "$pw" ] && [ "$pw" -le 320 ]; then
		ok
	else
		fail "320 px, report?$q: the page scrolls sideways (${pw:-no measure} px wide): $(grep '^over ' "$W/$f.out" | head -n 5)"
	fi
	expect_eq "320 px, report?$q: no table cut off" "" "$(grep '^cut ' "$W/$f.out" || true)"
done

# ---- readable in print.  Thirty days fold their two tables away on screen
# (more rows than a week's); the print must show every row of them, and the
# charts, in their colours.
expect_eq "30 days: the report" 200 "$(get "$U/report?days=30")"
cp "$W/b" "$W/days_30.html"
for t in "The IPv6 share as a table" "Requests by family as a table"; do
	expect_eq "30 days: $t is folded on screen" "<details>" \
	    "$(grep -B 1 -F "<summary>$t</summary>" "$W/days_30.html" | head -n 1)"
done
chrome "$W/print.out" "$W/print.err" "$U/report?days=30" --print-to-pdf="$W/report.pdf" \
    --no-pdf-header-footer
check "print: PDF saved" test -s "$W/report.pdf"
check "print: pdftotext" pdftotext -layout "$W/report.pdf" "$W/report.txt"
# pdftotext spaces words by their distance, not as the page had them: both
# sides are compared without white space, one table row or label a line.
tr -d ' \t' < "$W/report.txt" > "$W/report.words"
sed -n '/<summary>.* as a table<\/summary>/,/<\/details>/p' "$W/days_30.html" |
    grep '^<tr><th scope="row">' | sed 's/<[^>]*>//g; s/[[:space:]]//g' > "$W/folded.rows"
expect_eq "print: the folded tables have 30 rows each" 60 "$(wc -l < "$W/folded.rows")"
expect_eq "print: every row of the folded tables is printed" "" \
    "$(grep -vxF -f "$W/report.words" "$W/folded.rows" | head -n 5)"
for l in "100%" "75%" "50%" "25%" "0%"; do
	check "print: the share chart's label $l" grep -qxF "$l" "$W/report.words"
done
check "print: the family chart's legend" grep -qxF "IPv4IPv6" "$W/report.words"
# The first chart follows the headline on the first page (a section kept
# whole with its long table would push it to the next one).
pdftotext -f 1 -l 1 -layout "$W/report.pdf" - | tr -d ' \t' > "$W/page1.words"
check "print: the share chart is on the first page" grep -qxF "75%" "$W/page1.words"
# The charts are drawn, in the families' colours (--v4 and --v6 of the
# stylesheet, which print keeps): count pixels of exactly those colours.
pdftoppm -r 50 "$W/report.pdf" "$W/print"
perl -e 'my %n;
	for my $f (@ARGV) {
		open my $h, "<:raw", $f or die "$f: $!";
		local $/;
		my $d = <$h>;
		$d =~ s/\AP6\s+\d+\s+\d+\s+255\s//s or die "$f: not a PPM";
		$n{unpack "H6", substr($d, 3 * $_, 3)}++ for 0 .. length($d) / 3 - 1;
	}
	printf "v4 %d\nv6 %d\n", $n{e08a00} // 0, $n{"0b5cad"} // 0' "$W"/print-*.ppm > "$W/colours"
for c in v4 v6; do
	n=$(sed -n "s/^$c //p" "$W/colours")
	if [ "${n:-0}" -gt 0 ]; then ok; else fail "print: no pixel of the $c colour"; fi
done

# ---- every page's HTML is valid: tidy prints nothing and exits 0
valid() {	# NAME FILE
	if tidy -q -e "$2" > "$W/tidy.out" 2>&1; then
		ok
	else
		fail "$1: tidy: $(head -n 5 "$W/tidy.out")"
	fi
}
for page in "/" "/report" "/report?days=1" "/report?days=30&how=page" \
    "/report?from=2026-01-01&to=2026-01-02" "/status" "/check" "/report?days=2" "/nope"; do
	code=$(get "$U$page")
	case $page in
	*days=2)	expect_eq "$page is a 400" 400 "$code" ;;
	/nope)		expect_eq "$page is a 404" 404 "$code" ;;
	*)		expect_eq "$page is a 200" 200 "$code" ;;
	esac
	valid "$page" "$W/b"
done
get "$U/report?days=2" > /dev/null
contains "the 400 page says what is wrong" "days must be one of 1, 7, 30, 90, 365" "$W/b"
expect_eq "a bad filter is a 400" 400 "$(get "$U/report?how=nope")"
contains "the 400 page names the filter" "how: &quot;nope&quot; is not one of" "$W/b"
valid "400 for how" "$W/b"
# The pages below come from dualstat as CGI; the page is what follows the headers.
cgi_page() {	# CODE PATH REMOTE_ADDR [VAR=VALUE...]: saved as $W/CODE.html
	_code=$1
	shift
	cgi "$@"
	expect_eq "$1 from $2 is a $_code" "$_code" "$(status_of)"
	sed '1,/^\r\{0,1\}$/d' "$W/out" > "$W/$_code.html"
	contains "the $_code page is a page" "</html>" "$W/$_code.html"
	valid "$_code for $1" "$W/$_code.html"
}
# 403: the report asked from an address admin_allow does not list.
cgi_page 403 /report 192.0.2.1
# 405: a POST, through the web server.
expect_eq "a POST of the report is a 405" 405 "$(get "$U/report" --data '')"
contains "the 405 page says which methods" "Only GET and HEAD" "$W/b"
valid "405" "$W/b"
# 500: a configuration dualstat cannot read.
echo "a line without an equals sign" > "$W/broken.conf"
cgi_page 500 / 127.0.0.1 DUALSTAT_CONF="$W/broken.conf"
# 503: the database in a folder that cannot be made (below a regular file):
# the report cannot be computed and the status page says the database is down.
echo "database = $W/broken.conf/db/dualstat.db" > "$W/nodb.conf"
cgi_page 503 /report 127.0.0.1 DUALSTAT_CONF="$W/nodb.conf"
contains "the 503 page says the database cannot be opened" "The database cannot be opened" "$W/503.html"
mv "$W/503.html" "$W/503-report.html"
cgi_page 503 /status 127.0.0.1 DUALSTAT_CONF="$W/nodb.conf"
contains "the 503 status page says why" "Not a directory" "$W/503.html"

# ---- the stylesheet dualstat serves itself (static_url = its own path, here the site root),
# applied under the real Content-Security-Policy: the page's computed --v6 colour is the
# stylesheet's.  The control, a static_url where nothing is, measures no colour.
restart_with() {	# STATIC_URL
	kill "$LPID"
	wait "$LPID" 2>/dev/null || true
	wait_for sh -c "! ss -Hltn '( sport = :$PORT )' | grep -q ." || down "lighttpd stopping" "$S/error.log"
	printf 'database = %s\nstatic_url = %s\n' "$DB" "$1" > "$CONF"
	"$LIGHTTPD" -D -f "$W/lighttpd.conf" > "$W/lighttpd.out" 2>&1 &
	LPID=$!
	track "$LPID"
	wait_for listening "$PORT" || down "lighttpd on port $PORT again" "$W/lighttpd.out" "$S/error.log"
}
V6_COLOUR='getComputedStyle(document.documentElement).getPropertyValue("--v6").trim() || "none"'
restart_with /
expect_eq "built-in stylesheet: the landing page links it" 200 "$(get "$U/")"
contains "built-in stylesheet: linked from dualstat's own path" 'href="/dualstat.css"' "$W/b"
measure "$W/own-css.out" "$W/own-css.err" "$U/" 1024 800 "$V6_COLOUR"
console "$W/own-css.err"
expect_eq "built-in stylesheet: applied under the CSP" "#0b5cad" "$(cat "$W/own-css.out")"
expect_eq "built-in stylesheet: no console messages or CSP violations" "" "$(cat "$W/own-css.err.console")"
measure "$W/own-report.out" "$W/own-report.err" "$U/report?days=7" 320 800 "$V6_COLOUR"
expect_eq "built-in stylesheet: applied to the report" "#0b5cad" "$(cat "$W/own-report.out")"
restart_with /nowhere
measure "$W/no-css.out" "$W/no-css.err" "$U/" 1024 800 "$V6_COLOUR"
expect_eq "control: no stylesheet, no colour" "none" "$(cat "$W/no-css.out")"

sleep 0.5
expect_eq "no browser process left" "" \
    "$(ps -eo pid=,args= | grep -F -- "--user-data-dir=$W/profile." | grep -v grep || true)"

finish
