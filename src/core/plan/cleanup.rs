//! Clean-up plans: one client secret removed (`azreg secrets remove KEYID`) or the whole app
//! registration deleted (`azreg delete`). Built like the registration's plan, from what was
//! read, shown, confirmed and journaled the same way; refused before anything is sent when
//! they would break what the record holds.

use time::Date;

use super::{AppRef, AppState, Cred, Found, Mark, Op, Plan, Recorded, RemoveWhy, Step, Tenant};
use crate::i18n::{Lang, Worded};
use crate::tr;

/// Why a clean-up plan is not made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cleanup {
    /// Signed in to another tenant than the recorded one.
    OtherTenant { recorded: String, signed_in: String },
    /// The recorded app is not in the signed-in tenant.
    NoApp,
    /// The app has no secret with this key.
    NoSuchKey { key_id: String },
    /// The recorded secret is the app's only valid one.
    OnlyValid { hint: String },
    /// The display name typed to confirm a delete is not the app's.
    NameMismatch { typed: String, name: String },
}

#[cfg(test)]
impl crate::i18n::Samples for Cleanup {
    fn samples() -> Vec<Self> {
        vec![
            Cleanup::OtherTenant {
                recorded: "a".into(),
                signed_in: "b".into(),
            },
            Cleanup::NoApp,
            Cleanup::NoSuchKey { key_id: "k".into() },
            Cleanup::OnlyValid { hint: "abc".into() },
            Cleanup::NameMismatch {
                typed: "x".into(),
                name: "y".into(),
            },
        ]
    }
}

impl Worded for Cleanup {
    fn message(&self, lang: Lang) -> String {
        match self {
            Cleanup::OtherTenant {
                recorded,
                signed_in,
            } => tr!(
                lang,
                "signed in to the tenant {signed_in}, but the record names {recorded}: nothing was changed (sign in with --tenant {recorded})",
                "angemeldet beim Mandanten {signed_in}, aber der Datensatz nennt {recorded}: nichts wurde geändert (melden Sie sich mit --tenant {recorded} an)",
                signed_in = signed_in,
                recorded = recorded,
            ),
            Cleanup::NoApp => tr!(
                lang,
                "the signed-in tenant has no app with the recorded client ID: nothing was changed",
                "der angemeldete Mandant hat keine App mit der erfassten Client-ID: nichts wurde geändert"
            ),
            Cleanup::NoSuchKey { key_id } => tr!(
                lang,
                "the app has no client secret with the key {key_id} (azreg secrets lists them): nothing was changed",
                "die App hat keinen geheimen Clientschlüssel mit dem Schlüssel {key_id} (azreg secrets listet sie): nichts wurde geändert",
                key_id = key_id,
            ),
            Cleanup::OnlyValid { hint } => tr!(
                lang,
                "the client secret {hint}… is the one Intrexx uses and the app's only valid one: removing it would stop the connector; renew it first (azreg apply --renew), then remove the old one",
                "der geheime Clientschlüssel {hint}… ist der, den Intrexx verwendet, und der einzige gültige der App: ihn zu entfernen, hielte den Connector an; erneuern Sie ihn zuerst (azreg apply --renew) und entfernen Sie dann den alten",
                hint = hint,
            ),
            Cleanup::NameMismatch { typed, name } => tr!(
                lang,
                "{typed:?} is not the app's display name {name:?}: nothing was deleted",
                "{typed:?} ist nicht der Anzeigename {name:?} der App: nichts wurde gelöscht",
                typed = typed,
                name = name,
            ),
        }
    }
}

/// The secret the record (and so Intrexx) uses: by the recorded key, else by the first three
/// characters Graph keeps of every secret (the latest-ending of several).
pub fn secret_in_use<'a>(a: &'a AppState, r: &Recorded) -> Option<&'a Cred> {
    let hint = r.secret_hint.as_deref();
    r.secret_key_id
        .as_deref()
        .and_then(|k| a.creds.iter().find(|c| c.key_id.eq_ignore_ascii_case(k)))
        .filter(|c| hint.is_none_or(|h| c.hint == h))
        .or_else(|| {
            hint.and_then(|h| {
                a.creds
                    .iter()
                    .filter(|c| c.hint == h)
                    .max_by(|x, y| x.end.cmp(&y.end))
            })
        })
}

/// The app read, in the recorded tenant.
fn recorded_app<'a>(t: &'a Tenant, r: &Recorded) -> Result<&'a AppState, Cleanup> {
    if let Some(rec) = &r.tenant_id
        && !rec.eq_ignore_ascii_case(&t.who.tenant_id)
    {
        return Err(Cleanup::OtherTenant {
            recorded: rec.clone(),
            signed_in: t.who.tenant_id.clone(),
        });
    }
    match &t.app {
        Found::App(a) => Ok(a),
        _ => Err(Cleanup::NoApp),
    }
}

fn plan_of(t: &Tenant, step: Step) -> Plan {
    Plan {
        who: t.who.clone(),
        graph_host: String::new(),
        app: None,
        sp: None,
        steps: vec![step],
        notes: Vec::new(),
        in_use_end: None,
    }
}

