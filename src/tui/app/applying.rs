//! "Let azreg do it" (`A` on Before you start): the choice of sign-in, then the run's news in
//! the log and its saves taken into the progress, so the checklist ticks itself; at the end the
//! live check.

use super::*;
use crate::engine::Job;
use crate::i18n::L;
use crate::remote::signin::login::{Login, code_prompt};

/// The sign-ins offered, in the order shown; the first is the default.
pub const SIGN_INS: [(Login, L); 3] = [
    (
        Login::Browser,
        L::new(
            "in the browser on this machine (recommended)",
            "im Browser auf diesem Rechner (empfohlen)",
        ),
    ),
    (
        Login::DeviceCode,
        L::new(
            "with a code, in a browser anywhere (over SSH)",
            "mit einem Code, in einem beliebigen Browser (über SSH)",
        ),
    ),
    (
        Login::AzCli,
        L::new(
            "with the Azure CLI's sign-in (az login done)",
            "mit der Anmeldung der Azure CLI (az login erledigt)",
        ),
    ),
];

/// Longest log kept: the newest lines win.
const MAX_LOG: usize = 40;

/// A run of "let azreg do it": going on, or ended, and what it said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplyLog {
    pub running: bool,
    /// A "check in Azure" read, not a run that writes.
    pub examine: bool,
    pub lines: Vec<(Tone, String)>,
}

impl ApplyLog {
    fn push(&mut self, tone: Tone, text: &str) {
        let text = crate::text::clean_for_display(text).into_owned();
        self.lines.push((tone, text));
        if self.lines.len() > MAX_LOG {
            self.lines.remove(0);
        }
    }
}

impl App {
    fn job(&self, login: Login) -> Result<Job, crate::engine::JobError> {
        Job::new(
            &self.procedure,
            &self.progress,
            self.config.today,
            login,
            self.config.graph.as_deref(),
            // Only checked here; the runtime starts the run with the clock.
            || crate::core::progress::EPOCH,
        )
    }

    /// The run read the tenant and made its plan: show it; nothing is written before `y`.
    pub(super) fn on_apply_plan(&mut self, plan: Box<crate::core::plan::Plan>) -> Vec<Effect> {
        let lang = self.lang();
        let marked = plan.marked();
        let text = if marked > 0 {
            tr!(
                lang,
                "The plan is ready: {marked} marked (!) lines to read; y does it, n writes nothing",
                "Der Plan steht: {marked} markierte (!) Zeilen zum Lesen; y führt ihn aus, n schreibt nichts",
                marked = marked,
            )
        } else {
            tr!(
                lang,
                "The plan is ready: y does it, n writes nothing",
                "Der Plan steht: y führt ihn aus, n schreibt nichts"
            )
        };
        self.warning(text);
        self.plan = Some(plan);
        self.overlay = Overlay::Plan { scroll: 0 };
        Vec::new()
    }

    /// The admin answered the plan.
    pub(super) fn answer_plan(&mut self, yes: bool) -> Vec<Effect> {
        self.overlay = Overlay::None;
        let plan = self.plan.take();
        if yes {
            // The plan named where the secret goes; saying yes to it says yes to that host.
            if let Some(host) = plan.as_ref().and_then(|p| {
                p.steps.iter().find_map(|s| match &s.op {
                    crate::core::plan::Op::LiveCheck { host } => Some(host.clone()),
                    _ => None,
                })
            }) {
                self.authority_confirmed = Some(host);
            }
            let text = tr!(self.lang(), "Doing the plan…", "Der Plan wird ausgeführt …");
            self.info(text);
        }
        vec![Effect::AnswerPlan(yes)]
    }

    /// `A`: what is missing, or the question how to sign in.
    pub(super) fn offer_apply(&mut self) -> Vec<Effect> {
        if self.procedure.is_renewal() {
            self.info(tr!(
                self.lang(),
                "The renewal is done here by hand; through Microsoft Graph it is azreg apply --renew",
                "Die Erneuerung geschieht hier von Hand; über Microsoft Graph ist es azreg apply --renew"
            ));
            return Vec::new();
        }
        if !matches!(self.procedure.entries[self.cursor].kind, EntryKind::Intro) {
            self.info(tr!(
                self.lang(),
                "Let azreg do it starts on Before you start: press g, then A",
                "azreg machen lassen beginnt auf Bevor Sie beginnen: drücken Sie g, dann A"
            ));
            return Vec::new();
        }
        if self.apply.as_ref().is_some_and(|a| a.running) {
            self.info(tr!(
                self.lang(),
                "azreg is at it already: watch the checklist",
                "azreg ist schon dabei: sehen Sie auf die Checkliste"
            ));
            return Vec::new();
        }
        let job = self.job(Login::Browser);
        self.ask_sign_in(job, L::new("Let azreg do it", "azreg machen lassen"), false);
        Vec::new()
    }

