#!/bin/sh
# it_long_builddir.sh: the suite does not depend on where it is built.  The tree is configured
# and built out of tree in a folder whose path is 150 characters long, deeper than a Unix
# socket's path may be (sun_path holds 107 bytes), and the tests that make servers create
# Unix sockets run there through make check: it_proxy_trust and it_lighttpd (lighttpd's
# bin-path socket), it_nginx (dualstat serve for nginx), it_apache_cgi (mod_cgid's socket and
# mod_fcgid's), it_apache_proxy_fcgi (mod_proxy, 95 bytes at most), e2e_serve (serve and
# spawn-fcgi) and e2e_cli.  Each must pass there as it does in a short build folder: their
# sockets live in lib.sh's $RUN, and sock_path would stop any of them that made one below
# the build tree.
. "${top_srcdir:-.}/tests/lib.sh"
SUBSET="tests/it_proxy_trust.sh tests/it_lighttpd.sh tests/it_nginx.sh tests/it_apache_cgi.sh \
tests/it_apache_proxy_fcgi.sh tests/e2e_serve.sh tests/e2e_cli.sh"
LENGTH=150

# The build below runs make check with SUBSET only; this guards against a SUBSET that
# would one day name this test, which would then build and run itself without end.
if [ -n "${DUALSTAT_LONG_BUILDDIR:-}" ]; then
	echo "ERROR: $T runs inside the long build folder of another $T: it would recurse"
	exit 99
fi
[ -x "$top_srcdir/configure" ] || skip "no configure in $top_srcdir (run ./autogen.sh)"
# configure refuses an out-of-tree build of a source folder that is configured itself.
[ ! -f "$top_srcdir/config.status" ] ||
    skip "$top_srcdir is configured in place: build out of tree (mkdir build && cd build && ../configure) to run this test"
need_cmd make make

# The folder: mktemp's, then 40-hex-digit parts (as a CI runner's checkout paths go)
# up to LENGTH characters.
LONG=$(mktemp -d "${TMPDIR:-/tmp}/dualstat-long.XXXXXX")
at_cleanup 'rm -rf "$LONG"'
# As a checkout's folders are: Apache's children (www-data) read the tests' files there.
chmod 0755 "$LONG"
B=$LONG
while [ ${#B} -lt $LENGTH ]; do
	B="$B/da39a3ee5e6b4b0d3255bfef95601890afd80709"
done
B=$(printf '%s' "$B" | cut -c1-$LENGTH)
B=${B%/}
while [ ${#B} -lt $LENGTH ]; do B="${B}x"; done
expect_eq "the build folder's path is $LENGTH characters" $LENGTH "$(printf '%s' "$B" | wc -c)"
mkdir -p "$B"
echo "# building in $B"

# The make that runs this test owns MAKEFLAGS and its job server: this build is its own,
# one job at a time (the machine runs the rest of the suite beside it).
unset MAKEFLAGS MFLAGS MAKELEVEL
if ! (cd "$B" && "$top_srcdir/configure" --quiet) > "$W/configure.log" 2>&1; then
	tail -n 30 "$W/configure.log"
	fail "configure in the long build folder"
	finish
fi
if ! make -C "$B" > "$W/make.log" 2>&1; then
	tail -n 30 "$W/make.log"
	fail "make in the long build folder"
	finish
fi
# check_PROGRAMS= : the Check suites have no sockets; building them would only take time.
DUALSTAT_LONG_BUILDDIR=1 make -C "$B" check TESTS="$SUBSET" check_PROGRAMS= \
    > "$W/check.log" 2>&1 || true

# Each test's result, and its log kept beside this test's (the long folder goes away).
mkdir -p "$W/logs"
ran=0
for t in $SUBSET; do
	name=$(basename "$t" .sh)
	cp "$B/tests/$name.log" "$W/logs/" 2>/dev/null || true
	result=$(sed -n 's/^:test-result: //p' "$B/tests/$name.trs" 2>/dev/null)
	# A test that skips here skips in the short build too (what it needs is missing);
	# under CI it fails instead, there as here.
	if [ "$result" = SKIP ]; then
		echo "# $name skipped: $(grep -m1 '^SKIP' "$W/logs/$name.log" 2>/dev/null || true)"
		continue
	fi
	ran=$((ran + 1))
	expect_eq "$name from a $LENGTH-character build folder" PASS "${result:-no result}"
	if [ "$result" != PASS ]; then
		grep -E '^(FAIL|ERROR)' "$W/logs/$name.log" 2>/dev/null | head -n 10 || true
	fi
done
if [ "$ran" -eq 0 ]; then
	tail -n 20 "$W/check.log"
	skip "every test of the subset skipped: nothing ran from the long build folder"
fi
finish
