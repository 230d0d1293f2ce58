# migtools: see README.md.  Needs GNU make.
#
#   make                   the tools, at the top level (./migparse, ...)
#   make check             deps, the tools, a sanitizer copy in build/asan/,
#                          man page lint, then every tests/*.bats on that copy
#   make valgrind          tests/valgrind.bats on the normal build
#   make asan              only the sanitizer copy
#   make layers            lib/ flows one way (scripts/layers)
#   make fuzz              libFuzzer targets, FUZZ_TIME seconds each
#                          (scripts/fuzz; not part of make check)
#   make demo | bench | corpus | corpus-asan | lint-man | deps
#   make schema-compare    migapply's schema against Django's SQL replayed
#   make install | uninstall | clean

# The suite's one version: every tool's -V prints it.
VERSION = 0.1.0

PREFIX = /usr/local
BINDIR = $(PREFIX)/bin
DATADIR = $(PREFIX)/share
MANDIR = $(DATADIR)/man
BASHCOMPDIR = $(DATADIR)/bash-completion/completions
ZSHCOMPDIR = $(DATADIR)/zsh/site-functions
FISHCOMPDIR = $(DATADIR)/fish/vendor_completions.d
# the cookbook's scripts and Makefile (migtools(7))
EXAMPLESDIR = $(DATADIR)/doc/migtools/cookbook

CC = cc
AR = ar
CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -O2 -g
LDFLAGS =
LDLIBS =

# The copy that `make check` tests.  Without -Werror: the sanitizers'
# instrumentation makes gcc's flow-based warnings give false positives,
# and the normal build already holds the code to no warnings.
ASAN_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra \
	-fsanitize=address,undefined -fno-omit-frame-pointer -O1 -g
ASAN_LDFLAGS = -fsanitize=address,undefined

# O: objects and the library; BP: prefix of the tools (empty: top level).
O = build
BP =

