# One image for every process of the system; docker-compose.yml and the Helm chart pick the entry point per process.
# Build: compile TypeScript and prebuild the workflow bundle. Runtime: production dependencies only, non-root.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY contracts ./contracts
COPY lib ./lib
COPY services ./services
COPY activities ./activities
COPY workflows ./workflows
COPY workers ./workers
COPY api ./api
COPY scripts ./scripts
COPY web ./web
RUN npm run build \
 && for dir in services/*/drizzle; do cp -r "$dir" "dist/$dir"; done

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
# Numeric (the image's `node` user) so Kubernetes can verify runAsNonRoot; the root filesystem may be read-only.
USER 1000:1000
EXPOSE 3000 3001 3002 3003 3004 3005
CMD ["node", "dist/api/main.js"]
