//! The registration as a script for the Azure CLI (bash) or Microsoft Graph PowerShell, rendered
//! from the same plan `azreg apply` executes (`core::plan::for_script`): the same operations,
//! the same writes (`Op::writes`), the same reading of Graph's answers (`plan::answers`). The
//! script reads the tenant when it runs and does each operation only where needed.
//!
//! Every value reaches the script as data: in bash inside single quotes, as JSON made here; in
//! PowerShell inside single-quoted strings with all five of its quote characters doubled.
//! Facts: src/docs/graph.md ("What the real Azure CLI does", "PowerShell quoting", "Replication lag").
//!
//! May import: `core`, `i18n`, `text`.

mod bash;
mod powershell;

pub use powershell::{PS_SINGLE_QUOTES, ps_quote};

use crate::core::plan::{self, Goal, Plan};

/// What a script is made from: the plan, and what it needs besides.
pub struct Script {
    pub plan: Plan,
    pub goal: Goal,
    /// The app's client ID, when the record (or `--adopt`) names one.
    pub client_id: Option<String>,
    pub tenant_id: Option<String>,
    /// The key a new app is created under (`uniqueName`).
    pub key: String,
    /// The secret azreg recorded: no second one while it is on the app.
    pub recorded_key: Option<String>,
    pub new_secret: bool,
    /// The step where the client ID is copied, for "a typo in step …" (from the procedure).
    pub client_id_step: String,
}

impl Script {
    /// The step's label as plain text for a message in a script: letters and digits only.
    fn step(&self) -> String {
        self.client_id_step
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect()
    }
}

impl Script {
    fn desired(&self) -> Option<&plan::Desired> {
        match &self.goal {
            Goal::Register(d) => Some(d),
            Goal::Renew { .. } | Goal::FinishRotation => None,
        }
    }
}

/// Which script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// bash with the Azure CLI.
    Az,
    Powershell,
}

pub fn render(s: &Script, kind: Kind) -> String {
    match kind {
        Kind::Az => bash::render(s),
        Kind::Powershell => powershell::render(s),
    }
}

/// Quote a value for sh: single quotes, with embedded ones closed and escaped.
pub fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn json(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// An OData string literal: quotes doubled (OData ABNF `SQUOTE-in-string`).
fn odata(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}
