#!/bin/sh
# e2e_serve.sh: FastCGI through the real binary: `dualstat serve` (Unix socket, 127.0.0.1, [::1])
# and the web-server way (a socket on fd 0, via spawn-fcgi), driven by cgi-fcgi, and by a
# perl client where cgi-fcgi cannot go (IPv6, a request sent in two halves).
. "${top_srcdir:-.}/tests/lib.sh"
need_sqlite3
[ -n "${CGI_FCGI:-}" ] && [ -x "$CGI_FCGI" ] || CGI_FCGI=$(command -v cgi-fcgi || true)
[ -n "$CGI_FCGI" ] || skip "cgi-fcgi not found (Debian package libfcgi-bin)"
write_conf

# fcgi SOCKET PATH REMOTE_ADDR [VAR=VALUE...]: one FastCGI request; output in $W/out.
fcgi() {
	sock=$1 path=$2 addr=$3
	shift 3
	env -i PATH="$PATH" REQUEST_METHOD=GET SCRIPT_NAME=/dualstat PATH_INFO="$path" \
	    QUERY_STRING= SERVER_ADDR=::1 HTTP_HOST=serve.test REMOTE_ADDR="$addr" "$@" \
	    timeout 10 "$CGI_FCGI" -bind -connect "$sock" < /dev/null > "$W/out" 2> "$W/fcgi.err"
}

# wait_for TEST...: up to 5 s for a condition.
wait_for() {
	i=0
	until "$@"; do
		i=$((i + 1))
		[ $i -ge 50 ] && return 1
		sleep 0.1
	done
}

# fcgi_pl ADDR [READY GO] NAME=VALUE... [-- NAME=VALUE...]: one FastCGI request
# from perl (perl-base), which, unlike cgi-fcgi, speaks IPv6 and can stop half-way:
# given READY and GO it sends BEGIN_REQUEST and the params before "--", creates
# READY, waits (up to 20 s) for GO to exist, then sends the rest.  Output in $W/out.
cat > "$W/fcgi.pl" <<'EOF'
use strict;
use warnings;
use IO::Socket::IP;
use IO::Socket::UNIX;

my $addr = shift @ARGV;
my ($ready, $go);
($ready, $go) = splice(@ARGV, 0, 2) if @ARGV >= 2 && $ARGV[0] !~ /=/;
my @parts = ('');
for my $arg (@ARGV) {
	if ($arg eq '--') { push @parts, ''; next; }
	my ($name, $value) = $arg =~ /^([^=]+)=(.*)$/s or die "bad parameter $arg\n";
	# FastCGI 1.0 §3.4: a length below 128 in one byte.
	$parts[-1] .= pack('CC', length($name), length($value)) . $name . $value;
}
sub record { my ($type, $c) = @_; return pack('CCnnCC', 1, $type, 1, length($c), 0, 0) . $c; }
sub send_all {
	my ($s, $d) = @_;
	while (length $d) {
		my $n = syswrite($s, $d);
		die "write: $!\n" unless defined $n;
		substr($d, 0, $n) = '';
	}
}
my $s = $addr =~ /^\[(.*)\]:(\d+)$/ || $addr =~ /^([\d.]+):(\d+)$/ ?
    IO::Socket::IP->new(PeerHost => $1, PeerPort => $2) :
    IO::Socket::UNIX->new(Peer => $addr);
die "connect $addr: $! $@\n" unless $s;
binmode($s);
send_all($s, record(1, pack('nCx5', 1, 0)) . record(4, shift @parts));	# BEGIN_REQUEST, RESPONDER
if (defined $ready) {
	open(my $f, '>', $ready) or die "$ready: $!\n";
	close($f);
	my $i = 0;
	select(undef, undef, undef, 0.1) until -e $go || ++$i > 200;
	die "$go never came\n" unless -e $go;
}
send_all($s, join('', map { record(4, $_) } grep { length } @parts) . record(4, '') . record(5, ''));
my ($buf, $ended) = ('', 0);
while (!$ended) {
	my $n = sysread($s, $buf, 65536, length $buf);
	die "read: $!\n" unless defined $n;
	while (length($buf) >= 8) {
		my (undef, $type, undef, $clen, $plen) = unpack('CCnnC', $buf);
		last if length($buf) < 8 + $clen + $plen;
		print substr($buf, 8, $clen) if $type == 6;	# STDOUT
		$ended = 1 if $type == 3;			# END_REQUEST
		substr($buf, 0, 8 + $clen + $plen) = '';
	}
	last if $n == 0;
}
exit($ended ? 0 : 1);
EOF
fcgi_pl() {
	timeout 30 perl "$W/fcgi.pl" "$@" > "$W/out" 2> "$W/fcgi.err"
}

# taken SOCKET: no connection waits on the Unix listener: a worker has taken each.
taken() {
	test "$(ss -Hxl | awk -v s="$1" '$5 == s { print $3 }')" = 0
}

