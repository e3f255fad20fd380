//! What the shells get: clap's completions with the profile names offered after `--profile`
//! (asked of `azreg profiles --names` when completing). The manual is in `manual`.

use clap_complete::Shell;

/// The shells azreg writes completions for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Named {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

/// `azreg completions`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    pub shell: Named,
}

/// Bash: a wrapper that answers `--profile` itself and leaves the rest to clap's function.
const BASH: &str = r#"
# Profile names after --profile (azreg profiles --names).
_azreg_with_profiles() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
    if [[ "$prev" == "--profile" ]]; then
        COMPREPLY=( $(compgen -W "$(azreg profiles --names 2>/dev/null)" -- "$cur") )
        return 0
    fi
    _azreg "$@"
}
complete -F _azreg_with_profiles -o bashdefault -o default azreg
"#;

const FISH: &str = r#"
# Profile names after --profile (azreg profiles --names).
complete -c azreg -l profile -x -a '(azreg profiles --names 2>/dev/null)'
"#;

const ZSH_FUNCTION: &str = r#"
# Profile names after --profile (azreg profiles --names).
_azreg_profiles() {
    local -a names
    names=(${(f)"$(azreg profiles --names 2>/dev/null)"})
    _describe 'profile' names
}
"#;

/// clap's completion script for `shell`, with the profile names after `--profile`.
pub fn with_profile_names(shell: Shell, generated: &str) -> String {
    match shell {
        Shell::Bash => format!("{generated}{BASH}"),
        Shell::Fish => format!("{generated}{FISH}"),
        Shell::Zsh => {
            // clap completes `--profile=[...]:NAME:_default`: that value from our function.
            let mut out = String::with_capacity(generated.len() + ZSH_FUNCTION.len());
            let mut rest = generated;
            while let Some(at) = rest.find("'--profile=[") {
                let (before, from) = rest.split_at(at);
                out.push_str(before);
                let end = from.find('\n').unwrap_or(from.len());
                out.push_str(&from[..end].replace(":NAME:_default'", ":NAME:_azreg_profiles'"));
                rest = &from[end..];
            }
            out.push_str(rest);
            match out.split_once('\n') {
                Some((first, tail)) => format!("{first}\n{ZSH_FUNCTION}{tail}"),
                None => out,
            }
        }
        _ => generated.to_string(),
    }
}

/// `azreg completions SHELL`, on stdout.
pub fn exec(a: &Args, mut cli: clap::Command) -> crate::cli::Outcome {
    let shell = match a.shell {
        Named::Bash => clap_complete::Shell::Bash,
        Named::Zsh => clap_complete::Shell::Zsh,
        Named::Fish => clap_complete::Shell::Fish,
        Named::Powershell => clap_complete::Shell::PowerShell,
    };
    // Into memory first: clap_complete panics when its writer fails (a closed pipe).
    let mut text = Vec::new();
    clap_complete::generate(shell, &mut cli, "azreg", &mut text);
    let text = with_profile_names(shell, &String::from_utf8_lossy(&text));
    std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes())
        .map_err(|e| crate::cli::Failure::write(e, crate::i18n::Lang::En))?;
    Ok(crate::cli::EXIT_OK)
}
