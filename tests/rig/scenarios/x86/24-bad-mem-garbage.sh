# A size that does not parse is refused, and the message quotes it.
knit_run -k "$BZIMAGE" -m 12Q
expect_usage_error '12Q'
pass
