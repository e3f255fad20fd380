//! The command line (clap derive): the global options and the list of subcommands; each
//! subcommand's own options live beside its `run` (`apply::Args`, `doctor::Args`, ...), the
//! sign-in options once (`apply::SignInArgs`), flattened into every command that signs in.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use super::config::ColorChoice;
use super::{
    apply, check, completions, config, doctor, export, history, manual, profiles, reset, script,
    secrets, set, status, steps, verify,
};

use crate::i18n::Lang;
use crate::io::clipboard::Mode;

/// The command line as clap sees it, with the exit codes from `exit::TABLE` after the help.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let cmd = Cli::command();
    let examples = cmd
        .get_after_help()
        .map(|h| h.to_string())
        .unwrap_or_default();
    cmd.after_help(format!("{examples}\n\n{}", crate::cli::exit::help_text()))
}

#[derive(Debug, Parser)]
#[command(
    name = "azreg",
    version,
    about = "Register an Intrexx portal as an app in Microsoft Entra ID (Azure), step by step",
    after_help = "Examples:\n  azreg                          walk through the 23 steps (resumes where you stopped)\n  azreg --profile portal-a       one progress file per portal\n  azreg status                   where the setup stands\n  azreg export --format intrexx  what to enter where\n  azreg doctor                   is what is in Azure right?"
)]
pub struct Cli {
    /// The progress file [default: $XDG_STATE_HOME/azreg/progress.toml]; wins over --profile
    #[arg(long, global = true, value_name = "PATH")]
    pub file: Option<PathBuf>,

    /// Keep a progress file per portal: <state dir>/azreg/profiles/NAME.toml
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// Use another procedure file of the same schema instead of the embedded one
    #[arg(long, global = true, value_name = "FILE")]
    pub procedure: Option<PathBuf>,

    /// Language of the interface and the procedure [default: the settings file's language, else
    /// LC_ALL, LC_MESSAGES, LANG, else the operating system's locale; azreg config shows it]
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<Lang>,

    /// Move an unreadable progress file aside (<name>.bad-<timestamp>) and start fresh
    #[arg(long, global = true)]
    pub reset_bad_file: bool,

    /// Colour: auto (off with NO_COLOR, CLICOLOR=0 or TERM=dumb), always, never [default: the
    /// settings file's, else auto]
    #[arg(long, global = true, value_enum, value_name = "WHEN")]
    pub color: Option<ColorChoice>,

    /// Trace each call to Entra ID and Microsoft Graph (method, path, status, request-id, retry,
    /// time) on stderr, for support; never a token, secret or code [also: AZREG_DEBUG=1]
    #[arg(long, global = true)]
    pub debug: bool,

    /// Write the --debug trace to FILE (appended, mode 0600) instead of stderr
    #[arg(long, global = true, value_name = "FILE")]
    pub log: Option<PathBuf>,

    #[command(flatten)]
    pub walk: WalkArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options of the interactive walkthrough.
#[derive(Debug, Clone, Args)]
pub struct WalkArgs {
    /// Keep the client secret in memory only; never write it to the progress file
    #[arg(long)]
    pub no_store_secret: bool,

    /// Where copies go: auto picks OSC 52 over SSH or without a display, else the system
    /// clipboard [default: the settings file's, else auto]
    #[arg(long, value_enum, value_name = "MODE")]
    pub clipboard: Option<Mode>,

    /// Leave the mouse to the terminal (its own selection and copy of text on the screen)
    #[arg(long)]
    pub no_mouse: bool,

    /// Clear a copied client secret from the clipboard after this many seconds (0 = never)
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub clear_after: u32,

    /// Line by line, without the full screen (for screen readers, braille displays, serial
    /// consoles); the default with TERM=dumb
    #[arg(long)]
    pub plain: bool,

    /// Microsoft Graph's root for "let azreg do it", for a cloud azreg does not know
    /// [default: from the progress file's authority]
    #[arg(long, value_name = "URL")]
    pub graph: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The interactive walkthrough (the default)
    #[command(after_help = "Example:\n  azreg walk --profile portal-a --clipboard osc52")]
    Walk(WalkArgs),

