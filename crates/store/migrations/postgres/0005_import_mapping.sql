-- Column mappings of spreadsheet imports, remembered per organisation: the
-- field a column with this (normalised) title goes to, or NULL to ignore it.
CREATE TABLE import_mappings (
    org_id UUID NOT NULL REFERENCES organisations(id),
    header_key TEXT NOT NULL,
    field TEXT,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, header_key)
);
