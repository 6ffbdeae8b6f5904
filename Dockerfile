# memtape API and worker image (one image, the command picks the role).
FROM node:24-bookworm-slim
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
COPY scripts ./scripts
RUN npm ci --omit=dev --ignore-scripts=false
COPY . .
ENV NODE_ENV=production
EXPOSE 8080
ENTRYPOINT ["node", "src/cli/main.ts"]
CMD ["serve"]
