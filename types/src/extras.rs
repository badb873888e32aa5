//! Hand-written additions to generated types, where a method saves every user the same match.

#[cfg(feature = "activities")]
impl crate::types::DisregardedActivity {
    /// The activity's id, whichever form MOCO answered with.
    pub fn id(&self) -> i64 {
        match self {
            Self::Id(id) => *id,
            Self::Activity(activity) => activity.id,
        }
    }
}
