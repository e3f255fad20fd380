//! The real Azure CLI (azure-cli 2.91.0 from PyPI, in a venv under `target/`), signed in to the
//! Entra ID and Graph stand-in (`graph.rs`): made on first use, reused, required in CI.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::graph::StandIn;

pub const AZ_VERSION: &str = "2.91.0";

pub fn venv() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/az-venv")
}

/// The venv's `az`, made once per machine; `None` (with the reason printed) where it cannot be.
pub fn az_cli() -> Option<PathBuf> {
    static LOCK: Mutex<()> = Mutex::new(());
    let _one_at_a_time = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let az = venv().join("bin/az");
    let ok = |az: &Path| {
        Command::new(venv().join("bin/python"))
            .args([
                "-c",
                "import importlib.metadata as m; print(m.version('azure-cli'))",
            ])
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == AZ_VERSION)
            && az.exists()
    };
    if ok(&az) {
        return Some(az);
    }
    eprintln!(
        "installing azure-cli {AZ_VERSION} into {}",
        venv().display()
    );
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(venv())
        .status()
        .is_ok_and(|s| s.success())
        && Command::new(venv().join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg(format!("azure-cli=={AZ_VERSION}"))
            .status()
            .is_ok_and(|s| s.success());
    if made && ok(&az) {
        return Some(az);
    }
    let why = format!("azure-cli {AZ_VERSION} could not be installed from PyPI into a venv");
    if std::env::var_os("AZREG_REQUIRE_AZ_CLI").is_some() {
        panic!("{why}, and AZREG_REQUIRE_AZ_CLI is set");
    }
    eprintln!("SKIPPED: {why}");
    None
}

/// One isolated Azure CLI configuration, signed in to the stand-in's cloud.
pub struct Az {
    config: tempfile::TempDir,
    bin_dir: PathBuf,
    ca: PathBuf,
}

impl Az {
    pub fn new(az: &Path, s: &StandIn) -> Az {
        let config = tempfile::tempdir().unwrap();
        // A fresh config dir asks a Microsoft host for version numbers: say they are current.
        let now = "2026-11-27 10:00:00.000000";
        let v = format!(r#"{{"local": "{AZ_VERSION}", "pypi": "{AZ_VERSION}"}}"#);
        std::fs::write(
            config.path().join("versionCheck.json"),
            format!(
                r#"{{"versions": {{"azure-cli": {v}, "core": {v}, "telemetry": {v}}}, "update_time": "{now}", "check_time": "{now}"}}"#
            ),
        )
        .unwrap();
        let me = Az {
            config,
            bin_dir: az.parent().unwrap().to_path_buf(),
            ca: s.ca_file.clone(),
        };
        let login = s.login_url();
        let arm = s.arm_url();
        let graph = s.graph_url();
        me.ok(&[
            "cloud",
            "register",
            "--name",
            "AzregStandIn",
            "--endpoint-active-directory",
            &login,
            "--endpoint-active-directory-resource-id",
            &arm,
            "--endpoint-resource-manager",
            &arm,
            "--endpoint-active-directory-graph-resource-id",
            &graph,
            "--endpoint-microsoft-graph-resource-id",
            &graph,
            "--skip-endpoint-discovery",
        ]);
        me.ok(&["cloud", "set", "--name", "AzregStandIn"]);
        me.ok(&[
            "login",
            "--service-principal",
            "--username",
            &s.admin_app_id,
            "--password",
            &s.admin_secret,
            "--tenant",
            &s.opts.tenant,
            "--allow-no-subscriptions",
            "--output",
            "none",
        ]);
        me
    }

    pub fn env(&self, cmd: &mut Command) {
        let path = format!(
            "{}:{}",
            self.bin_dir.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        cmd.env("PATH", path)
            .env("AZURE_CONFIG_DIR", self.config.path())
            .env("REQUESTS_CA_BUNDLE", &self.ca)
            .env("AZURE_CORE_COLLECT_TELEMETRY", "false")
            .env("AZURE_CORE_INSTANCE_DISCOVERY", "false")
            .env("AZURE_CORE_NO_COLOR", "true")
            .env("NO_PROXY", "127.0.0.1,localhost");
        for v in ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"] {
            cmd.env_remove(v);
        }
    }

    pub fn ok(&self, args: &[&str]) {
        let mut cmd = Command::new(self.bin_dir.join("az"));
        cmd.args(args);
        self.env(&mut cmd);
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "az {}: {}",
            args[..2].join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Run a generated bash script with this configuration, bounded in time.
    pub fn run_script(&self, script: &Path) -> Output {
        let mut cmd = Command::new("bash");
        cmd.arg(script)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // The stand-in's lag is counted in requests: short waits are enough.
            .env("AZREG_RETRY_FIRST", "0.05");
        self.env(&mut cmd);
        let child = cmd.spawn().unwrap();
        let pid = child.id();
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = done.clone();
        std::thread::spawn(move || {
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(400) {
                if flag.load(std::sync::atomic::Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(200));
            }
            let _ = Command::new("kill").arg(pid.to_string()).status();
        });
        let out = child.wait_with_output().unwrap();
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        out
    }
}
