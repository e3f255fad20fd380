//! A stand-in for Entra ID (the v2.0 token endpoint and OpenID metadata), Microsoft Graph v1.0
//! and the few Azure Resource Manager reads `az login` makes, on 127.0.0.1 over HTTPS with a
//! throwaway CA.
//!
//! Written from the documented contract (src/docs/graph.md, "Microsoft Graph v1.0 calls", "Checking the
//! values", "What the real Azure CLI does"), never from what azreg happens to send: the shapes of
//! objects and errors are Graph's, OData string literals follow the OData rules (a quote inside
//! is doubled), and it plays eventual consistency (reads of a new application answer 404 and
//! creating its service principal answers `NoBackingApplicationObject` a few times).
//! The real Azure CLI and azreg's own Graph client are tested against this same stand-in.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use serde_json::{Value, json};

/// A progress file with every value `azreg apply` needs (consent to one delegated and one
/// application permission included), for the apply tests and the apply benchmark.
pub const APPLY_PROGRESS: &str = r#"version = 2
procedure = "intrexx-ms365-app-registration"

[values]
portal_url = "https://portal.example.com"
collaboration = "mycompany"
app_name = "Intrexx Portal"
account_type = "AzureADMyOrg"
secret_description = "Intrexx connector"
secret_expiry = "2099-05-25"
graph_permissions = "User.Read, Chat.Read.All:Application"
admin_consent = "yes"
"#;

/// The first wait of azreg's retries in the tests (`AZREG_RETRY_FIRST_MS`): the stand-in's lag
/// is counted in requests, not seconds, so no test needs to sleep seconds.
pub const FAST_RETRY_MS: &str = "20";

/// The admin a delegated sign-in (browser, device code) signs in as.
pub const ADMIN_UPN: &str = "admin@contoso.example";

/// Microsoft Graph's appId: the resource of every permission.
pub const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";

/// How the stand-in behaves.
#[derive(Debug, Clone)]
pub struct Options {
    pub tenant: String,
    /// Reads of a new application that answer "not found" before it shows up.
    pub read_misses: u32,
    /// Service principal creations for a new application refused with
    /// `NoBackingApplicationObject` before the application is seen.
    pub sp_misses: u32,
    /// The signed-in identity may not create applications (403 Authorization_RequestDenied).
    pub deny_create: bool,
    /// The signed-in identity may not grant consent (403 on grants and role assignments).
    pub deny_consent: bool,
    /// Device code sign-in: the polls answered `authorization_pending` before the person
    /// has entered the code.
    pub device_pending_polls: u32,
    /// Conditional Access blocks the device code flow (AADSTS53003 at the token endpoint).
    pub block_device_code: bool,
    /// The person declines in the browser: `/authorize` redirects back with
    /// `error=access_denied` (AADSTS65004) instead of a code.
    pub decline_browser: bool,
    /// The first this many `addPassword` calls are carried out, and then the connection drops
    /// without an answer (the network failing after Graph acted): the secret exists, its value
    /// never reached the client.
    pub drop_add_password: u32,
    /// Writes that refer to a new service principal are refused this many times each, as
    /// Entra ID's replicas do (src/docs/graph.md, "Replication lag"): a delegated grant naming it
    /// (400 Request_BadRequest "Invalid value specified for property 'clientId'"), an app role
    /// assignment (400 "Not a valid reference update.").
    pub ref_misses: u32,
    /// Reads of a new service principal miss this many times each: by id or appId (404), its
    /// app role assignments (404), and `$filter` lists (it is left out), so a second create
    /// gets 409 Request_MultipleObjectsWithSameKeyValue.
    pub sp_read_misses: u32,
    /// A new client secret is refused at the token endpoint this many times (AADSTS7000215).
    pub secret_misses: u32,
    /// Every this many Graph requests is throttled: 429 with `Retry-After: 1` (0: never).
    pub throttle_every: u32,
    /// The identity platform answers every request with a server error (HTTP 500, HTML).
    pub login_server_error: bool,
    /// The token endpoint refuses every client-credentials sign-in with this AADSTS code and
    /// `error` (what the service answers for states azreg cannot make here, such as missing
    /// admin consent).
    pub token_refusal: Option<(u64, &'static str)>,
    /// A hostile Graph: `addPassword` answers with this `secretText` (the credential is made).
    pub bad_secret_text: Option<&'static str>,
    /// A hostile Graph: a read by `(appId='X')` answers with another application.
    pub wrong_app_by_app_id: bool,
    /// Objects per page of every collection (Graph's default is 100; the tests use 2, so
    /// every list azreg reads spans pages). `$top` overrides it, as in Graph.
    pub page_size: usize,
    /// The signed-in person's directory role (an app identity may do everything azreg asks).
    pub role: Role,
    /// The tenant's app management policy caps a secret's lifetime at this many days
    /// (`CredentialInvalidLifetimeAsPerAppPolicy` beyond it).
    pub max_secret_days: Option<i64>,
    /// The tenant's app management policy forbids new client secrets altogether.
    pub block_passwords: bool,
    /// The policy above is assigned to the app, not the tenant's default (the default reads
    /// without restrictions; the refusal names the app's policy).
    pub app_policy: bool,
    /// The signed-in identity may not read policies (403).
    pub policy_unreadable: bool,
    /// A Graph that ignores `$select` (every object whole, as an older stand-in did).
    pub ignore_select: bool,
    /// The tenant has Entra ID P1/P2 and the signed-in identity may read reports: beta
    /// `/reports/appCredentialSignInActivities` answers (else 403, as for a free tenant).
    pub credential_report: bool,
}

/// A directory role of the signed-in person, with what Entra lets it do (src/docs/graph.md, "Who
/// may"): which roles create apps as owner, which may consent to what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// May do everything azreg asks; `applications/create`, so no owner is added.
    GlobalAdministrator,
    /// Creates apps and service principals (no owner added), consents to delegated
    /// permissions, but not to Microsoft Graph's application permissions.
    CloudApplicationAdministrator,
    /// `applications/createAsOwner`: becomes the first owner of what they create; may consent
    /// tenant-wide to delegated permissions (Graph docs), not to application permissions.
    ApplicationDeveloper,
    /// A member where "Users can register applications" is on: creates as owner, consents to
    /// nothing tenant-wide.
    Member,
}

