//! From the record to what a plan needs: the registration its values ask for ([`desired`]), the
//! ids it names ([`recorded`]), a renewal's end ([`renewal_end`]); each value checked as the
//! walkthrough checks it, and what is missing or wrong named.

use super::{Desired, Platform, Recorded, RedirectUris, SecretSpec, origin_of};
use crate::core::fields::{FieldState, UrlRole, is_guid};
use crate::core::permissions;
use crate::core::procedure::Procedure;
use crate::core::progress::{Progress, hint};
use crate::core::report::{CONSENT_FIELD, PERMISSIONS_FIELD, Report};
use crate::i18n::Lang;
use crate::tr;
use time::Date;

/// A value a command needs that it cannot use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unusable {
    /// The procedure has no field of this id.
    NoSuchField(String),
    Missing {
        id: String,
        label: String,
    },
    Wrong {
        id: String,
        message: String,
    },
}

impl Unusable {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Unusable::NoSuchField(id) => tr!(
                lang,
                "{id}: this procedure has no such field",
                "{id}: dieses Verfahren hat kein solches Feld",
                id = id,
            ),
            Unusable::Missing { id, label } => tr!(
                lang,
                "{id}: missing ({label})",
                "{id}: fehlt ({label})",
                id = id,
                label = label,
            ),
            Unusable::Wrong { id, message } => format!("{id}: {message}"),
        }
    }
}

#[cfg(test)]
impl crate::i18n::Samples for Unusable {
    fn samples() -> Vec<Self> {
        // `Wrong` carries the field check's words, in the procedure's language already.
        vec![
            Unusable::NoSuchField("x".into()),
            Unusable::Missing {
                id: "portal_url".into(),
                label: "Portal URL".into(),
            },
        ]
    }
}

#[cfg(test)]
impl crate::i18n::Samples for BadRecord {
    fn samples() -> Vec<Self> {
        vec![BadRecord("app_object_id")]
    }
}

/// The effective values of `ids` (entered, derived or default; `None` where not usable), and
/// what is missing or wrong among them.
pub fn needed(r: &Report, ids: &[&str]) -> (Vec<Option<String>>, Vec<Unusable>) {
    let ctx = r.ctx();
    let mut unusable = Vec::new();
    let mut got = Vec::new();
    for id in ids {
        let Some(spec) = r.procedure.field(id) else {
            unusable.push(Unusable::NoSuchField(id.to_string()));
            got.push(None);
            continue;
        };
        let a = ctx.assess(spec);
        match a.state() {
            FieldState::Empty => unusable.push(Unusable::Missing {
                id: id.to_string(),
                label: spec.label.clone(),
            }),
            FieldState::Error => unusable.push(Unusable::Wrong {
                id: id.to_string(),
                message: a
                    .first_error()
                    .map(|p| p.message.clone())
                    .unwrap_or_default(),
            }),
            _ => {}
        }
        let usable = matches!(a.state(), FieldState::Ok | FieldState::Warning);
        got.push(a.value.filter(|_| usable));
    }
    (got, unusable)
}

/// The values a registration needs, in the order `desired` takes them; the redirect URIs
/// besides are every field the procedure gives a `graph_platform`.
pub const REGISTRATION: [&str; 6] = [
    "app_name",
    "account_type",
    "secret_description",
    "secret_expiry",
    PERMISSIONS_FIELD,
    CONSENT_FIELD,
];

/// The registration the values ask for; with `allow_incomplete`, what there is.
pub fn desired(r: &Report, allow_incomplete: bool) -> Result<Desired, Vec<Unusable>> {
    let (got, mut unusable) = needed(r, &REGISTRATION);
    // The redirect URIs, each on the platform its field names (data, not code).
    let on: Vec<(&str, Platform)> = r
        .procedure
        .fields
        .iter()
        .filter_map(|f| {
            let p = Platform::of_property(f.graph_platform.as_deref()?)?;
            Some((f.id.as_str(), p))
        })
        .collect();
    let ids: Vec<&str> = on.iter().map(|(id, _)| *id).collect();
    let (uris, wrong) = needed(r, &ids);
    unusable.extend(wrong);
    if !unusable.is_empty() && !allow_incomplete {
        return Err(unusable);
    }
    let mut redirect_uris = RedirectUris::default();
    for ((_, platform), uri) in on.iter().zip(uris) {
        if let Some(uri) = uri.filter(|u| !u.is_empty()) {
            redirect_uris.add(*platform, &uri);
        }
    }
    let mut it = got.into_iter().map(Option::unwrap_or_default);
    let mut next = || it.next().unwrap_or_default();
    let (name, audience, description, end) = (next(), next(), next(), next());
    let permissions = permissions::parse(&next()).unwrap_or_default();
    let consent = next() == "yes";
    let base = r
        .procedure
        .fields
        .iter()
        .find(|f| f.url_role == Some(UrlRole::Base))
        .and_then(|f| r.ctx().effective(&f.id))
        .map(|(v, _)| v);
    Ok(Desired {
        name,
        audience,
        redirect_uris,
        permissions,
        consent,
        secret: SecretSpec { description, end },
        portal_origin: base.as_deref().and_then(origin_of),
    })
}

/// An id in the progress file azreg will not send anywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRecord(pub &'static str);

impl BadRecord {
    pub fn message(&self, lang: Lang) -> String {
        tr!(
            lang,
            "the progress file's {key} is not a GUID: correct it (or remove it) before azreg sends anything",
            "{key} in der Fortschrittsdatei ist keine GUID: korrigieren (oder entfernen) Sie es, bevor azreg etwas sendet",
            key = self.0,
        )
    }
}

