//! `azreg secrets` (the app's password credentials as Azure has them), `azreg secrets remove
//! KEYID` and `azreg delete`: read first, then a plan (`core::plan::cleanup`) shown, confirmed
//! and journaled like apply's.

use std::io::{BufRead, IsTerminal, Read as _, Write};

use super::apply::{SignInArgs, confirm};
use super::doctor::{Read, read};
use super::{EXIT_CHECK, EXIT_OK, EXIT_USAGE, Env, Failure, Outcome};
use crate::core::plan::{self, Found, Plan};
use crate::engine::{Ctx, Front as _, prepare};
use crate::i18n::{Lang, Worded};
use crate::tr;

/// `azreg secrets`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<SecretsAction>,
    #[command(flatten)]
    pub sign_in: SignInArgs,
    /// List this app's secrets (its application (client) ID) instead of the recorded app's
    #[arg(long, value_name = "GUID")]
    pub client_id: Option<String>,
    /// The list as one JSON object
    #[arg(long)]
    pub json: bool,
}

/// `azreg delete`.
#[derive(Debug, Clone, clap::Args)]
pub struct DeleteArgs {
    #[command(flatten)]
    pub sign_in: SignInArgs,
    /// The app's display name, to confirm without a terminal
    #[arg(long, value_name = "NAME")]
    pub confirm_name: Option<String>,
}

/// `azreg secrets remove`.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum SecretsAction {
    /// Remove one client secret by its key ID, after showing it and asking
    Remove {
        /// The secret's key ID (azreg secrets lists them)
        #[arg(value_name = "KEYID")]
        key_id: String,
        /// Do it without asking (required without a terminal)
        #[arg(long, short = 'y')]
        yes: bool,
        #[command(flatten)]
        sign_in: SignInArgs,
    },
}

/// `azreg secrets [--json]`.
/// `azreg secrets [remove KEYID]`.
pub fn exec(env: &Env, a: &Args, out: &mut dyn Write) -> Outcome {
    match &a.action {
        None => list(env, &a.sign_in, a.client_id.as_deref(), a.json, out),
        Some(SecretsAction::Remove {
            key_id,
            yes,
            sign_in,
        }) => {
            // The sign-in options count before `remove` as after it.
            let merged = a
                .sign_in
                .merged(sign_in)
                .map_err(|e| Failure::new(super::EXIT_USAGE, e))?;
            remove(env, &merged, key_id, *yes, out)
        }
    }
}

/// `azreg delete`.
pub fn exec_delete(env: &Env, a: &DeleteArgs, out: &mut dyn Write) -> Outcome {
    delete(env, &a.sign_in, a.confirm_name.as_deref(), out)
}

pub fn list(
    env: &Env,
    sign: &SignInArgs,
    client_id: Option<&str>,
    json: bool,
    out: &mut dyn Write,
) -> Outcome {
    let lang = env.procedure.lang();
    let io = |e: std::io::Error| Failure::write(e, lang);
    let read = read(env, sign, client_id)?;
    let Found::App(a) = &read.tenant.app else {
        return Err(Failure::new(EXIT_CHECK, plan::Cleanup::NoApp.message(lang)));
    };
    let in_use = if read.named {
        None
    } else {
        plan::secret_in_use(a, &read.recorded).map(|c| c.key_id.clone())
    };
    // Every read of the app refreshes Azure's end of the secret in use in the record.
    if !read.named
        && let Some(c) = plan::secret_in_use(a, &read.recorded)
    {
        super::doctor::remember(env, &c.end);
    }
    let mut creds: Vec<_> = a.creds.iter().collect();
    creds.sort_by(|x, y| x.end.cmp(&y.end));
    if json {
        let rows: Vec<_> = creds
            .iter()
            .map(|c| {
                serde_json::json!({
                    "key_id": c.key_id, "description": c.display_name, "hint": c.hint,
                    "start": c.start, "end": c.end,
                    "recorded": in_use.as_deref() == Some(c.key_id.as_str()),
                })
            })
            .collect();
        let doc = serde_json::json!({
            "schema": "azreg.secrets", "version": 1,
            "client_id": a.app_id, "secrets": rows,
        });
        write!(out, "{}", super::json_text(doc)).map_err(io)?;
        return Ok(EXIT_OK);
    }
    let mut text = tr!(
        lang,
        "Client secrets of {name} ({client_id}), as Azure has them:\n",
        "Geheime Clientschlüssel von {name} ({client_id}), wie Azure sie hat:\n",
        name = a.display_name,
        client_id = a.app_id,
    );
    if creds.is_empty() {
        text += &tr!(lang, "  (none)\n", "  (keine)\n");
    }
    for c in &creds {
        let last = crate::core::fields::last_day_of_end(&c.end);
        let state = match last.map(|l| (l - env.today).whole_days()) {
            Some(d) if d < 0 => tr!(lang, "expired", "abgelaufen"),
            Some(d) => format!("in {}", crate::i18n::nouns::DAYS_DATIVE.count(lang, d)),
            None => "?".into(),
        };
        let recorded = if in_use.as_deref() == Some(c.key_id.as_str()) {
            tr!(
                lang,
                "  ← recorded, used by Intrexx",
                "  ← erfasst, von Intrexx verwendet"
            )
        } else {
            String::new()
        };
        text += &format!(
            "  {key}  {hint}…  {desc:<24}  {start} → {end} ({state}){recorded}\n",
            key = c.key_id,
            hint = c.hint,
            desc = c.display_name,
            start = c.start.get(..10).unwrap_or(&c.start),
            end = c.end.get(..10).unwrap_or(&c.end),
        );
    }
    write!(out, "{}", crate::text::clean_for_display(&text)).map_err(io)?;
    Ok(EXIT_OK)
}

