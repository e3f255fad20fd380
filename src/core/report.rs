//! Where a setup stands: progress, each value's state, what goes where. Read by the
//! walkthrough's summary card and by `status`, `check` and `export`, so they always agree.

use time::Date;

use crate::core::fields::{Assessment, Context, Destination, FieldSpec, FieldState, Severity};
use crate::core::procedure::{EntryKind, Procedure};
use crate::core::progress::Progress;
use crate::tr;

/// The field holding the chosen Microsoft Graph permissions, and the one saying whether admin
/// consent is (to be) granted; the scripts read the same two.
pub const PERMISSIONS_FIELD: &str = "graph_permissions";
pub const CONSENT_FIELD: &str = "admin_consent";

/// Where the API permissions and the admin consent stand (steps beyond the guide).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// The chosen permissions in their stored form, if valid.
    pub permissions: Option<String>,
    /// Consent chosen ("yes") and its step done.
    pub consent_granted: bool,
    pub steps_done: usize,
    pub steps_total: usize,
}

impl Access {
    /// One line for `status`, the summary card and the Intrexx sheet.
    pub fn describe(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::L;
        let perms = self
            .permissions
            .clone()
            .unwrap_or_else(|| L::new("(none valid)", "(keine gültigen)").get(lang).into());
        let consent = if self.consent_granted {
            L::new("admin consent granted", "Administratorzustimmung erteilt")
        } else {
            L::new(
                "admin consent not granted yet",
                "Administratorzustimmung noch nicht erteilt",
            )
        }
        .get(lang);
        let (d, t) = (self.steps_done, self.steps_total);
        tr!(
            lang,
            "{perms}; {consent} (steps {d}/{t} done)",
            "{perms}; {consent} (Schritte {d}/{t} erledigt)",
            perms = perms,
            consent = consent,
            d = d,
            t = t,
        )
    }

    /// The connector can work: every step beyond the guide done and consent granted.
    pub fn complete(&self) -> bool {
        self.steps_done == self.steps_total && self.consent_granted
    }
}

/// Days before the secret's end at which it is a warning.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

pub struct Report<'a> {
    pub procedure: &'a Procedure,
    pub progress: &'a Progress,
    pub today: Date,
}

/// A line of the summary: a value and where it goes.
pub struct SummaryRow<'a> {
    pub destination: Destination,
    /// The Azure platform for redirect URIs, the field's label otherwise.
    pub label: &'a str,
    pub spec: &'a FieldSpec,
    pub assessment: Assessment,
}

/// How the secret's expiry stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expiry {
    Unknown,
    Ok { date: String, days: i64 },
    Soon { date: String, days: i64 },
    Past { date: String, days: i64 },
}

impl Expiry {
    /// A secret shown as ending on `date` whose last working day is `last`.
    pub fn on(date: String, last: Date, today: Date) -> Expiry {
        let days = (last - today).whole_days();
        if days < 0 {
            Expiry::Past { date, days }
        } else if days <= EXPIRY_WARNING_DAYS {
            Expiry::Soon { date, days }
        } else {
            Expiry::Ok { date, days }
        }
    }

    /// Days left (negative: ago); `None` when unknown.
    pub fn days(&self) -> Option<i64> {
        match self {
            Expiry::Unknown => None,
            Expiry::Ok { days, .. } | Expiry::Soon { days, .. } | Expiry::Past { days, .. } => {
                Some(*days)
            }
        }
    }

    /// The date as shown; `None` when unknown.
    pub fn date(&self) -> Option<&str> {
        match self {
            Expiry::Unknown => None,
            Expiry::Ok { date, .. } | Expiry::Soon { date, .. } | Expiry::Past { date, .. } => {
                Some(date)
            }
        }
    }

    /// The same state word everywhere (`status`, `check`): ok, expiring, expired, unknown.
    pub fn state(&self) -> &'static str {
        match self {
            Expiry::Unknown => "unknown",
            Expiry::Ok { .. } => "ok",
            Expiry::Soon { .. } => "expiring",
            Expiry::Past { .. } => "expired",
        }
    }
}

impl<'a> Report<'a> {
    pub fn new(procedure: &'a Procedure, progress: &'a Progress, today: Date) -> Self {
        Self {
            procedure,
            progress,
            today,
        }
    }

