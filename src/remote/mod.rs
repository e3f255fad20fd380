//! Everything that speaks HTTP: the bounded client (`http`), Entra ID's answers and what to do
//! about them (`entra`), the typed Microsoft Graph client (`graph`), the sign-in (`signin`:
//! browser, device code, the Azure CLI's token) and the live check (`verify`).
//!
//! May import: `core`, `i18n`, `text`, `secret`.

pub mod entra;
pub mod graph;
pub mod http;
pub mod signin;
pub mod trace;
pub mod verify;
