# hallterm — build, test and demo.  `make demo` and `make check` are the two
# commands of the README: each installs what is missing first.
PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR   ?= $(PREFIX)/bin
DATADIR  ?= $(PREFIX)/share/hallterm
LOCALEDIR ?= $(PREFIX)/share/locale
MANDIR   ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc

CC       ?= cc
SANITIZE ?=
ifeq ($(SANITIZE),1)
BUILD    ?= build-san
SANFLAGS  = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else
BUILD    ?= build
SANFLAGS  =
endif

VERSION  := 0.1.0
PKGS     := ncursesw libpq
# ncursesw adds its own feature macros; we set ours once, below.
PKG_CFLAGS = $(filter-out -D%,$(shell pkg-config --cflags $(PKGS) 2>/dev/null))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CURL_CFLAGS = $(shell pkg-config --cflags libcurl 2>/dev/null)
CURL_LIBS   = $(shell pkg-config --libs libcurl 2>/dev/null)
INI_CFLAGS  = -I/usr/include/iniparser
INI_LIBS    = -liniparser

CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_XOPEN_SOURCE=700 \
	-D_DEFAULT_SOURCE -DVERSION='"$(VERSION)"' -DLOCALEDIR='"$(LOCALEDIR)"' \
	-DSCHEMADIR='"$(DATADIR)/schema"' -DSCENARIODIR='"$(DATADIR)/scenarios"' -Isrc $(PKG_CFLAGS) $(CURL_CFLAGS) $(INI_CFLAGS) \
	$(SANFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)

