#!/bin/sh
# quickstart.sh: the README's two commands, on a fresh Debian 12 machine.
#   sudo sh quickstart.sh demo   install the Debian packages, build, run the demo under lighttpd
#   sh quickstart.sh check       build and run the whole test suite (as root, nothing skips)
# Builds out of tree in ./build; PORT and BIND pass through to `make demo`.  check runs
# make check, make distcheck, then tests/sanitize.sh (the suite under ASan+UBSan, the unit
# and CLI/CGI tests under valgrind, each fuzz target for FUZZ_SECONDS, default 60).
set -eu
cd "$(dirname "$0")"
top=$(pwd)

packages() {
	grep -v '^#' "$top/debian-packages.txt" | grep -v '^[[:space:]]*$'
}

install_packages() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "quickstart: installing packages needs root: run it with sudo" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	# shellcheck disable=SC2046
	apt-get install -y --no-install-recommends $(packages)
}

build() {
	[ -x "$top/configure" ] || "$top/autogen.sh"
	mkdir -p "$top/build"
	cd "$top/build"
	[ -f Makefile ] || "$top/configure" --prefix=/usr/local --sysconfdir=/etc --localstatedir=/var
	make -j2
}

# On failure, show the logs of the tests that failed: CI has no other way to see them.
show_failures() {
	for log in $(find "$top/build" -name '*.log' -path '*tests*' 2>/dev/null); do
		if grep -qE '^(FAIL|ERROR)' "${log%.log}.trs" 2>/dev/null; then
			echo "==== $log"
			tail -n 60 "$log"
		fi
	done
}

case ${1:-} in
demo)
	install_packages
	build
	make demo
	;;
check)
	build
	if ! make -j2 check; then
		show_failures
		exit 1
	fi
	make -j2 distcheck DISTCHECK_CONFIGURE_FLAGS=
	cd "$top"
	FUZZ_SECONDS=${FUZZ_SECONDS:-60} sh tests/sanitize.sh
	;;
*)
	echo "usage: sh quickstart.sh demo|check" >&2
	exit 2
	;;
esac
