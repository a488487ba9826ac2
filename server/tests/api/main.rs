//! The real server on a random port against a fresh database: SQLite, or PostgreSQL when
//! FLOWHOST_TEST_DATABASE_URL is set.

mod activity;
mod admission;
mod auth;
mod broken_config;
mod caching;
mod callbacks;
mod comments;
mod connector;
mod console;
mod console_dutch;
mod diagnostics;
mod dutch_pages;
mod engine_flow;
mod flow_runs;
mod forms;
mod gallery_flows;
mod language;
mod limits;
mod logs;
mod pages;
mod platform;
mod rest;
mod rest_client;
mod rest_tokens;
mod server_pages;
mod sign_out;
mod staff_audit;
mod startup;
mod store_bounds;
mod support;
mod webhooks;
mod webhooks_admin;
mod webhooks_restart;
mod widget_api;
mod widgets;
