//! Signing in for `apply`: the Azure CLI's token (`--token-from-az`) or a device code
//! (`--device-code`, the code also copied in a terminal). The token lives in memory only.

use super::ApplyArgs;
use crate::commands::{EXIT_USAGE, Env, Failure};
use crate::graph::Graph;
use crate::i18n::Lang;
use crate::report::Report;
use crate::secret::Secret;
use crate::tr;

pub(super) fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::new(EXIT_USAGE, e.to_string()))
}

/// A Graph client with a token, by the sign-in chosen: the Azure CLI's, or a device code.
pub(super) fn sign_in(
    env: &Env,
    args: &ApplyArgs,
    rt: &tokio::runtime::Runtime,
    r: &Report,
) -> Result<Graph, Failure> {
    let lang = env.procedure.lang();
    let usage = |e: String| Failure::new(EXIT_USAGE, e);
    let (root, token) = if args.token_from_az {
        token_from_az(lang)?
    } else if args.device_code {
        let authority = crate::verify::parse_authority(
            args.authority
                .as_deref()
                .unwrap_or(crate::verify::DEFAULT_AUTHORITY),
            lang,
        )
        .map_err(usage)?;
        let root = args
            .graph
            .clone()
            .unwrap_or_else(|| "https://graph.microsoft.com".into());
        let tenant = args
            .tenant
            .clone()
            .or_else(|| r.progress.values.get("tenant_id").cloned())
            .unwrap_or_else(|| "organizations".into());
        let client_id = args
            .login_client_id
            .as_deref()
            .unwrap_or(crate::signin::AZURE_CLI_CLIENT_ID);
        if !crate::fields::is_guid(client_id) {
            return Err(usage(tr!(
                lang,
                "--login-client-id: not a GUID",
                "--login-client-id: keine GUID"
            )));
        }
        let http =
            crate::verify::client(crate::verify::DEFAULT_TIMEOUT, &authority).map_err(usage)?;
        let scope = format!("{}/.default", root.trim_end_matches('/'));
        // The clipboard that holds the code, kept while the sign-in runs: on X11 a copy lives
        // only as long as its owner.
        let mut kept: Option<crate::clipboard::Lazy> = None;
        let token = rt
            .block_on(crate::signin::device_code(
                &http,
                &authority,
                &tenant,
                client_id,
                &scope,
                lang,
                &mut |c| {
                    eprintln!(
                        "{}",
                        tr!(
                            lang,
                            "To sign in, open {uri} and enter the code {code} (valid {min} minutes).",
                            "Zum Anmelden öffnen Sie {uri} und geben den Code {code} ein (gültig {min} Minuten).",
                            uri = c.verification_uri,
                            code = c.user_code,
                            min = c.expires_in / 60,
                        )
                    );
                    if let Some(kind) = copy_kind(args.clipboard) {
                        kept = copy_code(kind, &c.user_code, lang);
                    }
                },
            ))
            .map_err(|e| Failure::new(crate::exit::APPLY_STOPPED, e))?;
        (root, token)
    } else {
        return Err(usage(tr!(
            lang,
            "choose a sign-in: --device-code (a code to enter in any browser) or --token-from-az (after az login)",
            "wählen Sie eine Anmeldung: --device-code (ein Code für einen beliebigen Browser) oder --token-from-az (nach az login)"
        )));
    };
    Graph::new(&root, token, lang).map_err(usage)
}

/// Where the device code goes: only in an interactive run (stdout and stderr a terminal, so an
/// OSC 52 sequence cannot end up in a pipe or a log).
fn copy_kind(mode: Option<crate::clipboard::Mode>) -> Option<crate::clipboard::Kind> {
    use std::io::IsTerminal;
    let mode = mode?;
    if !(std::io::stdout().is_terminal() && std::io::stderr().is_terminal()) {
        return None;
    }
    let env = |k: &str| std::env::var_os(k);
    Some(crate::clipboard::choose(
        mode,
        &env,
        cfg!(target_os = "linux"),
    ))
}

fn copy_code(
    kind: crate::clipboard::Kind,
    code: &str,
    lang: Lang,
) -> Option<crate::clipboard::Lazy> {
    if kind == crate::clipboard::Kind::Off {
        return None;
    }
    let mut clip = crate::clipboard::Lazy::new(kind, std::time::Duration::from_secs(2));
    let said = match clip.get().set(code, false) {
        Ok(()) => tr!(
            lang,
            "The code is copied ({how}).",
            "Der Code ist kopiert ({how}).",
            how = clip.get().kind().describe(lang),
        ),
        Err(e) => e.message(lang),
    };
    eprintln!("{said}");
    Some(clip)
}

/// Graph's root and a token for it, from the signed-in Azure CLI (`az login` done before).
fn token_from_az(lang: Lang) -> Result<(String, Secret), Failure> {
    let az = |args: &[&str]| -> Result<String, Failure> {
        let out = std::process::Command::new("az")
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| {
                Failure::new(
                    EXIT_USAGE,
                    tr!(
                        lang,
                        "--token-from-az: the Azure CLI could not be started ({e}): install it and run az login",
                        "--token-from-az: die Azure CLI ließ sich nicht starten ({e}): installieren Sie sie und führen Sie az login aus",
                        e = e,
                    ),
                )
            })?;
        if !out.status.success() {
            let why = crate::verify::server_text(&String::from_utf8_lossy(&out.stderr));
            return Err(Failure::new(
                EXIT_USAGE,
                tr!(
                    lang,
                    "--token-from-az: az {p0} failed: {why} (is az login done?)",
                    "--token-from-az: az {p0} schlug fehl: {why} (ist az login erledigt?)",
                    p0 = args[..2].join(" "),
                    why = why,
                ),
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let graph = az(&[
        "cloud",
        "show",
        "--query",
        "endpoints.microsoftGraphResourceId",
        "--output",
        "tsv",
    ])?;
    let token = az(&[
        "account",
        "get-access-token",
        "--resource",
        &graph,
        "--query",
        "accessToken",
        "--output",
        "tsv",
    ])?;
    Ok((graph, Secret::from(token.as_str())))
}