    /// The question how to sign in for a run that can start, else why not (`what` names it).
    pub(super) fn ask_sign_in(
        &mut self,
        job: Result<Job, crate::engine::JobError>,
        what: L,
        examine: bool,
    ) {
        match job {
            Err(e) => self.error(format!(
                "{}: {}",
                what.get(self.lang()),
                e.message(&self.procedure)
            )),
            Ok(job) => {
                self.overlay = Overlay::SignIn {
                    // No display (SSH), or other users who could read the browser's link:
                    // the device code first.
                    selected: usize::from(
                        !self.config.has_display || !self.config.other_users.is_empty(),
                    ),
                    host: job.sign_in_host(),
                    examine,
                };
            }
        }
    }

    /// The sign-in was chosen: start.
    pub(super) fn start_apply(&mut self, selected: usize) -> Vec<Effect> {
        let (login, _) = SIGN_INS[selected.min(SIGN_INS.len() - 1)];
        let mut log = ApplyLog {
            running: true,
            examine: false,
            lines: Vec::new(),
        };
        let signing_in = tr!(self.lang(), "Signing in…", "Anmeldung …");
        log.push(Tone::Info, &signing_in);
        self.apply = Some(log);
        let mut effects = self.move_to(0);
        self.info(signing_in);
        effects.push(Effect::Apply(login));
        effects
    }

    /// The run saved: take in what it recorded (the checklist ticks), and save here too.
    pub(super) fn on_applied(&mut self, progress: &Progress) -> Vec<Effect> {
        crate::core::edit::take_applied(&mut self.progress, progress);
        vec![Effect::Save]
    }

    pub(super) fn on_apply_news(&mut self, news: News) -> Vec<Effect> {
        let lang = self.lang();
        let mut effects = Vec::new();
        let (tone, text) = match news {
            News::Said(line) => {
                let tone = if line.starts_with('✓') {
                    Tone::Success
                } else {
                    Tone::Info
                };
                (tone, line)
            }
            News::Link(link, failed) => {
                let text = match failed {
                    None => tr!(
                        lang,
                        "Sign in in the browser that opened; azreg waits. The link: {link}",
                        "Melden Sie sich im geöffneten Browser an; azreg wartet. Der Link: {link}",
                        link = link,
                    ),
                    Some(why) => tr!(
                        lang,
                        "No browser opened ({why}): open this link on this machine, or press Esc and A again and choose the code: {link}",
                        "Kein Browser öffnete sich ({why}): öffnen Sie diesen Link auf diesem Rechner, oder Esc, noch einmal A, und wählen Sie den Code: {link}",
                        why = why,
                        link = link,
                    ),
                };
                (Tone::Warning, text)
            }
            News::Code(code) => {
                effects.push(Effect::Copy {
                    label: L::new("sign-in code", "Anmeldecode").get(lang).into(),
                    text: crate::secret::Secret::from(code.user_code.as_str()),
                    secret: false,
                });
                (Tone::Warning, code_prompt(&code, lang))
            }
        };
        if let Some(log) = &mut self.apply {
            log.push(tone, &text);
        }
        self.set_status(text, tone);
        effects
    }

    /// The run ended: the live check after a success; after a stop, the step it stopped at.
    pub(super) fn on_apply_ended(
        &mut self,
        result: Result<(), crate::engine::JobError>,
    ) -> Vec<Effect> {
        let lang = self.lang();
        let result = result.map_err(|e| e.message(&self.procedure));
        let Some(log) = &mut self.apply else {
            return Vec::new();
        };
        log.running = false;
        if log.examine {
            // The findings said their word (`on_examined`); only a failure is news.
            if let Err(why) = result {
                let text = tr!(
                    lang,
                    "Check in Azure stopped: {why}",
                    "In Azure prüfen hielt an: {why}",
                    why = why,
                );
                log.push(Tone::Error, &text);
                self.error(text);
            }
            return Vec::new();
        }
        match result {
            Ok(()) => {
                let text = tr!(
                    lang,
                    "Done through Microsoft Graph: the registration is as the record asks.",
                    "Über Microsoft Graph erledigt: die Registrierung ist so, wie der Datensatz es verlangt."
                );
                log.push(Tone::Success, &text);
                let summary = self.procedure.summary_index();
                let effects = self.move_to(summary);
                // The run's live check said its word already; keep it on the status line.
                if !matches!(self.check, Check::Done(_)) {
                    self.success(text);
                }
                effects
            }
            Err(why) => {
                let text = tr!(
                    lang,
                    "Let azreg do it stopped (finish the rest by hand, or press A again): {why}",
                    "azreg machen lassen hielt an (den Rest von Hand erledigen, oder noch einmal A): {why}",
                    why = why,
                );
                log.push(Tone::Error, &text);
                self.error(text);
                Vec::new()
            }
        }
    }
}
