//! A small Microsoft Graph v1.0 client for `apply`: the documented calls (DOMAIN.md, "Microsoft
//! Graph v1.0 calls"), bodies read within bounds, one deadline per call, errors typed by Graph's
//! `code`, never by message text. The token is a `Secret`: never printed, logged or saved.

use std::time::Duration;

use serde_json::Value;
use url::Url;

use crate::i18n::{L, Lang};
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
    lang: Lang,
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GraphError {
    /// Graph answered with an error: its HTTP status and `error.code`, and its message (cleaned).
    Refused {
        status: u16,
        code: String,
        message: String,
    },
    /// No answer (transport error, server error, timeout), in words.
    Unreachable(String),
}

impl GraphError {
    pub fn code(&self) -> Option<&str> {
        match self {
            GraphError::Refused { code, .. } => Some(code),
            GraphError::Unreachable(_) => None,
        }
    }

    /// Eventual consistency: a new object not yet seen by every replica; worth a retry.
    pub fn is_consistency(&self) -> bool {
        matches!(
            self.code(),
            Some("Request_ResourceNotFound" | "NoBackingApplicationObject")
        )
    }

    /// What it means and what the user can do, by `code`.
    pub fn explain(&self, lang: Lang) -> String {
        match self {
            GraphError::Unreachable(why) => why.clone(),
            GraphError::Refused {
                status,
                code,
                message,
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
                let code = crate::verify::server_text(code);
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

impl Graph {
    /// `graph_root`: `https://graph.microsoft.com` (or a national cloud's, or a stand-in).
    pub fn new(graph_root: &str, token: Secret, lang: Lang) -> Result<Graph, String> {
        let root = Url::parse(graph_root.trim_end_matches('/'))
            .map_err(|e| format!("{graph_root:?}: {e}"))?;
        if root.scheme() != "https" {
            return Err(format!(
                "{graph_root:?}: Microsoft Graph is reached over https only"
            ));
        }
        let base = root
            .join(&format!("{}/v1.0/", root.path().trim_end_matches('/')))
            .map_err(|e| e.to_string())?;
        let http = crate::verify::client(CALL_TIMEOUT, &base)?;
        Ok(Graph {
            http,
            base,
            token,
            lang,
        })
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    /// One call: `path` below `/v1.0/`, an optional JSON body; the answer's JSON (`Null` for
    /// 204), or the error typed by Graph's code.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, GraphError> {
        self.send(method, path, body, None).await
    }

    /// Create or update by an alternate key (`applications(uniqueName='...')`, with `Prefer:
    /// create-if-missing`): the new object (201), or `Null` when one with that key existed and
    /// was updated (204).
    pub async fn upsert(&self, path: &str, body: &Value) -> Result<Value, GraphError> {
        self.send(
            reqwest::Method::PATCH,
            path,
            Some(body),
            Some("create-if-missing"),
        )
        .await
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
        prefer: Option<&str>,
    ) -> Result<Value, GraphError> {
        let url = self
            .base
            .join(path)
            .map_err(|e| GraphError::Unreachable(e.to_string()))?;
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
        let resp = req.send().await.map_err(|e| {
            GraphError::Unreachable(crate::verify::unreachable(&url, &e, self.lang))
        })?;
        let status = resp.status();
        let text = crate::verify::read_body(resp).await.map_err(|e| {
            GraphError::Unreachable(crate::verify::unreachable(&url, &e, self.lang))
        })?;
        if status.is_success() {
            if text.trim().is_empty() {
                return Ok(Value::Null);
            }
            return serde_json::from_str(&text).map_err(|_| {
                GraphError::Unreachable(tr!(
                    self.lang,
                    "Microsoft Graph answered HTTP {} with something that is not JSON",
                    "Microsoft Graph antwortete HTTP {} mit etwas, das kein JSON ist",
                    status.as_u16()
                ))
            });
        }
        let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let code = v["error"]["code"].as_str().unwrap_or("").to_string();
        if status.is_server_error() && code.is_empty() {
            return Err(GraphError::Unreachable(tr!(
                self.lang,
                "Microsoft Graph answered with a server error (HTTP {}): try again later",
                "Microsoft Graph antwortete mit einem Serverfehler (HTTP {}): versuchen Sie es später noch einmal",
                status.as_u16()
            )));
        }
        Err(GraphError::Refused {
            status: status.as_u16(),
            code,
            message: crate::verify::server_text(v["error"]["message"].as_str().unwrap_or("")),
        })
    }

    /// `call`, retried after 1, 2, 4, 8 and 16 s while the error is eventual consistency.
    pub async fn call_retrying(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
        mut waited: impl FnMut(u64),
    ) -> Result<Value, GraphError> {
        let mut delays = [1u64, 2, 4, 8, 16].into_iter();
        loop {
            match self.call(method.clone(), path, body).await {
                Err(e) if e.is_consistency() => match delays.next() {
                    Some(d) => {
                        waited(d);
                        tokio::time::sleep(Duration::from_secs(d)).await;
                    }
                    None => return Err(e),
                },
                other => return other,
            }
        }
    }
}

/// An OData string literal, percent-encoded for a `$filter`.
pub fn filter_eq(property: &str, value: &str) -> String {
    let literal = format!("{property} eq '{}'", value.replace('\'', "''"));
    url::form_urlencoded::byte_serialize(literal.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
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
        };
        let t = e.explain(Lang::En);
        assert!(t.contains("Application Administrator"), "{t}");
        assert!(t.contains("HTTP 403, Authorization_RequestDenied"), "{t}");
        assert!(e.explain(Lang::De).contains("Anwendungsadministrator"));
        assert!(!e.is_consistency());
        let c = GraphError::Refused {
            status: 400,
            code: "NoBackingApplicationObject".into(),
            message: String::new(),
        };
        assert!(c.is_consistency());
    }

    #[test]
    fn filters_double_quotes_and_encode() {
        assert_eq!(
            filter_eq("displayName", "Bob's"),
            "displayName%20eq%20%27Bob%27%27s%27"
        );
    }

    #[test]
    fn only_https() {
        assert!(Graph::new("http://graph.example", Secret::from("t"), Lang::En).is_err());
        let g = Graph::new("https://graph.microsoft.com/", Secret::from("t"), Lang::En).unwrap();
        assert_eq!(g.base().as_str(), "https://graph.microsoft.com/v1.0/");
    }
}
