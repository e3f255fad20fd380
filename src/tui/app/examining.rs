//! "Check in Azure" (`D`, on the summary and where the live check runs): the same read as
//! `azreg doctor`, on the run's thread; the findings in a list, and the steps Azure confirms or
//! contradicts marked in the checklist and on their cards.

use super::*;
use crate::core::doctor::{self, Examined, Finding, Level};
use crate::engine::Job;
use crate::remote::signin::login::Login;

impl App {
    /// `D`: the question how to sign in, or why not yet.
    pub(super) fn offer_examine(&mut self) -> Vec<Effect> {
        if !self.procedure.entries[self.cursor].step.verify {
            self.info(tr!(
                self.lang(),
                "Check in Azure runs on the summary: press G, then D",
                "In Azure prüfen läuft in der Zusammenfassung: drücken Sie G, dann D"
            ));
            return Vec::new();
        }
        if self.apply.as_ref().is_some_and(|a| a.running) {
            self.info(tr!(
                self.lang(),
                "azreg is at it already: wait, or Esc cancels",
                "azreg ist schon dabei: warten Sie, oder Esc bricht ab"
            ));
            return Vec::new();
        }
        let job = Job::examine(
            &self.procedure,
            &self.progress,
            self.config.today,
            Login::Browser,
            self.config.graph.as_deref(),
            || crate::core::progress::EPOCH,
        );
        self.ask_sign_in(
            job,
            crate::i18n::L::new("Check in Azure", "In Azure prüfen"),
            true,
        );
        Vec::new()
    }

    /// The sign-in was chosen: start the read.
    pub(super) fn start_examine(&mut self, selected: usize) -> Vec<Effect> {
        let (login, _) = super::applying::SIGN_INS[selected.min(2)];
        let signing_in = tr!(self.lang(), "Signing in…", "Anmeldung …");
        self.apply = Some(ApplyLog {
            running: true,
            examine: true,
            lines: Vec::new(),
        });
        self.info(signing_in);
        vec![Effect::Examine(login)]
    }

    /// What Azure holds, judged; Azure's end of the secret kept in the record.
    pub(super) fn on_examined(&mut self, t: &crate::core::plan::Tenant) -> Vec<Effect> {
        let r = Report::new(&self.procedure, &self.progress, self.config.today);
        let desired = crate::core::plan::record::desired(&r, true).unwrap_or_default();
        let recorded = crate::core::plan::record::recorded(&self.progress).unwrap_or_default();
        let expiry = self.progress.values.get("secret_expiry").cloned();
        let e = doctor::examine(
            &self.procedure,
            &desired,
            &recorded,
            expiry.as_deref(),
            t,
            self.config.today,
        );
        let mut effects = Vec::new();
        if let Some(end) = &e.azure_end
            && crate::core::edit::applied::azure_end_read(&mut self.progress, end, self.now)
        {
            effects.push(Effect::Save);
        }
        let count = |l: Level| e.findings.iter().filter(|f| f.level == l).count() as i64;
        let (errors, warnings) = (count(Level::Error), count(Level::Warning));
        let lang = self.lang();
        if errors + warnings == 0 {
            self.success(tr!(
                lang,
                "Azure confirms the registration: nothing is wrong (steps marked ✓)",
                "Azure bestätigt die Registrierung: alles in Ordnung (Schritte mit ✓ markiert)"
            ));
        } else {
            let text = tr!(
                lang,
                "Azure: {e}, {w}; steps marked ✗ are contradicted (their cards say how to fix them)",
                "Azure: {e}, {w}; mit ✗ markierte Schritte widerlegt Azure (ihre Karten sagen, wie es zu beheben ist)",
                e = crate::i18n::nouns::ERRORS.count(lang, errors),
                w = crate::i18n::nouns::WARNINGS.count(lang, warnings),
            );
            if errors > 0 {
                self.error(text);
            } else {
                self.warning(text);
            }
        }
        self.examined = Some(e);
        self.overlay = Overlay::Findings { scroll: 0 };
        effects
    }

    /// The findings about this entry (by its label), worst first.
    pub fn findings_at(&self, entry: usize) -> Vec<&Finding> {
        let label = self.procedure.label(entry);
        let mut out: Vec<&Finding> = self
            .examined
            .iter()
            .flat_map(|e| e.findings.iter())
            .filter(|f| f.step.as_deref() == Some(label) && f.level != Level::Info)
            .collect();
        out.sort_by_key(|f| std::cmp::Reverse(f.level));
        out
    }

    /// What Azure says of this entry's result: its worst finding's level (drawn for every
    /// checklist row: no list is made).
    pub fn azure_verdict(&self, entry: usize) -> Option<Level> {
        let label = self.procedure.label(entry);
        self.examined
            .iter()
            .flat_map(|e| e.findings.iter())
            .filter(|f| f.step.as_deref() == Some(label) && f.level != Level::Info)
            .map(|f| f.level)
            .max()
    }

    /// The last read, for the view.
    pub fn examined(&self) -> Option<&Examined> {
        self.examined.as_ref()
    }
}
