"""What the auditor reads: load and file records, validation against the expectation suites, Data Docs, the run summary."""
