//! `azreg script az|powershell`: the registration (or a renewal of its secret) as a script for
//! the Azure CLI or Microsoft Graph PowerShell, rendered from the same plan type `azreg apply`
//! executes (`plan::for_script`): the same operations, the same writes (`plan::Op::writes`),
//! the same reading of Graph's answers (`plan::answers`). The script reads the tenant when it
//! runs and does each operation only where needed: the app found by its recorded client ID (or
//! created under azreg's key, never taken by its name), lag and throttling waited out, "exists"
//! taken as done, and no second secret on a re-run unless asked (`--new-secret`).
//!
//! Every value reaches the script as data: in bash inside single quotes, as JSON made here; in
//! PowerShell inside single-quoted strings with all five of its quote characters doubled.
//! Facts: DOMAIN.md ("What the real Azure CLI does", "PowerShell quoting", "Replication lag").

mod bash;
mod powershell;

use std::io::Write;

use super::{EXIT_OK, Env, Failure, Outcome, handed_on, sh_quote};
use crate::cli::ScriptKind;
use crate::fields::{FieldState, is_guid};
use crate::i18n::L;
use crate::permissions::{self, Permission};
use crate::plan::{self, Goal, Plan, SecretSpec};
use crate::report::{CONSENT_FIELD, PERMISSIONS_FIELD, Report};

pub use powershell::{PS_SINGLE_QUOTES, ps_quote};

/// The values a script needs, by field id, in the order of `Inputs`.
const NEEDED: [&str; 8] = [
    "app_name",
    "account_type",
    "web_redirect_uri",
    "spa_redirect_uri",
    "secret_description",
    "secret_expiry",
    PERMISSIONS_FIELD,
    CONSENT_FIELD,
];

#[derive(Debug, Clone)]
pub struct Inputs {
    pub name: String,
    pub audience: String,
    pub web: String,
    pub spa: String,
    pub description: String,
    pub end_date: String,
    pub permissions: Vec<Permission>,
    pub consent: bool,
    /// The client ID azreg recorded: the script updates that app instead of creating one.
    pub client_id: Option<String>,
    pub tenant_id: Option<String>,
}

/// What a script is made from: the plan, and what it needs besides.
pub struct Script {
    pub plan: Plan,
    pub goal: Goal,
    /// The app's client ID, when the record (or `--adopt`) names one.
    pub client_id: Option<String>,
    pub tenant_id: Option<String>,
    /// The key a new app is created under (`uniqueName`).
    pub key: String,
    /// The secret azreg recorded: no second one while it is on the app.
    pub recorded_key: Option<String>,
    pub new_secret: bool,
}

impl Script {
    fn desired(&self) -> Option<&plan::Desired> {
        match &self.goal {
            Goal::Register(d) => Some(d),
            Goal::Renew { .. } => None,
        }
    }
}

/// The choices of `azreg script`.
#[derive(Debug, Clone, Default)]
pub struct ScriptArgs {
    pub allow_incomplete: bool,
    /// `--renew [--expires ...]`: the new expiry, "" for the default.
    pub renew: Option<String>,
    pub new_secret: bool,
    pub adopt: Option<String>,
}

