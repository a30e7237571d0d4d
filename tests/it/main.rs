//! insyn's integration tests: one binary. Storage tests run on SQLite and on
//! PostgreSQL (see `insyn_tests::dual_test!`); run them with `scripts/test.sh`.

mod store_audit;
mod store_demo;
mod store_isolation;
mod store_people;
mod store_roles;
mod store_schema;
mod store_search;
mod store_systems;
mod store_units;
