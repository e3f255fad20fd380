//! The live check: do the tenant, client ID and secret work, and are the redirect URIs
//! registered? Endpoints and error codes: src/docs/entra.md ("Checking the values without admin
//! rights"). Advice is chosen by the numbers in `error_codes`, never by the text.
//!
//! The access token is never kept or shown; the secret goes only into the token request's
//! body, and every message is scrubbed of it.

use std::time::Duration;

use serde::Deserialize;
use url::Url;

use crate::i18n::{L, Lang, Worded};
use crate::secret::Secret;
use crate::tr;

use crate::remote::entra::{EntraError, LEAK_MIN, more_advice, tenant_advice};
pub use crate::remote::entra::{Steps, error_summary, redact, server_text};
use crate::remote::http::{AuthorityError, endpoint, fetch, parse_authority};

pub const DEFAULT_AUTHORITY: &str = "https://login.microsoftonline.com";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
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
    pub redirect_uris: Vec<(String, String, Option<String>)>,
    /// The field id of each of `redirect_uris`, for scripts (`verify --json`).
    pub redirect_ids: Vec<String>,
    /// Where the procedure asks for what the checks are about, for the advice.
    pub steps: Steps,
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

/// Why no check can be made of what is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestError {
    Authority(AuthorityError),
    /// The tenant or client ID is not there yet; the step that asks for them.
    Missing {
        at: Option<String>,
    },
    /// The tenant (`client_id: false`) or the client ID is empty or has control characters.
    Unsafe {
        client_id: bool,
    },
}

impl RequestError {
    /// A bad override or authority, not a missing value.
    pub fn is_usage(&self) -> bool {
        !matches!(self, RequestError::Missing { .. })
    }
}

impl Worded for RequestError {
    fn message(&self, lang: Lang) -> String {
        match self {
            RequestError::Authority(e) => e.message(lang),
            RequestError::Missing { at } => tr!(
                lang,
                "the tenant ID and the client ID are needed: enter them{at}",
                "Mandanten-ID und Client-ID werden gebraucht: tragen Sie sie{at} ein",
                at = Steps::at(at, lang),
            ),
            RequestError::Unsafe { client_id: false } => tr!(
                lang,
                "the tenant is empty or has control characters",
                "der Mandant ist leer oder enthält Steuerzeichen"
            ),
            RequestError::Unsafe { client_id: true } => tr!(
                lang,
                "the client ID is empty or has control characters",
                "die Client-ID ist leer oder enthält Steuerzeichen"
            ),
        }
    }
}

#[cfg(test)]
impl crate::i18n::Samples for RequestError {
    fn samples() -> Vec<Self> {
        vec![
            RequestError::Missing {
                at: Some("23".into()),
            },
            RequestError::Missing { at: None },
            RequestError::Unsafe { client_id: false },
            RequestError::Unsafe { client_id: true },
        ]
    }
}

