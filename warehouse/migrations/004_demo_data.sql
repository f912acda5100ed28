-- The warehouse remembers that it was filled from generated data, so every output built
-- from it (report, exports, run summary, Data Docs) marks itself as demo data, even after
-- the landing zone that said so is gone.
CREATE TABLE audit.demo_data (
    marked_at   TIMESTAMPTZ NOT NULL,
    landing     VARCHAR NOT NULL,
    note        VARCHAR NOT NULL
);
COMMENT ON TABLE audit.demo_data IS 'Present rows mean this warehouse holds demo data: generated towers, logs, attributes and partner data on the real registry. Nothing built from it is an official statistic.';
COMMENT ON COLUMN audit.demo_data.marked_at IS 'When a mart build first read from a landing zone marked as demo data (UTC).';
COMMENT ON COLUMN audit.demo_data.landing IS 'The marked landing zone (landing/DEMO_DATA.txt written by the demo generator).';
COMMENT ON COLUMN audit.demo_data.note IS 'The marking every output carries: DATA DEMO - bukan statistik resmi / DEMO DATA - not an official statistic.';
