//! `azreg apply` from sign-in to a passed live check, whole process, against the Entra ID and
//! Graph stand-in of the tests (HTTPS on 127.0.0.1) with its consistency delays: a new app is
//! not readable twice, its service principal is refused twice, and the device code sign-in
//! answers "pending" once. Both sign-ins: the browser (the default; curl plays the browser and
//! follows the redirect back to azreg's loopback port) and the device code. Budget (issue 16):
//! under 60 s of wall time; each run is checked.
//!
//! `cargo bench --bench apply`

#[path = "../tests/e2e/common/graph/mod.rs"]
mod graph;

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use graph::{Options, StandIn};

const BUDGET: Duration = Duration::from_secs(60);

/// One apply into an empty tenant; the wall time of the process.
fn one_apply(browser: bool) -> Duration {
    let s = StandIn::start(Options::default());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.toml");
    std::fs::write(&file, graph::APPLY_PROGRESS).unwrap();
    let mut cmd = if browser {
        s.browser_apply(&file).expect("curl plays the browser")
    } else {
        s.device_code_apply(&file)
    };
    let started = Instant::now();
    let out = cmd.output().unwrap();
    let took = started.elapsed();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("belong together"),
        "apply failed: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        took < BUDGET,
        "apply took {took:?}, over the budget of {BUDGET:?}"
    );
    took
}

fn apply(c: &mut Criterion) {
    let mut g = c.benchmark_group("apply");
    g.sample_size(10).measurement_time(Duration::from_secs(60));
    g.bench_function(
        "device code sign-in to passed live check, consistency delays",
        |b| b.iter_custom(|iters| (0..iters).map(|_| one_apply(false)).sum()),
    );
    g.bench_function(
        "browser sign-in to passed live check, consistency delays",
        |b| b.iter_custom(|iters| (0..iters).map(|_| one_apply(true)).sum()),
    );
    g.finish();
}

criterion_group!(benches, apply);
criterion_main!(benches);
