//! The command line's side of signing in (`remote::signin::login`): the options, the prompts on
//! stderr, the link opened, the device code copied in a terminal.

use crate::cli::{EXIT_USAGE, Env, Failure};
use crate::core::report::Report;
use crate::i18n::{Lang, Worded};
use crate::remote::signin::SignInError;
use crate::remote::signin::login::{
    Asked, Login, LoginError, Prompt, SignIn, code_prompt, open_browser,
};
use crate::tr;

/// How every command that signs in does it (`apply`, `plan`, `doctor`, `secrets`, `delete`,
/// `check --online`): one set of options, flattened into each.
#[derive(Debug, Clone, clap::Args)]
pub struct SignInArgs {
    /// Use the Azure CLI's sign-in (az login first); Graph's address follows its cloud
    #[arg(long, conflicts_with_all = ["device_code", "tenant", "login_client_id", "graph"])]
    pub token_from_az: bool,
    /// Sign in with a code entered in any browser (for SSH) instead of a browser on this
    /// machine (the default: azreg opens it and waits on a loopback port)
    #[arg(long)]
    pub device_code: bool,
    /// The tenant to sign in to (GUID or domain); default: the recorded tenant ID, else
    /// organizations
    #[arg(long, value_name = "TENANT")]
    pub tenant: Option<String>,
    /// The public client to sign in with [default: the Azure CLI's]
    #[arg(long, value_name = "GUID")]
    pub login_client_id: Option<String>,
    /// Microsoft Graph's root, for a cloud azreg does not know [default: from --authority]
    #[arg(long, value_name = "URL")]
    pub graph: Option<String>,
    /// With --device-code, in a terminal: where the sign-in code is copied (auto: OSC 52
    /// over SSH or without a display, else the system clipboard)
    #[arg(long, value_enum, default_value_t = crate::io::clipboard::Mode::Auto, value_name = "MODE")]
    pub clipboard: crate::io::clipboard::Mode,
    /// The identity platform for the sign-in and the live check [default: Microsoft's]
    #[arg(long, value_name = "URL")]
    pub authority: Option<String>,
    /// Seconds the whole command may wait for Entra ID's replication and Graph's throttling,
    /// all its reads and writes together [default: 600]
    #[arg(long, value_name = "SECONDS")]
    pub wait: Option<u64>,
}

impl SignInArgs {
    /// The options given before a subcommand's own subcommand (`secrets --token-from-az
    /// remove KEY`) with those given after it; the same option twice must agree.
    pub fn merged(&self, after: &SignInArgs) -> Result<SignInArgs, String> {
        fn one<T: Clone + PartialEq + std::fmt::Debug>(
            name: &str,
            a: &Option<T>,
            b: &Option<T>,
        ) -> Result<Option<T>, String> {
            match (a, b) {
                (Some(x), Some(y)) if x != y => {
                    Err(format!("--{name} is given twice with different values"))
                }
                _ => Ok(a.clone().or_else(|| b.clone())),
            }
        }
        let m = SignInArgs {
            token_from_az: self.token_from_az || after.token_from_az,
            device_code: self.device_code || after.device_code,
            tenant: one("tenant", &self.tenant, &after.tenant)?,
            login_client_id: one(
                "login-client-id",
                &self.login_client_id,
                &after.login_client_id,
            )?,
            graph: one("graph", &self.graph, &after.graph)?,
            clipboard: if self.clipboard == crate::io::clipboard::Mode::Auto {
                after.clipboard
            } else {
                self.clipboard
            },
            authority: one("authority", &self.authority, &after.authority)?,
            wait: one("wait", &self.wait, &after.wait)?,
        };
        if m.token_from_az
            && (m.device_code
                || m.tenant.is_some()
                || m.login_client_id.is_some()
                || m.graph.is_some())
        {
            return Err(
                "--token-from-az cannot be used with --device-code, --tenant, --login-client-id or --graph"
                    .into(),
            );
        }
        Ok(m)
    }
}

impl Default for SignInArgs {
    /// The browser sign-in with Microsoft's defaults (what no option asks for).
    fn default() -> Self {
        SignInArgs {
            token_from_az: false,
            device_code: false,
            tenant: None,
            login_client_id: None,
            graph: None,
            clipboard: crate::io::clipboard::Mode::Auto,
            authority: None,
            wait: None,
        }
    }
}

/// A sign-in that gave no Graph client, as the command's failure: bad options are a usage
/// error, a failed sign-in a stop.
pub fn login_failure(e: LoginError, lang: Lang) -> Failure {
    let code = if e.is_unreachable() {
        crate::cli::exit::UNREACHABLE
    } else if e.is_setup() {
        EXIT_USAGE
    } else {
        crate::cli::exit::APPLY_STOPPED
    };
    let mut message = e.message(lang);
    // The other way in, by its flag here (the walkthrough offers it in its own words).
    if matches!(
        e,
        LoginError::SignIn(SignInError::NoLoopback(_) | SignInError::BrowserTimeout { .. })
    ) {
        message.push_str(" (--device-code)");
    }
    Failure::new(code, message)
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::new(EXIT_USAGE, e.to_string()))
}

