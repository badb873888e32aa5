//! Small conveniences on generated types, where the spec has to stay lenient but callers want
//! one plain value.

use crate::types;

impl types::ScheduleAssignmentCode {
    /// The absence code as a number; MOCO sends it as `4` or as `"4"`.
    ///
    /// ```
    /// use mocoapp::types::ScheduleAssignmentCode;
    /// assert_eq!(ScheduleAssignmentCode::String("4".into()).as_i64(), Some(4));
    /// assert_eq!(ScheduleAssignmentCode::Integer(4).as_i64(), Some(4));
    /// ```
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Self::Integer(code) => Some(*code),
            Self::String(code) => code.trim().parse().ok(),
        }
    }
}
