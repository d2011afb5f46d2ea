//! The README's console samples are real: every block marked `<!-- sample: as USER -->` is
//! run, command by command, on one fresh demo database as USER (`as root on a new database`:
//! on an empty database of its own), and must print what the README shows.
//! `UPDATE_README=1` (or `scripts/readme-samples`) writes the output in instead (issue 28,
//! item 11). Import times ("in 0.00 s") are the one thing not compared: they are the
//! machine's, not the CRM's.

use std::path::Path;
use std::process::Stdio;

use crm_core::DEMO_PASSWORD;

use crate::env::TestEnv;

const MARK: &str = "<!-- sample: as ";

/// One `$ command` of a sample and the lines it printed.
struct Step {
    command: Vec<String>,
    output: Vec<String>,
}

/// The steps of a console block: each `$ ` line (and its `\` continuations) and what
/// follows it up to the next.
fn steps(block: &[&str]) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut continued = false;
    for line in block {
        if let Some(command) = line.strip_prefix("$ ") {
            steps.push(Step {
                command: vec![command.to_string()],
                output: Vec::new(),
            });
            continued = command.ends_with('\\');
        } else if continued {
            let step = steps.last_mut().expect("a continuation follows a command");
            step.command.push((*line).to_string());
            continued = line.ends_with('\\');
        } else {
            let step = steps.last_mut().expect("a sample starts with a command");
            step.output.push((*line).to_string());
        }
    }
    // The blank line between one step and the next is layout, not output.
    for step in &mut steps {
        while step.output.last().is_some_and(String::is_empty) {
            step.output.pop();
        }
    }
    steps
}

/// "in 0.37 s" of an import's summary, as "in 0.00 s".
fn without_timing(line: &str) -> String {
    match line.find(" invalid in ") {
        Some(at) => {
            let (head, tail) = line.split_at(at + " invalid in ".len());
            match tail.split_once(" s") {
                Some((seconds, rest)) if seconds.parse::<f64>().is_ok() => {
                    format!("{head}0.00 s{rest}")
                }
                _ => line.to_string(),
            }
        }
        None => line.to_string(),
    }
}

/// What `command` prints (stdout and stderr as they interleave), run by a shell as a user
/// types it, with the crm under test first on PATH.
fn run(env: &TestEnv, command: &str) -> Vec<String> {
    let bin = assert_cmd::cargo::cargo_bin("crm");
    let path = format!("{}:/usr/bin:/bin", bin.parent().unwrap().display());
    let mut shell = std::process::Command::new("sh");
    shell
        .args(["-c", &format!("exec 2>&1\n{command}")])
        .env_clear()
        .current_dir(workspace(env))
        .stdin(Stdio::null());
    for (key, value) in env.process(&[]).get_envs() {
        if let Some(value) = value {
            shell.env(key, value);
        }
    }
    shell.env("PATH", path);
    let out = shell.output().unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| without_timing(l.trim_end()))
        .collect()
}

/// Where the samples run: a directory of the test's own whose entries link to the
/// repository's, so the paths the README names resolve (`crm-cli/tests/fixtures/...`) while
/// the files a sample writes (`--report problems.csv`) stay out of the source tree.
fn workspace(env: &TestEnv) -> std::path::PathBuf {
    let dir = env.dir.path().join("repository");
    if !dir.exists() {
        std::fs::create_dir(&dir).unwrap();
        for entry in std::fs::read_dir(repository()).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() && entry.file_name() != "target" {
                std::os::unix::fs::symlink(entry.path(), dir.join(entry.file_name())).unwrap();
            }
        }
    }
    dir
}

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

#[test]
fn the_readme_samples_are_what_the_demo_prints() {
    let readme_path = repository().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let demo = TestEnv::new();
    demo.ok(&["demo", "--no-tui"], "");
    let fresh = TestEnv::with_admin();
    let lines: Vec<&str> = readme.lines().collect();
    let mut out: Vec<String> = Vec::new();
    let mut samples = 0;
    let mut i = 0;
    while i < lines.len() {
        out.push(lines[i].to_string());
        let Some(user) = lines[i]
            .strip_prefix(MARK)
            .and_then(|rest| rest.strip_suffix(" -->"))
        else {
            i += 1;
            continue;
        };
        assert_eq!(lines.get(i + 1), Some(&"```console"), "line {}", i + 2);
        out.push("```console".into());
        let end = i + 2 + lines[i + 2..].iter().position(|l| *l == "```").unwrap();
        let env = if user == "root on a new database" {
            &fresh
        } else {
            demo.login(user, DEMO_PASSWORD);
            &demo
        };
        let steps = steps(&lines[i + 2..end]);
        let last = steps.len().saturating_sub(1);
        for (n, step) in steps.into_iter().enumerate() {
            let command = step.command.join("\n");
            out.extend(step.command.iter().enumerate().map(|(n, line)| {
                if n == 0 {
                    format!("$ {line}")
                } else {
                    line.clone()
                }
            }));
            out.extend(run(env, &command));
            if n < last {
                out.push(String::new());
            }
        }
        out.push("```".into());
        samples += 1;
        i = end + 1;
    }
    assert!(samples >= 3, "only {samples} samples are marked");
    let mut generated = out.join("\n");
    generated.push('\n');
    if std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(&readme_path, &generated).unwrap();
        return;
    }
    if generated != readme {
        let (old, new): (Vec<&str>, Vec<&str>) =
            (readme.lines().collect(), generated.lines().collect());
        let first = old
            .iter()
            .zip(&new)
            .position(|(a, b)| a != b)
            .unwrap_or(old.len().min(new.len()));
        panic!(
            "README.md line {}: the sample shows\n{}\nbut the demo prints\n{}\n\
             (refresh the samples with scripts/readme-samples)",
            first + 1,
            old.get(first..(first + 5).min(old.len()))
                .unwrap_or_default()
                .join("\n"),
            new.get(first..(first + 5).min(new.len()))
                .unwrap_or_default()
                .join("\n"),
        );
    }
}
