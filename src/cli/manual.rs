//! The manual: `azreg(1)` and one page per subcommand (`azreg-apply(1)`, `azreg-secrets-remove(1)`,
//! ...), all from the same command line as `--help`, with the sections clap does not know
//! (ENVIRONMENT, FILES, EXIT STATUS) written here once. `azreg man` prints the main page,
//! `azreg man --dir DIR` writes them all; the Debian package installs them.

use std::path::{Path, PathBuf};

use clap_mangen::Man;

/// `azreg man`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Write azreg.1 and a page per subcommand (azreg-apply.1, ...) into DIR
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// The date of the manual's last real change, on every page's title line (man's footer).
pub const DATE: &str = "2026-12-05";

/// The variables azreg reads: (name, what it does).
pub const ENVIRONMENT: [(&str, &str); 13] = [
    (
        "LC_ALL, LC_MESSAGES, LANG",
        "the language (de or en) when neither --lang nor the settings file's language chooses one",
    ),
    (
        "NO_COLOR, CLICOLOR=0",
        "no colour (set to anything but empty; CLICOLOR only as 0), unless --color always",
    ),
    (
        "TERM",
        "dumb or unset: no colour, and the walkthrough runs line by line (as --plain)",
    ),
    (
        "DISPLAY, WAYLAND_DISPLAY",
        "a desktop: copies go to the system clipboard (--clipboard auto)",
    ),
    (
        "SSH_TTY, SSH_CONNECTION, TMUX",
        "a remote or multiplexed terminal: copies go through the terminal (OSC 52; in tmux passed through)",
    ),
    (
        "BROWSER",
        "the program that opens links (the Azure portal, the sign-in page)",
    ),
    (
        "HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY",
        "the proxy for Entra ID and Microsoft Graph (never for a loopback authority)",
    ),
    (
        "SSL_CERT_FILE, SSL_CERT_DIR",
        "more trusted certificate authorities, beside the system's (a TLS-inspecting proxy)",
    ),
    (
        "XDG_STATE_HOME",
        "where progress files live (default ~/.local/state)",
    ),
    (
        "XDG_CONFIG_HOME",
        "where the settings file lives (default ~/.config)",
    ),
    ("AZREG_CONFIG", "another settings file"),
    (
        "AZREG_CLIENT_SECRET",
        "the client secret for an unattended sign-in as the app (check --online, verify), instead of the progress file's",
    ),
    (
        "AZREG_DEBUG",
        "set to 1: the trace of --debug (each Entra ID and Graph call, never a token or secret) on stderr",
    ),
];

/// The files azreg reads and writes: (path, what it holds).
pub const FILES: [(&str, &str); 6] = [
    (
        "$XDG_STATE_HOME/azreg/progress.toml",
        "the progress: marks, values, recorded ids (mode 0600; the client secret unless --no-store-secret)",
    ),
    (
        "$XDG_STATE_HOME/azreg/profiles/NAME.toml",
        "one progress file per portal (--profile NAME)",
    ),
    (
        "NAME.journal.jsonl",
        "beside each progress file: every write azreg made to the tenant (azreg history), mode 0600",
    ),
    (
        "NAME.toml.bak, NAME.bad-TIMESTAMP",
        "the previous progress file, and one set aside by --reset-bad-file",
    ),
    (
        "$XDG_CONFIG_HOME/azreg/config.toml",
        "the settings: language, clipboard, color, mouse (azreg config shows them and where each comes from)",
    ),
    (
        "/usr/share/azreg/schemas/*.schema.json",
        "the JSON schemas of every --json output (in the Debian package)",
    ),
];

/// Every page: (file name, roff), the main page first.
pub fn pages(cli: clap::Command) -> Vec<(String, String)> {
    let mut root = cli.disable_help_subcommand(true);
    root.build();
    let mut pages = vec![("azreg.1".to_string(), main_page(&root))];
    subpages(&root, &mut pages);
    pages
}

