#!/bin/sh
# sanitize.sh: the test suite under AddressSanitizer + UndefinedBehaviorSanitizer, the unit
# and CLI/CGI end-to-end tests under valgrind, and every fuzz target, as CI runs them.
#   sh tests/sanitize.sh            (from the top of the source tree, as root like make check)
# 1. build-asan/: clang with -fsanitize=address,undefined; `make -j2 check`.  Every
#    instrumented process (the Check runner and its forks, dualstat run as CGI, by `serve`,
#    or spawned by lighttpd/Apache with a cleaned environment) logs any report to a folder
#    through options linked into the binaries, so an error in a process whose exit status
#    no test sees still fails this step.
# 2. build-valgrind/: a plain -O1 build; the Check runner (CK_FORK=no) and e2e_cli.sh and
#    e2e_cgi.sh under valgrind: no errors, no definite leaks, in any process.
# 3. `make fuzz` in build-asan/ with FUZZ_SECONDS (default 60) per target.
# Prints a summary and exits 1 if any step failed.  ASAN_DIR, VALGRIND_DIR, FUZZ_SECONDS and
# SANITIZE_STEPS (default "asan valgrind fuzz") change what it does.
set -eu
if [ ! -f configure.ac ] || [ ! -f app/main.c ]; then
	echo "sanitize.sh: run it from the top of the source tree" >&2
	exit 2
fi
top=$(pwd)
ASAN_DIR=${ASAN_DIR:-$top/build-asan}
VALGRIND_DIR=${VALGRIND_DIR:-$top/build-valgrind}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
SANITIZE_STEPS=${SANITIZE_STEPS:-asan valgrind fuzz}
for tool in clang valgrind; do
	command -v $tool > /dev/null 2>&1 ||
	    { echo "sanitize.sh: $tool not found (Debian packages clang, libclang-rt-14-dev, valgrind)" >&2; exit 2; }
done
[ -x configure ] || ./autogen.sh
SUMMARY=""
FAILED=0
REPORTS="$ASAN_DIR/sanitizer-reports"
VGLOGS="$VALGRIND_DIR/valgrind-logs"

# step NAME COMMAND...: run one step, note PASS/FAIL and how long it took.
step() {
	_name=$1
	shift
	_t0=$(date +%s)
	echo "==== sanitize.sh: $_name"
	if "$@"; then _r=PASS; else _r=FAIL; FAILED=1; fi
	SUMMARY="$SUMMARY
$_r  $_name ($(( $(date +%s) - _t0 )) s)"
	[ $_r = PASS ]
}

# show_reports DIR: print the sanitizer/valgrind reports found in DIR; false if any.
show_reports() {
	_found=0
	for f in "$@"; do
		[ -f "$f" ] || continue
		_found=1
		echo "---- $f"
		head -n 60 "$f"
	done
	[ $_found -eq 0 ]
}

# Show the logs of failed tests (CI has no other way to see them).
show_failed_tests() {
	for trs in $(find "$1/tests" -name '*.trs' 2>/dev/null); do
		if grep -qE '^:test-result: (FAIL|ERROR|XPASS)' "$trs"; then
			echo "---- ${trs%.trs}.log"
			tail -n 60 "${trs%.trs}.log"
		fi
	done
}