COMMON_SRC  := $(wildcard src/common/*.c)
DB_SRC      := $(wildcard src/db/*.c)
UI_SRC      := $(wildcard src/ui/*.c)
SCREEN_SRC  := $(wildcard src/screens/*.c)
CTL_SRC     := $(wildcard src/ctl/*.c)
obj = $(patsubst src/%.c,$(BUILD)/obj/%.o,$(1))

HALLTERM_OBJ := $(call obj,src/hallterm.c $(COMMON_SRC) $(DB_SRC) $(UI_SRC) $(SCREEN_SRC))
HALLCTL_OBJ  := $(call obj,src/hallctl.c $(COMMON_SRC) $(DB_SRC) $(CTL_SRC))

UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BIN   := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
LANGS      := zh_CN
MO         := $(patsubst %,$(BUILD)/locale/%/LC_MESSAGES/hallterm.mo,$(LANGS))

.PHONY: all deps demo demo-reset demo-stop fuzz check check-run unit unit-san sql integration e2e bench install clean pot
all: $(BUILD)/hallterm $(BUILD)/hallctl $(BUILD)/tests/receiver $(BUILD)/tests/printtest $(BUILD)/tests/replicatest \
	$(BUILD)/tests/sessiontest $(MO)

# Quiet by default; `make V=1` shows the commands.
Q := $(if $(V),,@)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/hallterm: $(HALLTERM_OBJ)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(INI_LIBS)

$(BUILD)/hallctl: $(HALLCTL_OBJ)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CURL_LIBS) $(INI_LIBS)

# Unit tests link the layers they test (common, ui, db) but no main.
$(BUILD)/tests/test_%: tests/unit/test_%.c $(call obj,$(COMMON_SRC) $(UI_SRC))
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(INI_LIBS) -lcmocka

# test_refusal also links db/refusal.o (no libpq in it) and reads the zh_CN
# catalogue from $(BUILD)/locale.
$(BUILD)/tests/test_refusal: tests/unit/test_refusal.c $(call obj,$(COMMON_SRC)) $(BUILD)/obj/db/refusal.o | $(MO)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(INI_LIBS) -lcmocka

# test_replica links the report database's module and the session under it
# (libpq, no server needed) and reads the zh_CN catalogue like test_refusal.
REPLICA_OBJ := $(call obj,src/db/replica.c src/db/session.c src/db/conn.c src/db/refusal.c)
$(BUILD)/tests/test_replica: tests/unit/test_replica.c $(call obj,$(COMMON_SRC)) $(REPLICA_OBJ) | $(MO)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(INI_LIBS) -lcmocka

# The report path without a screen, for tests/integration/replica_test.sh.
$(BUILD)/tests/replicatest: tests/lib/replicatest.c $(call obj,$(COMMON_SRC)) $(REPLICA_OBJ) \
		$(call obj,src/db/supervise.c src/db/scorecard.c src/db/ratings.c src/db/receive.c)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(INI_LIBS)

# The session's pipeline against a server, for tests/integration/session_test.sh.
$(BUILD)/tests/sessiontest: tests/lib/sessiontest.c $(call obj,$(COMMON_SRC)) $(REPLICA_OBJ)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(INI_LIBS)

$(BUILD)/tests/receiver: tests/lib/receiver.c
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $<

# print_text() on stdin, for tests/integration/print_test.sh (common/ only).
$(BUILD)/tests/printtest: tests/lib/printtest.c $(call obj,$(COMMON_SRC))
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(INI_LIBS)

$(BUILD)/locale/%/LC_MESSAGES/hallterm.mo: src/po/%.po
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  MSGFMT  $<")
	$(Q)msgfmt --check -o $@ $<

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# --- set-up --------------------------------------------------------------
# Debian packages the build, the tests and the demo need.  As root they are
# installed; otherwise the one apt-get line to run is printed.
DEB_PKGS := gcc make pkg-config gettext tmux locales libncurses-dev libpq-dev \
	libcurl4-openssl-dev libiniparser-dev libcmocka-dev postgresql-15 \
	postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl postgresql-15-cron \
	cups cups-client
deps:
	@missing=$$(for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	missing=$$(echo $$missing); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "installing: $$missing"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing \
			|| { echo "apt-get install failed for: $$missing" >&2; exit 1; }; \
	else \
		echo "missing Debian packages; run:" >&2; \
		echo "  sudo apt-get update && sudo apt-get install -y $$missing" >&2; exit 1; \
	fi

# --- the trainer's demo -------------------------------------------------
DEMO_DIR  := $(CURDIR)/var
DEMO_PORT ?= 55499
DEMO_SCALE ?= 20000
demo: deps
	@$(MAKE) --no-print-directory all
	@bash tests/lib/demo.sh "$(DEMO_DIR)" "$(DEMO_PORT)" "$(DEMO_SCALE)" "$(BUILD)"

# Regenerate the demo data in place (seconds), or stop its server.
demo-reset: deps
	@$(MAKE) --no-print-directory all
	@bash tests/lib/demo.sh "$(DEMO_DIR)" "$(DEMO_PORT)" "$(DEMO_SCALE)" "$(BUILD)" only

demo-stop:
	@bash -c 'source tests/lib/cluster.sh && cluster_stop "$(DEMO_DIR)"'

# --- tests ----------------------------------------------------------------
check: deps
	@$(MAKE) --no-print-directory check-run

check-run: all
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory SANITIZE=1 unit
	@bash tests/run.sh "$(BUILD)"

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do \
		echo "== $$t"; ASAN_OPTIONS=detect_leaks=1 HALLTERM_INI=etc/hallterm.ini $$t; done

# libFuzzer targets of src/common (clang; skipped cleanly without it).
FUZZ_SECONDS ?= 20
fuzz:
	@FUZZ_BUILD=$(BUILD)/fuzz bash tests/fuzz/run.sh $(FUZZ_SECONDS)

# `make bench` (tests/bench/run.sh): the figures of doc/performance.md as
# ratios against the raw limit.  BENCH_SCALE=N cases (default 1,000,000;
# BENCH_SCALE=32104514 is the seed city's), BENCH_PORT (default 55640),
# BENCH_ROUNDS (default 5).  It also needs what only it uses: pspg (P3's
# comparison), curl (P6's raw baseline), python3 (the scripts' helpers).
BENCH_PKGS := pspg curl python3
bench: deps
	@missing=$$(for p in $(BENCH_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	missing=$$(echo $$missing); \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ]; then \
		echo "installing: $$missing"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing \
			|| { echo "apt-get install failed for: $$missing" >&2; exit 1; }; \
	elif [ -n "$$missing" ]; then \
		echo "missing Debian packages for make bench; run:" >&2; \
		echo "  sudo apt-get update && sudo apt-get install -y $$missing" >&2; exit 1; \
	fi
	@$(MAKE) --no-print-directory all
	@bash tests/bench/run.sh "$(BUILD)"

# --- install --------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/schema/demo $(DESTDIR)$(DATADIR)/schema/province $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(SYSCONFDIR)/hallterm
	install -m 755 $(BUILD)/hallterm $(BUILD)/hallctl $(DESTDIR)$(BINDIR)/
	install -m 644 schema/*.sql $(DESTDIR)$(DATADIR)/schema/
	install -m 644 schema/demo/*.sql $(DESTDIR)$(DATADIR)/schema/demo/
	install -m 644 schema/province/*.sql $(DESTDIR)$(DATADIR)/schema/province/
	install -d $(DESTDIR)$(DATADIR)/scenarios
	install -m 644 etc/scenarios/*.ini $(DESTDIR)$(DATADIR)/scenarios/
	for l in $(LANGS); do install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES; \
		install -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/hallterm.mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/; done
	install -m 644 etc/hallterm.ini $(DESTDIR)$(SYSCONFDIR)/hallterm/hallterm.ini.example
	for m in doc/*.1; do [ -f "$$m" ] && install -m 644 $$m $(DESTDIR)$(MANDIR)/man1/ || true; done
	for m in doc/*.5; do [ -f "$$m" ] && install -m 644 $$m $(DESTDIR)$(MANDIR)/man5/ || true; done

# Refresh the message template after adding strings.
pot:
	xgettext --from-code=UTF-8 -k_ -kN_ -L C -o src/po/hallterm.pot $$(find src -name "*.c" -o -name "*.def" | sort)

clean:
	rm -rf build build-san
