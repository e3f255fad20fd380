//! `azreg doctor`: the registration as Azure has it, held against what the connector needs and
//! what the record says. Pure: the reads come in as a [`Tenant`] (the same the plan is made
//! from), the day as an argument. Each finding names the step where it is fixed by hand and
//! whether `azreg apply` fixes it.

use serde_json::{Value, json};
use time::Date;

use crate::core::permissions::Kind;
use crate::core::plan::{AppState, Cred, Desired, Found, Lookup, Recorded, Tenant, Who};
use crate::core::procedure::Procedure;
use crate::i18n::{Lang, Worded};
use crate::tr;

/// Days before its end from which a secret counts as expiring.
pub const EXPIRING_DAYS: i64 = 30;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Azure confirms it.
    Ok,
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn key(self) -> &'static str {
        match self {
            Level::Ok => "ok",
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    pub fn mark(self) -> &'static str {
        match self {
            Level::Ok => "✓",
            Level::Info => "·",
            Level::Warning => "!",
            Level::Error => "✗",
        }
    }
}

/// What was found, with what it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// Signed in to another tenant than the recorded one.
    OtherTenant {
        recorded: String,
        signed_in: String,
    },
    NoApp {
        client_id: String,
    },
    App {
        name: String,
        client_id: String,
    },
    Audience {
        found: String,
        wanted: String,
    },
    UriOk {
        uri: String,
        spa: bool,
    },
    /// The URI is registered, but under the other platform.
    UriWrongPlatform {
        uri: String,
        spa: bool,
    },
    UriMissing {
        uri: String,
        spa: bool,
    },
    OtherUri {
        uri: String,
        platform: &'static str,
    },
    NoSp,
    SpDisabled,
    SpOk,
    PermissionMissing {
        name: String,
        application: bool,
    },
    PermissionsOk {
        count: usize,
    },
    /// Each permission without consent, and whether it is an application permission.
    ConsentMissing {
        names: Vec<(String, bool)>,
    },
    ConsentOk,
    /// The recorded secret is on the app: its end as Azure has it.
    SecretOk {
        hint: String,
        end: String,
        days: i64,
    },
    SecretExpiring {
        hint: String,
        end: String,
        days: i64,
    },
    SecretExpired {
        hint: String,
        end: String,
    },
    /// No secret on the app starts like the recorded one.
    SecretNotOnApp {
        hint: String,
    },
    NoSecretRecorded,
    ExpiryDiffers {
        recorded: String,
        azure: String,
    },
    OtherSecret {
        hint: String,
        name: String,
        end: String,
    },
    NoOwners,
    Owners {
        names: Vec<String>,
    },
}

/// One finding: its id for scripts, how much it matters, where it is fixed by hand (a step
/// label), and whether `azreg apply` fixes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub id: &'static str,
    pub level: Level,
    pub step: Option<String>,
    pub fixable: bool,
    pub what: What,
}

/// What doctor read, for the header and the JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Examined {
    pub who: Who,
    pub findings: Vec<Finding>,
    /// The secret in use's end as Azure has it (RFC 3339, as read), when found.
    pub azure_end: Option<String>,
}

impl Examined {
    /// The day Azure's end of the secret in use falls on (`YYYY-MM-DD`).
    pub fn azure_expiry(&self) -> Option<&str> {
        self.azure_end.as_deref().map(date_of)
    }

    /// Something is wrong (an error or a warning): exit 1.
    pub fn wrong(&self) -> bool {
        self.findings.iter().any(|f| f.level >= Level::Warning)
    }
}

fn date_of(rfc3339: &str) -> &str {
    rfc3339.get(..10).unwrap_or(rfc3339)
}

/// The last day a secret works (`fields::last_day_of_end`).
pub fn last_day(end: &str) -> Option<Date> {
    crate::core::fields::last_day_of_end(end)
}

