#!/usr/bin/env bats
# make install: tools, man pages and completions where packagers expect them.

load helper

# The make of the test, not the one that may be running `make check`.
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s "$@"
}

@test "make install PREFIX=/usr DESTDIR=... puts everything in place" {
	run mk install PREFIX=/usr DESTDIR="$T/root"
	[ "$status" -eq 0 ]
	local r=$T/root/usr f t
	for f in cmd/*.c; do
		t=$(basename "$f" .c)
		[ -x "$r/bin/$t" ]
		[ "$(stat -c %a "$r/bin/$t")" = 755 ]
	done
	for f in man/*.1; do
		[ "$(stat -c %a "$r/share/man/man1/${f#man/}")" = 644 ]
	done
	for f in man/*.5; do
		[ -e "$f" ] || continue
		[ "$(stat -c %a "$r/share/man/man5/${f#man/}")" = 644 ]
	done
	[ "$(stat -c %a "$r/share/man/man7/migtools.7")" = 644 ]
	[ "$(stat -c %a "$r/share/doc/migtools/cookbook/migtools-fleet")" = 755 ]
	[ "$(stat -c %a "$r/share/doc/migtools/cookbook/Makefile.migtools")" = 644 ]
	[ "$(stat -c %a "$r/share/bash-completion/completions/migparse")" = 644 ]
	[ "$(stat -c %a "$r/share/zsh/site-functions/_migparse")" = 644 ]
	[ "$(stat -c %a "$r/share/fish/vendor_completions.d/migparse.fish")" = 644 ]
	cmp completions/migparse.bash "$r/share/bash-completion/completions/migparse"
}

@test "the installed migparse runs" {
	mk install PREFIX=/usr DESTDIR="$T/root"
	run "$T/root/usr/bin/migparse" examples/shop/catalog/migrations/0001_initial.py
	[ "$status" -eq 0 ]
}

@test "make uninstall removes what install put there" {
	mk install PREFIX=/opt/mt DESTDIR="$T/root"
	[ -x "$T/root/opt/mt/bin/migparse" ]
	mk uninstall PREFIX=/opt/mt DESTDIR="$T/root"
	run find "$T/root" -type f
	[ "$output" = "" ]
}
