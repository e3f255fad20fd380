//! `azreg doctor`: sign in, read the registration as Azure has it (GETs only), and hold it
//! against what the connector needs and what the record says (`core::doctor`). Also the read
//! that `azreg secrets`, `azreg delete` and `check --online` start from.

use std::io::Write;

use super::apply::{SignInArgs, runtime};
use super::{EXIT_CHECK, EXIT_OK, EXIT_USAGE, Env, Failure, Outcome};
use crate::core::doctor::{self, Examined};
use crate::core::plan::{self, Recorded, Tenant};
use crate::core::progress::Progress;
use crate::core::report::Report;
use crate::i18n::Lang;
use crate::remote::graph::Graph;
use crate::tr;

/// `azreg doctor`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub sign_in: SignInArgs,
    /// Read this app (its application (client) ID) instead of the recorded one
    #[arg(long, value_name = "GUID")]
    pub client_id: Option<String>,
    /// The findings as one JSON object (id, severity, step, message, fixable)
    #[arg(long)]
    pub json: bool,
    /// Exit 1 on warnings too (no owners, an expiring secret, nothing recorded)
    #[arg(long)]
    pub strict: bool,
}

/// What a read of the registration leaves: the tenant as read, and the signed-in client for
/// writes that follow (through a plan).
pub struct Read {
    pub progress: Progress,
    pub recorded: Recorded,
    pub tenant: Tenant,
    pub graph: Graph,
    pub rt: tokio::runtime::Runtime,
    /// The app was named on the command line, not by the record.
    pub named: bool,
}

impl Read {
    /// The expiry typed at step 19, when the app read is the recorded one.
    fn recorded_expiry(&self) -> Option<&str> {
        (!self.named)
            .then(|| {
                self.progress
                    .values
                    .get("secret_expiry")
                    .map(String::as_str)
            })
            .flatten()
    }
}

/// `--client-id`, checked: a GUID, lower case.
fn client_id_arg(client_id: Option<&str>, lang: Lang) -> Result<Option<String>, Failure> {
    match client_id.map(str::trim) {
        None => Ok(None),
        Some(c) if crate::core::fields::is_guid(c) => Ok(Some(c.to_ascii_lowercase())),
        Some(_) => Err(Failure::new(
            EXIT_USAGE,
            tr!(
                lang,
                "--client-id: an application (client) ID (GUID)",
                "--client-id: eine Anwendungs-ID (Client-ID) (GUID)"
            ),
        )),
    }
}

/// Sign in and read the app the record (or `client_id`) names, with its service principal,
/// consent and owners. Nothing is written to the tenant.
pub fn read(env: &Env, sign: &SignInArgs, client_id: Option<&str>) -> Result<Read, Failure> {
    let lang = env.procedure.lang();
    let client_id = client_id_arg(client_id, lang)?;
    let progress = env.load()?;
    let recorded =
        plan::record::recorded(&progress).map_err(|b| Failure::new(EXIT_CHECK, b.message(lang)))?;
    if client_id.is_none()
        && recorded.client_id.is_none()
        && recorded.app_object_id.is_none()
        && recorded.unique_name.is_none()
    {
        return Err(Failure::new(
            EXIT_CHECK,
            tr!(
                lang,
                "no app is recorded: name it with --client-id (its application (client) ID), or record it first (azreg set client_id ...)",
                "keine App erfasst: nennen Sie sie mit --client-id (ihre Anwendungs-ID (Client-ID)) oder erfassen Sie sie zuerst (azreg set client_id ...)"
            ),
        ));
    }
    let r = Report::new(&env.procedure, &progress, env.today);
    let rt = runtime()?;
    let how = super::apply::sign_in_options(env, sign, &r)?;
    let named = client_id
        .as_deref()
        .is_some_and(|c| recorded.client_id.as_deref() != Some(c));
    // The session's gate, as every command that signs in: reads only here.
    let mut out = std::io::sink();
    let mut front = super::apply::front::CliFront::new(env, &mut out, (false, sign.clipboard));
    let (graph, tenant) = rt
        .block_on(crate::engine::session::examine(
            &mut front,
            &how,
            (&progress, client_id.as_deref().filter(|_| named)),
            (lang, sign.wait),
        ))
        .map_err(|e| super::apply::failure_of(e, env))?;
    Ok(Read {
        progress,
        recorded,
        tenant,
        graph,
        rt,
        named,
    })
}

/// Hold what was read against the record.
pub fn examine(env: &Env, read: &Read) -> Examined {
    let r = Report::new(&env.procedure, &read.progress, env.today);
    // What there is of the registration the record asks for (a hand-made one may lack values).
    let desired = plan::record::desired(&r, true).unwrap_or_default();
    let recorded = if read.named {
        Recorded {
            tenant_id: read.recorded.tenant_id.clone(),
            ..Recorded::default()
        }
    } else {
        read.recorded.clone()
    };
    doctor::examine(
        &env.procedure,
        &desired,
        &recorded,
        read.recorded_expiry(),
        &read.tenant,
        env.today,
    )
}

/// Keep Azure's end of the secret in use in the record (for `status` and monitoring); a file
/// another azreg holds is left alone, with a word on stderr.
pub fn remember(env: &Env, end: &str) {
    let lang = env.procedure.lang();
    let kept = env.open().and_then(|mut o| {
        let now = crate::io::clock::now();
        if !crate::core::edit::applied::azure_end_read(&mut o.progress, end, now) {
            return Ok(());
        }
        env.save_opened(&mut o)
    });
    if let Err(f) = kept {
        eprintln!(
            "azreg: {}",
            tr!(
                lang,
                "Azure's expiry date was not recorded: {why}",
                "das Ablaufdatum aus Azure wurde nicht erfasst: {why}",
                why = f.message,
            )
        );
    }
}

/// `azreg doctor`.
pub fn exec(env: &Env, a: &Args, out: &mut dyn Write) -> Outcome {
    run(
        env,
        &a.sign_in,
        a.client_id.as_deref(),
        a.json,
        a.strict,
        out,
    )
}

pub fn run(
    env: &Env,
    sign: &SignInArgs,
    client_id: Option<&str>,
    json: bool,
    strict: bool,
    out: &mut dyn Write,
) -> Outcome {
    let lang = env.procedure.lang();
    let io = |e: std::io::Error| Failure::write(e, lang);
    let read = read(env, sign, client_id)?;
    let examined = examine(env, &read);
    if let Some(end) = &examined.azure_end
        && !read.named
    {
        remember(env, end);
    }
    if json {
        write!(
            out,
            "{}",
            crate::cli::json_text(examined.to_json(lang, read.recorded_expiry()))
        )
        .map_err(io)?;
    } else {
        write!(out, "{}", examined.text(lang)).map_err(io)?;
    }
    Ok(if examined.failed(strict) {
        EXIT_CHECK
    } else {
        EXIT_OK
    })
}
