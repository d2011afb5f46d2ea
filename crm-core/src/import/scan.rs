//! The bytes of an import file as they stream past the CSV parser: where each row starts (its
//! line), and the ways a file can be broken that the parser itself lets through.
//!
//! The csv crate is lenient on purpose: a quote that never closes swallows the rest of the file
//! into one cell without an error, and a row may grow without limit. Reading the same bytes
//! with the same quoting rules here turns those into clear errors before anything is kept.

use std::collections::VecDeque;
use std::fmt;
use std::io::{self, Read};

use super::columns::MAX_COLUMNS;

/// The largest row we read. A real row of the CRM is a few kilobytes (a note is at most 10,000
/// characters); this bounds the memory a broken or hostile file can take.
pub(crate) const MAX_ROW_BYTES: u64 = 32 * 1024 * 1024;

/// Why a file cannot be read as CSV at all; reaches the import as an `InvalidData` io error.
#[derive(Debug)]
pub(crate) struct Malformed(pub(crate) String);

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Malformed {}

/// Where the scan is in the CSV grammar (RFC 4180 as the csv crate reads it: `"` quotes,
/// doubled inside quotes; CR, LF or CRLF end a row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the first byte of a row (blank lines stay here).
    RowStart,
    /// At the start of a field inside a row.
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the end of it, or the first of a doubled pair.
    QuoteInQuoted,
}

/// A reader over the file that checks it and numbers its lines.
pub(crate) struct Scan<R> {
    inner: R,
    delimiter: u8,
    state: State,
    /// Bytes read so far.
    read: u64,
    /// The line the next byte is on (1-based); CR, LF and CRLF each end one line.
    line: u64,
    after_cr: bool,
    /// The file's first bytes, for the byte-order marks of UTF-16 and UTF-32.
    head: [u8; 4],
    /// The line a still-open quoted field started on.
    quote_line: u64,
    row_bytes: u64,
    /// Cells of the current row so far: a row of 20 million empty cells fits in the byte limit,
    /// but its cell boundaries alone took 153 MB in the parser.
    row_cells: usize,
    /// (offset, line) of rows read but not yet asked about: at most what the parser buffers.
    rows: VecDeque<(u64, u64)>,
}

impl<R: Read> Scan<R> {
    pub(crate) fn new(inner: R, delimiter: u8) -> Scan<R> {
        Scan {
            inner,
            delimiter,
            state: State::RowStart,
            read: 0,
            line: 1,
            after_cr: false,
            head: [0; 4],
            quote_line: 0,
            row_bytes: 0,
            row_cells: 0,
            rows: VecDeque::new(),
        }
    }

    /// The line of the row the parser says starts at `offset`. The parser may place a row at the
    /// line break before it (the LF of a CRLF, a blank line), so this is the first row that
    /// starts at or after `offset`. Offsets must not go backwards.
    pub(crate) fn line_at(&mut self, offset: u64) -> u64 {
        while let Some(&(start, line)) = self.rows.front() {
            self.rows.pop_front();
            if start >= offset {
                return line;
            }
        }
        self.line
    }

    fn scan(&mut self, bytes: &[u8]) -> io::Result<()> {
        for (i, &byte) in bytes.iter().enumerate() {
            let offset = self.read + i as u64;
            if let Some(at) = usize::try_from(offset)
                .ok()
                .filter(|&o| o < self.head.len())
            {
                self.head[at] = byte;
                if let Some(encoding) = wide_encoding(&self.head[..=at]) {
                    return Err(malformed(format!(
                        "is {encoding} text (it starts with a {encoding} byte-order mark); save it as CSV UTF-8"
                    )));
                }
            }
            let line = self.line;
            let line_break = byte == b'\n' || byte == b'\r';
            if byte == b'\n' {
                if !self.after_cr {
                    self.line += 1;
                }
            } else if byte == b'\r' {
                self.line += 1;
            }
            self.after_cr = byte == b'\r';
            if self.state == State::RowStart {
                if line_break {
                    continue;
                }
                self.rows.push_back((offset, line));
                self.row_bytes = 0;
                self.row_cells = 1;
                self.state = State::FieldStart;
            }
            self.row_bytes += 1;
            if self.row_bytes > MAX_ROW_BYTES {
                let row_line = self.rows.back().map_or(line, |&(_, l)| l);
                return Err(malformed(format!(
                    "the row on line {row_line} is longer than {} MiB; is this a CSV file, or does a quote not close?",
                    MAX_ROW_BYTES / 1024 / 1024
                )));
            }
            self.state = match (self.state, byte) {
                (State::Quoted, b'"') => State::QuoteInQuoted,
                (State::Quoted, _) | (State::QuoteInQuoted, b'"') => State::Quoted,
                (State::FieldStart, b'"') => {
                    self.quote_line = line;
                    State::Quoted
                }
                (_, b) if b == self.delimiter => {
                    self.row_cells += 1;
                    if self.row_cells > MAX_COLUMNS {
                        let row_line = self.rows.back().map_or(line, |&(_, l)| l);
                        return Err(malformed(format!(
                            "the row on line {row_line} has more than {MAX_COLUMNS} cells, more than an import takes; is the delimiter right, or is it not a CSV file?"
                        )));
                    }
                    State::FieldStart
                }
                (_, b'\n' | b'\r') => State::RowStart,
                _ => State::Unquoted,
            };
        }
        Ok(())
    }

