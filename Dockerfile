# Data Docs' stylesheets, scripts and fonts, from the npm packages package-lock.json pins.
FROM node:20-bookworm-slim AS datadocs-assets
WORKDIR /assets
COPY pipelines/audit/datadocs_assets/package.json pipelines/audit/datadocs_assets/package-lock.json pipelines/audit/datadocs_assets/.npmrc ./
RUN npm ci

# The official Airflow image plus this package, resolved from the same lock file as dev.
FROM apache/airflow:3.3.2-python3.11

USER airflow
WORKDIR /opt/konektivitas
COPY --chown=airflow:root requirements.lock pyproject.toml ./
# The lock already pins Airflow at the image's own version, so this adds, never replaces.
RUN pip install --no-cache-dir -r requirements.lock
COPY --chown=airflow:root pipelines ./pipelines
COPY --chown=airflow:root --from=datadocs-assets /assets/node_modules ./pipelines/audit/datadocs_assets/node_modules
COPY --chown=airflow:root config ./config
RUN pip install --no-cache-dir --no-deps -e .
