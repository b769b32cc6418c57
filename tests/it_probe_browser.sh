#!/bin/sh
# it_probe_browser.sh: readiness probes in a real browser over real networks.  The bundled
# lighttpd configuration (lighttpd.conf.in, dualstat.conf.in, probe-hosts.conf.in) runs in a
# network namespace of its own on the wildcards; three client namespaces reach it over veth
# pairs: one with IPv4 only, one dual-stack, one with IPv6 only.  Headless Chromium in each loads
# the landing page, the site and probe names mapped to documentation addresses with
# --host-resolver-rules (the IPv6-only name to an IPv6 address, the IPv4-only name to an IPv4
# one).  The test asserts which probe images each browser showed as reached (over the DevTools
# protocol), saves a screenshot of each landing page, and, once the probes expired, the exact
# counts in report.json: each client's probes reached as its network allows, and none counted
# as a request.  Through the probe host names only the completion answers: the landing page,
# the report, /status and the stylesheet are 404 there.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/netns.sh"
need_sqlite3
need_cmd "${LIGHTTPD:=lighttpd}" lighttpd
need_cmd "${CURL:=curl}" curl
need_cmd perl perl
CHROMIUM=${CHROMIUM:-chromium}
need_cmd "$CHROMIUM" chromium
[ "$(id -u)" -eq 0 ] || skip "needs root for network namespaces"
command -v ip >/dev/null 2>&1 || skip "ip not found (Debian package iproute2)"
perl -MJSON::PP -e 1 2>/dev/null || skip "perl's JSON::PP not found (Debian package perl)"

PORT=8080
TAG=$$
SNS="dsp-s-$TAG"
ip netns add "$SNS" || skip "cannot create a network namespace"
at_cleanup 'ip netns delete "$SNS" 2>/dev/null || true'
ip netns exec "$SNS" ip link set lo up

# client NAME V4NET V6NET: a namespace dsp-NAME-PID joined to the server's by a veth pair;
# V4NET "192.0.2" gives the client .10 and the server .1 (/24), V6NET "2001:db8:46" gives
# ::10 and ::1 (/64); "-" for none.
client() {
	_ns="dsp-$1-$TAG"
	ip netns add "$_ns" || skip "cannot create namespace $_ns"
	at_cleanup "ip netns delete $_ns 2>/dev/null || true"
	ip link add "ds$1$TAG" type veth peer name "dc$1$TAG" || skip "cannot create a veth pair"
	ip link set "ds$1$TAG" netns "$SNS"
	ip link set "dc$1$TAG" netns "$_ns"
	ip netns exec "$_ns" ip link set lo up
	if [ "$2" != - ]; then
		ip netns exec "$SNS" ip addr add "$2.1/24" dev "ds$1$TAG"
		ip netns exec "$_ns" ip addr add "$2.10/24" dev "dc$1$TAG"
	fi
	if [ "$3" != - ]; then
		ip netns exec "$SNS" ip -6 addr add "$3::1/64" dev "ds$1$TAG" nodad
		ip netns exec "$_ns" ip -6 addr add "$3::10/64" dev "dc$1$TAG" nodad
	else
		# No IPv6 at all, not even link-local: an IPv4-only client.
		ip netns exec "$_ns" sysctl -qw "net.ipv6.conf.dc$1$TAG.disable_ipv6=1"
	fi
	ip netns exec "$SNS" ip link set "ds$1$TAG" up
	ip netns exec "$_ns" ip link set "dc$1$TAG" up
}
client v4 192.0.2 -
client ds 198.51.100 2001:db8:46
client v6 - 2001:db8:6

# ---- the bundled files, with only their placeholders filled in
printf 'database = %s\nsite_name = probe test site\nprobe_v6_url = http://v6.probe.test:%s\nprobe_v4_url = http://v4.probe.test:%s\nprobe_timeout = 3\n' \
    "$DB" "$PORT" "$PORT" > "$CONF"
S="$W/state"
mkdir -p "$S/htdocs" "$RUN" "$W/sites"
chmod 0700 "$RUN"
sock_fits "$RUN/dualstat.sock-0"
sh "$top_srcdir/conf/fill.sh" "$top_srcdir/conf/lighttpd/dualstat.conf.in" \
    DUALSTAT="$DUALSTAT" DUALSTAT_CONF="$CONF" RUNDIR="$RUN" \
    WWW="$top_srcdir/www" > "$W/sites/1-site.conf"
sh "$top_srcdir/conf/fill.sh" "$top_srcdir/conf/lighttpd/probe-hosts.conf.in" \
    PROBE_V6_HOST=v6.probe.test PROBE_V4_HOST=v4.probe.test > "$W/sites/2-probe-hosts.conf"
sh "$top_srcdir/conf/fill.sh" "$top_srcdir/conf/lighttpd/lighttpd.conf.in" \
    PORT="$PORT" BIND4=0.0.0.0 BIND6='[::]' STATE="$S" \
    SITE="$W/sites/*.conf" > "$W/lighttpd.conf"
