//! Signing in a person for `azreg apply`, without an app registration of azreg's own: in the
//! browser (authorization code with PKCE, [`browser`]) or by device code (OAuth 2.0 device
//! authorization grant, as Entra ID implements it; src/docs/entra.md "Signing in a command-line tool"),
//! with the Azure CLI's public client ID by default, as Microsoft's azure-identity does. The
//! token lives in memory only, in a [`Secret`].

pub mod browser;
pub mod login;

use std::time::{Duration, Instant};

use serde::Deserialize;
use url::Url;

use crate::i18n::{Lang, Worded};
use crate::remote::entra::{error_summary, server_text};
use crate::remote::http::{HttpError, endpoint, fetch};
use crate::secret::Secret;
use crate::tr;

/// Why a sign-in gave no token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInError {
    Http(HttpError),
    /// Entra ID refused: its error answer, explained by its AADSTS code when shown.
    Refused {
        body: String,
    },
    /// The device code endpoint answered without a code (its answer, cleaned).
    NoDeviceCode {
        answer: String,
    },
    /// The code was not entered before it expired.
    CodeExpired,
    Declined,
    /// No loopback port to listen on for the browser's answer.
    NoLoopback(String),
    /// The browser did not come back in time.
    BrowserTimeout {
        minutes: u64,
    },
}

impl From<HttpError> for SignInError {
    fn from(e: HttpError) -> Self {
        SignInError::Http(e)
    }
}

impl Worded for SignInError {
    fn message(&self, lang: Lang) -> String {
        match self {
            SignInError::Http(e) => e.message(lang),
            SignInError::Refused { body } => tr!(
                lang,
                "the sign-in was refused: {why}",
                "die Anmeldung wurde abgelehnt: {why}",
                why = error_summary(body, &Default::default(), lang),
            ),
            SignInError::NoDeviceCode { answer } => tr!(
                lang,
                "the sign-in service gave no device code: {answer}",
                "der Anmeldedienst gab keinen Gerätecode: {answer}",
                answer = answer,
            ),
            SignInError::CodeExpired => tr!(
                lang,
                "the sign-in code expired before it was entered: sign in again",
                "der Anmeldecode lief ab, bevor er eingegeben wurde: melden Sie sich erneut an"
            ),
            SignInError::Declined => tr!(
                lang,
                "the sign-in was declined",
                "die Anmeldung wurde abgelehnt"
            ),
            SignInError::NoLoopback(e) => tr!(
                lang,
                "cannot listen on a loopback port for the browser sign-in ({e}): sign in by device code",
                "kann für die Browser-Anmeldung an keinem Loopback-Port lauschen ({e}): melden Sie sich per Gerätecode an",
                e = e,
            ),
            SignInError::BrowserTimeout { minutes } => tr!(
                lang,
                "the browser sign-in did not come back within {minutes} minutes: sign in again, or by device code",
                "die Browser-Anmeldung kam nicht binnen {minutes} Minuten zurück: melden Sie sich erneut oder per Gerätecode an",
                minutes = minutes,
            ),
        }
    }
}

#[cfg(test)]
impl crate::i18n::Samples for SignInError {
    fn samples() -> Vec<Self> {
        vec![
            SignInError::Http(HttpError::Timeout {
                host: "login".into(),
            }),
            SignInError::Refused {
                body: r#"{"error":"invalid_grant","error_codes":[50126]}"#.into(),
            },
            SignInError::Refused {
                body: r#"{"error":"x","error_codes":[53003]}"#.into(),
            },
            SignInError::NoDeviceCode {
                answer: "<html>".into(),
            },
            SignInError::CodeExpired,
            SignInError::Declined,
            SignInError::NoLoopback("Address in use".into()),
            SignInError::BrowserTimeout { minutes: 10 },
        ]
    }
}

/// The Azure CLI's public client: its Graph rights are pre-authorised in every tenant.
pub const AZURE_CLI_CLIENT_ID: &str = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

