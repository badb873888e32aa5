//! What the body builders' optional fields accept (the codegen rewrites their setters to use it).

/// A value for an optional field: the value itself, an `Option` of it (`None` leaves the field
/// out), or a `&str` for a text field.
///
/// ```
/// # use mocoapp_types::types;
/// let body: types::ProjectUpdate = types::ProjectUpdate::builder()
///     .info("Billed yearly")          // &str
///     .budget(25000.0)                // the value
///     .hourly_rate(None::<f64>)       // left out
///     .try_into()
///     .unwrap();
/// assert_eq!(body.info.as_deref(), Some("Billed yearly"));
/// assert_eq!(body.hourly_rate, None);
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
