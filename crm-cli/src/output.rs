//! All printing goes through here: records as tables, JSON or CSV on stdout; errors and hints on
//! stderr. Text from the database is made terminal-safe in tables and formula-safe in CSV.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Result, bail};
use comfy_table::{Attribute, Cell, ContentArrangement, Table, TableComponent, presets};
use crm_core::text::{formula_safe, one_line, terminal_safe};
use serde::Serialize;

use crate::flags::OutputFormat;

/// A record the CLI can print. `COLUMNS`/`cells` are the compact table of a listing; `FIELDS`/
/// `fields` are every field, used by `show` and by CSV.
pub(crate) trait Record: Serialize {
    const COLUMNS: &'static [&'static str];
    const FIELDS: &'static [&'static str];
    fn cells(&self) -> Vec<String>;
    fn fields(&self) -> Vec<String>;

    /// The record's custom field values, which `show` prints in a section of their own.
    fn custom(&self) -> Option<&crm_core::FieldValues> {
        None
    }

    /// The text of the record's custom fields `keys`, one cell each (empty where it has none):
    /// the columns `--columns` and CSV exports add.
    fn custom_cells(&self, keys: &[String]) -> Vec<String> {
        keys.iter()
            .map(|key| {
                self.custom()
                    .and_then(|values| values.get(key))
                    .map(crm_core::FieldValue::text)
                    .unwrap_or_default()
            })
            .collect()
    }

    /// What `--output ids` prints for the record: its `id` field, if it has one.
    fn id(&self) -> Option<String> {
        let at = Self::FIELDS.iter().position(|f| *f == "id")?;
        self.fields().into_iter().nth(at)
    }
}

pub(crate) struct Output {
    format: OutputFormat,
}

