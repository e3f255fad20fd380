//! A contract test against Microsoft's published v1.0 metadata: every request azreg's engine
//! and both generated scripts make to Microsoft Graph (method, path, query, each body property
//! and its type) must exist in v1.0 as Microsoft declares it.
//!
//! The metadata is the trimmed CSDL extract in `tests/data/graph-contract/` (made from
//! Microsoft's file by `extract.py` beside it). The requests are what the stand-in received
//! while azreg ran every command that writes or reads (registration with consent and an owner,
//! a re-plan, doctor, secrets, a renewal, a takeover that changes the app, a policy refusal,
//! delete), what the real Azure CLI sent running the bash script, and every request spelt out
//! in the PowerShell script (pwsh cannot be installed here).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::graph::{APPLY_PROGRESS, Options, StandIn};

// ------------------------------------------------------------------------------------------
// The metadata.

#[derive(Debug, Default)]
struct TypeDef {
    base: Option<String>,
    props: BTreeMap<String, String>,
    navs: BTreeMap<String, String>,
    alt_keys: BTreeSet<String>,
    members: BTreeSet<String>,
}

#[derive(Debug)]
struct Action {
    name: String,
    binding: String,
    params: BTreeMap<String, String>,
}

#[derive(Debug, Default)]
struct Csdl {
    types: BTreeMap<String, TypeDef>,
    /// Entity sets (collections) and singletons, by name: their type and whether a set.
    roots: BTreeMap<String, (String, bool)>,
    actions: Vec<Action>,
}

fn local(t: &str) -> String {
    let t = t
        .strip_prefix("Collection(")
        .and_then(|t| t.strip_suffix(')'))
        .unwrap_or(t);
    t.trim_start_matches("microsoft.graph.")
        .trim_start_matches("graph.")
        .to_string()
}

fn load() -> Csdl {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/graph-contract/graph-v1.0-extract.xml");
    let text = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let mut c = Csdl::default();
    for n in doc.descendants().filter(|n| n.is_element()) {
        let name = n.attribute("Name").unwrap_or_default().to_string();
        match n.tag_name().name() {
            "EntityType" | "ComplexType" | "EnumType" => {
                let mut t = TypeDef {
                    base: n.attribute("BaseType").map(local),
                    ..TypeDef::default()
                };
                for ch in n.children().filter(|c| c.is_element()) {
                    let (cn, ct) = (
                        ch.attribute("Name").unwrap_or_default().to_string(),
                        ch.attribute("Type").unwrap_or_default().to_string(),
                    );
                    match ch.tag_name().name() {
                        "Property" => {
                            t.props.insert(cn, ct);
                        }
                        "NavigationProperty" => {
                            t.navs.insert(cn, ct);
                        }
                        "Member" => {
                            t.members.insert(cn);
                        }
                        "Annotation"
                            if ch.attribute("Term") == Some("Org.OData.Core.V1.AlternateKeys") =>
                        {
                            for alias in ch
                                .descendants()
                                .filter(|d| d.attribute("Property") == Some("Alias"))
                            {
                                t.alt_keys
                                    .insert(alias.attribute("String").unwrap().to_string());
                            }
                        }
                        _ => {}
                    }
                }
                c.types.insert(name, t);
            }
            "Action" => {
                let mut params = BTreeMap::new();
                let mut binding = String::new();
                for p in n.children().filter(|c| c.has_tag_name("Parameter")) {
                    let (pn, pt) = (p.attribute("Name").unwrap(), p.attribute("Type").unwrap());
                    if pn == "bindingParameter" {
                        binding = local(pt);
                    } else {
                        params.insert(pn.to_string(), pt.to_string());
                    }
                }
                c.actions.push(Action {
                    name,
                    binding,
                    params,
                });
            }
            "EntitySet" => {
                c.roots
                    .insert(name, (local(n.attribute("EntityType").unwrap()), true));
            }
            "Singleton" => {
                c.roots
                    .insert(name, (local(n.attribute("Type").unwrap()), false));
            }
            _ => {}
        }
    }
    c
}

