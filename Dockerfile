# One image for every process of a deployment: the API (`outreach serve`), the workers
# (`outreach worker`) and one-off commands (`outreach db upgrade`, `outreach run --distributed`).
FROM python:3.11-slim

# Chromium renders the rare JavaScript-only page during research (Playwright drives Debian's
# package); leave it out and set OUTREACH_RENDER_JS=false for a smaller image.
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY agent agent
COPY tools tools
COPY graphs graphs
COPY prompts prompts
COPY storage storage
COPY server server
COPY evals evals
COPY examples examples
RUN pip install --no-cache-dir .

RUN useradd --create-home outreach && mkdir /data && chown outreach /data
USER outreach
ENV OUTREACH_DATA_DIR=/data
CMD ["outreach", "--help"]
