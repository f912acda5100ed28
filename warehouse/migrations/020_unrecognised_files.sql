-- Files in the landing zone that no delivery takes (a name that fits no kind, a link, a
-- file where no delivery lands): listed so that nothing dropped there goes unnoticed.
CREATE TABLE audit.unrecognised_file (
    path VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    seen_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE audit.unrecognised_file IS 'Files in the landing zone that no delivery takes, as of the last scan (every list step and every run''s planning rescans): neither loaded nor rejected, each with the reason.';
COMMENT ON COLUMN audit.unrecognised_file.path IS 'The file, as landing/<path>.';
COMMENT ON COLUMN audit.unrecognised_file.reason IS 'Why no delivery takes it (e.g. the name that files of its folder must have).';
COMMENT ON COLUMN audit.unrecognised_file.seen_at IS 'When the scan that found it ran (UTC).';
