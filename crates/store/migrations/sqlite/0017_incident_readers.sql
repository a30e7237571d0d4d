-- Whether the organisation lets everyone with an account in it (readers,
-- editors) see its incidents, not change them (issue 17, Build 5). Off by
-- default: incidents are secret, seen by those who handle them.
ALTER TABLE organisations ADD COLUMN incident_readers BOOLEAN NOT NULL DEFAULT FALSE;
