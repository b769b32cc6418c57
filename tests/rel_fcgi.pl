#!/usr/bin/perl
# rel_fcgi.pl: one FastCGI request with parameters no web server and no environment can
# carry (cgi-fcgi sends its environment, which Linux caps at 128 KiB a string).
#   perl tests/rel_fcgi.pl SOCKET NAME=VALUE... NAME*COUNT=TEXT...
# NAME*COUNT=TEXT sends TEXT repeated COUNT times; in NAME%=TEXT, %HH is the byte HH (a
# NUL: %00).  FCGI_ROLE_CODE=2 in the environment asks as an Authorizer (default 1,
# responder).  Writes the response (CGI headers and body) to stdout; exits 1 when the
# application closes without FCGI_END_REQUEST.
use strict;
use warnings;
use Socket;

my $path = shift @ARGV or die "usage: rel_fcgi.pl SOCKET NAME=VALUE...\n";
my $params = '';
for my $arg (@ARGV) {
	my ($name, $value);
	if ($arg =~ /^([^=*]+)\*(\d+)=(.*)$/s) {
		($name, $value) = ($1, $3 x $2);
	} elsif ($arg =~ /^([^=%]+)%=(.*)$/s) {
		($name, $value) = ($1, $2);
		$value =~ s/%([0-9a-fA-F]{2})/chr(hex($1))/ge;
	} elsif ($arg =~ /^([^=]+)=(.*)$/s) {
		($name, $value) = ($1, $2);
	} else {
		die "rel_fcgi.pl: bad parameter $arg\n";
	}
	# FastCGI 1.0 §3.4: lengths below 128 in one byte, others in four, high bit set.
	for my $len (length($name), length($value)) {
		$params .= $len < 128 ? pack('C', $len) : pack('N', $len | 0x80000000);
	}
	$params .= $name . $value;
}

# record TYPE CONTENT: one record of request 1 (content at most 65535 bytes).
sub record {
	my ($type, $content) = @_;
	return pack('CCnnCC', 1, $type, 1, length($content), 0, 0) . $content;
}

socket(my $s, PF_UNIX, SOCK_STREAM, 0) or die "socket: $!\n";
connect($s, sockaddr_un($path)) or die "connect $path: $!\n";
binmode($s);
my $role = $ENV{FCGI_ROLE_CODE} // 1;
my $out = record(1, pack('nCx5', $role, 0));		# BEGIN_REQUEST
for (my $i = 0; $i < length($params); $i += 65535) {
	$out .= record(4, substr($params, $i, 65535));	# PARAMS
}
$out .= record(4, '') . record(5, '');			# end of PARAMS, empty STDIN
my $off = 0;
while ($off < length($out)) {
	my $n = syswrite($s, $out, length($out) - $off, $off);
	die "write: $!\n" unless defined $n;
	$off += $n;
}

my $buf = '';
my $ended = 0;
while (1) {
	my $n = sysread($s, $buf, 65536, length($buf));
	die "read: $!\n" unless defined $n;
	while (length($buf) >= 8) {
		my ($v, $type, $id, $clen, $plen) = unpack('CCnnC', $buf);
		last if length($buf) < 8 + $clen + $plen;
		my $content = substr($buf, 8, $clen);
		substr($buf, 0, 8 + $clen + $plen) = '';
		print $content if $type == 6;			# STDOUT
		print STDERR $content if $type == 7;		# STDERR
		$ended = 1 if $type == 3;			# END_REQUEST
	}
	last if $ended || $n == 0;
}
exit($ended ? 0 : 1);
