//! A small Microsoft Graph v1.0 client for `apply`: it sends the writes of a plan as they are
//! (`plan::Write`) and reads by path segments, never by joined strings; bodies read within
//! bounds, one deadline per call, errors typed by status and Graph's `code`, never by message
//! text, `Retry-After` kept. The token is a `Secret`: never printed, logged or saved.

mod model;
mod reads;

pub use model::*;
pub use reads::{MAX_PAGES, Read};

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use crate::core::plan::{Method, Seg, Write};
use crate::i18n::{L, Lang, Worded};
use crate::remote::entra::server_text;
use crate::remote::http::{Body, HttpError, read_body_within};
use crate::secret::Secret;
use crate::tr;

/// Graph's address in the public cloud.
pub const DEFAULT_GRAPH: &str = "https://graph.microsoft.com";
/// How long one call may take.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(30);

pub struct Graph {
    http: reqwest::Client,
    /// `https://graph.microsoft.com/v1.0/`
    base: Url,
    token: Secret,
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GraphError {
    /// Graph answered with an error: its HTTP status and `error.code`, its message (cleaned),
    /// and how long it asked to wait (`Retry-After`, seconds) when it did.
    Refused {
        status: u16,
        code: String,
        message: String,
        retry_after: Option<u64>,
    },
    /// No answer (transport error, timeout, a server error without Graph's error body).
    Unreachable(HttpError),
    /// A success answer that is not JSON.
    NotJson { status: u16 },
    /// An answer larger than azreg takes for this read: its limit, and the size Graph
    /// announced (`Content-Length`) when it did.
    TooLarge {
        read: Read,
        limit: usize,
        announced: Option<u64>,
    },
    /// JSON, but not the shape Microsoft documents for this read (cleaned, short).
    Shape { read: Read, detail: String },
    /// A collection's next page that azreg will not follow: a link to another address than
    /// the one it asked (the token goes nowhere else), or more pages than any registration has.
    Paging { read: Read, why: PagingError },
}

/// Why a next page is not followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PagingError {
    /// `@odata.nextLink` points elsewhere (cleaned).
    Elsewhere(String),
    /// More than [`MAX_PAGES`] pages.
    TooMany,
}

/// Why no Graph client can be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupError {
    NotAddress { root: String, reason: String },
    NotHttps { root: String },
    Http(HttpError),
}

impl Worded for SetupError {
    fn message(&self, lang: Lang) -> String {
        match self {
            SetupError::NotAddress { root, reason } => tr!(
                lang,
                "Microsoft Graph {root:?} is not an address ({reason})",
                "Microsoft Graph {root:?} ist keine Adresse ({reason})",
                root = root,
                reason = reason,
            ),
            SetupError::NotHttps { root } => tr!(
                lang,
                "Microsoft Graph {root:?} is reached over https only",
                "Microsoft Graph {root:?} ist nur über https erreichbar",
                root = root,
            ),
            SetupError::Http(e) => e.message(lang),
        }
    }
}

