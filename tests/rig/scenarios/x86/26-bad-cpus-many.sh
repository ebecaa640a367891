# More vCPUs than KVM allows is refused.
knit_run -k "$BZIMAGE" -m "$MEM" -c 10000
expect_usage_error '10000'
pass
