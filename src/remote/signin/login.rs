//! Signing in to Microsoft Graph: in the browser (authorization code with PKCE, the default), by
//! device code (for SSH), or with the token of a signed-in Azure CLI. One core, [`graph`],
//! serves the command line and the walkthrough; each shows the prompts in its own way. The
//! token lives in memory only.

use url::Url;

use super::{DeviceCode, SignInError};
use crate::i18n::{Lang, Worded};
use crate::remote::graph::{self, Graph};
use crate::remote::http::{self, AuthorityError, HttpError};
use crate::secret::Secret;
use crate::tr;

/// Why no Graph client came of a sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginError {
    Authority(AuthorityError),
    /// An identity platform azreg does not know the Graph of (its host).
    UnknownGraph {
        host: String,
    },
    /// The client signed in with is not a GUID.
    BadClientId,
    /// The Azure CLI could not be started.
    AzMissing(String),
    /// `az <command>` failed (its stderr, cleaned).
    AzFailed {
        command: String,
        why: String,
    },
    Http(HttpError),
    Graph(graph::SetupError),
    /// The sign-in gave no token (declined, expired, blocked, unreachable).
    SignIn(SignInError),
}

impl LoginError {
    /// The options do not make a sign-in (as opposed to a sign-in that failed).
    pub fn is_setup(&self) -> bool {
        !matches!(self, LoginError::SignIn(_))
    }

    /// The identity platform (or Graph) could not be reached: exit 5, as everywhere.
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            LoginError::Http(_)
                | LoginError::SignIn(SignInError::Http(_))
                | LoginError::Graph(graph::SetupError::Http(_))
        )
    }
}

impl Worded for LoginError {
    fn message(&self, lang: Lang) -> String {
        match self {
            LoginError::Authority(e) => e.message(lang),
            LoginError::UnknownGraph { host } => tr!(
                lang,
                "which Microsoft Graph belongs to {host}? name it with --graph",
                "welches Microsoft Graph gehört zu {host}? nennen Sie es mit --graph",
                host = host,
            ),
            LoginError::BadClientId => tr!(
                lang,
                "--login-client-id: not a GUID",
                "--login-client-id: keine GUID"
            ),
            LoginError::AzMissing(e) => tr!(
                lang,
                "--token-from-az: the Azure CLI could not be started ({e}): install it and run az login",
                "--token-from-az: die Azure CLI ließ sich nicht starten ({e}): installieren Sie sie und führen Sie az login aus",
                e = e,
            ),
            LoginError::AzFailed { command, why } => tr!(
                lang,
                "--token-from-az: az {command} failed: {why} (is az login done?)",
                "--token-from-az: az {command} schlug fehl: {why} (ist az login erledigt?)",
                command = command,
                why = why,
            ),
            LoginError::Http(e) => e.message(lang),
            LoginError::Graph(e) => e.message(lang),
            LoginError::SignIn(e) => e.message(lang),
        }
    }
}

#[cfg(test)]
impl crate::i18n::Samples for LoginError {
    fn samples() -> Vec<Self> {
        vec![
            LoginError::UnknownGraph {
                host: "login.example".into(),
            },
            LoginError::BadClientId,
            LoginError::AzMissing("No such file or directory".into()),
            LoginError::AzFailed {
                command: "account get-access-token".into(),
                why: "Please run 'az login'".into(),
            },
            LoginError::SignIn(SignInError::Declined),
        ]
    }
}

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

/// A sign-in as asked (the command line's options, the walkthrough's choice), before the
/// record adds its tenant and its identity platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    pub login: Login,
    pub authority: Option<String>,
    pub graph: Option<String>,
    pub tenant: Option<String>,
    pub client_id: Option<String>,
}

impl Asked {
    /// A sign-in of this kind and nothing else asked: the record's and Microsoft's defaults.
    pub fn plain(login: Login) -> Asked {
        Asked {
            login,
            authority: None,
            graph: None,
            tenant: None,
            client_id: None,
        }
    }