impl GraphError {
    pub fn code(&self) -> Option<&str> {
        match self {
            GraphError::Refused { code, .. } => Some(code),
            _ => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            GraphError::Refused { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// "Not found": missing, or not yet replicated.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// Throttled or briefly unavailable (429, 503, 504): worth waiting, `Retry-After` first.
    pub fn is_throttled(&self) -> bool {
        matches!(self.status(), Some(429 | 503 | 504))
    }

    pub fn retry_after(&self) -> Option<u64> {
        match self {
            GraphError::Refused { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

impl Worded for GraphError {
    /// What it means and what the user can do, by `code`.
    #[allow(
        clippy::too_many_lines,
        reason = "one arm per Graph error, what it means and what to do, in both languages"
    )]
    fn message(&self, lang: Lang) -> String {
        match self {
            GraphError::Unreachable(why) => why.message(lang),
            GraphError::NotJson { status } => tr!(
                lang,
                "Microsoft Graph answered HTTP {status} with something that is not JSON",
                "Microsoft Graph antwortete HTTP {status} mit etwas, das kein JSON ist",
                status = status,
            ),
            GraphError::TooLarge {
                read,
                limit,
                announced,
            } => {
                let announced = announced.map_or(String::new(), |n| {
                    tr!(
                        lang,
                        " ({n} bytes announced)",
                        " ({n} Bytes angekündigt)",
                        n = n
                    )
                });
                tr!(
                    lang,
                    "Microsoft Graph's answer to the read of {what} is larger than {kib} KiB, the most azreg takes for it{announced}: please report this",
                    "Die Antwort von Microsoft Graph auf das Lesen {what} ist größer als {kib} KiB, das Meiste, was azreg dafür annimmt{announced}: bitte melden Sie das",
                    what = read.label(lang),
                    kib = limit / 1024,
                    announced = announced,
                )
            }
            GraphError::Shape { read, detail } => tr!(
                lang,
                "Microsoft Graph's answer to the read of {what} does not have the documented shape ({detail})",
                "Die Antwort von Microsoft Graph auf das Lesen {what} hat nicht die dokumentierte Form ({detail})",
                what = read.label(lang),
                detail = detail,
            ),
            GraphError::Paging { read, why } => match why {
                PagingError::Elsewhere(link) => tr!(
                    lang,
                    "Microsoft Graph's next page of {what} points to another address ({link}): not followed, the sign-in is sent to Microsoft Graph only",
                    "Die nächste Seite {what} von Microsoft Graph zeigt auf eine andere Adresse ({link}): nicht gefolgt, die Anmeldung geht nur an Microsoft Graph",
                    what = read.label(lang),
                    link = link,
                ),
                PagingError::TooMany => tr!(
                    lang,
                    "Microsoft Graph's list of {what} runs past {n} pages: stopped",
                    "Die Liste {what} von Microsoft Graph geht über {n} Seiten hinaus: angehalten",
                    what = read.label(lang),
                    n = MAX_PAGES,
                ),
            },
            GraphError::Refused {
                status,
                code,
                message,
                ..
            } => {
                let advice = match code.as_str() {
                    "Authorization_RequestDenied" => L::new(
                        "your account may not do this: creating app registrations needs the Application Administrator or Cloud Application Administrator role (or the tenant's \"Users can register applications\"); consent to Microsoft Graph application permissions needs a Privileged Role Administrator",
                        "Ihr Konto darf das nicht: App-Registrierungen anlegen braucht die Rolle Anwendungsadministrator oder Cloudanwendungsadministrator (oder die Mandanteneinstellung „Benutzer können Anwendungen registrieren“); die Zustimmung zu Anwendungsberechtigungen von Microsoft Graph braucht einen Administrator für privilegierte Rollen",
                    )
                    .get(lang)
                    .to_string(),
                    "InvalidAuthenticationToken" => L::new(
                        "the sign-in is not valid for Microsoft Graph (expired or for another resource): sign in again",
                        "die Anmeldung gilt nicht für Microsoft Graph (abgelaufen oder für eine andere Ressource): melden Sie sich erneut an",
                    )
                    .get(lang)
                    .to_string(),
                    "Request_ResourceNotFound" => L::new(
                        "not found (a new object may take a moment to appear everywhere)",
                        "nicht gefunden (ein neues Objekt braucht einen Moment, bis es überall sichtbar ist)",
                    )
                    .get(lang)
                    .to_string(),
                    _ if *status == 429 || *status == 503 || *status == 504 => L::new(
                        "Microsoft Graph is throttling or briefly unavailable: try again in a few minutes",
                        "Microsoft Graph drosselt oder ist kurz nicht verfügbar: versuchen Sie es in ein paar Minuten erneut",
                    )
                    .get(lang)
                    .to_string(),
                    "Request_BadRequest" | "BadRequest" => L::new(
                        "Microsoft Graph refused the request as invalid",
                        "Microsoft Graph lehnte die Anfrage als ungültig ab",
                    )
                    .get(lang)
                    .to_string(),
                    _ => L::new("Microsoft Graph refused", "Microsoft Graph lehnte ab")
                        .get(lang)
                        .to_string(),
                };
                let code = server_text(code);
                tr!(
                    lang,
                    "{advice} (HTTP {status}, {code}: {message})",
                    "{advice} (HTTP {status}, {code}: {message})",
                    advice = advice,
                    status = status,
                    code = code,
                    message = message,
                )
            }
        }
    }
}

/// `https://graph.microsoft.com` → `https://graph.microsoft.com/v1.0/`: https only, checked
/// before anyone signs in.
pub fn base_of(graph_root: &str) -> Result<Url, SetupError> {
    let shown = || crate::text::clean_for_display(graph_root).into_owned();
    let bad = |e: url::ParseError| SetupError::NotAddress {
        root: shown(),
        reason: e.to_string(),
    };
    let root = Url::parse(graph_root.trim_end_matches('/')).map_err(bad)?;
    if root.scheme() != "https" || root.host_str().is_none_or(str::is_empty) {
        return Err(SetupError::NotHttps { root: shown() });
    }
    root.join(&format!("{}/v1.0/", root.path().trim_end_matches('/')))
        .map_err(bad)
}

impl Graph {
    /// `graph_root`: `https://graph.microsoft.com` (or a national cloud's, or a stand-in).
    pub fn new(graph_root: &str, token: Secret) -> Result<Graph, SetupError> {
        let base = base_of(graph_root)?;
        let http = crate::remote::http::client(CALL_TIMEOUT, &base).map_err(SetupError::Http)?;
        Ok(Graph { http, base, token })
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    /// The root the client was made for (`https://graph.microsoft.com`), as Graph names its
    /// objects in references (`@odata.id`).
    pub fn root(&self) -> String {
        self.base
            .as_str()
            .trim_end_matches('/')
            .trim_end_matches("/v1.0")
            .to_string()
    }

    /// The app the token was issued to (its `appid` claim), to name an app identity that
    /// has no `/me`. The token is only decoded here, never shown or kept elsewhere.
    pub fn token_app(&self) -> Option<String> {
        use base64::Engine;
        let payload = self.token.expose().split('.').nth(1)?;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .ok()?;
        let v: Value = serde_json::from_slice(&bytes).ok()?;
        let app = v["appid"].as_str().or(v["azp"].as_str())?;
        crate::core::fields::is_guid(app).then(|| app.to_ascii_lowercase())
    }

    /// The address of `path` (segments below `/v1.0/`, each percent-encoded as one segment)
    /// with an optional query.
    pub fn url(&self, path: &[Seg], query: Option<&str>) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut segs) = url.path_segments_mut() {
            segs.pop_if_empty();
            for s in path {
                segs.push(&s.text());
            }
        }
        url.set_query(query);
        url
    }

    /// A read of one object: only the properties `read` selects, within its limit, typed.
    pub async fn read<T: DeserializeOwned>(
        &self,
        read: Read,
        path: &[Seg],
    ) -> Result<T, GraphError> {
        let url = self.url(path, read.query(None).as_deref());
        self.fetch(read, url).await
    }

    /// The address of a collection's first page (`filter` already encoded).
    pub fn first_page(&self, read: Read, path: &[Seg], filter: Option<&str>) -> Url {
        self.url(path, read.query(filter).as_deref())
    }

    /// The first page of a collection Graph offers in beta only (the credential activity
    /// report), on the same host.
    pub fn beta_first_page(&self, read: Read, path: &[Seg], filter: Option<&str>) -> Url {
        let mut url = self.url(path, read.query(filter).as_deref());
        let beta = url.path().replacen("/v1.0/", "/beta/", 1);
        url.set_path(&beta);
        url
    }

    /// The version paths azreg reads below: v1.0, and beta for the report.
    fn readable_path(&self, path: &str) -> bool {
        let v1 = self.base.path();
        let beta = v1.replacen("/v1.0/", "/beta/", 1);
        path.starts_with(v1) || path.starts_with(&beta)
    }

    /// One page of a collection at `url` (the first page's, or a next link checked by
    /// [`Graph::next_page`]).
    pub async fn page<T: DeserializeOwned>(
        &self,
        read: Read,
        url: &Url,
    ) -> Result<Page<T>, GraphError> {
        self.fetch(read, url.clone()).await
    }

    /// The next page's address, when `@odata.nextLink` is one azreg follows: https on the
    /// origin it asked, below the same version path. Anything else is refused, so the token
    /// is never sent to another host.
    pub fn next_page(
        &self,
        read: Read,
        link: &str,
        pages_so_far: usize,
    ) -> Result<Url, GraphError> {
        let elsewhere = || GraphError::Paging {
            read,
            why: PagingError::Elsewhere(server_text(link.get(..200).unwrap_or(link))),
        };
        let url = Url::parse(link).map_err(|_| elsewhere())?;
        if url.origin() != self.base.origin()
            || !self.readable_path(url.path())
            || url.username() != ""
            || url.password().is_some()
        {
            return Err(elsewhere());
        }
        if pages_so_far >= MAX_PAGES {
            return Err(GraphError::Paging {
                read,
                why: PagingError::TooMany,
            });
        }
        Ok(url)
    }

    async fn fetch<T: DeserializeOwned>(&self, read: Read, url: Url) -> Result<T, GraphError> {
        let v = self
            .send(reqwest::Method::GET, url, None, None, read)
            .await?;
        typed(read, v)
    }

    /// A write of a plan, exactly as it is: the answer's JSON (`Null` for 204).
    pub async fn write(&self, w: &Write) -> Result<Value, GraphError> {
        let method = match w.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        let body = Some(&w.body).filter(|b| !b.is_null());
        self.send(
            method,
            self.url(&w.path, None),
            body,
            w.prefer,
            Read::Written,
        )
        .await
    }

    async fn send(
        &self,
        method: reqwest::Method,
        url: Url,
        body: Option<&Value>,
        prefer: Option<&str>,
        read: Read,
    ) -> Result<Value, GraphError> {
        let method_name = method.to_string();
        let mut req = self
            .http
            .request(method, url.clone())
            .bearer_auth(self.token.expose());
        if let Some(p) = prefer {
            req = req.header("Prefer", p);
        }
        if let Some(b) = body {
            req = req
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(b.to_string());
        }
        let unreachable =
            |e: reqwest::Error| GraphError::Unreachable(HttpError::unreachable(&url, &e));
        let call = crate::remote::trace::Call::start(&method_name, &url);
        let resp = req.send().await.map_err(|e| {
            call.failed(&crate::remote::http::chain(&e));
            unreachable(e)
        })?;
        let status = resp.status();
        let request_id = crate::remote::trace::request_id(resp.headers());
        // Seconds only (an HTTP date is taken as "a moment"), and never beyond two minutes.
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().parse::<u64>().unwrap_or(5).min(120));
        let announced = resp.content_length();
        let limit = read.limit();
        let body = read_body_within(resp, limit).await.map_err(|e| {
            call.failed(&crate::remote::http::chain(&e));
            unreachable(e)
        })?;
        let text = match body {
            Body::Whole(text) => text,
            Body::Cut => {
                call.answered(
                    status.as_u16(),
                    request_id.as_deref(),
                    Some("answer over the read's limit"),
                );
                return Err(GraphError::TooLarge {
                    read,
                    limit,
                    announced,
                });
            }
        };
        if status.is_success() {
            call.answered(status.as_u16(), request_id.as_deref(), None);
            if text.trim().is_empty() {
                return Ok(Value::Null);
            }
            return serde_json::from_str(&text).map_err(|_| GraphError::NotJson {
                status: status.as_u16(),
            });
        }
        let e: ErrorBody = serde_json::from_str(&text).unwrap_or_default();
        let code = server_text(&e.error.code);
        call.answered(status.as_u16(), request_id.as_deref(), Some(&code));
        let throttled = matches!(status.as_u16(), 429 | 503 | 504);
        if status.is_server_error() && code.is_empty() && !throttled {
            return Err(GraphError::Unreachable(HttpError::Server {
                host: url.host_str().unwrap_or_default().to_string(),
                code: status.as_u16(),
            }));
        }
        Err(GraphError::Refused {
            status: status.as_u16(),
            code,
            message: server_text(&e.error.message),
            retry_after,
        })
    }
}

/// An answer as the type Microsoft documents for `read`; anything else says where it differs.
pub fn typed<T: DeserializeOwned>(read: Read, v: Value) -> Result<T, GraphError> {
    serde_json::from_value(v).map_err(|e| GraphError::Shape {
        read,
        detail: server_text(&e.to_string().chars().take(120).collect::<String>()),
    })
}

/// An OData string literal, percent-encoded for a `$filter`.
pub fn filter_eq(property: &str, value: &str) -> String {
    let literal = format!("{property} eq '{}'", value.replace('\'', "''"));
    url::form_urlencoded::byte_serialize(literal.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

#[cfg(test)]
impl crate::i18n::Samples for GraphError {
    fn samples() -> Vec<Self> {
        let refused = |status: u16, code: &str| GraphError::Refused {
            status,
            code: code.into(),
            message: "m".into(),
            retry_after: None,
        };
        vec![
            refused(403, "Authorization_RequestDenied"),
            refused(401, "InvalidAuthenticationToken"),
            refused(404, "Request_ResourceNotFound"),
            refused(429, "TooManyRequests"),
            refused(400, "Request_BadRequest"),
            refused(409, "Conflict"),
            GraphError::Unreachable(HttpError::Timeout { host: "g".into() }),
            GraphError::NotJson { status: 200 },
            GraphError::TooLarge {
                read: Read::GraphServicePrincipal,
                limit: 65536,
                announced: Some(1_400_000),
            },
            GraphError::Shape {
                read: Read::Application,
                detail: "invalid type".into(),
            },
            GraphError::Paging {
                read: Read::Owners,
                why: PagingError::Elsewhere("https://elsewhere.example/".into()),
            },
            GraphError::Paging {
                read: Read::Owners,
                why: PagingError::TooMany,
            },
        ]
    }
}

#[cfg(test)]
impl crate::i18n::Samples for SetupError {
    fn samples() -> Vec<Self> {
        vec![
            SetupError::NotAddress {
                root: "x".into(),
                reason: "relative URL without a base".into(),
            },
            SetupError::NotHttps {
                root: "http://g".into(),
            },
            SetupError::Http(HttpError::Setup("no provider".into())),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_explained_by_code() {
        let e = GraphError::Refused {
            status: 403,
            code: "Authorization_RequestDenied".into(),
            message: "Insufficient privileges to complete the operation.".into(),
            retry_after: None,
        };
        let t = e.message(Lang::En);
        assert!(t.contains("Application Administrator"), "{t}");
        assert!(t.contains("HTTP 403, Authorization_RequestDenied"), "{t}");
        assert!(e.message(Lang::De).contains("Anwendungsadministrator"));
        assert!(!e.is_throttled());
        let c = GraphError::Refused {
            status: 429,
            code: "TooManyRequests".into(),
            message: String::new(),
            retry_after: Some(3),
        };
        assert!(c.is_throttled());
        assert_eq!(c.retry_after(), Some(3));
    }

    #[test]
    fn filters_double_quotes_and_encode() {
        assert_eq!(
            filter_eq("displayName", "Bob's"),
            "displayName%20eq%20%27Bob%27%27s%27"
        );
    }

    #[test]
    fn a_next_page_is_followed_only_on_the_origin_asked() {
        let g = Graph::new("https://graph.microsoft.com", Secret::from("t")).unwrap();
        let next = |link: &str, n| g.next_page(Read::Owners, link, n);
        assert!(
            next(
                "https://graph.microsoft.com/v1.0/applications/x/owners?$skiptoken=A",
                1
            )
            .is_ok()
        );
        for elsewhere in [
            "https://graph.microsoft.com.evil.example/v1.0/x",
            "https://evil.example/v1.0/applications",
            "http://graph.microsoft.com/v1.0/applications",
            "https://graph.microsoft.com:8443/v1.0/applications",
            "https://graph.microsoft.com/v2.0/applications",
            "https://user:pw@graph.microsoft.com/v1.0/applications",
            "/v1.0/applications",
        ] {
            assert!(
                matches!(
                    next(elsewhere, 1),
                    Err(GraphError::Paging {
                        why: PagingError::Elsewhere(_),
                        ..
                    })
                ),
                "{elsewhere}"
            );
        }
        assert!(matches!(
            next("https://graph.microsoft.com/v1.0/x", MAX_PAGES),
            Err(GraphError::Paging {
                why: PagingError::TooMany,
                ..
            })
        ));
        let t = GraphError::TooLarge {
            read: Read::GraphServicePrincipal,
            limit: 64 * 1024,
            announced: Some(1_300_000),
        }
        .message(Lang::En);
        assert!(
            t.contains("Microsoft Graph's service principal is larger than 64 KiB")
                && t.contains("1300000 bytes announced"),
            "{t}"
        );
    }

    #[test]
    fn only_https() {
        assert!(Graph::new("http://graph.example", Secret::from("t")).is_err());
        let g = Graph::new("https://graph.microsoft.com/", Secret::from("t")).unwrap();
        assert_eq!(g.base().as_str(), "https://graph.microsoft.com/v1.0/");
        // An id from a file stays one segment: no way to another path.
        let u = g.url(
            &[
                Seg::Name("applications"),
                Seg::Id("../../beta/users?$select=id".into()),
            ],
            None,
        );
        assert_eq!(
            u.as_str(),
            "https://graph.microsoft.com/v1.0/applications/..%2F..%2Fbeta%2Fusers%3F$select=id"
        );
        let u = g.url(
            &[Seg::Key {
                set: "applications",
                property: "uniqueName",
                value: "azreg-1".into(),
            }],
            Some("$select=id"),
        );
        assert_eq!(
            u.as_str(),
            "https://graph.microsoft.com/v1.0/applications(uniqueName='azreg-1')?$select=id"
        );
    }
}
