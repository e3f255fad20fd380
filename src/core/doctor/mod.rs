//! `azreg doctor`: the registration as Azure has it, held against what the connector needs and
//! what the record says. Pure: the reads come in as a [`Tenant`] (the same the plan is made
//! from), the day as an argument. Each finding names the step where it is fixed by hand and
//! whether `azreg apply` fixes it.

use serde_json::{Value, json};
use time::Date;

use crate::core::permissions::Kind;
use crate::core::plan::{AppState, Cred, Desired, Found, Lookup, Platform, Recorded, Tenant, Who};
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
        platform: Platform,
    },
    /// The URI is registered, but under another platform (`on`).
    UriWrongPlatform {
        uri: String,
        platform: Platform,
        on: Platform,
    },
    UriMissing {
        uri: String,
        platform: Platform,
    },
    OtherUri {
        uri: String,
        platform: Platform,
    },
    /// No service principal: the app's client ID, for the fix by hand.
    NoSp {
        client_id: String,
    },
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
    /// A rotation in progress: the old secret (its hint), and whether it is still on the app.
    Rotation {
        hint: String,
        on_app: bool,
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

    /// Something is wrong that stops the connector (an error), or, `strict`, anything to look
    /// at (a warning too): exit 1. Warnings alone are printed and leave exit 0, so a script
    /// can tell "works" from "broken".
    pub fn failed(&self, strict: bool) -> bool {
        let worst = if strict { Level::Warning } else { Level::Error };
        self.findings.iter().any(|f| f.level >= worst)
    }
}

fn date_of(rfc3339: &str) -> &str {
    rfc3339.get(..10).unwrap_or(rfc3339)
}

/// The last day a secret works (`fields::last_day_of_end`).
pub fn last_day(end: &str) -> Option<Date> {
    crate::core::fields::last_day_of_end(end)
}

/// The findings as they are made, each with the step where it is fixed by hand.
struct Exam<'a> {
    p: &'a Procedure,
    d: &'a Desired,
    out: Vec<Finding>,
}

impl Exam<'_> {
    fn step(&self, field: &str) -> Option<String> {
        self.p
            .entry_of_field(field)
            .map(|i| self.p.label(i).to_string())
    }

    fn push(
        &mut self,
        id: &'static str,
        level: Level,
        step: Option<String>,
        fixable: bool,
        what: What,
    ) {
        self.out.push(Finding {
            id,
            level,
            step,
            fixable,
            what,
        });
    }
}

/// Hold the tenant's app against the registration the record asks for: one function per area
/// the connector needs, in the order of the procedure.
pub fn examine(
    p: &Procedure,
    d: &Desired,
    r: &Recorded,
    recorded_expiry: Option<&str>,
    t: &Tenant,
    today: Date,
) -> Examined {
    let mut x = Exam {
        p,
        d,
        out: Vec::new(),
    };
    tenant(&mut x, r, t);
    let Some(a) = app(&mut x, t) else {
        return Examined {
            who: t.who.clone(),
            findings: x.out,
            azure_end: None,
        };
    };
    redirect_uris(&mut x, a);
    service_principal(&mut x, a, t);
    permissions(&mut x, a, t);
    let azure_end = secrets(&mut x, a, r, (recorded_expiry, today));
    owners(&mut x, a, t);
    Examined {
        who: t.who.clone(),
        findings: x.out,
        azure_end,
    }
}

/// The tenant signed in to is the recorded one.
fn tenant(x: &mut Exam<'_>, r: &Recorded, t: &Tenant) {
    if let Some(rec) = &r.tenant_id
        && !rec.eq_ignore_ascii_case(&t.who.tenant_id)
    {
        let step = x.step("tenant_id");
        x.push(
            "tenant",
            Level::Error,
            step,
            false,
            What::OtherTenant {
                recorded: rec.clone(),
                signed_in: t.who.tenant_id.clone(),
            },
        );
    }
}

/// The app is there (else that is the one finding), with the account types asked for.
fn app<'t>(x: &mut Exam<'_>, t: &'t Tenant) -> Option<&'t AppState> {
    let step = x.step("app_name");
    let a = match &t.app {
        Found::App(a) => a,
        Found::Missing(l) => {
            let client_id = match l {
                Lookup::ObjectId(v)
                | Lookup::ClientId(v)
                | Lookup::UniqueName(v)
                | Lookup::Adopt(v)
                | Lookup::SameName(v) => v.clone(),
            };
            x.push("app", Level::Error, step, true, What::NoApp { client_id });
            return None;
        }
        Found::Fresh { .. } | Found::Pending => {
            let what = What::NoApp {
                client_id: String::new(),
            };
            x.push("app", Level::Error, step, true, what);
            return None;
        }
    };
    let what = What::App {
        name: a.display_name.clone(),
        client_id: a.app_id.clone(),
    };
    x.push("app", Level::Ok, step, false, what);
    if !x.d.audience.is_empty() && a.audience != x.d.audience {
        let step = x.step("account_type");
        let what = What::Audience {
            found: a.audience.clone(),
            wanted: x.d.audience.clone(),
        };
        x.push("account_type", Level::Error, step, true, what);
    }
    Some(a)
}

