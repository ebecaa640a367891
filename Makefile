# SPDX-License-Identifier: GPL-2.0
#
# knit's build, in the manner of Kbuild: `make` builds ./knit (or $(O)/knit),
# `make V=1` shows whole commands, `make O=dir` builds out of tree,
# `make ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-` cross-builds.

VERSION := 0.1.0

srctree := $(CURDIR)
O ?= .
objtree := $(abspath $(O))

HOSTARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
ARCH ?= $(HOSTARCH)
CROSS_COMPILE ?=
CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
PKG_CONFIG ?= pkg-config

ifeq ($(V),1)
  Q :=
  quiet :=
else
  Q := @
  quiet := quiet_
endif

ifeq ($(wildcard $(srctree)/arch/$(ARCH)/Kbuild),)
  $(error ARCH=$(ARCH) is not supported yet (arch/ has: $(notdir $(wildcard $(srctree)/arch/*))))
endif

# Each directory lists its objects in a Kbuild file (obj-y += name.o).
obj-y :=
include $(srctree)/util/Kbuild
include $(srctree)/kvm/Kbuild
include $(srctree)/arch/$(ARCH)/Kbuild
include $(srctree)/firmware/Kbuild
include $(srctree)/hw/Kbuild
include $(srctree)/hw/virtio/Kbuild
include $(srctree)/net/Kbuild
include $(srctree)/cli/Kbuild

# Libraries the VMM links come through pkg-config; libslirp's headers
# too, but knit loads it only for user-mode networking (net/slirp_lib.c).
LIB_PKGS := libnl-3.0 libnl-route-3.0 liburing json-c
DL_PKGS := slirp
CFLAGS ?= -O2 -g
KNIT_CFLAGS := -std=gnu11 -Wall -Wextra -Wno-unused-parameter \
	-Wmissing-prototypes -Wstrict-prototypes -fno-strict-aliasing \
	-D_GNU_SOURCE -DKNIT_VERSION='"$(VERSION)"' \
	-I$(srctree)/include -I$(srctree) -I$(srctree)/arch/$(ARCH)/include \
	-MMD -MP
ifneq ($(LIB_PKGS),)
  KNIT_CFLAGS += $(shell $(PKG_CONFIG) --cflags $(LIB_PKGS) $(DL_PKGS))
  LIBS += $(shell $(PKG_CONFIG) --libs $(LIB_PKGS))
endif
LIBS += -ldl -lpthread

knit-objs := $(addprefix $(objtree)/,$(obj-y))
lib-objs := $(filter-out $(objtree)/cli/main.o,$(knit-objs))

quiet_cmd_cc = CC      $(patsubst $(objtree)/%,%,$@)
      cmd_cc = $(CC) $(KNIT_CFLAGS) $(CFLAGS) -c -o $@ $<
quiet_cmd_ld = LD      $(patsubst $(objtree)/%,%,$@)
      cmd_ld = $(CC) $(LDFLAGS) -o $@ $(filter %.o %.a,$^) $(LIBS)
quiet_cmd_ar = AR      $(patsubst $(objtree)/%,%,$@)
      cmd_ar = rm -f $@ && $(CROSS_COMPILE)ar rcs $@ $(filter %.o,$^)

define run
	@mkdir -p $(dir $@)
	$(if $(Q),@echo '  $($(quiet)cmd_$(1))')
	$(Q)$(cmd_$(1))
endef

.PHONY: all clean check unit smoke rig bench demo deps help
all: $(objtree)/knit

$(objtree)/knit: $(knit-objs)
	$(call run,ld)

$(objtree)/libknit.a: $(lib-objs)
	$(call run,ar)

$(objtree)/%.o: $(srctree)/%.c
	$(call run,cc)

include $(srctree)/tests/Makefile.inc

clean:
	$(Q)rm -rf $(addprefix $(objtree)/,util kvm arch firmware hw net cli tests/build knit libknit.a)

help:
	@echo 'make              build knit'
	@echo 'make check        unit tests, local KVM smoke test, nested rig'
	@echo 'make unit         cmocka unit tests only'
	@echo 'make smoke        local /dev/kvm smoke test only'
	@echo 'make rig          nested-rig scenarios only'
	@echo 'make bench        benchmarks against QEMU in the rig'
	@echo 'make demo         boot a Debian kernel under knit (in the rig here)'
	@echo 'options: V=1 O=dir ARCH=x86|arm64 CROSS_COMPILE=prefix'

-include $(knit-objs:.o=.d)
