-- 002_settings: the bureau's rules, set by the admin: deadlines by severity,
-- escalation thresholds, required visits, the programme's eligible categories.
-- Values are text; each reader parses and validates its own.
CREATE TABLE settings (
  name        VARCHAR(64) NOT NULL PRIMARY KEY,
  value       VARCHAR(1000) NOT NULL,
  description VARCHAR(200) NOT NULL DEFAULT '',
  version     INT UNSIGNED NOT NULL DEFAULT 1,
  updated_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP()
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO settings (name, value, description) VALUES
  ('deadline_days_严重', '7', '严重问题的默认整改期限（天）'),
  ('deadline_days_较重', '15', '较重问题的默认整改期限（天）'),
  ('deadline_days_一般', '30', '一般问题的默认整改期限（天）'),
  ('escalate_days_提醒', '1', '逾期多少天起提醒'),
  ('escalate_days_通报', '15', '逾期多少天起通报'),
  ('escalate_days_约谈', '30', '逾期多少天起约谈'),
  ('visits_per_semester', '2', '每校每学期至少督导次数'),
  ('eligible_categories', '建档立卡,防返贫监测', '纳入结对帮扶与资助统计的学生类别'),
  -- The key for matching ID numbers (身份证号) by HMAC; generated once per install.
  ('id_match_key', SHA2(CONCAT(UUID(), RAND(), NOW(6)), 256), '身份证号匹配密钥（勿外泄）');
