# syntax=docker/dockerfile:1
# BaserDB: build the Maven reactor on JDK 17, run the Spring Boot jar on a JRE 17.
# Tests are not run here (they need a PostgreSQL server); run `mvn verify` before building.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The cache mount keeps downloaded dependencies between builds (BuildKit, the default builder).
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package

FROM eclipse-temurin:17-jre
# curl only serves the HEALTHCHECK below.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system baserdb \
    && useradd --system --gid baserdb --home-dir /app --no-create-home baserdb \
    && mkdir -p /app/data \
    && chown -R baserdb:baserdb /app
WORKDIR /app
COPY --from=build /src/api/target/baserdb.jar /app/baserdb.jar
USER baserdb
ENV BASERDB_PORT=8080 \
    BASERDB_DATA_DIR=/app/data \
    JAVA_OPTS="-XX:MaxRAMPercentage=75"
EXPOSE 8080
# /api/healthz answers 503 when PostgreSQL is down; its database check can wait for a pool
# connection for up to 10 s, hence the timeout.
HEALTHCHECK --interval=15s --timeout=15s --start-period=60s --retries=3 \
    CMD curl -fsS -o /dev/null http://localhost:8080/api/healthz || exit 1
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -Ddisable-axoniq-console-message=true -jar /app/baserdb.jar"]