/// The ids the progress file records, each checked before it goes anywhere near a request:
/// a GUID, and azreg's create key of its own form.
pub fn recorded(p: &Progress) -> Result<Recorded, BadRecord> {
    let guid = |key: &'static str, v: Option<&String>| -> Result<Option<String>, BadRecord> {
        match v {
            None => Ok(None),
            Some(v) if is_guid(v) => Ok(Some(v.to_ascii_lowercase())),
            Some(_) => Err(BadRecord(key)),
        }
    };
    let unique = match &p.app_unique_name {
        None => None,
        Some(k) if k.strip_prefix("azreg-").is_some_and(is_guid) => Some(k.clone()),
        Some(_) => return Err(BadRecord("app_unique_name")),
    };
    Ok(Recorded {
        tenant_id: guid("tenant_id", p.values.get("tenant_id"))?,
        client_id: guid("client_id", p.values.get("client_id"))?,
        app_object_id: guid("app_object_id", p.app_object_id.as_ref())?,
        sp_object_id: guid("sp_object_id", p.sp_object_id.as_ref())?,
        unique_name: unique,
        secret_key_id: guid("secret_key_id", p.secret_key_id.as_ref())?,
        secret_hint: p.values.get("client_secret").map(|s| hint(s)),
        pending_secret: p.pending_secret.clone(),
        pending_marker: p
            .pending_marker
            .clone()
            .filter(|m| crate::core::plan::writes::is_marker(m)),
        rotation_old: match &p.rotation {
            Some(rot) if is_guid(&rot.old_key) => {
                Some((rot.old_key.to_ascii_lowercase(), rot.old_hint.clone()))
            }
            Some(_) => return Err(BadRecord("rotation")),
            None => None,
        },
        verified: p.last_verified.is_some(),
    })
}

/// The new secret's end for a renewal's `--expires DATE|DAYS`; empty: the recommended preset.
pub fn renewal_end(procedure: &Procedure, today: Date, expires: &str) -> Option<String> {
    use crate::core::fields::{format_date, parse_date, preset_date};
    let days = |d: u32| Some(format_date(preset_date(today, d))).filter(|_| (1..=730).contains(&d));
    if expires.trim().is_empty() {
        let recommended = procedure
            .fields
            .iter()
            .find_map(|f| f.recommended)
            .unwrap_or(180);
        return days(recommended);
    }
    if let Ok(n) = expires.trim().parse::<u32>() {
        return days(n);
    }
    parse_date(expires.trim())
        .filter(|d| *d > today)
        .map(format_date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::procedure::Procedure;

    #[test]
    fn ids_on_file_are_checked_before_anything_is_sent() {
        let mut p = Progress::new("x");
        p.app_object_id = Some("../../beta/users?$select=id".into());
        let e = recorded(&p).unwrap_err();
        assert_eq!(e, BadRecord("app_object_id"));
        assert!(e.message(Lang::En).contains("app_object_id is not a GUID"));
        p.app_object_id = None;
        p.app_unique_name = Some("x')/../../me".into());
        assert!(recorded(&p).is_err());
        p.app_unique_name = Some("azreg-0b1c2d3e-1111-2222-3333-444455556666".into());
        p.values.insert(
            "client_id".into(),
            "0B1C2D3E-1111-2222-3333-444455556666".into(),
        );
        p.values
            .insert("client_secret".into(), "abc8Q~whatever".into());
        let r = recorded(&p).unwrap();
        assert_eq!(
            r.client_id.as_deref(),
            Some("0b1c2d3e-1111-2222-3333-444455556666")
        );
        assert_eq!(r.secret_hint.as_deref(), Some("abc"));
    }

    #[test]
    fn the_desired_registration_comes_from_the_values_and_names_what_is_missing() {
        let pr = Procedure::embedded().unwrap();
        let today = time::macros::date!(2026 - 11 - 26);
        let mut p = Progress::new(&pr.id);
        for (k, v) in [
            ("portal_url", "https://portal.example.com"),
            ("collaboration", "mycompany"),
        ] {
            p.values.insert(k.into(), v.into());
        }
        let r = Report::new(&pr, &p, today);
        let missing = desired(&r, false).unwrap_err();
        assert!(missing.contains(&Unusable::Missing {
            id: "app_name".into(),
            label: pr.field("app_name").unwrap().label.clone()
        }));
        assert!(desired(&r, true).is_ok());
        for (k, v) in [
            ("app_name", "Intrexx Portal"),
            ("account_type", "AzureADMyOrg"),
            ("secret_description", "Intrexx connector"),
            ("secret_expiry", "2027-05-25"),
            ("admin_consent", "yes"),
        ] {
            p.values.insert(k.into(), v.into());
        }
        let r = Report::new(&pr, &p, today);
        let d = desired(&r, false).unwrap();
        assert_eq!(
            d.portal_origin.as_deref(),
            Some("https://portal.example.com")
        );
        assert_eq!(
            d.redirect_uris.on(Platform::Web),
            ["https://portal.example.com/oauth2/token/ms365-mycompany"]
        );
        assert_eq!(
            d.redirect_uris.on(Platform::Spa),
            ["https://portal.example.com/oauth2callback.html"]
        );
        assert!(d.consent);
        assert_eq!(d.secret.end, "2027-05-25");
    }
}
