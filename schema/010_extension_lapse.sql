-- 010_extension_lapse: an extension request no longer outlives its item's closing.
-- A request still pending when the item is closed (销号) lapses: the work it asked
-- more time for has been verified done, and approving it after a reopening would
-- move the new deadline back to the old request's date. The reason and decision
-- note take as much text as the API accepts (2000 characters, like a journal note).
ALTER TABLE rectification_extensions
  MODIFY reason VARCHAR(2000) NOT NULL,
  MODIFY decision_note VARCHAR(2000) NULL,
  MODIFY state ENUM('pending','approved','refused','lapsed') NOT NULL DEFAULT 'pending';

-- Requests left pending by earlier versions across a closing lapse on its date.
UPDATE rectification_extensions x
  JOIN (SELECT r.extension_id, MIN(c.on_date) AS closed_on
          FROM rectification_events r
          JOIN rectification_events c ON c.item_id = r.item_id AND c.action = 'close' AND c.id > r.id
         WHERE r.action = 'extension_request'
         GROUP BY r.extension_id) k ON k.extension_id = x.id
   SET x.state = 'lapsed', x.decided_on = k.closed_on,
       x.decision_note = '整改事项已销号，延期申请自动失效'
 WHERE x.state = 'pending';
