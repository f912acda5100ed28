"""`konektivitas selftest`: the hardening matrix (crashes, races, hostile inputs, access)
run on temporary homes, one line per case and a total."""
