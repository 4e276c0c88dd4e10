# Makefile - one static executable, its tests, fuzzers and demo.
#
#   make            build ./hacluster (musl-gcc -static -Os), print its size
#   make test       every test: unit (plain and ASan+UBSan), black-box,
#                   layers, XML differential, short fuzz passes
#   make demo       build and run the demo session
#   make fuzz       longer fuzz runs (FUZZ_SECONDS each, default 300)
#   make soak       thousands of simulator seeds (SEEDS), then make fuzz
#   make bench      ring formation, failover, throughput, idle cost (root)
#   make install    hacluster and its symlinks in SBINDIR, man pages
#
# Missing tools are installed from Debian packages (apt-get), and said so.
# Quiet: a line per link; V=1 prints every command.

MUSLCC   ?= musl-gcc
CLANG    ?= clang
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	    -Wno-unused-parameter
# OPT: -Os.  Measured on this tree: stripped size of ./hacluster, and
# instructions (valgrind --tool=callgrind) of sealing, `echo bench 1400
# 2000 | build/tool_crypto` (ChaCha20-Poly1305, 1400-byte messages), and of
# the protocol simulator, `SEEDS=10 build/tool_sim`:
#          bytes   crypto Ir     sim Ir   our code (link map; musl ~80 KB)
#   -Oz   221000    270.8 M    10.08 G    137 KB
#   -Os   223304    256.8 M    10.06 G    139 KB
#   -O2   264264    271.0 M     7.99 G    179 KB
# By the clock (best of 5, bench 1400 200000) -Oz and -Os seal ~110000
# messages/s, -O2 ~117000.  -O2 runs the simulator on 21% fewer
# instructions, but grows our code by 29%: 40 KB now, a quarter of the
# headroom left for fencing, services, agents and the web page, and more
# as they come.  -Os is as fast as -Oz (5% fewer instructions sealing) for
# 2.3 KB.  With the daemon's table of parts: -Oz 223208, -Os 227304, -O2
# 268264 bytes.
OPT      ?= -Os
# BASE: every build; CFLAGS from the command line adds to it
BASE     := -std=c11 -D_GNU_SOURCE $(WARN) -MMD -MP $(CFLAGS)
# size: no unwind tables (C only, no backtraces), unused sections dropped,
# code and data share pages (no padding between them), no RELRO (a static
# musl binary never write-protects it; it only page-aligns the data)
SMALL    := -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
	    -fno-unwind-tables
LDSMALL  := -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,noseparate-code \
	    -Wl,-z,norelro
# link-time optimization of the musl objects: the whole program is one
# unit, so the compiler inlines and drops across files, and, linking a
# static (non-PIE) executable, emits position-dependent code with pointer
# tables in .rodata.  One partition (none) is about 4 KB smaller than the
# default split.
LTO      := -flto -flto-partition=none
# the stripped product's budget: 384 KiB
BUDGET   := 393216
FUZZ_SECONDS ?= 300
FUZZ_SHORT   ?= 25

