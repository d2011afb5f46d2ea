//! Every example under every command's `--help`: laid out whole at any width (an example too
//! long for the line goes on with `\`, never wrapped mid-argument), and run against a demo
//! database, where none may be a usage error (issue 28, item 10).

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crm_core::DEMO_PASSWORD;

use crate::env::TestEnv;

/// Examples not run here, each with why: they serve, open a terminal UI, generate a million
/// records, or reach a host on the internet.
const NOT_RUN: &[(&str, &str)] = &[
    ("crm serve", "runs until stopped"),
    ("crm tui", "opens the terminal UI"),
    ("crm demo\n", "opens the terminal UI"),
    ("--scale", "generates 100k or 1M records"),
    ("sudo ", "needs root's man directory"),
    (
        "smtp.example.com",
        "connects to a mail server on the internet",
    ),
    (
        "db.example.com",
        "connects to a PostgreSQL server on the internet",
    ),
    (
        "crm webhooks send",
        "posts to the example receivers on the internet",
    ),
];

/// Examples that end the admin's session.
const LAST: &[&str] = &["crm logout", "crm restore"];

/// The help of `crm <path> --help` at `columns` (None: in a pipe, as a script sees it).
fn help(env: &TestEnv, path: &[String], columns: Option<usize>) -> String {
    let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
    args.push("--help");
    let mut cmd = env.process(&args);
    if let Some(columns) = columns {
        cmd.env("COLUMNS", columns.to_string());
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "crm {args:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The names under "Commands:".
fn subcommands(help: &str) -> Vec<String> {
    let Some((_, rest)) = help.split_once("\nCommands:\n") else {
        return Vec::new();
    };
    rest.lines()
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.strip_prefix("  ")?.split_whitespace().next())
        .filter(|name| !name.starts_with('-') && *name != "help")
        .map(String::from)
        .collect()
}

/// Every command path, the root first.
fn command_paths(env: &TestEnv) -> Vec<Vec<String>> {
    let mut paths = vec![Vec::new()];
    let mut i = 0;
    while i < paths.len() {
        let path = paths[i].clone();
        for sub in subcommands(&help(env, &path, None)) {
            let mut child = path.clone();
            child.push(sub);
            paths.push(child);
        }
        i += 1;
    }
    paths
}

/// The lines of the "Example(s):" block.
fn example_lines(help: &str) -> Vec<&str> {
    help.lines()
        .skip_while(|l| !matches!(*l, "Examples:" | "Example:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .collect()
}

/// The commands of an example block, each joined from its `\` continuation lines, with the
/// comment written beside one (after two spaces) left out.
fn commands(lines: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in lines {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        let (text, goes_on) = match line.strip_suffix('\\') {
            Some(text) => (text.trim_end(), true),
            None => (line, false),
        };
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(text);
        if !goes_on {
            out.push(without_comment(&std::mem::take(&mut current)));
        }
    }
    assert!(
        current.is_empty(),
        "a continuation with nothing after it: {lines:?}"
    );
    out
}

fn without_comment(line: &str) -> String {
    let mut quote = None;
    let chars: Vec<char> = line.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        match (quote, c) {
            (Some(q), c) if *c == q => quote = None,
            (None, '\'' | '"') => quote = Some(*c),
            (None, ' ') if chars.get(i + 1) == Some(&' ') => {
                return chars[..i].iter().collect();
            }
            _ => {}
        }
    }
    line.to_string()
}

#[test]
fn every_help_example_is_whole_at_any_width_and_runs() {
    let env = TestEnv::new();
    env.ok(&["demo", "--no-tui"], "");
    env.login("admin", DEMO_PASSWORD);
    let paths = command_paths(&env);
    assert!(paths.len() > 100, "{} commands found", paths.len());

    let mut examples: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in &paths {
        let name = format!("crm {}", path.join(" "));
        let piped = help(&env, path, None);
        let wanted = commands(&example_lines(&piped));
        for columns in [70, 80] {
            let text = help(&env, path, Some(columns));
            let lines = example_lines(&text);
            for line in &lines {
                assert!(
                    line.chars().count() <= columns || !line.trim().contains(' '),
                    "{name} --help at {columns} columns has a line too long:\n{line}"
                );
            }
            assert_eq!(
                commands(&lines),
                wanted,
                "{name} --help at {columns} columns breaks an example differently:\n{text}"
            );
        }
        if !wanted.is_empty() {
            examples.insert(name, wanted);
        }
    }
    assert!(
        examples.len() > 100,
        "{} commands have examples",
        examples.len()
    );

    // Each example through a shell, as a user pastes it, with the crm under test first on
    // PATH, in a directory of its own, without a terminal (setsid), so nothing can prompt.
    let bin = assert_cmd::cargo::cargo_bin("crm");
    let path = format!("{}:/usr/bin:/bin", bin.parent().unwrap().to_str().unwrap());
    let work = env.dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    // The directories the completion and manual examples write into, as a user has them.
    for dir in [
        ".local/share/bash-completion/completions",
        ".zfunc",
        ".config/fish/completions",
        ".local/share/man/man1",
    ] {
        std::fs::create_dir_all(env.dir.path().join(dir)).unwrap();
    }
    let mut ran = 0;
    let mut usage_errors = Vec::new();
    let mut refused = Vec::new();
    // Those that end the session go last, so the rest run logged in.
    let mut order: Vec<_> = examples.iter().collect();
    order.sort_by_key(|(name, _)| LAST.iter().any(|last| name.starts_with(last)));
    for (name, commands) in order {
        for command in commands {
            let probe = format!("{command}\n");
            if NOT_RUN.iter().any(|(text, _)| probe.contains(text)) {
                continue;
            }
            let mut child = env
                .process(&[])
                .env("PATH", &path)
                .current_dir(&work)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .into_shell(command)
                .spawn()
                .unwrap();
            let started = Instant::now();
            let status = loop {
                if let Some(status) = child.try_wait().unwrap() {
                    break status;
                }
                assert!(
                    started.elapsed() < Duration::from_secs(60),
                    "{name}: `{command}` still runs after a minute"
                );
                std::thread::sleep(Duration::from_millis(20));
            };
            let mut stderr = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
            // clap's usage errors end with this line; crm's own errors are one line (an
            // example may well find no record 12 in the demo), and a shell's syntax error is
            // an example that cannot be pasted.
            if !status.success() {
                refused.push(format!("{command}\n    {}", stderr.trim()));
            }
            if stderr.contains("For more information, try '--help'")
                || stderr.contains("Syntax error")
            {
                usage_errors.push(format!("{name}: `{command}`\n{stderr}"));
            }
            ran += 1;
        }
    }
    eprintln!(
        "{ran} examples ran; {} ended in an error of their own:\n{}",
        refused.len(),
        refused.join("\n")
    );
    assert!(usage_errors.is_empty(), "{}", usage_errors.join("\n"));
    assert!(ran > 200, "only {ran} examples ran");
}

/// A `crm` process turned into `setsid sh -c COMMAND` with the same environment.
trait IntoShell {
    fn into_shell(self, command: &str) -> std::process::Command;
}

impl IntoShell for &mut std::process::Command {
    fn into_shell(self, command: &str) -> std::process::Command {
        let mut shell = std::process::Command::new("setsid");
        shell.args(["sh", "-c", command]);
        shell.env_clear();
        for (key, value) in self.get_envs() {
            if let Some(value) = value {
                shell.env(key, value);
            }
        }
        if let Some(dir) = self.get_current_dir() {
            shell.current_dir(dir);
        }
        shell
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        shell
    }
}