/// Hold the tenant's app against the registration the record asks for.
pub fn examine(
    p: &Procedure,
    d: &Desired,
    r: &Recorded,
    recorded_expiry: Option<&str>,
    t: &Tenant,
    today: Date,
) -> Examined {
    let step = |field: &str| p.entry_of_field(field).map(|i| p.label(i).to_string());
    let mut out = Vec::new();
    let mut push = |id, level, step: Option<String>, fixable, what| {
        out.push(Finding {
            id,
            level,
            step,
            fixable,
            what,
        })
    };
    if let Some(rec) = &r.tenant_id
        && !rec.eq_ignore_ascii_case(&t.who.tenant_id)
    {
        push(
            "tenant",
            Level::Error,
            step("tenant_id"),
            false,
            What::OtherTenant {
                recorded: rec.clone(),
                signed_in: t.who.tenant_id.clone(),
            },
        );
    }
    let a: &AppState = match &t.app {
        Found::App(a) => a,
        Found::Missing(l) => {
            push(
                "app",
                Level::Error,
                step("app_name"),
                true,
                What::NoApp {
                    client_id: match l {
                        Lookup::ObjectId(x)
                        | Lookup::ClientId(x)
                        | Lookup::UniqueName(x)
                        | Lookup::Adopt(x)
                        | Lookup::SameName(x) => x.clone(),
                    },
                },
            );
            return Examined {
                who: t.who.clone(),
                findings: out,
                azure_end: None,
            };
        }
        Found::Fresh { .. } | Found::Pending => {
            push(
                "app",
                Level::Error,
                step("app_name"),
                true,
                What::NoApp {
                    client_id: String::new(),
                },
            );
            return Examined {
                who: t.who.clone(),
                findings: out,
                azure_end: None,
            };
        }
    };
    push(
        "app",
        Level::Ok,
        step("app_name"),
        false,
        What::App {
            name: a.display_name.clone(),
            client_id: a.app_id.clone(),
        },
    );
    if !d.audience.is_empty() && a.audience != d.audience {
        push(
            "account_type",
            Level::Error,
            step("account_type"),
            true,
            What::Audience {
                found: a.audience.clone(),
                wanted: d.audience.clone(),
            },
        );
    }
    // The redirect URIs, each on its own platform: one under the other is the slip of the
    // portal steps that the live check cannot see.
    for (uri, spa, field) in [
        (&d.web, false, "web_redirect_uri"),
        (&d.spa, true, "spa_redirect_uri"),
    ] {
        if uri.is_empty() {
            continue;
        }
        let (own, other) = if spa {
            (&a.spa, &a.web)
        } else {
            (&a.web, &a.spa)
        };
        let id = if spa { "spa_uri" } else { "web_uri" };
        let (level, what) = if own.contains(uri) {
            (
                Level::Ok,
                What::UriOk {
                    uri: uri.clone(),
                    spa,
                },
            )
        } else if other.contains(uri) {
            (
                Level::Error,
                What::UriWrongPlatform {
                    uri: uri.clone(),
                    spa,
                },
            )
        } else {
            (
                Level::Error,
                What::UriMissing {
                    uri: uri.clone(),
                    spa,
                },
            )
        };
        let fixable = level != Level::Ok;
        push(id, level, step(field), fixable, what);
    }
    for (list, platform) in [
        (&a.web, "web"),
        (&a.spa, "spa"),
        (&a.public_client, "public_client"),
    ] {
        for uri in list.iter().filter(|u| **u != d.web && **u != d.spa) {
            push(
                "other_uri",
                Level::Info,
                None,
                false,
                What::OtherUri {
                    uri: uri.clone(),
                    platform,
                },
            );
        }
    }
    match &t.sp {
        None => push("service_principal", Level::Error, None, true, What::NoSp),
        Some((_, false)) => push(
            "service_principal",
            Level::Error,
            None,
            false,
            What::SpDisabled,
        ),
        Some((_, true)) => push("service_principal", Level::Ok, None, false, What::SpOk),
    }
    let perm_step = step(crate::core::report::PERMISSIONS_FIELD);
    let missing: Vec<_> = d
        .permissions
        .iter()
        .filter(|p| {
            !a.graph_access
                .iter()
                .any(|x| x.id == p.id && x.kind == p.kind)
        })
        .collect();
    for m in &missing {
        push(
            "permission",
            Level::Error,
            perm_step.clone(),
            true,
            What::PermissionMissing {
                name: m.name.to_string(),
                application: m.kind == Kind::Application,
            },
        );
    }
    if missing.is_empty() && !d.permissions.is_empty() {
        push(
            "permission",
            Level::Ok,
            perm_step,
            false,
            What::PermissionsOk {
                count: d.permissions.len(),
            },
        );
    }
    if d.consent && t.sp.is_some() {
        let scopes: &[String] = t.grant.as_ref().map(|(_, s)| s.as_slice()).unwrap_or(&[]);
        let unconsented: Vec<(String, bool)> = d
            .permissions
            .iter()
            .filter(|p| match p.kind {
                Kind::Delegated => !scopes.iter().any(|s| s == p.name),
                Kind::Application => !t.roles.iter().any(|r| r == p.id),
            })
            .map(|p| (p.name.to_string(), p.kind == Kind::Application))
            .collect();
        let consent_step = step(crate::core::report::CONSENT_FIELD);
        if unconsented.is_empty() {
            push("consent", Level::Ok, consent_step, false, What::ConsentOk);
        } else {
            push(
                "consent",
                Level::Error,
                consent_step,
                true,
                What::ConsentMissing { names: unconsented },
            );
        }
    }
    // The secret in use: by the key azreg recorded, else by the first three characters Graph
    // keeps of every secret (the latest-ending of several).
    let hint = r.secret_hint.as_deref();
    let in_use: Option<&Cred> = crate::core::plan::secret_in_use(a, r);
    let mut azure_end = None;
    match (hint, in_use) {
        (None, _) => push(
            "secret",
            Level::Warning,
            step("client_secret"),
            false,
            What::NoSecretRecorded,
        ),
        (Some(h), None) => push(
            "secret",
            Level::Error,
            step("secret_description"),
            true,
            What::SecretNotOnApp {
                hint: h.to_string(),
            },
        ),
        (Some(_), Some(c)) => {
            let end = date_of(&c.end).to_string();
            let days = last_day(&c.end).map_or(0, |l| (l - today).whole_days());
            let what_ok = || What::SecretOk {
                hint: c.hint.clone(),
                end: end.clone(),
                days,
            };
            if days < 0 {
                push(
                    "secret",
                    Level::Error,
                    step("secret_description"),
                    true,
                    What::SecretExpired {
                        hint: c.hint.clone(),
                        end: end.clone(),
                    },
                );
            } else if days <= EXPIRING_DAYS {
                push(
                    "secret",
                    Level::Warning,
                    step("secret_description"),
                    true,
                    What::SecretExpiring {
                        hint: c.hint.clone(),
                        end: end.clone(),
                        days,
                    },
                );
            } else {
                push("secret", Level::Ok, step("client_secret"), false, what_ok());
            }
            if let Some(rec) = recorded_expiry.filter(|r| !r.is_empty())
                && last_day(&c.end)
                    .map(crate::core::fields::format_date)
                    .as_deref()
                    != Some(rec)
                && rec != end
            {
                push(
                    "secret_expiry",
                    Level::Warning,
                    step("secret_expiry"),
                    false,
                    What::ExpiryDiffers {
                        recorded: rec.to_string(),
                        azure: end.clone(),
                    },
                );
            }
            azure_end = Some(c.end.clone());
        }
    }
    for c in a
        .creds
        .iter()
        .filter(|c| Some(c.key_id.as_str()) != in_use.map(|u| u.key_id.as_str()))
    {
        push(
            "other_secret",
            Level::Info,
            None,
            false,
            What::OtherSecret {
                hint: c.hint.clone(),
                name: c.display_name.clone(),
                end: date_of(&c.end).to_string(),
            },
        );
    }
    if a.owners.is_empty() {
        push("owners", Level::Warning, None, false, What::NoOwners);
    } else {
        push(
            "owners",
            Level::Ok,
            None,
            false,
            What::Owners {
                names: a.owners.clone(),
            },
        );
    }
    Examined {
        who: t.who.clone(),
        findings: out,
        azure_end,
    }
}