DIRS     := net xml quorum agents rm
LIB_SRCS := $(foreach d,$(DIRS),$(wildcard $(d)/*.c))
SRCS     := hacluster.c $(LIB_SRCS)
UNIT_SRCS := test/unit.c $(wildcard test/unit_*.c)
FUZZERS  := $(patsubst test/%.c,%,$(wildcard test/fuzz_*.c))

BUILD    ?= build
BIN      ?= hacluster
OBJ      := $(BUILD)/musl
ASAN     := $(BUILD)/asan
FUZZ     := $(BUILD)/fuzz
TOOLS    := $(patsubst test/tool_%.c,$(BUILD)/tool_%,$(wildcard test/tool_*.c))

# $(Q) before a command hides it unless V=1; $(call said,WHAT) says
# what is linked instead
ifeq ($(V),1)
Q        :=
said      =
else
Q        := @
said      = @echo "  LD      $(1)"
endif

all: $(BIN)

# --- tools ---------------------------------------------------------------
# $(call need,COMMAND,PACKAGES)
need = @command -v $(1) >/dev/null 2>&1 || { \
	echo "make: $(1) not found: installing Debian package(s) $(2)"; \
	{ apt-get install -y -q $(2) >/dev/null 2>&1 || \
	  { apt-get update -q >/dev/null 2>&1 && \
	    apt-get install -y -q $(2) >/dev/null; }; } || \
	{ echo "make: could not install $(2)"; exit 1; }; }

tools-musl:
	$(call need,$(MUSLCC),musl-tools)
tools-clang:
	$(call need,$(CLANG),clang)
	@[ -n "$$(ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ] || \
	  { v=$$($(CLANG) --version | sed -n 's/.*version \([0-9]*\).*/\1/p;q'); \
	    echo "make: libFuzzer runtime not found: installing libclang-rt-$$v-dev"; \
	    apt-get install -y -q libclang-rt-$$v-dev >/dev/null 2>&1 || \
	    { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q libclang-rt-$$v-dev >/dev/null; }; }
tools-xmllint:
	$(call need,xmllint,libxml2-utils)
	$(call need,python3,python3)

# Everything built depends on this Makefile (flags), links also on the
# list of sources, rewritten only when it changes: a source removed (or
# added) relinks what held it instead of leaving a stale binary.
SRCLIST  := $(BUILD)/sources
$(shell mkdir -p $(BUILD); l='$(sort $(SRCS) $(UNIT_SRCS) $(wildcard test/*.c))'; \
	[ "$$(cat $(SRCLIST) 2>/dev/null)" = "$$l" ] || echo "$$l" > $(SRCLIST))
DEPS     := Makefile $(SRCLIST)
OBJS      = $(filter %.o,$^)

# --- the product -----------------------------------------------------------
$(OBJ)/%.o: %.c Makefile | tools-musl
	@mkdir -p $(dir $@)
	$(Q)$(MUSLCC) $(OPT) $(BASE) $(SMALL) $(LTO) -c $< -o $@

$(BIN): $(SRCS:%.c=$(OBJ)/%.o) $(DEPS)
	$(call said,$@)
	$(Q)$(MUSLCC) $(OPT) $(LTO) -static -s $(LDSMALL) $(LDFLAGS) $(OBJS) -o $@
	@size=$$(stat -c %s $@); \
	 echo "hacluster: $$size bytes stripped, budget $(BUDGET) ($$((size * 100 / $(BUDGET)))%)"; \
	 [ $$size -le $(BUDGET) ] || { echo "hacluster: over budget"; rm -f $@; exit 1; }

# --- unit tests: musl static, then clang ASan+UBSan on host libc -----------
$(BUILD)/unit: $(LIB_SRCS:%.c=$(OBJ)/%.o) $(UNIT_SRCS:%.c=$(OBJ)/%.o) $(DEPS)
	$(call said,$@)
	$(Q)$(MUSLCC) $(OPT) $(LTO) -static $(OBJS) -o $@

# test-only tools: test/tool_NAME.c linked with the library objects
$(BUILD)/tool_%: $(LIB_SRCS:%.c=$(OBJ)/%.o) $(OBJ)/test/tool_%.o $(DEPS)
	$(call said,$@)
	$(Q)$(MUSLCC) $(OPT) $(LTO) -static $(OBJS) -o $@

# the simulator has more files: the quorum service, the fence domain and
# the services on its nodes, the envelope and a replaying adversary
$(BUILD)/tool_sim: $(LIB_SRCS:%.c=$(OBJ)/%.o) $(OBJ)/test/tool_sim.o \
		   $(OBJ)/test/sim_quorum.o $(OBJ)/test/sim_fence.o \
		   $(OBJ)/test/sim_svc.o $(OBJ)/test/sim_replay.o $(DEPS)
	$(call said,$@)
	$(Q)$(MUSLCC) $(OPT) $(LTO) -static $(OBJS) -o $@

ASAN_FLAGS := -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
	      -fno-omit-frame-pointer
$(ASAN)/%.o: %.c Makefile | tools-clang
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(BASE) $(ASAN_FLAGS) -Wno-unknown-warning-option -c $< -o $@

$(BUILD)/unit-asan: $(LIB_SRCS:%.c=$(ASAN)/%.o) $(UNIT_SRCS:%.c=$(ASAN)/%.o) \
		    $(DEPS)
	$(call said,$@)
	$(Q)$(CLANG) $(ASAN_FLAGS) $(OBJS) -o $@

# --- fuzzers ---------------------------------------------------------------
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
	      -fno-sanitize-recover=all
$(FUZZ)/%.o: %.c Makefile | tools-clang
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(BASE) $(FUZZ_FLAGS) -Wno-unknown-warning-option -c $< -o $@

$(FUZZ)/fuzz_%: $(LIB_SRCS:%.c=$(FUZZ)/%.o) $(FUZZ)/test/fuzz_%.o $(DEPS)
	$(call said,$@)
	$(Q)$(CLANG) -fsanitize=fuzzer,address,undefined $(OBJS) -o $@

fuzzers: $(FUZZERS:%=$(FUZZ)/%)

# FUZZ_TIME seconds per target, corpus seeded from test/corpus/NAME.
fuzz-run = @for f in $(FUZZERS); do \
	  name=$${f\#fuzz_}; mkdir -p $(BUILD)/corpus/$$name; \
	  seeds=test/corpus/$$name; [ -d $$seeds ] || seeds=; \
	  echo "fuzz: $$f for $(1) s"; \
	  $(FUZZ)/$$f -max_total_time=$(1) -max_len=65536 -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=0 \
	    -artifact_prefix=$(BUILD)/ $(BUILD)/corpus/$$name $$seeds \
	    >$(BUILD)/$$f.log 2>&1 || \
	    { tail -40 $(BUILD)/$$f.log; echo "fuzz: $$f FAILED"; exit 1; }; \
	  grep -E '^[\#][0-9]+.*DONE' $(BUILD)/$$f.log | tail -1; \
	done

fuzz: fuzzers
	$(call fuzz-run,$(FUZZ_SECONDS))

fuzz-short: fuzzers
	$(call fuzz-run,$(FUZZ_SHORT))

# --- the whole suite ---------------------------------------------------------
test: $(BIN) $(BUILD)/unit $(BUILD)/unit-asan $(TOOLS) fuzzers | tools-xmllint
	@BUILD=$(BUILD) BIN=$(BIN) bash test/run-all.sh

# the performance table (root: uses network namespaces); never asserts time
bench: $(BIN) $(BUILD)/tool_ringbench
	bash test/bench/bench.sh $(BIN) $(BUILD)
	bash test/bench/services.sh $(BIN)

# long chaos: many more simulator seeds, then longer fuzz runs
soak: $(BIN) $(BUILD)/tool_sim fuzzers
	SEEDS=$${SEEDS:-5000} $(BUILD)/tool_sim
	SEEDS="$${CHAOS_SEEDS:-$$(shuf -i 1-32767 -n 5 | tr '\n' ' ')}" CHAOS_S=$${CHAOS_S:-120} bash test/netns/chaos.test.sh $(BIN)
	NODES=5 SEEDS="$${CHAOS_SEEDS:-$$(shuf -i 1-32767 -n 3 | tr '\n' ' ')}" CHAOS_S=$${CHAOS_S:-120} bash test/netns/chaos.test.sh $(BIN)
	$(MAKE) -s BUILD=$(BUILD) BIN=$(BIN) fuzz

demo: $(BIN)
	@bash test/demo.sh $(BIN)

# install: the executable in SBINDIR with its applet symlinks, and the
# man pages where a man directory exists (DESTDIR for a staged image)
SBINDIR ?= /usr/sbin
MANDIR  ?= /usr/share/man
install: $(BIN)
	install -D -m 0755 $(BIN) $(DESTDIR)$(SBINDIR)/hacluster
	$(DESTDIR)$(SBINDIR)/hacluster install $(DESTDIR)$(SBINDIR)
	@if [ -d $(DESTDIR)$(MANDIR) ]; then \
	  install -d $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 && \
	  install -m 0644 man/*.5 $(DESTDIR)$(MANDIR)/man5 && \
	  install -m 0644 man/*.8 $(DESTDIR)$(MANDIR)/man8 && \
	  echo "man pages in $(DESTDIR)$(MANDIR)/man5 and man8"; \
	else echo "no $(DESTDIR)$(MANDIR): man pages not installed"; fi

clean:
	rm -rf $(BUILD) $(BIN)

# objects made through a chain of rules (the fuzzers' among them) are
# kept: make neither deletes them after the total nor builds them again
.SECONDARY:

.PHONY: all test demo install bench soak fuzz fuzz-short fuzzers clean tools-musl tools-clang \
	tools-xmllint

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
