COMMENT ON TABLE audit.schema_migrations IS 'Warehouse migrations applied, one row each; a migration never runs twice.';
COMMENT ON COLUMN audit.schema_migrations.version IS 'The migration''s number (warehouse/migrations/NNN_*.sql).';
COMMENT ON COLUMN audit.schema_migrations.name IS 'The migration''s file name.';
COMMENT ON COLUMN audit.schema_migrations.sha256 IS 'SHA-256 of the SQL as applied.';
COMMENT ON COLUMN audit.schema_migrations.applied_at IS 'When it was applied (UTC).';
