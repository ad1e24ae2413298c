# One image for the API and the worker (the command picks which). Compiled with tsc; no dev tools inside.
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY domain domain
COPY workflows workflows
COPY activities activities
COPY api api
COPY worker worker
COPY store store
COPY platform platform
COPY web web
# the web dashboard (Vue + ECharts, compiled by vite), served by the API at /
RUN npm run build && node node_modules/vite/bin/vite.js build --config web/vite.config.mjs && npm prune --omit=dev

FROM node:20.20.2-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/.web-dist dist/.web-dist
COPY package.json ./
USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
