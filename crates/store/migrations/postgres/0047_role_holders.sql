-- The holders of one role in an organisation (the security coordinators a
-- contract's reminder falls back to, on every tasks visit) are found
-- through the role type: at 100,000 systems PostgreSQL read all 225,000
-- assignments for the handful that hold it (47 ms).
CREATE INDEX role_assignments_role ON role_assignments(role_type_id, org_id);