/// The redirect URIs, each on its own platform: one under the other is the slip of the portal
/// steps that the live check cannot see; URIs azreg did not ask for are listed.
fn redirect_uris(x: &mut Exam<'_>, a: &AppState) {
    let d = x.d;
    for (platform, uri) in d.redirect_uris.iter() {
        let uri = uri.clone();
        let (level, what) = if a.redirect_uris.on(platform).contains(&uri) {
            (Level::Ok, What::UriOk { uri, platform })
        } else if let Some(on) = a.redirect_uris.platform_of(&uri) {
            (Level::Error, What::UriWrongPlatform { uri, platform, on })
        } else {
            (Level::Error, What::UriMissing { uri, platform })
        };
        // The step of the field the procedure puts on this platform.
        let step =
            x.p.fields
                .iter()
                .find(|f| f.graph_platform.as_deref() == Some(platform.property()))
                .and_then(|f| x.step(&f.id));
        x.push(platform.finding_id(), level, step, level != Level::Ok, what);
    }
    for (platform, uri) in a.redirect_uris.iter() {
        if !d.redirect_uris.contains(uri) {
            let what = What::OtherUri {
                uri: uri.clone(),
                platform,
            };
            x.push("other_uri", Level::Info, None, false, what);
        }
    }
}

fn service_principal(x: &mut Exam<'_>, a: &AppState, t: &Tenant) {
    let (level, fixable, what) = match &t.sp {
        None => (
            Level::Error,
            true,
            What::NoSp {
                client_id: a.app_id.clone(),
            },
        ),
        Some((_, false)) => (Level::Error, false, What::SpDisabled),
        Some((_, true)) => (Level::Ok, false, What::SpOk),
    };
    x.push("service_principal", level, None, fixable, what);
}

/// The API permissions on the app, and the admin consent for them.
fn permissions(x: &mut Exam<'_>, a: &AppState, t: &Tenant) {
    let d = x.d;
    let perm_step = x.step(crate::core::report::PERMISSIONS_FIELD);
    let missing: Vec<_> = d
        .permissions
        .iter()
        .filter(|p| {
            !a.graph_access
                .iter()
                .any(|g| g.id == p.id && g.kind == p.kind)
        })
        .collect();
    for m in &missing {
        let what = What::PermissionMissing {
            name: m.name.to_string(),
            application: m.kind == Kind::Application,
        };
        x.push("permission", Level::Error, perm_step.clone(), true, what);
    }
    if missing.is_empty() && !d.permissions.is_empty() {
        let what = What::PermissionsOk {
            count: d.permissions.len(),
        };
        x.push("permission", Level::Ok, perm_step, false, what);
    }
    if !d.consent || d.permissions.is_empty() && t.sp.is_none() {
        return;
    }
    let consent_step = x.step(crate::core::report::CONSENT_FIELD);
    // Consent recorded as given while there is no service principal: nothing can hold it, a
    // finding of its own (the one above says why).
    let scopes: &[String] = t.grant.as_ref().map(|(_, s)| s.as_slice()).unwrap_or(&[]);
    let unconsented: Vec<(String, bool)> = d
        .permissions
        .iter()
        .filter(|p| {
            t.sp.is_none()
                || match p.kind {
                    Kind::Delegated => !scopes.iter().any(|s| s == p.name),
                    Kind::Application => !t.roles.iter().any(|r| r == p.id),
                }
        })
        .map(|p| (p.name.to_string(), p.kind == Kind::Application))
        .collect();
    if unconsented.is_empty() {
        x.push("consent", Level::Ok, consent_step, false, What::ConsentOk);
    } else {
        let what = What::ConsentMissing { names: unconsented };
        x.push("consent", Level::Error, consent_step, true, what);
    }
}

