//! The sandbox's flow engine, as far as it goes: a flow's definition in the workflow
//! definition language checked when it is saved (`definition`), and the language's expressions
//! (`@…`, `@{…}`) over a run's trigger and actions (`expression`). Connectors, connections and
//! runs build on these.

pub mod connector;
pub mod definition;
pub mod expression;
mod functions;
pub mod run;
#[cfg(test)]
mod test_flows;
