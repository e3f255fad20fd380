//! What a run through Microsoft Graph records, one function per thing Graph did: the engine
//! says what happened, these change the record (ids into the history when replaced, the
//! rotation opened and closed, a secret's value taken in), so no other code writes it.

use toml::value::Datetime;

use crate::core::procedure::Procedure;
use crate::core::progress::{AzureSecret, Progress, Rotation, Slot};

/// What the plan found, recorded before the first write (the history keeps what it replaces,
/// as after `--adopt`): the tenant it was made for, the app and service principal, and
/// Azure's end of the secret in use (every read refreshes it).
pub fn plan_found(
    progress: &mut Progress,
    (tenant_id, app, sp): (&str, Option<&(String, String)>, Option<&str>),
    in_use_end: Option<&str>,
    at: Datetime,
) {
    progress.put_value("tenant_id", Some(tenant_id.to_string()), "apply", at);
    if let Some((object_id, client_id)) = app {
        progress.put_id(Slot::AppObject, Some(object_id.clone()), "apply", at);
        progress.put_value("client_id", Some(client_id.clone()), "apply", at);
    }
    if let Some(sp) = sp {
        progress.put_id(Slot::ServicePrincipal, Some(sp.to_string()), "apply", at);
    }
    if let Some(end) = in_use_end {
        azure_end_read(progress, end, at);
    }
}

/// Azure's end of the secret in use, as a read just showed it (`doctor`, `check --online`,
/// "check in Azure"); whether the record changed.
pub fn azure_end_read(progress: &mut Progress, end: &str, at: Datetime) -> bool {
    if progress.azure_secret.as_ref().map(|a| a.end.as_str()) == Some(end) {
        return false;
    }
    progress.azure_secret = Some(AzureSecret {
        end: end.to_string(),
        read: at,
    });
    true
}

/// A live check passed. With the recorded values themselves (`record`): the earlier secret
/// values kept until now are not needed any more; with values given on the command line only
/// its time is kept.
pub fn check_passed(progress: &mut Progress, record: bool, at: Datetime) {
    if record {
        progress.proved(at);
    } else {
        progress.last_verified = Some(at);
    }
}

/// The identity platform named on the command line, kept for later runs (`verify
/// --save-authority`): only ever when asked.
pub fn authority_kept(progress: &mut Progress, authority: Option<String>) {
    progress.authority = authority;
}

/// A rotation whose old secret is no longer on the app (removed in the portal): closed.
/// Whether one was open.
pub fn rotation_closed(progress: &mut Progress) -> bool {
    progress.rotation.take().is_some()
}

/// The steps of a part of the procedure (`app`, `secret`, `consent`, `ids`) a run finished,
/// marked done; the labels of those newly marked.
pub fn part_done(
    progress: &mut Progress,
    procedure: &Procedure,
    part: &str,
    at: Datetime,
) -> Vec<String> {
    let mut labels = Vec::new();
    for (i, e) in procedure.entries.iter().enumerate() {
        if e.applied.as_deref() == Some(part) && !progress.is_done(&e.step.id) {
            progress.done.insert(e.step.id.clone(), at);
            labels.push(procedure.label(i).to_string());
        }
    }
    labels
}

/// The key a new application is made under, saved before the create: a run cut off after it
/// upserts by the same key.
pub fn app_key(progress: &mut Progress, key: &str, at: Datetime) -> bool {
    if progress.app_unique_name.as_deref() == Some(key) {
        return false;
    }
    progress.put_id(Slot::UniqueName, Some(key.to_string()), "apply", at);
    true
}

/// An application made (or found made by a cut-off run): its ids, recorded at once.
pub fn app_made(progress: &mut Progress, object_id: &str, client_id: &str, at: Datetime) {
    progress.app_deleted = None;
    progress.put_id(Slot::AppObject, Some(object_id.to_string()), "apply", at);
    progress.put_value("client_id", Some(client_id.to_string()), "apply", at);
}

/// The app's service principal made.
pub fn service_principal_made(progress: &mut Progress, id: &str, at: Datetime) {
    progress.put_id(Slot::ServicePrincipal, Some(id.to_string()), "apply", at);
}

/// A secret removed: when it was the rotation's old one, the rotation is over. Whether the
/// record changed.
pub fn secret_removed(progress: &mut Progress, key_id: &str) -> bool {
    let ends_rotation = progress
        .rotation
        .as_ref()
        .is_some_and(|r| r.old_key.eq_ignore_ascii_case(key_id));
    if ends_rotation {
        progress.rotation = None;
    }
    ends_rotation
}

/// A secret asked for and not yet recorded: its start and mark, so that a rerun finds it
/// should the value never arrive.
pub fn secret_pending(progress: &mut Progress, start: &str, marker: &str) {
    progress.pending_secret = Some(start.to_string());
    progress.pending_marker = Some(marker.to_string());
}

/// The secret asked for was not made, or its value was not usable: nothing pending.
pub fn secret_not_made(progress: &mut Progress) {
    progress.pending_secret = None;
    progress.pending_marker = None;
}

/// A new secret Graph handed out, as the record takes it.
pub struct NewSecret<'a> {
    pub value: &'a str,
    pub key_id: Option<String>,
    /// The end the plan asked for (YYYY-MM-DD).
    pub end: &'a str,
    /// Graph's `endDateTime` of it, as handed out.
    pub azure_end: Option<String>,
    /// A renewal: the old expiry into the history of renewals, a rotation opened.
    pub renewal: bool,
}

