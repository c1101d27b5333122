-- 004_roster: the registered students (学生), their households (户) and enrolment
-- history, the staff who help them (教职工), pairings (结对帮扶) and home visits (家访).
-- The ENUM and SET orders below are mirrored by service/roster.c; SET members are
-- bit masks in that order (建档立卡 = 1, 防返贫监测 = 2, 低保 = 4, ...).

-- A household within a bureau. hkey is a hash of head_name and address computed by
-- the service, so an import and the database agree byte for byte on what is the same household.
CREATE TABLE households (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  bureau_id   BIGINT UNSIGNED NOT NULL,
  hkey        BINARY(16) NOT NULL,
  head_name   VARCHAR(50) NOT NULL DEFAULT '' COMMENT '户主',
  address     VARCHAR(200) NOT NULL DEFAULT '' COMMENT '家庭住址',
  version     INT UNSIGNED NOT NULL DEFAULT 1,
  created_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  updated_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  UNIQUE KEY uq_households_key (bureau_id, hkey),
  CONSTRAINT fk_households_bureau FOREIGN KEY (bureau_id) REFERENCES orgs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A student. The ID number (身份证号) is stored only as HMAC-SHA256 under the install's
-- key (settings.id_match_key) and its last four characters; one student per number per bureau.
-- school_id and status are the current ones; student_enrolments keeps the history.
CREATE TABLE students (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  bureau_id    BIGINT UNSIGNED NOT NULL,
  school_id    BIGINT UNSIGNED NOT NULL,
  name         VARCHAR(50) NOT NULL,
  gender       ENUM('男','女') NOT NULL,
  id_hash      BINARY(32) NOT NULL,
  id_last4     CHAR(4) NOT NULL,
  birth_date   DATE NOT NULL,
  grade        VARCHAR(20) NOT NULL DEFAULT '',
  stage        ENUM('学前','小学','初中','高中','中职') NOT NULL,
  boarding     TINYINT(1) NOT NULL DEFAULT 0,
  household_id BIGINT UNSIGNED NULL,
  categories   SET('建档立卡','防返贫监测','低保','特困供养','残疾','孤儿','留守','随迁') NOT NULL DEFAULT '',
  status       ENUM('在校','转出','辍学','劝返复学','毕业','县外就读') NOT NULL DEFAULT '在校',
  note         VARCHAR(200) NOT NULL DEFAULT '',
  version      INT UNSIGNED NOT NULL DEFAULT 1,
  created_at   DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  updated_at   DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  UNIQUE KEY uq_students_bureau_id (bureau_id, id_hash),
  KEY ix_students_school (school_id, status),
  KEY ix_students_school_name (school_id, name),
  KEY ix_students_household (household_id),
  CONSTRAINT fk_students_bureau FOREIGN KEY (bureau_id) REFERENCES orgs (id),
  CONSTRAINT fk_students_school FOREIGN KEY (school_id) REFERENCES orgs (id),
  CONSTRAINT fk_students_household FOREIGN KEY (household_id) REFERENCES households (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Enrolment over time: a student is enrolled at school S on date D when a row has
-- school_id = S, status IN ('在校','劝返复学'), start_date <= D and (end_date IS NULL OR end_date >= D).
-- At most one row per student is open (end_date NULL): the current one.
CREATE TABLE student_enrolments (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  student_id  BIGINT UNSIGNED NOT NULL,
  school_id   BIGINT UNSIGNED NOT NULL,
  status      ENUM('在校','转出','辍学','劝返复学','毕业','县外就读') NOT NULL,
  start_date  DATE NOT NULL,
  end_date    DATE NULL,
  created_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  KEY ix_enrolments_student (student_id, start_date),
  KEY ix_enrolments_school (school_id, start_date),
  CONSTRAINT fk_enrolments_student FOREIGN KEY (student_id) REFERENCES students (id),
  CONSTRAINT fk_enrolments_school FOREIGN KEY (school_id) REFERENCES orgs (id),
  CONSTRAINT ck_enrolments_dates CHECK (end_date IS NULL OR end_date >= start_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Teachers and cadres who can be paired. school_id is the org they work at:
-- normally a school, a town centre or the bureau for cadres (干部).
CREATE TABLE staff (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  school_id   BIGINT UNSIGNED NOT NULL,
  name        VARCHAR(50) NOT NULL,
  roles       SET('班主任','任课教师','干部','党员') NOT NULL DEFAULT '',
  position    VARCHAR(100) NOT NULL DEFAULT '' COMMENT '工作单位及职务',
  phone       VARCHAR(20) NULL,
  active      TINYINT(1) NOT NULL DEFAULT 1,
  version     INT UNSIGNED NOT NULL DEFAULT 1,
  created_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  updated_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  KEY ix_staff_school_name (school_id, name),
  CONSTRAINT fk_staff_school FOREIGN KEY (school_id) REFERENCES orgs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One staff member helping one student from start_date to end_date (NULL: open).
-- Active on D: start_date <= D and (end_date IS NULL OR end_date >= D).
CREATE TABLE pairings (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  staff_id    BIGINT UNSIGNED NOT NULL,
  student_id  BIGINT UNSIGNED NOT NULL,
  start_date  DATE NOT NULL,
  end_date    DATE NULL,
  note        VARCHAR(500) NOT NULL DEFAULT '',
  version     INT UNSIGNED NOT NULL DEFAULT 1,
  created_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  updated_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  UNIQUE KEY uq_pairings_start (staff_id, student_id, start_date),
  KEY ix_pairings_student (student_id, start_date),
  CONSTRAINT fk_pairings_staff FOREIGN KEY (staff_id) REFERENCES staff (id),
  CONSTRAINT fk_pairings_student FOREIGN KEY (student_id) REFERENCES students (id),
  CONSTRAINT ck_pairings_dates CHECK (end_date IS NULL OR end_date >= start_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A home visit (家访 / 入户帮扶): who visited whom, when and how.
CREATE TABLE home_visits (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  student_id  BIGINT UNSIGNED NOT NULL,
  staff_id    BIGINT UNSIGNED NOT NULL,
  visit_date  DATE NOT NULL,
  kind        ENUM('入户','电话','到校') NOT NULL,
  note        VARCHAR(1000) NOT NULL DEFAULT '',
  created_by  BIGINT UNSIGNED NULL COMMENT 'the user who logged it',
  created_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  KEY ix_home_visits_student (student_id, visit_date),
  KEY ix_home_visits_staff (staff_id, visit_date),
  KEY ix_home_visits_date (visit_date),
  CONSTRAINT fk_home_visits_student FOREIGN KEY (student_id) REFERENCES students (id),
  CONSTRAINT fk_home_visits_staff FOREIGN KEY (staff_id) REFERENCES staff (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
