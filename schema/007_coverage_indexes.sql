-- 007_coverage_indexes: the eligible students of a province in one index-only scan.
-- Coverage by METRICS_SCAN (reports/metrics_db.c) reads the ids of every student with
-- an eligible category; with (categories) the scan reads this narrow index (category
-- bits and the id) instead of every students row (with 2,000,000 students the table
-- does not fit the buffer pool and each coverage read it from disk).
ALTER TABLE students ADD KEY ix_students_categories (categories);
