# The emulated Intel 82540EM under L2's stock e1000 driver, on a bridge
# knit creates: the driver binds and sees the MAC given, the link comes
# up, 16 MiB each way over TCP arrive whole, multicast to a joined group
# gets through, and frames for other MACs only once eth0 is promiscuous.
nic_bridge_test e1000 52:54:00:e1:00:02 0x8086:0x100e e1000
pass
