//! What a template (or Terraform module, or plan) declares around the
//! resource being read, for rules that judge more than the resource: the
//! IAM roles it runs as, the network its subnet is in, the KMS keys it
//! encrypts with.

use crate::keys::Keys;
use crate::networks::Networks;
use crate::roles::Roles;

#[derive(Default)]
pub struct Neighbours {
    pub roles: Roles,
    pub networks: Networks,
    pub keys: Keys,
}
