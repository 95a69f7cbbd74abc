# The Tessera server as a container image. It installs the packed server tarball — the file that
# `npm run pack` writes to dist-packages/ and that the package tests install — and nothing else
# from this repository. Build:  npm run pack && docker build -t tessera .
# Run:   docker run -p 4000:4000 -v tessera-data:/var/lib/tessera tessera
# More (PostgreSQL, secrets, upgrades, rollback): docs/deploy.md.
FROM node:20-alpine

ARG TESSERA_VERSION=0.2.0

# The server and its production dependencies only, from the tarball; no compiler, no TypeScript.
COPY dist-packages/tessera-server-${TESSERA_VERSION}.tgz /tmp/tessera-server.tgz
RUN npm install --prefix /opt/tessera --omit=dev --no-audit --no-fund --loglevel=error /tmp/tessera-server.tgz \
  && rm /tmp/tessera-server.tgz \
  && npm cache clean --force \
  && mkdir -p /var/lib/tessera \
  && chown node:node /var/lib/tessera

ENV NODE_ENV=production \
  PATH=/opt/tessera/node_modules/.bin:$PATH \
  HOST=0.0.0.0 \
  PORT=4000 \
  DATABASE_URL=pglite:///var/lib/tessera/data

# The embedded database (and its lock and control files) live here; with PostgreSQL
# (DATABASE_URL=postgres://…) the volume stays empty.
VOLUME /var/lib/tessera
USER node
WORKDIR /var/lib/tessera
EXPOSE 4000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"

ENTRYPOINT ["tessera"]
CMD ["serve"]
