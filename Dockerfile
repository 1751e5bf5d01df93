# syntax=docker/dockerfile:1
# taskwatch container image: `docker build -t taskwatch:local .`
#
# Stage 1 builds the shaded jar with Maven; stage 2 is a plain JRE 17 that runs it as a non-root user.
# The base images are pinned by tag; pin them by digest in your own registry for reproducible builds.

ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${MAVEN_IMAGE} AS build
WORKDIR /build
# Dependencies first, so that a source-only change reuses this layer (and the BuildKit cache mount keeps ~/.m2
# across builds even when the pom changes). go-offline also resolves the plugins the package phase needs.
COPY pom.xml ./
RUN --mount=type=cache,target=/root/.m2 mvn -B -q dependency:go-offline
COPY schemas ./schemas
COPY src ./src
# Tests run in CI (`mvn -B verify`), not in the image build (.dockerignore leaves src/test out).
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -Dmaven.test.skip=true package \
    && cp target/taskwatch.jar /build/taskwatch.jar

FROM ${RUNTIME_IMAGE}
ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="taskwatch" \
      org.opencontainers.image.description="Turns the polled task-center APIs of OTC / Huawei Cloud database services into exactly-once Kafka events." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="docker.io/library/eclipse-temurin:17-jre" \
      org.opencontainers.image.licenses="Apache-2.0"

# A fixed numeric uid/gid so Kubernetes can check runAsNonRoot without a passwd lookup and fsGroup matches.
# /var/lib/taskwatch/state is the transitions state dir (RocksDB); a volume is mounted there in compose and k8s, and
# a named Docker volume copies this directory's ownership on first use.
RUN groupadd --system --gid 10001 taskwatch \
    && useradd --system --uid 10001 --gid taskwatch --home-dir /var/lib/taskwatch --shell /usr/sbin/nologin taskwatch \
    && mkdir -p /app /etc/taskwatch /var/lib/taskwatch/state \
    && chown -R 10001:10001 /var/lib/taskwatch
COPY --from=build --chown=root:root /build/taskwatch.jar /app/taskwatch.jar

USER 10001:10001
WORKDIR /var/lib/taskwatch
# The ops HTTP server (config key http.port). The config files shipped in deploy/ read the port from this variable,
# and the HEALTHCHECK below uses it too, so both move together.
ENV TASKWATCH_HTTP_PORT=8080
EXPOSE 8080

# eclipse-temurin:17-jre (Ubuntu) ships curl and wget (its Dockerfile installs both); curl is used, wget is the
# fallback should a later base image drop curl. Commands that serve no ops port (simulate, events) override or disable
# this check in docker-compose.yml.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${TASKWATCH_HTTP_PORT}/health/live" \
        || wget -q -O /dev/null "http://127.0.0.1:${TASKWATCH_HTTP_PORT}/health/live" \
        || exit 1

# Container-aware memory: the heap takes a share of the container's memory limit rather than of the host's.
# 60% leaves room for RocksDB (off-heap, transitions role), Kafka client buffers, metaspace and thread stacks.
# Extra JVM options: set JAVA_TOOL_OPTIONS (the JVM reads it itself; it is appended after these flags and wins).
# ExitOnOutOfMemoryError lets the orchestrator restart a broken JVM instead of leaving it half alive.
ENTRYPOINT ["java", \
    "-XX:MaxRAMPercentage=60.0", \
    "-XX:InitialRAMPercentage=30.0", \
    "-XX:+ExitOnOutOfMemoryError", \
    "-XX:+UseG1GC", \
    "-jar", "/app/taskwatch.jar"]
# Zero-setup default (DESIGN.md 5): embedded broker, in-process registry, built-in simulator.
CMD ["run"]
