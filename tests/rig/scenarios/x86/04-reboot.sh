# A guest reset (reboot -f) ends knit with 0.
knit_boot reboot
expect_marker
expect_status 0
pass
