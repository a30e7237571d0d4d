-- Suppliers (leverantörer) as records of an organisation, and the supplier
-- each system has. The free-text vendor on systems stays as it was; the
-- migration (Rust, in migrate.rs) turns its values into suppliers,
-- matching names case-insensitively after trimming, and links the systems.
-- Not public: never read by the public register.
CREATE TABLE suppliers (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    org_number TEXT,
    contacts TEXT,
    support_channel TEXT,
    support_hours TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX suppliers_name ON suppliers(org_id, name_key);

CREATE TABLE system_suppliers (
    system_id BLOB PRIMARY KEY NOT NULL REFERENCES systems(id),
    supplier_id BLOB NOT NULL REFERENCES suppliers(id),
    org_id BLOB NOT NULL REFERENCES organisations(id)
);
CREATE INDEX system_suppliers_supplier ON system_suppliers(supplier_id);
