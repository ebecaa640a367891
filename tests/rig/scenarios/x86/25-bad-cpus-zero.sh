# -c 0 is refused.
knit_run -k "$BZIMAGE" -m "$MEM" -c 0
expect_usage_error '(-c|cpu)'
pass