impl Role {
    fn creates_as_owner(self) -> bool {
        matches!(self, Role::ApplicationDeveloper | Role::Member)
    }
    fn is_app_admin(self) -> bool {
        matches!(
            self,
            Role::GlobalAdministrator | Role::CloudApplicationAdministrator
        )
    }
    fn grants_delegated(self) -> bool {
        self != Role::Member
    }
    fn grants_application(self) -> bool {
        self == Role::GlobalAdministrator
    }
}

impl Options {
    /// A lag schedule drawn from `seed` (splitmix64): each path lags 0 to 3 times, and some
    /// schedules throttle. The same seed gives the same schedule.
    pub fn lagged(seed: u64) -> Options {
        let mut x = seed;
        let mut next = |n: u64| {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            ((z ^ (z >> 31)) % n) as u32
        };
        Options {
            read_misses: next(4),
            sp_misses: next(4),
            ref_misses: next(4),
            sp_read_misses: next(4),
            secret_misses: next(3),
            throttle_every: [0, 0, 7, 11][next(4) as usize],
            device_pending_polls: 0,
            ..Options::default()
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            tenant: "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff".into(),
            read_misses: 2,
            sp_misses: 2,
            deny_create: false,
            deny_consent: false,
            device_pending_polls: 1,
            block_device_code: false,
            decline_browser: false,
            drop_add_password: 0,
            ref_misses: 2,
            sp_read_misses: 1,
            secret_misses: 1,
            throttle_every: 0,
            login_server_error: false,
            token_refusal: None,
            bad_secret_text: None,
            wrong_app_by_app_id: false,
            page_size: 2,
            role: Role::GlobalAdministrator,
            max_secret_days: None,
            block_passwords: false,
            app_policy: false,
            policy_unreadable: false,
            ignore_select: false,
            credential_report: false,
        }
    }
}

/// One request as the stand-in saw it; secrets in bodies masked.
#[derive(Debug, Clone)]
pub struct Logged {
    pub port: &'static str,
    pub method: String,
    pub target: String,
    pub body: String,
    pub status: u16,
}

/// The directory's objects, as Graph would list them.
#[derive(Debug, Default)]
pub struct State {
    pub applications: Vec<Value>,
    pub service_principals: Vec<Value>,
    pub grants: Vec<Value>,
    pub role_assignments: Vec<Value>,
    /// Client secrets by appId (the stand-in must check them; Graph never lists them).
    secrets: HashMap<String, Vec<String>>,
    read_misses: HashMap<String, u32>,
    sp_misses: HashMap<String, u32>,
    next_id: u64,
    /// Device codes handed out: (device_code, client_id, resource, polls so far).
    device_codes: Vec<(String, String, String, u32)>,
    /// Authorization codes handed out by `/authorize`, each redeemable once.
    auth_codes: Vec<login::AuthCode>,
    /// `addPassword` answers dropped so far (`Options::drop_add_password`).
    dropped: u32,
    /// What a new service principal still misses, by its id (`Options::ref_misses`, ...).
    sp_lag: HashMap<String, SpLag>,
    /// Token requests a new secret is still refused for, by the secret.
    secret_misses: HashMap<String, u32>,
    /// Graph requests so far (for `Options::throttle_every`).
    graph_requests: u32,
    /// Owners (directory objects, as Graph lists them) by application object id.
    owners: HashMap<String, Vec<Value>>,
    /// Users who signed in: their object id by user principal name.
    users: HashMap<String, String>,
    /// Graph answers so far (for their request ids).
    answers: u64,
    /// Each client secret's key id, and when each key last signed in (the connector signing
    /// in with whichever secret it holds: a client-credentials token request).
    secret_keys: HashMap<String, String>,
    key_use: HashMap<String, String>,
    /// When each client secret ends (RFC 3339), by the secret.
    secret_ends: HashMap<String, String>,
    pub log: Vec<Logged>,
}

