"""The batch path every source shares: archive, stage, validate, publish, and the declaration a source makes of its deliveries."""
