# SPDX-License-Identifier: GPL-2.0
#
# vnif + crak. `make help` lists the targets.

KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64))))
BUILD ?= $(CURDIR)/build
# Kbuild of 6.1 writes objects beside the sources: each kernel gets its own
# mirror of the module sources under build/, so builds never mix.
MODSRC := Kbuild vnif ckpt include tests/kunit
Q ?= @
FUZZ_TIME ?= 60

.PHONY: all modules modules-debug tools check check-host lint demo bench deps \
	kernel vm-shell check-harness pcap pcap-update pcap-faults fuzz clean \
	help print-kdir

all: modules tools

help:
	@echo "make               modules against KDIR (=$(KDIR)) and the tools"
	@echo "make modules       vnif.ko and crak.ko against KDIR, W=1, warnings are errors"
	@echo "make modules-debug the same against the debug test kernel (built once, cached)"
	@echo "make tools         userspace/vnif, userspace/crak, tests/selftests/flow"
	@echo "make check         every test; ends with 'N passed, N failed'"
	@echo "make check-host    the host-side unit tests only"
	@echo "make lint          checkpatch --strict, sparse, -Werror userspace"
	@echo "make demo          boot Debian's kernel in QEMU and show the modules at work"
	@echo "make kernel        build (or find in the cache) the debug test kernel"
	@echo "make vm-shell CMD='...'  run a command in the debug guest"
	@echo "make check-harness show that the harness fails on a failing KUnit case,"
	@echo "                   a WARN, a leak and a hang"
	@echo "make pcap [CASES='...']  the pcap replay suite alone, in the debug guest"
	@echo "make pcap-update [CASES='...']  rewrite the pcap goldens (in the guest)"
	@echo "make pcap-faults   show that the pcap suite fails on a broken vnif"
	@echo "make fuzz          each libFuzzer target FUZZ_TIME (=$(FUZZ_TIME)) s: exec/s, coverage;"
	@echo "                   FUZZ_ARGS=--merge keeps new inputs in the corpus"
	@echo "make deps          install what is missing (as root, with apt-get)"

deps:
	$(Q)scripts/deps.sh

print-kdir:
	@echo $(KDIR)

# $(1): kernel tree, $(2): build directory
define build_modules
	$(Q)mkdir -p $(2)
	$(Q)cp -a --parents $(MODSRC) $(2)/
	$(Q)bash -o pipefail -c '$(MAKE) -s -C $(1) M=$(2) W=1 VNIF_WERROR=y modules 2>&1 | \
		sed -u "s|$(2)/|$(CURDIR)/|g"'
endef

modules:
	$(call build_modules,$(KDIR),$(BUILD)/ko/$(notdir $(KDIR)))
	$(Q)cp $(BUILD)/ko/$(notdir $(KDIR))/vnif.ko $(BUILD)/ko/$(notdir $(KDIR))/crak.ko .

modules-debug:
	$(call build_modules,$(shell tests/vm/build-kernel.sh),$(BUILD)/ko/debug)

kernel:
	$(Q)tests/vm/build-kernel.sh

tools:
	$(Q)$(MAKE) -s -C userspace
	$(Q)$(MAKE) -s -C tests/selftests

check:
	$(Q)tests/check.sh

check-host:
	$(Q)$(MAKE) -s -C tests/host check

lint:
	$(Q)scripts/lint.sh

demo:
	$(Q)tests/demo.sh

bench:
	$(Q)tests/bench/run.sh

vm-shell:
	$(Q)tests/vm/run.sh -- bash -c '$(CMD)'

check-harness:
	$(Q)tests/vm/harness-test.sh

# The pcap suite (tests/pcap/run) in the debug guest; pcap-update shares
# tests/pcap read-write with the guest so that it can rewrite the goldens.
PCAP_GUEST = insmod build/ko/debug/vnif.ko && tests/pcap/run
pcap: modules-debug tools
	$(Q)tests/vm/run.sh --kernel debug --timeout 1500 --name pcap -- \
		bash -c '$(PCAP_GUEST) $(CASES)'

pcap-update: modules-debug tools
	$(Q)tests/vm/run.sh --kernel debug --timeout 1500 --name pcap-update \
		--rw tests/pcap -- bash -c '$(PCAP_GUEST) --update $(CASES)'

pcap-faults:
	$(Q)tests/pcap/faults/run.sh

fuzz:
	$(Q)tests/fuzz/run.sh --time $(FUZZ_TIME) $(FUZZ_ARGS)

clean:
	$(Q)rm -rf $(BUILD) vnif.ko crak.ko
	$(Q)$(MAKE) -s -C userspace clean
	$(Q)$(MAKE) -s -C tests/selftests clean
	$(Q)$(MAKE) -s -C tests/host clean
