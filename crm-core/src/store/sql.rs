//! What a statement needs from an engine, said once for SQLite and PostgreSQL: bound values,
//! rows read by index or name, prepared statements and their errors. The store modules write
//! their SQL against these types, so one module serves both engines and only the SQL that
//! differs between them is written twice (`Dialect`).
//!
//! Values cross as SQLite knows them (null, integer, real, text, blob): PostgreSQL's stricter
//! types are met here — an integer bound where PostgreSQL planned a `boolean` or `int4` is
//! encoded as that type, a `boolean` column is read back as 0 or 1 — so a statement's Rust
//! side is the same on both.

use std::error::Error as StdError;

use bytes::BytesMut;
use postgres::types::{IsNull, Type};

/// An owned value, as a row holds it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// A borrowed value: a parameter being bound, or a cell being read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ValueRef<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

impl Value {
    pub(crate) fn as_ref(&self) -> ValueRef<'_> {
        match self {
            Value::Null => ValueRef::Null,
            Value::Integer(n) => ValueRef::Integer(*n),
            Value::Real(x) => ValueRef::Real(*x),
            Value::Text(t) => ValueRef::Text(t),
            Value::Blob(b) => ValueRef::Blob(b),
        }
    }
}

impl ValueRef<'_> {
    pub(crate) fn to_owned(self) -> Value {
        match self {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(n) => Value::Integer(n),
            ValueRef::Real(x) => Value::Real(x),
            ValueRef::Text(t) => Value::Text(t.to_string()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        }
    }
}

/// An error of a statement, from either engine or from reading a cell as a Rust type.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SqlError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error("{}", postgres_message(.0))]
    Postgres(#[from] postgres::Error),
    #[error("column {column}: {problem}")]
    Column { column: String, problem: String },
    #[error("the query returned no rows")]
    NoRows,
}

/// The server's own words for an error (the client's Display says only "db error").
fn postgres_message(err: &postgres::Error) -> String {
    err.as_db_error()
        .map_or_else(|| err.to_string(), |db| db.message().to_string())
}

pub(crate) type SqlResult<T> = std::result::Result<T, SqlError>;

impl SqlError {
    pub(crate) fn column(column: impl std::fmt::Display, problem: impl std::fmt::Display) -> Self {
        SqlError::Column {
            column: column.to_string(),
            problem: problem.to_string(),
        }
    }
}

/// `.optional()` on a single-row result: no row is `None`, as rusqlite's extension does.
pub(crate) trait OptionalExtension<T> {
    fn optional(self) -> SqlResult<Option<T>>;
}

impl<T> OptionalExtension<T> for SqlResult<T> {
    fn optional(self) -> SqlResult<Option<T>> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(SqlError::NoRows | SqlError::Sqlite(rusqlite::Error::QueryReturnedNoRows)) => {
                Ok(None)
            }
            Err(err) => Err(err),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Parameters

/// A Rust value that can be bound to a statement.
pub(crate) trait ToArg {
    fn to_arg(&self) -> ValueRef<'_>;
}

macro_rules! int_arg {
    ($($t:ty),*) => {$(
        impl ToArg for $t {
            fn to_arg(&self) -> ValueRef<'_> {
                // Every integer the store binds fits in i64 (ids, counts, cents, limits).
                ValueRef::Integer(i64::try_from(*self).unwrap_or(i64::MAX))
            }
        }
    )*};
}
int_arg!(i64, i32, i16, u8, u16, u32, u64, usize);

impl ToArg for bool {
    fn to_arg(&self) -> ValueRef<'_> {
        ValueRef::Integer(i64::from(*self))
    }
}

impl ToArg for f64 {
    fn to_arg(&self) -> ValueRef<'_> {
        ValueRef::Real(*self)
    }
}

impl ToArg for str {
    fn to_arg(&self) -> ValueRef<'_> {
        ValueRef::Text(self)
    }
}

impl ToArg for String {
    fn to_arg(&self) -> ValueRef<'_> {
        ValueRef::Text(self)
    }
}

impl ToArg for [u8] {
    fn to_arg(&self) -> ValueRef<'_> {
        ValueRef::Blob(self)
    }
}

impl ToArg for Vec<u8> {
    fn to_arg(&self) -> ValueRef<'_> {
        ValueRef::Blob(self)
    }
}

impl ToArg for Value {
    fn to_arg(&self) -> ValueRef<'_> {
        self.as_ref()
    }
}

impl ToArg for ValueRef<'_> {
    fn to_arg(&self) -> ValueRef<'_> {
        *self
    }
}

