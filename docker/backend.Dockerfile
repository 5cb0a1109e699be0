# The one backend image: `qlf serve` (backend), `qlf daemon` (daemon), `celery -A qlf worker`
# (worker). Built from the repository root: docker build -f docker/backend.Dockerfile .
# Everything is installed at build time from backend/pyproject.toml's pinned versions; nothing is
# fetched when a container runs.
FROM python:3.11.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# The pinned dependencies first (a layer that changes only with pyproject.toml), then the code.
COPY backend/pyproject.toml backend/pyproject.toml
RUN python -c "import tomllib; p = tomllib.load(open('backend/pyproject.toml', 'rb')); \
print('\n'.join(p['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY backend/ backend/
# Editable: the package finds backend/ql_mapping and backend/specs beside it, as in a checkout.
RUN pip install --no-deps -e backend \
    && useradd --system --uid 10001 --home-dir /var/qlf qlf \
    && mkdir -p /var/qlf/data /var/qlf/scratch /var/qlf/calib /var/qlf/var \
    && chown -R qlf:qlf /var/qlf

ENV QLF_VAR_DIR=/var/qlf/var \
    QLF_DATA_DIR=/var/qlf/data \
    QLF_SCRATCH_DIR=/var/qlf/scratch \
    QLF_CALIB_DIR=/var/qlf/calib

USER qlf
EXPOSE 8000
CMD ["qlf", "serve", "--host", "0.0.0.0", "--port", "8000"]
