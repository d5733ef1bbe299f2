# syntax=docker/dockerfile:1
# The image the Helm chart (charts/corral) runs: `corral` on Node 24, with runc and conmon for the
# node agent. One image for every component; the chart passes the subcommand (apiserver,
# controllers, agent). Build from the repository root:
#   docker build -t corral:0.1.0 .
# Debian bookworm, as the developers' machines: the same runc (1.1) and conmon (2.1) the agent's
# end-to-end tests run against.
ARG NODE_IMAGE=node:24-bookworm-slim

# 1. Production dependencies only, pinned by package-lock.json. `npm install` rather than
#    `npm ci`: node-unix-socket lists per-platform optional packages the registry does not all
#    serve, which `npm ci` reports as a lock file out of sync (see scripts/bootstrap.mjs).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# 2. The runtime: runc and conmon (the agent's container runtime), mount/umount, du, script and
#    nsenter (util-linux, coreutils and bsdutils, already in the base) for overlays, disk checks,
#    tty exec and health probes; ca-certificates for image registries and fetcher downloads.
FROM ${NODE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends runc conmon ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# The sources Node runs as they are (type stripping, no build step) and the CRDs the API server
# installs at start; .dockerignore leaves out tests, benchmarks, docs and the chart.
COPY . .
ENV NODE_ENV=production
# The API server and the controllers run as the base image's `node` user (uid 1000, as the
# chart's securityContext says); the agent's pod runs it as root, which runc needs.
USER 1000:1000
ENTRYPOINT ["node", "/app/cli/corral.ts"]
CMD ["--help"]