impl<T: ToArg> ToArg for Option<T> {
    fn to_arg(&self) -> ValueRef<'_> {
        self.as_ref().map_or(ValueRef::Null, ToArg::to_arg)
    }
}

impl<T: ToArg + ?Sized> ToArg for &T {
    fn to_arg(&self) -> ValueRef<'_> {
        (**self).to_arg()
    }
}

/// The values bound to one statement, in order.
pub(crate) trait Params {
    fn args(&self) -> Vec<ValueRef<'_>>;
}

impl Params for [&dyn ToArg; 0] {
    fn args(&self) -> Vec<ValueRef<'_>> {
        Vec::new()
    }
}

impl Params for &[&dyn ToArg] {
    fn args(&self) -> Vec<ValueRef<'_>> {
        self.iter().map(|a| a.to_arg()).collect()
    }
}

impl Params for () {
    fn args(&self) -> Vec<ValueRef<'_>> {
        Vec::new()
    }
}

macro_rules! array_params {
    ($($n:literal)*) => {$(
        impl<T: ToArg> Params for [T; $n] {
            fn args(&self) -> Vec<ValueRef<'_>> {
                self.iter().map(ToArg::to_arg).collect()
            }
        }
    )*};
}
array_params!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);

/// Values collected at run time (a filter's clauses), bound in order.
pub(crate) struct ParamsFromIter<T>(Vec<T>);

pub(crate) fn params_from_iter<I>(iter: I) -> ParamsFromIter<I::Item>
where
    I: IntoIterator,
    I::Item: ToArg,
{
    ParamsFromIter(iter.into_iter().collect())
}

impl<T: ToArg> Params for ParamsFromIter<T> {
    fn args(&self) -> Vec<ValueRef<'_>> {
        self.0.iter().map(ToArg::to_arg).collect()
    }
}

/// `params![a, b]`: a list of values of different types.
macro_rules! params {
    () => {
        &[] as &[&dyn $crate::store::sql::ToArg]
    };
    ($($param:expr),+ $(,)?) => {
        &[$(&$param as &dyn $crate::store::sql::ToArg),+] as &[&dyn $crate::store::sql::ToArg]
    };
}
pub(crate) use params;

impl rusqlite::ToSql for ValueRef<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef as Sq};
        Ok(ToSqlOutput::Borrowed(match *self {
            ValueRef::Null => Sq::Null,
            ValueRef::Integer(n) => Sq::Integer(n),
            ValueRef::Real(x) => Sq::Real(x),
            ValueRef::Text(t) => Sq::Text(t.as_bytes()),
            ValueRef::Blob(b) => Sq::Blob(b),
        }))
    }
}

type BoxError = Box<dyn StdError + Sync + Send>;

impl postgres::types::ToSql for ValueRef<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        match *self {
            ValueRef::Null => Ok(IsNull::Yes),
            ValueRef::Integer(n) => match *ty {
                Type::INT8 => n.to_sql(ty, out),
                Type::INT4 => i32::try_from(n)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(n)?.to_sql(ty, out),
                Type::BOOL => (n != 0).to_sql(ty, out),
                // An integer compared with a float column, or bound as a real.
                Type::FLOAT8 =>
                {
                    #[allow(clippy::cast_precision_loss)]
                    (n as f64).to_sql(ty, out)
                }
                // A value PostgreSQL could not place (`SELECT $1`) is planned as text.
                _ if is_text(ty) => n.to_string().as_str().to_sql(ty, out),
                _ => Err(format!("cannot bind an integer as {ty}").into()),
            },
            ValueRef::Real(x) => match *ty {
                Type::FLOAT8 => x.to_sql(ty, out),
                #[allow(clippy::cast_possible_truncation)]
                Type::FLOAT4 => (x as f32).to_sql(ty, out),
                _ if is_text(ty) => x.to_string().as_str().to_sql(ty, out),
                _ => Err(format!("cannot bind a real as {ty}").into()),
            },
            ValueRef::Text(t) => match *ty {
                Type::BYTEA => t.as_bytes().to_sql(ty, out),
                Type::INT8 => t.parse::<i64>()?.to_sql(ty, out),
                _ => t.to_sql(ty, out),
            },
            ValueRef::Blob(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        // Checked in `to_sql` against the value it holds.
        true
    }

    postgres::types::to_sql_checked!();
}

fn is_text(ty: &Type) -> bool {
    matches!(
        *ty,
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::UNKNOWN
    ) || ty.name() == "citext"
}

