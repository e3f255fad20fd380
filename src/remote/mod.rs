//! Everything that speaks HTTP: the bounded client and Entra ID's answers (`verify::http`,
//! `verify::answers`), the live check (`verify`), the typed Microsoft Graph client (`graph`),
//! and the sign-in (`signin`: browser, device code, the Azure CLI's token).
//!
//! May import: `core`, `i18n`, `text`, `secret`.

pub mod graph;
pub mod signin;
pub mod verify;
