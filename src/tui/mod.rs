//! The interactive walkthrough: state and update (`app`), key bindings (`keymap`), geometry
//! (`layout`), drawing (`view`) and the event loop that performs effects (`runtime`).

pub mod app;
pub mod jobs;
pub mod keymap;
pub mod layout;
pub mod msg;
pub mod picker;
pub mod plain;
pub mod runtime;
pub mod view;