// ---------------------------------------------------------------------------------------------
// Rows

/// A column of a row, by position or by name.
pub(crate) trait RowIndex: Copy + std::fmt::Display {
    fn position_in(self, names: &mut dyn Iterator<Item = &str>) -> Option<usize>;
    fn sqlite<'r>(
        self,
        row: &'r rusqlite::Row<'r>,
    ) -> rusqlite::Result<rusqlite::types::ValueRef<'r>>;
}

impl RowIndex for usize {
    fn position_in(self, _: &mut dyn Iterator<Item = &str>) -> Option<usize> {
        Some(self)
    }
    fn sqlite<'r>(
        self,
        row: &'r rusqlite::Row<'r>,
    ) -> rusqlite::Result<rusqlite::types::ValueRef<'r>> {
        row.get_ref(self)
    }
}

impl RowIndex for &str {
    fn position_in(self, names: &mut dyn Iterator<Item = &str>) -> Option<usize> {
        names
            .enumerate()
            .find(|(_, n)| *n == self)
            .map(|(at, _)| at)
    }
    fn sqlite<'r>(
        self,
        row: &'r rusqlite::Row<'r>,
    ) -> rusqlite::Result<rusqlite::types::ValueRef<'r>> {
        row.get_ref(self)
    }
}

/// One row of a result, of either engine.
#[derive(Clone, Copy)]
pub(crate) enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r postgres::Row),
}

impl<'r> Row<'r> {
    /// The cell at `idx`, as SQLite would give it.
    pub(crate) fn get_ref<I: RowIndex>(&self, idx: I) -> SqlResult<ValueRef<'r>> {
        match *self {
            Row::Sqlite(row) => {
                use rusqlite::types::ValueRef as Sq;
                Ok(match idx.sqlite(row)? {
                    Sq::Null => ValueRef::Null,
                    Sq::Integer(n) => ValueRef::Integer(n),
                    Sq::Real(x) => ValueRef::Real(x),
                    Sq::Text(t) => ValueRef::Text(
                        std::str::from_utf8(t).map_err(|e| SqlError::column(idx, e))?,
                    ),
                    Sq::Blob(b) => ValueRef::Blob(b),
                })
            }
            Row::Postgres(row) => {
                let at = idx
                    .position_in(&mut row.columns().iter().map(postgres::Column::name))
                    .filter(|at| *at < row.len())
                    .ok_or_else(|| SqlError::column(idx, "no such column"))?;
                postgres_cell(row, at).map_err(|e| SqlError::column(idx, e))
            }
        }
    }

    /// The cell at `idx` as a Rust value.
    pub(crate) fn get<I: RowIndex, T: FromValue>(&self, idx: I) -> SqlResult<T> {
        T::from_value(self.get_ref(idx)?).map_err(|problem| SqlError::column(idx, problem))
    }
}

