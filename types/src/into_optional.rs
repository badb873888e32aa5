//! What the body builders' optional fields accept (the codegen rewrites their setters to use it).

/// A value for an optional field: the value itself, an `Option` of it (`None` leaves the field
/// out), a `&str` for a text field, or a whole number for a decimal one (`Decimal` itself for
/// the others: `"12.50".parse()`, `Decimal::new(1250, 2)`; never an `f64`, which could not
/// hold most amounts exactly).
///
/// ```
/// # use mocoapp_types::{types, Decimal};
/// let body: types::ProjectUpdate = types::ProjectUpdate::builder()
///     .info("Billed yearly")                    // &str
///     .budget(25000)                            // a whole amount
///     .hourly_rate(Decimal::new(1250, 1))       // 125.0
///     .fixed_price(None::<bool>)                // left out
///     .try_into()
///     .unwrap();
/// assert_eq!(body.info.as_deref(), Some("Billed yearly"));
/// assert_eq!(body.hourly_rate.map(|r| r.to_string()).as_deref(), Some("125.0"));
/// assert_eq!(serde_json::to_value(&body).unwrap()["budget"], serde_json::json!(25000));
/// ```
pub trait IntoOptional<T> {
    /// The value to store.
    fn into_optional(self) -> Option<T>;
}

impl<T> IntoOptional<T> for T {
    fn into_optional(self) -> Option<T> {
        Some(self)
    }
}

impl<T> IntoOptional<T> for Option<T> {
    fn into_optional(self) -> Option<T> {
        self
    }
}

impl IntoOptional<String> for &str {
    fn into_optional(self) -> Option<String> {
        Some(self.to_string())
    }
}

impl IntoOptional<String> for &String {
    fn into_optional(self) -> Option<String> {
        Some(self.clone())
    }
}

impl IntoOptional<Vec<String>> for Vec<&str> {
    fn into_optional(self) -> Option<Vec<String>> {
        Some(self.into_iter().map(str::to_string).collect())
    }
}

impl<const N: usize> IntoOptional<Vec<String>> for [&str; N] {
    fn into_optional(self) -> Option<Vec<String>> {
        Some(self.iter().map(|s| s.to_string()).collect())
    }
}

/// Whole amounts for decimal fields (`.budget(25000)`).
macro_rules! whole_decimal {
    ($($t:ty),*) => {$(
        impl IntoOptional<rust_decimal::Decimal> for $t {
            fn into_optional(self) -> Option<rust_decimal::Decimal> {
                Some(rust_decimal::Decimal::from(self))
            }
        }
    )*};
}

whole_decimal!(i32, i64, u32, u64);
