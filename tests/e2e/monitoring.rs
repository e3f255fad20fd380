//! `check --expires-within` in the formats admins run: a Nagios/Icinga plugin and a Prometheus
//! textfile, the latter read by Prometheus's own parser (prometheus-client from PyPI, in the
//! venv CI makes; required there).

use std::process::Command;

fn azreg(file: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_azreg"))
        .arg("--file")
        .arg(file)
        .args(args)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .output()
        .unwrap()
}

#[test]
fn the_metrics_file_is_what_prometheus_parses() {
    let python = crate::common::az::venv().join("bin/python");
    let has_parser = Command::new(&python)
        .args(["-c", "import prometheus_client"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_parser {
        assert!(
            std::env::var_os("AZREG_REQUIRE_PROM_PARSER").is_none(),
            "prometheus-client is missing and AZREG_REQUIRE_PROM_PARSER is set"
        );
        eprintln!("SKIPPED: prometheus-client is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(
        &file,
        "version = 2\nprocedure = \"intrexx-ms365-app-registration\"\n[values]\nsecret_expiry = \"2099-05-25\"\n",
    )
    .unwrap();
    let prom = dir.path().join("azreg.prom");
    let o = azreg(
        &file,
        &[
            "check",
            "--expires-within",
            "30",
            "--prometheus",
            prom.to_str().unwrap(),
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let parsed = Command::new(&python)
        .args([
            "-c",
            r#"import sys
from prometheus_client.parser import text_string_to_metric_families
for f in text_string_to_metric_families(open(sys.argv[1]).read()):
    for s in f.samples:
        print(f.type, s.name, s.value)
"#,
            prom.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let t = String::from_utf8_lossy(&parsed.stdout);
    assert!(
        parsed.status.success(),
        "{}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    assert!(
        t.contains("gauge azreg_client_secret_expiry_timestamp_seconds 4083436799.0"),
        "{t}"
    );
    assert!(t.contains("gauge azreg_client_secret_days_left"), "{t}");
    assert!(
        t.contains("gauge azreg_client_secret_warning_days 30.0"),
        "{t}"
    );
    // And the plugin line for the same file.
    let o = azreg(&file, &["check", "--expires-within", "30", "--nagios"]);
    let line = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{line}");
    assert!(
        line.starts_with("AZREG SECRET OK - ") && line.contains(" | 'days_left'="),
        "{line}"
    );
}