impl Csdl {
    /// The type and its base types, nearest first.
    fn chain(&self, ty: &str) -> Vec<&TypeDef> {
        let mut out = Vec::new();
        let mut at = Some(ty.to_string());
        while let Some(name) = at {
            let Some(t) = self.types.get(&name) else {
                break;
            };
            out.push(t);
            at = t.base.clone();
        }
        out
    }

    fn prop(&self, ty: &str, name: &str) -> Option<&str> {
        self.chain(ty)
            .into_iter()
            .find_map(|t| t.props.get(name).map(String::as_str))
    }

    fn nav(&self, ty: &str, name: &str) -> Option<&str> {
        self.chain(ty)
            .into_iter()
            .find_map(|t| t.navs.get(name).map(String::as_str))
    }

    fn alt_key(&self, ty: &str, key: &str) -> bool {
        self.chain(ty).iter().any(|t| t.alt_keys.contains(key))
    }

    /// A property of the type or of a type derived from it (a `directoryObject` collection
    /// lists users and service principals; `$select` may name their properties).
    fn prop_here_or_derived(&self, ty: &str, name: &str) -> bool {
        self.prop(ty, name).is_some()
            || self.types.keys().any(|t| {
                self.chain(t).len() > 1 && self.is_a(t, ty) && self.prop(t, name).is_some()
            })
    }

    fn is_a(&self, t: &str, base: &str) -> bool {
        let mut at = Some(t.to_string());
        while let Some(n) = at {
            if n == base {
                return true;
            }
            at = self.types.get(&n).and_then(|d| d.base.clone());
        }
        false
    }

    fn action(&self, ty: &str, name: &str) -> Option<&Action> {
        self.actions
            .iter()
            .find(|a| a.name == name && self.is_a(ty, &a.binding))
    }

    /// Does `v` fit the CSDL type `ty`?
    fn fits(&self, ty: &str, v: &Value, at: &str) -> Result<(), String> {
        if v.is_null() {
            return Ok(());
        }
        if let Some(inner) = ty
            .strip_prefix("Collection(")
            .and_then(|t| t.strip_suffix(')'))
        {
            let items = v.as_array().ok_or(format!("{at}: not an array for {ty}"))?;
            for (i, item) in items.iter().enumerate() {
                self.fits(inner, item, &format!("{at}[{i}]"))?;
            }
            return Ok(());
        }
        let placeholder = |s: &str| {
            (s.starts_with('<') && s.ends_with('>')) || (s.starts_with('@') && s.ends_with('@'))
        };
        match ty {
            "Edm.String" => v.as_str().map(|_| ()).ok_or(format!("{at}: not a string")),
            "Edm.Guid" => match v.as_str() {
                Some(s) if azreg::core::fields::is_guid(s) || placeholder(s) => Ok(()),
                _ => Err(format!("{at}: not a GUID: {v}")),
            },
            "Edm.DateTimeOffset" => match v.as_str() {
                Some(s)
                    if placeholder(s) || azreg::remote::graph::GraphTime::parse(s).is_some() =>
                {
                    Ok(())
                }
                _ => Err(format!("{at}: not a date and time: {v}")),
            },
            "Edm.Boolean" => v
                .as_bool()
                .map(|_| ())
                .ok_or(format!("{at}: not a boolean")),
            "Edm.Int32" | "Edm.Int64" => {
                v.as_i64().map(|_| ()).ok_or(format!("{at}: not a number"))
            }
            "Edm.Binary" => v
                .as_str()
                .map(|_| ())
                .ok_or(format!("{at}: not base64 text")),
            _ => {
                let name = local(ty);
                let t = self
                    .types
                    .get(&name)
                    .ok_or(format!("{at}: type {ty} not in the extract"))?;
                if !t.members.is_empty() {
                    return match v.as_str() {
                        Some(s) if t.members.contains(s) => Ok(()),
                        _ => Err(format!("{at}: {v} is not a member of {ty}")),
                    };
                }
                let obj = v
                    .as_object()
                    .ok_or(format!("{at}: not an object for {ty}"))?;
                for (k, val) in obj {
                    if k.starts_with('@') {
                        continue;
                    }
                    let pt = self
                        .prop(&name, k)
                        .ok_or(format!("{at}: {name} has no property {k:?}"))?;
                    self.fits(pt, val, &format!("{at}.{k}"))?;
                }
                Ok(())
            }
        }
    }
}

