//! The real server on a random port against a fresh database: SQLite, or PostgreSQL when
//! FLOWHOST_TEST_DATABASE_URL is set.

mod auth;
mod console;
mod forms;
mod pages;
mod platform;
mod support;
mod widgets;
