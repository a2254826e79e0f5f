//! FNV-1a: a tiny hash that is stable across platforms and releases, for
//! fingerprints and generated names that must not change between runs.

pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}