check "lighttpd accepts the bundled configuration" "$LIGHTTPD" -tt -f "$W/lighttpd.conf"
ip netns exec "$SNS" "$LIGHTTPD" -D -f "$W/lighttpd.conf" > "$W/lighttpd.out" 2>&1 &
LPID=$!
track "$LPID"
IN="ip netns exec $SNS"
if ! wait_for ns_listening "$PORT" 2; then
	cat "$W/lighttpd.out" "$S/error.log" 2>/dev/null || true
	fail "lighttpd did not listen on port $PORT"
	finish || exit 1
fi

# A small client of the DevTools protocol: load URL, wait for the load event, print the
# value of EXPRESSION (the probe images' outcomes), and save a screenshot to SHOT.
cat > "$W/cdp.pl" <<'PERL'
use strict;
use warnings;
use JSON::PP;
use MIME::Base64;
use POSIX ();

my ($url, $expr, $shot, $dashes, @browser) = @ARGV;
die "usage: cdp.pl URL EXPRESSION SHOT -- BROWSER [FLAGS...]\n"
    unless defined $dashes && $dashes eq '--' && @browser;
$^F = 255;
pipe(my $cmd_r, my $cmd_w) or die "pipe: $!";
pipe(my $ans_r, my $ans_w) or die "pipe: $!";
my $pid = fork // die "fork: $!";
if ($pid == 0) {
	POSIX::dup2(fileno($cmd_r), 10) // die;
	POSIX::dup2(fileno($ans_w), 11) // die;
	POSIX::dup2(10, 3) // die;
	POSIX::dup2(11, 4) // die;
	POSIX::close($_) for 10, 11;
	exec @browser, '--remote-debugging-pipe' or die "exec: $!";
}
close $cmd_r;
close $ans_w;
$SIG{ALRM} = sub { kill 'TERM', $pid; die "cdp.pl: no answer in 50 s\n" };
alarm 50;
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
		sysread($ans_r, $buf, 65536, length $buf) or die "cdp.pl: pipe closed\n";
	}
}
sub call {
	my ($method, $params, $session) = @_;
	my $m = { id => ++$id, method => $method, params => $params // {} };
	$m->{sessionId} = $session if defined $session;
	my $s = $json->encode($m) . "\0";
	syswrite($cmd_w, $s) == length $s or die "cdp.pl: write: $!\n";
	while (1) {
		my $r = receive();
		if (!defined $r->{id}) { push @events, $r; next; }
		next if $r->{id} != $id;
		die "cdp.pl: $method: " . $json->encode($r->{error}) . "\n" if $r->{error};
		return $r->{result};
	}
}
sub await {
	my ($method, $session) = @_;
	while (1) {
		my $e = @events ? shift @events : receive();
		return if ($e->{method} // '') eq $method && ($e->{sessionId} // '') eq $session;
	}
}
my $t = call('Target.createTarget', { url => 'about:blank' })->{targetId};
my $s = call('Target.attachToTarget', { targetId => $t, flatten => JSON::PP::true })->{sessionId};
call('Emulation.setDeviceMetricsOverride', { width => 800, height => 1000,
    deviceScaleFactor => 1, mobile => JSON::PP::false }, $s);
call('Page.enable', {}, $s);
call('Page.navigate', { url => $url }, $s);
await('Page.loadEventFired', $s);
my $r = call('Runtime.evaluate', { expression => $expr, returnByValue => JSON::PP::true }, $s);
die "cdp.pl: " . $json->encode($r->{exceptionDetails}) . "\n" if $r->{exceptionDetails};
my $png = call('Page.captureScreenshot', { format => 'png' }, $s)->{data};
open(my $f, '>', $shot) or die "$shot: $!";
binmode $f;
print $f decode_base64($png);
close $f;
print $r->{result}{value} // 'undefined', "\n";
eval { call('Browser.close') };
alarm 0;
waitpid $pid, 0;
PERL

# Which probe images the page shows as reached: "6:yes 4:no self:yes".
OUTCOME='[...document.images].filter(i => i.classList.contains("probe")).map(i =>
    i.src.replace(/.*\/probe\/(.*)\.gif.*/, "$1") + ":" +
    (i.complete && i.naturalWidth > 0 ? "yes" : "no")).join(" ")'

# visit NAME SITE-ADDRESS V6-ADDRESS V4-ADDRESS: Chromium in client NAME loads the landing page.
visit() {
	_prof=$(mktemp -d "$W/profile.XXXXXX")
	timeout 90 ip netns exec "dsp-$1-$TAG" perl "$W/cdp.pl" "http://site.test:$PORT/" \
	    "$OUTCOME" "$W/landing-$1.png" -- "$CHROMIUM" --headless --no-sandbox --disable-gpu \
	    --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync --disable-extensions --hide-scrollbars \
	    --disable-crash-reporter --disable-breakpad --user-data-dir="$_prof" \
	    --host-resolver-rules="MAP site.test $2, MAP v6.probe.test $3, MAP v4.probe.test $4" \
	    > "$W/visit-$1.out" 2> "$W/visit-$1.err" &
	_cpid=$!
	track "$_cpid"
	wait "$_cpid" || fail "chromium in $1 exited with $?: $(grep -v '^\[' "$W/visit-$1.err" | tail -n 3)"
	for _p in $(ps -eo pid=,args= | grep -F -- "--user-data-dir=$_prof" | grep -v grep | awk '{ print $1 }'); do
		kill "$_p" 2>/dev/null || true
	done
	rm -rf "$_prof"
}

# IPv4 only: the site over IPv4; the IPv6-only name has an address it has no route to.
visit v4 192.0.2.1 '[2001:db8:6::1]' 192.0.2.1
expect_eq "IPv4-only client: reached the IPv4-only host and the control, not the IPv6-only one" \
    "6:no 4:yes self:yes" "$(tail -n 1 "$W/visit-v4.out")"
check "IPv4-only client: screenshot saved" test -s "$W/landing-v4.png"
# Dual-stack: the site over IPv6 (as a browser prefers), both probe hosts reachable.
visit ds '[2001:db8:46::1]' '[2001:db8:46::1]' 198.51.100.1
expect_eq "dual-stack client: reached every host" "6:yes 4:yes self:yes" "$(tail -n 1 "$W/visit-ds.out")"
check "dual-stack client: screenshot saved" test -s "$W/landing-ds.png"
# IPv6 only: the IPv4-only name has an address it has no route to.
visit v6 '[2001:db8:6::1]' '[2001:db8:6::1]' 192.0.2.1
expect_eq "IPv6-only client: reached the IPv6-only host and the control, not the IPv4-only one" \
    "6:yes 4:no self:yes" "$(tail -n 1 "$W/visit-v6.out")"
check "IPv6-only client: screenshot saved" test -s "$W/landing-v6.png"
for k in $(ps -o pid= --ppid "$LPID" 2>/dev/null); do track "$k"; done

# ---- the counts, once every probe that did not come back has expired (probe_timeout 3 s)
sleep 4
rep() {	# the owner (loopback, admin_allow's default) asks in the server's namespace
	ip netns exec "$SNS" "$CURL" -s --max-time 30 "http://127.0.0.1:$PORT/report.json?days=1" > "$W/report.json"
}
rep
contains "report.json: each probe started once per visit, reached as the network allows" \
    '"readiness":{"v6":{"started":3,"reached":2,"wrong_family":0},"v4":{"started":3,"reached":2,"wrong_family":0},"self":{"started":3,"reached":3,"wrong_family":0}' \
    "$W/report.json"
contains "report.json: the IPv4 visit's IPv6-only probe did not come back" \
    '{"family":4,"kind":"documentation","probe":"v6","started":1,"reached":0}' "$W/report.json"
contains "report.json: the IPv6 visits' IPv6-only probes came back" \
    '{"family":6,"kind":"documentation","probe":"v6","started":2,"reached":2}' "$W/report.json"
contains "report.json: the IPv6-only visit's IPv4-only probe did not come back" \
    '{"family":6,"kind":"documentation","probe":"v4","started":2,"reached":1}' "$W/report.json"
contains "report.json: the verdict, 2 of 3 against a control of 3 of 3" \
    '"estimate":{"share":0.666667,' "$W/report.json"
contains "report.json: the three landing pages are the only requests" \
    '"total":3,"ipv4":1,"ipv6":2,' "$W/report.json"
contains "report.json: the network an IPv6-only site would lose" \
    '"lost":[{"prefix":"192.0.2.0/24","family":4,"kind":"documentation","not_reached":1}]' \
    "$W/report.json"
expect_eq "no start left once resolved" 0 "$(sql 'SELECT count(*) FROM probe')"

# ---- the probe host names answer the completion only (probe-hosts.conf.in), even to the
# owner's own address; the site's name still answers the same pages
code() {	# code NAME PATH: the status of http://NAME:PORT/PATH, NAME at 127.0.0.1
	ip netns exec "$SNS" "$CURL" -s -o /dev/null -w '%{http_code}' --max-time 10 \
	    --resolve "$1:$PORT:127.0.0.1" "http://$1:$PORT$2" || true
}
for h in v6.probe.test v4.probe.test; do
	for p in / /report /report.json /status /status.json /check /dualstat.css \
	    /static/dualstat.css /beacon.gif /probe/6.gif /probe/self.gif; do
		expect_eq "$h: $p is 404" 404 "$(code $h $p)"
	done
	expect_eq "$h: the completion answers" 200 "$(code $h '/probe/done.gif?t=x')"
done
expect_eq "the site's name: report.json for the owner" 200 "$(code site.test /report.json)"
expect_eq "the site's name: /status for the owner" 200 "$(code site.test /status)"
expect_eq "the site's name: the stylesheet" 200 "$(code site.test /static/dualstat.css)"

finish
