-- The register: organisations, units, people, products, systems, roles, audit.
CREATE TABLE organisations (
    id BLOB PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id BLOB REFERENCES organisations(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE units (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES organisations(id),
    parent_id BLOB REFERENCES units(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    level TEXT NOT NULL,
    archived BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX units_org_parent ON units(org_id, parent_id);

CREATE TABLE people (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    search_text TEXT NOT NULL,
    email TEXT,
    title TEXT,
    unit_id BLOB REFERENCES units(id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX people_org_name ON people(org_id, name_key);
CREATE UNIQUE INDEX people_org_email ON people(org_id, email);
CREATE INDEX people_unit ON people(unit_id);

CREATE TABLE products (
    id BLOB PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    vendor TEXT,
    description TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX products_name ON products(name_key);

CREATE TABLE systems (
    seq INTEGER PRIMARY KEY,
    id BLOB NOT NULL UNIQUE,
    org_id BLOB NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    short_name TEXT,
    description TEXT,
    purpose TEXT,
    responsible_unit_id BLOB REFERENCES units(id),
    vendor TEXT,
    product_id BLOB REFERENCES products(id),
    version TEXT,
    hosting TEXT NOT NULL,
    user_count BIGINT,
    business_critical BOOLEAN NOT NULL DEFAULT FALSE,
    lifecycle TEXT NOT NULL,
    go_live_date TEXT,
    end_date TEXT,
    licence_model TEXT,
    licence_count BIGINT,
    escalation_route TEXT,
    notes TEXT,
    search_text TEXT NOT NULL,
    archived BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX systems_org_name ON systems(org_id, archived, name_key);
-- One active system per name in an organisation, even under concurrent writes.
CREATE UNIQUE INDEX systems_org_name_unique ON systems(org_id, name_key) WHERE archived = FALSE;
CREATE INDEX systems_org_unit ON systems(org_id, responsible_unit_id, name_key);
CREATE INDEX systems_org_lifecycle ON systems(org_id, lifecycle, name_key);
CREATE INDEX systems_org_critical ON systems(org_id, business_critical, name_key);
CREATE INDEX systems_org_users ON systems(org_id, user_count);
CREATE INDEX systems_org_golive ON systems(org_id, go_live_date);
CREATE INDEX systems_org_updated ON systems(org_id, updated_at);
CREATE INDEX systems_product ON systems(product_id);

-- Full-text search: trigrams find words inside Swedish compounds
-- ("ekonomi" in "Ekonomisystem").
CREATE VIRTUAL TABLE system_fts USING fts5(
    search_text, content='systems', content_rowid='seq', tokenize='trigram'
);
CREATE TRIGGER systems_fts_insert AFTER INSERT ON systems BEGIN
    INSERT INTO system_fts(rowid, search_text) VALUES (new.seq, new.search_text);
END;
CREATE TRIGGER systems_fts_delete AFTER DELETE ON systems BEGIN
    INSERT INTO system_fts(system_fts, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
END;
CREATE TRIGGER systems_fts_update AFTER UPDATE OF search_text ON systems BEGIN
    INSERT INTO system_fts(system_fts, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
    INSERT INTO system_fts(rowid, search_text) VALUES (new.seq, new.search_text);
END;

CREATE TABLE system_units (
    system_id BLOB NOT NULL REFERENCES systems(id),
    unit_id BLOB NOT NULL REFERENCES units(id),
    PRIMARY KEY (system_id, unit_id)
);
CREATE INDEX system_units_unit ON system_units(unit_id);

CREATE TABLE system_links (
    system_id BLOB NOT NULL REFERENCES systems(id),
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    url TEXT NOT NULL,
    PRIMARY KEY (system_id, position)
);

CREATE TABLE system_capabilities (
    system_id BLOB NOT NULL REFERENCES systems(id),
    capability TEXT NOT NULL,
    PRIMARY KEY (system_id, capability)
);
CREATE INDEX system_capabilities_cap ON system_capabilities(capability);

CREATE TABLE system_tags (
    system_id BLOB NOT NULL REFERENCES systems(id),
    tag TEXT NOT NULL,
    PRIMARY KEY (system_id, tag)
);
CREATE INDEX system_tags_tag ON system_tags(tag);

CREATE TABLE role_types (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES organisations(id),
    code TEXT NOT NULL,
    name_sv TEXT NOT NULL,
    name_en TEXT NOT NULL,
    scope TEXT NOT NULL,
    description TEXT,
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (org_id, code)
);

CREATE TABLE role_assignments (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES organisations(id),
    role_type_id BLOB NOT NULL REFERENCES role_types(id),
    person_id BLOB NOT NULL REFERENCES people(id),
    system_id BLOB REFERENCES systems(id),
    unit_id BLOB REFERENCES units(id),
    start_date TEXT NOT NULL,
    end_date TEXT,
    note TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX role_assignments_system ON role_assignments(system_id, role_type_id);
CREATE INDEX role_assignments_person ON role_assignments(person_id);
CREATE INDEX role_assignments_unit ON role_assignments(unit_id);

CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY,
    id BLOB NOT NULL UNIQUE,
    org_id BLOB,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    request_id TEXT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id BLOB NOT NULL,
    changes TEXT NOT NULL
);
CREATE INDEX audit_events_object ON audit_events(object_id, seq);
CREATE INDEX audit_events_org ON audit_events(org_id, seq);