// ------------------------------------------------------------------------------------------
// A request, resolved against the metadata.

#[derive(Debug)]
enum Target {
    Collection(String),
    Single(String),
    Action(String, String),
    Ref,
}

fn decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn resolve(c: &Csdl, path: &str) -> Result<Target, String> {
    let rest = path
        .strip_prefix("/v1.0/")
        .or(path.strip_prefix("v1.0/"))
        .ok_or(format!("not below /v1.0/: {path}"))?;
    let mut segs = rest.split('/').map(decode);
    let first = segs.next().unwrap_or_default();
    let (root, key) = match first.split_once('(') {
        Some((r, k)) => (r.to_string(), Some(k.trim_end_matches(')').to_string())),
        None => (first.clone(), None),
    };
    let (ty, is_set) = c
        .roots
        .get(&root)
        .cloned()
        .ok_or(format!("{root:?} is neither an entity set nor a singleton"))?;
    let mut at = match key {
        Some(k) => {
            let prop = k.split_once('=').map(|(p, _)| p).unwrap_or_default();
            if !is_set || !c.alt_key(&ty, prop) {
                return Err(format!("{ty} declares no alternate key {prop:?}"));
            }
            Target::Single(ty)
        }
        None if is_set => Target::Collection(ty),
        None => Target::Single(ty),
    };
    for seg in segs {
        at = match at {
            Target::Collection(t) if seg != "$ref" => Target::Single(t),
            Target::Single(t) => {
                if let Some(nav) = c.nav(&t, &seg) {
                    if nav.starts_with("Collection(") {
                        Target::Collection(local(nav))
                    } else {
                        Target::Single(local(nav))
                    }
                } else if c.action(&t, &seg).is_some() {
                    Target::Action(t, seg)
                } else {
                    return Err(format!("{t} has no navigation property or action {seg:?}"));
                }
            }
            Target::Collection(_) => Target::Ref,
            other => return Err(format!("nothing below {other:?}: {seg}")),
        };
    }
    Ok(at)
}

/// The property names a `$filter` refers to (the forms azreg and the Azure CLI send).
fn filter_props(f: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in f.split(" and ") {
        let part = part.trim();
        if let Some(r) = part.strip_prefix("startswith(") {
            out.push(r.split(',').next().unwrap_or_default().trim().to_string());
        } else if let Some((p, _)) = part.split_once("/any(") {
            out.push(p.trim().to_string());
        } else if let Some((p, _)) = part.split_once(" eq ") {
            out.push(p.trim().to_string());
        }
    }
    out
}

/// One request checked: `Ok` with a short description, or what in it v1.0 does not have.
fn check(c: &Csdl, method: &str, target: &str, body: &Value) -> Result<String, String> {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let t = resolve(c, path)?;
    let ty = match &t {
        Target::Collection(t) | Target::Single(t) | Target::Action(t, _) => t.clone(),
        Target::Ref => String::new(),
    };
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        match k.as_ref() {
            "$select" => {
                for p in v.split(',') {
                    if !c.prop_here_or_derived(&ty, p.trim()) {
                        return Err(format!("$select: {ty} has no property {p:?}"));
                    }
                }
            }
            "$filter" => {
                for p in filter_props(&v) {
                    if !c.prop_here_or_derived(&ty, &p) {
                        return Err(format!("$filter: {ty} has no property {p:?}"));
                    }
                }
            }
            "$skiptoken" | "$top" | "$count" | "api-version" => {}
            other => return Err(format!("an unexpected query option {other:?}")),
        }
    }
    match (method, &t) {
        ("GET", Target::Action(..)) => Err("GET of an action".into()),
        ("GET", _) => Ok(format!("GET {ty}")),
        ("POST", Target::Collection(t)) | ("PATCH", Target::Single(t)) => {
            c.fits(&format!("graph.{t}"), body, t)?;
            Ok(format!("{method} {t} {:?}", keys(body)))
        }
        ("POST", Target::Action(t, a)) => {
            let action = c.action(t, a).unwrap();
            let obj = body.as_object().ok_or("an action's body is an object")?;
            for (k, v) in obj {
                let pt = action
                    .params
                    .get(k)
                    .ok_or(format!("{a} has no parameter {k:?}"))?;
                c.fits(pt, v, &format!("{a}.{k}"))?;
            }
            Ok(format!("POST {t}/{a} {:?}", keys(body)))
        }
        ("POST", Target::Ref) => match body.get("@odata.id").and_then(Value::as_str) {
            Some(r) if r.contains("/directoryObjects/") => Ok("POST $ref".into()),
            _ => Err(format!("a $ref body names a directory object: {body}")),
        },
        ("DELETE", Target::Single(t)) => Ok(format!("DELETE {t}")),
        _ => Err(format!("{method} on {t:?}")),
    }
}

