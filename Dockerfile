# syntax=docker/dockerfile:1
# Vigil's container image: built in a Rust stage, shipped in a distroless
# image that holds the binary, glibc, CA roots and nothing else, run as a
# non-root user.
#
#   docker build --build-arg VIGIL_BUILD_COMMIT="$(git rev-parse HEAD)" -t vigil .
#   docker run --rm -v "$PWD:/work:ro" vigil scan . --no-store
#
# With a shell, for CI systems that run scripts inside the image (GitLab):
#   docker build --build-arg RUNTIME_IMAGE=gcr.io/distroless/cc-debian12:debug-nonroot -t vigil:debug .

ARG RUST_IMAGE=docker.io/library/rust:1.95-slim-bookworm
ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian12:nonroot
# Where the binary comes from: the `build` stage below, or an image that
# already holds /usr/local/bin/vigil (the tests build one from the binary
# they tested, since this machine reaches no image registry).
ARG BINARY_IMAGE=build

FROM ${RUST_IMAGE} AS build
# `.git` is not in the build context: the commit `vigil --version` names
# comes in as an argument.
ARG VIGIL_BUILD_COMMIT=""
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    VIGIL_BUILD_COMMIT="${VIGIL_BUILD_COMMIT}" cargo build --release --locked -p vigil \
    && install -D target/release/vigil /usr/local/bin/vigil

FROM ${BINARY_IMAGE} AS binary

FROM ${RUNTIME_IMAGE}
COPY --from=binary /usr/local/bin/vigil /usr/local/bin/vigil
# distroless's `nonroot` user, by number so that Kubernetes'
# `runAsNonRoot` can verify it without reading /etc/passwd.
USER 65532:65532
# The findings store goes under $HOME unless --store or VIGIL_STORE says
# otherwise; mount the templates to scan at /work.
ENV HOME=/home/nonroot
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/vigil"]
CMD ["--help"]
