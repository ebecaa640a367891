# A byte written to I/O port 0x501 becomes knit's exit status.
knit_boot exit=3
expect_marker
expect_status 3
pass
