//! Copying values, and clearing a copied secret.

use super::*;

impl App {
    /// `c`: the step's main value, else its link; on the summary the focused line.
    pub(super) fn copy_main(&mut self) -> Vec<Effect> {
        let step = &self.procedure.entries[self.cursor].step;
        if let Some(main) = step.main.clone() {
            return self.copy_field(&main);
        }
        if let Some(link) = step.link.clone() {
            return vec![Effect::Copy {
                label: tr!(self.lang(), "link", "Link"),
                text: link.into(),
                secret: false,
            }];
        }
        if step.share.is_some() {
            return match self.share_link() {
                Some(link) => vec![Effect::Copy {
                    label: tr!(self.lang(), "link", "Link"),
                    text: link.into(),
                    secret: false,
                }],
                None => {
                    let at = self.procedure.step_of_field("client_id").to_string();
                    self.info(tr!(
                        self.lang(),
                        "The link is complete once the tenant and client ID are entered (step {at})",
                        "Der Link ist vollständig, sobald Mandanten- und Client-ID eingetragen sind (Schritt {at})",
                        at = at,
                    ));
                    Vec::new()
                }
            };
        }
        if let Some(spec) = self.focused_field() {
            let id = spec.id.clone();
            return self.copy_field(&id);
        }
        if let Some(first) = step.lists.first().cloned() {
            return self.copy_field(&first);
        }
        // A link in the step's text (the Intrexx page of permissions at P1): each `c` the next.
        let urls = step.body_urls();
        if !urls.is_empty() {
            let turn = if self.copied_links.0 == self.cursor {
                self.copied_links.1
            } else {
                0
            };
            self.copied_links = (self.cursor, turn + 1);
            let i = turn % urls.len();
            let label = if urls.len() == 1 {
                tr!(self.lang(), "link", "Link")
            } else {
                tr!(
                    self.lang(),
                    "link {n} of {all}",
                    "Link {n} von {all}",
                    n = i + 1,
                    all = urls.len()
                )
            };
            return vec![Effect::Copy {
                label,
                text: urls[i].clone().into(),
                secret: false,
            }];
        }
        self.info(tr!(
            self.lang(),
            "This step has nothing to copy",
            "Dieser Schritt hat nichts zum Kopieren"
        ));
        Vec::new()
    }

    /// This step's link to hand on, filled with the values (the identity platform the progress
    /// file names, else Microsoft's).
    pub fn share_link(&self) -> Option<String> {
        self.procedure.share_for(
            self.cursor,
            &self.progress.values,
            self.config.today,
            self.authority(),
        )
    }

    /// The identity platform links point at: the progress file's, else Microsoft's.
    pub fn authority(&self) -> &str {
        self.progress
            .authority
            .as_deref()
            .unwrap_or(crate::remote::verify::DEFAULT_AUTHORITY)
    }

    /// Copy a field's value, unless it is empty or has an error.
    pub(super) fn copy_field(&mut self, id: &str) -> Vec<Effect> {
        let Some(spec) = self.procedure.field(id).cloned() else {
            return Vec::new();
        };
        let a = self.ctx().assess(&spec);
        match (a.state(), a.value) {
            (FieldState::Error, _) => {
                let why = a
                    .problems
                    .first()
                    .map(|p| p.message.clone())
                    .unwrap_or_default();
                self.error(tr!(
                    self.lang(),
                    "Not copied: {p0} has an error: {why}",
                    "Nicht kopiert: {p0} hat einen Fehler: {why}",
                    p0 = spec.label,
                    why = why,
                ));
                Vec::new()
            }
            (_, None) => {
                self.warning(tr!(
                    self.lang(),
                    "Nothing to copy: {} is empty",
                    "Nichts zu kopieren: {} ist leer",
                    spec.label
                ));
                Vec::new()
            }
            (_, Some(text)) => vec![Effect::Copy {
                label: spec.label.clone(),
                text: text.into(),
                secret: spec.is_secret(),
            }],
        }
    }

    pub(super) fn on_copied(
        &mut self,
        result: Result<Copied, crate::io::clipboard::ClipError>,
    ) -> Vec<Effect> {
        let c = match result {
            Ok(c) => c,
            Err(e) => {
                let reason = e.message(self.lang());
                self.error(tr!(
                    self.lang(),
                    "Not copied: {reason}",
                    "Nicht kopiert: {reason}",
                    reason = reason,
                ));
                return Vec::new();
            }
        };
        let fallback = c
            .fallback
            .map(|f| {
                let why = f.message(self.lang());
                tr!(
                    self.lang(),
                    " (system clipboard unavailable: {why})",
                    " (System-Zwischenablage nicht verfügbar: {why})",
                    why = why,
                )
            })
            .unwrap_or_default();
        let mut text = tr!(
            self.lang(),
            "Copied {p0} ({p1} chars) {p2}{fallback}",
            "{p0} kopiert ({p1} Zeichen) {p2}{fallback}",
            p0 = c.label,
            p1 = c.chars,
            p2 = c.kind.describe(self.lang()),
            fallback = fallback,
        );
        if let Some(blocked) = &c.blocked {
            // Said with every copy: the user expects the value on the clipboard.
            let why = blocked.message(self.lang());
            self.warning(tr!(
                self.lang(),
                "Not on your clipboard: {why}",
                "Nicht in Ihrer Zwischenablage: {why}",
                why = why,
            ));
            return Vec::new();
        }
        let mut effects = Vec::new();
        if c.secret {
            if c.kind == crate::io::clipboard::Kind::Osc52 {
                text.push_str(&tr!(self.lang(), "; azreg cannot clear it there: copy something else once pasted", "; dort kann azreg ihn nicht löschen: kopieren Sie nach dem Einfügen etwas anderes"));
            } else if self.config.clear_after > 0 {
                self.clear_left = Some(self.config.clear_after);
                effects.push(Effect::Schedule(
                    Timer::ClipboardTick,
                    Duration::from_secs(1),
                ));
            }
        } else {
            // Something else was copied over the secret: no need to clear it any more.
            self.clear_left = None;
        }
        self.success(text);
        effects
    }

    pub(super) fn clipboard_tick(&mut self) -> Vec<Effect> {
        match self.clear_left {
            Some(n) if n > 1 => {
                self.clear_left = Some(n - 1);
                vec![Effect::Schedule(
                    Timer::ClipboardTick,
                    Duration::from_secs(1),
                )]
            }
            Some(_) => {
                self.clear_left = Some(0);
                self.secret_value()
                    .map(|s| Effect::ClearClipboardIf(s.into()))
                    .into_iter()
                    .collect()
            }
            None => Vec::new(),
        }
    }

    /// The client secret, wherever the procedure declares it.
    pub fn secret_value(&self) -> Option<String> {
        self.report().secret()
    }
}
