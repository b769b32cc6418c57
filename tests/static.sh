# static.sh: sourced by the tests that run dualstat-static (`make static`) before they
# source lib.sh, or another test's body, with DUALSTAT pointing at it: so each body is
# written once and runs against both binaries.  make check builds dualstat-static
# when configure found static libraries, and names it in DUALSTAT_STATIC.
if [ -z "${DUALSTAT_STATIC:-}" ] || [ ! -x "$DUALSTAT_STATIC" ]; then
	# lib.sh's skip() is not here yet: sourcing lib.sh twice would make two work folders.
	if [ "${CI:-}" = true ]; then
		echo "FAIL: $(basename "$0" .sh) would skip under CI: no dualstat-static" \
		    "(configure found no static libc, libfcgi or SQLite: see config.log)"
		exit 1
	fi
	echo "SKIP: $(basename "$0" .sh): no dualstat-static (configure found no static libc," \
	    "libfcgi or SQLite: see config.log)"
	exit 77
fi
# A body that passes with the dynamic binary by mistake proves nothing.
if readelf -l "$DUALSTAT_STATIC" 2>/dev/null | grep -q INTERP; then
	echo "ERROR: $DUALSTAT_STATIC has a program interpreter: it is not static"
	exit 99
fi
echo "# running with $DUALSTAT_STATIC"
DUALSTAT=$DUALSTAT_STATIC
export DUALSTAT
