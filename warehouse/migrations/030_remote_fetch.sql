-- What the pulls saw and did on the servers deliveries come from (the NOC's SFTP server,
-- the registry portal): every listing, download, skip and refusal, so an auditor sees
-- what came from where, and the pulls know what they already hold.
CREATE TABLE audit.remote_fetch (
    remote VARCHAR NOT NULL,
    remote_path VARCHAR NOT NULL,
    size BIGINT,
    mtime TIMESTAMP,
    sha256 VARCHAR,
    outcome VARCHAR NOT NULL,
    landed_as VARCHAR,
    legal_basis VARCHAR,
    message VARCHAR,
    etag VARCHAR,
    last_modified VARCHAR,
    recorded_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE audit.remote_fetch IS 'Every file a pull listed, fetched, skipped or refused on a remote server (SFTP, registry portal), with its size, time and sha256.';
COMMENT ON COLUMN audit.remote_fetch.remote IS 'The Airflow Connection the file came from (noc_sftp, registry_portal).';
COMMENT ON COLUMN audit.remote_fetch.remote_path IS 'The file on the server: its path (SFTP) or URL (portal).';
COMMENT ON COLUMN audit.remote_fetch.size IS 'Its size in bytes as listed (SFTP) or received (portal).';
COMMENT ON COLUMN audit.remote_fetch.mtime IS 'Its modification time on the server (UTC), as listed.';
COMMENT ON COLUMN audit.remote_fetch.sha256 IS 'sha256 of the bytes fetched (fetched), announced (skipped, rejected: the announced one) or none.';
COMMENT ON COLUMN audit.remote_fetch.outcome IS 'listed (seen, stable), waiting (still changing: taken on a later look), fetched (landed), skipped (already held), not_modified (portal index unchanged: 304), rejected (bytes refused, e.g. a sha256 mismatch or a truncated body), failed (the transfer broke; retried).';
COMMENT ON COLUMN audit.remote_fetch.landed_as IS 'Where a fetched file was put: landing/<path>.';
COMMENT ON COLUMN audit.remote_fetch.legal_basis IS 'A registry edition''s legal basis, as the portal''s index gives it.';
COMMENT ON COLUMN audit.remote_fetch.message IS 'Why it was skipped, refused or failed.';
COMMENT ON COLUMN audit.remote_fetch.etag IS 'The portal index''s ETag, kept once every edition it lists is held: the next look asks If-None-Match.';
COMMENT ON COLUMN audit.remote_fetch.last_modified IS 'The portal index''s Last-Modified, kept likewise: the next look asks If-Modified-Since.';
COMMENT ON COLUMN audit.remote_fetch.recorded_at IS 'When (UTC).';
