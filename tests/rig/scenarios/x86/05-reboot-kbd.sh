# A reset through the keyboard controller (reboot=k) ends knit with 0.
PARAMS="$PARAMS reboot=k"
knit_boot reboot
expect_marker
expect_status 0
pass
