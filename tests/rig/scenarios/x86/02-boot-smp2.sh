# With -c 2 the guest brings both CPUs online.
knit_boot poweroff -c 2
expect_marker 2
expect_status 0
pass
