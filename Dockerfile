# The headroom gateway image: the one compiled executable on a distroless base (glibc and CA
# roots, no shell, no package manager), running as an unprivileged user with its workspace on a
# volume. Build from the repository root:  docker build -t headroom .
# Run:  docker run -e HEADROOM_PROXY_TOKEN=... -p 8787:8787 -v headroom-data:/data headroom
# ("Running it for a team" in README.md; deploy/ has compose and Kubernetes files.)

FROM node:22-bookworm-slim AS build
WORKDIR /src
# The lock file pins Bun itself, so the executable is compiled by the Bun the tests ran on.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node_modules/.bin/bun run scripts/build.ts \
  && mkdir -p /out/data \
  && cp dist/headroom /out/headroom

FROM gcr.io/distroless/base-debian12:nonroot
COPY --from=build /out/headroom /usr/local/bin/headroom
# An empty workspace owned by the runtime user, so a fresh named volume inherits that owner.
COPY --from=build --chown=65532:65532 /out/data /data
# Listens beyond loopback, so every caller that is not on this container's loopback must send
# HEADROOM_PROXY_TOKEN (the probes excepted), and the proxy refuses to start without one.
ENV HEADROOM_HOST=0.0.0.0 \
    HEADROOM_PORT=8787 \
    HEADROOM_REQUIRE_PROXY_TOKEN=on \
    HEADROOM_WORKSPACE_DIR=/data
USER 65532:65532
VOLUME ["/data"]
EXPOSE 8787
# No curl in the image: the executable asks its own /readyz.
HEALTHCHECK --interval=10s --timeout=5s --start-period=15s --retries=3 \
  CMD ["/usr/local/bin/headroom", "health"]
ENTRYPOINT ["/usr/local/bin/headroom"]
CMD ["proxy"]
