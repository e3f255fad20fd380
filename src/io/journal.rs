//! The journal: what each executed plan wrote to a tenant, one JSON line per write, beside the
//! progress file (`<name>.journal.jsonl`, mode 0600, appended, never through a link). It says
//! when, who (the signed-in account), where (the tenant), which operation, and how it ended;
//! never a secret, a token or a request body. `azreg history` prints it.

use std::fs::OpenOptions;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::core::plan::Written;

/// The most of a journal read back (a write is about 300 bytes: some 30,000 writes).
const MAX_READ: u64 = 10 << 20;

/// The journal beside this progress file.
pub fn path_for(progress: &Path) -> PathBuf {
    let stem = progress
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "progress".into());
    progress.with_file_name(format!("{stem}.journal.jsonl"))
}

/// One executed plan's journal: where, and the run's id.
#[derive(Debug, Clone)]
pub struct Journal {
    pub path: PathBuf,
    pub run: String,
}

impl Journal {
    pub fn new(progress: &Path) -> Journal {
        Journal {
            path: path_for(progress),
            run: uuid::Uuid::new_v4().to_string(),
        }
    }

    /// The line for one write.
    pub fn line(&self, w: &Written, at: &str) -> Value {
        json!({
            "time": at,
            "run": self.run,
            "account": w.account,
            "account_kind": if w.account.is_none() { "unknown" } else if w.app { "app" } else { "user" },
            "tenant": w.tenant,
            "op": w.op,
            "method": w.method,
            "path": w.path,
            "status": w.status,
            "result": w.result,
            "code": w.code,
            "attempts": w.attempts,
        })
    }

    /// Before a run's first write: the journal can be kept safely, or the run does not start.
    /// It must be ours, a regular file with one link that no one else may write, in a
    /// directory others cannot swap it in (a journal another user planted beside the record
    /// would otherwise take, or lose, the account of every write). `lang` words the refusal.
    pub fn ready(&self, lang: crate::i18n::Lang) -> Result<(), String> {
        let shown = self.path.display();
        let refused = |why: String| {
            crate::tr!(
                lang,
                "the journal {shown} cannot be kept safely: {why}; nothing was changed",
                "das Journal {shown} lässt sich nicht sicher führen: {why}; nichts wurde geändert",
                shown = shown,
                why = why,
            )
        };
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::io::safe_fs::check_dir(dir).map_err(|r| refused(r.message(lang)))?;
        }
        let f = crate::platform::no_follow(OpenOptions::new().append(true).create(true), false)
            .open(&self.path)
            .map_err(|e| refused(e.to_string()))?;
        let meta = f.metadata().map_err(|e| refused(e.to_string()))?;
        crate::io::safe_fs::check_owned_regular(&meta).map_err(|r| refused(r.message(lang)))?;
        let facts = crate::platform::facts(&meta);
        if facts.links > 1 {
            return Err(refused(crate::tr!(
                lang,
                "it has {n} names (hard links)",
                "sie hat {n} Namen (harte Links)",
                n = facts.links,
            )));
        }
        if facts.mode.is_some_and(|m| m & 0o022 != 0) {
            return Err(refused(crate::tr!(
                lang,
                "others may write it (chmod go-w fixes it)",
                "andere dürfen sie schreiben (chmod go-w behebt das)",
            )));
        }
        Ok(())
    }

    /// Append one write: created 0600, appended, never through a link.
    pub fn append(&self, w: &Written) -> io::Result<()> {
        let at = crate::io::clock::now().to_string();
        let mut text = self.line(w, &at).to_string();
        text.push('\n');
        let mut f = crate::platform::no_follow(OpenOptions::new().append(true).create(true), false)
            .open(&self.path)?;
        crate::io::safe_fs::check_owned_regular(&f.metadata()?).map_err(|r| r.io())?;
        f.write_all(text.as_bytes())?;
        f.sync_data()
    }
}

/// The journal's lines, oldest first; lines that are not JSON objects are skipped (counted).
pub fn read(progress: &Path) -> io::Result<(Vec<Value>, usize)> {
    let path = path_for(progress);
    let Some(file) = crate::io::safe_fs::open_existing(&path)? else {
        return Ok((Vec::new(), 0));
    };
    let len = file.metadata()?.len();
    // The newest writes matter most: a journal beyond the bound is read from its tail.
    let mut file = file;
    if len > MAX_READ {
        use std::io::Seek;
        file.seek(io::SeekFrom::Start(len - MAX_READ))?;
    }
    let mut bytes = Vec::new();
    file.take(MAX_READ).read_to_end(&mut bytes)?;
    // A tail may start inside a line (and a character): that line is skipped as not JSON.
    let text = String::from_utf8_lossy(&bytes);
    let mut lines = Vec::new();
    let mut bad = 0;
    for l in text.lines().filter(|l| !l.trim().is_empty()) {
        match serde_json::from_str::<Value>(l) {
            Ok(v @ Value::Object(_)) => lines.push(v),
            _ => bad += 1,
        }
    }
    Ok((lines, bad))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(op: &'static str) -> Written {
        Written {
            account: Some("admin@contoso.example".into()),
            app: false,
            tenant: "t1".into(),
            op,
            method: "POST",
            path: "/v1.0/servicePrincipals".into(),
            status: None,
            result: "done",
            code: None,
            attempts: 2,
        }
    }

    #[test]
    fn writes_are_appended_privately_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let progress = dir.path().join("portal-a.toml");
        assert_eq!(
            path_for(&progress),
            dir.path().join("portal-a.journal.jsonl")
        );
        let j = Journal::new(&progress);
        j.append(&written("create_service_principal")).unwrap();
        j.append(&written("add_secret")).unwrap();
        let mode = crate::platform::testing::mode(&j.path);
        assert_eq!(mode & 0o777, 0o600);
        let (lines, bad) = read(&progress).unwrap();
        assert_eq!(bad, 0);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["account"], "admin@contoso.example");
        assert_eq!(lines[1]["op"], "add_secret");
        assert_eq!(lines[1]["run"], lines[0]["run"]);
        // A link in its place is never followed.
        let other = dir.path().join("elsewhere");
        std::fs::write(&other, "").unwrap();
        std::fs::remove_file(&j.path).unwrap();
        crate::platform::testing::symlink(&other, &j.path);
        assert!(j.append(&written("x")).is_err());
        assert_eq!(std::fs::read_to_string(&other).unwrap(), "");
    }
}