    /// Let azreg do it: read the tenant, show the plan, ask, then do exactly that
    #[command(
        after_help = "Examples:\n  azreg plan                     what apply would do (signs in, reads, changes nothing)\n  azreg apply                    sign in in the browser, see the plan, confirm\n  azreg apply --device-code      sign in with a code (SSH)\n  az login && azreg apply --token-from-az --yes\n  azreg apply --adopt 0b1c2d3e-1111-2222-3333-444455556666\n\nReads the tenant first (GETs only), then shows who is signed in and where, and each write:\nthe app with both redirect URIs and the API permissions, its service principal, a client\nsecret and, when chosen, admin consent; then the live check. Nothing is written before you\nsay yes (without a terminal: --yes). The app is the one the record names; an app of the same\nname is never taken over unless --adopt names it. Waits out Entra ID's replication (--wait).\nEach write goes into the journal (azreg history). Exit 7: stopped at a step (run it again to\ngo on)."
    )]
    Apply(apply::Args),

    /// Show what azreg apply would do: signs in and reads the tenant, changes nothing
    #[command(
        after_help = "Examples:\n  azreg plan\n  azreg plan --token-from-az --json | jq '.writes[] | .method + \" \" + .path'\n\nThe header says who is signed in and where; marked (!) lines need a second look\n(application permissions, redirect URIs elsewhere or not put there by azreg, where the new\nsecret is sent). --json lists each write as {method, path, body} in order; ids not yet known\nare placeholders (<app.id>, <app.appId>, <servicePrincipal.id>, <now>)."
    )]
    Plan(apply::PlanArgs),

    /// Read the registration from Azure and check it against what the connector needs
    #[command(
        after_help = "Examples:\n  azreg doctor                   sign in in the browser, read, report\n  azreg doctor --token-from-az --json | jq '.findings[] | select(.severity == \"error\")'\n  azreg doctor --client-id 0b1c2d3e-1111-2222-3333-444455556666\n\nReads only (read rights are enough): the app by its recorded client ID, its redirect URIs\nper platform, its service principal, API permissions and admin consent, the secret in use\n(by the first characters of the recorded value) with Azure's end date, other secrets, and\nits owners. Each finding names the step where it is fixed by hand and whether azreg apply\nfixes it. Exit codes: 0 the connector can work (warnings are printed), 1 an error (with\n--strict: a warning too)."
    )]
    Doctor(doctor::Args),

    /// The app's client secrets as Azure has them; `remove KEYID` removes one (shown, asked)
    #[command(
        after_help = "Examples:\n  azreg secrets                  list: key ID, hint, description, start, end, which one azreg recorded\n  azreg secrets --json\n  azreg secrets remove 1c2d3e4f-1111-2222-3333-444455556666\n\nThe secret azreg recorded (the one Intrexx uses) is never removed while it is the app's only\nvalid one. Each removal goes into the journal (azreg history)."
    )]
    Secrets(secrets::Args),

    /// Delete the recorded app registration, after you type its display name
    #[command(
        after_help = "Examples:\n  azreg delete\n  azreg delete --token-from-az --confirm-name \"Intrexx Portal\"\n\nShows what goes (the app with its service principal, secrets and consent), then asks for\nthe display name. Entra ID keeps a deleted app for 30 days under Deleted applications. The\nrecorded IDs move into the record's history; the delete goes into the journal."
    )]
    Delete(secrets::DeleteArgs),

    /// What azreg apply wrote to the tenant: the journal beside the progress file
    #[command(
        after_help = "Examples:\n  azreg history\n  azreg history --json | jq '.writes[] | select(.result == \"failed\")'"
    )]
    History(history::Args),

    /// Renew the client secret: a short walkthrough on the same progress file
    #[command(
        after_help = "Examples:\n  azreg renew\n  azreg renew --profile portal-a\n\nA new secret beside the old one, its value into Intrexx, a live check, then the old secret\ndeleted; the last step takes the new secret and expiry into the record and keeps the old\nexpiry in the history. Scripted: azreg script az --renew."
    )]
    Renew(WalkArgs),

    /// Where the setup stands: progress, current and next step, each value's state
    #[command(
        after_help = "Examples:\n  azreg status --profile portal-a\n  azreg status --json | jq .progress"
    )]
    Status(status::Args),

    /// Check every value; one problem a line; exit 1 on any error or missing value
    #[command(
        after_help = "Examples:\n  azreg check && echo ready for Intrexx\n  azreg check --expires-within 30 --all-profiles   # cron: exit 6 when a secret expires soon\n  azreg check --expires-within 30 --online --token-from-az   # Azure's end date, not the typed one\n\nExit codes: 0 ok, 1 errors or missing values (or no expiry recorded), 6 a secret expires\nwithin DAYS or has expired."
    )]
    Check(check::Args),

    /// Print the values for other tools or people (the secret redacted unless asked)
    #[command(
        after_help = "Examples:\n  azreg export --format env > azreg.env\n  azreg export --format intrexx\n  azreg export --format ics --remind-days 30 > renew-secret.ics\n  azreg export --format json --reveal-secret | jq ."
    )]
    Export(export::Args),

    /// Print a script that performs the registration with the Azure CLI or Graph PowerShell
    #[command(
        after_help = "Examples:\n  azreg script az > register.sh && bash register.sh | azreg import\n  azreg script powershell > Register.ps1\n\nThe scripts do what azreg apply plans, reading the tenant when they run: the app (the one\nwhose client ID azreg recorded, or a new one under azreg's key, never one taken by its name),\nits service principal, the API permissions, the admin consent when chosen, and a client secret\nunless the recorded one is on the app. They wait out Entra ID's replication (AZREG_WAIT\nseconds per step, default 300) and print one JSON object for `azreg import` on stdout,\neverything else on stderr."
    )]
    Script(script::Args),

    /// Set a value, checked as the walkthrough checks it
    #[command(
        after_help = "Examples:\n  azreg set portal_url https://portal.example.com\n  azreg set collaboration mycompany\n  printf '%s\\n' \"$SECRET\" | azreg set client_secret --stdin\n\nThe client secret is taken only with --stdin (a command line is visible to others).\nA value with an error is refused (exit 1) and nothing is changed."
    )]
    Set(set::Args),

    /// Mark a step done (its values must be there and right), or open it again
    #[command(
        after_help = "Examples:\n  azreg done 1\n  azreg done enter-web-uri\n  azreg done P3\n  azreg done 7 --open"
    )]
    Done(set::DoneArgs),

    /// Read the JSON of `azreg script`, `az ad app credential reset` or `az ad app create` from stdin
    #[command(
        after_help = "Examples:\n  bash register.sh | azreg import\n  az ad app credential reset --id $APPID --append | azreg import\n\nThe JSON may follow other lines. When the progress file is locked or cannot be\nwritten, what was read is kept in a new file beside it (mode 0600) and the exit code is 3;\nthe walkthrough offers to take it in."
    )]
    Import,

    /// Print the procedure, numbered, for printing or docs
    #[command(after_help = "Example:\n  azreg steps --format markdown > steps.md")]
    Steps(steps::Args),

    /// Start over; the old file is kept as a timestamped backup beside it
    #[command(after_help = "Example:\n  azreg reset --yes --profile portal-a")]
    Reset(reset::Args),

    /// Show each setting (language, clipboard, colour, mouse) and where it comes from
    #[command(
        after_help = "Examples:\n  azreg config\n  azreg config --json\n\nSettings come from the command line, then the settings file ($XDG_CONFIG_HOME/azreg/config.toml,\nor AZREG_CONFIG) for the language and the environment (NO_COLOR, CLICOLOR=0, TERM=dumb) for\ncolour, then the other one, then the locale (LC_ALL, LC_MESSAGES, LANG, the system's), then the\ndefaults. The file:\n  language = \"de\"        # en, de\n  clipboard = \"osc52\"    # auto, system, osc52, off\n  color = \"never\"        # auto, always, never\n  mouse = false"
    )]
    Config(config::Args),

    /// Print the manual page (roff, for man(1)), or write every page into a folder
    #[command(
        after_help = "Examples:\n  azreg man > azreg.1 && man ./azreg.1\n  azreg man --dir ~/.local/share/man/man1    azreg(1), azreg-apply(1), ..."
    )]
    Man(manual::Args),

    /// Print shell completions
    #[command(
        after_help = "Example:\n  azreg completions bash > ~/.local/share/bash-completion/completions/azreg"
    )]
    Completions(completions::Args),

    /// List the profiles with their progress
    #[command(after_help = "Examples:\n  azreg profiles\n  azreg profiles --json")]
    Profiles(profiles::Args),

    /// Check live that tenant, client ID and secret work and the redirect URIs are registered
    #[command(
        after_help = "Examples:\n  azreg verify\n  AZREG_CLIENT_SECRET=\"$SECRET\" azreg verify --tenant $TENANT --client-id $APPID\n  vault read -field=secret kv/intrexx | azreg verify --secret-stdin\n\nThe secret comes from --secret-stdin, else AZREG_CLIENT_SECRET, else the progress file.\nExit codes: 0 all checks passed, 1 values missing, 4 a check failed, 5 the service could not be reached."
    )]
    Verify(verify::Args),
}

