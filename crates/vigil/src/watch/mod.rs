//! What `vigil watch` needs besides the command itself: reading events.

pub mod event;
