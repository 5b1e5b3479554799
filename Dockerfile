# One image for the server and the dashboard (docker-compose.yml picks the command).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 \
 && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml constraints.txt README.md ./
RUN pip install --no-cache-dir -c constraints.txt .

COPY server server
COPY etl etl
COPY dash_app dash_app
COPY forms forms
COPY docs/forms docs/forms

RUN useradd --system --home /app zouqu && mkdir -p /srv/static /srv/media && chown zouqu /srv/media
USER zouqu
EXPOSE 8000 8050