/// The manual and the completions, made from this command line (here, where it is whole).
#[cfg(test)]
mod tests {
    use super::*;
    use clap_complete::Shell;

    #[test]
    fn the_main_page_has_every_section_and_exit_code() {
        let pages = manual::pages(command());
        let (name, page) = &pages[0];
        assert_eq!(name, "azreg.1");
        assert!(
            page.contains(".TH azreg 1 2026-12-05 \"azreg "),
            "{}",
            &page[..200]
        );
        for section in [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH OPTIONS",
            ".SH ENVIRONMENT",
            ".SH FILES",
            ".SH \"EXIT STATUS\"",
        ] {
            assert!(page.contains(section), "{section}");
        }
        for (code, _) in crate::cli::exit::TABLE {
            assert!(page.contains(&format!("\\fB{code}\\fR")), "exit {code}");
        }
        assert!(
            page.contains("config.toml"),
            "the settings file is in FILES"
        );
        assert!(page.contains("AZREG_DEBUG"));
    }

    /// Every page the main page names exists, and every subcommand has one.
    #[test]
    fn every_page_named_exists() {
        let pages = manual::pages(command());
        let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
        for n in [
            "azreg-apply.1",
            "azreg-doctor.1",
            "azreg-secrets-remove.1",
            "azreg-man.1",
        ] {
            assert!(names.contains(&n), "{n} in {names:?}");
        }
        for (_, page) in &pages {
            let mut rest = page.as_str();
            while let Some(i) = rest.find("azreg-") {
                rest = &rest[i..];
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                    .unwrap_or(rest.len());
                let named = &rest[..end];
                if rest[end..].starts_with("(1)") || rest[end..].starts_with("\\fR(1)") {
                    assert!(
                        names.contains(&format!("{named}.1").as_str()),
                        "{named}(1) is named but missing"
                    );
                }
                rest = &rest[end..];
            }
        }
        let apply = &pages.iter().find(|(n, _)| n == "azreg-apply.1").unwrap().1;
        assert!(apply.contains("\\-\\-renew"), "apply's own options");
        assert!(apply.contains("azreg apply"), "its synopsis");
    }

    fn generated(shell: Shell) -> String {
        let mut text = Vec::new();
        clap_complete::generate(shell, &mut command(), "azreg", &mut text);
        completions::with_profile_names(shell, &String::from_utf8(text).unwrap())
    }

    #[test]
    fn every_shell_offers_the_profile_names_after_profile() {
        assert!(generated(Shell::Bash).contains("complete -F _azreg_with_profiles"));
        assert!(generated(Shell::Fish).contains("-l profile -x -a '(azreg profiles --names"));
        let zsh = generated(Shell::Zsh);
        assert!(zsh.starts_with("#compdef azreg\n"), "{}", &zsh[..40]);
        assert!(zsh.contains("_azreg_profiles() {"));
        assert!(
            zsh.contains(":NAME:_azreg_profiles'"),
            "the --profile value"
        );
        assert!(generated(Shell::PowerShell).contains("Register-ArgumentCompleter"));
    }
}
