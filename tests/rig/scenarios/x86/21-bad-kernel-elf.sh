# An ELF that is not a kernel (no PVH note) is refused.
knit_run -k /bin/busybox -m "$MEM"
expect_usage_error 'busybox'
pass