/// A permission by name, an application permission said as such.
fn permission_label(name: &str, application: bool, lang: Lang) -> String {
    if application {
        tr!(
            lang,
            "{name} (Application)",
            "{name} (Anwendung)",
            name = name
        )
    } else {
        name.to_string()
    }
}

impl Worded for What {
    fn message(&self, lang: Lang) -> String {
        let platform = |spa: bool| {
            if spa {
                tr!(lang, "Single-page application", "Single-Page-Anwendung")
            } else {
                "Web".to_string()
            }
        };
        match self {
            What::OtherTenant {
                recorded,
                signed_in,
            } => tr!(
                lang,
                "signed in to the tenant {signed_in}, but the record names {recorded}: sign in there (--tenant {recorded})",
                "angemeldet beim Mandanten {signed_in}, aber der Datensatz nennt {recorded}: melden Sie sich dort an (--tenant {recorded})",
                signed_in = signed_in,
                recorded = recorded,
            ),
            What::NoApp { client_id } if client_id.is_empty() => tr!(
                lang,
                "no app is recorded, and none was found",
                "keine App erfasst, und keine gefunden"
            ),
            What::NoApp { client_id } => tr!(
                lang,
                "the signed-in tenant has no app with {client_id}",
                "der angemeldete Mandant hat keine App mit {client_id}",
                client_id = client_id,
            ),
            What::App { name, client_id } => tr!(
                lang,
                "the app {name} ({client_id}) is in the signed-in tenant",
                "die App {name} ({client_id}) ist im angemeldeten Mandanten",
                name = name,
                client_id = client_id,
            ),
            What::Audience { found, wanted } => tr!(
                lang,
                "the supported account types are {found}, the record asks for {wanted}",
                "die unterstützten Kontotypen sind {found}, der Datensatz verlangt {wanted}",
                found = found,
                wanted = wanted,
            ),
            What::UriOk { uri, spa } => tr!(
                lang,
                "redirect URI on the {p} platform: {uri}",
                "Umleitungs-URI auf der Plattform {p}: {uri}",
                p = platform(*spa),
                uri = uri,
            ),
            What::UriWrongPlatform { uri, spa } => tr!(
                lang,
                "the redirect URI {uri} is under the {other} platform, but belongs under {p}",
                "der Umleitungs-URI {uri} steht unter der Plattform {other}, gehört aber unter {p}",
                uri = uri,
                other = platform(!*spa),
                p = platform(*spa),
            ),
            What::UriMissing { uri, spa } => tr!(
                lang,
                "the redirect URI {uri} is missing (platform {p})",
                "der Umleitungs-URI {uri} fehlt (Plattform {p})",
                uri = uri,
                p = platform(*spa),
            ),
            What::OtherUri { uri, platform } => tr!(
                lang,
                "another redirect URI on the app ({platform}): {uri}",
                "ein weiterer Umleitungs-URI an der App ({platform}): {uri}",
                platform = platform,
                uri = uri,
            ),
            What::NoSp => tr!(
                lang,
                "the app has no service principal (Enterprise application): sign-ins fail",
                "die App hat keinen Dienstprinzipal (Unternehmensanwendung): Anmeldungen schlagen fehl"
            ),
            What::SpDisabled => tr!(
                lang,
                "the service principal is disabled: enable it (Enterprise applications > Properties)",
                "der Dienstprinzipal ist deaktiviert: aktivieren Sie ihn (Unternehmensanwendungen > Eigenschaften)"
            ),
            What::SpOk => tr!(
                lang,
                "the service principal exists and is enabled",
                "der Dienstprinzipal existiert und ist aktiviert"
            ),
            What::PermissionMissing { name, application } => tr!(
                lang,
                "the API permission {name} is not on the app",
                "die API-Berechtigung {name} fehlt an der App",
                name = permission_label(name, *application, lang),
            ),
            What::PermissionsOk { count } => tr!(
                lang,
                "all {count} chosen API permissions are on the app",
                "alle {count} gewählten API-Berechtigungen sind an der App",
                count = count,
            ),
            What::ConsentMissing { names } => tr!(
                lang,
                "admin consent is missing for {names}",
                "die Administratorzustimmung fehlt für {names}",
                names = names
                    .iter()
                    .map(|(n, a)| permission_label(n, *a, lang))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            What::ConsentOk => tr!(
                lang,
                "admin consent is in place for every chosen permission",
                "die Administratorzustimmung liegt für jede gewählte Berechtigung vor"
            ),
            What::SecretOk { hint, end, days } => tr!(
                lang,
                "the secret in use ({hint}…) is on the app and valid until {end} ({days} days left)",
                "der verwendete Schlüssel ({hint}…) ist an der App und gültig bis {end} (noch {days} Tage)",
                hint = hint,
                end = end,
                days = days,
            ),
            What::SecretExpiring { hint, end, days } => tr!(
                lang,
                "the secret in use ({hint}…) expires on {end}, in {days} days: renew it (azreg apply --renew)",
                "der verwendete Schlüssel ({hint}…) läuft am {end} ab, in {days} Tagen: erneuern Sie ihn (azreg apply --renew)",
                hint = hint,
                end = end,
                days = days,
            ),
            What::SecretExpired { hint, end } => tr!(
                lang,
                "the secret in use ({hint}…) expired on {end}: the connector no longer signs in",
                "der verwendete Schlüssel ({hint}…) ist am {end} abgelaufen: der Connector meldet sich nicht mehr an",
                hint = hint,
                end = end,
            ),
            What::SecretNotOnApp { hint } => tr!(
                lang,
                "no secret on the app starts like the recorded one ({hint}…): it was removed, or the record holds another app's",
                "kein Schlüssel an der App beginnt wie der erfasste ({hint}…): er wurde entfernt, oder der Datensatz hat den einer anderen App",
                hint = hint,
            ),
            What::NoSecretRecorded => tr!(
                lang,
                "no client secret is recorded: which one Intrexx uses cannot be told",
                "kein geheimer Clientschlüssel erfasst: welchen Intrexx verwendet, lässt sich nicht sagen"
            ),
            What::ExpiryDiffers { recorded, azure } => tr!(
                lang,
                "the recorded expiry {recorded} is not Azure's ({azure}): correct it (azreg set secret_expiry {azure})",
                "das erfasste Ablaufdatum {recorded} ist nicht das von Azure ({azure}): korrigieren Sie es (azreg set secret_expiry {azure})",
                recorded = recorded,
                azure = azure,
            ),
            What::OtherSecret { hint, name, end } => tr!(
                lang,
                "another secret on the app: {name} ({hint}…), valid until {end}",
                "ein weiterer Schlüssel an der App: {name} ({hint}…), gültig bis {end}",
                name = name,
                hint = hint,
                end = end,
            ),
            What::NoOwners => tr!(
                lang,
                "the app has no owners: only administrators can maintain it",
                "die App hat keine Besitzer: nur Administratoren können sie pflegen"
            ),
            What::Owners { names } => tr!(
                lang,
                "owners: {names}",
                "Besitzer: {names}",
                names = names.join(", "),
            ),
        }
    }
}

impl Finding {
    /// One line: the mark, the message, where it is fixed.
    pub fn line(&self, lang: Lang) -> String {
        let mut s = format!("{} {}", self.level.mark(), self.what.message(lang));
        if self.level >= Level::Warning {
            let fix = match (&self.step, self.fixable) {
                (Some(n), true) => tr!(
                    lang,
                    " (step {n}; azreg apply fixes it)",
                    " (Schritt {n}; azreg apply behebt es)",
                    n = n,
                ),
                (Some(n), false) => tr!(lang, " (step {n})", " (Schritt {n})", n = n),
                (None, true) => tr!(lang, " (azreg apply fixes it)", " (azreg apply behebt es)"),
                (None, false) => String::new(),
            };
            s.push_str(&fix);
        }
        s
    }