/// The lag a new service principal still has on each path.
#[derive(Debug, Default, Clone)]
struct SpLag {
    reads: u32,
    lists: u32,
    role_reads: u32,
    grants: u32,
    roles: u32,
}

impl SpLag {
    /// True (and one miss used) while this path does not see it yet.
    fn miss(n: &mut u32) -> bool {
        if *n > 0 {
            *n -= 1;
            true
        } else {
            false
        }
    }
}

pub struct StandIn {
    pub opts: Options,
    pub login_port: u16,
    pub graph_port: u16,
    pub arm_port: u16,
    /// The identity platform over plain HTTP (loopback only, as azreg allows for tests).
    pub login_http_port: u16,
    pub state: Arc<Mutex<State>>,
    /// The throwaway CA's certificate (PEM), for `REQUESTS_CA_BUNDLE` / `SSL_CERT_FILE`.
    pub ca_file: PathBuf,
    /// The identity the tests sign in with (`az login --service-principal`).
    pub admin_app_id: String,
    pub admin_secret: String,
    _dir: tempfile::TempDir,
}

struct Tls {
    config: Arc<rustls::ServerConfig>,
}

fn tls(dir: &Path) -> (Tls, PathBuf) {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "azreg test CA (throwaway)");
    ca_params.key_usages = vec![
        rcgen::KeyUsagePurpose::KeyCertSign,
        rcgen::KeyUsagePurpose::CrlSign,
    ];
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let mut leaf_params =
        rcgen::CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .unwrap();
    leaf_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "127.0.0.1");
    let leaf = leaf_params.signed_by(&leaf_key, &issuer).unwrap();
    let ca_file = dir.join("ca.pem");
    std::fs::write(&ca_file, ca.pem()).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
        )
        .unwrap();
    (
        Tls {
            config: Arc::new(config),
        },
        ca_file,
    )
}

impl StandIn {
    pub fn start(opts: Options) -> StandIn {
        let dir = tempfile::tempdir().unwrap();
        let (tls, ca_file) = tls(dir.path());
        let state = Arc::new(Mutex::new(State::default()));
        let listeners: Vec<TcpListener> = (0..4)
            .map(|_| TcpListener::bind("127.0.0.1:0").unwrap())
            .collect();
        let ports: Vec<u16> = listeners
            .iter()
            .map(|l| l.local_addr().unwrap().port())
            .collect();
        let admin_secret = "adm8Q~StandInAdminSecretValue0123456789ab".to_string();
        let mut s = StandIn {
            opts,
            login_port: ports[0],
            graph_port: ports[1],
            arm_port: ports[2],
            login_http_port: ports[3],
            state,
            ca_file,
            admin_app_id: String::new(),
            admin_secret: admin_secret.clone(),
            _dir: dir,
        };
        s.admin_app_id = s.seed(&admin_secret);
        let shared = Arc::new(Shared {
            opts: s.opts.clone(),
            ports: (s.login_port, s.graph_port, s.arm_port),
            state: s.state.clone(),
        });
        let mut listeners = listeners.into_iter();
        for name in ["login", "graph", "arm"] {
            let listener = listeners.next().unwrap();
            let shared = shared.clone();
            let config = tls.config.clone();
            std::thread::spawn(move || {
                for tcp in listener.incoming().flatten() {
                    let shared = shared.clone();
                    let config = config.clone();
                    std::thread::spawn(move || serve(tcp, config, &shared, name));
                }
            });
        }
        // The identity platform over plain HTTP too: a loopback authority needs no CA.
        let plain = listeners.next().unwrap();
        std::thread::spawn(move || {
            for tcp in plain.incoming().flatten() {
                let shared = shared.clone();
                std::thread::spawn(move || serve_plain(tcp, &shared, "login"));
            }
        });
        s
    }

