//! The one writer of the record's values and marks: setting a value and marking a step done
//! (with the renewal rule), the same for the walkthrough, plain mode, `azreg set` and
//! `azreg done`; taking an import in (`import`); recording a renewal (the walkthrough's last
//! step, `apply --renew`, an import); taking in what a run of apply recorded. Pure: the clock
//! is passed in; outcomes are typed, and each front end styles them.
//! A recorded identity value it replaces is kept in the history (`Progress::put_value`).

pub mod applied;
pub mod import;

use time::Date;
use toml::value::Datetime;

use crate::core::fields::{self, Assessment, FieldSpec, FieldState};
use crate::core::procedure::{EntryKind, Procedure};
use crate::core::progress::{Progress, Renewal, Slot};
use crate::i18n::Lang;
use crate::tr;

/// What setting a value did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Set {
    /// The value as it now counts, with what the checks found.
    pub assessment: Assessment,
    /// The stored value changed.
    pub changed: bool,
    /// A recorded tenant ID, client ID or secret this replaced, as it may be shown (a secret
    /// by its first three characters).
    pub replaced: Option<String>,
}

/// How a replaced recorded value is shown: a secret by its first three characters only.
pub fn shown_before(field: &str, old: &str) -> String {
    if crate::core::progress::SECRET_FIELDS.contains(&field) {
        format!("{}…", old.chars().take(3).collect::<String>())
    } else {
        crate::text::one_line(old).into_owned()
    }
}

/// What a set value came to, for the front ends to style; [`Set::message`] words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetOutcome<'a> {
    Cleared,
    /// Stored, but in error: the first problem.
    Refused(&'a str),
    /// Stored, with a warning.
    Warned(&'a str),
    /// Equal to the derived value: not stored, it follows its sources.
    Derived,
    Stored,
}

impl Set {
    pub fn outcome(&self) -> SetOutcome<'_> {
        let a = &self.assessment;
        match (a.state(), a.problems.first()) {
            (FieldState::Empty, _) => SetOutcome::Cleared,
            (FieldState::Error, Some(p)) => SetOutcome::Refused(&p.message),
            (FieldState::Warning, Some(p)) => SetOutcome::Warned(&p.message),
            _ if a.derived => SetOutcome::Derived,
            _ => SetOutcome::Stored,
        }
    }

    /// "Portal URL saved", "… saved, but: …": the same words in every front end, and what a
    /// recorded id or secret replaced.
    pub fn message(&self, spec: &FieldSpec, lang: Lang) -> String {
        let said = self.said(spec, lang);
        match &self.replaced {
            Some(old) => tr!(
                lang,
                "{said} (replaced: was {old})",
                "{said} (ersetzt: war {old})",
                said = said,
                old = old,
            ),
            None => said,
        }
    }

    fn said(&self, spec: &FieldSpec, lang: Lang) -> String {
        let label = &spec.label;
        match self.outcome() {
            SetOutcome::Cleared => tr!(lang, "{} cleared", "{} geleert", label),
            SetOutcome::Refused(why) => format!("{label}: {why}"),
            SetOutcome::Warned(why) => tr!(
                lang,
                "{} saved, but: {}",
                "{} gespeichert, aber: {}",
                label,
                why
            ),
            SetOutcome::Derived => tr!(
                lang,
                "{} follows the derived value",
                "{} folgt dem abgeleiteten Wert",
                label
            ),
            SetOutcome::Stored => tr!(lang, "{} saved", "{} gespeichert", label),
        }
    }
}

/// Set `spec`'s value from a cleaned entry (empty clears it). A value equal to the derived
/// one is not stored: it keeps following its sources.
pub fn set_value(
    p: &Procedure,
    progress: &mut Progress,
    spec: &FieldSpec,
    cleaned: &str,
    (today, at, source): (Date, Datetime, &str),
) -> Set {
    // A date may be given as days from today, wherever a date is asked for.
    let value = match spec.kind {
        fields::FieldKind::Date => {
            fields::days_as_date(cleaned, today).unwrap_or_else(|| fields::normalize(spec, cleaned))
        }
        _ => fields::normalize(spec, cleaned),
    };
    let before = progress.values.remove(&spec.id);
    let derived = p
        .context(&progress.values, today)
        .effective(&spec.id)
        .filter(|(_, d)| *d)
        .map(|(v, _)| v);
    if let Some(b) = before {
        progress.values.insert(spec.id.clone(), b);
    }
    let new = (!value.is_empty() && derived.as_deref() != Some(value.as_str())).then_some(value);
    let old = progress.values.get(&spec.id).cloned();
    let changed = progress.put_value(&spec.id, new, source, at);
    let replaced = old
        .filter(|o| {
            changed
                && !o.is_empty()
                && crate::core::progress::IDENTITY_VALUES.contains(&spec.id.as_str())
        })
        .map(|o| shown_before(&spec.id, &o));
    Set {
        assessment: p.context(&progress.values, today).assess(spec),
        changed,
        replaced,
    }
}

