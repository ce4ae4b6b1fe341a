# One image for every process of the system; docker-compose.yml picks the entry point per service.
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
RUN npm run build \
 && for s in users orders; do cp -r services/$s/drizzle dist/services/$s/drizzle; done

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000 3001 3002 3003 3004
CMD ["node", "dist/api/main.js"]