    pub fn to_json(&self, lang: Lang) -> Value {
        json!({
            "id": self.id,
            "severity": self.level.key(),
            "step": self.step,
            "message": self.what.message(lang),
            "fixable": self.fixable,
        })
    }
}

impl Examined {
    /// `azreg doctor --json`.
    pub fn to_json(&self, lang: Lang, recorded_expiry: Option<&str>) -> Value {
        json!({
            "schema": "azreg.doctor",
            "version": 1,
            "signed_in": {
                "account": self.who.account,
                "tenant_id": self.who.tenant_id,
                "tenant_name": self.who.tenant_name,
            },
            "ok": !self.wrong(),
            "secret_expiry": {"recorded": recorded_expiry, "azure": self.azure_expiry()},
            "findings": self.findings.iter().map(|f| f.to_json(lang)).collect::<Vec<_>>(),
        })
    }

    /// The findings as text, worst first within their order, each on a line.
    pub fn text(&self, lang: Lang) -> String {
        let who = self.who.account.as_deref().unwrap_or("?");
        let tenant = match &self.who.tenant_name {
            Some(n) => format!("{n} ({})", self.who.tenant_id),
            None => self.who.tenant_id.clone(),
        };
        let mut s = tr!(
            lang,
            "Signed in as {who} to {tenant}.\n",
            "Angemeldet als {who} bei {tenant}.\n",
            who = who,
            tenant = tenant,
        );
        for f in &self.findings {
            s.push_str(&f.line(lang));
            s.push('\n');
        }
        let (errors, warnings) = (
            self.findings
                .iter()
                .filter(|f| f.level == Level::Error)
                .count(),
            self.findings
                .iter()
                .filter(|f| f.level == Level::Warning)
                .count(),
        );
        s.push_str(&if errors + warnings == 0 {
            tr!(
                lang,
                "Nothing is wrong: the registration is what the connector needs.\n",
                "Alles in Ordnung: die Registrierung ist so, wie der Connector sie braucht.\n"
            )
        } else {
            tr!(
                lang,
                "{e}, {w}.\n",
                "{e}, {w}.\n",
                e = crate::i18n::nouns::ERRORS.count(lang, errors as i64),
                w = crate::i18n::nouns::WARNINGS.count(lang, warnings as i64),
            )
        });
        s
    }
}

#[cfg(test)]
impl crate::i18n::Samples for What {
    fn samples() -> Vec<Self> {
        let s = |x: &str| x.to_string();
        vec![
            What::OtherTenant {
                recorded: s("a"),
                signed_in: s("b"),
            },
            What::NoApp {
                client_id: String::new(),
            },
            What::NoApp { client_id: s("c") },
            What::App {
                name: s("n"),
                client_id: s("c"),
            },
            What::Audience {
                found: s("f"),
                wanted: s("w"),
            },
            What::UriOk {
                uri: s("u"),
                spa: true,
            },
            What::UriWrongPlatform {
                uri: s("u"),
                spa: true,
            },
            What::UriMissing {
                uri: s("u"),
                spa: false,
            },
            What::OtherUri {
                uri: s("u"),
                platform: "web",
            },
            What::NoSp,
            What::SpDisabled,
            What::SpOk,
            What::PermissionMissing {
                name: s("User.Read"),
                application: true,
            },
            What::PermissionsOk { count: 2 },
            What::ConsentMissing {
                names: vec![(s("User.Read"), false)],
            },
            What::ConsentOk,
            What::SecretOk {
                hint: s("abc"),
                end: s("2099-01-01"),
                days: 3,
            },
            What::SecretExpiring {
                hint: s("abc"),
                end: s("2099-01-01"),
                days: 3,
            },
            What::SecretExpired {
                hint: s("abc"),
                end: s("2099-01-01"),
            },
            What::SecretNotOnApp { hint: s("abc") },
            What::NoSecretRecorded,
            What::ExpiryDiffers {
                recorded: s("2099-01-01"),
                azure: s("2099-02-02"),
            },
            What::OtherSecret {
                hint: s("abc"),
                name: s("n"),
                end: s("2099-01-01"),
            },
            What::NoOwners,
            What::Owners {
                names: vec![s("o")],
            },
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::plan::tests::{GRAPH_SP, SPA, WEB, complete_app, desired, empty_tenant};
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 30);

    fn recorded() -> Recorded {
        Recorded {
            tenant_id: Some(crate::core::plan::tests::TENANT.into()),
            client_id: Some(complete_app().app_id),
            secret_hint: Some("abc".into()),
            ..Recorded::default()
        }
    }

    /// The tenant a complete registration leaves: app, enabled service principal, consent,
    /// an owner.
    fn complete() -> Tenant {
        let mut a = complete_app();
        a.owners = vec!["admin@contoso.example".into()];
        let d = desired();
        Tenant {
            app: Found::App(Box::new(a)),
            sp: Some(("55555555-0000-4000-a000-000000000005".into(), true)),
            graph_sp: Some(GRAPH_SP.into()),
            grant: Some(("g".into(), vec!["User.Read".into()])),
            roles: d
                .permissions
                .iter()
                .filter(|p| p.kind == Kind::Application)
                .map(|p| p.id.to_string())
                .collect(),
            ..empty_tenant()
        }
    }

    fn app_mut(t: &mut Tenant) -> &mut AppState {
        match &mut t.app {
            Found::App(a) => a,
            _ => unreachable!(),
        }
    }

    fn run(t: &Tenant, expiry: Option<&str>) -> Examined {
        let p = Procedure::embedded().unwrap();
        examine(&p, &desired(), &recorded(), expiry, t, TODAY)
    }

    fn ids(e: &Examined, level: Level) -> Vec<&'static str> {
        e.findings
            .iter()
            .filter(|f| f.level == level)
            .map(|f| f.id)
            .collect()
    }