/// Why a step cannot be marked done: its first field that is empty or in error.
#[derive(Debug, Clone)]
pub enum Blocked<'a> {
    Empty(&'a FieldSpec),
    Error(&'a FieldSpec, String),
}

/// What marking a step done did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marked {
    /// Marked done.
    Done,
    /// Marked done, and it completed a renewal: the new secret took the old one's place.
    Renewed(Renewal),
}

/// Mark the step at `entry` done, once the values it captures are there and right; the
/// renewal's last step completes the renewal.
pub fn mark_done<'p>(
    p: &'p Procedure,
    progress: &mut Progress,
    entry: usize,
    (today, at): (Date, Datetime),
) -> Result<Marked, Blocked<'p>> {
    let e = &p.entries[entry];
    let ctx = p.context(&progress.values, today);
    for id in &e.step.fields {
        let Some(spec) = p.field(id) else { continue };
        let a = ctx.assess(spec);
        match a.state() {
            FieldState::Empty => return Err(Blocked::Empty(spec)),
            FieldState::Error => {
                let why = a
                    .first_error()
                    .map(|x| x.message.clone())
                    .unwrap_or_default();
                return Err(Blocked::Error(spec, why));
            }
            _ => {}
        }
    }
    progress.done.entry(e.step.id.clone()).or_insert(at);
    Ok(match complete_renewal(p, progress, today, at) {
        Some(r) => Marked::Renewed(r),
        None => Marked::Done,
    })
}

/// Take in what a run of `azreg apply` recorded (`from`, which started as a copy of this):
/// the values and object ids it sets, and the steps it ticked. Anything else the user
/// changed meanwhile (other values, marks, the current step) stays.
pub fn take_applied(progress: &mut Progress, from: &Progress) {
    let at = from
        .history
        .last()
        .map_or(crate::core::progress::EPOCH, |e| e.at);
    for id in crate::core::progress::APPLIED_VALUES {
        if let Some(v) = from.values.get(id) {
            progress.put_value(id, Some(v.clone()), "apply", at);
        }
    }
    for slot in Slot::ALL {
        let v = from.clone().slot(slot).clone();
        if v.is_some() {
            progress.put_id(slot, v, "apply", at);
        }
    }
    progress.pending_secret.clone_from(&from.pending_secret);
    progress.pending_marker.clone_from(&from.pending_marker);
    progress.last_verified = progress.last_verified.max(from.last_verified);
    for e in &from.history {
        if !progress.history.contains(e) {
            progress.history.push(e.clone());
        }
    }
    for s in &from.earlier_secrets {
        if !progress.earlier_secrets.contains(s) {
            progress.earlier_secrets.push(s.clone());
        }
    }
    if from.last_verified.is_some() && from.earlier_secrets.is_empty() {
        progress.earlier_secrets.clear();
    }
    for (id, at) in &from.done {
        progress.done.entry(id.clone()).or_insert(*at);
    }
}

/// Record a renewal: the old expiry (of `field`) into the history of renewals, the new one in
/// its place. The one way a renewal is recorded: by the walkthrough's last step, `apply
/// --renew`, and an imported renewal.
pub fn record_renewal(
    progress: &mut Progress,
    field: &str,
    new_expiry: &str,
    (today, at, source): (Date, Datetime, &str),
) -> Renewal {
    // What Azure showed of the old secret's end is no longer the secret in use's: it goes
    // with the old secret into the history.
    let renewal = Renewal {
        on: fields::format_date(today),
        old_expiry: progress.values.get(field).cloned(),
        new_expiry: new_expiry.to_string(),
        old_end_azure: progress.azure_secret.take().map(|a| a.end),
    };
    progress.put_value(field, Some(new_expiry.to_string()), source, at);
    progress.renewals.push(renewal.clone());
    renewal
}