fn keys(v: &Value) -> Vec<String> {
    v.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

// ------------------------------------------------------------------------------------------
// The requests.

fn file(dir: &Path, text: &str) -> PathBuf {
    let f = dir.join("p.toml");
    std::fs::write(&f, text).unwrap();
    f
}

fn ok(s: &StandIn, f: &Path, args: &[&str]) -> String {
    let o = s.device_code(f, args).output().unwrap();
    let t = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "{args:?}: {t}\n{}", s.log_text());
    t
}

/// Every Graph request azreg's commands make, through the stand-in.
fn engine_requests() -> Vec<(String, String, Value)> {
    let s = StandIn::start(Options {
        device_pending_polls: 0,
        ..Options::default()
    });
    let dir = tempfile::tempdir().unwrap();
    // An app of the same name (read, named, never taken), then the registration under its
    // own key, with consent and the signed-in person as owner.
    s.seed_app(
        "Intrexx Portal",
        &["https://elsewhere.example/cb"],
        &[],
        Some("eve@contoso.example"),
    );
    let f = file(dir.path(), APPLY_PROGRESS);
    let _ = s.device_code(&f, &["plan"]).output().unwrap();
    let taken = s.apps()[0]["appId"].as_str().unwrap().to_string();
    // A takeover that changes the app: redirect URIs and permissions patched.
    ok(&s, &f, &["apply", "--yes", "--adopt", &taken]);
    ok(&s, &f, &["plan"]);
    ok(&s, &f, &["doctor"]);
    ok(&s, &f, &["secrets"]);
    // A renewal that removes the old secret.
    ok(
        &s,
        &f,
        &[
            "apply",
            "--yes",
            "--renew",
            "--remove-old-now",
            "--expires",
            "90",
        ],
    );
    // A rotation: the new secret beside the old, then the old one removed.
    ok(&s, &f, &["apply", "--yes", "--renew", "--expires", "90"]);
    ok(
        &s,
        &f,
        &["apply", "--yes", "--remove-old", "--intrexx-updated"],
    );
    // A secret removed by name (a second one, so the recorded one stays).
    ok(&s, &f, &["apply", "--yes", "--new-secret"]);
    let app = s.apps()[0].clone();
    let recorded: toml::Table = toml::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
    let keep = recorded["secret_key_id"].as_str().unwrap().to_string();
    let other = app["passwordCredentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["keyId"].as_str().unwrap().to_string())
        .find(|k| *k != keep)
        .unwrap();
    ok(&s, &f, &["secrets", "remove", &other, "--yes"]);
    // A fresh registration (create by upsert, service principal, owner, grants).
    let dir2 = tempfile::tempdir().unwrap();
    let f2 = file(
        dir2.path(),
        &APPLY_PROGRESS.replace("Intrexx Portal", "Intrexx Portal Two"),
    );
    ok(&s, &f2, &["apply", "--yes"]);
    ok(&s, &f2, &["delete", "--confirm-name", "Intrexx Portal Two"]);
    // A secret the app's own policy refuses (the named policy is read).
    let p = StandIn::start(Options {
        device_pending_polls: 0,
        max_secret_days: Some(90),
        app_policy: true,
        ..Options::default()
    });
    let dir3 = tempfile::tempdir().unwrap();
    let f3 = file(dir3.path(), APPLY_PROGRESS);
    let _ = p.device_code(&f3, &["apply", "--yes"]).output().unwrap();
    s.log()
        .into_iter()
        .chain(p.log())
        .filter(|l| l.port == "graph")
        .map(|l| {
            let body = serde_json::from_str(&l.body).unwrap_or(Value::Null);
            (l.method, l.target, body)
        })
        .collect()
}

/// Every request the PowerShell script spells out: `'METHOD' 'v1.0/…' '{body}'` and its reads.
fn powershell_requests() -> Vec<(String, String, Value)> {
    let dir = tempfile::tempdir().unwrap();
    // A registration recorded (a renewal needs its client ID).
    let f = file(
        dir.path(),
        &format!(
            "{APPLY_PROGRESS}client_id = \"0b1c2d3e-1111-2222-3333-444455556666\"\ntenant_id = \"9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff\"\n"
        ),
    );
    let mut out = Vec::new();
    for args in [
        &["script", "powershell"][..],
        &["script", "powershell", "--renew"],
    ] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_azreg"))
            .arg("--file")
            .arg(&f)
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let script = String::from_utf8_lossy(&o.stdout).into_owned();
        for line in script.lines() {
            for method in ["GET", "POST", "PATCH", "DELETE"] {
                let quoted = format!("'{method}' ");
                let Some(i) = line.find(&quoted) else {
                    continue;
                };
                let rest = &line[i + quoted.len()..];
                let Some(path) = ps_string(rest) else {
                    continue;
                };
                if !path.0.starts_with("v1.0/") {
                    continue;
                }
                let body = ps_string(path.1.trim_start())
                    .and_then(|(b, _)| serde_json::from_str(&b).ok())
                    .unwrap_or(Value::Null);
                // `$(...)` in a double-quoted path is an id the script read.
                let target = path.0.replace("$($grant.id)", "@GRANT@");
                out.push((method.to_string(), target, body));
            }
            // Reads: `Read-Graph "v1.0/..."` and friends.
            for (i, _) in line
                .match_indices("\"v1.0/")
                .chain(line.match_indices("'v1.0/"))
            {
                if line[..i].contains("'GET' ")
                    || line[..i].contains("'POST' ")
                    || line[..i].contains("'PATCH' ")
                    || line[..i].contains("'DELETE' ")
                {
                    continue;
                }
                if let Some((p, _)) = ps_string(&line[i..]) {
                    let p = p.replace("$GraphAppId", "00000003-0000-0000-c000-000000000000");
                    let p = p.split("$(").next().unwrap_or(&p).to_string();
                    out.push(("GET".into(), p, Value::Null));
                }
            }
        }
    }
    assert!(out.len() >= 8, "the script's requests were found: {out:#?}");
    out
}