    #[test]
    fn a_complete_registration_has_nothing_wrong() {
        let e = run(&complete(), Some("2099-05-24"));
        assert!(!e.wrong(), "{}", e.text(Lang::En));
        assert_eq!(
            ids(&e, Level::Ok),
            [
                "app",
                "web_uri",
                "spa_uri",
                "service_principal",
                "permission",
                "consent",
                "secret",
                "owners"
            ]
        );
        assert_eq!(e.azure_expiry(), Some("2099-05-25"));
        assert!(e.text(Lang::En).contains("Nothing is wrong"));
    }

    #[test]
    fn the_spa_uri_under_web_is_an_error_with_its_step_and_apply_fixes_it() {
        let mut t = complete();
        let a = app_mut(&mut t);
        a.spa.clear();
        a.web.push(SPA.into());
        let e = run(&t, None);
        assert!(e.wrong());
        let f = e.findings.iter().find(|f| f.id == "spa_uri").unwrap();
        assert_eq!(f.level, Level::Error);
        assert!(f.fixable);
        let p = Procedure::embedded().unwrap();
        let step = p.step_of_field("spa_redirect_uri").to_string();
        assert_eq!(f.step.as_deref(), Some(step.as_str()));
        assert!(
            f.line(Lang::En)
                .contains("is under the Web platform, but belongs under Single-page application"),
            "{}",
            f.line(Lang::En)
        );
        // Not also listed as "another" URI.
        assert!(!e.findings.iter().any(|f| f.id == "other_uri"));
    }

