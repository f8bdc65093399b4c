//! W3C Trace Context: trace and span ids and the `traceparent` header
//! (<https://www.w3.org/TR/trace-context/>).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceId(u128);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpanId(u64);

impl TraceId {
    /// A random id; zero is the spec's "invalid" id, so it is never produced.
    pub fn random() -> Self {
        Self(rand::random::<u128>().max(1))
    }

    pub fn hex(self) -> String {
        format!("{:032x}", self.0)
    }
}

impl SpanId {
    pub fn random() -> Self {
        Self(rand::random::<u64>().max(1))
    }

    pub fn hex(self) -> String {
        format!("{:016x}", self.0)
    }
}

/// The caller's span, named by an incoming `traceparent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RemoteParent {
    pub trace_id: TraceId,
    pub span_id: SpanId,
}

/// Parses a `traceparent` header; anything malformed is `None` (the request starts a new trace).
pub fn parse_traceparent(value: &str) -> Option<RemoteParent> {
    let mut parts = value.trim().split('-');
    let (version, trace, span, flags) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if !is_lower_hex(version, 2) || version == "ff" || !is_lower_hex(flags, 2) {
        return None;
    }
    // Version 00 has exactly four fields; later versions may append more.
    if version == "00" && parts.next().is_some() {
        return None;
    }
    if !is_lower_hex(trace, 32) || !is_lower_hex(span, 16) {
        return None;
    }
    let trace_id = u128::from_str_radix(trace, 16).ok().filter(|&t| t != 0)?;
    let span_id = u64::from_str_radix(span, 16).ok().filter(|&s| s != 0)?;
    Some(RemoteParent {
        trace_id: TraceId(trace_id),
        span_id: SpanId(span_id),
    })
}

/// The header for a call made from span `span_id` of trace `trace_id` (always sampled: what
/// is traced here is exported).
pub fn traceparent(trace_id: TraceId, span_id: SpanId) -> String {
    format!("00-{}-{}-01", trace_id.hex(), span_id.hex())
}

fn is_lower_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
    const SPAN: &str = "00f067aa0ba902b7";

    #[test]
    fn valid_headers_round_trip() {
        let header = format!("00-{TRACE}-{SPAN}-01");
        let parent = parse_traceparent(&header);
        assert_eq!(parent.map(|p| p.trace_id.hex()).as_deref(), Some(TRACE));
        assert_eq!(parent.map(|p| p.span_id.hex()).as_deref(), Some(SPAN));
        assert_eq!(parent.map(|p| traceparent(p.trace_id, p.span_id)), Some(header));
        // A future version may carry more fields.
        assert!(parse_traceparent(&format!("01-{TRACE}-{SPAN}-00-extra")).is_some());
    }

    #[test]
    fn malformed_headers_are_ignored() {
        let zeros = "0".repeat(32);
        for bad in [
            String::new(),
            "garbage".into(),
            format!("ff-{TRACE}-{SPAN}-01"),
            format!("00-{}-{SPAN}-01", TRACE.to_uppercase()),
            format!("00-{zeros}-{SPAN}-01"),
            format!("00-{TRACE}-0000000000000000-01"),
            format!("00-{TRACE}-{SPAN}"),
            format!("00-{TRACE}-{SPAN}-01-extra"),
            format!("00-{}-{SPAN}-01", &TRACE[1..]),
        ] {
            assert_eq!(parse_traceparent(&bad), None, "{bad}");
        }
    }
}
