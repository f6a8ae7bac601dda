//! Passwords, tokens and login throttling.

mod password;
mod throttle;
mod token;

pub use password::PasswordHasher;
pub use throttle::{LoginThrottle, THROTTLE_LIMIT, THROTTLE_WINDOW};
pub use token::{new_token, token_hash, TOKEN_LIFETIME};