/// A new client secret: its value and key recorded (the one it replaces kept in the history),
/// its end; a renewal records the renewal and opens a rotation (the secret Intrexx uses now
/// stays until it is known to use the new one; a rotation already open keeps its old secret).
pub fn secret_added(
    progress: &mut Progress,
    procedure: &Procedure,
    s: &NewSecret<'_>,
    (today, at): (time::Date, Datetime),
) {
    let expiry = procedure.expiry_field().map(|f| f.id.clone());
    if s.renewal
        && let Some(field) = &expiry
    {
        super::record_renewal(progress, field, s.end, (today, at, "apply"));
    } else if let Some(field) = &expiry
        && progress.values.get(field).map(String::as_str) != Some(s.end)
    {
        // `--expires` chose another end than the recorded one (a tenant's policy allows
        // less): the record says what Azure holds, the earlier kept.
        progress.put_value(field, Some(s.end.to_string()), "apply", at);
    }
    if s.renewal
        && progress.rotation.is_none()
        && let Some(old_key) = progress.secret_key_id.clone()
    {
        progress.rotation = Some(Rotation {
            since: at,
            old_key,
            old_hint: progress
                .values
                .get("client_secret")
                .map(|v| v.chars().take(3).collect()),
        });
    }
    progress.put_value("client_secret", Some(s.value.to_string()), "apply", at);
    progress.put_id(Slot::SecretKey, s.key_id.clone(), "apply", at);
    progress.azure_secret = s.azure_end.as_ref().map(|end| AzureSecret {
        end: end.clone(),
        read: at,
    });
    secret_not_made(progress);
}

/// The app deleted: its ids into the history, Azure's reading of its secret dropped, the
/// rotation closed, and the record says the app is gone (status, profiles, check).
pub fn app_deleted(progress: &mut Progress, at: Datetime) {
    progress.put_id(Slot::AppObject, None, "delete", at);
    progress.put_id(Slot::ServicePrincipal, None, "delete", at);
    progress.put_id(Slot::UniqueName, None, "delete", at);
    progress.put_value("client_id", None, "delete", at);
    progress.azure_secret = None;
    progress.rotation = None;
    progress.app_deleted = Some(at);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::progress::EPOCH;

    fn procedure() -> Procedure {
        Procedure::embedded().unwrap()
    }

    #[test]
    fn a_renewal_opens_a_rotation_keeps_the_old_secret_and_its_dates() {
        let p = procedure();
        let mut pr = Progress::new(&p.id);
        pr.values.insert("client_secret".into(), "old8Q~abc".into());
        pr.values
            .insert("secret_expiry".into(), "2026-12-20".into());
        pr.secret_key_id = Some("aaaaaaaa-1111-2222-3333-444455556666".into());
        pr.azure_secret = Some(AzureSecret {
            end: "2026-12-20T10:00:00Z".into(),
            read: EPOCH,
        });
        secret_pending(&mut pr, "2026-12-05T10:00:00Z", "azreg-0123456789ab");
        let today = time::macros::date!(2026 - 12 - 05);
        secret_added(
            &mut pr,
            &p,
            &NewSecret {
                value: "new8Q~abc",
                key_id: Some("bbbbbbbb-1111-2222-3333-444455556666".into()),
                end: "2027-06-03",
                azure_end: Some("2027-06-03T23:59:59Z".into()),
                renewal: true,
            },
            (today, EPOCH),
        );
        assert_eq!(pr.values["client_secret"], "new8Q~abc");
        assert_eq!(pr.values["secret_expiry"], "2027-06-03");
        let rot = pr.rotation.clone().unwrap();
        assert_eq!(rot.old_key, "aaaaaaaa-1111-2222-3333-444455556666");
        assert_eq!(rot.old_hint.as_deref(), Some("old"));
        assert_eq!(pr.earlier_secrets, ["old8Q~abc"], "the old value kept");
        let r = pr.renewals.last().unwrap();
        assert_eq!(r.old_end_azure.as_deref(), Some("2026-12-20T10:00:00Z"));
        assert_eq!(
            pr.azure_secret.as_ref().unwrap().end,
            "2027-06-03T23:59:59Z"
        );
        assert!(pr.pending_secret.is_none() && pr.pending_marker.is_none());
        // Removing another key leaves the rotation; removing the old one ends it.
        assert!(!secret_removed(
            &mut pr,
            "cccccccc-1111-2222-3333-444455556666"
        ));
        assert!(pr.rotation.is_some());
        assert!(secret_removed(
            &mut pr,
            "AAAAAAAA-1111-2222-3333-444455556666"
        ));
        assert!(pr.rotation.is_none());
    }

    #[test]
    fn a_deleted_app_leaves_its_ids_in_the_history() {
        let p = procedure();
        let mut pr = Progress::new(&p.id);
        assert!(app_key(&mut pr, "azreg-k", EPOCH));
        assert!(!app_key(&mut pr, "azreg-k", EPOCH), "saved once");
        app_made(&mut pr, "o1", "c1", EPOCH);
        service_principal_made(&mut pr, "s1", EPOCH);
        app_deleted(&mut pr, EPOCH);
        assert_eq!(pr.app_deleted, Some(EPOCH));
        assert!(pr.app_object_id.is_none() && pr.sp_object_id.is_none());
        for kept in ["o1", "s1", "c1", "azreg-k"] {
            assert!(
                pr.history.iter().any(|h| h.old.as_deref() == Some(kept)),
                "{kept} in the history"
            );
        }
    }
}
