# The emulated RTL8139C+ at its default revision (0x20, as QEMU's) under
# L2's stock 8139cp driver (C+ mode descriptors, checksum offload, TSO),
# on a bridge knit creates: the driver binds and sees the MAC given, the
# link comes up, 16 MiB each way over TCP arrive whole, multicast to a
# joined group gets through, and frames for other MACs only once eth0 is
# promiscuous.
nic_bridge_test rtl8139 52:54:00:81:39:01 0x10ec:0x8139 8139cp
pass
