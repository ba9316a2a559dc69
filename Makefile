# tmpl-ls: a language server for BMAD Markdown templates.
#
#   make demo      build, then check the bundled example workspace
#   make test      build and run every test (release and ASan+UBSan builds,
#                  valgrind, the release tarball in an empty root, the editor
#                  integrations inside Neovim, Emacs, VS Code)
#   make fuzz      run each libFuzzer target for FUZZ_SECONDS
#   make bench     parser throughput against a memchr pass (Markdown and YAML front-ends)
#   make bench-lsp LSP latency and memory beside peer servers (npm installs them);
#                  make bench-lsp-test checks its table and goal lines
#   make soak      a long editing session, watching the server's memory
#   make screenshots  the README's pictures, taken in VS Code by its test
#   make install   PREFIX=/usr/local (the binary and the man page)
#   make dist      release artifacts in build/dist/ (static binary, tarball, .vsix)
#
# Sources are found by folder: grammar/*.c, yaml/*.c, protocol/*.c and server/**.c
# (server/main.c is the entry point), tests/<area>/test_*.c each become one
# test program. Objects go to build/<variant>/.

CC       ?= cc
PREFIX   ?= /usr/local
VERSION  := 0.1.0
FUZZ_SECONDS ?= 30
WERROR   ?= $(if $(CI),-Werror,)

PKGS     := jansson libuv libpcre2-8 yaml-0.1
TEST_PKGS:= cmocka
APT_PKGS := pkg-config libjansson-dev libuv1-dev libpcre2-dev libyaml-dev libcmocka-dev
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

WARN     := -std=c11 -Wall -Wextra -Wshadow -Wpedantic $(WERROR)
DEFS     := -D_POSIX_C_SOURCE=200809L -DTMPL_LS_VERSION='"$(VERSION)"'
INC      := -I. 
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_LIBS  = $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

CFLAGS_release := -O2 -g -fvisibility=hidden
CFLAGS_asan    := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDFLAGS_release:=
LDFLAGS_asan   := -fsanitize=address,undefined

