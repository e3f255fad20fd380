//! The clock: the one place azreg reads the time of day for what it records (marks, history,
//! the journal); the core takes it as an argument.

use toml::value::Datetime;

/// The current time as a TOML datetime (RFC 3339, UTC, whole seconds).
pub fn now() -> Datetime {
    let now = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let text = now
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into());
    text.parse()
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".parse().expect("constant datetime"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_is_rfc3339_utc() {
        let s = now().to_string();
        assert!(s.ends_with('Z') && s.contains('T'), "{s}");
    }
}
