//! Who may log in, and which API key belongs to whom: every user has a password (the configured
//! one unless a create or update of the user set another) and a personal API key (the owner's is
//! the configured key, the others are derived from the seed and the user's id), so that a login
//! checks the password and the key it hands out works and acts as that user.

use std::collections::HashMap;

use crate::store::Rng;

/// The default password of every user (see `FakeConfig::password`).
pub const DEFAULT_PASSWORD: &str = "moco-fake-password";

pub(crate) struct Accounts {
    /// The key of the owner (the first seeded user).
    owner_key: String,
    /// Every user's password unless set below.
    default_password: String,
    /// Passwords set by creating or updating a user with a `password`.
    passwords: HashMap<i64, String>,
    seed: u64,
}

impl Accounts {
    pub(crate) fn new(owner_key: &str, default_password: &str, seed: u64) -> Self {
        Accounts { owner_key: owner_key.to_string(), default_password: default_password.to_string(), passwords: HashMap::new(), seed }
    }

    /// The personal API key of `user_id`: the configured key for the owner, else 32 hex digits
    /// fixed by the seed and the id (the same on every run).
    pub(crate) fn key_of(&self, user_id: i64, owner_id: i64) -> String {
        if user_id == owner_id {
            return self.owner_key.clone();
        }
        let mut rng = Rng::new(self.seed ^ 0xACC0_0D5E_ED00_0000 ^ (user_id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64())
    }

    /// The user a presented key belongs to, among `users`.
    pub(crate) fn user_of_key(&self, key: &str, owner_id: i64, mut users: impl Iterator<Item = i64>) -> Option<i64> {
        if key == self.owner_key {
            return Some(owner_id);
        }
        users.find(|&id| id != owner_id && self.key_of(id, owner_id) == key)
    }

    /// Whether `password` is the user's.
    pub(crate) fn password_matches(&self, user_id: i64, password: &str) -> bool {
        let expected = self.passwords.get(&user_id).unwrap_or(&self.default_password);
        // Compared in full whatever the first difference (a habit worth keeping, even here).
        expected.len() == password.len() && expected.bytes().zip(password.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }

    pub(crate) fn set_password(&mut self, user_id: i64, password: &str) {
        self.passwords.insert(user_id, password.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_personal_stable_and_found_again() {
        let accounts = Accounts::new("owner-key", DEFAULT_PASSWORD, 1);
        assert_eq!(accounts.key_of(10, 10), "owner-key");
        let key = accounts.key_of(11, 10);
        assert_eq!(key.len(), 32);
        assert!(key.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(key, Accounts::new("owner-key", DEFAULT_PASSWORD, 1).key_of(11, 10), "the same on every run");
        assert_ne!(key, accounts.key_of(12, 10));
        assert_ne!(key, Accounts::new("owner-key", DEFAULT_PASSWORD, 2).key_of(11, 10), "another seed, other keys");
        assert_eq!(accounts.user_of_key(&key, 10, [10, 11, 12].into_iter()), Some(11));
        assert_eq!(accounts.user_of_key("owner-key", 10, [10, 11].into_iter()), Some(10));
        assert_eq!(accounts.user_of_key(&key, 10, [10, 12].into_iter()), None, "a deleted user's key stops working");
        assert_eq!(accounts.user_of_key("nope", 10, [10, 11].into_iter()), None);
    }

    #[test]
    fn passwords_default_until_set() {
        let mut accounts = Accounts::new("k", "pw", 1);
        assert!(accounts.password_matches(5, "pw"));
        assert!(!accounts.password_matches(5, "pW"));
        assert!(!accounts.password_matches(5, "pw "));
        assert!(!accounts.password_matches(5, ""));
        accounts.set_password(5, "new");
        assert!(accounts.password_matches(5, "new"));
        assert!(!accounts.password_matches(5, "pw"));
        assert!(accounts.password_matches(6, "pw"));
    }
}
