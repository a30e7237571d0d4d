//! The harness of insyn's integration tests: a fresh database per test, on
//! SQLite and on PostgreSQL, and [`dual_test!`] to write a test once and run
//! it on both.
//!
//! PostgreSQL comes from `INSYN_TEST_PG_URL`, which `scripts/test.sh` sets
//! after starting a throwaway cluster. Every test gets its own database.
//!
//! | module | what |
//! |---|---|
//! | [`db`] | opening SQLite and PostgreSQL stores, [`dual_test!`] |
//! | [`fixtures`] | test data made through the store; fixture files |
//! | [`scenario`] | an organisation with systems, people, role holders and users in a few lines |
//! | [`app`] | the application in-process, signed in or not |
//! | [`html`] | reading pages: text, attributes, elements by id |
//! | [`smtp`] | a real SMTP server |
//! | [`process`] | the `insyn` binary and free ports |

pub mod app;
pub mod db;
pub mod fixtures;
pub mod html;
pub mod process;
pub mod scenario;
pub mod smtp;

pub use anyhow;
pub use app::*;
pub use db::*;
pub use fixtures::*;
pub use html::*;
pub use process::*;
pub use scenario::{On, Scenario};
pub use smtp::*;
