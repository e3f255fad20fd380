//! The exit codes of every command, in one place: `--help`, the man page and the README's table
//! are made from (or checked against) [`TABLE`].

pub const OK: u8 = 0;
/// A check failed or values are missing.
pub const CHECK: u8 = 1;
pub const USAGE: u8 = 2;
/// A file could not be read or written: the progress file (unreadable, unparsable, newer,
/// locked) or the output (a full disk).
pub const FILE: u8 = 3;
/// A live check failed.
pub const VERIFY_FAILED: u8 = 4;
/// The identity platform could not be reached.
pub const UNREACHABLE: u8 = 5;
/// The client secret expires within the days asked about (`check --expires-within`), or has.
pub const EXPIRING: u8 = 6;
/// `apply` stopped at a step (a Graph call was refused or went unanswered); run it again to go on.
pub const APPLY_STOPPED: u8 = 7;

/// Signed in without the rights for part of the plan: what was allowed is done and saved, the
/// message names the role needed for the rest (and the admin-consent link).
pub const NOT_ALLOWED: u8 = 8;

/// Every exit code and what it means, as `--help`, the man page and the README say it.
pub const TABLE: &[(u8, &str)] = &[
    (OK, "ok"),
    (
        CHECK,
        "a check failed or values are missing (`check`, `doctor`, `export`, `script`, `import`); `apply` refused before any write (another tenant, an unknown client ID, an app of the same name) or was not confirmed",
    ),
    (
        USAGE,
        "usage error (also `import` of empty or non-JSON input, `--token-from-az` without the Azure CLI), or a bad procedure file",
    ),
    (
        FILE,
        "a file could not be read or written: the progress file (unreadable, unparsable, newer version, locked; for `import`, the values were kept aside) or the output (a full disk)",
    ),
    (VERIFY_FAILED, "a live check failed"),
    (
        UNREACHABLE,
        "the identity platform or Microsoft Graph could not be reached",
    ),
    (
        EXPIRING,
        "`check --expires-within DAYS`: a client secret expires within DAYS or has expired",
    ),
    (
        APPLY_STOPPED,
        "`apply` stopped at a step (Graph refused a call, the sign-in failed, or the wait for replication ran out; the message names the step and why; run it again to go on)",
    ),
    (
        NOT_ALLOWED,
        "the signed-in account lacks the role for part of the plan (`apply`, `secrets remove`, `delete`): what it may do is done and saved; the message names the role needed and, for consent, the link for an administrator",
    ),
];

/// "Exit codes: 0 ok, 1 ..." for `--help`.
pub fn help_text() -> String {
    let mut s = String::from("Exit codes:\n");
    for (code, meaning) in TABLE {
        s.push_str(&format!("  {code}  {}\n", meaning.replace('`', "")));
    }
    s.push_str("  128+n  the walkthrough was ended by signal n, after saving");
    s
}

/// The exit code of a live check's verdict.
pub fn of(v: crate::remote::verify::Verdict) -> u8 {
    use crate::remote::verify::Verdict;
    match v {
        Verdict::Passed => OK,
        Verdict::Failed => VERIFY_FAILED,
        Verdict::Unreachable => UNREACHABLE,
        Verdict::Incomplete => CHECK,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's table says what the code says, row for row.
    #[test]
    fn the_readme_lists_each_exit_code_as_the_table_says() {
        let readme = include_str!("../../README.md");
        for (code, meaning) in TABLE {
            let row = format!("| {code} | {meaning} |");
            assert!(readme.contains(&row), "README lacks: {row}");
        }
        let rows = readme
            .lines()
            .filter(|l| {
                l.starts_with("| ")
                    && l[2..]
                        .split(' ')
                        .next()
                        .is_some_and(|c| c.parse::<u8>().is_ok())
            })
            .count();
        assert_eq!(rows, TABLE.len(), "the README lists other codes");
    }

    #[test]
    fn help_lists_every_code_once() {
        let h = help_text();
        for (code, _) in TABLE {
            assert_eq!(h.matches(&format!("\n  {code}  ")).count(), 1, "{h}");
        }
    }
}
