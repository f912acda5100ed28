"""Everything that is not the production pipeline: the demo data generator, the demo partner API server, benchmarks."""
