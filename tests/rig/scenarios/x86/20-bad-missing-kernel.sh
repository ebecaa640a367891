# A kernel file that does not exist is a usage error naming it.
knit_run -k /nonexistent/bzImage -m "$MEM"
expect_usage_error 'nonexistent/bzImage'
pass
