//! The identity provider over real HTTP, one test per documented rule.

mod app_access;
mod authorize;
mod consent;
mod controls;
mod dataverse;
mod discovery;
mod flow;
mod flow_rp;
mod graph;
mod graph_users;
mod language;
mod marketplace;
mod marketplace_customer;
mod partner_center;
mod power_apps;
mod sdk;
mod submissions;
mod support;
mod token;
