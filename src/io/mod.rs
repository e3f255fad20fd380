//! Files and the clipboard: the progress file (`store`: atomic saves, locks, moving a bad file
//! aside), files in shared directories (`safe_fs`), the journal of what apply wrote, the files an
//! import kept aside, and the clipboard (system, OSC 52).
//!
//! May import: `core`, `i18n`, `text`, `secret`.

pub mod clipboard;
pub mod clock;
pub mod journal;
pub mod kept;
pub mod safe_fs;
pub mod settings;
pub mod store;
pub mod users;
