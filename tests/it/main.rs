//! The integration tests, as one test binary (one link, one binary on disk): a module per
//! area, with the helpers they share in `support`.
//!
//! A test that runs a child copy of this binary names its child test by its full path
//! (`support::child_test`); the parent then waits for a line the child prints, so a child that
//! matched nothing fails the parent instead of passing silently.

mod support;

mod architecture;
mod bounded_reads;
mod cli;
mod closure_scale;
mod completions;
mod corruption;
mod deep_chains;
mod documented_commands;
mod dot;
mod everyday;
mod export_parquet;
mod export_rdf;
mod export_tables;
mod forgery;
mod global_options;
mod graph_api;
mod graphviz;
mod hostile_input;
mod hostile_text;
mod import_cli;
mod import_wikidata;
mod io_faults;
mod kill;
mod lazy_contract;
mod lazy_open;
mod locking;
mod output_files;
mod page_facts;
mod prop_model;
mod query_language;
mod query_prop;
mod roundtrip;
mod safe_writes;
mod seed_facts;
mod snapshot;
mod spellings;
mod timeline_svg;
mod validation;
