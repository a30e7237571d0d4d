//! insyn's domain: the register's entities, their ids and the rules that
//! need no database. No I/O and no async here.

pub mod access;
pub mod audit;
pub mod auth;
pub mod back_off;
pub mod benefit;
pub mod continuity;
pub mod contract;
pub mod decommission;
pub mod demo;
pub mod eservice;
pub mod feed;
pub mod ids;
pub mod import;
pub mod incident;
pub mod integration;
pub mod it_service;
pub mod job;
pub mod licence;
pub mod listing;
pub mod model;
pub mod outage_plan;
pub mod policy;
pub mod processing;
pub mod processor;
pub mod public;
pub mod regulatory;
pub mod reminder_mail;
pub mod security;
pub mod swedish_time;
pub mod validation;
pub mod webhook;

pub use audit::{AuditAction, AuditObject};
pub use auth::{AppRole, Grant, Permission, TokenScope};
pub use ids::*;
pub use listing::*;
pub use model::*;
pub use validation::{FieldError, FieldErrors};
