#!/usr/bin/perl
# rel_stall.pl: FastCGI connections that stall, held open against a server's Unix socket.
#   perl tests/rel_stall.pl SOCKET IDLE HALF PARAMS SECONDS READY DONE
# opens IDLE connections that send nothing, HALF that send 3 bytes of a record header, and
# PARAMS that send a begin record and half of their params, then creates the file READY
# and waits (for at most SECONDS, or until the file DONE exists) while watching which of
# them the server closes.  Prints "open=N closed=M" when it ends: the connections still
# open, and those the server closed.  Exits 1 when a connection could not be made.
use strict;
use warnings;
use Socket;
use IO::Select;
use Time::HiRes qw(time sleep);

my ($path, $idle, $half, $params, $seconds, $ready, $done) = @ARGV;
die "usage: rel_stall.pl SOCKET IDLE HALF PARAMS SECONDS READY DONE\n" unless defined $done;

# record TYPE CONTENT: one record of request 1.
sub record {
	my ($type, $content) = @_;
	return pack('CCnnCC', 1, $type, 1, length($content), 0, 0) . $content;
}

my @conns;
for my $i (1 .. $idle + $half + $params) {
	socket(my $s, PF_UNIX, SOCK_STREAM, 0) or die "socket: $!\n";
	connect($s, sockaddr_un($path)) or do { print "connect: $!\n"; exit 1 };
	binmode($s);
	my $out = '';
	if ($i > $idle && $i <= $idle + $half) {
		$out = substr(record(1, pack('nCx5', 1, 0)), 0, 3);
	} elsif ($i > $idle + $half) {
		# REMOTE_ADDR=192.0.2.99, and the first byte of another pair: cut short.
		my $pair = pack('CC', 11, 10) . 'REMOTE_ADDR' . '192.0.2.99';
		$out = record(1, pack('nCx5', 1, 0)) . record(4, $pair . pack('C', 9));
	}
	syswrite($s, $out) == length($out) or die "write: $!\n" if length($out);
	push @conns, $s;
}
open(my $f, '>', $ready) or die "$ready: $!\n";
close($f);

my $sel = IO::Select->new(@conns);
my %closed;
my $end = time() + $seconds;
while (time() < $end && ! -e $done && keys(%closed) < @conns) {
	for my $s ($sel->can_read(0.05)) {
		my $buf;
		my $n = sysread($s, $buf, 4096);
		if (!defined($n) || $n == 0) {
			$closed{fileno($s)} = 1;
			$sel->remove($s);
		}
	}
}
printf "open=%d closed=%d\n", @conns - keys(%closed), scalar(keys(%closed));
exit 0;
