-- 008_import_speed: two secondary indexes that no query uses, dropped so that every
-- imported student writes one index entry less and every enrolment one less (the
-- roster import of a province writes 100,000 of each per upload).
-- students (school_id, name): the lists, the coverage joins and the pairing import
-- reach students by school through ix_students_school (school_id, status), which
-- EXPLAIN chose for every one of them; it also serves the school foreign key.
-- student_enrolments (school_id, start_date): every statement that reads enrolments
-- by school also filters on status, and uses ix_enrolments_school_on (school_id,
-- status, start_date, end_date, student_id) from 005, which serves the foreign key too.
ALTER TABLE students DROP KEY ix_students_school_name;
ALTER TABLE student_enrolments DROP KEY ix_enrolments_school;
