//! `azreg script az|powershell`: the registration (or a renewal of its secret) as a script, from
//! the same plan `azreg apply` executes (`scripts`, `core::plan::for_script`).

use std::io::Write;

use super::{EXIT_CHECK, EXIT_OK, EXIT_USAGE, Env, Failure, Outcome, handed_on};
use crate::core::fields::is_guid;
use crate::core::plan::record::{self, renewal_end};
use crate::core::plan::{self, Goal, SecretSpec};
use crate::core::report::Report;
use crate::i18n::L;
use crate::scripts::{self, Script};
use crate::tr;

/// Which script (`azreg script KIND`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScriptKind {
    /// bash with the Azure CLI
    Az,
    /// Microsoft Graph PowerShell
    Powershell,
}

/// `azreg script`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    pub kind: ScriptKind,
    /// Write the script even while a value it needs is missing or in error
    #[arg(long)]
    pub allow_incomplete: bool,
    /// Only a new client secret for the recorded app, beside the old one (never removing
    /// any)
    #[arg(long)]
    pub renew: bool,
    /// With --renew: when the new secret expires, as YYYY-MM-DD or days from today
    /// [default: the recommended 180 days]
    #[arg(long, requires = "renew", value_name = "DATE|DAYS")]
    pub expires: Option<String>,
    /// Add a client secret although the one azreg recorded is on the app
    #[arg(long, conflicts_with = "renew")]
    pub new_secret: bool,
    /// Work on this existing app (its client ID) instead of creating one
    #[arg(long, value_name = "CLIENT_ID", conflicts_with = "renew")]
    pub adopt: Option<String>,
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

/// `azreg script`.
pub fn exec(env: &Env, a: &Args, out: &mut dyn Write) -> Outcome {
    run(
        env,
        a.kind,
        &ScriptArgs {
            allow_incomplete: a.allow_incomplete,
            renew: a.renew.then(|| a.expires.clone().unwrap_or_default()),
            new_secret: a.new_secret,
            adopt: a.adopt.clone(),
        },
        out,
    )
}

pub fn run(env: &Env, kind: ScriptKind, args: &ScriptArgs, out: &mut dyn Write) -> Outcome {
    let progress = env.load()?;
    let r = Report::new(&env.procedure, &progress, env.today);
    let lang = env.procedure.lang();
    let mut recorded =
        record::recorded(&progress).map_err(|b| Failure::new(EXIT_CHECK, b.message(lang)))?;
    if let Some(a) = &args.adopt {
        if !is_guid(a.trim()) {
            return Err(Failure::new(
                EXIT_USAGE,
                tr!(
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
        let end = renewal_end(r.procedure, r.today, expires).ok_or_else(|| {
            Failure::new(
                EXIT_USAGE,
                tr!(
                    lang,
                    "--expires {:?}: a date (YYYY-MM-DD, in the future) or days from today (1 to 730)",
                    "--expires {:?}: ein Datum (JJJJ-MM-TT, in der Zukunft) oder Tage ab heute (1 bis 730)",
                    crate::text::clean_for_display(expires)
                ),
            )
        })?;
        if recorded.client_id.is_none() {
            return Err(Failure::new(
                EXIT_CHECK,
                tr!(
                    lang,
                    "the renewal script needs the app's client ID (step {s})",
                    "das Erneuerungsskript braucht die Client-ID der App (Schritt {s})",
                    s = env.procedure.step_of_field("client_id"),
                ),
            ));
        }
        Goal::Renew {
            secret: SecretSpec { description, end },
            remove_old: false,
        }
    } else {
        let d = record::desired(&r, args.allow_incomplete).map_err(|u| {
            super::refused(L::new("the script", "das Skript"), &u, lang).or_allow_incomplete(lang)
        })?;
        Goal::Register(d)
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
        client_id_step: env.procedure.step_of_field("client_id").to_string(),
        goal,
        key,
    };
    let kind = match kind {
        ScriptKind::Az => scripts::Kind::Az,
        ScriptKind::Powershell => scripts::Kind::Powershell,
    };
    out.write_all(scripts::render(&script, kind).as_bytes())
        .map_err(|e| Failure::write(e, lang))?;
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests;
