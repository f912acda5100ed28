"""One module per source: how its deliveries are found, staged and published."""