# ---- 1. AddressSanitizer + UndefinedBehaviorSanitizer
asan_build() {
	mkdir -p "$ASAN_DIR"
	cd "$ASAN_DIR"
	rm -rf "$REPORTS"
	mkdir -p "$REPORTS"
	# Workers of Apache and lighttpd run as www-data: they must be able to write here.
	chmod 1777 "$REPORTS"
	# Default options compiled into every binary: they hold even where a web server spawns
	# dualstat with an environment of its own.  halt_on_error: the first error ends the
	# process; detect_leaks: leaks are errors too.
	cat > sanitizer-defaults.c <<C
const char *__asan_default_options(void);
const char *__ubsan_default_options(void);
__attribute__((used)) const char *
__asan_default_options(void)
{
	return "log_path=$REPORTS/asan:halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1";
}
__attribute__((used)) const char *
__ubsan_default_options(void)
{
	return "log_path=$REPORTS/ubsan:halt_on_error=1:print_stacktrace=1";
}
C
	clang -c -O1 -o sanitizer-defaults.o sanitizer-defaults.c || return 1
	# --disable-static-binary: the sanitizers have no static runtime, so -static
	# cannot link here; the static binary is tested by the plain make check.
	if [ ! -f Makefile ] || [ "$top/configure" -nt Makefile ]; then
		CC=clang \
		CFLAGS='-g -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
		LDFLAGS="-fsanitize=address,undefined $ASAN_DIR/sanitizer-defaults.o" \
		    "$top/configure" -q --disable-static-binary || return 1
	fi
	make -j2 > make.log 2>&1 || { tail -n 40 make.log; return 1; }
	# Reports from configure's own test programs and the build do not count.
	rm -f "$REPORTS"/*
}

asan_check() {
	cd "$ASAN_DIR"
	_rc=0
	ASAN_OPTIONS="log_path=$REPORTS/asan:halt_on_error=1:detect_leaks=1" \
	UBSAN_OPTIONS="log_path=$REPORTS/ubsan:halt_on_error=1:print_stacktrace=1" \
	    make -j2 check > check.log 2>&1 || _rc=$?
	grep -E '^# (TOTAL|PASS|SKIP|XFAIL|FAIL|XPASS|ERROR)' check.log || true
	if [ $_rc -ne 0 ]; then
		show_failed_tests "$ASAN_DIR"
		echo "make check failed under the sanitizers (exit $_rc)"
	fi
	show_reports "$REPORTS"/* || { echo "sanitizer reports in $REPORTS"; _rc=1; }
	return $_rc
}

# ---- 2. valgrind
VALGRIND="valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite"
vg_build() {
	mkdir -p "$VALGRIND_DIR"
	cd "$VALGRIND_DIR"
	if [ ! -f Makefile ] || [ "$top/configure" -nt Makefile ]; then
		CFLAGS='-g -O1' "$top/configure" -q || return 1
	fi
	make -j2 dualstat tests/check_dualstat > make.log 2>&1 || { tail -n 40 make.log; return 1; }
	rm -rf "$VGLOGS"
	mkdir -p "$VGLOGS"
	chmod 1777 "$VGLOGS"
	# dualstat as the e2e tests run it, under valgrind: each process logs to its own file
	# and keeps dualstat's own exit status, which the tests check.
	cat > vg-dualstat <<SH
#!/bin/sh
exec $VALGRIND --error-exitcode=0 --log-file=$VGLOGS/dualstat.%p $VALGRIND_DIR/dualstat "\$@"
SH
	chmod +x vg-dualstat
}

# vg_errors: print the logs of processes valgrind found errors or definite leaks in.
# (A forked child that execs or is killed leaves a log without a summary: not an error.)
vg_errors() {
	show_reports $(grep -l 'ERROR SUMMARY: [1-9]' "$VGLOGS"/* 2>/dev/null)
}

vg_check() {
	cd "$VALGRIND_DIR"
	_rc=0
	# The Check runner's own forks are on by default; CK_FORK=no keeps every test in the
	# one process valgrind watches (tests that fork themselves are logged apart, %p).
	# One suite at a time, all but recorder: its tests race processes against busy
	# timeouts of tens of milliseconds, which valgrind's slowdown turns into timeouts
	# (seen on a loaded machine); step 1 runs it under ASan with real timing.
	: > check-valgrind.log
	for _suite in addr proxy config query store render app host; do
		top_srcdir="$top" top_builddir="$VALGRIND_DIR" CK_FORK=no CK_DEFAULT_TIMEOUT=600 \
		    CK_RUN_SUITE=$_suite $VALGRIND --log-file="$VGLOGS/check.%p" \
		    tests/check_dualstat >> check-valgrind.log 2>&1 || _rc=$?
	done
	grep '%:' check-valgrind.log || true
	[ $_rc -eq 0 ] || { tail -n 30 check-valgrind.log; echo "check_dualstat under valgrind: exit $_rc"; }
	vg_errors || _rc=1
	return $_rc
}

vg_e2e() {
	cd "$VALGRIND_DIR"
	_rc=0
	for t in e2e_cli e2e_cgi; do
		env top_srcdir="$top" top_builddir="$VALGRIND_DIR" DUALSTAT="$VALGRIND_DIR/vg-dualstat" \
		    sh "$top/tests/$t.sh" > "$t-valgrind.log" 2>&1 || {
			_rc=1
			tail -n 40 "$t-valgrind.log"
			echo "$t.sh failed under valgrind"
		}
		tail -n 1 "$t-valgrind.log"
	done
	rm -f "$VGLOGS"/check.*
	echo "$(ls "$VGLOGS" | wc -l) dualstat processes checked"
	vg_errors || _rc=1
	return $_rc
}

# ---- 3. fuzzing
fuzz_all() {
	cd "$ASAN_DIR"
	make -j2 fuzz FUZZ_SECONDS="$FUZZ_SECONDS"
}

for s in $SANITIZE_STEPS; do
	case $s in
	asan)
		step "ASan+UBSan build (clang, $ASAN_DIR)" asan_build &&
		    step "make -j2 check under ASan+UBSan" asan_check || true
		;;
	valgrind)
		step "valgrind build ($VALGRIND_DIR)" vg_build &&
		    step "Check suite under valgrind (CK_FORK=no)" vg_check &&
		    step "e2e_cli.sh and e2e_cgi.sh under valgrind" vg_e2e || true
		;;
	fuzz)
		{ [ -f "$ASAN_DIR/Makefile" ] || step "ASan+UBSan build (clang, $ASAN_DIR)" asan_build; } &&
		    step "fuzz targets, ${FUZZ_SECONDS} s each" fuzz_all || true
		;;
	*)
		echo "sanitize.sh: unknown step $s" >&2
		exit 2
		;;
	esac
	cd "$top"
done

echo "==== sanitize.sh summary$SUMMARY"
[ $FAILED -eq 0 ] || { echo "sanitize.sh: FAILED"; exit 1; }
echo "sanitize.sh: all passed"
