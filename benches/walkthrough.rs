//! criterion benchmarks: frames, key handling, loading and saving, validators.
//! `cargo bench --bench walkthrough`; the budgets are checked by `cargo bench --bench budgets`.

#[path = "fixtures/mod.rs"]
mod fixtures;

use std::hint::black_box;

use azreg::core::fields::check;
use azreg::tui::app::Msg;
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn frames(c: &mut Criterion) {
    let mut g = c.benchmark_group("frame");
    for (name, steps) in [("23-steps", 23usize), ("10000-steps", 10_000)] {
        for (w, h) in [(80u16, 24u16), (120, 40), (200, 60)] {
            let p = if steps == 23 {
                fixtures::procedure_23()
            } else {
                fixtures::procedure_big(steps)
            };
            // The cursor in the middle of the list: the worst case for scrolling.
            let app = fixtures::app(p, (w, h), steps / 2);
            let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
            g.bench_function(format!("{name}/{w}x{h}"), |b| {
                b.iter(|| {
                    term.draw(|f| {
                        azreg::tui::view::draw(f, black_box(&app));
                    })
                    .unwrap();
                })
            });
        }
    }
    g.finish();
}

fn keys(c: &mut Criterion) {
    let mut g = c.benchmark_group("key");
    let down = Msg::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE));
    let up = Msg::Key(KeyEvent::new(KeyCode::Char('k'), KeyModifiers::NONE));
    let mut app = fixtures::app(fixtures::procedure_23(), (120, 40), 10);
    g.bench_function("update", |b| {
        b.iter(|| {
            black_box(app.update(down.clone()));
            black_box(app.update(up.clone()));
        })
    });
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    g.bench_function("key-to-frame", |b| {
        let mut flip = false;
        b.iter(|| {
            flip = !flip;
            app.update(if flip { down.clone() } else { up.clone() });
            term.draw(|f| {
                azreg::tui::view::draw(f, &app);
            })
            .unwrap();
        })
    });
    g.finish();
}

fn files(c: &mut Criterion) {
    let mut g = c.benchmark_group("file");
    let en = azreg::core::procedure::EMBEDDED_EN;
    g.bench_function("procedure-parse-check", |b| {
        b.iter(|| azreg::core::procedure::Procedure::parse(black_box(en), "p.toml").unwrap())
    });
    let text = fixtures::progress_text();
    g.bench_function("progress-parse", |b| {
        b.iter(|| azreg::io::store::parse_any(black_box(&text), "p.toml").unwrap())
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    std::fs::write(&path, &text).unwrap();
    g.bench_function("progress-load", |b| {
        b.iter(|| azreg::io::store::load(black_box(&path)).unwrap())
    });
    let progress = azreg::io::store::load(&path).unwrap().unwrap();
    g.bench_function("save-no-sync", |b| {
        b.iter(|| azreg::io::store::save(&path, black_box(&progress), false).unwrap())
    });
    g.bench_function("save-with-syncs", |b| {
        b.iter(|| azreg::io::store::save(&path, black_box(&progress), true).unwrap())
    });
    g.finish();
}

fn validators(c: &mut Criterion) {
    let mut g = c.benchmark_group("validate");
    let p = fixtures::procedure_23();
    let values: azreg::core::fields::Values = fixtures::VALUES
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let ctx = p.context(&values, time::macros::date!(2026 - 11 - 26));
    for (id, value) in fixtures::VALUES {
        let spec = p.field(id).unwrap();
        g.bench_function(*id, |b| b.iter(|| check(spec, black_box(value), &ctx)));
    }
    let secret_id = "0b1c2d3e-1111-2222-3333-444455556666";
    g.bench_function("paste-1MB-refused", |b| {
        let mut app = fixtures::app(fixtures::procedure_23(), (120, 40), 21);
        let big = "x".repeat(1 << 20);
        b.iter(|| app.update(Msg::Paste(black_box(big.clone()))))
    });
    g.bench_function("client_secret/secret-id", |b| {
        b.iter(|| {
            check(
                p.field("client_secret").unwrap(),
                black_box(secret_id),
                &ctx,
            )
        })
    });
    g.finish();
}

criterion_group!(benches, frames, keys, files, validators);
criterion_main!(benches);
