//! How an answer of Microsoft Graph to an operation's write is taken: done, not yet visible
//! (replication lag: wait and try again), already there (read it), throttled, or refused.
//! By status and Graph's `code` and the operation, never by message text (src/docs/graph.md,
//! "Replication lag": the messages vary, the codes and the calls do not). The engine and both
//! scripts follow this one table.

use super::Op;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Done,
    /// A replica has not seen an object this write refers to yet: wait, read whether the write
    /// took effect after all, and try again.
    Lag,
    /// The object exists already (a write that did land before, or a list that lagged): read it.
    Exists,
    /// Throttled or briefly unavailable: wait (`Retry-After` when given) and try again.
    Throttled,
    /// A refusal waiting does not change.
    Refused,
}

/// Lag answers by operation kind: `(status, code)`; `""` matches any code.
pub const LAG: &[(&str, u16, &str)] = &[
    // Any write that names an object by id can reach a replica without it.
    ("*", 404, "Request_ResourceNotFound"),
    (
        "create_service_principal",
        400,
        "NoBackingApplicationObject",
    ),
    // "... appId '...' of the service principal does not reference a valid application object"
    ("create_service_principal", 400, "Request_BadRequest"),
    // "Invalid value specified for property 'clientId' of resource 'OAuth2PermissionGrant'."
    ("grant_scopes", 400, "Request_BadRequest"),
    // "Not a valid reference update." (and, when an earlier try did land, "already exists")
    ("assign_roles", 400, "Request_BadRequest"),
    // A key that just went may still be listed by a replica.
    ("remove_secret", 400, "Request_BadRequest"),
    // "One or more added object references already exist ...": a read settles it.
    ("add_owner", 400, "Request_BadRequest"),
];

/// "Exists" answers by operation kind.
pub const EXISTS: &[(&str, u16)] = &[
    ("create_service_principal", 409),
    ("grant_scopes", 409),
    ("assign_roles", 409),
];

/// How to take `status` with Graph's `code` for a write of `op`.
pub fn take(op: &Op, status: u16, code: &str) -> Answer {
    let kind = op.kind();
    if (200..300).contains(&status) {
        return Answer::Done;
    }
    if status == 429 || status == 503 || status == 504 {
        return Answer::Throttled;
    }
    if EXISTS.iter().any(|(k, s)| *k == kind && *s == status) {
        return Answer::Exists;
    }
    if LAG
        .iter()
        .any(|(k, s, c)| (*k == "*" || *k == kind) && *s == status && (c.is_empty() || *c == code))
    {
        return Answer::Lag;
    }
    Answer::Refused
}