/// Colour only on a terminal, and never when NO_COLOR is set (<https://no-color.org>).
pub(crate) fn use_colour(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub(crate) fn opt(value: Option<&str>) -> String {
    value.unwrap_or("").to_string()
}

impl Output {
    pub(crate) fn new(format: OutputFormat) -> Output {
        Output { format }
    }

    /// A listing: a table of the main columns, or every field as JSON or CSV.
    pub(crate) fn list<T: Record>(&self, items: &[T]) -> Result<()> {
        let mut stdout = std::io::stdout().lock();
        match self.format {
            OutputFormat::Json => writeln!(stdout, "{}", serde_json::to_string_pretty(items)?)?,
            OutputFormat::Csv => {
                stdout.write_all(&csv_bytes(T::FIELDS, items.iter().map(Record::fields))?)?;
            }
            OutputFormat::Ids => {
                for item in items {
                    writeln!(stdout, "{}", id_of(item)?)?;
                }
            }
            OutputFormat::Table => {
                if items.is_empty() {
                    drop(stdout);
                    hint("no records match");
                    return Ok(());
                }
                let table = table(T::COLUMNS, items.iter().map(Record::cells));
                writeln!(stdout, "{table}")?;
            }
        }
        Ok(())
    }

    /// A listing with the custom fields `keys` as columns after the record's own (table and
    /// CSV; JSON carries every field anyway).
    pub(crate) fn list_with<T: Record>(&self, items: &[T], keys: &[String]) -> Result<()> {
        if keys.is_empty() || !matches!(self.format, OutputFormat::Table | OutputFormat::Csv) {
            return self.list(items);
        }
        let mut stdout = std::io::stdout().lock();
        let named = |own: &[&'static str]| -> Vec<String> {
            own.iter()
                .map(|c| (*c).to_string())
                .chain(keys.iter().cloned())
                .collect()
        };
        if self.format == OutputFormat::Csv {
            let headers = named(T::FIELDS);
            let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
            let rows = items
                .iter()
                .map(|i| i.fields().into_iter().chain(i.custom_cells(keys)).collect());
            stdout.write_all(&csv_bytes(&headers, rows)?)?;
            return Ok(());
        }
        if items.is_empty() {
            drop(stdout);
            hint("no records match");
            return Ok(());
        }
        let headers = named(T::COLUMNS);
        let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
        let rows = items
            .iter()
            .map(|i| i.cells().into_iter().chain(i.custom_cells(keys)).collect());
        writeln!(stdout, "{}", table(&headers, rows))?;
        Ok(())
    }

    /// One record: a two-column field/value table, or every field as JSON or CSV.
    pub(crate) fn show<T: Record>(&self, item: &T) -> Result<()> {
        let mut stdout = std::io::stdout().lock();
        match self.format {
            OutputFormat::Json => writeln!(stdout, "{}", serde_json::to_string_pretty(item)?)?,
            OutputFormat::Csv => {
                stdout.write_all(&csv_bytes(T::FIELDS, std::iter::once(item.fields()))?)?;
            }
            OutputFormat::Ids => writeln!(stdout, "{}", id_of(item)?)?,
            OutputFormat::Table => {
                let rows = T::FIELDS
                    .iter()
                    .zip(item.fields())
                    .map(|(name, value)| vec![(*name).to_string(), value]);
                let mut table = table(&["field", "value"], rows);
                table.load_preset(presets::NOTHING);
                writeln!(stdout, "{table}")?;
                if let Some(custom) = item.custom().filter(|c| !c.is_empty()) {
                    let rows = custom.0.iter().map(|v| vec![v.label.clone(), v.text()]);
                    let mut table = self::table(&["custom field", "value"], rows);
                    table.load_preset(presets::NOTHING);
                    writeln!(stdout, "\nCustom fields:\n{table}")?;
                }
            }
        }
        Ok(())
    }

    pub(crate) fn format(&self) -> OutputFormat {
        self.format
    }

    /// Any serialisable value as pretty JSON.
    #[allow(clippy::unused_self)] // Every print goes through the one Output, even format-free ones.
    pub(crate) fn json(&self, value: &impl Serialize) -> Result<()> {
        writeln!(
            std::io::stdout().lock(),
            "{}",
            serde_json::to_string_pretty(value)?
        )?;
        Ok(())
    }

    /// Text for people, made terminal-safe.
    #[allow(clippy::unused_self)] // Every print goes through the one Output, even format-free ones.
    pub(crate) fn text(&self, text: &str) -> Result<()> {
        let mut stdout = std::io::stdout().lock();
        // Line by line: the sanitiser turns line breaks into spaces.
        for line in text.lines() {
            writeln!(stdout, "{}", terminal_safe(line))?;
        }
        Ok(())
    }

    /// A table of any rows (already strings) for people, or CSV with the same headers.
    pub(crate) fn rows(&self, headers: &[&str], rows: Vec<Vec<String>>) -> Result<()> {
        if self.format == OutputFormat::Ids {
            bail!(
                "--output ids: these rows are figures, not records with ids; use table, json or csv"
            );
        }
        let mut stdout = std::io::stdout().lock();
        if self.format == OutputFormat::Csv {
            stdout.write_all(&csv_bytes(headers, rows.into_iter())?)?;
        } else {
            writeln!(stdout, "{}", table(headers, rows.into_iter()))?;
        }
        Ok(())
    }

    /// The outcome of a command that has no record to show: the value as JSON for scripts,
    /// otherwise the sentence.
    pub(crate) fn done(&self, value: &impl Serialize, sentence: &str) -> Result<()> {
        let mut stdout = std::io::stdout().lock();
        if self.format == OutputFormat::Json {
            writeln!(stdout, "{}", serde_json::to_string_pretty(value)?)?;
            return Ok(());
        }
        drop(stdout);
        self.text(sentence)
    }
}

fn id_of<T: Record>(item: &T) -> Result<String> {
    match item.id() {
        Some(id) => Ok(id),
        None => bail!("--output ids: these rows have no ids; use table, json or csv"),
    }
}

fn table(headers: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Table {
    let colour = use_colour(std::io::stdout().is_terminal());
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_HORIZONTAL_ONLY)
        .remove_style(TableComponent::HorizontalLines)
        .remove_style(TableComponent::MiddleIntersections)
        .remove_style(TableComponent::LeftBorderIntersections)
        .remove_style(TableComponent::RightBorderIntersections)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(headers.iter().map(|h| {
            let cell = Cell::new(h);
            if colour {
                cell.add_attribute(Attribute::Bold)
            } else {
                cell
            }
        }));
    for row in rows {
        table.add_row(row.iter().map(|c| terminal_safe(c).into_owned()));
    }
    table
}

/// A page of CSV, built in memory so that stdout sees plain io errors (a closed pipe stays
/// recognisable) rather than errors wrapped by the csv writer.
fn csv_bytes(headers: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(headers)?;
    for row in rows {
        writer.write_record(row.iter().map(|cell| formula_safe(cell).into_owned()))?;
    }
    Ok(writer.into_inner().map_err(|e| e.into_error())?)
}

/// Stored times as people and scripts expect them: RFC 3339 in UTC with a Z.
pub(crate) fn time(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A hint for people, on stderr so stdout stays clean for pipes.
pub(crate) fn hint(text: &str) {
    let _ = writeln!(std::io::stderr(), "{}", terminal_safe(text));
}

/// The one-line error of a failed command, with a hint where the user can act on one.
pub(crate) fn print_error(err: &anyhow::Error) {
    let mut message = format!("{err:#}");
    if let Some(core) = err
        .chain()
        .find_map(|c| c.downcast_ref::<crm_core::Error>())
    {
        match core {
            crm_core::Error::NotLoggedIn => message.push_str("; run `crm login`"),
            crm_core::Error::BadCredentials => {
                message.push_str("; an admin can unlock an account with `crm users passwd`");
            }
            _ => {}
        }
    }
    let line = one_line(&message);
    let _ = writeln!(
        std::io::stderr(),
        "{} {}",
        error_prefix(),
        terminal_safe(&line)
    );
}

/// `error:`, in bold red when stderr is a terminal that takes colour.
fn error_prefix() -> &'static str {
    if use_colour(std::io::stderr().is_terminal()) {
        "\x1b[1;31merror:\x1b[0m"
    } else {
        "error:"
    }
}

/// A usage error from clap, or the help or version it was asked for. Clap quotes the offending
/// argument as typed, escape sequences included, and prints it raw on a terminal: usage errors
/// are printed here instead, made terminal-safe line by line, with only our own colour.
pub(crate) fn print_usage_error(err: &clap::Error) -> std::process::ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        // Our own text, nothing the user typed: clap prints it with its styles.
        let _ = err.print();
    } else {
        let mut stderr = std::io::stderr().lock();
        for line in err.render().to_string().lines() {
            let line = terminal_safe(line);
            // clap lists every option it was given in the usage line, one set from CRM_DB too,
            // which reads as if --db were required.
            let line = match line.strip_prefix("Usage: ") {
                Some(usage) => format!("Usage: {}", usage.replacen(" --db <PATH>", "", 1)).into(),
                None => line,
            };
            let _ = match line.strip_prefix("error:") {
                Some(rest) => writeln!(stderr, "{}{rest}", error_prefix()),
                None => writeln!(stderr, "{line}"),
            };
        }
    }
    std::process::ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2))
}

/// Asks on a terminal; without one, a destructive command needs --yes. `action` names what is
/// refused ("delete", "restore").
pub(crate) fn confirm(question: &str, action: &str) -> Result<()> {
    if !std::io::stdin().is_terminal() {
        bail!("refusing to {action} without confirmation; pass --yes");
    }
    ask(question, &mut std::io::stdin().lock())
}

/// `confirm` for a command whose standard input carries data (`--ids -`): asks on the
/// controlling terminal instead, and refuses when there is none.
pub(crate) fn confirm_on_terminal(question: &str, action: &str) -> Result<()> {
    match std::fs::File::open("/dev/tty") {
        Ok(tty) => ask(question, &mut std::io::BufReader::new(tty)),
        Err(_) => bail!("refusing to {action} without confirmation; pass --yes"),
    }
}

fn ask(question: &str, answer_from: &mut dyn BufRead) -> Result<()> {
    eprint!("{} [y/N] ", terminal_safe(question));
    std::io::stderr().flush()?;
    let mut answer = String::new();
    answer_from.read_line(&mut answer)?;
    if matches!(answer.trim(), "y" | "Y" | "yes") {
        Ok(())
    } else {
        bail!("answered no; nothing changed")
    }
}
