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

/// The plugin line read by the Monitoring Plugins project's own Perl modules
/// (Monitoring::Plugin::Performance, Debian's libmonitoring-plugin-perl, required in CI): for
/// every date the status its thresholds give is azreg's exit code, and the line parses.
#[test]
fn the_plugin_line_is_what_monitoring_plugin_parses() {
    let has_perl = Command::new("perl")
        .args(["-MMonitoring::Plugin::Performance", "-e", "1"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_perl {
        assert!(
            std::env::var_os("AZREG_REQUIRE_NAGIOS_PERL").is_none(),
            "libmonitoring-plugin-perl is missing and AZREG_REQUIRE_NAGIOS_PERL is set"
        );
        eprintln!("SKIPPED: Monitoring::Plugin is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    let today = time::OffsetDateTime::now_utc().date();
    for (days, code) in [
        (400, 0),
        (31, 0),
        (30, 0),
        (29, 1),
        (8, 1),
        (7, 1),
        (6, 2),
        (-3, 2),
    ] {
        let date = today + time::Duration::days(days);
        std::fs::write(
            &file,
            format!(
                "version = 2\nprocedure = \"intrexx-ms365-app-registration\"\n[values]\nsecret_expiry = \"{}\"\n",
                azreg::core::fields::format_date(date)
            ),
        )
        .unwrap();
        let o = azreg(
            &file,
            &[
                "check",
                "--expires-within",
                "30",
                "--nagios",
                "--critical",
                "7",
            ],
        );
        let line = String::from_utf8_lossy(&o.stdout).into_owned();
        // The local date may be a day off UTC near midnight: take the days azreg printed.
        let printed: i64 = line
            .split("'days_left'=")
            .nth(1)
            .and_then(|r| r.split(';').next())
            .and_then(|d| d.parse().ok())
            .unwrap_or_else(|| panic!("{line}"));
        let perl = Command::new("perl")
            .args([
                "-MMonitoring::Plugin::Performance",
                "-e",
                r#"my ($perf) = (split / \| /, $ARGV[0], 2)[1];
my @p = Monitoring::Plugin::Performance->parse_perfstring($perf);
die "no perfdata\n" unless @p == 1;
print $p[0]->label, " ", $p[0]->value, " ", $p[0]->threshold->get_status($p[0]->value), "\n";"#,
                line.trim_end(),
            ])
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&perl.stdout).into_owned();
        assert!(
            perl.status.success(),
            "{line}: {}",
            String::from_utf8_lossy(&perl.stderr)
        );
        let status: i32 = said.split_whitespace().nth(2).unwrap().parse().unwrap();
        assert_eq!(
            said.split_whitespace().take(2).collect::<Vec<_>>(),
            ["days_left", printed.to_string().as_str()],
            "{line}"
        );
        assert_eq!(o.status.code(), Some(status), "{days} days: {line}{said}");
        if printed == days {
            assert_eq!(o.status.code(), Some(code), "{days} days: {line}");
        }
    }
}
