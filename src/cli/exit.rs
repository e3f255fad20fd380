//! The exit codes of every command, in one place (the README's table lists them).

pub const OK: u8 = 0;
/// A check failed or values are missing.
pub const CHECK: u8 = 1;
pub const USAGE: u8 = 2;
/// The progress file is unreadable, unparsable or locked.
pub const FILE: u8 = 3;
/// A live check failed.
pub const VERIFY_FAILED: u8 = 4;
/// The identity platform could not be reached.
pub const UNREACHABLE: u8 = 5;
/// The client secret expires within the days asked about (`check --expires-within`), or has.
pub const EXPIRING: u8 = 6;
/// `apply` stopped at a step (a Graph call was refused or went unanswered); run it again to go on.
pub const APPLY_STOPPED: u8 = 7;

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
