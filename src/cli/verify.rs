//! `azreg verify`: the live check from the command line.

use crate::core::edit::applied;
use crate::i18n::Worded;
use std::io::{BufRead, Read, Write};
use std::time::Duration;

use super::{EXIT_CHECK, EXIT_USAGE, Env, Failure, Outcome};
use crate::remote::verify::{self, HEURISTIC_NOTE};
use crate::secret::Secret;
use crate::tr;

/// `azreg verify`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Directory (tenant) ID to check instead of the stored one
    #[arg(long, value_name = "ID")]
    pub tenant: Option<String>,
    /// Application (client) ID to check instead of the stored one
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// Read the client secret from the first line of stdin
    #[arg(long)]
    pub secret_stdin: bool,
    /// The identity platform [default: the progress file's, else https://login.microsoftonline.com]
    #[arg(long, value_name = "URL")]
    pub authority: Option<String>,
    /// Keep --authority in the progress file for later checks (without it, it counts for this
    /// run only)
    #[arg(long, requires = "authority")]
    pub save_authority: bool,
    /// Seconds the whole check may take (the checks run at once)
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub timeout: f64,
    /// One JSON object at the end instead of a line per check as it ends (schema:
    /// assets/schemas/verify.schema.json)
    #[arg(long)]
    pub json: bool,
}

/// Build the check from the progress file and the command line's overrides.
pub fn request(
    env: &Env,
    progress: &crate::core::progress::Progress,
    args: &Args,
    secret: Option<Secret>,
) -> Result<verify::Request, Failure> {
    let overrides = verify::Overrides {
        authority: args.authority.clone(),
        tenant: args.tenant.clone(),
        client_id: args.client_id.clone(),
        secret,
    };
    verify::Request::from_progress(&env.procedure, progress, env.today, overrides).map_err(|e| {
        let lang = env.procedure.lang();
        let code = if e.is_usage() { EXIT_USAGE } else { EXIT_CHECK };
        let mut message = e.message(lang);
        // Here they can also be given on the command line.
        if !e.is_usage() {
            message.push_str(&tr!(
                lang,
                ", or give --tenant and --client-id",
                " oder geben Sie --tenant und --client-id an"
            ));
        }
        Failure::new(code, message)
    })
}

/// The most read from stdin for `--secret-stdin` (a secret has at most 64 characters).
const MAX_SECRET_LINE: u64 = 4096;

/// The secret from `--secret-stdin` (one bounded line), else `AZREG_CLIENT_SECRET`; `None`
/// falls back to the progress file.
fn given_secret(
    env: &Env,
    args: &Args,
    stdin: &mut dyn BufRead,
) -> Result<Option<Secret>, Failure> {
    Ok(if args.secret_stdin {
        // One line, and no more than a secret can be: /dev/zero on stdin must not grow
        // without end.
        let mut line = String::new();
        (&mut *stdin)
            .take(MAX_SECRET_LINE)
            .read_line(&mut line)
            .map_err(|e| {
                let lang = env.procedure.lang();
                Failure::new(
                    EXIT_USAGE,
                    tr!(
                        lang,
                        "cannot read stdin: {e}",
                        "stdin nicht lesbar: {e}",
                        e = e
                    ),
                )
            })?;
        if line.len() as u64 >= MAX_SECRET_LINE && !line.ends_with('\n') {
            return Err(Failure::new(
                EXIT_USAGE,
                "--secret-stdin: the first line is longer than any client secret (4 KiB); nothing was sent",
            ));
        }
        Some(Secret::from(line.trim()))
    } else {
        // Else the environment; `None` falls back to the progress file.
        std::env::var_os("AZREG_CLIENT_SECRET").map(|s| Secret::from(s.to_string_lossy().trim()))
    })
}

/// `verify --json`: machine ids in English whatever the language, the reader's label beside.
fn json_doc(
    req: &verify::Request,
    results: &verify::Results,
    authority: &str,
    lang: crate::i18n::Lang,
) -> serde_json::Value {
    // Machine ids in English whatever the language; the label beside them is the reader's.
    let ids = ["tenant".to_string(), "credentials".to_string()]
        .into_iter()
        .chain(req.redirect_ids.iter().cloned());
    let checks: Vec<_> = results
        .lines(lang)
        .into_iter()
        .zip(ids)
        .map(|((what, o), id)| {
            let outcome = match o {
                verify::Outcome::Pass(_) => "pass",
                verify::Outcome::Fail(_) => "fail",
                verify::Outcome::Unreachable(_) => "unreachable",
                verify::Outcome::Skipped(_) => "skipped",
            };
            serde_json::json!({"check": id, "label": what, "outcome": outcome, "message": o.message()})
        })
        .collect();
    serde_json::json!({
        "schema": "azreg.verify",
        "version": 1,
        "authority": authority,
        "checks": checks,
        "exit_code": crate::cli::exit::of(results.verdict()),
    })
}

