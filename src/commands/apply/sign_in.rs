//! Signing in for `apply`: in the browser (the default), by device code (`--device-code`, for
//! SSH; the code also copied in a terminal) or with the Azure CLI's token (`--token-from-az`).
//! One core, [`graph`], serves the command line and the walkthrough; each shows the prompts in
//! its own way. The token lives in memory only.

use url::Url;

use super::ApplyArgs;
use crate::commands::{EXIT_USAGE, Env, Failure};
use crate::graph::Graph;
use crate::i18n::Lang;
use crate::report::Report;
use crate::secret::Secret;
use crate::signin::DeviceCode;
use crate::tr;

/// How the person signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Login {
    /// Authorization code with PKCE, in a browser on this machine (the default).
    Browser,
    /// A code entered in any browser (SSH).
    DeviceCode,
    /// The token of a signed-in Azure CLI.
    AzCli,
}

/// Everything a sign-in needs.
#[derive(Debug, Clone)]
pub struct SignIn {
    pub login: Login,
    pub authority: Url,
    /// Microsoft Graph's root for this cloud (for `AzCli`: what the CLI says).
    pub graph: String,
    pub tenant: String,
    pub client_id: String,
}

/// What the person has to do while the sign-in waits.
pub enum Prompt<'a> {
    /// Sign in at this link (the browser flow); the shower opens it.
    Link(&'a str),
    Code(&'a DeviceCode),
}

/// Microsoft Graph's root for the identity platform of a national cloud (Microsoft's list of
/// national cloud endpoints); `None` for one azreg does not know.
fn graph_root(authority: &Url) -> Option<&'static str> {
    match authority.host_str()? {
        "login.microsoftonline.com" => Some("https://graph.microsoft.com"),
        "login.microsoftonline.us" => Some("https://graph.microsoft.us"),
        "login.chinacloudapi.cn" => Some("https://microsoftgraph.chinacloudapi.cn"),
        _ => None,
    }
}

impl SignIn {
    /// From the options and the progress file: the tenant from `tenant`, else the recorded
    /// tenant ID, else `organizations`; the Azure CLI's client unless another is named.
    pub fn new(
        login: Login,
        authority: Option<&str>,
        graph: Option<&str>,
        tenant: Option<&str>,
        client_id: Option<&str>,
        progress: &crate::progress::Progress,
        lang: Lang,
    ) -> Result<SignIn, String> {
        let authority = crate::verify::parse_authority(
            authority
                .or(progress.authority.as_deref())
                .unwrap_or(crate::verify::DEFAULT_AUTHORITY),
            lang,
        )?;
        let graph = match graph.or_else(|| graph_root(&authority)) {
            Some(g) => g.to_string(),
            None if login == Login::AzCli => String::new(),
            None => {
                return Err(tr!(
                    lang,
                    "which Microsoft Graph belongs to {host}? name it with --graph",
                    "welches Microsoft Graph gehört zu {host}? nennen Sie es mit --graph",
                    host = crate::text::clean_for_display(authority.host_str().unwrap_or("")),
                ));
            }
        };
        let client_id = client_id
            .unwrap_or(crate::signin::AZURE_CLI_CLIENT_ID)
            .to_string();
        if !crate::fields::is_guid(&client_id) {
            return Err(tr!(
                lang,
                "--login-client-id: not a GUID",
                "--login-client-id: keine GUID"
            ));
        }
        let tenant = tenant
            .map(str::to_string)
            .or_else(|| progress.values.get("tenant_id").cloned())
            .unwrap_or_else(|| "organizations".into());
        Ok(SignIn {
            login,
            authority,
            graph,
            tenant,
            client_id,
        })
    }
}

/// Sign in as chosen and give a Graph client with the token.
pub async fn graph(s: &SignIn, lang: Lang, show: &mut dyn FnMut(Prompt)) -> Result<Graph, Failure> {
    let usage = |e: String| Failure::new(EXIT_USAGE, e);
    let stopped = |e: String| Failure::new(crate::exit::APPLY_STOPPED, e);
    let (root, token) = match s.login {
        Login::AzCli => token_from_az(lang)?,
        Login::DeviceCode | Login::Browser => {
            let http = crate::verify::client(crate::verify::DEFAULT_TIMEOUT, &s.authority)
                .map_err(usage)?;
            let scope = format!("{}/.default", s.graph.trim_end_matches('/'));
            let target = crate::signin::Target {
                http: &http,
                authority: &s.authority,
                tenant: &s.tenant,
                client_id: &s.client_id,
                scope: &scope,
                lang,
            };
            let token = if s.login == Login::Browser {
                crate::signin::browser::sign_in(&target, &mut |link| show(Prompt::Link(link))).await
            } else {
                crate::signin::device_code(&target, &mut |c| show(Prompt::Code(c))).await
            };
            (s.graph.clone(), token.map_err(stopped)?)
        }
    };
    Graph::new(&root, token, lang).map_err(usage)
}

pub(super) fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::new(EXIT_USAGE, e.to_string()))
}

