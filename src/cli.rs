//! The command line (clap derive).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::clipboard::Mode;

#[derive(Debug, Parser)]
#[command(
    name = "azreg",
    version,
    about = "Register an Intrexx portal as an app in Microsoft Entra ID (Azure), step by step",
    after_help = "Examples:\n  azreg                      walk through the 23 steps (resumes where you stopped)\n  azreg --file setup.toml    keep progress in another file"
)]
pub struct Cli {
    /// The progress file [default: $XDG_STATE_HOME/azreg/progress.toml]
    #[arg(long, global = true, value_name = "PATH")]
    pub file: Option<PathBuf>,

    /// Use another procedure file of the same schema instead of the embedded one
    #[arg(long, global = true, value_name = "FILE")]
    pub procedure: Option<PathBuf>,

    /// Keep the client secret in memory only; never write it to the progress file
    #[arg(long)]
    pub no_store_secret: bool,

    /// Where copies go: auto picks OSC 52 over SSH or without a display, else the system clipboard
    #[arg(long, value_enum, default_value_t = Mode::Auto, value_name = "MODE")]
    pub clipboard: Mode,

    /// Clear a copied client secret from the clipboard after this many seconds (0 = never)
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub clear_after: u32,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The interactive walkthrough (the default)
    #[command(after_help = "Example:\n  azreg walk --file portal-a.toml")]
    Walk,
}
