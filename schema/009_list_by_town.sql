-- 009_list_by_town: the list a bureau reads most, the open items of one town by
-- deadline, read as one range of one index. A town's items were found by joining
-- each school of the town to its items and sorting every open one (4,000 rows read
-- and sorted for a page of 100 in `make bench`); with the school's parent on the
-- item and whether the item waits for its school (open or reopened), the page is
-- the first 100 entries of (school_parent_id, is_open, deadline, id) and the total
-- a count of that range in the index alone. Schools never move (orgs keep their
-- parent), so the copy of the parent never goes stale; rect_db_insert sets it.
ALTER TABLE rectification_items
  ADD COLUMN school_parent_id BIGINT UNSIGNED NULL COMMENT 'the school''s parent (town, or the bureau)' AFTER school_id,
  ADD COLUMN is_open TINYINT AS (state IN ('open', 'reopened')) VIRTUAL COMMENT 'waits for the school';
UPDATE rectification_items i JOIN orgs s ON s.id = i.school_id SET i.school_parent_id = s.parent_id;
ALTER TABLE rectification_items
  MODIFY school_parent_id BIGINT UNSIGNED NOT NULL COMMENT 'the school''s parent (town, or the bureau)',
  ADD KEY ix_rectification_parent_open (school_parent_id, is_open, deadline, id);

-- Idempotency keys are no longer reserved before a request runs (status 0 marked
-- a reservation); any left by an earlier version are dropped.
DELETE FROM idempotency_keys WHERE status = 0;
