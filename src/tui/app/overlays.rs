//! The overlays: lists, questions, taking in an import.

use super::*;

impl App {
    /// Offer to take in what an import kept aside (the runtime found and read the file).
    pub fn offer_import(
        &mut self,
        path: std::path::PathBuf,
        obj: serde_json::Map<String, serde_json::Value>,
    ) {
        self.pending_import = Some((path, obj));
        self.overlay = Overlay::TakeImport;
    }

    /// The question for an import kept aside, for the popup and plain mode alike.
    pub fn import_question(&self) -> Option<String> {
        let (path, obj) = self.pending_import.as_ref()?;
        let keys: Vec<&str> = ["appId", "tenant", "password"]
            .into_iter()
            .filter(|k| obj.contains_key(*k))
            .collect();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Some(tr!(
            self.lang(),
            "`azreg import` could not write the progress file while it was open here and kept what it read in {}: {}. Take it in now?",
            "`azreg import` konnte die Fortschrittsdatei nicht schreiben, solange sie hier offen war, und hat das Gelesene in {} abgelegt: {}. Jetzt übernehmen?",
            crate::text::clean_for_display(&name),
            keys.join(", ")
        ))
    }

    pub(super) fn take_import(&mut self) -> Vec<Effect> {
        self.overlay = Overlay::None;
        let Some((path, obj)) = self.pending_import.take() else {
            return Vec::new();
        };
        let lang = self.lang();
        let mut progress = self.progress.clone();
        match crate::core::edit::import::take_import(
            &self.procedure,
            &mut progress,
            &obj,
            (self.config.today, self.now),
        ) {
            Ok(applied) => {
                self.progress = progress;
                let marked = if applied.marked.is_empty() {
                    String::new()
                } else {
                    tr!(
                        lang,
                        "; marked done: {}",
                        "; erledigt: {}",
                        applied.marked.join(", ")
                    )
                };
                self.success(tr!(
                    lang,
                    "Took in the imported values{marked}",
                    "Importierte Werte übernommen{marked}",
                    marked = marked,
                ));
                vec![Effect::Save, Effect::ForgetAfterSave(path)]
            }
            Err(problems) => {
                self.error(tr!(
                    lang,
                    "The imported values were not taken in: {}",
                    "Die importierten Werte wurden nicht übernommen: {}",
                    problems
                        .iter()
                        .map(|p| crate::i18n::Worded::message(p, lang))
                        .collect::<Vec<_>>()
                        .join("; ")
                ));
                Vec::new()
            }
        }
    }

