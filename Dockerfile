# Production-like image: the TypeScript sources run with tsx (no build step), as `npm start` does.
# Stage 1 installs the runtime dependencies only; stage 2 copies them with the sources and runs as
# the unprivileged `node` user.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json package-lock.json ./
COPY --chown=node:node src ./src
COPY --chown=node:node config ./config
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8080
VOLUME ["/app/data"]
# Readiness, not mere liveness: the database answers, migrations are applied, jobs run. The slim image has no curl.
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node directly, not npm: SIGTERM from `docker stop` reaches the server, which shuts down gracefully.
CMD ["node", "--import", "tsx", "src/server.ts"]
