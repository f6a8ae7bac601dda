//! A strict reader of the yrs v1 update format, run before yrs ever sees bytes from a peer.
//!
//! yrs 0.24 trusts its input: strings are taken with `from_utf8_unchecked`, some vectors are
//! sized from counts in the input (`Vec::with_capacity`), and clocks are added unchecked. Random
//! bytes aborted the process in a 20,000-input test. This reader walks the same structure
//! (lib0 v1: variable-length integers, length-prefixed strings) and refuses anything a notes
//! document does not contain: only the one root text, only string and deleted content, counts
//! bounded by the bytes left, strings that are UTF-8, clocks that do not overflow, and no bytes
//! after the end. What passes is what `edit` and `merge` themselves produce.

/// The first thing wrong with an update, for the error message.
pub type Fault = &'static str;

/// Item info bits (yrs `block.rs`).
const HAS_ORIGIN: u8 = 0b1000_0000;
const HAS_RIGHT_ORIGIN: u8 = 0b0100_0000;
const HAS_PARENT_SUB: u8 = 0b0010_0000;
const CONTENT: u8 = 0b0001_1111;
/// Block kinds and the content kinds a text has.
const GC: u8 = 0;
const SKIP: u8 = 10;
const CONTENT_DELETED: u8 = 1;
const CONTENT_STRING: u8 = 4;

struct Reader<'a> {
    buf: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn left(&self) -> usize {
        self.buf.len() - self.at
    }

    fn u8(&mut self) -> Result<u8, Fault> {
        let b = *self.buf.get(self.at).ok_or("ends early")?;
        self.at += 1;
        Ok(b)
    }

    /// lib0's unsigned variable-length integer: 7 bits a byte, low bits first; at most 5 bytes
    /// and a value that fits 32 bits.
    fn var(&mut self) -> Result<u32, Fault> {
        let mut value: u64 = 0;
        for i in 0..5 {
            let b = self.u8()?;
            value |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return u32::try_from(value).map_err(|_| "a number over 32 bits");
            }
        }
        Err("a number over 32 bits")
    }

    /// A count of things that each take at least `each` bytes: never more than could fit.
    fn count(&mut self, each: usize) -> Result<u32, Fault> {
        let n = self.var()?;
        if (n as usize).saturating_mul(each) > self.left() {
            return Err("a count larger than the update");
        }
        Ok(n)
    }

    fn bytes(&mut self, len: usize) -> Result<&'a [u8], Fault> {
        if len > self.left() {
            return Err("ends early");
        }
        let slice = &self.buf[self.at..self.at + len];
        self.at += len;
        Ok(slice)
    }

    fn string(&mut self) -> Result<&'a str, Fault> {
        let len = self.var()? as usize;
        std::str::from_utf8(self.bytes(len)?).map_err(|_| "a string that is not UTF-8")
    }

    fn id(&mut self) -> Result<(), Fault> {
        self.var()?;
        self.var()?;
        Ok(())
    }
}

fn advance(clock: u32, len: u32) -> Result<u32, Fault> {
    clock.checked_add(len).ok_or("a clock past 32 bits")
}

/// Checks that `bytes` is a v1 update of a notes document whose one text is named `root`.
pub fn check(bytes: &[u8], root: &str) -> Result<(), Fault> {
    let mut r = Reader { buf: bytes, at: 0 };
    // Each client's run has at least three bytes: its block count, client and clock.
    for _ in 0..r.count(3)? {
        let blocks = r.count(1)?;
        r.var()?;
        let mut clock = r.var()?;
        for _ in 0..blocks {
            let info = r.u8()?;
            let len = match info {
                GC | SKIP => r.var()?,
                _ => {
                    if info & HAS_ORIGIN != 0 {
                        r.id()?;
                    }
                    if info & HAS_RIGHT_ORIGIN != 0 {
                        r.id()?;
                    }
                    if info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN) == 0 {
                        if info & HAS_PARENT_SUB != 0 {
                            return Err("a map entry (a text has none)");
                        }
                        if r.var()? == 1 {
                            if r.string()? != root {
                                return Err("a shared type other than the notes text");
                            }
                        } else {
                            r.id()?;
                        }
                    }
                    match info & CONTENT {
                        CONTENT_DELETED => r.var()?,
                        CONTENT_STRING => {
                            let s = r.string()?;
                            u32::try_from(s.encode_utf16().count())
                                .map_err(|_| "a string too long")?
                        }
                        _ => return Err("content a text does not hold"),
                    }
                }
            };
            clock = advance(clock, len)?;
        }
    }
    // The delete set: per client, ranges of two numbers each.
    for _ in 0..r.count(2)? {
        r.var()?;
        for _ in 0..r.count(2)? {
            let (start, len) = (r.var()?, r.var()?);
            advance(start, len)?;
        }
    }
    if r.left() > 0 {
        return Err("bytes after the end");
    }
    Ok(())
}
