//! Moving through the walkthrough: the checklist, marks, scrolling, the mouse, links.

use super::*;

impl App {
    pub(super) fn page_height(&self) -> u16 {
        layout::areas(
            Rect::new(0, 0, self.size.0, self.size.1),
            self.procedure.list_width,
        )
        .map_or(10, |a| a.step.height.saturating_sub(4).max(1))
    }

    /// Scroll the step's text, within what there is to scroll.
    pub(super) fn scroll_by(&mut self, delta: i32) {
        let max = i32::from(self.max_body_scroll);
        self.body_scroll = (i32::from(self.body_scroll) + delta).clamp(0, max.max(0)) as u16;
    }

    pub(super) fn move_to(&mut self, entry: usize) -> Vec<Effect> {
        let entry = entry.min(self.procedure.summary_index());
        if entry == self.cursor {
            return Vec::new();
        }
        self.cursor = entry;
        self.focus = Focus::Checklist;
        self.body_scroll = 0;
        self.progress.current = Some(self.procedure.entries[entry].step.id.clone());
        vec![Effect::Save]
    }

    /// The first step after `from` that is not done, wrapping around; the summary when all are.
    pub fn next_open(&self, from: usize) -> usize {
        self.report().next_open(from)
    }

    pub(super) fn toggle_done(&mut self) -> Vec<Effect> {
        let entry = &self.procedure.entries[self.cursor];
        let number = entry.label.clone();
        let in_guide = entry.in_guide;
        let EntryKind::Step { .. } = entry.kind else {
            let next = self.next_open(self.cursor);
            if next == self.cursor {
                return Vec::new();
            }
            return self.move_to(next);
        };
        let id = entry.step.id.clone();
        if self.progress.done.remove(&id).is_some() {
            self.info(tr!(
                self.lang(),
                "Step {number} is open again",
                "Schritt {number} ist wieder offen",
                number = number,
            ));
            return vec![Effect::Save];
        }
        if let Some(reason) = self.blocker() {
            self.error(tr!(
                self.lang(),
                "Step {number} is not done yet: {reason}",
                "Schritt {number} ist noch nicht erledigt: {reason}",
                number = number,
                reason = reason,
            ));
            return Vec::new();
        }
        let procedure = self.procedure.clone();
        let renewed = match crate::core::edit::mark_done(
            &procedure,
            &mut self.progress,
            self.cursor,
            (self.config.today, self.now),
        ) {
            Ok(crate::core::edit::Marked::Renewed(r)) => Some(r),
            _ => None,
        };
        let done = self.done_count();
        let total = self.procedure.step_count();
        if !in_guide {
            self.success(tr!(
                self.lang(),
                "Step {number} done",
                "Schritt {number} erledigt",
                number = number,
            ));
        } else if done == total {
            self.success(tr!(
                self.lang(),
                "Step {number} done. All {total} steps are done!",
                "Schritt {number} erledigt. Alle {total} Schritte sind erledigt!",
                number = number,
                total = total,
            ));
        } else {
            self.success(tr!(
                self.lang(),
                "Step {number} done ({done}/{total})",
                "Schritt {number} erledigt ({done}/{total})",
                number = number,
                done = done,
                total = total,
            ));
        }
        // The renewal's last step: the new secret takes the old one's place.
        if let Some(r) = renewed {
            let (old, new) = (r.old_expiry.unwrap_or_else(|| "?".into()), r.new_expiry);
            self.success(tr!(
                self.lang(),
                "Renewed: the new client secret (expires {new}) is the one azreg records now; the old expiry ({old}) is kept in the history",
                "Erneuert: azreg führt jetzt den neuen geheimen Clientschlüssel (gültig bis {new}); das alte Ablaufdatum ({old}) bleibt in der Liste der Erneuerungen",
                new = new,
                old = old,
            ));
            let summary = self.procedure.summary_index();
            let mut effects = self.move_to(summary);
            effects.push(Effect::Save);
            return effects;
        }
        let next = self.next_open(self.cursor);
        let mut effects = self.move_to(next);
        if effects.is_empty() {
            effects.push(Effect::Save);
        }
        effects
    }