    /// The sign-in, with what the record adds ([`SignIn::new`]).
    pub fn with(&self, progress: &crate::core::progress::Progress) -> Result<SignIn, LoginError> {
        SignIn::new(
            self.login,
            self.authority.as_deref(),
            self.graph.as_deref(),
            self.tenant.as_deref(),
            self.client_id.as_deref(),
            progress,
        )
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
        progress: &crate::core::progress::Progress,
    ) -> Result<SignIn, LoginError> {
        let authority = http::parse_authority(
            authority
                .or(progress.authority.as_deref())
                .unwrap_or(crate::remote::verify::DEFAULT_AUTHORITY),
        )
        .map_err(LoginError::Authority)?;
        let graph = match graph.or_else(|| graph_root(&authority)) {
            // Refused here, before anyone signs in: a token never goes to plain http.
            Some(g) => {
                graph::base_of(g).map_err(LoginError::Graph)?;
                g.to_string()
            }
            None if login == Login::AzCli => String::new(),
            None => {
                return Err(LoginError::UnknownGraph {
                    host: crate::text::clean_for_display(authority.host_str().unwrap_or(""))
                        .into_owned(),
                });
            }
        };
        let client_id = client_id
            .unwrap_or(crate::remote::signin::AZURE_CLI_CLIENT_ID)
            .to_string();
        if !crate::core::fields::is_guid(&client_id) {
            return Err(LoginError::BadClientId);
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
pub async fn graph(
    s: &SignIn,
    lang: Lang,
    show: &mut dyn FnMut(Prompt),
) -> Result<Graph, LoginError> {
    let (root, token) = match s.login {
        Login::AzCli => token_from_az()?,
        Login::DeviceCode | Login::Browser => {
            let http = http::client(crate::remote::verify::DEFAULT_TIMEOUT, &s.authority)
                .map_err(LoginError::Http)?;
            let scope = format!("{}/.default", s.graph.trim_end_matches('/'));
            let target = crate::remote::signin::Target {
                http: &http,
                authority: &s.authority,
                tenant: &s.tenant,
                client_id: &s.client_id,
                scope: &scope,
                lang,
            };
            let token = if s.login == Login::Browser {
                crate::remote::signin::browser::sign_in(&target, &mut |link| {
                    show(Prompt::Link(link))
                })
                .await
            } else {
                crate::remote::signin::device_code(&target, &mut |c| show(Prompt::Code(c))).await
            };
            (s.graph.clone(), token.map_err(LoginError::SignIn)?)
        }
    };
    Graph::new(&root, token).map_err(LoginError::Graph)
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

/// Graph's root and a token for it, from the signed-in Azure CLI (`az login` done before).
fn token_from_az() -> Result<(String, Secret), LoginError> {
    let az = |args: &[&str]| -> Result<String, LoginError> {
        let started = std::time::Instant::now();
        let out = std::process::Command::new("az")
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| LoginError::AzMissing(e.to_string()))?;
        // The command's name and how it ended: never its output (the token).
        crate::remote::trace::note(&format!(
            "az {} -> exit {} in {} ms",
            args[..2].join(" "),
            out.status.code().unwrap_or(-1),
            started.elapsed().as_millis()
        ));
        if !out.status.success() {
            return Err(LoginError::AzFailed {
                command: args[..2].join(" "),
                why: crate::remote::entra::server_text(&String::from_utf8_lossy(&out.stderr)),
            });
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
        let p = crate::core::progress::Progress::new("x");
        let s = SignIn::new(Login::Browser, None, None, None, None, &p).unwrap();
        assert_eq!(s.graph, "https://graph.microsoft.com");
        assert_eq!(s.tenant, "organizations");
        assert_eq!(s.client_id, crate::remote::signin::AZURE_CLI_CLIENT_ID);
        let us = Some("https://login.microsoftonline.us");
        let s = SignIn::new(Login::DeviceCode, us, None, None, None, &p).unwrap();
        assert_eq!(s.graph, "https://graph.microsoft.us");
        let other = Some("https://login.example.org");
        let e = SignIn::new(Login::Browser, other, None, None, None, &p).unwrap_err();
        assert_eq!(
            e,
            LoginError::UnknownGraph {
                host: "login.example.org".into()
            }
        );
        let s = SignIn::new(
            Login::Browser,
            other,
            Some("https://g.example.org"),
            None,
            None,
            &p,
        )
        .unwrap();
        assert_eq!(s.graph, "https://g.example.org");
        let e = SignIn::new(Login::Browser, None, None, None, Some("nope"), &p).unwrap_err();
        assert_eq!(e, LoginError::BadClientId);
        let plain = Some("http://graph.example.org");
        let e = SignIn::new(Login::Browser, None, plain, None, None, &p).unwrap_err();
        assert!(matches!(
            e,
            LoginError::Graph(graph::SetupError::NotHttps { .. })
        ));
    }

    #[test]
    fn the_tenant_comes_from_the_option_then_the_progress_file() {
        let mut p = crate::core::progress::Progress::new("x");
        p.values.insert("tenant_id".into(), "t-file".into());
        let s = SignIn::new(Login::Browser, None, None, None, None, &p).unwrap();
        assert_eq!(s.tenant, "t-file");
        let s = SignIn::new(Login::Browser, None, None, Some("t-opt"), None, &p).unwrap();
        assert_eq!(s.tenant, "t-opt");
    }
}
