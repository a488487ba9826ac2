//! The sandbox's flow engine, as far as it goes: the workflow definition language's expressions
//! (`@…`, `@{…}`) over a run's trigger and actions. Definitions, connectors, connections and runs
//! build on it.

pub mod expression;
mod functions;
