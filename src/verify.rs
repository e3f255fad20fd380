//! The live check: do the tenant, client ID and secret work, and are the redirect URIs
//! registered? Endpoints and error codes: DOMAIN.md ("Checking the values without admin
//! rights"). Advice is chosen by the numbers in `error_codes`, never by the text.
//!
//! The access token is never kept or shown; the secret goes only into the token request's
//! body, and every message is scrubbed of it.

use std::time::Duration;

use serde::Deserialize;
use url::Url;

use crate::i18n::{L, Lang};
use crate::secret::Secret;
use crate::tr;

pub const DEFAULT_AUTHORITY: &str = "https://login.microsoftonline.com";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// The most of an answer's body read (an error page is a few kilobytes).
const MAX_BODY: usize = 256 * 1024;

/// What to check. Its `Debug` shows no secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub authority: Url,
    pub tenant: String,
    pub client_id: String,
    pub secret: Option<Secret>,
    /// The language of the messages.
    pub lang: Lang,
    /// (label, URI, the step that enters it)
    pub redirect_uris: Vec<(String, String, Option<usize>)>,
}

/// Values given instead of the stored ones.
#[derive(Default)]
pub struct Overrides {
    pub authority: Option<String>,
    pub tenant: Option<String>,
    pub client_id: Option<String>,
    /// The secret; when `None`, the stored one.
    pub secret: Option<Secret>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestError {
    /// A bad override or authority.
    Usage(String),
    /// The tenant or client ID is not there yet.
    Missing(String),
}

impl RequestError {
    pub fn message(&self) -> &str {
        match self {
            RequestError::Usage(m) | RequestError::Missing(m) => m,
        }
    }
}

impl Request {
    /// The check for the values in the progress file, with overrides.
    pub fn from_progress(
        procedure: &crate::procedure::Procedure,
        progress: &crate::progress::Progress,
        today: time::Date,
        overrides: Overrides,
    ) -> Result<Self, RequestError> {
        let report = crate::report::Report::new(procedure, progress, today);
        let lang = procedure.lang();
        let ctx = report.ctx();
        let value = |id: &str| ctx.effective(id).map(|(v, _)| v);
        let authority_text = overrides
            .authority
            .or_else(|| progress.authority.clone())
            .unwrap_or_else(|| DEFAULT_AUTHORITY.into());
        let authority = parse_authority(&authority_text).map_err(RequestError::Usage)?;
        let tenant = overrides.tenant.or_else(|| value("tenant_id"));
        let client_id = overrides.client_id.or_else(|| value("client_id"));
        let (Some(tenant), Some(client_id)) = (tenant, client_id) else {
            return Err(RequestError::Missing(tr!(
                lang,
                "the tenant ID and the client ID are needed: enter them at step 23, or give --tenant and --client-id",
                "Mandanten-ID und Client-ID werden gebraucht: tragen Sie sie in Schritt 23 ein oder geben Sie --tenant und --client-id an"
            )));
        };
        for (what, v) in [("tenant", &tenant), ("client ID", &client_id)] {
            if v.trim().is_empty() || crate::text::has_unsafe_chars(v) {
                return Err(RequestError::Usage(tr!(
                    lang,
                    "the {what} is empty or has control characters",
                    "{what} ist leer oder enthält Steuerzeichen"
                )));
            }
        }
        let redirect_uris = procedure
            .fields
            .iter()
            .filter(|f| f.url_role == Some(crate::fields::UrlRole::Redirect))
            .filter_map(|spec| {
                let uri = value(&spec.id)?;
                let step = procedure.entry_of_field(&spec.id);
                let platform = spec.platform.as_deref().unwrap_or(&spec.label);
                let label = tr!(lang, "{platform} redirect URI", "Umleitungs-URI {platform}");
                Some((label, uri, step))
            })
            .collect();
        Ok(Request {
            lang,
            authority,
            tenant: tenant.trim().to_string(),
            client_id: client_id.trim().to_string(),
            secret: overrides
                .secret
                .or_else(|| report.secret().map(Secret::from)),
            redirect_uris,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Pass(String),
    Fail(String),
    /// The service could not be reached, or answered with a server error.
    Unreachable(String),
    Skipped(String),
}

impl Outcome {
    pub fn mark(&self) -> &'static str {
        match self {
            Outcome::Pass(_) => "✓",
            Outcome::Fail(_) => "✗",
            Outcome::Unreachable(_) => "?",
            Outcome::Skipped(_) => "-",
        }
    }
    pub fn message(&self) -> &str {
        match self {
            Outcome::Pass(m) | Outcome::Fail(m) | Outcome::Unreachable(m) | Outcome::Skipped(m) => {
                m
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Results {
    pub tenant: Outcome,
    pub credentials: Outcome,
    pub redirects: Vec<(String, Outcome)>,
}

impl Results {
    /// 0 all passed, 4 a check failed, 5 the service could not be reached, 1 values missing.
    pub fn exit_code(&self) -> u8 {
        let all = || {
            [&self.tenant, &self.credentials]
                .into_iter()
                .chain(self.redirects.iter().map(|(_, o)| o))
        };
        if all().any(|o| matches!(o, Outcome::Fail(_))) {
            4
        } else if all().any(|o| matches!(o, Outcome::Unreachable(_))) {
            5
        } else if matches!(self.credentials, Outcome::Skipped(_)) {
            1
        } else {
            0
        }
    }

    /// Tenant, client ID and secret were proven to belong together.
    pub fn credentials_ok(&self) -> bool {
        matches!(self.tenant, Outcome::Pass(_)) && matches!(self.credentials, Outcome::Pass(_))
    }

    /// (what, outcome) lines in order.
    pub fn lines(&self, lang: Lang) -> Vec<(String, &Outcome)> {
        let mut v = vec![
            (
                L::new("Tenant", "Mandant").get(lang).to_string(),
                &self.tenant,
            ),
            (
                L::new("Client ID and secret", "Client-ID und Schlüssel")
                    .get(lang)
                    .to_string(),
                &self.credentials,
            ),
        ];
        v.extend(self.redirects.iter().map(|(l, o)| (l.clone(), o)));
        v
    }
}

/// The authority is this machine (tests, a local stand-in).
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// `--authority`: https, or plain http only to a loopback address (tests).
pub fn parse_authority(text: &str) -> Result<Url, String> {
    let url = Url::parse(text.trim()).map_err(|e| format!("--authority {text:?}: {e}"))?;
    let loopback = is_loopback(&url);
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        _ => Err(format!(
            "--authority {text:?}: use https (plain http only for loopback addresses)"
        )),
    }
}

/// An HTTP client for the checks: rustls with the ring provider, no redirects followed,
/// a timeout per request; HTTPS_PROXY and friends are honoured by reqwest, except for a
/// loopback authority, which a proxy must never see (plain http there carries the secret).
pub fn client(timeout: Duration, authority: &Url) -> Result<reqwest::Client, String> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = reqwest::Client::builder();
    if is_loopback(authority) {
        builder = builder.no_proxy();
    }
    builder
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("azreg/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot set up HTTPS: {}", chain(&e)))
}

/// `{authority}/{tenant}/{rest}`, the tenant as one path segment.
fn endpoint(authority: &Url, tenant: &str, rest: &[&str]) -> Url {
    let mut url = authority.clone();
    if let Ok(mut segs) = url.path_segments_mut() {
        segs.pop_if_empty().push(tenant).extend(rest);
    }
    url
}

/// An error and its causes, innermost last: "error sending request: ... Connection refused".
fn chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = e.source();
    while let Some(s) = src {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        src = s.source();
    }
    parts.join(": ")
}

fn unreachable(url: &Url, e: &reqwest::Error, lang: Lang) -> Outcome {
    let host = url.host_str().unwrap_or("the authority");
    let reason = if e.is_timeout() {
        L::new("no answer in time", "keine Antwort in der Zeit")
            .get(lang)
            .to_string()
    } else {
        // The innermost cause says most ("Connection refused", "dns error", "invalid peer
        // certificate").
        let full = chain(e);
        full.rsplit(": ").next().unwrap_or(&full).to_string()
    };
    Outcome::Unreachable(tr!(
        lang,
        "could not reach {host}: {reason}",
        "{host} nicht erreichbar: {reason}"
    ))
}

/// The error body Entra ID sends.
#[derive(Debug, Default, Deserialize)]
struct EntraError {
    #[serde(default)]
    error: String,
    #[serde(default)]
    error_codes: Vec<u64>,
    #[serde(default)]
    trace_id: String,
    #[serde(default)]
    correlation_id: String,
}

/// What the user can do about the other codes Entra ID answers a sign-in with (DOMAIN.md,
/// "More AADSTS codes"), by code, never by message text.
fn more_advice(code: u64, lang: Lang) -> Option<String> {
    use crate::i18n::L;
    let l = match code {
        7000229 => L::new(
            "the app has no service principal in this tenant (AADSTS7000229): create it with `az ad sp create --id <client ID>`, or open the app once under Enterprise applications; the scripts of `azreg script` do it",
            "die App hat in diesem Mandanten keinen Dienstprinzipal (AADSTS7000229): legen Sie ihn mit `az ad sp create --id <Client-ID>` an oder öffnen Sie die App einmal unter Unternehmensanwendungen; die Skripte von `azreg script` erledigen das",
        ),
        65001 => L::new(
            "consent is missing (AADSTS65001): grant admin consent on the app's \"API permissions\" page (step P3)",
            "die Zustimmung fehlt (AADSTS65001): erteilen Sie die Administratorzustimmung auf der Seite „API-Berechtigungen“ der App (Schritt P3)",
        ),
        65002 => L::new(
            "a first-party client may not ask for this permission (AADSTS65002): it must be pre-authorised; choose another sign-in app",
            "ein Microsoft-Client darf diese Berechtigung nicht anfordern (AADSTS65002): sie muss vorab autorisiert sein; wählen Sie eine andere Anmelde-App",
        ),
        65004 => L::new(
            "the user declined consent (AADSTS65004): sign in again and accept, or have an administrator grant consent (step P3)",
            "die Zustimmung wurde abgelehnt (AADSTS65004): melden Sie sich erneut an und stimmen Sie zu, oder lassen Sie einen Administrator zustimmen (Schritt P3)",
        ),
        50076 | 50079 => L::new(
            "multi-factor authentication is required (AADSTS50076/50079): sign in interactively and complete or register MFA",
            "Mehrstufige Authentifizierung ist nötig (AADSTS50076/50079): melden Sie sich interaktiv an und schließen Sie die MFA ab bzw. richten Sie sie ein",
        ),
        53003 => L::new(
            "blocked by Conditional Access (AADSTS53003): a policy forbids this sign-in (often the device code flow); use the browser sign-in or ask your administrator",
            "durch bedingten Zugriff blockiert (AADSTS53003): eine Richtlinie verbietet diese Anmeldung (oft den Gerätecode-Ablauf); melden Sie sich im Browser an oder fragen Sie Ihren Administrator",
        ),
        50105 => L::new(
            "the user is not assigned to the app (AADSTS50105): assign the user (or a group) under Enterprise applications > Users and groups",
            "der Benutzer ist der App nicht zugewiesen (AADSTS50105): weisen Sie ihn (oder eine Gruppe) unter Unternehmensanwendungen > Benutzer und Gruppen zu",
        ),
        50020 => L::new(
            "the user is not in this tenant (AADSTS50020): sign in with an account of the directory, or invite it as a guest",
            "der Benutzer gehört nicht zu diesem Mandanten (AADSTS50020): melden Sie sich mit einem Konto des Verzeichnisses an oder laden Sie es als Gast ein",
        ),
        50194 => L::new(
            "a single-tenant app was signed in through /common (AADSTS50194): use the tenant ID in the address",
            "eine Einzelmandanten-App wurde über /common angemeldet (AADSTS50194): verwenden Sie die Mandanten-ID in der Adresse",
        ),
        500113 => L::new(
            "the app has no redirect URI (AADSTS500113): enter them at steps 10 and 14",
            "die App hat keinen Umleitungs-URI (AADSTS500113): tragen Sie sie in den Schritten 10 und 14 ein",
        ),
        90094 | 90095 => L::new(
            "admin consent is required (AADSTS90094/90095): a Privileged Role Administrator (application permissions) or Cloud Application Administrator grants it (step P3)",
            "Administratorzustimmung ist nötig (AADSTS90094/90095): ein Administrator für privilegierte Rollen (Anwendungsberechtigungen) oder ein Cloudanwendungsadministrator erteilt sie (Schritt P3)",
        ),
        _ => return None,
    };
    Some(l.get(lang).to_string())
}

impl EntraError {
    fn has(&self, code: u64) -> bool {
        self.error_codes.contains(&code)
    }

    /// For codes without advice: what a support request needs.
    fn details(&self, lang: Lang) -> String {
        let codes: Vec<String> = self
            .error_codes
            .iter()
            .map(|c| format!("AADSTS{c}"))
            .collect();
        tr!(
            lang,
            "{} ({}); for a support request: trace_id {}, correlation_id {}",
            "{} ({}); für eine Supportanfrage: trace_id {}, correlation_id {}",
            if self.error.is_empty() {
                "refused".to_string()
            } else {
                server_text(&self.error)
            },
            if codes.is_empty() {
                L::new("no error code", "kein Fehlercode").get(lang).into()
            } else {
                codes.join(", ")
            },
            server_text(or_none(&self.trace_id, lang)),
            server_text(or_none(&self.correlation_id, lang))
        )
    }
}

fn or_none(s: &str, lang: Lang) -> &str {
    if s.is_empty() {
        L::new("(none)", "(keine)").get(lang)
    } else {
        s
    }
}

/// What an error answer of Entra ID says, for a person: the advice for its code, or its
/// `error`, codes, `trace_id` and `correlation_id`, cleaned and cut. Any body is taken.
pub fn error_summary(body: &str, lang: Lang) -> String {
    let e: EntraError = serde_json::from_str(body).unwrap_or_default();
    e.error_codes
        .iter()
        .find_map(|c| more_advice(*c, lang))
        .unwrap_or_else(|| e.details(lang))
}

/// Advice for the tenant codes, shared by both checks.
fn tenant_advice(e: &EntraError, tenant: &str, lang: Lang) -> Option<String> {
    if e.has(90002) {
        Some(tr!(
            lang,
            "the tenant {tenant} does not exist (AADSTS90002): copy the Directory (tenant) ID again at step 23",
            "den Mandanten {tenant} gibt es nicht (AADSTS90002): kopieren Sie die Verzeichnis-ID (Mandant) in Schritt 23 noch einmal"
        ))
    } else if e.has(900023) {
        Some(tr!(
            lang,
            "{tenant} is not a valid tenant ID (AADSTS900023): copy the Directory (tenant) ID again at step 23",
            "{tenant} ist keine gültige Mandanten-ID (AADSTS900023): kopieren Sie die Verzeichnis-ID (Mandant) in Schritt 23 noch einmal"
        ))
    } else {
        None
    }
}

/// The body, read chunk by chunk and never beyond `MAX_BODY`: a server that streams without
/// end costs at most that much memory. A body that breaks off is an error, never "empty".
async fn read_body(mut resp: reqwest::Response) -> Result<String, reqwest::Error> {
    let mut buf = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        let room = MAX_BODY - buf.len();
        buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if buf.len() >= MAX_BODY {
            break;
        }
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// Longest text from a server shown anywhere.
const MAX_SERVER_TEXT: usize = 120;

/// Text from a server, made safe to show: control and bidi characters replaced, on one line,
/// cut to a sane length.
pub fn server_text(s: &str) -> String {
    let one_line: String = crate::text::clean_for_display(s)
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    if one_line.chars().count() > MAX_SERVER_TEXT {
        let cut: String = one_line.chars().take(MAX_SERVER_TEXT).collect();
        format!("{cut}…")
    } else {
        one_line
    }
}

/// Shortest piece of the secret that counts as leaking it.
const LEAK_MIN: usize = 8;

/// `text` with every run of 8 or more characters that also occurs in the secret replaced by
/// `<redacted>`: a server that echoes most of the secret must not get it printed.
pub fn redact(text: &str, secret: &str) -> String {
    let s: Vec<char> = secret.chars().collect();
    if s.len() < LEAK_MIN {
        return text.to_string();
    }
    let t: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < t.len() {
        // The longest piece of the secret that starts here.
        let mut best = 0;
        for start in 0..s.len() {
            let n = t[i..]
                .iter()
                .zip(&s[start..])
                .take_while(|(a, b)| a == b)
                .count();
            best = best.max(n);
        }
        if best >= LEAK_MIN {
            out.push_str("<redacted>");
            i += best;
        } else {
            out.push(t[i]);
            i += 1;
        }
    }
    out
}

/// Send a request and read its answer; a transport failure or a server error is the outcome
/// to report instead.
async fn fetch(
    request: reqwest::RequestBuilder,
    url: &Url,
    lang: Lang,
) -> Result<(reqwest::StatusCode, String), Outcome> {
    let resp = request
        .send()
        .await
        .map_err(|e| unreachable(url, &e, lang))?;
    let status = resp.status();
    let body = read_body(resp)
        .await
        .map_err(|e| unreachable(url, &e, lang))?;
    if status.is_server_error() {
        let (host, code) = (url.host_str().unwrap_or(""), status.as_u16());
        return Err(Outcome::Unreachable(tr!(
            lang,
            "{host} answered with a server error (HTTP {code}): try again later",
            "{host} antwortete mit einem Serverfehler (HTTP {code}): versuchen Sie es später noch einmal"
        )));
    }
    Ok((status, body))
}

pub async fn check_tenant(
    http: &reqwest::Client,
    authority: &Url,
    tenant: &str,
    lang: Lang,
) -> Outcome {
    let url = endpoint(
        authority,
        tenant,
        &["v2.0", ".well-known", "openid-configuration"],
    );
    let (status, body) = match fetch(http.get(url.clone()), &url, lang).await {
        Ok(answer) => answer,
        Err(outcome) => return outcome,
    };
    if status.is_success() {
        #[derive(Deserialize)]
        struct Config {
            issuer: String,
        }
        return match serde_json::from_str::<Config>(&body) {
            Ok(c) => match c.issuer.split('/').find(|s| crate::fields::is_guid(s)) {
                Some(id) => {
                    Outcome::Pass(tr!(lang, "found: tenant {id}", "gefunden: Mandant {id}"))
                }
                None => Outcome::Pass(tr!(
                    lang,
                    "found (issuer {})",
                    "gefunden (Aussteller {})",
                    server_text(&c.issuer)
                )),
            },
            Err(_) => Outcome::Fail(tr!(
                lang,
                "unexpected answer from {} (HTTP {}): is --authority right?",
                "unerwartete Antwort von {} (HTTP {}): stimmt --authority?",
                url.host_str().unwrap_or(""),
                status.as_u16()
            )),
        };
    }
    let e: EntraError = serde_json::from_str(&body).unwrap_or_default();
    Outcome::Fail(tenant_advice(&e, tenant, lang).unwrap_or_else(|| {
        tr!(
            lang,
            "tenant check refused: {}",
            "Mandantenprüfung abgelehnt: {}",
            e.details(lang)
        )
    }))
}

pub async fn check_credentials(http: &reqwest::Client, req: &Request) -> Outcome {
    let lang = req.lang;
    let Some(secret) = req
        .secret
        .as_ref()
        .map(Secret::expose)
        .filter(|s| !s.is_empty())
    else {
        return Outcome::Skipped(tr!(
            lang,
            "no client secret: enter it at step 21, or give it in AZREG_CLIENT_SECRET or with --secret-stdin",
            "kein geheimer Clientschlüssel: tragen Sie ihn in Schritt 21 ein oder geben Sie ihn in AZREG_CLIENT_SECRET oder mit --secret-stdin an"
        ));
    };
    let url = endpoint(&req.authority, &req.tenant, &["oauth2", "v2.0", "token"]);
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", req.client_id.as_str()),
        ("client_secret", secret),
        ("scope", "https://graph.microsoft.com/.default"),
    ];
    let (status, body) = match fetch(http.post(url.clone()).form(&form), &url, lang).await {
        Ok(answer) => answer,
        Err(outcome) => return scrub(outcome, secret),
    };
    if status.is_success() {
        // The token itself is dropped unread beyond this check.
        let has_token = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .is_some_and(|v| v.get("access_token").is_some());
        return if has_token {
            Outcome::Pass(tr!(
                lang,
                "tenant, client ID and secret belong together (this does not prove Graph permissions or admin consent)",
                "Mandant, Client-ID und Schlüssel gehören zusammen (das beweist keine Graph-Berechtigungen und keine Administratorzustimmung)"
            ))
        } else {
            Outcome::Fail(tr!(
                lang,
                "unexpected answer: no token in a successful response",
                "unerwartete Antwort: kein Token in einer erfolgreichen Antwort"
            ))
        };
    }
    let e: EntraError = serde_json::from_str(&body).unwrap_or_default();
    let message = if let Some(t) = tenant_advice(&e, &req.tenant, lang) {
        t
    } else if e.has(700016) {
        tr!(
            lang,
            "no app with client ID {} in this tenant (AADSTS700016): copy the Application (client) ID again at step 23, and check that it belongs to this tenant",
            "keine App mit der Client-ID {} in diesem Mandanten (AADSTS700016): kopieren Sie die Anwendungs-ID (Client) in Schritt 23 noch einmal und prüfen Sie, ob sie zu diesem Mandanten gehört",
            req.client_id
        )
    } else if e.has(7000215) {
        tr!(
            lang,
            "wrong secret (AADSTS7000215): most often the Secret ID was copied instead of the Value; copy the column \"Value\" (step 21), or create a new secret if it is hidden now",
            "falscher Schlüssel (AADSTS7000215): meist wurde die geheime ID statt des Werts kopiert; kopieren Sie die Spalte „Wert“ (Schritt 21) oder erstellen Sie einen neuen Schlüssel, wenn er jetzt verborgen ist"
        )
    } else if e.has(7000222) {
        tr!(
            lang,
            "the secret has expired (AADSTS7000222): create a new one (steps 18 to 21)",
            "der Schlüssel ist abgelaufen (AADSTS7000222): erstellen Sie einen neuen (Schritte 18 bis 21)"
        )
    } else if e.has(7000218) {
        tr!(
            lang,
            "no secret was sent (AADSTS7000218): enter the client secret at step 21",
            "es wurde kein Schlüssel gesendet (AADSTS7000218): tragen Sie den geheimen Clientschlüssel in Schritt 21 ein"
        )
    } else if let Some(advice) = e.error_codes.iter().find_map(|c| more_advice(*c, lang)) {
        advice
    } else {
        tr!(
            lang,
            "sign-in refused: {}",
            "Anmeldung abgelehnt: {}",
            error_summary(&body, lang)
        )
    };
    scrub(Outcome::Fail(message), secret)
}

pub async fn check_redirect(
    http: &reqwest::Client,
    req: &Request,
    uri: &str,
    step: Option<usize>,
) -> Outcome {
    let lang = req.lang;
    let mut url = endpoint(
        &req.authority,
        &req.tenant,
        &["oauth2", "v2.0", "authorize"],
    );
    url.query_pairs_mut()
        .append_pair("client_id", &req.client_id)
        .append_pair("response_type", "code")
        .append_pair("scope", "openid")
        .append_pair("redirect_uri", uri);
    let body = match fetch(http.get(url.clone()), &url, lang).await {
        Ok((_, body)) => body,
        Err(outcome) => return outcome,
    };
    if body.contains("AADSTS50011") {
        return Outcome::Fail(match step {
            Some(n) => tr!(
                lang,
                "redirect URI not registered (AADSTS50011): add it at step {n}, exactly as shown: {uri}",
                "Umleitungs-URI nicht registriert (AADSTS50011): tragen Sie ihn in Schritt {n} ein, genau wie angezeigt: {uri}"
            ),
            None => tr!(
                lang,
                "redirect URI not registered (AADSTS50011): add it exactly as shown: {uri}",
                "Umleitungs-URI nicht registriert (AADSTS50011): tragen Sie ihn genau wie angezeigt ein: {uri}"
            ),
        });
    }
    Outcome::Pass(tr!(
        lang,
        "registered, as far as a sign-in request shows (a heuristic)",
        "registriert, soweit eine Anmeldeanfrage es zeigt (eine Heuristik)"
    ))
}

/// A check, or "no answer" once the deadline has passed.
async fn within(
    deadline: tokio::time::Instant,
    (host, secs): (&str, f64),
    lang: Lang,
    fut: impl std::future::Future<Output = Outcome>,
) -> Outcome {
    tokio::time::timeout_at(deadline, fut)
        .await
        .unwrap_or_else(|_| {
            Outcome::Unreachable(tr!(
                lang,
                "could not reach {host}: no answer in time (--timeout {secs} s for the whole check)",
                "{host} nicht erreichbar: keine Antwort in der Zeit (--timeout {secs} s für die ganze Prüfung)"
            ))
        })
}

/// Run every check at once within one deadline for the whole run (`--timeout`): a check not
/// finished by then is "no answer". The credentials and redirect URIs count only when the
/// tenant was found. Every message is scrubbed of the secret.
pub async fn run(http: &reqwest::Client, req: &Request, budget: Duration) -> Results {
    let lang = req.lang;
    let deadline = tokio::time::Instant::now() + budget;
    let host = req.authority.host_str().unwrap_or_default();
    let secs = (host, budget.as_secs_f64());

    let redirects =
        futures_util::future::join_all(req.redirect_uris.iter().map(|(label, uri, step)| {
            let label = label.clone();
            let check = within(deadline, secs, lang, check_redirect(http, req, uri, *step));
            async move { (label, check.await) }
        }));
    let (tenant, credentials, redirects) = tokio::join!(
        within(
            deadline,
            secs,
            lang,
            check_tenant(http, &req.authority, &req.tenant, lang)
        ),
        within(deadline, secs, lang, check_credentials(http, req)),
        redirects
    );
    let (credentials, redirects) = if matches!(tenant, Outcome::Pass(_)) {
        (credentials, redirects)
    } else {
        let why = match &tenant {
            Outcome::Unreachable(_) => L::new(
                "the service could not be reached",
                "der Dienst war nicht erreichbar",
            ),
            _ => L::new(
                "the tenant check failed",
                "die Mandantenprüfung schlug fehl",
            ),
        };
        let why = why.get(lang);
        let skipped = || Outcome::Skipped(tr!(lang, "not checked: {why}", "nicht geprüft: {why}"));
        let credentials = if matches!(tenant, Outcome::Unreachable(_)) {
            tenant.clone()
        } else {
            skipped()
        };
        (
            credentials,
            redirects.into_iter().map(|(l, _)| (l, skipped())).collect(),
        )
    };
    let secret = req.secret.as_ref().map(Secret::expose).unwrap_or_default();
    Results {
        tenant: scrub(tenant, secret),
        credentials: scrub(credentials, secret),
        redirects: redirects
            .into_iter()
            .map(|(l, o)| (l, scrub(o, secret)))
            .collect(),
    }
}

/// Never let the secret through in a message.
fn scrub(o: Outcome, secret: &str) -> Outcome {
    if secret.chars().count() < LEAK_MIN {
        return o;
    }
    let clean = |m: String| redact(&m, secret);
    match o {
        Outcome::Pass(m) => Outcome::Pass(clean(m)),
        Outcome::Fail(m) => Outcome::Fail(clean(m)),
        Outcome::Unreachable(m) => Outcome::Unreachable(clean(m)),
        Outcome::Skipped(m) => Outcome::Skipped(clean(m)),
    }
}

pub const HEURISTIC_NOTE: L = L::new(
    "The redirect URI check is a heuristic: it only notices the error Entra ID shows for an unregistered URI (AADSTS50011).",
    "Die Prüfung der Umleitungs-URIs ist eine Heuristik: sie bemerkt nur den Fehler, den Entra ID für einen nicht registrierten URI zeigt (AADSTS50011).",
);

#[cfg(test)]
mod more_advice_tests {
    use super::*;

    #[test]
    fn server_text_is_defused_and_cut() {
        let t = server_text("a\u{1b}]0;x\u{7}b\nc\u{202e}d");
        assert!(!crate::text::has_unsafe_chars(&t), "{t:?}");
        assert!(!t.contains('\n'));
        let long = server_text(&"x".repeat(5000));
        assert_eq!(long.chars().count(), MAX_SERVER_TEXT + 1);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn any_eight_characters_of_the_secret_are_redacted() {
        let secret = "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_";
        let echoed = &secret[..39];
        assert_eq!(redact(&format!("bad {echoed}!"), secret), "bad <redacted>!");
        assert_eq!(redact("8Q~abcde", secret), "<redacted>");
        assert_eq!(
            redact("8Q~abcd", secret),
            "8Q~abcd",
            "seven characters are not a leak"
        );
        assert_eq!(redact("x", "short"), "x");
        let summary = error_summary(
            &format!(r#"{{"error": "e{echoed}", "trace_id": "{echoed}"}}"#),
            Lang::En,
        );
        assert!(!redact(&summary, secret).contains("defghijk"));
    }

    #[test]
    fn every_documented_code_has_advice_in_both_languages() {
        for code in [
            7000229, 65001, 65002, 65004, 50076, 50079, 53003, 50105, 50020, 50194, 500113, 90094,
            90095,
        ] {
            let en = more_advice(code, Lang::En).unwrap();
            let de = more_advice(code, Lang::De).unwrap();
            assert!(
                en.contains(&format!("AADSTS{code}")) || en.contains(&code.to_string()[..5]),
                "{en}"
            );
            assert_ne!(en, de);
        }
        assert!(
            more_advice(7000229, Lang::En)
                .unwrap()
                .contains("az ad sp create")
        );
        assert!(more_advice(53003, Lang::En).unwrap().contains("browser"));
        assert!(more_advice(1234567, Lang::En).is_none());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authority_must_be_https_except_loopback() {
        assert!(parse_authority("https://login.microsoftonline.us").is_ok());
        assert!(parse_authority("http://127.0.0.1:8080").is_ok());
        assert!(parse_authority("http://localhost:1").is_ok());
        assert!(parse_authority("http://login.example.com").is_err());
        assert!(parse_authority("ftp://x").is_err());
        assert!(parse_authority("nope").is_err());
    }

    #[test]
    fn endpoints_put_the_tenant_in_one_segment() {
        let a = Url::parse("https://login.microsoftonline.com").unwrap();
        assert_eq!(
            endpoint(&a, "t/../x", &["oauth2", "v2.0", "token"]).as_str(),
            "https://login.microsoftonline.com/t%2F..%2Fx/oauth2/v2.0/token"
        );
        let b = Url::parse("http://127.0.0.1:9/base/").unwrap();
        assert_eq!(
            endpoint(&b, "abc", &["v2.0"]).as_str(),
            "http://127.0.0.1:9/base/abc/v2.0"
        );
    }

    #[test]
    fn exit_codes() {
        let pass = || Outcome::Pass(String::new());
        let r = |t, c, rd: Vec<Outcome>| Results {
            tenant: t,
            credentials: c,
            redirects: rd.into_iter().map(|o| (String::new(), o)).collect(),
        };
        assert_eq!(r(pass(), pass(), vec![pass()]).exit_code(), 0);
        assert_eq!(r(pass(), Outcome::Fail("x".into()), vec![]).exit_code(), 4);
        assert_eq!(
            r(pass(), pass(), vec![Outcome::Fail("x".into())]).exit_code(),
            4
        );
        assert_eq!(
            r(
                Outcome::Unreachable("x".into()),
                Outcome::Unreachable("x".into()),
                vec![]
            )
            .exit_code(),
            5
        );
        assert_eq!(
            r(pass(), Outcome::Skipped("x".into()), vec![]).exit_code(),
            1
        );
    }

    #[test]
    fn scrub_removes_the_secret() {
        let o = scrub(Outcome::Fail("bad abc8Q~zzz here".into()), "abc8Q~zzz");
        assert_eq!(o.message(), "bad <redacted> here");
    }
}