impl SignInArgs {
    /// The sign-in these options ask for; the record adds its tenant ([`Asked::with`]).
    pub(crate) fn asked(&self) -> Asked {
        let login = if self.token_from_az {
            Login::AzCli
        } else if self.device_code {
            Login::DeviceCode
        } else {
            Login::Browser
        };
        Asked {
            login,
            authority: self.authority.clone(),
            graph: self.graph.clone(),
            tenant: self.tenant.clone(),
            client_id: self.login_client_id.clone(),
        }
    }
}

/// The sign-in the options ask for, with the record's tenant.
pub(crate) fn options(env: &Env, args: &SignInArgs, r: &Report) -> Result<SignIn, Failure> {
    args.asked()
        .with(r.progress)
        .map_err(|e| login_failure(e, env.procedure.lang()))
}

/// On a shared host the browser's command line (with the link) is readable by others: said
/// as the browser sign-in shows its link.
fn warn_shared_host(lang: Lang) {
    let others = crate::io::users::others_logged_in();
    if !others.is_empty() {
        eprintln!(
            "azreg: {}",
            tr!(
                lang,
                "other users are logged in to this machine ({who}) and can read the browser's sign-in link; here --device-code or --token-from-az is safer",
                "andere Benutzer sind an dieser Maschine angemeldet ({who}) und können den Anmeldelink des Browsers lesen; hier ist --device-code oder --token-from-az sicherer",
                who = crate::text::clean_for_display(&others.join(", ")),
            )
        );
    }
}

/// How to sign in, on stderr: the link opened in the browser (and said), or the device code
/// (copied in a terminal; the clipboard that holds it kept in `kept` while the sign-in runs:
/// on X11 a copy lives only as long as its owner).
pub(crate) fn show_prompt(
    p: &Prompt<'_>,
    lang: Lang,
    clipboard: crate::io::clipboard::Mode,
    kept: &mut Option<crate::io::clipboard::Lazy>,
) {
    match p {
        Prompt::Link(link) => {
            warn_shared_host(lang);
            open_browser(link, |why| {
                eprintln!("azreg: {}", crate::text::clean_for_display(&why));
            });
            eprintln!(
                "{}",
                tr!(
                    lang,
                    "Sign in in the browser; azreg waits for it (up to {min} minutes). If no browser opened, open this link on this machine, or use --device-code:",
                    "Melden Sie sich im Browser an; azreg wartet darauf (bis zu {min} Minuten). Öffnete sich kein Browser, öffnen Sie diesen Link auf diesem Rechner oder nutzen Sie --device-code:",
                    min = crate::remote::signin::browser::WAIT.as_secs() / 60,
                )
            );
            eprintln!("  {link}");
        }
        Prompt::Code(c) => {
            eprintln!("{}", code_prompt(c, lang));
            if let Some(kind) = copy_kind(Some(clipboard)) {
                *kept = copy_code(kind, &c.user_code, lang);
            }
        }
    }
}

/// A failed sign-in as the command's failure; Entra's refusal explained with the procedure's
/// steps (a tenant Entra does not know: copy the Directory ID again at its step), as verify
/// explains it.
pub(crate) fn sign_in_failure(e: LoginError, env: &Env) -> Failure {
    let lang = env.procedure.lang();
    match &e {
        LoginError::SignIn(SignInError::Refused { body }) => Failure::new(
            login_failure(e.clone(), lang).code,
            tr!(
                lang,
                "the sign-in was refused: {why}",
                "die Anmeldung wurde abgelehnt: {why}",
                why = crate::remote::entra::error_summary(
                    body,
                    &crate::remote::entra::Steps::of(&env.procedure),
                    lang
                ),
            ),
        ),
        _ => login_failure(e, lang),
    }
}

/// Where the device code goes: only in an interactive run (stdout and stderr a terminal, so an
/// OSC 52 sequence cannot end up in a pipe or a log).
fn copy_kind(mode: Option<crate::io::clipboard::Mode>) -> Option<crate::io::clipboard::Kind> {
    use std::io::IsTerminal;
    let mode = mode?;
    if !(std::io::stdout().is_terminal() && std::io::stderr().is_terminal()) {
        return None;
    }
    let env = |k: &str| std::env::var_os(k);
    Some(crate::io::clipboard::choose(
        mode,
        &env,
        cfg!(target_os = "linux"),
    ))
}

fn copy_code(
    kind: crate::io::clipboard::Kind,
    code: &str,
    lang: Lang,
) -> Option<crate::io::clipboard::Lazy> {
    if kind == crate::io::clipboard::Kind::Off {
        return None;
    }
    let mut clip = crate::io::clipboard::Lazy::new(kind, std::time::Duration::from_secs(2));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Exit 5 when the identity platform cannot be reached, as for every command.
    #[test]
    fn an_unreachable_sign_in_exits_5_and_a_refused_one_7() {
        let gone = crate::remote::http::HttpError::Timeout {
            host: "login.microsoftonline.com".into(),
        };
        assert_eq!(
            login_failure(
                LoginError::SignIn(SignInError::Http(gone.clone())),
                Lang::En
            )
            .code,
            crate::cli::exit::UNREACHABLE
        );
        assert_eq!(
            login_failure(LoginError::Http(gone), Lang::En).code,
            crate::cli::exit::UNREACHABLE
        );
        assert_eq!(
            login_failure(LoginError::SignIn(SignInError::Declined), Lang::En).code,
            crate::cli::exit::APPLY_STOPPED
        );
        assert_eq!(
            login_failure(LoginError::BadClientId, Lang::En).code,
            EXIT_USAGE
        );
    }
}