fn postgres_cell(row: &postgres::Row, at: usize) -> Result<ValueRef<'_>, BoxError> {
    let ty = row.columns()[at].type_();
    let cell = match *ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(at)?.map(ValueRef::Integer),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(at)?
            .map(|n| ValueRef::Integer(n.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(at)?
            .map(|n| ValueRef::Integer(n.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(at)?
            .map(|b| ValueRef::Integer(b.into())),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(at)?.map(ValueRef::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(at)?
            .map(|x| ValueRef::Real(x.into())),
        Type::BYTEA => row.try_get::<_, Option<&[u8]>>(at)?.map(ValueRef::Blob),
        // sum() and avg() of integers are numeric on PostgreSQL, integers and reals on SQLite.
        Type::NUMERIC => row.try_get::<_, Option<Numeric>>(at)?.map(|n| n.0),
        _ => row.try_get::<_, Option<&str>>(at)?.map(ValueRef::Text),
    };
    Ok(cell.unwrap_or(ValueRef::Null))
}

/// A `numeric` as SQLite would hold the same number: an integer when it is whole and fits, else
/// a real.
struct Numeric(ValueRef<'static>);

impl<'a> postgres::types::FromSql<'a> for Numeric {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        // The binary form: digit count, weight of the first digit (in base 10,000), sign,
        // display scale, then the base-10,000 digits, each an i16.
        let word = |at: usize| -> Result<i16, BoxError> {
            let bytes = raw.get(at..at + 2).ok_or("a short numeric")?;
            Ok(i16::from_be_bytes([bytes[0], bytes[1]]))
        };
        let (count, weight, sign) = (word(0)?, word(2)?, word(4)?);
        if sign == 0xC000_u16.cast_signed() {
            return Ok(Numeric(ValueRef::Real(f64::NAN)));
        }
        let mut whole: i128 = 0;
        let mut fraction = 0.0_f64;
        for i in 0..count {
            let digit = word(8 + 2 * usize::try_from(i)?)?;
            let power = i32::from(weight) - i32::from(i);
            if power >= 0 {
                whole += i128::from(digit) * 10_000_i128.pow(power.cast_unsigned());
            } else {
                fraction += f64::from(digit) * 10_000_f64.powi(power);
            }
        }
        let negative = sign == 0x4000;
        let value = if fraction == 0.0
            && let Ok(n) = i64::try_from(whole)
        {
            ValueRef::Integer(if negative { -n } else { n })
        } else {
            #[allow(clippy::cast_precision_loss)]
            let x = whole as f64 + fraction;
            ValueRef::Real(if negative { -x } else { x })
        };
        Ok(Numeric(value))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::NUMERIC
    }
}

/// A Rust value read from a cell, with SQLite's own conversions (a boolean is an integer).
pub(crate) trait FromValue: Sized {
    fn from_value(value: ValueRef<'_>) -> Result<Self, String>;
}

fn wrong(value: ValueRef<'_>, wanted: &str) -> String {
    let held = match value {
        ValueRef::Null => "null",
        ValueRef::Integer(_) => "an integer",
        ValueRef::Real(_) => "a real",
        ValueRef::Text(_) => "text",
        ValueRef::Blob(_) => "a blob",
    };
    format!("holds {held}, not {wanted}")
}

macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(value: ValueRef<'_>) -> Result<Self, String> {
                match value {
                    ValueRef::Integer(n) => <$t>::try_from(n).map_err(|e| e.to_string()),
                    other => Err(wrong(other, "an integer")),
                }
            }
        }
    )*};
}
int_value!(i64, i32, i16, u8, u16, u32, u64, usize);

impl FromValue for bool {
    fn from_value(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Integer(n) => Ok(n != 0),
            other => Err(wrong(other, "a yes/no")),
        }
    }
}

impl FromValue for f64 {
    fn from_value(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Real(x) => Ok(x),
            #[allow(clippy::cast_precision_loss)]
            ValueRef::Integer(n) => Ok(n as f64),
            other => Err(wrong(other, "a number")),
        }
    }
}

impl FromValue for String {
    fn from_value(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Text(t) => Ok(t.to_string()),
            other => Err(wrong(other, "text")),
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Blob(b) => Ok(b.to_vec()),
            ValueRef::Text(t) => Ok(t.as_bytes().to_vec()),
            other => Err(wrong(other, "a blob")),
        }
    }
}

impl FromValue for Value {
    fn from_value(value: ValueRef<'_>) -> Result<Self, String> {
        Ok(value.to_owned())
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: ValueRef<'_>) -> Result<Self, String> {
        match value {
            ValueRef::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Connections and statements

/// A PostgreSQL connection with the statements it has prepared, by their SQL.
pub(crate) struct PgConn {
    pub(crate) client: postgres::Client,
    prepared: std::collections::HashMap<String, postgres::Statement>,
    /// The database's URL without its password, for messages that name it.
    pub(crate) shown_url: String,
}

impl PgConn {
    pub(crate) fn new(client: postgres::Client, url: &str) -> PgConn {
        PgConn {
            client,
            prepared: std::collections::HashMap::new(),
            shown_url: without_password(url),
        }
    }
}

/// `postgres://user:secret@host/db` as `postgres://user@host/db`.
pub(crate) fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((user, host)) => {
            let user = user.split_once(':').map_or(user, |(name, _)| name);
            format!("{scheme}://{user}@{host}")
        }
        None => url.to_string(),
    }
}

/// Where statements run: a SQLite connection or a PostgreSQL one. Both take the same SQL text,
/// written with SQLite's `?` and `?N` placeholders; PostgreSQL's `$N` are made from them.
#[derive(Clone, Copy)]
pub(crate) enum Db<'c> {
    Sqlite(&'c rusqlite::Connection),
    Postgres(&'c std::cell::RefCell<PgConn>),
}

impl<'c> Db<'c> {
    /// Prepares a statement run once (its SQL is made at run time), not kept: a server makes
    /// such SQL for every filter, and keeping each would grow without bound.
    pub(crate) fn prepare(self, sql: &str) -> SqlResult<Statement<'c>> {
        #[cfg(feature = "testing")]
        super::recorded::record(sql);
        match self {
            Db::Sqlite(conn) => Ok(Statement::Plain(conn.prepare(sql)?)),
            Db::Postgres(conn) => {
                let statement = conn
                    .borrow_mut()
                    .client
                    .prepare(&numbered_placeholders(sql))?;
                Ok(Statement::Postgres { conn, statement })
            }
        }
    }

    /// Prepares a statement kept on the connection for the next time its SQL runs.
    pub(crate) fn prepare_cached(self, sql: &str) -> SqlResult<Statement<'c>> {
        #[cfg(feature = "testing")]
        super::recorded::record(sql);
        match self {
            Db::Sqlite(conn) => Ok(Statement::Cached(conn.prepare_cached(sql)?)),
            Db::Postgres(conn) => Db::prepare_cached_pg(conn, sql),
        }
    }

