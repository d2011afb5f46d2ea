//! The statements the store prepares, recorded per thread while a test asks for them
//! (`testing::statements_of`), so the suite can check their query plans.

thread_local! {
    static RECORDED: std::cell::RefCell<Option<Vec<String>>> = const { std::cell::RefCell::new(None) };
}

/// Called for every statement the store prepares.
pub(super) fn record(sql: &str) {
    RECORDED.with(|r| {
        if let Some(list) = r.borrow_mut().as_mut() {
            list.push(sql.to_string());
        }
    });
}

/// Runs `work` and returns the SQL of every statement the store prepared meanwhile (this thread).
pub(crate) fn statements_of<T>(work: impl FnOnce() -> T) -> (T, Vec<String>) {
    RECORDED.with(|r| *r.borrow_mut() = Some(Vec::new()));
    let value = work();
    let statements = RECORDED.with(|r| r.borrow_mut().take()).unwrap_or_default();
    (value, statements)
}