pub fn run(env: &Env, args: &Args, stdin: &mut dyn BufRead, out: &mut dyn Write) -> Outcome {
    let progress = env.load()?;
    let secret = given_secret(env, args, stdin)?;
    let req = request(env, &progress, args, secret)?;
    // The secret goes to Microsoft's identity platform, or to one named on this command line:
    // one only the progress file names is asked about (a file another hand edited must not
    // send the secret elsewhere unasked), as for apply.
    let (_, check) = crate::engine::prepare::check_target(
        args.authority.as_deref(),
        &progress,
        crate::remote::graph::DEFAULT_GRAPH,
    )
    .map_err(|e| Failure::new(EXIT_USAGE, e.message(env.procedure.lang())))?;
    if !check.trusted {
        confirm_host(&check.host, stdin, env.procedure.lang())?;
    }
    if !(args.timeout > 0.0 && args.timeout <= 600.0) {
        return Err(Failure::new(EXIT_USAGE, "--timeout takes 0 to 600 seconds"));
    }
    let budget = Duration::from_secs_f64(args.timeout);
    let http = crate::remote::http::client(budget, &req.authority)
        .map_err(|e| Failure::new(EXIT_USAGE, e.message(env.procedure.lang())))?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::new(EXIT_USAGE, e.to_string()))?;
    let io = |e: std::io::Error| Failure::write(e, env.procedure.lang());
    let lang = env.procedure.lang();
    let authority = req.authority.as_str().trim_end_matches('/');
    if !args.json {
        writeln!(
            out,
            "{}",
            tr!(
                lang,
                "Live check against {authority}",
                "Live-Prüfung gegen {authority}",
                authority = authority,
            )
        )
        .and_then(|_| out.flush())
        .map_err(io)?;
    }
    // --timeout bounds the whole run. Each check's line is printed as it ends (a write error,
    // a closed pipe, is met at the end).
    let mut written = Ok(());
    let results = rt.block_on(verify::run_reporting(
        &http,
        &req,
        budget,
        &mut |what, o| {
            if !args.json && written.is_ok() {
                written =
                    writeln!(out, "{} {what}: {}", o.mark(), o.message()).and_then(|_| out.flush());
            }
        },
    ));
    written.map_err(io)?;
    if args.json {
        let doc = json_doc(&req, &results, authority, lang);
        write!(out, "{}", crate::cli::json_text(doc)).map_err(io)?;
    } else if !req.redirect_uris.is_empty() {
        writeln!(out, "{}", HEURISTIC_NOTE.get(lang)).map_err(io)?;
    }
    if results.credentials_ok() {
        // A file open in the walkthrough, or a failed save, must not hide the result: say it
        // and keep the exit code.
        let saved = env.open().and_then(|mut opened| {
            // What was proved is the record itself: its earlier secrets are not needed now.
            let recorded = |id: &str| opened.progress.values.get(id).map(String::as_str);
            let is_record = recorded("client_id") == Some(req.client_id.as_str())
                && recorded("tenant_id") == Some(req.tenant.as_str())
                && req.secret.as_ref().map(|s| s.expose()) == recorded("client_secret");
            applied::check_passed(&mut opened.progress, is_record, crate::io::clock::now());
            // Only when asked: a check against another platform is not a choice for later ones.
            if args.save_authority {
                applied::authority_kept(&mut opened.progress, args.authority.clone());
            }
            env.save_opened(&mut opened)
        });
        if let Err(f) = saved {
            let m = &f.message;
            eprintln!(
                "azreg: {}",
                tr!(
                    lang,
                    "the time of this check was not saved: {m}",
                    "der Zeitpunkt dieser Prüfung wurde nicht gespeichert: {m}",
                    m = m,
                )
            );
        }
    }
    Ok(crate::cli::exit::of(results.verdict()))
}

/// Ask before the secret goes to an identity platform only the progress file names; without a
/// terminal, refuse.
fn confirm_host(
    host: &str,
    stdin: &mut dyn BufRead,
    lang: crate::i18n::Lang,
) -> Result<(), Failure> {
    let host = crate::text::one_line(host);
    let refused = || {
        Failure::new(
            EXIT_CHECK,
            tr!(
                lang,
                "the progress file names {host} as the identity platform, and the secret goes there only when --authority names it or you confirm it in a terminal; nothing was sent",
                "die Fortschrittsdatei nennt {host} als Identitätsplattform, und der Schlüssel geht dorthin nur, wenn --authority sie nennt oder Sie es in einem Terminal bestätigen; nichts wurde gesendet",
                host = host,
            ),
        )
    };
    let question = tr!(
        lang,
        "The progress file names {host} as the identity platform: send the client secret there? [y/N] ",
        "Die Fortschrittsdatei nennt {host} als Identitätsplattform: den geheimen Clientschlüssel dorthin senden? [j/N] ",
        host = host,
    );
    match super::ask_yes(&question, stdin) {
        Some(true) => Ok(()),
        _ => Err(refused()),
    }
}