    fn prepare_cached_pg(
        conn: &'c std::cell::RefCell<PgConn>,
        sql: &str,
    ) -> SqlResult<Statement<'c>> {
        let mut pg = conn.borrow_mut();
        let statement = if let Some(statement) = pg.prepared.get(sql) {
            statement.clone()
        } else {
            let statement = pg.client.prepare(&numbered_placeholders(sql))?;
            pg.prepared.insert(sql.to_string(), statement.clone());
            statement
        };
        Ok(Statement::Postgres { conn, statement })
    }

    pub(crate) fn execute<P: Params>(self, sql: &str, params: P) -> SqlResult<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    pub(crate) fn query_row<T, P, F>(self, sql: &str, params: P, f: F) -> SqlResult<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> SqlResult<T>,
    {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    /// Runs an INSERT of one row and gives the id the database chose for it: SQLite's last
    /// rowid, PostgreSQL's `RETURNING id`. SQLite runs a `RETURNING` clause as an internal
    /// trigger, which makes every insert keep a statement journal of the pages it changes:
    /// a tenth of a million-lead import went to that.
    pub(crate) fn insert<P: Params>(self, sql: &str, params: P) -> SqlResult<i64> {
        match self {
            Db::Sqlite(conn) => {
                self.execute(sql, params)?;
                Ok(conn.last_insert_rowid())
            }
            Db::Postgres(_) => {
                let sql = format!("{} RETURNING id", sql.trim_end());
                self.query_row(&sql, params, |r| r.get(0))
            }
        }
    }

    /// Runs statements separated by `;` that take no values.
    pub(crate) fn execute_batch(self, sql: &str) -> SqlResult<()> {
        match self {
            Db::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Db::Postgres(conn) => Ok(conn.borrow_mut().client.batch_execute(sql)?),
        }
    }
}

impl Db<'_> {
    pub(crate) fn is_postgres(self) -> bool {
        matches!(self, Db::Postgres(_))
    }
}

