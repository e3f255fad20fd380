//! Completing a renewal: once every step of a procedure whose fields `replace` others is done
//! (`azreg renew`), the new values take the old ones' places, the old expiry goes into the
//! history of renewals (dates only), and the renewal's own marks and values are cleared for the
//! next time.

use time::Date;

use crate::fields::{FieldKind, format_date};
use crate::procedure::{EntryKind, Procedure};
use crate::progress::{Progress, Renewal};

/// Whether this procedure completes into another's values (the renewal does).
pub fn replaces_values(p: &Procedure) -> bool {
    p.fields.iter().any(|f| f.replaces.is_some())
}

/// Apply a finished renewal to the progress; `None` (nothing changed) while a step is open.
pub fn complete(p: &Procedure, progress: &mut Progress, today: Date) -> Option<Renewal> {
    if !replaces_values(p) {
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
    let mut renewal = Renewal {
        on: format_date(today),
        old_expiry: None,
        new_expiry: String::new(),
    };
    for f in p.fields.iter() {
        let (Some(target), Some(value)) = (&f.replaces, progress.values.remove(&f.id)) else {
            continue;
        };
        if f.kind == FieldKind::Date {
            renewal.old_expiry = progress.values.get(target).cloned();
            renewal.new_expiry = value.clone();
        }
        progress.values.insert(target.clone(), value);
    }
    for id in steps {
        progress.done.remove(id);
    }
    // The key id azreg recorded belonged to the old secret.
    progress.secret_key_id = None;
    progress.renewals.push(renewal.clone());
    Some(renewal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn a_finished_renewal_takes_the_new_secret_and_keeps_the_old_expiry() {
        let p = Procedure::renewal_in(Lang::En).unwrap();
        assert!(replaces_values(&p));
        assert!(!replaces_values(&Procedure::embedded().unwrap()));
        let mut pr = Progress::new(&p.id);
        pr.values.insert(
            "client_secret".into(),
            "old8Q~abcdefghijklmnopqrstuvwxyz0123456_".into(),
        );
        pr.values
            .insert("secret_expiry".into(), "2026-12-01".into());
        pr.values.insert(
            "new_client_secret".into(),
            "new8Q~abcdefghijklmnopqrstuvwxyz0123456_".into(),
        );
        pr.values
            .insert("new_secret_expiry".into(), "2027-05-30".into());
        pr.values
            .insert("new_secret_description".into(), "Intrexx 2027".into());
        let today = time::macros::date!(2026 - 11 - 27);
        assert_eq!(complete(&p, &mut pr, today), None, "steps still open");
        for e in p
            .entries
            .iter()
            .filter(|e| matches!(e.kind, EntryKind::Step { .. }))
        {
            pr.done.insert(e.step.id.clone(), crate::progress::now());
        }
        let r = complete(&p, &mut pr, today).unwrap();
        assert_eq!(r.old_expiry.as_deref(), Some("2026-12-01"));
        assert_eq!(r.new_expiry, "2027-05-30");
        assert_eq!(
            pr.values["client_secret"],
            "new8Q~abcdefghijklmnopqrstuvwxyz0123456_"
        );
        assert_eq!(pr.values["secret_expiry"], "2027-05-30");
        assert_eq!(pr.values["secret_description"], "Intrexx 2027");
        assert!(!pr.values.contains_key("new_client_secret"));
        assert!(pr.done.is_empty(), "ready for the next renewal");
        assert_eq!(pr.renewals, vec![r]);
    }
}
