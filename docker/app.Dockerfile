# The Python side of the service: workers, web UI (gunicorn) and the operator's commands.
# Built from the repository root:  docker build -f docker/app.Dockerfile -t huiqi-app .
FROM python:3.11-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --create-home --home-dir /srv/huiqi huiqi
WORKDIR /srv/huiqi/app
COPY pyproject.toml README.md ./
COPY domain ./domain
COPY workers ./workers
COPY webui ./webui
COPY devstack ./devstack
COPY bpmn ./bpmn
COPY forms ./forms
RUN pip install --no-cache-dir ".[postgres,production]"
USER huiqi
ENV HUIQI_VAR_DIR=/srv/huiqi/var PYTHONUNBUFFERED=1
# The command is the service's: workers, web UI or a one-shot operator command (see compose.yaml).
CMD ["gunicorn", "-c", "python:webui.gunicorn_conf", "webui.wsgi:app"]
