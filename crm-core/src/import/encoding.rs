//! The text of an import file as UTF-8, whatever it was saved as: UTF-8 passes through as it
//! is, UTF-16 with a byte-order mark (Excel's "Unicode text") is read without being told, and
//! `--encoding` names the rest (Windows-1252, which Excel on Windows saves as "CSV"; UTF-16
//! without its mark). A file read as UTF-8 that is not is refused by row, with a hint that
//! shows the cell as Windows-1252 would read it and names the flag ([`not_utf8`]).

use std::io::{self, Cursor, Read};

use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};

use super::FileEncoding;
use crate::text::one_line;
use crate::{Error, Result};

/// The file as the CSV parser reads it.
pub(crate) type Decoded<R> = DecodeReaderBytes<io::Chain<Cursor<Vec<u8>>, R>, Vec<u8>>;

/// `input` as UTF-8 text. UTF-32 is refused here: its mark starts with UTF-16's, which the
/// decoder would take it for.
pub(crate) fn decoded<R: Read>(mut input: R, encoding: Option<FileEncoding>) -> Result<Decoded<R>> {
    let mut head = Vec::with_capacity(4);
    (&mut input).take(4).read_to_end(&mut head)?;
    if matches!(head[..], [0xFF, 0xFE, 0, 0] | [0, 0, 0xFE, 0xFF]) {
        return Err(Error::invalid(
            "file",
            "is UTF-32 text (it starts with a UTF-32 byte-order mark); save it as CSV UTF-8",
        ));
    }
    // UTF-8 is read as it is, named or not, so a byte that is not UTF-8 is refused by its row
    // rather than replaced.
    let encoding = encoding.and_then(|e| match e {
        FileEncoding::Utf8 => None,
        FileEncoding::Windows1252 => Some(encoding_rs::WINDOWS_1252),
        FileEncoding::Utf16Le => Some(encoding_rs::UTF_16LE),
        FileEncoding::Utf16Be => Some(encoding_rs::UTF_16BE),
    });
    Ok(DecodeReaderBytesBuilder::new()
        // A byte-order mark says what the file is, whatever `--encoding` said. (The crate
        // keeps the named decoder when the mark is UTF-8's and UTF-8 passes through, so it
        // passes through only when nothing was named.)
        .bom_override(true)
        .utf8_passthru(encoding.is_none())
        .encoding(encoding)
        .strip_bom(true)
        .build(Cursor::new(head).chain(input)))
}

/// How long a cell's Windows-1252 reading in a hint may be.
const SHOWN: usize = 40;

/// Why `bytes` (a cell or header read as UTF-8) cannot be read, and what to do: most such
/// files are Windows-1252, so the hint shows the text as that would read it.
pub(crate) fn not_utf8(bytes: &[u8]) -> String {
    let (guess, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    let guess = one_line(&guess);
    let shown: String = guess.chars().take(SHOWN).collect();
    let more = if shown.len() < guess.len() { "…" } else { "" };
    format!(
        "is not UTF-8 text (as Windows-1252, which Excel on Windows saves, it reads \
         '{shown}{more}'); pass --encoding windows-1252, or save the file as CSV UTF-8"
    )
}

/// The encoding a header line with NUL bytes looks like: UTF-16 without its mark puts a NUL
/// beside every ASCII letter, after it (little-endian) or before it (big-endian).
pub(crate) fn utf16_without_mark(first_cell: &[u8]) -> Option<FileEncoding> {
    match first_cell {
        [a, 0, ..] if *a != 0 => Some(FileEncoding::Utf16Le),
        [0, b, ..] if *b != 0 => Some(FileEncoding::Utf16Be),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8], encoding: Option<FileEncoding>) -> Result<String> {
        let mut text = String::new();
        decoded(bytes, encoding)?.read_to_string(&mut text)?;
        Ok(text)
    }

    #[test]
    fn utf8_passes_and_utf16_with_a_mark_is_read_without_being_told() {
        assert_eq!(
            read(b"name\nM\xc3\xbcller\n", None).unwrap(),
            "name\nMüller\n"
        );
        assert_eq!(read(b"", None).unwrap(), "");
        assert_eq!(
            read(b"\xef\xbb\xbfname;x\nA;b\n", None).unwrap(),
            "name;x\nA;b\n"
        );
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in "name\nMüller\n".encode_utf16() {
            le.extend(unit.to_le_bytes());
            be.extend(unit.to_be_bytes());
        }
        assert_eq!(read(&le, None).unwrap(), "name\nMüller\n");
        assert_eq!(read(&be, None).unwrap(), "name\nMüller\n");
        // Without the mark, only when told.
        assert_eq!(
            read(&le[2..], Some(FileEncoding::Utf16Le)).unwrap(),
            "name\nMüller\n"
        );
        assert!(utf16_without_mark(&le[2..]) == Some(FileEncoding::Utf16Le));
        // A mark wins over a flag that names another encoding.
        assert_eq!(
            read(
                b"\xef\xbb\xbfname\nM\xc3\xbcller\n",
                Some(FileEncoding::Windows1252)
            )
            .unwrap(),
            "name\nMüller\n"
        );
        assert_eq!(
            read(&le, Some(FileEncoding::Windows1252)).unwrap(),
            "name\nMüller\n"
        );
        assert!(utf16_without_mark(&be[2..]) == Some(FileEncoding::Utf16Be));
    }

    #[test]
    fn windows_1252_is_read_when_named_and_hinted_when_not() {
        let bytes = b"name\nM\xfcller \x80 5\n";
        assert_eq!(
            read(bytes, Some(FileEncoding::Windows1252)).unwrap(),
            "name\nMüller € 5\n"
        );
        let text = read(bytes, None).map(|_| ()).unwrap_err();
        assert!(text.to_string().contains("UTF-8"), "{text}");
        let named = read(bytes, Some(FileEncoding::Utf8))
            .map(|_| ())
            .unwrap_err();
        assert!(
            named.to_string().contains("UTF-8"),
            "never replaced: {named}"
        );
        let hint = not_utf8(b"M\xfcller");
        assert!(hint.contains("'Müller'"), "{hint}");
        assert!(hint.contains("--encoding windows-1252"), "{hint}");
    }

    #[test]
    fn utf32_is_named() {
        let err = read(b"\xff\xfe\x00\x00n\x00\x00\x00", None).unwrap_err();
        assert!(err.to_string().contains("UTF-32"), "{err}");
    }
}
