//! azreg: a keyboard-driven walkthrough for registering an Intrexx portal as an app in
//! Microsoft Entra ID (Azure), with the vendor's 23-step guide as data.

// The layers, top down; imports run only downwards (each folder's mod.rs says what it may use):
// main -> cli, tui; cli, tui -> engine, scripts, remote, core, io; engine -> remote, core;
// scripts -> core; remote, io -> core. i18n, text and secret serve every layer.
pub mod cli;
pub mod core;
pub mod engine;
pub mod i18n;
pub mod io;
pub mod platform;
pub mod remote;
pub mod scripts;
pub mod secret;
pub mod text;
pub mod tui;

#[cfg(test)]
mod worded_tests;

/// For tests: an environment of fixed variables, as the `env` readers take it.
#[cfg(test)]
pub(crate) mod test_env {
    use std::ffi::OsString;

    pub fn env_of(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> + use<> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            vars.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }
}
