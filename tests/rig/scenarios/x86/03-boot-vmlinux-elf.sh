# The same kernel as an uncompressed vmlinux ELF boots through its PVH entry.
knit_run -k "$VMLINUX" -i "$INITRD" -m "$MEM" -p "$PARAMS knit.test=poweroff"
expect_marker 1
expect_status 0
pass
