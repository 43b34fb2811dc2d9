# supportcheck as a container image, for GitLab CI and other runners that
# take an image rather than a binary:
#
#   docker build -t supportcheck .
#   docker run --rm -v "$PWD:/work" supportcheck check
#
# The build stage compiles a static (musl) binary; the runtime stage is
# Alpine, which keeps a shell because GitLab runs a job's `script:` lines
# with one. The binary is the entrypoint and runs as an unprivileged user.

FROM rust:1-alpine AS build
RUN apk add --no-cache musl-dev gcc
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY checklists checklists
COPY crates crates
COPY src src
RUN cargo build --release --locked \
    && strip target/release/supportcheck \
    && ./target/release/supportcheck --version

FROM alpine:3.22
RUN adduser -D -H -u 10001 supportcheck
COPY --from=build /src/target/release/supportcheck /usr/local/bin/supportcheck
USER 10001
WORKDIR /work
ENTRYPOINT ["supportcheck"]
CMD ["check"]
