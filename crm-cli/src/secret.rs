//! Reading passwords: from a prompt that does not echo, or from standard input for scripts.
//! Never from argv, where any user on the machine could read it in the process list.

use std::io::{BufRead, IsTerminal};

use anyhow::{Context as _, Result, bail};

/// Where a command takes a password from.
pub(crate) struct PasswordSource {
    from_stdin: bool,
    lines: Option<std::io::Lines<std::io::StdinLock<'static>>>,
}

impl PasswordSource {
    pub(crate) fn new(from_stdin: bool) -> PasswordSource {
        PasswordSource {
            from_stdin,
            lines: None,
        }
    }

    /// One password: the next line of stdin, or a prompt (asked twice when `confirm`).
    pub(crate) fn read(&mut self, prompt: &str, confirm: bool) -> Result<String> {
        if self.from_stdin {
            let lines = self
                .lines
                .get_or_insert_with(|| std::io::stdin().lock().lines());
            let line = lines
                .next()
                .context("reading the password from stdin")?
                .context("reading the password from stdin")?;
            return Ok(line.trim_end_matches(['\r', '\n']).to_string());
        }
        if !std::io::stdin().is_terminal() {
            bail!("no terminal to ask for the password on; pass --password-stdin and pipe it in");
        }
        let first = rpassword::prompt_password(format!("{prompt}: "))?;
        if confirm {
            let again = rpassword::prompt_password(format!("{prompt} (again): "))?;
            if again != first {
                bail!("the two passwords differ; nothing was changed");
            }
        }
        Ok(first)
    }
}
