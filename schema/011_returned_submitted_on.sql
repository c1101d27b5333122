-- 011_returned_submitted_on: a returned item has no 提交日期 until it is answered again.
-- Earlier versions kept the date of the answer sent back on the item; that date stays
-- in the journal. An open item with a submission date can only be a returned one.
UPDATE rectification_items SET submitted_on = NULL WHERE state = 'open' AND submitted_on IS NOT NULL;