    #[test]
    fn a_missing_uri_and_foreign_ones_are_told_apart() {
        let mut t = complete();
        let a = app_mut(&mut t);
        a.web = vec!["https://attacker.example/steal".into()];
        let e = run(&t, None);
        let web = e.findings.iter().find(|f| f.id == "web_uri").unwrap();
        assert_eq!(
            web.what,
            What::UriMissing {
                uri: WEB.into(),
                spa: false
            }
        );
        let other = e.findings.iter().find(|f| f.id == "other_uri").unwrap();
        assert_eq!(other.level, Level::Info);
        assert!(other.line(Lang::En).contains("attacker.example"));
    }

    #[test]
    fn no_service_principal_is_an_error_and_consent_is_then_not_judged() {
        let mut t = complete();
        t.sp = None;
        t.grant = None;
        t.roles.clear();
        let e = run(&t, None);
        assert!(ids(&e, Level::Error).contains(&"service_principal"));
        assert!(!e.findings.iter().any(|f| f.id == "consent"));
        let mut t = complete();
        t.sp = Some(("x".into(), false));
        let f = run(&t, None)
            .findings
            .into_iter()
            .find(|f| f.id == "service_principal")
            .unwrap();
        assert_eq!(f.what, What::SpDisabled);
    }

    #[test]
    fn consent_is_measured_per_permission() {
        let mut t = complete();
        t.roles.clear();
        let e = run(&t, None);
        let f = e.findings.iter().find(|f| f.id == "consent").unwrap();
        assert_eq!(
            f.what,
            What::ConsentMissing {
                names: vec![("Chat.Read.All".into(), true)]
            }
        );
        let mut t = complete();
        app_mut(&mut t).graph_access.clear();
        let e = run(&t, None);
        assert_eq!(
            e.findings.iter().filter(|f| f.id == "permission").count(),
            2
        );
    }

