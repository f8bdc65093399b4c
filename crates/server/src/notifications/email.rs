//! Notification emails over SMTP (`SMTP_URL`). Sending happens in a spawned task so a slow or
//! unreachable mail server never delays the request that caused the notification.

use std::time::Duration;

use anyhow::Context;
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, header::ContentType},
};

use crate::config::Config;

/// How long one delivery attempt (connect, dialogue, data) may take.
const SEND_TIMEOUT: Duration = Duration::from_secs(20);

/// A message to one recipient.
#[derive(Debug, Clone)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Whether notification emails can be sent at all.
pub fn configured(config: &Config) -> bool {
    config.smtp_url.as_ref().is_some_and(|url| !url.is_empty())
}

fn build(from: &str, email: &Email) -> anyhow::Result<Message> {
    let from: Mailbox = from
        .parse()
        .with_context(|| format!("SMTP_FROM {from:?} is not a valid address"))?;
    let to: Mailbox = email.to.parse().context("the recipient address is not valid")?;
    let text = format!(
        "{}\n\n--\nPundit. Choose which notifications reach you by email in your notification preferences.\n",
        email.body
    );
    Message::builder()
        .from(from)
        .to(to)
        .subject(email.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(text)
        .context("cannot build the email")
}

/// Sends one email now. Does nothing (successfully) when SMTP is not configured.
pub async fn send(config: &Config, email: &Email) -> anyhow::Result<()> {
    let Some(url) = config.smtp_url.as_ref().filter(|url| !url.is_empty()) else {
        return Ok(());
    };
    let message = build(&config.smtp_from, email)?;
    // The URL holds credentials: errors describe the failure, never the URL.
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
        .context("SMTP_URL is not a usable SMTP URL")?
        .timeout(Some(SEND_TIMEOUT))
        .build();
    transport.send(message).await.context("SMTP delivery failed")?;
    Ok(())
}

/// Sends in a background task; failures are logged and counted, never returned.
pub fn spawn_send(config: &Config, email: Email) {
    if !configured(config) {
        return;
    }
    let config = config.clone();
    tokio::spawn(async move {
        match send(&config, &email).await {
            Ok(()) => {
                metrics::counter!("pundit_notification_emails_total", "outcome" => "sent").increment(1);
                tracing::debug!(subject = %email.subject, "notification email sent");
            }
            Err(e) => {
                metrics::counter!("pundit_notification_emails_total", "outcome" => "failed").increment(1);
                tracing::warn!(error = format!("{e:#}"), "notification email not sent");
            }
        }
    });
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn builds_a_plain_text_message_and_rejects_bad_addresses() {
        let email = Email {
            to: "ann@example.com".into(),
            subject: "Kick-off".into(),
            body: "Arsenal v Spurs starts now".into(),
        };
        let message = build("Pundit <noreply@pundit.local>", &email).unwrap();
        let raw = String::from_utf8(message.formatted()).unwrap();
        assert!(raw.contains("Subject: Kick-off"));
        assert!(raw.contains("To: ann@example.com"));
        assert!(raw.contains("Arsenal v Spurs starts now"));

        assert!(build("not an address", &email).is_err());
        let bad = Email {
            to: "nobody".into(),
            ..email
        };
        assert!(build("noreply@pundit.local", &bad).is_err());
    }
}
