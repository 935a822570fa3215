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
ENV ENGINE_DATA_DIR=/srv/engine/var ENGINE_ADDRESS=0.0.0.0
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/srv/engine/engine.jar"]