# has_workers PID N: the server PID has exactly N live (not zombie) workers.
has_workers() {
	test "$(ps -o stat= --ppid "$1" | grep -cv '^Z')" -eq "$2"
}

# ---- serve on a Unix socket with 3 workers
SOCK=$(sock_path fcgi.sock)
"$DUALSTAT" -c "$CONF" serve --user root --listen "unix:$SOCK" --workers 3 2> "$W/serve.log" &
SERVE=$!
track $SERVE
check "unix socket appears" wait_for test -S "$SOCK"
check "three workers" wait_for has_workers $SERVE 3
expect_eq "socket mode 0660" 660 "$(stat -c %a "$SOCK")"

fcgi "$SOCK" / 2001:db8:42::1
expect_eq "landing over FastCGI" 200 "$(status_of)"
contains "landing says IPv6" "over IPv6" "$W/out"
fcgi "$SOCK" /beacon.gif 192.0.2.33 SERVER_ADDR=127.0.0.1
expect_eq "beacon over FastCGI" 200 "$(status_of)"
fcgi "$SOCK" /status.json ::1
expect_eq "status over FastCGI" 200 "$(status_of)"
contains "status says serve mode" '"mode":"serve"' "$W/out"
expect_eq "rows" "6|2001:db8:42::/48|6|page
4|192.0.2.0/24|4|beacon" "$(sql 'SELECT family, prefix, server_family, how FROM request ORDER BY id')"
# The command line reads the running server's counters, and is not kept waiting for them.
set +e
timeout 10 "$DUALSTAT" -c "$CONF" status --format json > "$W/cli.json"
rc=$?
set -e
expect_eq "dualstat status beside a running serve" 0 "$rc"
contains "dualstat status counts serve's requests" '"requests":3,' "$W/cli.json"

# ---- many requests at once through the worker pool: every answer has its row
before=$(sql 'SELECT count(*) FROM request')
n=0
loaders=""
while [ $n -lt 8 ]; do
	(
		i=0
		while [ $i -lt 25 ]; do
			env -i PATH="$PATH" REQUEST_METHOD=GET PATH_INFO=/beacon REMOTE_ADDR="2001:db8:$n::$i" \
			    SERVER_ADDR=::1 timeout 10 "$CGI_FCGI" -bind -connect "$SOCK" < /dev/null
			i=$((i + 1))
		done
	) > "$W/par.$n" 2>&1 &
	loaders="$loaders $!"
	n=$((n + 1))
done
for p in $loaders; do wait "$p"; done
answered=$(cat "$W"/par.* | grep -c '^Status: 204' || true)
expect_eq "200 concurrent beacons answered" 200 "$answered"
expect_eq "200 concurrent beacons recorded" $((before + 200)) "$(sql 'SELECT count(*) FROM request')"
expect_eq "8 prefixes among them" 8 "$(sql "SELECT count(DISTINCT prefix) FROM request WHERE how = 'beacon' AND family = 6")"

# ---- a worker that dies is replaced
victim=$(pgrep -P $SERVE | head -n 1)
kill -9 "$victim"
check "victim gone" wait_for sh -c "! ps -o pid= --ppid $SERVE | grep -qw $victim"
check "dead worker replaced" wait_for has_workers $SERVE 3
fcgi "$SOCK" /beacon 192.0.2.34
expect_eq "still serving after a worker died" 204 "$(status_of)"
contains "the replacement is logged" "replacing it" "$W/serve.log"

# ---- SIGTERM drains and exits, removing its socket
# A request a worker has begun to read when SIGTERM comes is read to its end,
# answered and recorded.  The client sends BEGIN_REQUEST and the first params,
# then waits: once the listener's queue is empty a worker has taken it (a
# worker takes what is queued in one batch; alone, this is a batch's first
# request, read while the worker may still be told to stop).  Only after the
# stop signal has reached the workers does the client send PATH_INFO and
# REMOTE_ADDR; answered from the first half alone it would get the landing
# page and leave no row.
rm -f "$W/ready" "$W/go"
fcgi_pl "$SOCK" "$W/ready" "$W/go" REQUEST_METHOD=GET SCRIPT_NAME=/dualstat \
    HTTP_HOST=serve.test -- PATH_INFO=/beacon REMOTE_ADDR=2001:db8:d7a1::1 SERVER_ADDR=::1 &
PARTIAL=$!
track $PARTIAL
check "the half-sent request is sent" wait_for test -e "$W/ready"
check "a worker has taken it" wait_for taken "$SOCK"
kill -TERM $SERVE
sleep 1
check "serve waits for the half-sent request" alive $SERVE
touch "$W/go"
check "the half-sent request ends" wait "$PARTIAL"
expect_eq "the half-sent request answered after SIGTERM" 204 "$(status_of)"
expect_eq "the half-sent request recorded" "2001:db8:d7a1::/48|beacon" \
    "$(sql "SELECT prefix, how FROM request WHERE prefix = '2001:db8:d7a1::/48'")"
