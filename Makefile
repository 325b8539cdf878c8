# perfgo — build, test and install.
#
#   make            build ./perfgo
#   make check      install missing dependencies, build with ASan+UBSan, run every test
#   make demo       install missing dependencies, build, run the main job on an example
#   make bench      measure perfgo's own speed (statistics, parsers)
#   make fuzz-long  FUZZ_SECONDS=N: run each libFuzzer target for N seconds (default 300)
#   make install    PREFIX=/usr/local
#   make deps       install the Debian packages the project, tests and examples need
#
# DEVELOPER=1 adds -Werror.  Sources are picked up by wildcard, so adding a
# file under a folder of harness/, or under stats/ or reporters/, needs no
# change here.

PREFIX ?= /usr/local
CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS = libgit2 sqlite3 libcurl jansson libprotobuf-c zlib

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GIT_DESC := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

WARN = -Wall -Wextra -Wno-missing-field-initializers -Wshadow -Wstrict-prototypes \
       -Wmissing-prototypes -Wformat=2 -Wvla
ifeq ($(DEVELOPER),1)
WARN += -Werror
endif

PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
BASE_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) -DPERFGO_VERSION='"$(VERSION)"' \
	-DPERFGO_BUILD='"$(GIT_DESC)"'
OPT_CFLAGS ?= -O2 -g
SAN_CFLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined
LIBS = $(PKG_LIBS) -lm

HARNESS_SRC = $(filter-out harness/cli/main.c,$(wildcard harness/*/*.c))
STATS_SRC = $(wildcard stats/*.c)
REPORTERS_SRC = $(wildcard reporters/*.c)
# pprof's profile.proto compiled by protoc-c (profile/pprof.c encodes with it).
GEN = build/gen
PROTO_C = $(GEN)/profile.pb-c.c
PROTO_H = $(GEN)/profile.pb-c.h
LIB_SRC = $(HARNESS_SRC) $(STATS_SRC) $(REPORTERS_SRC) $(PROTO_C)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
# Helpers every unit test links (capture, fixtures): tests/unit/common.h.
UNIT_COMMON = $(SAN)/tests/unit/common.o
BENCH_SRC = $(wildcard tests/bench/bench_*.c)
FUZZ_SRC = $(wildcard tests/fuzz/fuzz_*.c)

HEADERS = $(wildcard harness/*/*.h stats/*.h reporters/*.h) $(PROTO_H)

REL = build/rel
SAN = build/san

# stats/ may use libc and libm only: it is compiled without harness/ on the
# include path.  Harness headers are named by folder ("util/buf.h");
# ci/checksrc.sh says which folders reporters/ may include.
inc_for = $(if $(filter stats/%,$1),-Istats,-Iharness -Istats -Ireporters -I$(GEN))

REL_OBJ = $(LIB_SRC:%.c=$(REL)/%.o)
SAN_OBJ = $(LIB_SRC:%.c=$(SAN)/%.o)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(SAN)/unit/%)
BENCH_BIN = $(BENCH_SRC:tests/bench/%.c=$(REL)/bench/%)
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
# The library once for every fuzz target: coverage-instrumented, sanitized.
FUZZ_OBJ = $(LIB_SRC:%.c=build/fuzzobj/%.o)
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
	-DPERFGO_VERSION='"$(VERSION)"' -DPERFGO_BUILD='"$(GIT_DESC)"'
# `make check` builds its binaries this many at a time (then runs the tests one by one).
CHECK_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# `make fuzz-long` runs each target for this many seconds.
FUZZ_SECONDS ?= 300

.PHONY: all check unit cli fuzz fuzz-long bench demo deps install clean checksrc
.DELETE_ON_ERROR:

all: perfgo

perfgo: $(REL)/harness/cli/main.o $(REL_OBJ)
	$(CC) $(OPT_CFLAGS) -o $@ $^ $(LIBS)

$(PROTO_C) $(PROTO_H): harness/profile/profile.proto
	@mkdir -p $(GEN)
	protoc-c --c_out=$(GEN) --proto_path=harness/profile profile.proto

$(REL)/%.o: %.c $(HEADERS) Makefile
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(OPT_CFLAGS) $(call inc_for,$<) $(PKG_CFLAGS) -c -o $@ $<

$(SAN)/%.o: %.c $(HEADERS) Makefile
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(SAN_CFLAGS) $(call inc_for,$<) $(PKG_CFLAGS) -c -o $@ $<

$(SAN)/perfgo: $(SAN)/harness/cli/main.o $(SAN_OBJ)
	$(CC) $(SAN_CFLAGS) -o $@ $^ $(LIBS)

$(UNIT_COMMON): tests/unit/common.h

$(SAN)/unit/%: tests/unit/%.c $(UNIT_COMMON) $(SAN_OBJ) $(wildcard tests/unit/*.h tests/bench/*.h)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(SAN_CFLAGS) -Iharness -Istats -Ireporters -I$(GEN) -Itests/unit \
		$(PKG_CFLAGS) -o $@ $< $(UNIT_COMMON) $(SAN_OBJ) $(LIBS) -lcmocka

$(REL)/bench/%: tests/bench/%.c $(REL_OBJ) $(wildcard tests/bench/*.h)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(OPT_CFLAGS) -Iharness -Istats -Ireporters -I$(GEN) \
		$(PKG_CFLAGS) -o $@ $< $(REL_OBJ) $(LIBS)

# Kept between targets (make would delete them as intermediate files).
.SECONDARY: $(FUZZ_OBJ)

build/fuzzobj/%.o: %.c $(HEADERS) Makefile
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined \
		$(call inc_for,$<) $(PKG_CFLAGS) -c -o $@ $<

build/fuzz/%: tests/fuzz/%.c $(wildcard tests/fuzz/*.h) $(FUZZ_OBJ)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined \
		-Iharness -Istats -Ireporters -I$(GEN) $(PKG_CFLAGS) -o $@ $< $(FUZZ_OBJ) $(LIBS)

deps:
	@ci/deps.sh

# The whole suite: unit tests, end-to-end CLI tests against the sanitizer
# build, and a short run of every fuzz target over its seed corpus.
check: deps
	@$(MAKE) --no-print-directory checksrc
	@$(MAKE) --no-print-directory -j$(CHECK_JOBS) $(UNIT_BIN) $(SAN)/perfgo $(FUZZ_BIN)
	@$(MAKE) --no-print-directory unit cli fuzz

unit: $(UNIT_BIN)
	@tests/run-unit.sh $(UNIT_BIN)

cli: $(SAN)/perfgo
	@PERFGO=$(CURDIR)/$(SAN)/perfgo tests/cli/run.sh

fuzz: $(FUZZ_BIN)
	@tests/fuzz/run.sh $(FUZZ_BIN)

# Fuzz each target for FUZZ_SECONDS (default 300), growing its seed corpus
# copy under build/fuzz-corpus/<target>; crashes are saved there too.
fuzz-long: $(FUZZ_BIN)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh $(FUZZ_BIN)


# bench_compare runs ./perfgo end to end (and benchstat, when on PATH).
bench: perfgo $(BENCH_BIN)
	@for b in $(BENCH_BIN); do echo "== $$b"; PERFGO=$(CURDIR)/perfgo $$b || exit 1; done

demo: deps
	@$(MAKE) --no-print-directory perfgo
	@examples/demo.sh

checksrc:
	@ci/checksrc.sh

install: perfgo
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 perfgo $(DESTDIR)$(PREFIX)/bin/perfgo

clean:
	rm -rf build perfgo
