-- A mover's roles (issue 16): when a person changes unit, each role
-- assignment they hold (systemägare, systemförvaltare …) becomes a handover
-- item for the manager of the unit they left, who hands it over to someone
-- or confirms that it stays. The move's from-unit is recorded here, so the
-- task knows whom to ask even after the person moved on.
CREATE TABLE role_handovers (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES organisations(id),
    person_id BLOB NOT NULL REFERENCES people(id),
    assignment_id BLOB NOT NULL REFERENCES role_assignments(id),
    from_unit_id BLOB NOT NULL REFERENCES units(id),
    to_unit_id BLOB REFERENCES units(id),
    moved_on TEXT NOT NULL,
    -- open, handed_over or kept
    state TEXT NOT NULL,
    successor_id BLOB REFERENCES people(id),
    resolved_by TEXT,
    resolved_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX role_handovers_org_state ON role_handovers(org_id, state);
CREATE INDEX role_handovers_person ON role_handovers(person_id);

-- The employee number (anställningsnummer) an HR file carries: an HR file
-- matches people on it first, then on e-mail. Never public.
ALTER TABLE people ADD COLUMN employee_number TEXT;
CREATE UNIQUE INDEX people_org_employee_number ON people(org_id, employee_number);