check "serve exits on SIGTERM" wait_for sh -c "! kill -0 $SERVE 2>/dev/null"
rc=0
wait $SERVE || rc=$?
expect_eq "serve exits 0 after draining" 0 "$rc"
check "socket removed" test ! -e "$SOCK"
check "no worker left" test "$(pgrep -f -- "--listen unix:$SOCK" | wc -l)" -eq 0
expect_eq "integrity after shutdown" ok "$(sql 'PRAGMA integrity_check')"

# ---- TCP on 127.0.0.1 and on [::1] (opened by dualstat itself: libfcgi has no IPv6)
P4=$(free_port 51)
"$DUALSTAT" -c "$CONF" serve --user root --listen "127.0.0.1:$P4" --workers 1 2>> "$W/serve.log" &
S4=$!
track $S4
check "listens on 127.0.0.1:$P4" wait_for sh -c "ss -ltn | grep -q '127.0.0.1:$P4 '"
fcgi "127.0.0.1:$P4" /beacon 2001:db8:4::1
expect_eq "request over 127.0.0.1" 204 "$(status_of)"
P6=$(free_port 52)
"$DUALSTAT" -c "$CONF" serve --user root --listen "[::1]:$P6" --workers 1 2>> "$W/serve.log" &
S6=$!
track $S6
check "listens on [::1]:$P6 only" wait_for sh -c "ss -ltn | grep -q '\[::1\]:$P6 '"
check "the [::1] socket is IPv6-only" sh -c "! ss -ltn | grep -q '0.0.0.0:$P6 '"
# cgi-fcgi speaks no IPv6: a real request over [::1] comes from the perl client.
check "a request over [::1] ends" fcgi_pl "[::1]:$P6" REQUEST_METHOD=GET \
    SCRIPT_NAME=/dualstat PATH_INFO=/beacon HTTP_HOST=serve.test \
    REMOTE_ADDR=2001:db8:6a::1 SERVER_ADDR=::1
expect_eq "request over [::1]" 204 "$(status_of)"
expect_eq "its row, taken over IPv6" "2001:db8:6a::/48|6|beacon" \
    "$(sql "SELECT prefix, server_family, how FROM request WHERE prefix = '2001:db8:6a::/48'")"
kill -TERM $S4 $S6
check "tcp servers exit" wait_for sh -c "! kill -0 $S4 2>/dev/null && ! kill -0 $S6 2>/dev/null"

# ---- the web-server way: a listening socket on fd 0 (lighttpd bin-path, mod_fcgid, spawn-fcgi)
if command -v spawn-fcgi >/dev/null 2>&1; then
	SOCK0=$(sock_path fd0.sock)
	spawn-fcgi -n -s "$SOCK0" -- "$DUALSTAT" -c "$CONF" 2> "$W/fd0.log" &
	S0=$!
	track $S0
	check "fd 0 socket appears" wait_for test -S "$SOCK0"
	fcgi "$SOCK0" /status.json ::1
	expect_eq "FastCGI on fd 0" 200 "$(status_of)"
	contains "status says fastcgi mode" '"mode":"fastcgi"' "$W/out"
	fcgi "$SOCK0" /beacon 2001:db8:f0::1
	expect_eq "beacon on fd 0" 204 "$(status_of)"
	expect_eq "fd 0 row" 1 "$(sql "SELECT count(*) FROM request WHERE prefix = '2001:db8:f0::/48'")"
	kill -TERM $S0
	check "fd-0 server exits on SIGTERM" wait_for sh -c "! kill -0 $S0 2>/dev/null"

	# serve --listen fd:0: the same inherited socket, with a worker pool (systemd's way)
	SOCKF=$(sock_path fdserve.sock)
	spawn-fcgi -n -s "$SOCKF" -- "$DUALSTAT" -c "$CONF" serve --user root --listen fd:0 --workers 2 2> "$W/fdserve.log" &
	SF=$!
	track $SF
	check "fd:0 socket appears" wait_for test -S "$SOCKF"
	check "fd:0 serve has two workers" wait_for has_workers $SF 2
	fcgi "$SOCKF" /status.json ::1
	expect_eq "serve --listen fd:0" 200 "$(status_of)"
	contains "fd:0 status says serve mode" '"mode":"serve"' "$W/out"
	kill -TERM $SF
	check "fd:0 serve exits on SIGTERM" wait_for sh -c "! kill -0 $SF 2>/dev/null"
	check "fd:0 serve leaves the socket it did not bind" test -S "$SOCKF"
else
	fail "spawn-fcgi not found (Debian package spawn-fcgi): FastCGI on fd 0 untested"
fi

finish