TOOLS = $(basename $(notdir $(wildcard cmd/*.c)))
BINS = $(TOOLS:%=$(BP)%)
LIBOBJ = $(patsubst %.c,$(O)/%.o,$(wildcard lib/*/*.c))
LIB = $(O)/libmigtools.a

# libpq: whatever includes <libpq-fe.h> needs its include path, and only
# migapply links the library.
ifneq ($(shell grep -rl 'libpq-fe\.h' lib cmd 2>/dev/null),)
PQ_CPPFLAGS = -I$(shell pg_config --includedir)
endif

# Test helpers: built beside the objects, never installed.
TESTBINS = $(patsubst tests/%.c,$(O)/%,$(wildcard tests/*.c))

all: $(BINS) $(TESTBINS)

$(TESTBINS): $(O)/%: $(O)/tests/%.o $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# One dependency line per tool: its main and the library.
$(BINS): $(BP)%: $(O)/cmd/%.o $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

ifneq ($(wildcard cmd/migapply.c),)
$(BP)migapply: LDLIBS += -lpq
endif

# The archive is rebuilt when a module is added or removed too, so that
# no stale object stays in it.
$(LIB): $(LIBOBJ) $(O)/libobj.list
	rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

$(O)/libobj.list: FORCE
	@mkdir -p $(@D)
	@echo '$(LIBOBJ)' | cmp -s - $@ || echo '$(LIBOBJ)' >$@

FORCE:

# The version reaches the one file that prints it; a new VERSION
# rebuilds it.
$(O)/lib/base/cli.o: CPPFLAGS += -DMIGTOOLS_VERSION='"$(VERSION)"'
$(O)/lib/base/cli.o: $(O)/version.stamp

$(O)/version.stamp: FORCE
	@mkdir -p $(@D)
	@echo '$(VERSION)' | cmp -s - $@ || echo '$(VERSION)' >$@

$(O)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PQ_CPPFLAGS) -Ilib $(CFLAGS) -MMD -MP -c -o $@ $<

-include $(LIBOBJ:.o=.d) $(TOOLS:%=$(O)/cmd/%.d) $(TESTBINS:$(O)/%=$(O)/tests/%.d)

asan:
	$(MAKE) O=build/asan BP=build/asan/ \
		CFLAGS='$(ASAN_CFLAGS)' LDFLAGS='$(ASAN_LDFLAGS)' all

deps:
	bash scripts/deps check

check:
	bash scripts/deps check
	$(MAKE) all
	$(MAKE) layers
	$(MAKE) asan
	$(MAKE) lint-man
	MIGTOOLS_BIN='$(CURDIR)/build/asan' \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	ASAN_OPTIONS=detect_leaks=1 \
	bash tests/run

valgrind:
	bash scripts/deps valgrind
	$(MAKE) all
	MIGTOOLS_BIN='$(CURDIR)' bash tests/run tests/valgrind.bats

# lib/'s folders and the renderer's files: includes and calls one way.
layers: all
	bash scripts/layers -o $(O)

lint-man:
	mandoc -Tlint -Wwarning man/*.[157]

fuzz:
	$(MAKE) all
	bash scripts/fuzz

demo:
	bash scripts/deps demo
	$(MAKE) all
	bash scripts/demo

bench:
	bash scripts/deps bench demo
	$(MAKE) all
	bash scripts/bench
	bash scripts/bench-apply

bench-zdt:
	bash scripts/deps demo
	$(MAKE) all
	bash scripts/bench-zdt

corpus:
	bash scripts/deps build
	$(MAKE) all
	bash scripts/corpus-report

corpus-asan:
	bash scripts/deps build
	$(MAKE) asan
	MIGPARSE='$(CURDIR)/build/asan/migparse' \
	MIGSTATE='$(CURDIR)/build/asan/migstate' \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	ASAN_OPTIONS=detect_leaks=1 \
	bash scripts/corpus-report

conformance:
	bash scripts/deps build
	$(MAKE) all
	bash scripts/conformance

schema-compare:
	bash scripts/deps demo
	$(MAKE) all
	bash scripts/schema-compare

schema-compare-zdt:
	bash scripts/deps demo
	$(MAKE) all
	ZDT=1 bash scripts/schema-compare

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) \
		$(DESTDIR)$(FISHCOMPDIR) $(DESTDIR)$(EXAMPLESDIR)
	for t in $(TOOLS); do \
		install -m 755 $$t $(DESTDIR)$(BINDIR)/$$t || exit 1; \
	done
	for m in man/*.1; do [ ! -e "$$m" ] || \
		install -m 644 "$$m" $(DESTDIR)$(MANDIR)/man1 || exit 1; done
	for m in man/*.5; do [ ! -e "$$m" ] || \
		install -m 644 "$$m" $(DESTDIR)$(MANDIR)/man5 || exit 1; done
	for m in man/*.7; do [ ! -e "$$m" ] || \
		install -m 644 "$$m" $(DESTDIR)$(MANDIR)/man7 || exit 1; done
	for f in examples/cookbook/*; do \
		if [ -x "$$f" ]; then mode=755; else mode=644; fi; \
		install -m $$mode "$$f" $(DESTDIR)$(EXAMPLESDIR) || exit 1; \
	done
	for t in $(TOOLS); do \
		if [ -e completions/$$t.bash ]; then install -m 644 \
			completions/$$t.bash $(DESTDIR)$(BASHCOMPDIR)/$$t || exit 1; fi; \
		if [ -e completions/_$$t ]; then install -m 644 \
			completions/_$$t $(DESTDIR)$(ZSHCOMPDIR)/_$$t || exit 1; fi; \
		if [ -e completions/$$t.fish ]; then install -m 644 \
			completions/$$t.fish $(DESTDIR)$(FISHCOMPDIR)/$$t.fish || exit 1; fi; \
	done

uninstall:
	for t in $(TOOLS); do \
		rm -f $(DESTDIR)$(BINDIR)/$$t $(DESTDIR)$(BASHCOMPDIR)/$$t \
			$(DESTDIR)$(ZSHCOMPDIR)/_$$t $(DESTDIR)$(FISHCOMPDIR)/$$t.fish; \
	done
	for m in man/*.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$${m#man/}; done
	for m in man/*.5; do rm -f $(DESTDIR)$(MANDIR)/man5/$${m#man/}; done
	for m in man/*.7; do rm -f $(DESTDIR)$(MANDIR)/man7/$${m#man/}; done
	for f in examples/cookbook/*; do \
		rm -f $(DESTDIR)$(EXAMPLESDIR)/$${f#examples/cookbook/}; done
	-rmdir $(DESTDIR)$(EXAMPLESDIR) 2>/dev/null

clean:
	rm -rf build $(TOOLS)

.PHONY: FORCE all asan deps check layers valgrind fuzz lint-man demo bench corpus corpus-asan \
	bench-zdt conformance schema-compare schema-compare-zdt install uninstall clean
