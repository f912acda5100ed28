"""Subcommands of `konektivitas`, one module per family."""
