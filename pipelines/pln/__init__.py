"""The PLN partner: its API client and pull, the monthly SLA spreadsheet, matching partner sites to villages."""