    /// Microsoft Graph's own service principal (with every permission of the bundled
    /// catalogue) and the admin identity the tests sign in with.
    fn seed(&self, admin_secret: &str) -> String {
        let tsv = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/graph-permissions.tsv"),
        )
        .unwrap();
        let mut st = self.state.lock().unwrap();
        let graph_sp = st.new_id();
        st.service_principals
            .push(odata::graph_service_principal(&graph_sp, &tsv));
        let admin_app = st.new_id();
        let admin_obj = st.new_id();
        let admin_sp = st.new_id();
        st.applications
            .push(json!({"id": admin_obj, "appId": admin_app,
            "displayName": "automation (test identity)", "signInAudience": "AzureADMyOrg",
            "web": {"redirectUris": []}, "spa": {"redirectUris": []},
            "requiredResourceAccess": [], "passwordCredentials": [], "keyCredentials": []}));
        st.service_principals
            .push(json!({"id": admin_sp, "appId": admin_app,
            "displayName": "automation (test identity)",
            "servicePrincipalNames": [admin_app]}));
        st.secrets
            .insert(admin_app.clone(), vec![admin_secret.to_string()]);
        admin_app
    }

    /// `azreg --file FILE <sub...> --device-code` against this stand-in (`apply`, `plan`),
    /// English, no stdin, fast retries.
    pub fn device_code(&self, file: &Path, sub: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_azreg"));
        cmd.arg("--file")
            .arg(file)
            .args(sub)
            .args(["--device-code", "--authority", &self.login_url()])
            .args(["--graph", &self.graph_url()])
            .env("SSL_CERT_FILE", &self.ca_file)
            .env("AZREG_RETRY_FIRST_MS", FAST_RETRY_MS)
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .stdin(std::process::Stdio::null());
        cmd
    }

    /// `azreg --file FILE apply --yes --device-code` against this stand-in.
    pub fn device_code_apply(&self, file: &Path) -> std::process::Command {
        self.device_code(file, &["apply", "--yes"])
    }

    /// A registration made by hand and in use: an app with these redirect URIs, a secret
    /// valid until `secret_end` (RFC 3339) that the token endpoint takes at once, and, with
    /// `sp`, its service principal. Its client ID and the secret's value.
    pub fn seed_registration(
        &self,
        web: &[&str],
        spa: &[&str],
        sp: bool,
        secret_end: &str,
    ) -> (String, String) {
        let (id, app_id) = self.seed_app("Intrexx Portal", web, spa, None);
        let secret = "abc8Q~abcdefghijklmnopqrstuvwxyz0123456_".to_string();
        let mut st = self.state.lock().unwrap();
        let key = st.new_id();
        let i = st.app_index(&id, false).unwrap();
        st.applications[i]["passwordCredentials"] = json!([{"keyId": key,
            "displayName": "Intrexx connector", "hint": &secret[..3],
            "startDateTime": "2026-01-01T00:00:00Z", "endDateTime": secret_end}]);
        st.secrets.insert(app_id.clone(), vec![secret.clone()]);
        st.secret_keys.insert(secret.clone(), key.clone());
        st.secret_ends
            .insert(secret.clone(), secret_end.to_string());
        if sp {
            let sp_id = st.new_id();
            st.service_principals
                .push(json!({"id": sp_id, "appId": app_id,
                "displayName": "Intrexx Portal", "servicePrincipalNames": [app_id],
                "accountEnabled": true}));
        }
        (app_id, secret)
    }

    /// An owner added by hand (the portal's Owners page), to the app with this client ID.
    pub fn add_owner(&self, client_id: &str, upn: &str) {
        let mut st = self.state.lock().unwrap();
        let i = st.app_index(client_id, true).unwrap();
        let id = st.applications[i]["id"].as_str().unwrap().to_string();
        let user = st.user(upn);
        st.owners.entry(id).or_default().push(user);
    }

    /// Delegated grants of the app's service principal that are not the tenant-wide one to
    /// Graph (one person's consent, another resource's), listed before it: the one azreg
    /// looks for then sits on a later page.
    pub fn grants_before(&self, client_id: &str, n: usize) {
        let mut st = self.state.lock().unwrap();
        let sp = st
            .service_principals
            .iter()
            .find(|s| s["appId"].as_str() == Some(client_id))
            .map(|s| s["id"].as_str().unwrap().to_string())
            .unwrap();
        for k in 0..n {
            let id = st.new_id();
            let other = st.new_id();
            let g = if k % 2 == 0 {
                json!({"id": id, "clientId": sp, "consentType": "Principal",
                    "principalId": other, "resourceId": other, "scope": "openid"})
            } else {
                json!({"id": id, "clientId": sp, "consentType": "AllPrincipals",
                    "principalId": null, "resourceId": other, "scope": "user_impersonation"})
            };
            st.grants.insert(0, g);
        }
    }

    /// Intrexx's connector signing in with the secret it holds (a client-credentials sign-in
    /// of the app): whether Entra takes it. The credential activity report sees it.
    pub fn connector_signs_in(&self, client_id: &str, secret: &str) -> bool {
        let mut st = self.state.lock().unwrap();
        let now = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        let valid = st
            .secrets
            .get(client_id)
            .is_some_and(|s| s.iter().any(|x| x == secret))
            && st
                .secret_ends
                .get(secret)
                .is_none_or(|end| end.as_str() >= now.as_str());
        if valid && let Some(key) = st.secret_keys.get(secret).cloned() {
            st.key_use.insert(key, now);
        }
        valid
    }

    /// The owners' names of the app with this client ID.
    pub fn owners_of(&self, client_id: &str) -> Vec<String> {
        let st = self.state.lock().unwrap();
        let Some(i) = st.app_index(client_id, true) else {
            return Vec::new();
        };
        let id = st.applications[i]["id"].as_str().unwrap_or_default();
        st.owners
            .get(id)
            .into_iter()
            .flatten()
            .filter_map(|o| o["userPrincipalName"].as_str().or(o["appId"].as_str()))
            .map(str::to_string)
            .collect()
    }

    /// The writes Graph carried out (not reads, not refusals), in order.
    pub fn writes(&self) -> Vec<Logged> {
        self.log()
            .into_iter()
            .filter(|l| l.port == "graph" && l.method != "GET" && (200..300).contains(&l.status))
            .collect()
    }

    /// An application made by hand, as the portal makes it (no service principal unless
    /// asked): its object ID and client ID.
    pub fn seed_app(
        &self,
        name: &str,
        web: &[&str],
        spa: &[&str],
        owner: Option<&str>,
    ) -> (String, String) {
        let mut st = self.state.lock().unwrap();
        let (id, app_id) = (st.new_id(), st.new_id());
        st.applications.push(json!({
            "id": id, "appId": app_id, "displayName": name, "signInAudience": "AzureADMyOrg",
            "web": {"redirectUris": web}, "spa": {"redirectUris": spa},
            "publicClient": {"redirectUris": []},
            "requiredResourceAccess": [], "passwordCredentials": [], "keyCredentials": [],
            "createdDateTime": "2025-03-04T05:06:07Z",
        }));
        if let Some(o) = owner {
            let user = st.user(o);
            st.owners.insert(id.clone(), vec![user]);
        }
        (id, app_id)
    }

    /// `azreg apply` with the browser sign-in, the "browser" being curl (a real HTTP client
    /// that follows the stand-in's redirect back to azreg's loopback port, as a browser does;
    /// like lynx it runs in the foreground until done). The page azreg answers with lands in
    /// `browser-page.html` beside `file`. `None`, with the reason printed, where curl is missing
    /// (CI installs it).
    pub fn browser_apply(&self, file: &Path) -> Option<std::process::Command> {
        let curl = which("curl");
        if curl.is_none() {
            let why = "curl is not installed (it plays the browser)";
            if std::env::var_os("AZREG_REQUIRE_CURL").is_some() {
                panic!("{why}, and AZREG_REQUIRE_CURL is set");
            }
            eprintln!("SKIPPED: {why}");
            return None;
        }
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_azreg"));
        cmd.arg("--file")
            .arg(file)
            .args(["apply", "--yes", "--authority", &self.login_url()])
            .args(["--graph", &self.graph_url()])
            .env("SSL_CERT_FILE", &self.ca_file)
            .env("AZREG_RETRY_FIRST_MS", FAST_RETRY_MS)
            .env(
                "BROWSER",
                format!(
                    "curl --silent --show-error --location --max-time 10 --cacert {} --output {}",
                    self.ca_file.display(),
                    file.with_file_name("browser-page.html").display()
                ),
            )
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .stdin(std::process::Stdio::null());
        Some(cmd)
    }

    /// The identity platform over plain HTTP: no CA needed (azreg takes `http` for loopback).
    pub fn login_http_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.login_http_port)
    }

    pub fn login_url(&self) -> String {
        format!("https://127.0.0.1:{}", self.login_port)
    }
    pub fn graph_url(&self) -> String {
        format!("https://127.0.0.1:{}/", self.graph_port)
    }
    pub fn arm_url(&self) -> String {
        format!("https://127.0.0.1:{}/", self.arm_port)
    }

    /// The applications the tests created (the admin identity left out).
    pub fn apps(&self) -> Vec<Value> {
        let st = self.state.lock().unwrap();
        st.applications
            .iter()
            .filter(|a| a["appId"] != Value::String(self.admin_app_id.clone()))
            .cloned()
            .collect()
    }

    /// Service principals other than Graph's and the admin's.
    pub fn sps(&self) -> Vec<Value> {
        let st = self.state.lock().unwrap();
        st.service_principals
            .iter()
            .filter(|s| s["appId"] != GRAPH_APP_ID && s["appId"] != self.admin_app_id.as_str())
            .cloned()
            .collect()
    }

    pub fn grants(&self) -> Vec<Value> {
        self.state.lock().unwrap().grants.clone()
    }

    pub fn role_assignments(&self) -> Vec<Value> {
        self.state.lock().unwrap().role_assignments.clone()
    }

    pub fn log(&self) -> Vec<Logged> {
        self.state.lock().unwrap().log.clone()
    }

    /// The whole state as JSON, for a failing test's message and the closing note.
    pub fn dump(&self) -> String {
        let st = self.state.lock().unwrap();
        serde_json::to_string_pretty(&json!({
            "applications": st.applications,
            "servicePrincipals": st.service_principals.iter().map(|s| {
                let mut s = s.clone();
                // Graph's own catalogue is long; say how long instead.
                for k in ["appRoles", "oauth2PermissionScopes"] {
                    if let Some(n) = s.get(k).and_then(Value::as_array).map(Vec::len) {
                        s[k] = json!(format!("({n} entries)"));
                    }
                }
                s
            }).collect::<Vec<_>>(),
            "oauth2PermissionGrants": st.grants,
            "appRoleAssignments": st.role_assignments,
        }))
        .unwrap()
    }

    /// The request log, one line a request.
    pub fn log_text(&self) -> String {
        self.log()
            .iter()
            .map(|l| {
                format!(
                    "{} {} {} -> {} {}",
                    l.port, l.method, l.target, l.status, l.body
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

struct Shared {
    opts: Options,
    ports: (u16, u16, u16),
    state: Arc<Mutex<State>>,
}

impl State {
    fn new_id(&mut self) -> String {
        self.next_id += 1;
        // Distinct, well-formed GUIDs; the high bits differ per stand-in so ids of two runs
        // are not confused.
        let salt = std::process::id() as u64;
        format!(
            "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
            (salt as u32).wrapping_mul(2654435761),
            self.next_id & 0xffff,
            (self.next_id >> 4) & 0xfff,
            self.next_id & 0xfff,
            self.next_id.wrapping_mul(0x9e3779b97f4a7c15) & 0xffff_ffff_ffff
        )
    }

    /// The user with this UPN as a directory object (`#microsoft.graph.user`), known from now on.
    fn user(&mut self, upn: &str) -> Value {
        let id = match self.users.get(upn) {
            Some(id) => id.clone(),
            None => {
                let id = self.new_id();
                self.users.insert(upn.to_string(), id.clone());
                id
            }
        };
        json!({"@odata.type": "#microsoft.graph.user", "id": id, "businessPhones": [],
            "displayName": upn.split('@').next().unwrap_or(upn), "givenName": null,
            "jobTitle": null, "mail": null, "mobilePhone": null, "officeLocation": null,
            "preferredLanguage": null, "surname": null, "userPrincipalName": upn})
    }

    fn app_index(&self, key: &str, by_app_id: bool) -> Option<usize> {
        let field = if by_app_id { "appId" } else { "id" };
        self.applications
            .iter()
            .position(|a| a[field].as_str() == Some(key))
    }

    /// True (and one miss used) while this path of a new service principal does not see it.
    fn sp_miss(&mut self, sp: &Value, path: impl Fn(&mut SpLag) -> &mut u32) -> bool {
        let id = sp["id"].as_str().unwrap_or_default();
        self.sp_lag
            .get_mut(id)
            .is_some_and(|l| SpLag::miss(path(l)))
    }

    /// True (and one miss used) while a new application is not yet visible to reads.
    fn read_miss(&mut self, app: &Value) -> bool {
        let key = app["appId"].as_str().unwrap_or_default().to_string();
        match self.read_misses.get_mut(&key) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }
}

// ------------------------------------------------------------------------------------------
// HTTP over TLS, one thread a connection, keep-alive.

struct Request {
    method: String,
    target: String,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

fn read_request(r: &mut impl BufRead) -> Option<Request> {
    let mut line = String::new();
    if r.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = BTreeMap::new();
    loop {
        let mut h = String::new();
        if r.read_line(&mut h).ok()? == 0 {
            return None;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len.min(1 << 20)];
    r.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        target,
        headers,
        body,
    })
}

fn serve(tcp: TcpStream, config: Arc<rustls::ServerConfig>, shared: &Shared, port: &'static str) {
    let _ = tcp.set_read_timeout(Some(Duration::from_secs(30)));
    let Ok(conn) = rustls::ServerConnection::new(config) else {
        return;
    };
    let tls = rustls::StreamOwned::new(conn, tcp);
    serve_on(tls, shared, port, |s| s.conn.send_close_notify());
}

/// The same over plain HTTP (the identity platform on a loopback port, as tests may use it).
fn serve_plain(tcp: TcpStream, shared: &Shared, port: &'static str) {
    let _ = tcp.set_read_timeout(Some(Duration::from_secs(30)));
    serve_on(tcp, shared, port, |_| {});
}

fn serve_on<S: std::io::Read + Write>(
    stream: S,
    shared: &Shared,
    port: &'static str,
    close: impl Fn(&mut S),
) {
    let mut reader = BufReader::new(stream);
    while let Some(req) = read_request(&mut reader) {
        let throttled = port == "graph" && {
            let mut st = shared.state.lock().unwrap();
            st.graph_requests += 1;
            let every = shared.opts.throttle_every;
            every > 0 && st.graph_requests.is_multiple_of(every)
        };
        let (status, body) = if throttled {
            graph_error(
                429,
                "TooManyRequests",
                "Too many requests. Please retry after the time given in Retry-After.",
            )
        } else if port == "login" && shared.opts.login_server_error {
            (500, "<html>Internal Server Error</html>".into())
        } else {
            route(shared, port, &req)
        };
        let masked = mask(&String::from_utf8_lossy(&req.body));
        let drop_it = {
            let mut st = shared.state.lock().unwrap();
            let drop_it = port == "graph"
                && req.target.ends_with("/addPassword")
                && status == 200
                && st.dropped < shared.opts.drop_add_password;
            st.dropped += u32::from(drop_it);
            st.log.push(Logged {
                port,
                method: req.method.clone(),
                target: req.target.clone(),
                body: masked,
                // 0: carried out, but the answer never left.
                status: if drop_it { 0 } else { status },
            });
            drop_it
        };
        if drop_it {
            return;
        }
        // A redirect carries its target as the body (`login::authorize`).
        let (location, body) = match status {
            302 => (format!("Location: {body}\r\n"), String::new()),
            204 => (String::new(), String::new()),
            _ => (String::new(), body),
        };
        let location = if status == 429 {
            format!("{location}Retry-After: 1\r\n")
        } else {
            location
        };
        let headers = if port == "graph" {
            let n = {
                let mut st = shared.state.lock().unwrap();
                st.answers += 1;
                st.answers
            };
            odata::headers(status, n)
        } else {
            "Content-Type: application/json\r\n".to_string()
        };
        let resp = format!(
            "HTTP/1.1 {status} {}\r\n{location}{headers}Content-Length: {}\r\n\r\n{body}",
            reason(status),
            body.len()
        );
        let stream = reader.get_mut();
        if stream.write_all(resp.as_bytes()).is_err() || stream.flush().is_err() {
            return;
        }
        if req
            .headers
            .get("connection")
            .is_some_and(|c| c.eq_ignore_ascii_case("close"))
        {
            close(stream);
            let _ = stream.flush();
            return;
        }
    }
}

/// A program on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        429 => "Too Many Requests",
        _ => "Status",
    }
}

/// Masks secrets in a logged body: form fields and JSON members that carry them.
pub fn mask(body: &str) -> String {
    let mut out = body.to_string();
    for key in [
        "client_secret=",
        "password=",
        "code_verifier=",
        "refresh_token=",
    ] {
        if let Some(start) = out.find(key) {
            let from = start + key.len();
            let end = out[from..].find('&').map_or(out.len(), |e| from + e);
            out.replace_range(from..end, "***");
        }
    }
    for key in ["\"secretText\"", "\"password\""] {
        if let Some(start) = out.find(key)
            && let Some(q1) = out[start + key.len()..].find('"')
        {
            let from = start + key.len() + q1 + 1;
            if let Some(q2) = out[from..].find('"') {
                out.replace_range(from..from + q2, "***");
            }
        }
    }
    out
}

fn graph_error(status: u16, code: &str, message: &str) -> (u16, String) {
    (
        status,
        json!({"error": {"code": code, "message": message,
            "innerError": {"date": "2026-11-27T10:00:00",
                "request-id": "00000000-0000-0000-0000-000000000001",
                "client-request-id": "00000000-0000-0000-0000-000000000001"}}})
        .to_string(),
    )
}

fn aad_error(status: u16, code: u64, error: &str, text: &str) -> (u16, String) {
    (
        status,
        json!({"error": error, "error_description": format!("AADSTS{code}: {text} Trace ID: t1"),
            "error_codes": [code], "timestamp": "2026-11-27 10:00:00Z",
            "trace_id": "trace-1", "correlation_id": "corr-1"})
        .to_string(),
    )
}

fn form(body: &[u8]) -> HashMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn route(shared: &Shared, port: &str, req: &Request) -> (u16, String) {
    let (path, query) = req
        .target
        .split_once('?')
        .map_or((req.target.as_str(), ""), |(p, q)| (p, q));
    match port {
        "login" => login(shared, &req.method, path, query, &req.body),
        "arm" => match path.trim_end_matches('/') {
            "/subscriptions" => (200, json!({"value": []}).to_string()),
            "/tenants" => (
                200,
                json!({"value": [{"tenantId": shared.opts.tenant}]}).to_string(),
            ),
            _ => (404, json!({"error": {"code": "NotFound"}}).to_string()),
        },
        _ => {
            let token = req
                .headers
                .get("authorization")
                .and_then(|a| a.strip_prefix("Bearer "))
                .unwrap_or("");
            if audience(token).as_deref() != Some(&graph_resource(shared.ports.1)) {
                return graph_error(
                    401,
                    "InvalidAuthenticationToken",
                    "Access token validation failure. Invalid audience.",
                );
            }
            let query: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect();
            let body: Value = if req.body.is_empty() {
                Value::Null
            } else {
                match serde_json::from_slice(&req.body) {
                    Ok(v) => v,
                    Err(_) => {
                        return graph_error(
                            400,
                            "BadRequest",
                            "Unable to read JSON request payload.",
                        );
                    }
                }
            };
            let create_if_missing = req
                .headers
                .get("prefer")
                .is_some_and(|p| p.split(',').any(|v| v.trim() == "create-if-missing"));
            let mut st = shared.state.lock().unwrap();
            let caller = match upn(token) {
                Some(u) => Caller::User(st.user(&u)),
                None => Caller::App,
            };
            let (status, answer) = if path == "/v1.0/me" && req.method == "GET" {
                // Only a delegated token has a user (Graph: "/me request is only valid with
                // delegated authentication flow").
                match &caller {
                    Caller::User(u) => (200, u.to_string()),
                    Caller::App => graph_error(
                        400,
                        "BadRequest",
                        "/me request is only valid with delegated authentication flow.",
                    ),
                }
            } else {
                graph(
                    &shared.opts,
                    &mut st,
                    &caller,
                    create_if_missing,
                    &req.method,
                    path,
                    &query,
                    body,
                )
            };
            if req.method == "GET" && status == 200 {
                let raw = req.target.split_once('?').map_or("", |(_, q)| q);
                let kept;
                let raw = if shared.opts.ignore_select {
                    kept = raw
                        .split('&')
                        .filter(|p| !p.starts_with("$select=") && !p.starts_with("%24select="))
                        .collect::<Vec<_>>()
                        .join("&");
                    kept.as_str()
                } else {
                    raw
                };
                return (
                    status,
                    odata::shape(shared.ports.1, shared.opts.page_size, path, raw, &answer),
                );
            }
            (status, answer)
        }
    }
}

mod api;
mod login;
mod odata;

/// Who a Graph request comes from: a person (their directory object) or an app identity.
pub(super) enum Caller {
    User(Value),
    App,
}
use api::graph;
use login::{audience, graph_resource, login, upn};

/// Whether the writes Graph received are the plan's (`azreg plan --json`'s `writes`), in order:
/// the same method, path and body, a placeholder (`<app.id>`, `<now>`, ...) standing for
/// whatever id or time was known by then.
pub fn received_as_planned(plan: &Value, got: &[Logged]) -> Result<(), String> {
    let planned = plan["writes"].as_array().cloned().unwrap_or_default();
    let show = |l: &Logged| format!("{} {} {}", l.method, l.target, l.body);
    if planned.len() != got.len() {
        return Err(format!(
            "{} writes planned, {} received:\nplanned: {:#}\nreceived:\n{}",
            planned.len(),
            got.len(),
            Value::Array(planned.clone()),
            got.iter().map(show).collect::<Vec<_>>().join("\n")
        ));
    }
    for (p, g) in planned.iter().zip(got) {
        let body: Value = if g.body.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&g.body).unwrap_or(Value::Null)
        };
        if p["method"] != g.method.as_str()
            || !placeholder_eq(p["path"].as_str().unwrap_or_default(), &g.target)
            || !json_eq(&p["body"], &body)
        {
            return Err(format!("planned {p}\nreceived {}", show(g)));
        }
    }
    Ok(())
}

/// `a` with each `<...>` standing for any text without `/`, `'` or `"`.
fn placeholder_eq(a: &str, b: &str) -> bool {
    match a.find('<') {
        None => a == b,
        Some(i) => {
            let Some(j) = a[i..].find('>') else {
                return a == b;
            };
            let (head, rest) = (&a[..i], &a[i + j + 1..]);
            let Some(tail) = b.strip_prefix(head) else {
                return false;
            };
            (0..=tail.len())
                .take_while(|k| !tail[..*k].contains(['/', '\'', '"']))
                .filter(|k| tail.is_char_boundary(*k))
                .any(|k| placeholder_eq(rest, &tail[k..]))
        }
    }
}

fn json_eq(p: &Value, g: &Value) -> bool {
    match (p, g) {
        (Value::String(a), Value::String(b)) => placeholder_eq(a, b),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| json_eq(x, y))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, v)| b.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => p == g,
    }
}