    pub fn ctx(&self) -> Context<'a> {
        self.procedure.context(&self.progress.values, self.today)
    }

    pub fn step_count(&self) -> usize {
        self.procedure.step_count()
    }

    pub fn done_count(&self) -> usize {
        self.procedure
            .step_ids()
            .filter(|id| self.progress.is_done(id))
            .count()
    }

    /// Numbers of the steps not done yet.
    pub fn open_steps(&self) -> Vec<usize> {
        self.procedure
            .entries
            .iter()
            .filter_map(|e| match e.kind {
                EntryKind::Step { number, .. } if !self.progress.is_done(&e.step.id) => {
                    Some(number)
                }
                _ => None,
            })
            .collect()
    }

    /// The first step after entry `from` that is not done, wrapping around; the summary when
    /// all are done.
    pub fn next_open(&self, from: usize) -> usize {
        let open = self.open_steps();
        open.iter()
            .find(|n| **n > from)
            .or(open.first())
            .copied()
            .unwrap_or(self.procedure.summary_index())
    }

    /// The entry the user is on.
    pub fn current(&self) -> usize {
        self.progress
            .current
            .as_deref()
            .and_then(|id| self.procedure.entry_index(id))
            .unwrap_or(0)
    }

    /// Every field with its assessment, in the procedure's order.
    pub fn fields(&self) -> Vec<(&'a FieldSpec, Assessment)> {
        let ctx = self.ctx();
        self.procedure
            .fields
            .iter()
            .map(|f| (f, ctx.assess(f)))
            .collect()
    }

    /// The summary card's rows: the fields it lists, with where each goes.
    pub fn summary(&self) -> Vec<SummaryRow<'a>> {
        let ctx = self.ctx();
        let card = &self.procedure.entries[self.procedure.summary_index()].step;
        let mut rows: Vec<SummaryRow> = card
            .lists
            .iter()
            .filter_map(|id| self.procedure.field(id))
            .filter_map(|spec| {
                Some(SummaryRow {
                    destination: spec.goes_to?,
                    label: spec.platform.as_deref().unwrap_or(&spec.label),
                    spec,
                    assessment: ctx.assess(spec),
                })
            })
            .collect();
        // Intrexx first (what the user types next), then what went into Azure, then the record.
        rows.sort_by_key(|r| r.destination);
        rows
    }

    /// The API permissions and the admin consent.
    pub fn access(&self) -> Access {
        let ctx = self.ctx();
        let valid = |id: &str| {
            let spec = self.procedure.field(id)?;
            let a = ctx.assess(spec);
            a.first_error().is_none().then_some(a.value).flatten()
        };
        let consent_step_done = self
            .procedure
            .entry_of_field(CONSENT_FIELD)
            .is_some_and(|e| self.progress.is_done(&self.procedure.entries[e].step.id));
        let extra: Vec<_> = self.procedure.extra_steps().collect();
        Access {
            permissions: valid(PERMISSIONS_FIELD),
            consent_granted: consent_step_done && valid(CONSENT_FIELD).as_deref() == Some("yes"),
            steps_done: extra
                .iter()
                .filter(|e| self.progress.is_done(&e.step.id))
                .count(),
            steps_total: extra.len(),
        }
    }

    /// The client secret, wherever the procedure declares it.
    pub fn secret(&self) -> Option<String> {
        self.procedure
            .fields
            .iter()
            .filter(|f| f.is_secret())
            .find_map(|f| self.progress.values.get(&f.id).cloned())
    }

    /// The expiry of the secret, from the first date field the summary lists.
    pub fn expiry(&self) -> Expiry {
        let date_field = self.procedure.expiry_field();
        let Some(value) = date_field.and_then(|f| self.progress.values.get(&f.id)) else {
            return Expiry::Unknown;
        };
        let Some(end) = crate::core::fields::parse_date(value) else {
            return Expiry::Unknown;
        };
        Expiry::on(value.clone(), end, self.today)
    }

    /// The expiry that tells the truth: the earlier of the typed one and Azure's (when azreg
    /// has read Azure's end of the secret in use), with where it comes from: `None` for the
    /// typed one, else when Azure's was read.
    pub fn true_expiry(&self) -> (Expiry, Option<toml::value::Datetime>) {
        let typed = self.expiry();
        match self.azure_expiry() {
            Some((azure, read))
                if typed
                    .days()
                    .is_none_or(|t| azure.days().is_some_and(|a| a < t)) =>
            {
                (azure, Some(read))
            }
            _ => (typed, None),
        }
    }

    /// The secret in use's expiry as Azure last showed it (`azreg doctor`, `check --online`),
    /// with when that was read.
    pub fn azure_expiry(&self) -> Option<(Expiry, toml::value::Datetime)> {
        let a = self.progress.azure_secret.as_ref()?;
        // The last day it works, as everywhere (an end at midnight: the day before).
        let last = crate::core::fields::last_day_of_end(&a.end)?;
        let date = crate::core::fields::format_date(last);
        Some((Expiry::on(date, last, self.today), a.read))
    }
}

/// A value as it may be printed: secrets `<redacted>` unless `reveal`.
pub fn printable(spec: &FieldSpec, value: &str, reveal: bool) -> String {
    if spec.is_secret() && !reveal {
        "<redacted>".into()
    } else {
        crate::text::clean_for_display(value).into_owned()
    }
}