GRAMMAR_SRC  := $(sort $(wildcard grammar/*.c))
YAML_SRC     := $(sort $(wildcard yaml/*.c))
PROTOCOL_SRC := $(sort $(wildcard protocol/*.c))
SERVER_SRC   := $(sort $(filter-out server/main.c,$(wildcard server/*.c server/*/*.c)))
LIB_SRC      := $(GRAMMAR_SRC) $(YAML_SRC) $(PROTOCOL_SRC) $(SERVER_SRC)
TEST_SUPPORT := $(sort $(wildcard tests/support/*.c))
TEST_SRC     := $(sort $(wildcard tests/*/test_*.c))
TOOL_SRC     := $(sort $(wildcard tests/tools/*.c))

.PHONY: all deps demo test test-release test-asan test-valgrind test-clients test-fuzz-seeds soak bench-lsp screenshots \
        fuzz bench install uninstall clean lint format dist dist-test

all: build/release/tmpl-ls

# --- dependencies ---------------------------------------------------------
# Installs the Debian packages only when pkg-config cannot find them.
deps: build/.deps
build/.deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || \
	    ! pkg-config --exists $(PKGS) $(TEST_PKGS); then \
	  echo "make: installing build dependencies: $(APT_PKGS)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PKGS) >/dev/null; \
	fi
	@pkg-config --exists $(PKGS) $(TEST_PKGS) || \
	  { echo "make: missing packages: $(APT_PKGS)" >&2; exit 1; }
	@mkdir -p build && touch $@

# --- one build per variant ------------------------------------------------
define VARIANT
build/$(1)/%.o: %.c | build/.deps
	@mkdir -p $$(dir $$@)
	@echo "  CC [$(1)] $$<"
	@$$(CC) $$(WARN) $$(DEFS) $$(INC) $$(PKG_CFLAGS) $$(CFLAGS_$(1)) -MMD -MP -c $$< -o $$@

build/$(1)/libtmpl.a: $$(LIB_SRC:%.c=build/$(1)/%.o)
	@rm -f $$@
	@ar rcs $$@ $$^

build/$(1)/tmpl-ls: build/$(1)/server/main.o build/$(1)/libtmpl.a
	@echo "  LD [$(1)] $$@"
	@$$(CC) $$(LDFLAGS_$(1)) -o $$@ $$^ $$(PKG_LIBS)

build/$(1)/tests/%: build/$(1)/tests/%.o $$(TEST_SUPPORT:%.c=build/$(1)/%.o) build/$(1)/libtmpl.a
	@$$(CC) $$(LDFLAGS_$(1)) -o $$@ $$^ $$(PKG_LIBS) $$(TEST_LIBS)

TESTS_$(1) := $$(TEST_SRC:%.c=build/$(1)/%) $$(TOOL_SRC:%.c=build/$(1)/%)
-include $$(shell find build/$(1) -name '*.d' 2>/dev/null)
endef
$(eval $(call VARIANT,release))
$(eval $(call VARIANT,asan))

.SECONDARY:

# --- commands -------------------------------------------------------------
demo: build/release/tmpl-ls
	@echo '$$ cd examples/workspace && tmpl-ls check'
	@cd examples/workspace && ../../build/release/tmpl-ls check; \
	  status=$$?; echo "(exit status $$status: 1 means problems were found)"; \
	  [ $$status -le 1 ]

# Every part runs even when an earlier one fails; the status says if any did.
test: deps
	@status=0; \
	$(MAKE) --no-print-directory test-fuzz-seeds || status=1; \
	$(MAKE) --no-print-directory test-release || status=1; \
	$(MAKE) --no-print-directory test-asan || status=1; \
	$(MAKE) --no-print-directory test-valgrind || status=1; \
	$(MAKE) --no-print-directory dist-test || status=1; \
	$(MAKE) --no-print-directory test-clients || status=1; \
	exit $$status

test-release: build/release/tmpl-ls $(TESTS_release) | build/.schema-deps
	@status=0; tests/run.sh release || status=1; \
	/usr/bin/python3 tests/schema/test_schema.py build/release/tmpl-ls > build/release/schema.log 2>&1 || status=1; \
	grep -v '^ok ' build/release/schema.log; \
	$(MAKE) --no-print-directory bench-lsp-test > build/release/bench-lsp-test.log 2>&1 || \
	  { status=1; cat build/release/bench-lsp-test.log; }; \
	echo "bench-lsp: $$(sed -n 's/^Ran \([0-9]*\) test.*/\1/p' build/release/bench-lsp-test.log) table tests, $$(tail -n 1 build/release/bench-lsp-test.log)"; \
	exit $$status

test-asan: build/asan/tmpl-ls $(TESTS_asan)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  tests/run.sh asan

# The schema tests (tests/schema/validate.py for YAML templates,
# tests/schema/test_schema.py for .tmpl-ls.json): Debian's python3 (not
# whatever python3 comes first on PATH) with python3-jsonschema and PyYAML.
SCHEMA_PKGS := python3 python3-jsonschema python3-yaml
build/.schema-deps: | build/.deps
	@if ! /usr/bin/python3 -c 'import jsonschema, yaml' >/dev/null 2>&1; then \
	  echo "make: installing $(SCHEMA_PKGS) for the schema tests"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(SCHEMA_PKGS) >/dev/null; \
	fi
	@touch $@

# The transcripts again, the release server under valgrind (uninitialised
# reads and leaks that a sanitizer build does not show).
test-valgrind: build/release/tmpl-ls build/release/tests/tools/transcript | build/.valgrind-deps
	@tests/run.sh valgrind

build/.valgrind-deps: | build/.deps
	@if ! command -v valgrind >/dev/null 2>&1; then \
	  echo "make: installing valgrind"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq valgrind >/dev/null; \
	fi
	@touch $@

# The editor integrations (clients/), inside the editors: headless Neovim,
# batch Emacs with Eglot and with lsp-mode, headless Vim with ALE, VS Code
# as code-server under headless Chromium (its run.sh installs chromium and
# code-server itself, into build/vscode-test), against the release server;
# the README's snippets for the other editors (tests/clients/snippets:
# parsed, the Kakoune one run in kak, settings checked against the schema),
# and its Neovim and lsp-mode snippets for the .tmpl-ls.json schema against
# npm's vscode-json-language-server (tests/clients/jsonschema).
CLIENT_PKGS := neovim emacs-nox elpa-eglot elpa-lsp-mode elpa-markdown-mode elpa-yaml-mode vim vim-ale \
               kakoune python3-jsonschema
# The VS Code test also installs make dist's linux-x64 extension, which
# carries its own server, and checks it with no tmpl-ls.path and none on PATH.
test-clients: build/release/tmpl-ls build/dist/tmpl-ls-$(VERSION)-linux-x64.vsix | build/.clients-deps
	@status=0; \
	for t in tests/clients/*/run.sh; do \
	  TMPL_LS_BUNDLED_VSIX=$(CURDIR)/build/dist/tmpl-ls-$(VERSION)-linux-x64.vsix "$$t" build/release/tmpl-ls || status=1; \
	done; \
	exit $$status

build/.clients-deps: | build/.deps
	@missing=""; for p in $(CLIENT_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make: installing editors for the client tests:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@touch $@

install: build/release/tmpl-ls
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 build/release/tmpl-ls $(DESTDIR)$(PREFIX)/bin/tmpl-ls
	install -m 644 man/tmpl-ls.1 $(DESTDIR)$(PREFIX)/share/man/man1/tmpl-ls.1
	install -d $(DESTDIR)$(PREFIX)/share/tmpl-ls
	install -m 644 schema/bmad-template.schema.json schema/tmpl-ls.schema.json $(DESTDIR)$(PREFIX)/share/tmpl-ls/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/tmpl-ls $(DESTDIR)$(PREFIX)/share/man/man1/tmpl-ls.1
	rm -f $(DESTDIR)$(PREFIX)/share/tmpl-ls/bmad-template.schema.json $(DESTDIR)$(PREFIX)/share/tmpl-ls/tmpl-ls.schema.json

# --- release artifacts ------------------------------------------------------
# make dist: build/dist/ gets a tmpl-ls for Linux x86_64 that needs nothing
# but the C library (the other libraries linked statically: Debian's -dev
# packages ship the .a files; libuv's is libuv_a, named by libuv-static.pc),
# a tarball with it, the man page, the README, the license and the editor
# clients, its SHA-256 sum, and two VS Code extensions: one that bundles the
# binary (linux-x64) and one that runs tmpl-ls from PATH.
# make dist-test: the tarball's binary in a root that holds only it, the C
# library and the demo workspace (tests/dist/run.sh).
DIST_NAME := tmpl-ls-$(VERSION)-linux-x86_64
DIST_SYS  := -lpthread -ldl -lrt -lm
DIST_PKGS  = $(patsubst libuv,libuv-static,$(PKGS))
DIST_LIBS  = $(shell pkg-config --libs-only-L $(DIST_PKGS)) -Wl,-Bstatic \
             $(filter-out $(DIST_SYS),$(shell pkg-config --libs-only-l $(DIST_PKGS))) \
             -Wl,-Bdynamic $(DIST_SYS)
DIST_FILES := README.md LICENSE man/tmpl-ls.1 clients/nvim clients/emacs clients/vim clients/vscode/README.md schema/tmpl-ls.schema.json

dist: build/dist/$(DIST_NAME).tar.gz build/dist/tmpl-ls-$(VERSION)-linux-x64.vsix build/dist/tmpl-ls-$(VERSION).vsix

build/dist/tmpl-ls: build/release/server/main.o build/release/libtmpl.a
	@mkdir -p build/dist
	@echo "  LD [dist] $@"
	@$(CC) -o $@ $^ $(DIST_LIBS)

build/dist/$(DIST_NAME).tar.gz: build/dist/tmpl-ls $(DIST_FILES)
	@rm -rf build/dist/$(DIST_NAME) && mkdir -p build/dist/$(DIST_NAME)/bin build/dist/$(DIST_NAME)/share/man/man1
	@cp build/dist/tmpl-ls build/dist/$(DIST_NAME)/bin/
	@cp man/tmpl-ls.1 build/dist/$(DIST_NAME)/share/man/man1/
	@cp README.md LICENSE build/dist/$(DIST_NAME)/
	@mkdir -p build/dist/$(DIST_NAME)/clients && cp -R clients/nvim clients/emacs clients/vim build/dist/$(DIST_NAME)/clients/
	@cp -R schema build/dist/$(DIST_NAME)/
	@tar -C build/dist --owner=0 --group=0 --sort=name -czf $@ $(DIST_NAME)
	@cd build/dist && sha256sum $(DIST_NAME).tar.gz > $(DIST_NAME).tar.gz.sha256
	@echo "  DIST $@ ($$(cut -c1-16 $@.sha256)...)"

build/dist/tmpl-ls-$(VERSION)-linux-x64.vsix: build/dist/tmpl-ls $(wildcard clients/vscode/*) schema/tmpl-ls.schema.json
	@clients/vscode/package.sh $@ build/dist/tmpl-ls

build/dist/tmpl-ls-$(VERSION).vsix: $(wildcard clients/vscode/*) schema/tmpl-ls.schema.json
	@clients/vscode/package.sh $@

dist-test: build/dist/$(DIST_NAME).tar.gz build/release/tmpl-ls | build/.dist-deps
	@status=0; tests/dist/run.sh build/dist/$(DIST_NAME).tar.gz || status=1; \
	tests/readme/run.sh build/dist/$(DIST_NAME).tar.gz || status=1; exit $$status

build/.dist-deps: | build/.deps
	@if ! command -v man >/dev/null 2>&1; then \
	  echo "make: installing man-db (the dist test reads the man page)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq man-db >/dev/null; \
	fi
	@touch $@

# --- fuzzing and benchmarks -----------------------------------------------
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=build/fuzz/%)
FUZZ_FLAGS := -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined $(DEFS) $(INC)

build/fuzz/%: fuzz/%.c $(LIB_SRC) | build/.fuzz-deps
	@mkdir -p build/fuzz
	@echo "  CC [fuzz] $<"
	@clang $(FUZZ_FLAGS) $(PKG_CFLAGS) -o $@ $< $(LIB_SRC) $(PKG_LIBS)

# clang with libFuzzer; installed like the other dependencies when missing.
build/.fuzz-deps: | build/.deps
	@if ! printf 'int LLVMFuzzerTestOneInput(const char*d,unsigned long n){(void)d;(void)n;return 0;}' | \
	    clang -x c -fsanitize=fuzzer -o build/.fuzz-probe - >/dev/null 2>&1; then \
	  echo "make: installing clang and libFuzzer"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq clang libclang-rt-14-dev >/dev/null; \
	fi
	@rm -f build/.fuzz-probe && touch $@

fuzz: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do \
	  name=$$(basename $$f); mkdir -p build/fuzz/corpus-$$name; \
	  echo "fuzz: $$name for $(FUZZ_SECONDS)s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=5 \
	      $$( [ -f fuzz/$$name.dict ] && echo -dict=fuzz/$$name.dict ) \
	      $$( [ -f fuzz/$$name.flags ] && cat fuzz/$$name.flags ) \
	      build/fuzz/corpus-$$name fuzz/seeds/$$name > build/fuzz/$$name.log 2>&1 || \
	    { tail -n 40 build/fuzz/$$name.log; echo "fuzz: $$name FAILED (build/fuzz/$$name.log)"; exit 1; }; \
	  tail -n 1 build/fuzz/$$name.log; \
	done

# fuzz/NAME.flags: the target's own libFuzzer flags (they override the above).
# Part of make test: every fuzz target replays its committed seeds once
# (deterministic; exploring new inputs is make fuzz's job).
test-fuzz-seeds: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do \
	  name=$$(basename $$f); \
	  $$f -runs=0 -timeout=10 fuzz/seeds/$$name > build/fuzz/$$name-seeds.log 2>&1 || \
	    { tail -n 40 build/fuzz/$$name-seeds.log; echo "fuzz seeds: $$name FAILED"; exit 1; }; \
	  echo "fuzz seeds: $$name: $$(ls fuzz/seeds/$$name | wc -l) inputs replayed"; \
	done

# A long editing session against the server, watching its memory (SOAK_SECONDS).
SOAK_SECONDS ?= 120
# The README's pictures, taken in VS Code (code-server) by its test, into docs/images.
screenshots: build/release/tmpl-ls
	@TMPL_LS_PICTURES=$(CURDIR)/docs/images tests/clients/vscode/run.sh build/release/tmpl-ls

soak: build/release/tmpl-ls
	@python3 bench/soak.py --binary build/release/tmpl-ls --seconds $(SOAK_SECONDS)

# LSP latency and memory beside peer servers, in one command (bench/lsp/README.md).
# BENCH_LSP_ARGS: run.sh's options (e.g. "--sizes 15k --peers none --repeat 1").
bench-lsp: build/release/tmpl-ls
	@bench/lsp/run.sh $(BENCH_LSP_ARGS)

# The table's and goal lines' logic over fixed results (seconds; no server run).
.PHONY: bench-lsp-test
bench-lsp-test:
	@/usr/bin/python3 -m unittest discover -s bench/lsp -p 'test_*.py'

bench: build/release/bench_parse build/release/bench_yaml
	@build/release/bench_parse ../shared/corpus/bmad-method
	@build/release/bench_yaml ../shared/corpus/bmad-method-yaml

build/release/bench_parse: bench/bench_parse.c build/release/libtmpl.a
	$(CC) $(WARN) $(DEFS) $(INC) $(CFLAGS_release) -o $@ $^ $(PKG_LIBS)

build/release/bench_yaml: bench/bench_yaml.c build/release/libtmpl.a
	$(CC) $(WARN) $(DEFS) $(INC) $(CFLAGS_release) -o $@ $^ $(PKG_LIBS)

# --- hygiene --------------------------------------------------------------
lint:
	cppcheck --quiet --enable=warning,performance,portability --std=c11 --error-exitcode=1 --inline-suppr \
	  --suppress=missingIncludeSystem -I. grammar yaml protocol server

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build
