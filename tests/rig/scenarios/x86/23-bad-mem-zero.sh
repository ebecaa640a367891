# -m 0 is refused.
knit_run -k "$BZIMAGE" -m 0
expect_usage_error '(-m|mem)'
pass
