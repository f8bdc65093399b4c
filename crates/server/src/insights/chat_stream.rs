//! Ollama's streaming chat answer: newline-delimited JSON objects, each carrying a piece of the
//! reply (`{"message":{"role":"assistant","content":"..."},"done":false}`), then a final
//! `{"done":true,...}`. Bytes arrive in arbitrary chunks, so lines are reassembled here.

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StreamError {
    /// The server reported an error inside the stream (`{"error":"..."}`).
    #[error("the model reported an error: {0}")]
    Model(String),
    #[error("unreadable stream line: {0}")]
    Malformed(String),
}

#[derive(Deserialize)]
struct Line {
    #[serde(default)]
    message: Option<Message>,
    #[serde(default)]
    done: bool,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Deserialize)]
struct Message {
    #[serde(default)]
    content: String,
}

/// The reply assembled so far.
#[derive(Debug, Default)]
pub struct ChatStream {
    pending: Vec<u8>,
    pub text: String,
    /// Pieces received: Ollama streams about one token per line.
    pub tokens: u32,
    /// The final line has arrived.
    pub done: bool,
}

impl ChatStream {
    /// Takes the next bytes of the body; complete lines are read at once.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), StreamError> {
        self.pending.extend_from_slice(bytes);
        while let Some(end) = self.pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            self.line(&line)?;
        }
        Ok(())
    }

    /// The body ended: reads a last line that had no newline.
    pub fn finish(&mut self) -> Result<(), StreamError> {
        let rest = std::mem::take(&mut self.pending);
        self.line(&rest)
    }

    fn line(&mut self, raw: &[u8]) -> Result<(), StreamError> {
        let text = String::from_utf8_lossy(raw);
        let text = text.trim();
        if text.is_empty() || self.done {
            return Ok(());
        }
        let line: Line = serde_json::from_str(text).map_err(|e| {
            let shown: String = text.chars().take(80).collect();
            StreamError::Malformed(format!("{e} in {shown:?}"))
        })?;
        if let Some(error) = line.error {
            return Err(StreamError::Model(error));
        }
        if let Some(message) = line.message
            && !message.content.is_empty()
        {
            self.text.push_str(&message.content);
            self.tokens += 1;
        }
        self.done |= line.done;
        Ok(())
    }
}

/// Cuts a reply stopped by the token cap back to its last full sentence, when it has one.
pub fn trim_to_sentence(text: &str) -> &str {
    let text = text.trim();
    match text.rfind(['.', '!', '?']) {
        Some(end) if end > 0 => &text[..=end],
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn piece(content: &str) -> String {
        format!(
            "{{\"model\":\"gemma3:4b\",\"created_at\":\"2026-11-22T03:00:00Z\",\"message\":{{\"role\":\"assistant\",\"content\":{}}},\"done\":false}}\n",
            serde_json::to_string(content).unwrap()
        )
    }

    #[test]
    fn joins_pieces_across_arbitrary_chunk_boundaries() {
        let body = [
            piece("Arsenal "),
            piece("look "),
            piece("strong \u{2013} really.\nYes."),
            "{\"done\":true,\"done_reason\":\"stop\",\"eval_count\":3}\n".to_string(),
        ]
        .concat();
        // Every split point, including inside multi-byte characters and JSON strings.
        for split in 1..body.len() {
            let mut s = ChatStream::default();
            s.feed(&body.as_bytes()[..split]).unwrap();
            s.feed(&body.as_bytes()[split..]).unwrap();
            s.finish().unwrap();
            assert_eq!(s.text, "Arsenal look strong \u{2013} really.\nYes.");
            assert_eq!(s.tokens, 3);
            assert!(s.done);
        }
    }

    #[test]
    fn a_last_line_without_newline_is_read_at_the_end() {
        let mut s = ChatStream::default();
        s.feed(piece("Hi").as_bytes()).unwrap();
        s.feed(b"{\"done\":true}").unwrap();
        assert!(!s.done);
        s.finish().unwrap();
        assert!(s.done);
        assert_eq!(s.text, "Hi");
    }

    #[test]
    fn error_lines_and_garbage_are_errors() {
        let mut s = ChatStream::default();
        s.feed(piece("Hi").as_bytes()).unwrap();
        let err = s.feed(b"{\"error\":\"model 'x' not found\"}\n").unwrap_err();
        assert_eq!(err, StreamError::Model("model 'x' not found".into()));
        let mut s = ChatStream::default();
        assert!(matches!(
            s.feed(b"<html>502</html>\n"),
            Err(StreamError::Malformed(_))
        ));
    }

    #[test]
    fn capped_replies_end_on_a_full_sentence() {
        assert_eq!(trim_to_sentence("One. Two is cut"), "One.");
        assert_eq!(trim_to_sentence("  no stop at all "), "no stop at all");
        assert_eq!(trim_to_sentence("Done!"), "Done!");
    }
}