    /// At the end of the file: a quoted field still open means the quote never closed.
    fn finish(&self) -> io::Result<()> {
        if self.state == State::Quoted {
            return Err(malformed(format!(
                "the quote that opens a cell on line {} never closes, so the rest of the file \
                 would be read as that one cell; close it, or double a quote meant as text (\"\")",
                self.quote_line
            )));
        }
        Ok(())
    }
}

impl<R: Read> Read for Scan<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.finish()?;
        }
        self.scan(&buf[..n])?;
        self.read += n as u64;
        Ok(n)
    }
}

/// The encoding whose byte-order mark `head` (the file's first bytes, as far as read) is,
/// once it can be told: UTF-16 text (as Excel's "Unicode text" saves it) starts with FF FE or
/// FE FF, UTF-32 with FF FE 00 00 or 00 00 FE FF, so FF FE waits for the next two bytes (a
/// UTF-32 file was called UTF-16).
fn wide_encoding(head: &[u8]) -> Option<&'static str> {
    match head {
        [0xFF, 0xFE, 0x00, 0x00] | [0x00, 0x00, 0xFE, 0xFF] => Some("UTF-32"),
        [0xFE, 0xFF] | [0xFF, 0xFE, _, _] => Some("UTF-16"),
        _ => None,
    }
}

fn malformed(reason: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, Malformed(reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole input through the scan: the lines of the rows it found, or its error.
    fn scan(input: &[u8]) -> Result<Vec<u64>, String> {
        let mut scan = Scan::new(input, b',');
        let mut sink = Vec::new();
        // Small reads, so state carries across buffer boundaries as it does in a real file.
        let mut buf = [0u8; 3];
        loop {
            match scan.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => sink.extend_from_slice(&buf[..n]),
                Err(e) => return Err(e.to_string()),
            }
        }
        assert_eq!(sink, input, "the scan passes every byte through");
        Ok(scan.rows.iter().map(|&(_, line)| line).collect())
    }

    #[test]
    fn rows_are_numbered_by_line_across_break_styles_and_quoted_breaks() {
        assert_eq!(scan(b"a,b\nc,d\n").unwrap(), [1, 2]);
        assert_eq!(scan(b"a,b\r\n\r\nc,d\r\n").unwrap(), [1, 3]);
        assert_eq!(scan(b"a\rb\rc").unwrap(), [1, 2, 3]);
        assert_eq!(scan(b"a,\"x\r\ny\"\nb\n").unwrap(), [1, 3]);
        assert_eq!(scan(b"\n\n\n a\n").unwrap(), [4]);
    }

    #[test]
    fn an_unclosed_quote_is_an_error_naming_its_line() {
        let err = scan(b"name,email\nAnn,ann@x.com\n\"Bob,bob@x.com\nCy,cy@x.com\n").unwrap_err();
        assert!(err.contains("line 3 never closes"), "{err}");
        // Doubled quotes and a quote inside an unquoted cell are text, not an opening.
        assert!(scan(b"a,\"say \"\"hi\"\"\"\nO\"Brien,x\n").is_ok());
        assert!(scan(b"a,\"\"\n").is_ok());
    }

    #[test]
    fn utf16_is_named() {
        let err = scan(b"\xff\xfen\x00a\x00").unwrap_err();
        assert!(err.contains("UTF-16"), "{err}");
        assert!(
            scan("\u{feff}name\n".as_bytes()).is_ok(),
            "a UTF-8 BOM is fine"
        );
        let err = scan(b"\xfe\xff\x00n\x00a").unwrap_err();
        assert!(err.contains("is UTF-16 text"), "{err}");
    }

    /// Red-team item 9: UTF-32 starts with UTF-16's little-endian mark, and was called UTF-16.
    #[test]
    fn utf32_is_named_as_such() {
        for bytes in [
            &b"\xff\xfe\x00\x00n\x00\x00\x00"[..],
            &b"\x00\x00\xfe\xff\x00\x00\x00n"[..],
        ] {
            let err = scan(bytes).unwrap_err();
            assert!(err.contains("is UTF-32 text"), "{err}");
        }
    }
}
