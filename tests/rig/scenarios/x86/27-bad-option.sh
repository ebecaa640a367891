# An unknown option is refused and named.
knit_run -k "$BZIMAGE" -m "$MEM" --frobnicate
expect_usage_error 'frobnicate'
pass
