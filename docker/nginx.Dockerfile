# nginx with the built web application: it serves frontend/dist and proxies /api, /ws (websocket),
# /admin and /static to the backend. Built from the repository root:
# docker build -f docker/nginx.Dockerfile .
FROM node:22.18.0-bookworm-slim AS frontend
WORKDIR /frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY frontend/ ./
RUN npm run build -- --logLevel warn

FROM nginx:1.28.0-alpine
COPY docker/nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=frontend /frontend/dist /usr/share/nginx/html
EXPOSE 80
