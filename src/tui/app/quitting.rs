//! Quitting, and notes from start-up.

use super::*;

impl App {
    /// Quit, unless changes are unsaved: then ask first.
    pub(super) fn quit(&mut self) -> Vec<Effect> {
        if let Some(reason) = &self.save_error
            && self.overlay != Overlay::ConfirmQuit
        {
            let reason = crate::i18n::Worded::message(reason, self.lang());
            self.editor = None;
            self.overlay = Overlay::ConfirmQuit;
            self.error(tr!(
                self.lang(),
                "Changes are not saved: {reason}",
                "Änderungen sind nicht gespeichert: {reason}",
                reason = reason,
            ));
            return Vec::new();
        }
        // A secret kept in memory only is gone once azreg ends, and Azure never shows it
        // again: ask first.
        let secret_in_memory = !self.config.store_secret
            && self
                .procedure
                .fields
                .iter()
                .any(|f| f.is_secret() && self.progress.values.contains_key(&f.id));
        if secret_in_memory && self.overlay != Overlay::ConfirmSecretQuit {
            self.editor = None;
            self.overlay = Overlay::ConfirmSecretQuit;
            return Vec::new();
        }
        self.overlay = Overlay::None;
        self.quitting = true;
        vec![Effect::Quit]
    }

    /// A warning from start-up (file moved aside, loose permissions) for the status line.
    pub fn note(&mut self, text: &str) {
        self.warning(text.to_string());
    }
}
