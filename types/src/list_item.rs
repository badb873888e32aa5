//! What the page streams need to know of a list's items: their id.

/// An entity of a paginated list, and the `id` MOCO gave it: the page streams use it to yield
/// each entity once, and to notice a list that changes while it is read. Implemented by the
/// codegen for the item type of every paginated list (from the type: an integer `id`, an
/// optional one, or none).
pub trait ListItem {
    /// The item's MOCO id, if it has one.
    fn item_id(&self) -> Option<i64>;
}

/// A list read as plain JSON: the top-level integer `"id"` of an object, if any.
impl ListItem for serde_json::Value {
    fn item_id(&self) -> Option<i64> {
        self.get("id")?.as_i64()
    }
}

#[cfg(test)]
mod tests {
    use super::ListItem;

    #[test]
    fn json_items_have_their_top_level_integer_id() {
        assert_eq!(serde_json::json!({"name": "x", "id": 12, "leader": {"id": 9}}).item_id(), Some(12));
        assert_eq!(serde_json::json!({"id": "12"}).item_id(), None, "a text id is not an id");
        assert_eq!(serde_json::json!({"id": u64::MAX}).item_id(), None);
        assert_eq!(serde_json::json!({"name": "x"}).item_id(), None);
        assert_eq!(serde_json::json!(12).item_id(), None);
    }
}