/// A PowerShell string literal at the start of `s` (single quotes doubled inside, or double
/// quotes), and the rest.
fn ps_string(s: &str) -> Option<(String, &str)> {
    let q = s.chars().next()?;
    if q != '\'' && q != '"' {
        return None;
    }
    let mut out = String::new();
    let mut it = s[1..].char_indices().peekable();
    while let Some((i, ch)) = it.next() {
        // In double quotes a backtick takes the next character as it is (`$ for $).
        if q == '"' && ch == '`' {
            if let Some((_, next)) = it.next() {
                out.push(next);
            }
            continue;
        }
        if ch == q {
            if q == '\'' && it.peek().map(|(_, c)| *c) == Some('\'') {
                it.next();
                out.push('\'');
                continue;
            }
            return Some((out, &s[i + 2..]));
        }
        out.push(ch);
    }
    None
}

/// What the real Azure CLI sends running the bash script (a registration and a renewal).
fn bash_requests() -> Option<Vec<(String, String, Value)>> {
    let az = crate::common::az::az_cli()?;
    let s = StandIn::start(Options::default());
    let cli = crate::common::az::Az::new(&az, &s);
    let dir = tempfile::tempdir().unwrap();
    let f = file(dir.path(), APPLY_PROGRESS);
    let before = s.log().len();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_azreg"))
        .arg("--file")
        .arg(&f)
        .args(["script", "az"])
        .output()
        .unwrap();
    let script = dir.path().join("register.sh");
    std::fs::write(&script, &o.stdout).unwrap();
    let run = cli.run_script(&script);
    assert!(
        run.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&run.stderr),
        s.log_text()
    );
    Some(
        s.log()
            .into_iter()
            .skip(before)
            .filter(|l| l.port == "graph")
            .map(|l| {
                let body = serde_json::from_str(&l.body).unwrap_or(Value::Null);
                (l.method, l.target, body)
            })
            .collect(),
    )
}

