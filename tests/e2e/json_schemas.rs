//! Every `--json` document against its schema in `assets/schemas/` (doctor, secrets, plan and
//! verify where their stand-in tests run them), in English and German: machine keys and ids stay
//! English, human text is translated in its own field.

use std::path::Path;
use std::process::Command;

use crate::common::schema::assert_valid;

const BIN: &str = env!("CARGO_BIN_EXE_azreg");

fn json(args: &[&str], lang: &str, envs: &[(&str, &Path)]) -> serde_json::Value {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .args(["--lang", lang])
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env("AZREG_CONFIG", "/nonexistent/azreg-config.toml");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: {e}\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

#[test]
fn every_local_json_document_has_its_schema_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let file = dir.path().join("p.toml");
    std::fs::write(&file, crate::common::graph::APPLY_PROGRESS).unwrap();
    let f = file.to_str().unwrap();
    // A journal as apply writes it, for history.
    std::fs::write(
        dir.path().join("p.journal.jsonl"),
        r#"{"account":"admin@contoso.example","attempts":1,"code":null,"method":"POST","op":"create_service_principal","path":"/v1.0/servicePrincipals","result":"done","run":"eaeacae0-d1d9-4a18-a987-5d9bb89556ce","status":null,"tenant":"9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff","time":"2026-11-30T11:13:21Z"}
"#,
    )
    .unwrap();
    let xdg = [("XDG_STATE_HOME", state.as_path())];
    for lang in ["en", "de"] {
        let status = json(&["--file", f, "status", "--json"], lang, &[]);
        assert_valid("status", &status);
        assert_eq!(status["values"][0]["id"], "portal_url");
        assert_valid("check", &json(&["--file", f, "check", "--json"], lang, &[]));
        let expiry = json(
            &["--file", f, "check", "--expires-within", "30", "--json"],
            lang,
            &[],
        );
        assert_valid("expiry", &expiry);
        assert_eq!(expiry["secrets"][0]["profile"], serde_json::Value::Null);
        assert_eq!(expiry["secrets"][0]["state"], "ok");
        let all = json(
            &[
                "check",
                "--expires-within",
                "30",
                "--all-profiles",
                "--json",
            ],
            lang,
            &xdg,
        );
        assert_valid("expiry", &all);
        assert_valid("profiles", &json(&["profiles", "--json"], lang, &xdg));
        let config = json(&["config", "--json"], lang, &[]);
        assert_valid("config", &config);
        assert_eq!(config["settings"]["language"]["value"], lang);
        assert_eq!(config["settings"]["language"]["source"], "flag");
        let history = json(&["--file", f, "history", "--json"], lang, &[]);
        assert_valid("history", &history);
        assert_eq!(history["writes"][0]["op"], "create_service_principal");
        let export = json(
            &[
                "--file",
                f,
                "export",
                "--format",
                "json",
                "--allow-incomplete",
            ],
            lang,
            &[],
        );
        assert_valid("export", &export);
        assert_eq!(export["values"]["collaboration"], "mycompany");
        assert_eq!(export["values"]["client_id"], serde_json::Value::Null);
    }
}

/// A document with a field the schema does not know fails: the schemas are closed.
#[test]
fn the_schemas_are_closed() {
    let mut doc = serde_json::json!({"schema": "azreg.check", "version": 1, "ok": true,
        "errors": 0, "warnings": 0, "problems": []});
    assert!(crate::common::schema::errors(&crate::common::schema::load("check"), &doc).is_empty());
    doc["extra"] = serde_json::json!(1);
    assert!(!crate::common::schema::errors(&crate::common::schema::load("check"), &doc).is_empty());
}
