# A text file is not a kernel.
echo "this is not a kernel" >"$RIG_TMP/not-a-kernel.txt"
knit_run -k "$RIG_TMP/not-a-kernel.txt" -m "$MEM"
expect_usage_error 'not-a-kernel\.txt'
pass