impl Report<'_> {
    /// Problems of a field, empty counted as an error that says where to enter it.
    pub fn problems(&self, spec: &FieldSpec, a: &Assessment) -> Vec<(Severity, String)> {
        let p = self.procedure;
        let lang = p.lang();
        if a.state() == FieldState::Empty {
            let place = match p.entry_of_field(&spec.id).map(|e| (p.entries[e].kind, e)) {
                Some((EntryKind::Step { .. }, e)) => {
                    let number = &p.entries[e].label;
                    tr!(
                        lang,
                        "at step {number}",
                        "in Schritt {number}",
                        number = number
                    )
                }
                Some(_) => {
                    let card = &p.entries[0].step.title;
                    tr!(
                        lang,
                        "on the card \"{card}\"",
                        "auf der Karte „{card}“",
                        card = card
                    )
                }
                None => tr!(lang, "in the walkthrough", "im Durchgang"),
            };
            let label = &spec.label;
            return vec![(
                Severity::Error,
                tr!(
                    lang,
                    "missing: enter \"{label}\" {place}",
                    "fehlt: „{label}“ {place} eintragen",
                    label = label,
                    place = place,
                ),
            )];
        }
        a.problems
            .iter()
            .map(|p| (p.severity, p.message.clone()))
            .collect()
    }
}

/// "error" or "warning" in the language.
pub fn severity_word(s: Severity, lang: crate::i18n::Lang) -> &'static str {
    match s {
        Severity::Error => crate::i18n::L::new("error", "Fehler"),
        Severity::Warning => crate::i18n::L::new("warning", "Warnung"),
    }
    .get(lang)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn expiry_states() {
        let p = Procedure::embedded().unwrap();
        let mut pr = Progress::new(&p.id);
        let today = date!(2026 - 11 - 26);
        assert_eq!(Report::new(&p, &pr, today).expiry(), Expiry::Unknown);
        pr.values
            .insert("secret_expiry".into(), "2026-12-06".into());
        assert!(matches!(
            Report::new(&p, &pr, today).expiry(),
            Expiry::Soon { days: 10, .. }
        ));
        pr.values
            .insert("secret_expiry".into(), "2026-11-01".into());
        assert!(matches!(
            Report::new(&p, &pr, today).expiry(),
            Expiry::Past { .. }
        ));
        pr.values
            .insert("secret_expiry".into(), "2027-11-01".into());
        assert!(matches!(
            Report::new(&p, &pr, today).expiry(),
            Expiry::Ok { .. }
        ));
    }

    #[test]
    fn access_says_what_is_chosen_and_whether_consent_is_given() {
        let p = Procedure::embedded().unwrap();
        let mut pr = Progress::new(&p.id);
        let a = Report::new(&p, &pr, date!(2026 - 11 - 26)).access();
        assert_eq!(a.permissions.as_deref(), Some("User.Read"), "the default");
        assert!(!a.consent_granted && !a.complete());
        assert_eq!((a.steps_done, a.steps_total), (0, 3));
        pr.values.insert(CONSENT_FIELD.into(), "yes".into());
        assert!(
            !Report::new(&p, &pr, date!(2026 - 11 - 26))
                .access()
                .consent_granted,
            "chosen, step open"
        );
        for e in p.extra_steps() {
            pr.done
                .insert(e.step.id.clone(), crate::core::progress::EPOCH);
        }
        let a = Report::new(&p, &pr, date!(2026 - 11 - 26)).access();
        assert!(a.complete());
        assert_eq!(
            a.describe(crate::i18n::Lang::En),
            "User.Read; admin consent granted (steps 3/3 done)"
        );
    }

    #[test]
    fn summary_lists_intrexx_values_first() {
        let p = Procedure::embedded().unwrap();
        let pr = Progress::new(&p.id);
        let r = Report::new(&p, &pr, date!(2026 - 11 - 26));
        let rows = r.summary();
        let ids: Vec<&str> = rows.iter().map(|r| r.spec.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "client_id",
                "tenant_id",
                "client_secret",
                "web_redirect_uri",
                "spa_redirect_uri",
                "graph_permissions",
                "admin_consent",
                "secret_expiry"
            ]
        );
        assert_eq!(rows[3].label, "Web");
        assert_eq!(
            rows[7].destination,
            Destination::Record,
            "the expiry is for the record"
        );
    }

    #[test]
    fn next_open_wraps_and_ends_on_the_summary() {
        let p = Procedure::embedded().unwrap();
        let mut pr = Progress::new(&p.id);
        pr.done
            .insert("sign-in".into(), crate::core::progress::EPOCH);
        let r = Report::new(&p, &pr, date!(2026 - 11 - 26));
        assert_eq!(r.next_open(0), 2);
        assert_eq!(r.next_open(23), 24, "P1 follows step 23");
        for e in p.extra_steps() {
            pr.done
                .insert(e.step.id.clone(), crate::core::progress::EPOCH);
        }
        let r = Report::new(&p, &pr, date!(2026 - 11 - 26));
        assert_eq!(r.next_open(23), 2);
        for id in p.step_ids() {
            pr.done.insert(id.into(), crate::core::progress::EPOCH);
        }
        let r = Report::new(&p, &pr, date!(2026 - 11 - 26));
        assert_eq!(r.next_open(5), p.summary_index());
    }

    #[test]
    fn secrets_are_redacted_unless_revealed() {
        let p = Procedure::embedded().unwrap();
        let spec = p.field("client_secret").unwrap();
        assert_eq!(printable(spec, "abc8Q~x", false), "<redacted>");
        assert_eq!(printable(spec, "abc8Q~x", true), "abc8Q~x");
    }
}
