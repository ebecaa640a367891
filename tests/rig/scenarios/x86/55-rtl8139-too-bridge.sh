# The emulated RTL8139 presented as revision 0x10 (rev=0x10), which
# L2's stock 8139too driver takes (it leaves 0x20 and up to 8139cp): the
# same checks as 54 through the RTL8139's receive ring buffer and its
# four transmit slots.
nic_bridge_test rtl8139,rev=0x10 52:54:00:81:39:02 0x10ec:0x8139 8139too
pass