/// Open a link in the browser (`$BROWSER` first, a graphical browser's output kept off the
/// terminal) on a thread of its own: a text browser (lynx, w3m) runs until it is closed, and the
/// sign-in must meanwhile answer its redirect to the loopback port. `failed` hears why not.
pub fn open_browser(link: &str, failed: impl FnOnce(String) + Send + 'static) {
    let link = link.to_string();
    let spawned = std::thread::Builder::new()
        .name("azreg-browser".into())
        .spawn(move || {
            let mut options = webbrowser::BrowserOptions::new();
            options.with_suppress_output(true);
            if let Err(e) =
                webbrowser::open_browser_with_options(webbrowser::Browser::Default, &link, &options)
            {
                failed(e.to_string());
            }
        });
    if let Err(e) = spawned {
        eprintln!("azreg: cannot start the browser: {e}");
    }
}

/// The sign-in the options ask for.
pub(super) fn options(env: &Env, args: &ApplyArgs, r: &Report) -> Result<SignIn, Failure> {
    let login = if args.token_from_az {
        Login::AzCli
    } else if args.device_code {
        Login::DeviceCode
    } else {
        Login::Browser
    };
    SignIn::new(
        login,
        args.authority.as_deref(),
        args.graph.as_deref(),
        args.tenant.as_deref(),
        args.login_client_id.as_deref(),
        r.progress,
        env.procedure.lang(),
    )
    .map_err(|e| Failure::new(EXIT_USAGE, e))
}

/// The command line's sign-in: prompts on stderr, the link opened, the code copied.
pub(super) fn sign_in(
    env: &Env,
    args: &ApplyArgs,
    rt: &tokio::runtime::Runtime,
    r: &Report,
) -> Result<Graph, Failure> {
    let lang = env.procedure.lang();
    let s = options(env, args, r)?;
    // The clipboard that holds the code, kept while the sign-in runs: on X11 a copy lives
    // only as long as its owner.
    let mut kept: Option<crate::clipboard::Lazy> = None;
    rt.block_on(graph(&s, lang, &mut |p| match p {
        Prompt::Link(link) => {
            open_browser(link, |why| {
                eprintln!("azreg: {}", crate::text::clean_for_display(&why));
            });
            eprintln!(
                "{}",
                tr!(
                    lang,
                    "Sign in in the browser; azreg waits for it (up to {min} minutes). If no browser opened, open this link on this machine, or use --device-code:",
                    "Melden Sie sich im Browser an; azreg wartet darauf (bis zu {min} Minuten). Öffnete sich kein Browser, öffnen Sie diesen Link auf diesem Rechner oder nutzen Sie --device-code:",
                    min = crate::signin::browser::WAIT.as_secs() / 60,
                )
            );
            eprintln!("  {link}");
        }
        Prompt::Code(c) => {
            eprintln!("{}", code_prompt(c, lang));
            if let Some(kind) = copy_kind(args.clipboard) {
                kept = copy_code(kind, &c.user_code, lang);
            }
        }
    }))
}

/// "open … and enter the code …", for both front ends.
pub fn code_prompt(c: &DeviceCode, lang: Lang) -> String {
    tr!(
        lang,
        "To sign in, open {uri} and enter the code {code} (valid {min} minutes).",
        "Zum Anmelden öffnen Sie {uri} und geben den Code {code} ein (gültig {min} Minuten).",
        uri = c.verification_uri,
        code = c.user_code,
        min = c.expires_in / 60,
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_follows_the_cloud_and_an_unknown_one_must_be_named() {
        let p = crate::progress::Progress::new("x");
        let en = Lang::En;
        let s = SignIn::new(Login::Browser, None, None, None, None, &p, en).unwrap();
        assert_eq!(s.graph, "https://graph.microsoft.com");
        assert_eq!(s.tenant, "organizations");
        assert_eq!(s.client_id, crate::signin::AZURE_CLI_CLIENT_ID);
        let us = Some("https://login.microsoftonline.us");
        let s = SignIn::new(Login::DeviceCode, us, None, None, None, &p, en).unwrap();
        assert_eq!(s.graph, "https://graph.microsoft.us");
        let other = Some("https://login.example.org");
        let e = SignIn::new(Login::Browser, other, None, None, None, &p, en).unwrap_err();
        assert!(e.contains("--graph"), "{e}");
        let s = SignIn::new(
            Login::Browser,
            other,
            Some("https://g.example.org"),
            None,
            None,
            &p,
            en,
        )
        .unwrap();
        assert_eq!(s.graph, "https://g.example.org");
        let e = SignIn::new(Login::Browser, None, None, None, Some("nope"), &p, en).unwrap_err();
        assert!(e.contains("GUID"), "{e}");
    }

    #[test]
    fn the_tenant_comes_from_the_option_then_the_progress_file() {
        let mut p = crate::progress::Progress::new("x");
        p.values.insert("tenant_id".into(), "t-file".into());
        let s = SignIn::new(Login::Browser, None, None, None, None, &p, Lang::En).unwrap();
        assert_eq!(s.tenant, "t-file");
        let s = SignIn::new(
            Login::Browser,
            None,
            None,
            Some("t-opt"),
            None,
            &p,
            Lang::En,
        )
        .unwrap();
        assert_eq!(s.tenant, "t-opt");
    }
}