/// What the person has to do: open the link, enter the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceCode {
    pub user_code: String,
    pub verification_uri: String,
    pub expires_in: u64,
}

#[derive(Deserialize)]
struct CodeAnswer {
    user_code: String,
    device_code: String,
    verification_uri: String,
    #[serde(default = "default_interval")]
    interval: u64,
    #[serde(default = "default_expiry")]
    expires_in: u64,
}

fn default_interval() -> u64 {
    5
}

fn default_expiry() -> u64 {
    900
}

#[derive(Deserialize, Default)]
struct TokenAnswer {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    error: String,
}

/// The longest wait between polls, whatever the server asks: a person waits at most this long
/// after entering the code.
const MAX_INTERVAL: u64 = 30;

/// Where and as whom a person signs in, and for what.
pub struct Target<'a> {
    pub http: &'a reqwest::Client,
    pub authority: &'a Url,
    /// A GUID, a domain, or `organizations`.
    pub tenant: &'a str,
    /// The public client signed in with.
    pub client_id: &'a str,
    /// Graph's `<root>/.default`.
    pub scope: &'a str,
    pub lang: Lang,
}

/// Sign in by device code: ask for a code, hand it to `show`, then poll the token endpoint as
/// the server says (`interval`, `slow_down` adds 5 s) until the person has signed in,
/// declined, or the code expired.
pub async fn device_code(
    t: &Target<'_>,
    show: &mut dyn FnMut(&DeviceCode),
) -> Result<Secret, SignInError> {
    let Target {
        http,
        authority,
        tenant,
        client_id,
        scope,
        ..
    } = *t;
    let url = endpoint(authority, tenant, &["oauth2", "v2.0", "devicecode"]);
    let form = [("client_id", client_id), ("scope", scope)];
    let (status, body) = fetch(http.post(url.clone()).form(&form), &url).await?;
    if !status.is_success() {
        return Err(SignInError::Refused { body });
    }
    let code: CodeAnswer = serde_json::from_str(&body).map_err(|_| SignInError::NoDeviceCode {
        answer: server_text(&body),
    })?;
    // What reaches the terminal is cleaned: the server is not trusted with escape sequences.
    show(&DeviceCode {
        user_code: server_text(&code.user_code),
        verification_uri: server_text(&code.verification_uri),
        expires_in: code.expires_in,
    });
    let deadline = Instant::now() + Duration::from_secs(code.expires_in.min(3600));
    let mut interval = code.interval.clamp(1, MAX_INTERVAL);
    let url = endpoint(authority, tenant, &["oauth2", "v2.0", "token"]);
    let form = [
        ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
        ("client_id", client_id),
        ("device_code", code.device_code.as_str()),
    ];
    loop {
        tokio::time::sleep(Duration::from_secs(interval)).await;
        let (status, body) = fetch(http.post(url.clone()).form(&form), &url).await?;
        let answer: TokenAnswer = serde_json::from_str(&body).unwrap_or_default();
        if status.is_success() {
            return token_answer(true, body);
        }
        match answer.error.as_str() {
            "authorization_pending" if Instant::now() < deadline => {}
            "slow_down" if Instant::now() < deadline => {
                interval = (interval + 5).min(MAX_INTERVAL);
            }
            "authorization_pending" | "slow_down" | "expired_token" => {
                return Err(SignInError::CodeExpired);
            }
            "authorization_declined" => return Err(SignInError::Declined),
            _ => return Err(SignInError::Refused { body }),
        }
    }
}

/// The token endpoint's answer: the access token, or the refusal.
fn token_answer(ok: bool, body: String) -> Result<Secret, SignInError> {
    let answer: TokenAnswer = serde_json::from_str(&body).unwrap_or_default();
    match answer.access_token {
        Some(t) if ok && !t.is_empty() => Ok(Secret::from(t.as_str())),
        _ => Err(SignInError::Refused { body }),
    }
}
