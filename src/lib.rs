//! azreg: a keyboard-driven walkthrough for registering an Intrexx portal as an app in
//! Microsoft Entra ID (Azure), with the vendor's 23-step guide as data.

pub mod cli;
pub mod clipboard;
pub mod commands;
pub mod edit;
pub mod engine;
pub mod exit;
pub mod fields;
pub mod graph;
pub mod i18n;
pub mod journal;
pub mod permissions;
pub mod plan;
pub mod procedure;
pub mod progress;
pub mod renewal;
pub mod report;
pub mod safe_fs;
pub mod secret;
pub mod signin;
pub mod store;
pub mod text;
pub mod tui;
pub mod verify;

/// For tests: an environment of fixed variables, as the `env` readers take it.
#[cfg(test)]
pub(crate) mod test_env {
    use std::ffi::OsString;

    pub fn env_of(
        vars: &'static [(&'static str, &'static str)],
    ) -> impl Fn(&str) -> Option<OsString> {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }
}