pub fn run(env: &Env, kind: ScriptKind, args: &ScriptArgs, out: &mut dyn Write) -> Outcome {
    let progress = env.load()?;
    let r = Report::new(&env.procedure, &progress, env.today);
    let lang = env.procedure.lang();
    let mut recorded =
        super::apply::recorded(&progress, lang).map_err(|e| Failure::new(super::EXIT_CHECK, e))?;
    if let Some(a) = &args.adopt {
        if !is_guid(a.trim()) {
            return Err(Failure::new(
                super::EXIT_USAGE,
                crate::tr!(
                    lang,
                    "--adopt: a client ID (GUID)",
                    "--adopt: eine Client-ID (GUID)"
                ),
            ));
        }
        recorded.client_id = Some(a.trim().to_ascii_lowercase());
    }
    let goal = if let Some(expires) = &args.renew {
        // A renewal needs the app's client ID and a description; the new expiry comes from
        // --expires, so the recorded one stays the old secret's until the import.
        let what = L::new("the renewal script", "das Erneuerungsskript");
        let got = handed_on(
            &r,
            &["client_id", "secret_description"],
            args.allow_incomplete,
            what,
        )?;
        let description = got.into_iter().nth(1).flatten().unwrap_or_default();
        let end = renewal_end(&r, expires).ok_or_else(|| {
            Failure::new(
                super::EXIT_USAGE,
                crate::tr!(
                    lang,
                    "--expires {:?}: a date (YYYY-MM-DD, in the future) or days from today (1 to 730)",
                    "--expires {:?}: ein Datum (JJJJ-MM-TT, in der Zukunft) oder Tage ab heute (1 bis 730)",
                    crate::text::clean_for_display(expires)
                ),
            )
        })?;
        if recorded.client_id.is_none() {
            return Err(Failure::new(
                super::EXIT_CHECK,
                crate::tr!(
                    lang,
                    "the renewal script needs the app's client ID (step {s})",
                    "das Erneuerungsskript braucht die Client-ID der App (Schritt {s})",
                    s = super::apply::step_label(&env.procedure)("client_id"),
                ),
            ));
        }
        Goal::Renew {
            secret: SecretSpec { description, end },
            remove_old: false,
        }
    } else {
        let i = inputs(
            &r,
            args.allow_incomplete,
            L::new("the script", "das Skript"),
        )?;
        Goal::Register(super::apply::desired(&r, &i))
    };
    let key = recorded
        .unique_name
        .clone()
        .unwrap_or_else(|| format!("azreg-{}", uuid::Uuid::new_v4()));
    let script = Script {
        plan: plan::for_script(&goal, &recorded, &key),
        client_id: recorded.client_id.clone(),
        tenant_id: recorded.tenant_id.clone(),
        recorded_key: recorded.secret_key_id.clone(),
        new_secret: args.new_secret,
        goal,
        key,
    };
    let text = match kind {
        ScriptKind::Az => bash::render(&script),
        ScriptKind::Powershell => powershell::render(&script),
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Failure::write(e, env.procedure.lang()))?;
    Ok(EXIT_OK)
}

/// The new secret's end for `--renew --expires DATE|DAYS`; empty: the recommended preset.
pub(crate) fn renewal_end(r: &Report, expires: &str) -> Option<String> {
    let days = |d: u32| {
        Some(crate::fields::format_date(crate::fields::preset_date(
            r.today, d,
        )))
        .filter(|_| (1..=730).contains(&d))
    };
    if expires.trim().is_empty() {
        let recommended = r
            .procedure
            .fields
            .iter()
            .find_map(|f| f.recommended)
            .unwrap_or(180);
        return days(recommended);
    }
    if let Ok(n) = expires.trim().parse::<u32>() {
        return days(n);
    }
    crate::fields::parse_date(expires.trim())
        .filter(|d| *d > r.today)
        .map(crate::fields::format_date)
}

/// A recorded GUID field that passes its checks.
fn recorded_guid(r: &Report, id: &str) -> Option<String> {
    let spec = r.procedure.field(id)?;
    let a = r.ctx().assess(spec);
    let usable = matches!(a.state(), FieldState::Ok | FieldState::Warning);
    a.value.filter(|v| usable && is_guid(v))
}

/// The values a script or `apply` needs; `what` names which, in a refusal.
pub(crate) fn inputs(r: &Report, allow_incomplete: bool, what: L) -> Result<Inputs, Failure> {
    let got = handed_on(r, &NEEDED, allow_incomplete, what)?;
    let mut it = got.into_iter().map(Option::unwrap_or_default);
    let mut next = || it.next().unwrap_or_default();
    let (name, audience, web, spa, description, end_date) =
        (next(), next(), next(), next(), next(), next());
    let permissions = permissions::parse(&next(), r.procedure.lang()).unwrap_or_default();
    let consent = next() == "yes";
    Ok(Inputs {
        name,
        audience,
        web,
        spa,
        description,
        end_date,
        permissions,
        consent,
        client_id: recorded_guid(r, "client_id"),
        tenant_id: recorded_guid(r, "tenant_id"),
    })
}

fn json(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// An OData string literal: quotes doubled (OData ABNF `SQUOTE-in-string`).
fn odata(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[cfg(test)]
mod tests;
