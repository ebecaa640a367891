# Kernel and initrd that do not fit in guest RAM are refused (the bzImage
# alone is about 8 MiB).
knit_run -k "$BZIMAGE" -i "$INITRD" -m 8M
expect_usage_error "needs [0-9]+ MiB of RAM, more than -m/--mem gives \(8 MiB\)"
pass