/// A prepared statement of either engine.
pub(crate) enum Statement<'c> {
    Cached(rusqlite::CachedStatement<'c>),
    Plain(rusqlite::Statement<'c>),
    Postgres {
        conn: &'c std::cell::RefCell<PgConn>,
        statement: postgres::Statement,
    },
}

fn pg_args<'a>(args: &'a [ValueRef<'a>]) -> Vec<&'a (dyn postgres::types::ToSql + Sync)> {
    args.iter()
        .map(|a| a as &(dyn postgres::types::ToSql + Sync))
        .collect()
}

// Values are taken by value, as rusqlite's are, so a call passes `[id]` or `params![…]` alike.
#[allow(clippy::needless_pass_by_value)]
impl<'c> Statement<'c> {
    fn sqlite(&mut self) -> Option<&mut rusqlite::Statement<'c>> {
        match self {
            Statement::Cached(s) => Some(s),
            Statement::Plain(s) => Some(s),
            Statement::Postgres { .. } => None,
        }
    }

    /// The rows of a PostgreSQL statement, read whole (the store pages what may be long).
    fn pg_rows<P: Params>(&self, params: &P) -> SqlResult<Vec<postgres::Row>> {
        let Statement::Postgres { conn, statement } = self else {
            unreachable!("only called for PostgreSQL statements")
        };
        let args = params.args();
        Ok(conn.borrow_mut().client.query(statement, &pg_args(&args))?)
    }

    pub(crate) fn execute<P: Params>(&mut self, params: P) -> SqlResult<usize> {
        let args = params.args();
        if let Some(s) = self.sqlite() {
            return Ok(s.execute(rusqlite::params_from_iter(args.iter()))?);
        }
        let Statement::Postgres { conn, statement } = self else {
            unreachable!()
        };
        let changed = conn
            .borrow_mut()
            .client
            .execute(&*statement, &pg_args(&args))?;
        Ok(usize::try_from(changed).unwrap_or(usize::MAX))
    }

    pub(crate) fn query_row<T, P, F>(&mut self, params: P, f: F) -> SqlResult<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> SqlResult<T>,
    {
        if let Some(s) = self.sqlite() {
            let args = params.args();
            let mut rows = s.query(rusqlite::params_from_iter(args.iter()))?;
            return match rows.next()? {
                Some(row) => f(&Row::Sqlite(row)),
                None => Err(SqlError::NoRows),
            };
        }
        let rows = self.pg_rows(&params)?;
        match rows.first() {
            Some(row) => f(&Row::Postgres(row)),
            None => Err(SqlError::NoRows),
        }
    }

    pub(crate) fn query_map<T, P, F>(&mut self, params: P, f: F) -> SqlResult<MappedRows<'_, F>>
    where
        P: Params,
        F: FnMut(&Row<'_>) -> SqlResult<T>,
    {
        Ok(MappedRows {
            rows: self.query(params)?,
            f,
        })
    }

    /// The names of the result's columns.
    #[cfg(feature = "testing")]
    pub(crate) fn column_names(&self) -> Vec<String> {
        match self {
            Statement::Cached(s) => s.column_names().into_iter().map(String::from).collect(),
            Statement::Plain(s) => s.column_names().into_iter().map(String::from).collect(),
            Statement::Postgres { statement, .. } => statement
                .columns()
                .iter()
                .map(|c| c.name().to_string())
                .collect(),
        }
    }

    pub(crate) fn query<P: Params>(&mut self, params: P) -> SqlResult<Rows<'_>> {
        if let Statement::Postgres { .. } = self {
            return Ok(Rows::Postgres(self.pg_rows(&params)?.into_iter(), None));
        }
        let s = self.sqlite().expect("a SQLite statement");
        let args = params.args();
        let rows = s.query(rusqlite::params_from_iter(args.iter()))?;
        Ok(Rows::Sqlite(rows))
    }
}

/// The rows of a query, read one at a time.
pub(crate) enum Rows<'s> {
    Sqlite(rusqlite::Rows<'s>),
    Postgres(std::vec::IntoIter<postgres::Row>, Option<postgres::Row>),
}

impl Rows<'_> {
    pub(crate) fn next(&mut self) -> SqlResult<Option<Row<'_>>> {
        match self {
            Rows::Sqlite(rows) => Ok(rows.next()?.map(Row::Sqlite)),
            Rows::Postgres(rows, current) => {
                *current = rows.next();
                Ok(current.as_ref().map(Row::Postgres))
            }
        }
    }
}

/// The rows of a query, each mapped by `f`.
pub(crate) struct MappedRows<'s, F> {
    rows: Rows<'s>,
    f: F,
}

impl<T, F> Iterator for MappedRows<'_, F>
where
    F: FnMut(&Row<'_>) -> SqlResult<T>,
{
    type Item = SqlResult<T>;

    fn next(&mut self) -> Option<SqlResult<T>> {
        match self.rows.next() {
            Ok(Some(row)) => Some((self.f)(&row)),
            Ok(None) => None,
            Err(err) => Some(Err(err)),
        }
    }
}

/// SQLite's placeholders (`?` numbered in order, `?N` as given) as PostgreSQL's `$N`, leaving
/// string literals, quoted names and comments alone.
pub(crate) fn numbered_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut next = 0;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                for inner in chars.by_ref() {
                    out.push(inner);
                    if inner == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for inner in chars.by_ref() {
                    out.push(inner);
                    if inner == '\n' {
                        break;
                    }
                }
            }
            '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                // As SQLite numbers them: a bare `?` is one past the largest number so far.
                let number = digits.parse::<usize>().unwrap_or(next + 1);
                next = next.max(number);
                out.push('$');
                out.push_str(&number.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::numbered_placeholders;

    #[test]
    fn placeholders_are_numbered_outside_quotes() {
        assert_eq!(
            numbered_placeholders("SELECT ?, '?', \"a?\" FROM t WHERE x = ?2 AND y = ? -- ?\n"),
            "SELECT $1, '?', \"a?\" FROM t WHERE x = $2 AND y = $3 -- ?\n"
        );
    }
}