    /// Why the current step cannot be marked done: a field that is empty or in error.
    pub(super) fn blocker(&self) -> Option<String> {
        self.current_fields().iter().find_map(|id| {
            let spec = self.procedure.field(id)?;
            let a = self.ctx().assess(spec);
            match a.state() {
                FieldState::Empty => Some(tr!(
                    self.lang(),
                    "enter \"{}\" first (Tab to the field, Enter to edit)",
                    "erst „{}“ eintragen (Tab zum Feld, Enter zum Bearbeiten)",
                    spec.label
                )),
                FieldState::Error => a
                    .first_error()
                    .map(|p| format!("{}: {}", spec.label, p.message)),
                _ => None,
            }
        })
    }

    pub(super) fn cycle_focus(&mut self, forward: bool) -> Vec<Effect> {
        let n = self.focus_items().len();
        if n == 0 {
            self.info(tr!(
                self.lang(),
                "This step has no values to enter",
                "Dieser Schritt hat keine Werte zum Eintragen"
            ));
            return Vec::new();
        }
        self.focus = match (self.focus, forward) {
            (Focus::Checklist, true) => Focus::Field(0),
            (Focus::Checklist, false) => Focus::Field(n - 1),
            (Focus::Field(i), true) if i + 1 < n => Focus::Field(i + 1),
            (Focus::Field(i), false) if i > 0 => Focus::Field(i - 1),
            (Focus::Field(_), _) => Focus::Checklist,
        };
        Vec::new()
    }

    pub(super) fn jump_to_field(&mut self, index: usize) -> Vec<Effect> {
        let Some(spec) = self.procedure.fields.get(index) else {
            return Vec::new();
        };
        let id = spec.id.clone();
        let Some(entry) = self.procedure.entry_of_field(&id) else {
            return Vec::new();
        };
        let effects = self.move_to(entry);
        if let Some(pos) = self.current_fields().iter().position(|f| *f == id) {
            self.focus = Focus::Field(pos);
        }
        effects
    }

    pub(super) fn on_mouse(&mut self, m: MouseEvent) -> Vec<Effect> {
        if self.editor.is_some() || !matches!(self.overlay, Overlay::None) {
            return Vec::new();
        }
        let Some(areas) = layout::areas(
            Rect::new(0, 0, self.size.0, self.size.1),
            self.procedure.list_width,
        ) else {
            return Vec::new();
        };
        let pos = Position::new(m.column, m.row);
        let in_list = areas.list.contains(pos);
        let in_step = areas.step.contains(pos);
        match m.kind {
            MouseEventKind::Down(MouseButton::Left) if in_list => {
                let offset = layout::list_offset(
                    self.procedure.row_of_entry[self.cursor],
                    areas.list.height as usize,
                    self.procedure.rows.len(),
                );
                let row = offset + (m.row - areas.list.y) as usize;
                match self.procedure.rows.get(row) {
                    Some(crate::core::procedure::Row::Entry(e)) => self.move_to(*e),
                    _ => Vec::new(),
                }
            }
            MouseEventKind::ScrollDown if in_list => self.move_to(self.cursor + 1),
            MouseEventKind::ScrollUp if in_list => self.move_to(self.cursor.saturating_sub(1)),
            MouseEventKind::ScrollDown if in_step => {
                self.scroll_by(2);
                Vec::new()
            }
            MouseEventKind::ScrollUp if in_step => {
                self.scroll_by(-2);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    pub(super) fn open_link(&mut self) -> Vec<Effect> {
        let client_id = self.ctx().effective("client_id").map(|(v, _)| v);
        let Some(link) = self.procedure.link_for(self.cursor, client_id.as_deref()) else {
            self.info(tr!(
                self.lang(),
                "This step has no link to open",
                "Dieser Schritt hat keinen Link zum Öffnen"
            ));
            return Vec::new();
        };
        if self.config.has_display {
            vec![Effect::OpenUrl(link)]
        } else {
            self.warning(tr!(
                self.lang(),
                "No display to open a browser here: open {link} yourself",
                "Kein Bildschirm für einen Browser hier: öffnen Sie {link} selbst",
                link = link,
            ));
            Vec::new()
        }
    }
}