#[test]
fn the_metadata_extract_has_what_azreg_relies_on() {
    let c = load();
    assert!(c.alt_key("application", "appId") && c.alt_key("application", "uniqueName"));
    assert!(c.alt_key("servicePrincipal", "appId"));
    assert_eq!(
        c.prop("application", "createdDateTime"),
        Some("Edm.DateTimeOffset")
    );
    assert!(c.action("application", "addPassword").is_some());
    assert!(c.nav("application", "owners").is_some());
    // And the checker refuses what v1.0 does not have.
    assert!(
        check(
            &c,
            "GET",
            "/v1.0/applications(displayName='x')",
            &Value::Null
        )
        .is_err()
    );
    assert!(
        check(
            &c,
            "GET",
            "/v1.0/applications?$select=id,secretText",
            &Value::Null
        )
        .is_err()
    );
    assert!(
        check(
            &c,
            "POST",
            "/v1.0/applications",
            &serde_json::json!({"displayName": "x", "web": {"redirectUri": ["u"]}})
        )
        .is_err()
    );
    assert!(
        check(
            &c,
            "POST",
            "/v1.0/applications/x/addPassword",
            &serde_json::json!({"passwordCredential": {"endDateTime": "tomorrow"}})
        )
        .is_err()
    );
    assert!(check(&c, "POST", "/v1.0/applications/x/removeKey", &Value::Null).is_err());
}

/// Every request the engine and both scripts make exists in v1.0 as declared.
#[test]
fn every_request_azreg_and_its_scripts_make_exists_in_graph_v1() {
    let c = load();
    let mut requests = engine_requests();
    let engine = requests.len();
    let ps = powershell_requests();
    let ps_count = ps.len();
    requests.extend(ps);
    let bash = match bash_requests() {
        Some(b) => b,
        None if std::env::var_os("AZREG_REQUIRE_AZ_CLI").is_some() => {
            panic!("the Azure CLI is missing and AZREG_REQUIRE_AZ_CLI is set")
        }
        None => {
            eprintln!("SKIPPED: the bash script's requests (no Azure CLI)");
            Vec::new()
        }
    };
    let bash_count = bash.len();
    requests.extend(bash);
    let mut failures = Vec::new();
    let mut kinds = BTreeSet::new();
    for (method, target, body) in &requests {
        match check(&c, method, target, body) {
            Ok(kind) => {
                kinds.insert(kind);
            }
            Err(e) => failures.push(format!("{method} {target} {body}: {e}")),
        }
    }
    let summary = format!(
        "{} requests checked ({engine} by azreg, {ps_count} in the PowerShell script, {bash_count} by the Azure CLI running the bash script), {} kinds:\n{}",
        requests.len(),
        kinds.len(),
        kinds.iter().cloned().collect::<Vec<_>>().join("\n")
    );
    eprintln!("{summary}");
    if let Ok(path) = std::env::var("AZREG_CONTRACT_SUMMARY") {
        std::fs::write(path, &summary).unwrap();
    }
    assert!(failures.is_empty(), "{}\n\n{summary}", failures.join("\n"));
    // The writes azreg relies on were among them.
    for want in [
        "POST application/addPassword",
        "POST application/removePassword",
        "POST servicePrincipal",
        "POST oAuth2PermissionGrant",
        "POST appRoleAssignment",
        "POST $ref",
        "PATCH application",
        "DELETE application",
    ] {
        assert!(
            kinds.iter().any(|k| k.starts_with(want)),
            "{want} not seen:\n{summary}"
        );
    }
}
