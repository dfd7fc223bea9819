# The svcsim image for the sweep Job (deploy/kubernetes/sweep-job.yaml): the compiled CLI, the
# shipped scenarios, and production dependencies only.
#   docker build -t svcsim:0.1.0 .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# npm ci runs the `prepare` script, which compiles src/ into dist/.
RUN npm ci --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY scripts ./scripts
COPY scenarios ./scenarios
USER node
ENTRYPOINT ["node", "bin/svcsim.js"]
