//! Entering values: the line editor, pickers, pastes, revealing the secret.

use super::*;
use crate::core::edit::SetOutcome;
use crate::core::fields::FieldKind;
use crate::i18n::Worded;

impl App {
    /// Open the editor (or the picker) on the focused field, or the step's first field.
    pub(super) fn start_edit(&mut self, initial: Option<String>) -> Vec<Effect> {
        if self.focus == Focus::Checklist {
            if self.current_fields().is_empty() {
                return Vec::new();
            }
            let main = self.procedure.entries[self.cursor].step.main.clone();
            let idx = main
                .and_then(|m| self.current_fields().iter().position(|f| *f == m))
                .unwrap_or(0);
            self.focus = Focus::Field(idx);
        }
        let Some(spec) = self.focused_field().cloned() else {
            return Vec::new();
        };
        if !self.current_fields().contains(&spec.id) {
            self.info(tr!(
                self.lang(),
                "{} is entered at its own step: v shows where",
                "{} wird in seinem eigenen Schritt eingetragen: v zeigt, wo",
                spec.label
            ));
            return Vec::new();
        }
        if spec.is_picked() && initial.is_none() {
            let current = self.progress.values.get(&spec.id).cloned();
            self.overlay = Overlay::Pick {
                selected: crate::tui::picker::start(&spec, current.as_deref(), self.config.today),
                field: spec.id,
            };
            return Vec::new();
        }
        let text = initial.unwrap_or_else(|| self.assess(&spec.id).value.unwrap_or_default());
        self.editor = Some(Editor {
            target: EditTarget::Field(spec.id),
            input: Input::new(text),
            error: None,
        });
        Vec::new()
    }

    pub(super) fn commit_edit(&mut self) -> Vec<Effect> {
        let lang = self.procedure.lang();
        let Some(editor) = &mut self.editor else {
            return Vec::new();
        };
        let cleaned = match fields::clean_input(editor.input.value()) {
            Ok(v) => v,
            Err(e) => {
                let msg = e.message(lang);
                editor.error = Some(msg.clone());
                self.error(tr!(
                    self.lang(),
                    "Not taken: {msg}",
                    "Nicht übernommen: {msg}",
                    msg = msg,
                ));
                return Vec::new();
            }
        };
        let target = editor.target.clone();
        self.editor = None;
        match target {
            EditTarget::Field(field) => self.set_value(&field, &cleaned),
            EditTarget::SavePath if cleaned.is_empty() => {
                self.overlay = Overlay::ConfirmQuit;
                Vec::new()
            }
            EditTarget::SavePath => {
                self.quit_after_save = true;
                vec![Effect::SaveAs(cleaned)]
            }
        }
    }

    /// Store a cleaned value (empty clears it) and say what the checks found.
    /// A value typed outside the editor (the plain walkthrough), cleaned and checked as the
    /// editor does; a choice may be given by its number in the list, a date as days from today.
    pub fn enter_value(&mut self, field: &str, raw: &str) -> Vec<Effect> {
        let cleaned = match fields::clean_input(raw) {
            Ok(c) => c,
            Err(e) => {
                self.error(e.message(self.lang()));
                return Vec::new();
            }
        };
        let picked = self.procedure.field(field).and_then(|spec| {
            let n: usize = cleaned.parse().ok()?;
            // A date as days from today is taken by `set_value` itself.
            match spec.kind {
                FieldKind::Choice => spec.options.get(n.checked_sub(1)?).map(|o| o.value.clone()),
                _ => None,
            }
        });
        self.set_value(field, picked.as_deref().unwrap_or(&cleaned))
    }

