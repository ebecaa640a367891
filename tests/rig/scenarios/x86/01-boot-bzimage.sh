# The stock Debian bzImage boots to L2's /init on one vCPU; the guest's
# power-off ends knit with 0, and --stats prints its line.
knit_boot poweroff -c 1 --stats
expect_marker 1
expect_status 0
expect_grep "$ERR" '^knit: stats: peak-rss-kib=[0-9]+ guest-rss-kib=[0-9]+ vmm-rss-kib=-?[0-9]+$'
pass
