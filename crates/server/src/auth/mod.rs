//! Passwords, tokens and login throttling.

mod password;
mod throttle;
mod token;

pub use password::{PasswordHasher, MAX_WAITING};
pub use throttle::{Attempt, Throttle, REGISTER_LIMIT, THROTTLE_LIMIT, THROTTLE_WINDOW};
pub use token::{new_token, token_hash, TOKEN_LIFETIME};