    pub(super) fn set_value(&mut self, field: &str, cleaned: &str) -> Vec<Effect> {
        let Some(spec) = self.procedure.field(field).cloned() else {
            return Vec::new();
        };
        let set = crate::core::edit::set_value(
            &self.procedure,
            &mut self.progress,
            &spec,
            cleaned,
            (self.config.today, self.now, "walkthrough"),
        );
        let message = set.message(&spec, self.lang());
        match set.outcome() {
            SetOutcome::Cleared => self.info(message),
            SetOutcome::Refused(_) => self.error(message),
            SetOutcome::Warned(_) => self.warning(message),
            SetOutcome::Stored if spec.is_secret() && !self.config.store_secret => {
                self.warning(tr!(
                    self.lang(),
                    "{} kept in memory only, not saved (--no-store-secret): enter it in Intrexx before you quit",
                    "{} nur im Speicher, nicht gespeichert (--no-store-secret): tragen Sie ihn vor dem Beenden in Intrexx ein",
                    spec.label
                ))
            }
            SetOutcome::Derived | SetOutcome::Stored => self.success(message),
        }
        if !set.changed {
            return Vec::new();
        }
        vec![Effect::Save]
    }

    pub(super) fn pick(&mut self, field: &str, selected: usize) -> Vec<Effect> {
        let Some(spec) = self.procedure.field(field).cloned() else {
            return Vec::new();
        };
        let items = crate::tui::picker::items(&spec, self.config.today, self.lang());
        match items.get(selected).and_then(|i| i.value.clone()) {
            Some(v) => self.set_value(field, &v),
            // "Custom date": type it.
            None => {
                let current = self.progress.values.get(field).cloned().unwrap_or_default();
                self.editor = Some(Editor {
                    target: EditTarget::Field(field.to_string()),
                    input: Input::new(current),
                    error: None,
                });
                self.info(tr!(
                    self.lang(),
                    "Type the date as YYYY-MM-DD",
                    "Geben Sie das Datum als JJJJ-MM-TT ein"
                ));
                Vec::new()
            }
        }
    }

    pub(super) fn on_paste(&mut self, text: &str) -> Vec<Effect> {
        if text.len() > MAX_PASTE {
            let n = text.chars().count();
            self.error(tr!(
                self.lang(),
                "Paste refused: {n} characters is far more than any value here",
                "Einfügen abgelehnt: {n} Zeichen sind weit mehr als jeder Wert hier",
                n = n,
            ));
            return Vec::new();
        }
        let cleaned = match fields::clean_input(text) {
            Ok(c) => c,
            Err(e) => {
                self.error(tr!(
                    self.lang(),
                    "Paste refused: {msg}",
                    "Einfügen abgelehnt: {msg}",
                    msg = e.message(self.lang()),
                ));
                return Vec::new();
            }
        };
        if let Some(ed) = &mut self.editor {
            for c in cleaned.chars() {
                ed.input.handle(InputRequest::InsertChar(c));
            }
            ed.error = None;
            return Vec::new();
        }
        if !matches!(self.overlay, Overlay::None) || self.current_fields().is_empty() {
            self.info(tr!(self.lang(), "Nothing takes a pasted value here: go to the step that asks for it", "Hier nimmt nichts einen eingefügten Wert: gehen Sie zu dem Schritt, der danach fragt"));
            return Vec::new();
        }
        // A paste while browsing goes into the focused (or the step's main) field's editor,
        // so the user sees it and keeps it with Enter.
        self.overlay = Overlay::None;
        if self.focused_field().is_some_and(FieldSpec::is_picked) {
            self.focus = Focus::Checklist;
        }
        let effects = self.start_edit(Some(cleaned));
        if let Some(spec) = self.focused_field() {
            let label = spec.label.clone();
            self.info(tr!(
                self.lang(),
                "Pasted into {label}: Enter keeps it, Esc discards it",
                "In {label} eingefügt: Enter übernimmt, Esc verwirft",
                label = label,
            ));
        }
        effects
    }

    pub(super) fn reveal(&mut self) -> Vec<Effect> {
        let has_secret = self
            .procedure
            .fields
            .iter()
            .any(|f| f.is_secret() && self.progress.values.contains_key(&f.id));
        if !has_secret {
            self.info(tr!(
                self.lang(),
                "There is no client secret to show yet",
                "Es gibt noch keinen geheimen Clientschlüssel zum Anzeigen"
            ));
            return Vec::new();
        }
        self.secret_revealed = true;
        self.info(tr!(
            self.lang(),
            "The client secret is shown for 10 seconds",
            "Der geheime Clientschlüssel wird 10 Sekunden lang angezeigt"
        ));
        vec![Effect::Schedule(Timer::HideSecret, REVEAL_FOR)]
    }
}