    #[test]
    fn a_secret_ending_in_ten_days_is_expiring_and_the_recorded_date_is_held_against_azures() {
        let mut t = complete();
        app_mut(&mut t).creds[0].end = "2026-12-10T09:00:00Z".into();
        let e = run(&t, Some("2027-05-29"));
        let f = e.findings.iter().find(|f| f.id == "secret").unwrap();
        assert_eq!(f.level, Level::Warning);
        assert!(matches!(f.what, What::SecretExpiring { days: 10, .. }));
        let d = e.findings.iter().find(|f| f.id == "secret_expiry").unwrap();
        assert!(d.line(Lang::En).contains("2027-05-29"));
        assert_eq!(e.azure_expiry(), Some("2026-12-10"));
        // A secret whose end is midnight worked through the day before only.
        app_mut(&mut t).creds[0].end = "2026-11-30T00:00:00Z".into();
        let f = run(&t, None)
            .findings
            .into_iter()
            .find(|f| f.id == "secret");
        assert!(matches!(f.unwrap().what, What::SecretExpired { .. }));
    }

    #[test]
    fn the_secret_in_use_is_found_by_its_hint_and_the_others_listed() {
        let mut t = complete();
        let a = app_mut(&mut t);
        a.creds.insert(
            0,
            Cred {
                key_id: "k2".into(),
                display_name: "old".into(),
                hint: "xyz".into(),
                end: "2026-01-01T00:00:00Z".into(),
                ..Cred::default()
            },
        );
        let e = run(&t, None);
        assert!(matches!(
            e.findings.iter().find(|f| f.id == "secret").unwrap().what,
            What::SecretOk { .. }
        ));
        let other = e.findings.iter().find(|f| f.id == "other_secret").unwrap();
        assert!(other.line(Lang::En).contains("old (xyz…)"));
        // The hint on no secret: removed, or another app's.
        app_mut(&mut t).creds.retain(|c| c.hint != "abc");
        let f = run(&t, None)
            .findings
            .into_iter()
            .find(|f| f.id == "secret")
            .unwrap();
        assert_eq!(f.level, Level::Error);
    }

    #[test]
    fn no_owners_is_a_warning_and_another_tenant_an_error() {
        let mut t = complete();
        app_mut(&mut t).owners.clear();
        let e = run(&t, None);
        assert_eq!(ids(&e, Level::Warning), ["owners"]);
        t.who.tenant_id = "aaaaaaaa-0000-4000-a000-00000000000a".into();
        let e = run(&t, None);
        assert_eq!(e.findings[0].id, "tenant");
        assert_eq!(e.findings[0].level, Level::Error);
    }

    #[test]
    fn the_json_carries_id_severity_step_message_and_fixable() {
        let mut t = complete();
        t.sp = None;
        let v = run(&t, None).to_json(Lang::De, Some("2099-05-24"));
        assert_eq!(v["schema"], "azreg.doctor");
        assert_eq!(v["ok"], false);
        let f = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == "service_principal")
            .unwrap();
        assert_eq!(f["severity"], "error");
        assert_eq!(f["fixable"], true);
        assert!(f["message"].as_str().unwrap().contains("Dienstprinzipal"));
        assert_eq!(v["secret_expiry"]["azure"], "2099-05-25");
    }
}