/// The plan's context: no steps to tick, no live check.
fn ctx(env: &Env) -> Ctx<'_> {
    Ctx {
        procedure: &env.procedure,
        today: env.today,
        authority: url::Url::parse(crate::remote::verify::DEFAULT_AUTHORITY).expect("a valid URL"),
        parts: Vec::new(),
        renewal: false,
        now: crate::io::clock::now,
    }
}

/// Show the plan, then (once confirmed) do it on the locked file: the session's gate, as for
/// apply (confirmation, journal, exactly the plan).
fn show_and_do<'a>(
    env: &'a Env,
    read: Read,
    plan: Plan,
    confirmed: impl FnMut(&Plan) -> Result<(), Failure> + 'a,
    out: &'a mut dyn Write,
) -> Outcome {
    let mut plan = plan;
    plan.graph_host = read.graph.base().host_str().unwrap_or_default().to_string();
    let mut front =
        super::apply::front::CliFront::new(env, out, (false, crate::io::clipboard::Mode::Off));
    // The file is locked from before the plan is shown to the end of the writes.
    let progress = front
        .record(true)
        .map_err(|why| Failure::new(crate::cli::exit::FILE, why))?;
    front.confirm_with = Some(Box::new(confirmed));
    let ctx = ctx(env);
    let ended = read.rt.block_on(crate::engine::session::carry(
        &mut front,
        &read.graph,
        &plan,
        &ctx,
        (progress, prepare::backoff(None)),
    ));
    match ended {
        Ok(crate::engine::session::Ended::Done(Some(results))) => {
            Ok(crate::cli::exit::of(results.verdict()))
        }
        Ok(_) => Ok(super::EXIT_OK),
        Err(crate::engine::JobError::Declined) if front.refused.is_some() => Err(front
            .refused
            .take()
            .unwrap_or_else(|| Failure::new(EXIT_CHECK, ""))),
        Err(e) => Err(super::apply::failure_of(e, env)),
    }
}

/// `azreg secrets remove KEYID [--yes]`.
pub fn remove(
    env: &Env,
    sign: &SignInArgs,
    key_id: &str,
    yes: bool,
    out: &mut dyn Write,
) -> Outcome {
    let lang = env.procedure.lang();
    if !crate::core::fields::is_guid(key_id.trim()) {
        return Err(Failure::new(
            EXIT_USAGE,
            tr!(
                lang,
                "KEYID: a secret's key ID (GUID; azreg secrets lists them)",
                "KEYID: die Schlüssel-ID eines Schlüssels (GUID; azreg secrets listet sie)"
            ),
        ));
    }
    let read = read(env, sign, None)?;
    let plan = plan::remove_secret(&read.tenant, &read.recorded, key_id, env.today)
        .map_err(|c| Failure::new(EXIT_CHECK, c.message(lang)))?;
    show_and_do(env, read, plan, |p| confirm(yes, p, lang), out)
}

/// `azreg delete [--confirm-name NAME]`: the admin types the app's display name (in a
/// terminal), or names it with `--confirm-name`.
pub fn delete(
    env: &Env,
    sign: &SignInArgs,
    confirm_name: Option<&str>,
    out: &mut dyn Write,
) -> Outcome {
    let lang = env.procedure.lang();
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if confirm_name.is_none() && !interactive {
        return Err(Failure::new(
            EXIT_CHECK,
            tr!(
                lang,
                "not a terminal: azreg delete needs the app's display name (--confirm-name NAME); nothing was changed",
                "kein Terminal: azreg delete braucht den Anzeigenamen der App (--confirm-name NAME); nichts wurde geändert"
            ),
        ));
    }
    let read = read(env, sign, None)?;
    let name = match &read.tenant.app {
        Found::App(a) => a.display_name.clone(),
        _ => String::new(),
    };
    // With the app's own name only the refusals that need no name remain (another tenant,
    // no app); the name typed is held against it once the plan was shown.
    let plan = plan::delete_app(&read.tenant, &read.recorded, &name)
        .map_err(|c| Failure::new(EXIT_CHECK, c.message(lang)))?;
    let (tenant, recorded) = (read.tenant.clone(), read.recorded.clone());
    show_and_do(
        env,
        read,
        plan,
        |_| {
            let typed = match confirm_name {
                Some(n) => n.to_string(),
                None => ask_name(&name, lang)?,
            };
            plan::delete_app(&tenant, &recorded, &typed)
                .map(|_| ())
                .map_err(|c| Failure::new(EXIT_CHECK, c.message(lang)))
        },
        out,
    )
}

/// The display name, typed on the terminal.
fn ask_name(name: &str, lang: Lang) -> Result<String, Failure> {
    eprint!(
        "{}",
        tr!(
            lang,
            "To delete it, type the app's display name ({name}): ",
            "Zum Löschen geben Sie den Anzeigenamen der App ein ({name}): ",
            name = crate::text::clean_for_display(name),
        )
    );
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .take(512)
        .read_line(&mut answer)
        .map_err(|e| Failure::new(EXIT_USAGE, e.to_string()))?;
    Ok(answer.trim_end_matches(['\r', '\n']).to_string())
}