impl Request {
    /// The check for the values in the progress file, with overrides.
    pub fn from_progress(
        procedure: &crate::core::procedure::Procedure,
        progress: &crate::core::progress::Progress,
        today: time::Date,
        overrides: Overrides,
    ) -> Result<Self, RequestError> {
        let report = crate::core::report::Report::new(procedure, progress, today);
        let lang = procedure.lang();
        let ctx = report.ctx();
        let value = |id: &str| ctx.effective(id).map(|(v, _)| v);
        let authority_text = overrides
            .authority
            .or_else(|| progress.authority.clone())
            .unwrap_or_else(|| DEFAULT_AUTHORITY.into());
        let authority = parse_authority(&authority_text).map_err(RequestError::Authority)?;
        let tenant = overrides.tenant.or_else(|| value("tenant_id"));
        let client_id = overrides.client_id.or_else(|| value("client_id"));
        let steps = Steps::of(procedure);
        let (Some(tenant), Some(client_id)) = (tenant, client_id) else {
            return Err(RequestError::Missing {
                at: steps.ids.clone(),
            });
        };
        for (client_id, v) in [(false, &tenant), (true, &client_id)] {
            if v.trim().is_empty() || crate::text::has_unsafe_chars(v) {
                return Err(RequestError::Unsafe { client_id });
            }
        }
        let checked: Vec<&crate::core::fields::FieldSpec> = procedure
            .fields
            .iter()
            .filter(|f| f.url_role == Some(crate::core::fields::UrlRole::Redirect))
            .filter(|f| value(&f.id).is_some())
            .collect();
        let redirect_ids = checked.iter().map(|f| f.id.clone()).collect();
        let redirect_uris = checked
            .into_iter()
            .filter_map(|spec| {
                let uri = value(&spec.id)?;
                let step = procedure
                    .entry_of_field(&spec.id)
                    .map(|i| procedure.label(i).to_string());
                let platform = spec.platform.as_deref().unwrap_or(&spec.label);
                let label = tr!(
                    lang,
                    "{platform} redirect URI",
                    "Umleitungs-URI {platform}",
                    platform = platform
                );
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
            redirect_ids,
            steps,
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

/// What a live check comes to, as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    /// A check failed.
    Failed,
    /// The service could not be reached.
    Unreachable,
    /// Values were missing (the credentials were not checked).
    Incomplete,
}

impl Results {
    /// All passed, a check failed, the service could not be reached, or values are missing.
    pub fn verdict(&self) -> Verdict {
        let all = || {
            [&self.tenant, &self.credentials]
                .into_iter()
                .chain(self.redirects.iter().map(|(_, o)| o))
        };
        if all().any(|o| matches!(o, Outcome::Fail(_))) {
            Verdict::Failed
        } else if all().any(|o| matches!(o, Outcome::Unreachable(_))) {
            Verdict::Unreachable
        } else if matches!(self.credentials, Outcome::Skipped(_)) {
            Verdict::Incomplete
        } else {
            Verdict::Passed
        }
    }

    /// Tenant, client ID and secret were proven to belong together.
    pub fn credentials_ok(&self) -> bool {
        matches!(self.tenant, Outcome::Pass(_)) && matches!(self.credentials, Outcome::Pass(_))
    }

    /// The labels of the tenant and the credentials lines.
    pub fn labels(lang: Lang) -> (String, String) {
        (
            L::new("Tenant", "Mandant").get(lang).to_string(),
            L::new("Client ID and secret", "Client-ID und Schlüssel")
                .get(lang)
                .to_string(),
        )
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

pub async fn check_tenant(
    http: &reqwest::Client,
    authority: &Url,
    tenant: &str,
    steps: &Steps,
    lang: Lang,
) -> Outcome {
    let url = endpoint(
        authority,
        tenant,
        &["v2.0", ".well-known", "openid-configuration"],
    );
    let (status, body) = match fetch(http.get(url.clone()), &url).await {
        Ok(answer) => answer,
        Err(why) => return Outcome::Unreachable(why.message(lang)),
    };
    if status.is_success() {
        #[derive(Deserialize)]
        struct Config {
            issuer: String,
        }
        return match serde_json::from_str::<Config>(&body) {
            Ok(c) => match c
                .issuer
                .split('/')
                .find(|s| crate::core::fields::is_guid(s))
            {
                Some(id) => Outcome::Pass(tr!(
                    lang,
                    "found: tenant {id}",
                    "gefunden: Mandant {id}",
                    id = id
                )),
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
    Outcome::Fail(tenant_advice(&e, tenant, steps, lang).unwrap_or_else(|| {
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
            "no client secret: enter it{at}, or give it in AZREG_CLIENT_SECRET or with --secret-stdin",
            "kein geheimer Clientschlüssel: tragen Sie ihn{at} ein oder geben Sie ihn in AZREG_CLIENT_SECRET oder mit --secret-stdin an",
            at = Steps::at(&req.steps.secret, lang),
        ));
    };
    let url = endpoint(&req.authority, &req.tenant, &["oauth2", "v2.0", "token"]);
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", req.client_id.as_str()),
        ("client_secret", secret),
        ("scope", "https://graph.microsoft.com/.default"),
    ];
    let (status, body) = match fetch(http.post(url.clone()).form(&form), &url).await {
        Ok(answer) => answer,
        Err(why) => return scrub(Outcome::Unreachable(why.message(lang)), secret),
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
    let steps = &req.steps;
    let message = if let Some(t) = tenant_advice(&e, &req.tenant, steps, lang) {
        t
    } else if e.has(700016) {
        tr!(
            lang,
            "no app with client ID {client} in this tenant (AADSTS700016): copy the Application (client) ID again{at}, and check that it belongs to this tenant",
            "keine App mit der Client-ID {client} in diesem Mandanten (AADSTS700016): kopieren Sie die Anwendungs-ID (Client){at} noch einmal und prüfen Sie, ob sie zu diesem Mandanten gehört",
            client = req.client_id,
            at = Steps::at(&steps.ids, lang),
        )
    } else if e.has(7000215) {
        tr!(
            lang,
            "wrong secret (AADSTS7000215): most often the Secret ID was copied instead of the Value; copy the column \"Value\"{step}, or create a new secret if it is hidden now",
            "falscher Schlüssel (AADSTS7000215): meist wurde die geheime ID statt des Werts kopiert; kopieren Sie die Spalte „Wert“{step} oder erstellen Sie einen neuen Schlüssel, wenn er jetzt verborgen ist",
            step = Steps::paren(&steps.secret, lang),
        )
    } else if e.has(7000222) {
        tr!(
            lang,
            "the secret has expired (AADSTS7000222): create a new one{step}",
            "der Schlüssel ist abgelaufen (AADSTS7000222): erstellen Sie einen neuen{step}",
            step = Steps::paren(&steps.new_secret, lang),
        )
    } else if e.has(7000218) {
        tr!(
            lang,
            "no secret was sent (AADSTS7000218): enter the client secret{at}",
            "es wurde kein Schlüssel gesendet (AADSTS7000218): tragen Sie den geheimen Clientschlüssel{at} ein",
            at = Steps::at(&steps.secret, lang),
        )
    } else if let Some(advice) = e
        .error_codes
        .iter()
        .find_map(|c| more_advice(*c, steps, lang))
    {
        advice
    } else {
        tr!(
            lang,
            "sign-in refused: {}",
            "Anmeldung abgelehnt: {}",
            error_summary(&body, steps, lang)
        )
    };
    scrub(Outcome::Fail(message), secret)
}

pub async fn check_redirect(
    http: &reqwest::Client,
    req: &Request,
    uri: &str,
    step: Option<&str>,
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
    if req.client_id.trim().is_empty() {
        return Outcome::Skipped(
            L::new(
                "not checked: no application (client) ID recorded",
                "nicht geprüft: keine Anwendungs-ID (Client) erfasst",
            )
            .get(lang)
            .to_string(),
        );
    }
    let body = match fetch(http.get(url.clone()), &url).await {
        Ok((_, body)) => body,
        Err(why) => return Outcome::Unreachable(why.message(lang)),
    };
    // Entra looks at the redirect URI only for an app it knows: AADSTS700016 (no such app)
    // or any other error first says nothing of the URI.
    if body.contains("AADSTS700016") {
        return Outcome::Skipped(tr!(
            lang,
            "not checked: no app with client ID {client} in this tenant (AADSTS700016)",
            "nicht geprüft: keine App mit der Client-ID {client} in diesem Mandanten (AADSTS700016)",
            client = crate::text::one_line(&req.client_id),
        ));
    }
    if let Some(code) = aadsts_code(&body).filter(|c| c != "50011") {
        return Outcome::Skipped(tr!(
            lang,
            "not checked: Entra ID answered AADSTS{code} before it looked at the redirect URI",
            "nicht geprüft: Entra ID antwortete AADSTS{code}, bevor es den Umleitungs-URI ansah",
            code = code,
        ));
    }
    if body.contains("AADSTS50011") {
        return Outcome::Fail(match step {
            Some(n) => tr!(
                lang,
                "redirect URI not registered (AADSTS50011): add it at step {n}, exactly as shown: {uri}",
                "Umleitungs-URI nicht registriert (AADSTS50011): tragen Sie ihn in Schritt {n} ein, genau wie angezeigt: {uri}",
                n = n,
                uri = uri,
            ),
            None => tr!(
                lang,
                "redirect URI not registered (AADSTS50011): add it exactly as shown: {uri}",
                "Umleitungs-URI nicht registriert (AADSTS50011): tragen Sie ihn genau wie angezeigt ein: {uri}",
                uri = uri,
            ),
        });
    }
    Outcome::Pass(tr!(
        lang,
        "registered, as far as a sign-in request shows (a heuristic)",
        "registriert, soweit eine Anmeldeanfrage es zeigt (eine Heuristik)"
    ))
}

/// The first `AADSTS<digits>` code of an answer, digits only.
fn aadsts_code(body: &str) -> Option<String> {
    let at = body.find("AADSTS")? + "AADSTS".len();
    let digits: String = body[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .take(8)
        .collect();
    (!digits.is_empty()).then_some(digits)
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
                "{host} nicht erreichbar: keine Antwort in der Zeit (--timeout {secs} s für die ganze Prüfung)",
                host = host,
                secs = secs,
            ))
        })
}

/// The tenant check did not pass: the others are not made (unreachable: said for the
/// credentials too).
fn not_checked(
    tenant: Outcome,
    req: &Request,
    labels: &(String, String),
    report: &mut impl FnMut(&str, &Outcome),
) -> Results {
    let lang = req.lang;
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
    let skipped = || {
        Outcome::Skipped(tr!(
            lang,
            "not checked: {why}",
            "nicht geprüft: {why}",
            why = why
        ))
    };
    let credentials = if matches!(tenant, Outcome::Unreachable(_)) {
        tenant.clone()
    } else {
        skipped()
    };
    report(&labels.1, &credentials);
    let redirects: Vec<_> = req
        .redirect_uris
        .iter()
        .map(|(l, _, _)| (l.clone(), skipped()))
        .collect();
    for (l, o) in &redirects {
        report(l, o);
    }
    Results {
        tenant,
        credentials,
        redirects,
    }
}

/// Run every check within one deadline for the whole run (`--timeout`): the tenant first,
/// then the credentials and the redirect URIs at once (only for a tenant that exists); a check
/// not finished by the deadline is "no answer". Every message is scrubbed of the secret.
pub async fn run(http: &reqwest::Client, req: &Request, budget: Duration) -> Results {
    run_reporting(http, req, budget, &mut |_, _| {}).await
}

/// `run`, telling `report` about each check (its line's label and outcome) as it ends.
pub async fn run_reporting(
    http: &reqwest::Client,
    req: &Request,
    budget: Duration,
    report: &mut impl FnMut(&str, &Outcome),
) -> Results {
    use futures_util::StreamExt;
    let lang = req.lang;
    let deadline = tokio::time::Instant::now() + budget;
    let host = req.authority.host_str().unwrap_or_default();
    let secs = (host, budget.as_secs_f64());
    let secret = req.secret.as_ref().map(Secret::expose).unwrap_or_default();
    let labels = Results::labels(lang);

    let tenant = scrub(
        within(
            deadline,
            secs,
            lang,
            check_tenant(http, &req.authority, &req.tenant, &req.steps, lang),
        )
        .await,
        secret,
    );
    report(&labels.0, &tenant);
    if !matches!(tenant, Outcome::Pass(_)) {
        return not_checked(tenant, req, &labels, report);
    }
    // None = the credentials, Some(i) = the i-th redirect URI.
    let mut pending = futures_util::stream::FuturesUnordered::new();
    pending.push(Box::pin(async {
        (
            None,
            within(deadline, secs, lang, check_credentials(http, req)).await,
        )
    })
        as std::pin::Pin<
            Box<dyn std::future::Future<Output = (Option<usize>, Outcome)> + Send + '_>,
        >);
    for (i, (_, uri, step)) in req.redirect_uris.iter().enumerate() {
        pending.push(Box::pin(async move {
            (
                Some(i),
                within(
                    deadline,
                    secs,
                    lang,
                    check_redirect(http, req, uri, step.as_deref()),
                )
                .await,
            )
        }));
    }
    let mut credentials = None;
    let mut redirects: Vec<Option<Outcome>> = vec![None; req.redirect_uris.len()];
    while let Some((slot, outcome)) = pending.next().await {
        let outcome = scrub(outcome, secret);
        match slot {
            None => {
                report(&labels.1, &outcome);
                credentials = Some(outcome);
            }
            Some(i) => {
                report(&req.redirect_uris[i].0, &outcome);
                redirects[i] = Some(outcome);
            }
        }
    }
    Results {
        tenant,
        credentials: credentials.unwrap_or_else(|| Outcome::Skipped(String::new())),
        redirects: req
            .redirect_uris
            .iter()
            .zip(redirects)
            .map(|((l, _, _), o)| {
                (
                    l.clone(),
                    o.unwrap_or_else(|| Outcome::Skipped(String::new())),
                )
            })
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
mod tests {
    use super::*;

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
    fn verdicts() {
        let pass = || Outcome::Pass(String::new());
        let r = |t, c, rd: Vec<Outcome>| Results {
            tenant: t,
            credentials: c,
            redirects: rd.into_iter().map(|o| (String::new(), o)).collect(),
        };
        assert_eq!(r(pass(), pass(), vec![pass()]).verdict(), Verdict::Passed);
        assert_eq!(
            r(pass(), Outcome::Fail("x".into()), vec![]).verdict(),
            Verdict::Failed
        );
        assert_eq!(
            r(pass(), pass(), vec![Outcome::Fail("x".into())]).verdict(),
            Verdict::Failed
        );
        assert_eq!(
            r(
                Outcome::Unreachable("x".into()),
                Outcome::Unreachable("x".into()),
                vec![]
            )
            .verdict(),
            Verdict::Unreachable
        );
        assert_eq!(
            r(pass(), Outcome::Skipped("x".into()), vec![]).verdict(),
            Verdict::Incomplete
        );
    }

    #[test]
    fn scrub_removes_the_secret() {
        let o = scrub(Outcome::Fail("bad abc8Q~zzz here".into()), "abc8Q~zzz");
        assert_eq!(o.message(), "bad <redacted> here");
    }
}