/// Remove one secret by its key. Never the recorded one while no other secret on the app is
/// still valid `today`; the recorded one otherwise only marked.
pub fn remove_secret(t: &Tenant, r: &Recorded, key_id: &str, today: Date) -> Result<Plan, Cleanup> {
    let a = recorded_app(t, r)?;
    let key_id = key_id.trim().to_ascii_lowercase();
    let cred = a
        .creds
        .iter()
        .find(|c| c.key_id.eq_ignore_ascii_case(&key_id))
        .ok_or_else(|| Cleanup::NoSuchKey {
            key_id: key_id.clone(),
        })?;
    let in_use = secret_in_use(a, r).is_some_and(|u| u.key_id == cred.key_id);
    let mut marks = Vec::new();
    if in_use {
        let valid = |c: &&Cred| {
            crate::core::fields::last_day_of_end(&c.end).is_some_and(|last| last >= today)
        };
        if !a
            .creds
            .iter()
            .filter(|c| c.key_id != cred.key_id)
            .any(|c| valid(&c))
        {
            return Err(Cleanup::OnlyValid {
                hint: cred.hint.clone(),
            });
        }
        marks.push(Mark::RecordedSecret);
    }
    Ok(plan_of(
        t,
        Step {
            op: Op::RemoveSecret {
                app: AppRef::Known {
                    object_id: a.id.clone(),
                    client_id: a.app_id.clone(),
                },
                key_id: cred.key_id.clone(),
                hint: cred.hint.clone(),
                why: RemoveWhy::Asked,
            },
            marks,
        },
    ))
}

/// Delete the recorded app, once `typed` is its display name (as the portal asks).
pub fn delete_app(t: &Tenant, r: &Recorded, typed: &str) -> Result<Plan, Cleanup> {
    let a = recorded_app(t, r)?;
    if typed.trim() != a.display_name {
        return Err(Cleanup::NameMismatch {
            typed: typed.trim().to_string(),
            name: a.display_name.clone(),
        });
    }
    Ok(plan_of(
        t,
        Step {
            op: Op::DeleteApp {
                object_id: a.id.clone(),
                client_id: a.app_id.clone(),
                name: a.display_name.clone(),
            },
            marks: vec![Mark::EndsConnector],
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::plan::tests::{complete_app, empty_tenant};
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 30);

    fn tenant(a: AppState) -> Tenant {
        Tenant {
            app: Found::App(Box::new(a)),
            ..empty_tenant()
        }
    }

    fn recorded() -> Recorded {
        Recorded {
            tenant_id: Some(crate::core::plan::tests::TENANT.into()),
            secret_hint: Some("abc".into()),
            ..Recorded::default()
        }
    }

    fn second(end: &str) -> Cred {
        Cred {
            key_id: "77777777-0000-4000-a000-000000000007".into(),
            hint: "xyz".into(),
            end: end.into(),
            ..Cred::default()
        }
    }

    #[test]
    fn the_recorded_secret_is_never_removed_while_it_is_the_only_valid_one() {
        let mut a = complete_app();
        let recorded_key = a.creds[0].key_id.clone();
        // The other one has expired: the recorded one is the only valid one.
        a.creds.push(second("2026-11-30T00:00:00Z"));
        let t = tenant(a.clone());
        assert_eq!(
            remove_secret(&t, &recorded(), &recorded_key, TODAY),
            Err(Cleanup::OnlyValid { hint: "abc".into() })
        );
        // With another valid one it may go, marked.
        a.creds[1].end = "2027-01-01T10:00:00Z".into();
        let p =
            remove_secret(&tenant(a), &recorded(), &recorded_key.to_uppercase(), TODAY).unwrap();
        assert_eq!(p.steps[0].marks, [Mark::RecordedSecret]);
        assert_eq!(p.steps[0].op.kind(), "remove_secret");
        let w = p.steps[0].op.writes(&Default::default());
        assert_eq!(w[0].body["keyId"], recorded_key.as_str());
    }

    #[test]
    fn another_secret_goes_unmarked_and_an_unknown_key_is_refused() {
        let mut a = complete_app();
        a.creds.push(second("2020-01-01T00:00:00Z"));
        let t = tenant(a);
        let p = remove_secret(
            &t,
            &recorded(),
            "77777777-0000-4000-a000-000000000007",
            TODAY,
        )
        .unwrap();
        assert!(p.steps[0].marks.is_empty());
        assert!(p.text(Lang::En).contains("remove the client secret xyz…"));
        assert!(matches!(
            remove_secret(
                &t,
                &recorded(),
                "88888888-0000-4000-a000-000000000008",
                TODAY
            ),
            Err(Cleanup::NoSuchKey { .. })
        ));
    }

    #[test]
    fn delete_needs_the_display_name_and_the_recorded_tenant() {
        let t = tenant(complete_app());
        assert!(matches!(
            delete_app(&t, &recorded(), "Intrexx"),
            Err(Cleanup::NameMismatch { .. })
        ));
        let p = delete_app(&t, &recorded(), " Intrexx Portal ").unwrap();
        let w = p.steps[0].op.writes(&Default::default());
        assert_eq!(w[0].method.as_str(), "DELETE");
        assert_eq!(
            w[0].path_text(),
            format!("/v1.0/applications/{}", complete_app().id)
        );
        assert_eq!(p.steps[0].marks, [Mark::EndsConnector]);
        let mut other = recorded();
        other.tenant_id = Some("aaaaaaaa-0000-4000-a000-00000000000a".into());
        assert!(matches!(
            delete_app(&t, &other, "Intrexx Portal"),
            Err(Cleanup::OtherTenant { .. })
        ));
        assert_eq!(
            delete_app(&empty_tenant(), &recorded(), "x"),
            Err(Cleanup::NoApp)
        );
    }
}
