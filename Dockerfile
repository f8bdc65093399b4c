# syntax=docker/dockerfile:1
# Pundit: one static-ish binary (demo data and the dashboard are compiled in) on a slim Debian.
# Build: docker build -t pundit .   Run: see docs/DEPLOYMENT.md.

FROM rust:1.94-bookworm AS builder
WORKDIR /src

# Dependencies first, against stub sources, so a source change does not rebuild them.
COPY Cargo.toml Cargo.lock ./
COPY crates/model/Cargo.toml crates/model/
COPY crates/model/benches crates/model/benches
COPY crates/data/Cargo.toml crates/data/
COPY crates/server/Cargo.toml crates/server/
RUN mkdir -p crates/model/src crates/data/src crates/server/src \
 && touch crates/model/src/lib.rs crates/data/src/lib.rs crates/server/src/lib.rs \
 && echo 'fn main() {}' > crates/server/src/main.rs
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    cargo build --release --locked -p pundit-server --bin pundit

# Then the real sources. COPY keeps their (older) mtimes: touch them so cargo rebuilds over the stubs.
COPY crates crates
COPY data/demo/leagues data/demo/leagues
COPY web web
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    touch crates/model/src/lib.rs crates/data/src/lib.rs crates/server/src/lib.rs crates/server/src/main.rs \
 && cargo build --release --locked -p pundit-server --bin pundit \
 && install -D target/release/pundit /out/pundit

FROM debian:bookworm-slim
# The system's CA roots are what outbound TLS (live data, SMTP, Ollama) verifies against;
# unpinned so a rebuild picks up their updates.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/pundit --create-home pundit
COPY --from=builder /out/pundit /usr/local/bin/pundit
USER 10001:10001
WORKDIR /var/lib/pundit
# The data dir only holds SQLite and a generated secret: unused with DATABASE_URL and JWT_SECRET.
ENV PUNDIT_BIND=0.0.0.0:8080 \
    PUNDIT_DATA_DIR=/var/lib/pundit \
    PUNDIT_LOG_FORMAT=json
EXPOSE 8080
# No curl in the image: bash's /dev/tcp asks /health on the port PUNDIT_BIND names.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PUNDIT_BIND##*:} && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
# SIGTERM drains in-flight requests and hands agent tasks back (up to about 10 s).
STOPSIGNAL SIGTERM
ENTRYPOINT ["pundit"]
CMD ["serve"]
