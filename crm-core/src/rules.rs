//! Pure rules: no I/O, no database, easy to test exhaustively.

pub(crate) mod validate;