/// The secret in use: by the key azreg recorded, else by the first three characters Graph
/// keeps of every secret (the latest-ending of several); its end in Azure (returned), the
/// other secrets, a rotation in progress.
fn secrets(
    x: &mut Exam<'_>,
    a: &AppState,
    r: &Recorded,
    (recorded_expiry, today): (Option<&str>, Date),
) -> Option<String> {
    let in_use: Option<&Cred> = crate::core::plan::secret_in_use(a, r);
    let mut azure_end = None;
    match (r.secret_hint.as_deref(), in_use) {
        (None, _) => {
            let step = x.step("client_secret");
            x.push(
                "secret",
                Level::Warning,
                step,
                false,
                What::NoSecretRecorded,
            );
        }
        (Some(h), None) => {
            let step = x.step("secret_description");
            let what = What::SecretNotOnApp {
                hint: h.to_string(),
            };
            x.push("secret", Level::Error, step, true, what);
        }
        (Some(_), Some(c)) => {
            secret_in_use(x, c, (recorded_expiry, today));
            azure_end = Some(c.end.clone());
        }
    }
    for c in a
        .creds
        .iter()
        .filter(|c| Some(c.key_id.as_str()) != in_use.map(|u| u.key_id.as_str()))
    {
        let what = What::OtherSecret {
            hint: c.hint.clone(),
            name: c.display_name.clone(),
            end: date_of(&c.end).to_string(),
        };
        x.push("other_secret", Level::Info, None, false, what);
    }
    if let Some((key, hint)) = &r.rotation_old {
        let what = What::Rotation {
            hint: hint.clone().unwrap_or_default(),
            on_app: a.creds.iter().any(|c| c.key_id.eq_ignore_ascii_case(key)),
        };
        x.push("rotation", Level::Info, None, false, what);
    }
    azure_end
}

/// The secret in use: expired, expiring or fine, and whether its end is the recorded one.
fn secret_in_use(x: &mut Exam<'_>, c: &Cred, (recorded_expiry, today): (Option<&str>, Date)) {
    let end = date_of(&c.end).to_string();
    let days = last_day(&c.end).map_or(0, |l| (l - today).whole_days());
    let hint = c.hint.clone();
    let fix_step = x.step("secret_description");
    if days < 0 {
        let what = What::SecretExpired {
            hint,
            end: end.clone(),
        };
        x.push("secret", Level::Error, fix_step, true, what);
    } else if days <= EXPIRING_DAYS {
        let what = What::SecretExpiring {
            hint,
            end: end.clone(),
            days,
        };
        x.push("secret", Level::Warning, fix_step, true, what);
    } else {
        let step = x.step("client_secret");
        let what = What::SecretOk {
            hint,
            end: end.clone(),
            days,
        };
        x.push("secret", Level::Ok, step, false, what);
    }
    if let Some(rec) = recorded_expiry.filter(|r| !r.is_empty())
        && last_day(&c.end)
            .map(crate::core::fields::format_date)
            .as_deref()
            != Some(rec)
        && rec != end
    {
        let step = x.step("secret_expiry");
        let what = What::ExpiryDiffers {
            recorded: rec.to_string(),
            azure: end,
        };
        x.push("secret_expiry", Level::Warning, step, false, what);
    }
}

/// The app's owners; none is a warning `azreg apply` fixes when a person is signed in.
fn owners(x: &mut Exam<'_>, a: &AppState, t: &Tenant) {
    if a.owners.is_empty() {
        let fixable = t.who.user_id.is_some();
        x.push("owners", Level::Warning, None, fixable, What::NoOwners);
    } else {
        let what = What::Owners {
            names: a.owners.clone(),
        };
        x.push("owners", Level::Ok, None, false, what);
    }
}

impl Finding {
    /// One line: the mark, the message, where it is fixed.
    /// Names, URIs and descriptions in it come from Graph: cleaned for a terminal here, once,
    /// for every front end.
    pub fn line(&self, lang: Lang) -> String {
        let what = crate::text::one_line(&self.what.message(lang)).into_owned();
        let mut s = format!("{} {what}", self.level.mark());
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
            "message": crate::text::one_line(&self.what.message(lang)),
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
            "signed_in": self.who.to_json(),
            "ok": !self.failed(false),
            "secret_expiry": {"recorded": recorded_expiry, "azure": self.azure_expiry()},
            "findings": self.findings.iter().map(|f| f.to_json(lang)).collect::<Vec<_>>(),
        })
    }

    /// The findings as text, worst first within their order, each on a line.
    pub fn text(&self, lang: Lang) -> String {
        let who = self.who.shown(lang);
        let tenant = match &self.who.tenant_name {
            Some(n) => format!("{n} ({})", self.who.tenant_id),
            None => self.who.tenant_id.clone(),
        };
        let mut s = tr!(
            lang,
            "Signed in as {who} to {tenant}.",
            "Angemeldet als {who} bei {tenant}.",
            who = who,
            tenant = tenant,
        );
        s = crate::text::one_line(&s).into_owned() + "\n";
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

mod words;

#[cfg(test)]
mod tests;
