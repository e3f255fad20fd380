//! Field kinds, validation, normalisation and derivation.
//!
//! The procedure file declares each field and the rules it follows (`url_role`, `charset`,
//! `path_prefix`, `distinct_from`, ...); this module knows the kinds and rules, never an
//! individual field. Facts behind the rules: src/docs/entra.md (Entra ID redirect URI restrictions,
//! GUID and client secret formats).
//!
//! `spec`: what a procedure declares; `input`: cleaning and normalising what was typed or
//! pasted, dates; `check`: the rules, derivation and assessment.

mod check;
mod input;
mod spec;

pub use check::*;
pub use input::*;
pub use spec::*;

#[cfg(test)]
mod tests;
