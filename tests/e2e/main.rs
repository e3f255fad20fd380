//! The end-to-end and integration tests, one binary: the real azreg in a pseudo-terminal, its
//! subcommands as processes, the Azure CLI from PyPI, all against the stand-ins in `common`
//! (compiled once). The fast unit tests are beside the code (`cargo test --lib`).

mod apply_e2e;
mod apply_kill;
mod apply_walkthrough;
mod azure_cli;
mod catalog_language;
mod cli;
mod cli_errors;
mod clipboard_e2e;
mod common;
mod contract;
mod crash_kill;
mod debug_trace;
mod doctor;
mod faults_e2e;
mod fields_e2e;
mod german;
mod interface_e2e;
mod json_schemas;
mod monitoring;
mod one_gate;
mod plain_e2e;
mod plan_e2e;
mod properties;
mod real_graph;
mod render;
mod renew_e2e;
mod rotation;
mod screen_fit;
mod screens;
mod security;
mod shared_dirs;
mod signin;
mod verify;
mod walkthrough_e2e;