    #[allow(
        clippy::too_many_lines,
        reason = "one arm per overlay and key action, a table read as one"
    )]
    pub(super) fn act_overlay(&mut self, action: Action) -> Vec<Effect> {
        let len = self.overlay_len();
        match (&mut self.overlay, action) {
            (Overlay::Plan { .. }, Action::Accept) => self.answer_plan(true),
            (Overlay::Plan { .. }, Action::Back) => self.answer_plan(false),
            (Overlay::Plan { scroll }, Action::Down) => {
                *scroll = scroll.saturating_add(1);
                Vec::new()
            }
            (Overlay::Plan { scroll }, Action::Up) => {
                *scroll = scroll.saturating_sub(1);
                Vec::new()
            }
            (Overlay::Plan { scroll }, Action::PageDown) => {
                *scroll = scroll.saturating_add(10);
                Vec::new()
            }
            (Overlay::Plan { scroll }, Action::PageUp) => {
                *scroll = scroll.saturating_sub(10);
                Vec::new()
            }
            (Overlay::TakeImport, Action::Accept) => self.take_import(),
            (Overlay::ConfirmSecretQuit, Action::Accept) => self.quit(),
            (Overlay::ConfirmSecretQuit, Action::Back) => {
                self.overlay = Overlay::None;
                Vec::new()
            }
            (Overlay::ConfirmAuthority { host }, Action::Accept) => {
                self.authority_confirmed = Some(host.clone());
                self.overlay = Overlay::None;
                self.verify_now()
            }
            (Overlay::ConfirmAuthority { .. }, Action::Back) => {
                self.overlay = Overlay::None;
                self.info(tr!(
                    self.lang(),
                    "Live check not started: nothing was sent",
                    "Live-Prüfung nicht gestartet: nichts wurde gesendet"
                ));
                Vec::new()
            }
            (Overlay::TakeImport, Action::Back) => {
                self.overlay = Overlay::None;
                self.pending_import = None;
                Vec::new()
            }
            (Overlay::ConfirmQuit, Action::Retry) => {
                self.overlay = Overlay::None;
                self.quit_after_save = true;
                vec![Effect::Save]
            }
            (Overlay::ConfirmQuit, Action::SaveAs) => {
                self.overlay = Overlay::None;
                self.editor = Some(Editor {
                    target: EditTarget::SavePath,
                    input: Input::new(self.config.rescue_path.clone()),
                    error: None,
                });
                self.info(tr!(
                    self.lang(),
                    "Write the progress to this file (Enter), or Esc to go back",
                    "Fortschritt in diese Datei schreiben (Enter), oder Esc für zurück"
                ));
                Vec::new()
            }
            (_, Action::Quit) => self.quit(),
            (_, Action::Back) | (Overlay::Help { .. }, Action::Help | Action::Commit) => {
                self.overlay = Overlay::None;
                Vec::new()
            }
            (Overlay::Help { scroll }, Action::Down) => {
                *scroll = scroll.saturating_add(1);
                Vec::new()
            }
            (Overlay::Help { scroll }, Action::Up) => {
                *scroll = scroll.saturating_sub(1);
                Vec::new()
            }
            (
                Overlay::Values { selected }
                | Overlay::Pick { selected, .. }
                | Overlay::SignIn { selected, .. },
                Action::Down,
            ) => {
                *selected = (*selected + 1).min(len.saturating_sub(1));
                Vec::new()
            }
            (
                Overlay::Values { selected }
                | Overlay::Pick { selected, .. }
                | Overlay::SignIn { selected, .. },
                Action::Up,
            ) => {
                *selected = selected.saturating_sub(1);
                Vec::new()
            }
            (Overlay::Values { selected }, Action::Commit) => {
                let selected = *selected;
                self.overlay = Overlay::None;
                self.jump_to_field(selected)
            }
            (
                Overlay::SignIn {
                    selected, examine, ..
                },
                Action::Commit,
            ) => {
                let (selected, examine) = (*selected, *examine);
                self.overlay = Overlay::None;
                if examine {
                    self.start_examine(selected)
                } else {
                    self.start_apply(selected)
                }
            }
            (Overlay::Messages { scroll }, Action::Down) => {
                *scroll = scroll.saturating_add(1);
                Vec::new()
            }
            (Overlay::Messages { scroll }, Action::Up) => {
                *scroll = scroll.saturating_sub(1);
                Vec::new()
            }
            (Overlay::Messages { .. }, Action::Commit) => {
                self.overlay = Overlay::None;
                Vec::new()
            }
            (Overlay::Findings { scroll }, Action::Down) => {
                *scroll = scroll.saturating_add(1);
                Vec::new()
            }
            (Overlay::Findings { scroll }, Action::Up) => {
                *scroll = scroll.saturating_sub(1);
                Vec::new()
            }
            (Overlay::Findings { .. }, Action::Commit) => {
                self.overlay = Overlay::None;
                Vec::new()
            }
            (Overlay::Pick { field, selected }, Action::Commit) => {
                let (field, selected) = (field.clone(), *selected);
                self.overlay = Overlay::None;
                self.pick(&field, selected)
            }
            _ => Vec::new(),
        }
    }

    pub(super) fn overlay_len(&self) -> usize {
        match &self.overlay {
            Overlay::Values { .. } => self.procedure.fields.len(),
            Overlay::SignIn { .. } => SIGN_INS.len(),
            Overlay::Pick { field, .. } => self.procedure.field(field).map_or(0, |spec| {
                crate::tui::picker::items(spec, self.config.today, self.lang()).len()
            }),
            _ => 0,
        }
    }
}
