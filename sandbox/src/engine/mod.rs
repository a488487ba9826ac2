//! The sandbox's flow engine, as far as it goes:
//!
//! - `definition`: a flow's definition in the workflow definition language, checked when it is
//!   saved, refusing by name what the engine does not run;
//! - `expression`: the language's expressions (`@…`, `@{…}`) over a run's trigger and actions;
//! - `run`: one run of a checked definition, its actions' statuses, inputs and outputs;
//! - `connector` and `http`: a custom connector's operations (Flowhost's own `connector/`
//!   definition) as HTTP requests to its backend with a connection's token.
//!
//! Power Automate's side (`crate::flow`) builds connections, subscriptions, callbacks,
//! approvals and run history on these.

pub mod connector;
pub mod definition;
pub mod expression;
mod functions;
pub mod http;
pub mod run;
#[cfg(test)]
mod test_flows;
