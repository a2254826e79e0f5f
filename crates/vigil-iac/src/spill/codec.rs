//! A finding as the spill writes it: numbers little-endian, texts as their
//! length and UTF-8, the rule and the `&'static str`s by number. Several
//! times quicker both ways than JSON, and a third smaller.

use vigil_core::finding::{History, Location, PropertyLocation, ResourceRef, Status, Suppression};
use vigil_core::{Finding, RiskLevel};

/// Risks by number, in the spill.
const RISKS: [RiskLevel; 5] = RiskLevel::ALL;

/// The numbers a finding's statics are written as: its rule's place in the
/// registry, and its title's and resource type's in the spill's list.
pub(super) struct Statics {
    pub rule: u16,
    pub title: u16,
    pub kind: u16,
}

pub(super) fn encode(f: &Finding, statics: Statics, out: &mut Vec<u8>) {
    for n in [statics.rule, statics.title, statics.kind] {
        out.extend(n.to_le_bytes());
    }
    out.push(RISKS.iter().position(|r| *r == f.risk).unwrap_or(0) as u8);
    out.push(match f.status {
        Status::Pass => 0,
        Status::Fail => 1,
        Status::Unknown { .. } => 2,
    });
    out.push(u8::from(f.suppressed));
    text(out, f.status.reason().unwrap_or_default());
    text(out, &f.message);
    optional(out, f.suppression.as_ref(), |out, s| {
        text(out, &s.reason);
        optional_text(out, s.expires.as_deref());
    });
    let r = &f.resource;
    text(out, &r.name);
    for field in [&r.arn, &r.account, &r.region] {
        optional_text(out, field.as_deref());
    }
    optional(out, f.location.as_ref(), |out, l| {
        text(out, &l.file);
        number(out, l.line);
        number(out, l.column);
        text(out, &l.logical_id);
        optional(out, l.property.as_ref(), |out, p| {
            text(out, &p.name);
            number(out, p.line);
            number(out, p.column);
        });
    });
    optional(out, f.history.as_ref(), |out, h| {
        text(out, &h.state);
        text(out, &h.first_seen);
        out.push(u8::from(h.new));
        text(out, &h.key);
    });
}

/// The finding `bytes` hold, with `statics` the spill's list of texts.
pub(super) fn decode(bytes: &[u8], statics: &[&'static str]) -> Result<Finding, &'static str> {
    let mut r = Reader(bytes);
    let (rule, title, kind) = (r.u16()?, r.u16()?, r.u16()?);
    let static_text = |at: u16| statics.get(usize::from(at)).copied().ok_or("a text out of range");
    let risk = *RISKS.get(usize::from(r.u8()?)).ok_or("a risk out of range")?;
    let status = r.u8()?;
    let suppressed = r.u8()? == 1;
    let reason = r.text()?;
    let status = match status {
        0 => Status::Pass,
        1 => Status::Fail,
        _ => Status::Unknown { reason },
    };
    let message = r.text()?;
    let suppression = match r.present()? {
        true => Some(Suppression {
            reason: r.text()?,
            expires: r.optional_text()?,
        }),
        false => None,
    };
    let resource = ResourceRef {
        kind: static_text(kind)?,
        name: r.text()?,
        arn: r.optional_text()?,
        account: r.optional_text()?,
        region: r.optional_text()?,
    };
    let location = match r.present()? {
        true => Some(Location {
            file: r.text()?,
            line: r.number()?,
            column: r.number()?,
            logical_id: r.text()?,
            property: match r.present()? {
                true => Some(PropertyLocation {
                    name: r.text()?,
                    line: r.number()?,
                    column: r.number()?,
                }),
                false => None,
            },
        }),
        false => None,
    };
    let history = match r.present()? {
        true => Some(History {
            state: r.text()?,
            first_seen: r.text()?,
            new: r.u8()? == 1,
            key: r.text()?,
        }),
        false => None,
    };
    Ok(Finding {
        rule: vigil_core::registry::all()
            .get(usize::from(rule))
            .ok_or("a rule out of range")?,
        title: static_text(title)?,
        reason: status.reason().map(str::to_owned),
        status,
        risk,
        message,
        suppressed,
        suppression,
        resource,
        location,
        history,
    })
}

fn number(out: &mut Vec<u8>, n: usize) {
    out.extend((n as u64).to_le_bytes());
}

fn text(out: &mut Vec<u8>, text: &str) {
    number(out, text.len());
    out.extend(text.as_bytes());
}

fn optional<T: ?Sized>(out: &mut Vec<u8>, value: Option<&T>, write: impl FnOnce(&mut Vec<u8>, &T)) {
    out.push(u8::from(value.is_some()));
    if let Some(value) = value {
        write(out, value);
    }
}

fn optional_text(out: &mut Vec<u8>, value: Option<&str>) {
    optional(out, value, text);
}

/// Reads what `encode` wrote, refusing to read past the end.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], &'static str> {
        if self.0.len() < n {
            return Err("a finding cut short");
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn u8(&mut self) -> Result<u8, &'static str> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, &'static str> {
        Ok(u16::from_le_bytes(
            self.take(2)?.try_into().map_err(|_| "a short number")?,
        ))
    }

    fn number(&mut self) -> Result<usize, &'static str> {
        let n = u64::from_le_bytes(self.take(8)?.try_into().map_err(|_| "a short number")?);
        usize::try_from(n).map_err(|_| "a number out of range")
    }

    fn present(&mut self) -> Result<bool, &'static str> {
        Ok(self.u8()? == 1)
    }

    fn text(&mut self) -> Result<String, &'static str> {
        let len = self.number()?;
        let bytes = self.take(len)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| "a text that is not UTF-8")
    }

    fn optional_text(&mut self) -> Result<Option<String>, &'static str> {
        match self.present()? {
            true => self.text().map(Some),
            false => Ok(None),
        }
    }
}
