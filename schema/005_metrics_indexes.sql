-- 005_metrics_indexes: covering indexes for the pairing metrics (reports/metrics_db.c).
-- Coverage reads every enrolment of the schools under an org on a date and asks,
-- per student, whether a pairing is active on it: with these the enrolment scan and
-- the pairing probe never touch the table rows.
ALTER TABLE student_enrolments
  ADD KEY ix_enrolments_school_on (school_id, status, start_date, end_date, student_id);
ALTER TABLE pairings
  ADD KEY ix_pairings_student_on (student_id, start_date, end_date, staff_id);