/// The main page: name, synopsis, description, options, commands, then ENVIRONMENT, FILES,
/// EXIT STATUS and SEE ALSO.
pub fn main_page(root: &clap::Command) -> String {
    let man = Man::new(root.clone()).date(DATE);
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = man.render_title(&mut out);
    let _ = man.render_name_section(&mut out);
    let _ = man.render_synopsis_section(&mut out);
    let _ = man.render_description_section(&mut out);
    let _ = man.render_options_section(&mut out);
    let _ = man.render_subcommands_section(&mut out);
    let _ = man.render_extra_section(&mut out);
    let mut page = String::from_utf8_lossy(&out).into_owned();
    page.push_str(".SH ENVIRONMENT\n");
    for (name, what) in ENVIRONMENT {
        page.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", roff(name), roff(what)));
    }
    page.push_str(".SH FILES\n");
    for (path, what) in FILES {
        page.push_str(&format!(".TP\n\\fI{}\\fR\n{}\n", roff(path), roff(what)));
    }
    page.push_str(".SH \"EXIT STATUS\"\n");
    for (code, meaning) in crate::cli::exit::TABLE {
        page.push_str(&format!(".TP\n\\fB{code}\\fR\n{}\n", roff(meaning)));
    }
    page.push_str(".TP\n\\fB128+n\\fR\nthe walkthrough was ended by signal n, after saving\n");
    page.push_str(".SH \"SEE ALSO\"\n");
    let mut see: Vec<String> = root
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| format!("\\fBazreg-{}\\fR(1)", s.get_name()))
        .collect();
    see.push("\\fBaz\\fR(1)".into());
    page.push_str(&see.join(",\n"));
    page.push('\n');
    let mut out = Vec::new();
    let _ = man.render_version_section(&mut out);
    page.push_str(&String::from_utf8_lossy(&out));
    tidy(&page)
}

/// A page per subcommand, and per subcommand of those (`azreg-secrets-remove`).
fn subpages(parent: &clap::Command, pages: &mut Vec<(String, String)>) {
    for sub in parent.get_subcommands().filter(|s| !s.is_hide_set()) {
        let man = Man::new(sub.clone()).date(DATE);
        let mut out = Vec::new();
        let _ = man.render(&mut out);
        let mut page = String::from_utf8_lossy(&out).into_owned();
        let parent_name = parent.get_display_name().unwrap_or(parent.get_name());
        page.push_str(&format!(
            ".SH \"SEE ALSO\"\n\\fB{}\\fR(1), \\fBazreg\\fR(1) (ENVIRONMENT, FILES, EXIT STATUS)\n",
            roff(parent_name)
        ));
        let name = man.get_filename();
        pages.push((name, tidy(&page)));
        subpages(sub, pages);
    }
}

/// Write every page into `dir` (made if missing); the paths written.
pub fn write_to(cli: clap::Command, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for (name, text) in pages(cli) {
        let path = dir.join(&name);
        crate::io::safe_fs::replace_whole(&path, text.as_bytes(), 0o644)?;
        written.push(path);
    }
    Ok(written)
}

/// What clap_mangen writes that man's lint warns of: a line break beside a paragraph break
/// (before "Possible values:"), and trailing blanks.
fn tidy(page: &str) -> String {
    let page = page
        .replace("\n.br\n\n.br\n", "\n.sp\n")
        .replace("\n\n.br\n", "\n.sp\n");
    page.lines()
        .map(|l| format!("{}\n", l.trim_end()))
        .collect()
}

/// Text for roff: backquotes dropped, backslashes and leading dots escaped.
fn roff(text: &str) -> String {
    let t = text.replace('\\', "\\e").replace('`', "");
    if t.starts_with('.') || t.starts_with('\'') {
        format!("\\&{t}")
    } else {
        t
    }
}

/// `azreg man [--dir DIR]`: the manual page, or every page into DIR.
pub fn exec(a: &Args, cli: clap::Command, out: &mut dyn std::io::Write) -> crate::cli::Outcome {
    let dir = a.dir.as_deref();
    let io = |e| crate::cli::Failure::write(e, crate::i18n::Lang::En);
    let Some(dir) = dir else {
        let root = pages(cli).swap_remove(0).1;
        out.write_all(root.as_bytes()).map_err(io)?;
        return Ok(crate::cli::EXIT_OK);
    };
    let written = write_to(cli, dir).map_err(|e| {
        crate::cli::Failure::new(
            crate::cli::EXIT_FILE,
            format!("{}: {e}", crate::text::one_line(&dir.display().to_string())),
        )
    })?;
    writeln!(
        out,
        "{} pages written to {}",
        written.len(),
        crate::text::one_line(&dir.display().to_string())
    )
    .map_err(io)?;
    Ok(crate::cli::EXIT_OK)
}
