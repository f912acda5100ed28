"""The matrix's cases, one module per group; each module has CASES."""
