//! The live check (`V`).

use super::*;

impl App {
    pub(super) fn start_verify(&mut self) -> Vec<Effect> {
        if !self.procedure.entries[self.cursor].step.verify {
            let at: Vec<&str> = (0..self.procedure.entries.len())
                .filter(|i| {
                    self.procedure.entries[*i].step.verify
                        && matches!(self.procedure.entries[*i].kind, EntryKind::Step { .. })
                })
                .map(|i| self.procedure.label(i))
                .collect();
            let at = at.join(", ");
            self.info(tr!(
                self.lang(),
                "The live check runs at step {at} and on the summary: go there and press V",
                "Die Live-Prüfung läuft in Schritt {at} und in der Zusammenfassung: gehen Sie dorthin und drücken Sie V",
                at = at,
            ));
            return Vec::new();
        }
        self.verify_now()
    }

    /// The live check with the values as they are, wherever the cursor is.
    pub(super) fn verify_now(&mut self) -> Vec<Effect> {
        if matches!(self.check, Check::Running { .. }) {
            return Vec::new();
        }
        let req = verify::Request::from_progress(
            &self.procedure,
            &self.progress,
            self.config.today,
            verify::Overrides::default(),
        );
        match req {
            Err(e) => {
                self.error(tr!(
                    self.lang(),
                    "Cannot check yet: {}",
                    "Noch keine Prüfung möglich: {}",
                    crate::i18n::Worded::message(&e, self.lang())
                ));
                Vec::new()
            }
            Ok(req) => {
                let host = req.authority.host_str().unwrap_or_default().to_string();
                let default = verify::DEFAULT_AUTHORITY.trim_start_matches("https://");
                let other =
                    req.authority.as_str().trim_end_matches('/') != verify::DEFAULT_AUTHORITY;
                if other && self.authority_confirmed.as_deref() != Some(host.as_str()) {
                    // The progress file named another authority: the secret goes nowhere
                    // unless the user agrees to that host.
                    self.overlay = Overlay::ConfirmAuthority { host };
                    return Vec::new();
                }
                self.check = Check::Running { frame: 0 };
                let host =
                    crate::text::clean_for_display(if host.is_empty() { default } else { &host })
                        .into_owned();
                self.info(tr!(
                    self.lang(),
                    "Checking live with {host}… (Esc cancels)",
                    "Prüfe live bei {host} … (Esc bricht ab)",
                    host = host,
                ));
                vec![
                    Effect::Verify(Box::new(req)),
                    Effect::Schedule(Timer::Spinner, SPINNER_EVERY),
                ]
            }
        }
    }

    pub(super) fn on_verified(&mut self, results: verify::Results) -> Vec<Effect> {
        if !matches!(self.check, Check::Running { .. }) {
            // Cancelled meanwhile.
            return Vec::new();
        }
        let ok = results.credentials_ok() && results.verdict() == verify::Verdict::Passed;
        let first_problem = results
            .lines(self.lang())
            .into_iter()
            .find(|(_, o)| !matches!(o, verify::Outcome::Pass(_)))
            .map(|(what, o)| format!("{what}: {}", o.message()));
        let mut effects = Vec::new();
        if results.credentials_ok() {
            // Proved: the earlier secret values kept until now are not needed any more.
            crate::core::edit::applied::check_passed(&mut self.progress, true, self.now);
            effects.push(Effect::Save);
        }
        match (ok, first_problem) {
            (true, _) | (false, None) => self.success(tr!(
                self.lang(),
                "Live check passed: the values work",
                "Live-Prüfung bestanden: die Werte funktionieren"
            )),
            (false, Some(p)) => self.error(tr!(
                self.lang(),
                "Live check: {p}",
                "Live-Prüfung: {p}",
                p = p
            )),
        }
        self.check = Check::Done(results);
        effects
    }
}
