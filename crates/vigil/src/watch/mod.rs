//! What `vigil watch` needs besides the command itself: reading events,
//! and posting failures to a webhook.

mod bedrock_event;
pub mod event;
pub mod webhook;