/// Once every step of a procedure whose fields `replace` others is done (`azreg renew`), the
/// new values take the old ones' places (the old ones kept in the history), the old expiry goes
/// into the history of renewals, and the renewal's own marks and values are cleared for the
/// next time. `None` (nothing changed) while a step is open, or for another procedure.
pub fn complete_renewal(
    p: &Procedure,
    progress: &mut Progress,
    today: Date,
    at: Datetime,
) -> Option<Renewal> {
    if !crate::core::renewal::replaces_values(p) {
        return None;
    }
    let steps: Vec<&str> = p
        .entries
        .iter()
        .filter(|e| matches!(e.kind, EntryKind::Step { .. }))
        .map(|e| e.step.id.as_str())
        .collect();
    if !steps.iter().all(|id| progress.is_done(id)) {
        return None;
    }
    let mut renewal = None;
    for f in &p.fields {
        // Only the renewal's own values move; the others (client and tenant ID) stay.
        let Some(target) = &f.replaces else { continue };
        let Some(value) = progress.values.remove(&f.id) else {
            continue;
        };
        if f.kind == fields::FieldKind::Date {
            renewal = Some(record_renewal(
                progress,
                target,
                &value,
                (today, at, "renew"),
            ));
        } else {
            progress.put_value(target, Some(value), "renew", at);
        }
    }
    for id in steps {
        progress.done.remove(id);
    }
    // The key azreg recorded belonged to the old secret (kept in the history).
    progress.put_id(crate::core::progress::Slot::SecretKey, None, "renew", at);
    // A renewal without a new expiry is still one (the procedure asks for it, though).
    Some(renewal.unwrap_or_else(|| {
        let r = Renewal {
            on: fields::format_date(today),
            old_expiry: None,
            new_expiry: String::new(),
            old_end_azure: progress.azure_secret.take().map(|a| a.end),
        };
        progress.renewals.push(r.clone());
        r
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn replacing_a_recorded_id_or_secret_says_what_it_was() {
        let p = Procedure::embedded().unwrap();
        let mut progress = Progress::new(&p.id);
        let today = time::macros::date!(2026 - 12 - 05);
        let at = (today, crate::core::progress::EPOCH, "set");
        let client = p.field("client_id").unwrap();
        let first = set_value(
            &p,
            &mut progress,
            client,
            "0b1c2d3e-1111-2222-3333-444455556666",
            at,
        );
        assert_eq!(first.replaced, None, "nothing was recorded before");
        let second = set_value(
            &p,
            &mut progress,
            client,
            "1c2d3e4f-1111-2222-3333-444455556666",
            at,
        );
        let m = second.message(client, Lang::En);
        assert!(
            m.contains("replaced: was 0b1c2d3e-1111-2222-3333-444455556666"),
            "{m}"
        );
        assert!(second.message(client, Lang::De).contains("ersetzt: war"));
        let secret = p.field("client_secret").unwrap();
        set_value(
            &p,
            &mut progress,
            secret,
            "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_",
            at,
        );
        let s = set_value(
            &p,
            &mut progress,
            secret,
            "xyz8Q~abcdefghijklmnopqrstuvwxyz0123456_",
            at,
        );
        let m = s.message(secret, Lang::En);
        assert!(
            m.contains("replaced: was abc…") && !m.contains("abc8Q~"),
            "{m}"
        );
        // The same value again replaces nothing.
        let same = set_value(
            &p,
            &mut progress,
            client,
            "1c2d3e4f-1111-2222-3333-444455556666",
            at,
        );
        assert_eq!(same.replaced, None);
    }

    #[test]
    fn taking_in_an_apply_keeps_what_the_user_did_meanwhile() {
        let mut mine = Progress::new("x");
        mine.values.insert("app_name".into(), "Portal".into());
        let mut applied = mine.clone();
        mine.values.insert("app_name".into(), "Portal 2".into());
        mine.done
            .insert("sign-in".into(), crate::core::progress::EPOCH);
        mine.current = Some("step-9".into());
        applied.values.insert("client_id".into(), "c".into());
        applied.values.insert("client_secret".into(), "s".into());
        applied.app_object_id = Some("o".into());
        applied.pending_secret = None;
        applied
            .done
            .insert("register".into(), crate::core::progress::EPOCH);
        take_applied(&mut mine, &applied);
        assert_eq!(mine.values["app_name"], "Portal 2", "the user's edit stays");
        assert_eq!(mine.values["client_id"], "c");
        assert_eq!(mine.values["client_secret"], "s");
        assert_eq!(mine.app_object_id.as_deref(), Some("o"));
        assert!(mine.is_done("sign-in") && mine.is_done("register"));
        assert_eq!(mine.current.as_deref(), Some("step-9"));
    }

    #[test]
    fn a_finished_renewal_takes_the_new_secret_and_keeps_the_record() {
        let p = Procedure::renewal_in(Lang::En).unwrap();
        let mut pr = Progress::new(&p.id);
        let old = "old8Q~abcdefghijklmnopqrstuvwxyz0123456_";
        let new = "new8Q~abcdefghijklmnopqrstuvwxyz0123456_";
        for (k, v) in [
            ("client_secret", old),
            ("secret_expiry", "2026-12-01"),
            ("client_id", "0b1c2d3e-1111-2222-3333-444455556666"),
            ("tenant_id", "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff"),
            ("new_client_secret", new),
            ("new_secret_expiry", "2027-05-30"),
            ("new_secret_description", "Intrexx 2027"),
        ] {
            pr.values.insert(k.into(), v.into());
        }
        pr.secret_key_id = Some("aaaaaaaa-1111-2222-3333-444455556666".into());
        pr.azure_secret = Some(crate::core::progress::AzureSecret {
            end: "2026-12-01T10:00:00Z".into(),
            read: crate::core::progress::EPOCH,
        });
        let today = time::macros::date!(2026 - 11 - 27);
        let at = crate::core::progress::EPOCH;
        assert_eq!(
            complete_renewal(&p, &mut pr, today, at),
            None,
            "steps still open"
        );
        for e in p
            .entries
            .iter()
            .filter(|e| matches!(e.kind, EntryKind::Step { .. }))
        {
            pr.done.insert(e.step.id.clone(), at);
        }
        let r = complete_renewal(&p, &mut pr, today, at).unwrap();
        assert_eq!(r.old_expiry.as_deref(), Some("2026-12-01"));
        // Azure's end of the replaced secret goes with it into the history, not with the new.
        assert_eq!(r.old_end_azure.as_deref(), Some("2026-12-01T10:00:00Z"));
        assert_eq!(pr.azure_secret, None);
        assert_eq!(r.new_expiry, "2027-05-30");
        assert_eq!(pr.values["client_secret"], new);
        assert_eq!(pr.values["secret_expiry"], "2027-05-30");
        assert_eq!(pr.values["secret_description"], "Intrexx 2027");
        assert!(!pr.values.contains_key("new_client_secret"));
        // The record stays whole: IDs kept, the old secret and key in the history.
        assert_eq!(
            pr.values["client_id"],
            "0b1c2d3e-1111-2222-3333-444455556666"
        );
        assert_eq!(
            pr.values["tenant_id"],
            "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff"
        );
        assert_eq!(pr.earlier_secrets, [old]);
        assert!(
            pr.history
                .iter()
                .any(|h| h.field == "client_secret" && h.hint.as_deref() == Some("old"))
        );
        assert!(pr.history.iter().any(|h| h.field == "secret_key_id"
            && h.old.as_deref() == Some("aaaaaaaa-1111-2222-3333-444455556666")));
        assert!(pr.done.is_empty(), "ready for the next renewal");
        assert_eq!(pr.renewals, vec![r]);
    }

    #[test]
    fn setting_a_value_keeps_the_one_it_replaces_and_not_the_derived_one() {
        let p = Procedure::embedded().unwrap();
        let today = time::macros::date!(2026 - 11 - 27);
        let at = crate::core::progress::EPOCH;
        let mut pr = Progress::new(&p.id);
        let spec = p.field("client_id").unwrap();
        let s = set_value(
            &p,
            &mut pr,
            spec,
            "0B1C2D3E-1111-2222-3333-444455556666",
            (today, at, "set"),
        );
        assert!(s.changed);
        assert_eq!(
            pr.values["client_id"],
            "0b1c2d3e-1111-2222-3333-444455556666"
        );
        let s = set_value(&p, &mut pr, spec, "", (today, at, "walkthrough"));
        assert!(s.changed);
        assert_eq!(s.assessment.state(), FieldState::Empty);
        assert_eq!(
            pr.history[0].old.as_deref(),
            Some("0b1c2d3e-1111-2222-3333-444455556666")
        );
        // A redirect URI equal to the derived one is not stored.
        for (k, v) in [
            ("portal_url", "https://p.example.com"),
            ("collaboration", "x"),
        ] {
            let spec = p.field(k).unwrap();
            set_value(&p, &mut pr, spec, v, (today, at, "set"));
        }
        let web = p.field("web_redirect_uri").unwrap();
        let s = set_value(
            &p,
            &mut pr,
            web,
            "https://p.example.com/oauth2/token/ms365-x",
            (today, at, "set"),
        );
        assert!(!s.changed && s.assessment.derived);
        assert!(!pr.values.contains_key("web_redirect_uri"));
    }
}
