# Dudao build. `make run` and `make test` are the two commands a new user needs;
# both install what is missing first (scripts/deps.sh).

CC      ?= gcc
PKGS    := libevent libevent_pthreads libmariadb jansson libsodium xlsxwriter libcmark-gfm gdlib libzip expat

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wwrite-strings -Wformat=2
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -pthread $(WARN) -Iservice -Ireports
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS  = $(PKG_LIBS) -lcmark-gfm-extensions -lm -pthread
ASAN    := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all

SRC      := $(wildcard service/*.c reports/*.c)
LIB_SRC  := $(filter-out service/main.c,$(SRC))
OBJ      := $(SRC:%.c=build/obj/%.o)
LIB_OBJ  := $(LIB_SRC:%.c=build/obj/%.o)
ASAN_OBJ := $(SRC:%.c=build/asan/%.o)
UNIT_SRC := $(wildcard tests/unit/*.c)
API_SRC  := $(wildcard tests/api/*.c)

NPROC   := $(shell nproc 2>/dev/null || echo 2)

# Quiet by default; `make V=1` shows the commands.
Q := $(if $(V),,@)

.PHONY: all build asan deps run stop test unit bench clean fuzz
all: build

deps:
	@scripts/deps.sh

build: build/dudao
asan: build/asan/dudao

build/dudao: $(OBJ)
	@echo "  LINK $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

build/asan/dudao: $(ASAN_OBJ)
	@echo "  LINK $@"
	$(Q)$(CC) $(CFLAGS) $(ASAN) -o $@ $^ $(LDLIBS)

build/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	$(Q)$(CC) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

build/asan/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC (asan) $<"
	$(Q)$(CC) $(CFLAGS) $(ASAN) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

build/unit_test: $(UNIT_SRC) $(wildcard tests/unit/*.h) $(LIB_OBJ)
	@echo "  LINK $@"
	$(Q)$(CC) $(CFLAGS) $(PKG_CFLAGS) -Itests/unit -o $@ $(UNIT_SRC) $(LIB_OBJ) $(LDLIBS)

build/api_test: $(API_SRC) $(wildcard tests/api/*.h)
	@echo "  LINK $@"
	$(Q)$(CC) $(CFLAGS) $(PKG_CFLAGS) -Itests/api -o $@ $(API_SRC) $(LDLIBS)

unit: build/unit_test
	build/unit_test

# Installs, builds, starts the private MariaDB, migrates, loads the demo county once,
# serves on http://127.0.0.1:8080 in the background. `make stop` stops both.
run:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory -j$(NPROC) build
	@scripts/run.sh start

stop:
	@scripts/run.sh stop

# Every test: unit, API (normal and sanitizer builds), browser. Ends with "N passed, N failed".
test:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory -j$(NPROC) build asan build/unit_test build/api_test
	@tests/run.sh

bench:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory -j$(NPROC) build
	@scripts/bench.sh

# libFuzzer targets for the parsers of untrusted input (scripts/fuzz.sh runs them).
FUZZ_FLAGS := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined
FUZZ_OBJ   := $(LIB_SRC:%.c=build/fuzz/obj/%.o)
.SECONDARY: $(FUZZ_OBJ)

build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC (fuzz) $<"
	$(Q)clang $(filter-out -O2,$(CFLAGS)) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -c -o $@ $<

build/fuzz/%: fuzz/%.c $(FUZZ_OBJ)
	@echo "  LINK $@"
	$(Q)clang $(filter-out -O2,$(CFLAGS)) $(FUZZ_FLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) -o $@ $< $(FUZZ_OBJ) $(LDLIBS)

fuzz:
	@scripts/fuzz.sh

clean:
	rm -rf build

-include $(OBJ:.o=.d) $(ASAN_OBJ:.o=.d)
