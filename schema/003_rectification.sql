-- 003_rectification: checklist templates (versioned), evidence files, school
-- visits with their answers and findings, rectification items with an
-- append-only journal and extension requests, and the idempotency keys that
-- make a retried creating request return its first answer.

-- A template is one version of a checklist. Editing creates a new row with the
-- same lineage_id and version + 1; visits keep the template_id they were made with.
CREATE TABLE checklist_templates (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  lineage_id  BIGINT UNSIGNED NOT NULL COMMENT 'id of the first version; shared by every version',
  version     INT UNSIGNED NOT NULL,
  is_current  TINYINT(1) NOT NULL DEFAULT 1,
  name        VARCHAR(100) NOT NULL,
  description VARCHAR(500) NOT NULL DEFAULT '',
  created_by  BIGINT UNSIGNED NULL,
  created_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  UNIQUE KEY uq_templates_version (lineage_id, version),
  KEY ix_templates_current (is_current, lineage_id),
  CONSTRAINT fk_templates_user FOREIGN KEY (created_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The items of one template version. code stays the same across versions.
CREATE TABLE checklist_items (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  template_id BIGINT UNSIGNED NOT NULL,
  position    SMALLINT UNSIGNED NOT NULL,
  code        VARCHAR(16) NOT NULL,
  category    VARCHAR(50) NOT NULL,
  title       VARCHAR(100) NOT NULL,
  hint        VARCHAR(500) NOT NULL DEFAULT '',
  UNIQUE KEY uq_checklist_items_code (template_id, code),
  UNIQUE KEY uq_checklist_items_position (template_id, position),
  CONSTRAINT fk_checklist_items_template FOREIGN KEY (template_id) REFERENCES checklist_templates (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The default template: the eight items of 挂牌督导 (《中小学校责任督学挂牌督导办法》,
-- 教督〔2013〕7号, 第五条) and the education-aid items of the bureaus' work plans.
INSERT INTO checklist_templates (id, lineage_id, version, is_current, name, description) VALUES
  (1, 1, 1, 1, '责任督学挂牌督导及教育资助检查表', '经常性督导八项事项与教育精准资助工作检查要点');
INSERT INTO checklist_items (template_id, position, code, category, title, hint) VALUES
  (1, 1, 'GP1', '挂牌督导', '校务管理和制度执行情况', '学校章程、校务公开、各项管理制度的建立与执行'),
  (1, 2, 'GP2', '挂牌督导', '招生、收费、择校情况', '按划片就近入学招生，收费有依据并每学期公示'),
  (1, 3, 'GP3', '挂牌督导', '课程开设和课时执行情况', '开齐开足国家课程，按课表上课'),
  (1, 4, 'GP4', '挂牌督导', '学生学习、体育锻炼和课业负担情况', '作业量、在校锻炼时间、学业辅导'),
  (1, 5, 'GP5', '挂牌督导', '教师师德和专业发展情况', '师德表现、培训与教研'),
  (1, 6, 'GP6', '挂牌督导', '校园及周边安全情况', '安全制度、隐患排查、周边环境'),
  (1, 7, 'GP7', '挂牌督导', '食堂、食品、饮用水及宿舍卫生情况', '食品安全、饮水卫生、寄宿条件'),
  (1, 8, 'GP8', '挂牌督导', '校风、教风、学风建设情况', '育人氛围、教学秩序、学生行为习惯'),
  (1, 9, 'ZZ1', '教育资助', '资助政策宣传', '学期初、学期末宣传资助政策，有宣传课教案、影像资料，“两信”发放与“两回执”回收'),
  (1, 10, 'ZZ2', '教育资助', '建档立卡台账', '建档立卡等家庭经济困难学生底数清楚，台账与扶贫部门数据一致、动态更新'),
  (1, 11, 'ZZ3', '教育资助', '结对帮扶全覆盖', '每名建档立卡学生都有帮扶责任人，一生一责任人'),
  (1, 12, 'ZZ4', '教育资助', '家访记录', '每学期对帮扶学生家庭进行家访，记录完整'),
  (1, 13, 'ZZ5', '教育资助', '资助公示', '各学段资助学生确认、公示到位'),
  (1, 14, 'ZZ6', '教育资助', '控辍保学一生一案', '对辍学学生建立“一生一案”档案，详细记录劝返情况'),
  (1, 15, 'ZZ7', '教育资助', '营养餐账目', '营养餐资金账目清楚，票据规范，没有盈利'),
  (1, 16, 'ZZ8', '教育资助', '档案管理', '扶贫资助工作档案规范、完整，纸质版与电子版齐全');

-- Uploaded evidence (photos, scans). org_id is the school the file belongs to:
-- who may read it is decided by that org's path, like every other record.
CREATE TABLE evidence (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  org_id       BIGINT UNSIGNED NOT NULL,
  uploaded_by  BIGINT UNSIGNED NOT NULL,
  filename     VARCHAR(255) NOT NULL,
  content_type VARCHAR(32) NOT NULL,
  size         INT UNSIGNED NOT NULL,
  sha256       CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  data         LONGBLOB NOT NULL,
  created_at   DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  KEY ix_evidence_org (org_id),
  KEY ix_evidence_sha256 (sha256),
  CONSTRAINT fk_evidence_org FOREIGN KEY (org_id) REFERENCES orgs (id),
  CONSTRAINT fk_evidence_user FOREIGN KEY (uploaded_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A school visit (督导检查): a draft until filed; filing creates the rectification items.
CREATE TABLE visits (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  school_id   BIGINT UNSIGNED NOT NULL,
  template_id BIGINT UNSIGNED NOT NULL,
  visit_date  DATE NOT NULL,
  kind        ENUM('经常性督导','专项督导','回头看') NOT NULL,
  state       ENUM('draft','filed') NOT NULL DEFAULT 'draft',
  summary     VARCHAR(2000) NOT NULL DEFAULT '',
  created_by  BIGINT UNSIGNED NOT NULL,
  filed_by    BIGINT UNSIGNED NULL,
  filed_on    DATE NULL COMMENT 'the bureau''s date of filing',
  version     INT UNSIGNED NOT NULL DEFAULT 1,
  created_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  updated_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  KEY ix_visits_school_date (school_id, visit_date),
  KEY ix_visits_date (visit_date),
  CONSTRAINT fk_visits_school FOREIGN KEY (school_id) REFERENCES orgs (id),
  CONSTRAINT fk_visits_template FOREIGN KEY (template_id) REFERENCES checklist_templates (id),
  CONSTRAINT fk_visits_creator FOREIGN KEY (created_by) REFERENCES users (id),
  CONSTRAINT fk_visits_filer FOREIGN KEY (filed_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE visit_inspectors (
  visit_id BIGINT UNSIGNED NOT NULL,
  user_id  BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (visit_id, user_id),
  KEY ix_visit_inspectors_user (user_id),
  CONSTRAINT fk_visit_inspectors_visit FOREIGN KEY (visit_id) REFERENCES visits (id) ON DELETE CASCADE,
  CONSTRAINT fk_visit_inspectors_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One answer per checklist item of the visit's template.
CREATE TABLE visit_answers (
  visit_id BIGINT UNSIGNED NOT NULL,
  item_id  BIGINT UNSIGNED NOT NULL,
  result   ENUM('符合','不符合','不适用') NOT NULL,
  note     VARCHAR(1000) NOT NULL DEFAULT '',
  PRIMARY KEY (visit_id, item_id),
  CONSTRAINT fk_visit_answers_visit FOREIGN KEY (visit_id) REFERENCES visits (id) ON DELETE CASCADE,
  CONSTRAINT fk_visit_answers_item FOREIGN KEY (item_id) REFERENCES checklist_items (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A problem found on a visit. deadline NULL means "the default for the severity".
CREATE TABLE findings (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  visit_id    BIGINT UNSIGNED NOT NULL,
  position    SMALLINT UNSIGNED NOT NULL,
  item_id     BIGINT UNSIGNED NOT NULL,
  severity    ENUM('一般','较重','严重') NOT NULL,
  description VARCHAR(2000) NOT NULL,
  deadline    DATE NULL,
  created_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  UNIQUE KEY uq_findings_position (visit_id, position),
  CONSTRAINT fk_findings_visit FOREIGN KEY (visit_id) REFERENCES visits (id),
  CONSTRAINT fk_findings_item FOREIGN KEY (item_id) REFERENCES checklist_items (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE finding_evidence (
  finding_id  BIGINT UNSIGNED NOT NULL,
  evidence_id BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (finding_id, evidence_id),
  CONSTRAINT fk_finding_evidence_finding FOREIGN KEY (finding_id) REFERENCES findings (id) ON DELETE CASCADE,
  CONSTRAINT fk_finding_evidence_file FOREIGN KEY (evidence_id) REFERENCES evidence (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A rectification item (整改项): one per finding of a filed visit. Overdue and
-- escalation are derived from deadline, state and today, never stored.
-- deadline is the approved one; original_deadline the one set at filing (or reopening).
CREATE TABLE rectification_items (
  id                BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  finding_id        BIGINT UNSIGNED NOT NULL,
  visit_id          BIGINT UNSIGNED NOT NULL,
  school_id         BIGINT UNSIGNED NOT NULL,
  severity          ENUM('一般','较重','严重') NOT NULL,
  found_on          DATE NOT NULL COMMENT 'the visit date',
  deadline          DATE NOT NULL,
  original_deadline DATE NOT NULL,
  state             ENUM('open','submitted','closed','reopened') NOT NULL DEFAULT 'open',
  last_action       VARCHAR(32) NOT NULL DEFAULT 'create',
  submitted_on      DATE NULL COMMENT 'date of the latest answer',
  closed_on         DATE NULL,
  return_count      INT UNSIGNED NOT NULL DEFAULT 0,
  recurrence_count  INT UNSIGNED NOT NULL DEFAULT 0,
  version           INT UNSIGNED NOT NULL DEFAULT 1,
  created_at        DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  updated_at        DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  UNIQUE KEY uq_rectification_finding (finding_id),
  KEY ix_rectification_school (school_id, state, deadline),
  KEY ix_rectification_state (state, deadline),
  KEY ix_rectification_visit (visit_id),
  CONSTRAINT fk_rectification_finding FOREIGN KEY (finding_id) REFERENCES findings (id),
  CONSTRAINT fk_rectification_visit FOREIGN KEY (visit_id) REFERENCES visits (id),
  CONSTRAINT fk_rectification_school FOREIGN KEY (school_id) REFERENCES orgs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Extension requests: the principal asks, the bureau or an inspector decides.
CREATE TABLE rectification_extensions (
  id                 BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  item_id            BIGINT UNSIGNED NOT NULL,
  requested_by       BIGINT UNSIGNED NOT NULL,
  requested_on       DATE NOT NULL,
  reason             VARCHAR(1000) NOT NULL,
  deadline_before    DATE NOT NULL,
  deadline_requested DATE NOT NULL,
  state              ENUM('pending','approved','refused') NOT NULL DEFAULT 'pending',
  decided_by         BIGINT UNSIGNED NULL,
  decided_on         DATE NULL,
  decision_note      VARCHAR(1000) NULL,
  created_at         DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  KEY ix_extensions_item (item_id, state),
  KEY ix_extensions_state (state, requested_on),
  CONSTRAINT fk_extensions_item FOREIGN KEY (item_id) REFERENCES rectification_items (id),
  CONSTRAINT fk_extensions_requester FOREIGN KEY (requested_by) REFERENCES users (id),
  CONSTRAINT fk_extensions_decider FOREIGN KEY (decided_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The journal: one row per action on an item, with who, when, the note, the
-- states before and after and the attachments. Append-only: the service only
-- ever INSERTs here (a deployment may REVOKE UPDATE, DELETE on these two tables).
CREATE TABLE rectification_events (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  item_id         BIGINT UNSIGNED NOT NULL,
  at              DATETIME(3) NOT NULL DEFAULT UTC_TIMESTAMP(3),
  on_date         DATE NOT NULL COMMENT 'the bureau''s date of the action',
  user_id         BIGINT UNSIGNED NOT NULL,
  action          ENUM('create','answer','return','close','extension_request',
                       'extension_approve','extension_refuse','reopen') NOT NULL,
  from_state      ENUM('open','submitted','closed','reopened') NULL,
  to_state        ENUM('open','submitted','closed','reopened') NOT NULL,
  note            VARCHAR(2000) NOT NULL DEFAULT '',
  deadline_before DATE NULL,
  deadline_after  DATE NULL,
  extension_id    BIGINT UNSIGNED NULL,
  visit_id        BIGINT UNSIGNED NULL,
  KEY ix_events_item (item_id, id),
  KEY ix_events_date (on_date, action),
  CONSTRAINT fk_events_item FOREIGN KEY (item_id) REFERENCES rectification_items (id),
  CONSTRAINT fk_events_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT fk_events_extension FOREIGN KEY (extension_id) REFERENCES rectification_extensions (id),
  CONSTRAINT fk_events_visit FOREIGN KEY (visit_id) REFERENCES visits (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE rectification_event_evidence (
  event_id    BIGINT UNSIGNED NOT NULL,
  evidence_id BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (event_id, evidence_id),
  CONSTRAINT fk_event_evidence_event FOREIGN KEY (event_id) REFERENCES rectification_events (id),
  CONSTRAINT fk_event_evidence_file FOREIGN KEY (evidence_id) REFERENCES evidence (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Idempotency-Key: the first answer to a creating request, replayed to a retry
-- by the same user with the same key. status 0 while the first is in progress.
CREATE TABLE idempotency_keys (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id      BIGINT UNSIGNED NOT NULL,
  idem_key     VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  method       VARCHAR(8) NOT NULL,
  path         VARCHAR(255) NOT NULL,
  request_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  status       SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  response     LONGTEXT NULL,
  created_at   DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  UNIQUE KEY uq_idempotency_user_key (user_id, idem_key),
  KEY ix_idempotency_created (created_at),
  CONSTRAINT fk_idempotency_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
