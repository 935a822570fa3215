# The process engine (engine/), built from Maven Central inside the image.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY engine/pom.xml .
RUN mvn -B -q dependency:go-offline
COPY engine/src ./src
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --home /srv/engine engine && mkdir -p /srv/engine/var && chown -R engine /srv/engine
USER engine
WORKDIR /srv/engine
COPY --from=build /build/target/huiqi-engine-build.jar engine.jar
# The heap sized for a county and an exit on OutOfMemoryError (compose restarts it): docs/performance.md. The same
# default as devstack/engine.py; ENGINE_JAVA_OPTS in the container's environment replaces it.
ENV ENGINE_DATA_DIR=/srv/engine/var ENGINE_ADDRESS=0.0.0.0 \
    ENGINE_JAVA_OPTS="-Xms256m -Xmx1g -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
# A shell expands the options, then exec: java is PID 1 and gets compose's SIGTERM itself.
ENTRYPOINT ["sh", "-c", "exec java $ENGINE_JAVA_OPTS -jar /srv/engine/engine.jar"]
