-- 006_bench_indexes: a covering index for the rectification lists (found by `make bench`).
-- The list, count and ledger statements of service/rectifications_db.c filter with
-- "(? IS NULL OR column = ?)" on school_id, state, severity, deadline and found_on, so
-- MariaDB needs all five columns in one index to answer them from the index alone; with
-- (school_id, state, deadline) it fetched every matching row (20,000 items: ~4,200 page
-- reads for one town's list and as many again for its count). The new index starts with
-- the old one's columns, which it replaces (also for the school_id foreign key).
ALTER TABLE rectification_items
  ADD KEY ix_rectification_list (school_id, state, deadline, severity, found_on),
  DROP KEY ix_rectification_school;
