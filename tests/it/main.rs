//! insyn's integration tests: one binary. Storage and HTTP tests run on
//! SQLite and on PostgreSQL (see `insyn_tests::dual_test!`); run them with
//! `scripts/test.sh`. The harness is in `tests/support/`.

mod html_access;
mod http_access;
mod http_auth;
mod http_cli;
mod http_contract;
mod http_headers;
mod http_i18n;
mod http_import;
mod http_import_limits;
mod http_isolation;
mod http_language;
mod http_oidc;
mod http_openapi;
mod http_permission;
mod http_policy;
mod http_public;
mod http_register;
mod http_roles;
mod http_security;
mod http_snapshots;
mod http_systems;
mod http_validation;
mod mail;
mod reminders;
mod store_access;
mod store_audit;
mod store_audit_key;
mod store_demo;
mod store_every_rule;
mod store_full;
mod store_import;
mod store_isolation;
mod store_mapping;
mod store_people;
mod store_performance;
mod store_policy;
mod store_roles;
mod store_schema;
mod store_search;
mod store_systems;
mod store_units;
