-- 001_foundation: the organisation tree, users, sessions, API tokens,
-- login throttling and the audit log. Every other record hangs off orgs.

-- The tree: bureau -> town centre -> school, plus schools directly under the bureau.
-- path is the materialized path of ids ("/1/4/37/"): scope checks are a prefix match.
CREATE TABLE orgs (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  parent_id   BIGINT UNSIGNED NULL,
  kind        ENUM('bureau','town','school') NOT NULL,
  name        VARCHAR(100) NOT NULL,
  code        CHAR(10) NULL COMMENT 'national school code (学校标识码), schools only',
  stages      SET('学前','小学','初中','高中','中职') NOT NULL DEFAULT '',
  boarding    TINYINT(1) NOT NULL DEFAULT 0,
  path        VARCHAR(255) NOT NULL DEFAULT '',
  version     INT UNSIGNED NOT NULL DEFAULT 1,
  created_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  updated_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  UNIQUE KEY uq_orgs_code (code),
  UNIQUE KEY uq_orgs_parent_name (parent_id, name),
  KEY ix_orgs_path (path),
  CONSTRAINT fk_orgs_parent FOREIGN KEY (parent_id) REFERENCES orgs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE users (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  username      VARCHAR(64) NOT NULL,
  display_name  VARCHAR(100) NOT NULL,
  role          ENUM('admin','bureau_head','inspector','aid_officer','principal') NOT NULL,
  org_id        BIGINT UNSIGNED NOT NULL COMMENT 'root of the user''s scope',
  password_hash VARCHAR(255) NOT NULL,
  phone         VARCHAR(20) NULL,
  active        TINYINT(1) NOT NULL DEFAULT 1,
  version       INT UNSIGNED NOT NULL DEFAULT 1,
  created_at    DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  updated_at    DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  UNIQUE KEY uq_users_username (username),
  KEY ix_users_org (org_id),
  CONSTRAINT fk_users_org FOREIGN KEY (org_id) REFERENCES orgs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Cookie sessions. Only the SHA-256 of the session id is stored.
CREATE TABLE sessions (
  id_hash     BINARY(32) NOT NULL PRIMARY KEY,
  user_id     BIGINT UNSIGNED NOT NULL,
  csrf_token  CHAR(64) NOT NULL,
  ip          VARCHAR(64) NOT NULL DEFAULT '',
  created_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  expires_at  DATETIME NOT NULL,
  KEY ix_sessions_user (user_id),
  KEY ix_sessions_expires (expires_at),
  CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Bearer tokens for scripts. Only the SHA-256 of the token is stored.
CREATE TABLE api_tokens (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id     BIGINT UNSIGNED NOT NULL,
  name        VARCHAR(100) NOT NULL,
  token_hash  BINARY(32) NOT NULL,
  created_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  expires_at  DATETIME NULL,
  revoked_at  DATETIME NULL,
  UNIQUE KEY uq_api_tokens_hash (token_hash),
  KEY ix_api_tokens_user (user_id),
  CONSTRAINT fk_api_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Failed logins, for throttling by user name and by address.
CREATE TABLE login_failures (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  username    VARCHAR(64) NOT NULL,
  ip          VARCHAR(64) NOT NULL,
  at          DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  KEY ix_login_failures_user (username, at),
  KEY ix_login_failures_ip (ip, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every write: who, when, from where, what, before and after. Never updated.
CREATE TABLE audit_log (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at          DATETIME(3) NOT NULL DEFAULT UTC_TIMESTAMP(3),
  user_id     BIGINT UNSIGNED NULL,
  ip          VARCHAR(64) NOT NULL DEFAULT '',
  action      VARCHAR(64) NOT NULL,
  entity      VARCHAR(64) NOT NULL,
  entity_id   BIGINT UNSIGNED NULL,
  before_json LONGTEXT NULL,
  after_json  LONGTEXT NULL,
  KEY ix_audit_entity (entity, entity_id),
  KEY ix_audit_user (user_id, at),
  KEY ix_audit_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
