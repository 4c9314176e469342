# Builds and runs SeedTrace. Used by docker-compose.yml.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -ntp -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --home /opt/seedtrace seedtrace
WORKDIR /opt/seedtrace
COPY --from=build /src/fhir-server/target/seedtrace.jar seedtrace.jar
# Start faster from the extracted layout than from the fat jar.
RUN java -Djarmode=tools -jar seedtrace.jar extract --destination app && rm seedtrace.jar \
    && mkdir -p /var/lib/seedtrace && chown -R seedtrace /var/lib/seedtrace /opt/seedtrace
USER seedtrace
ENV SEEDTRACE_DATA_DIR=/var/lib/seedtrace
VOLUME /var/lib/seedtrace
EXPOSE 8080 11112
ENTRYPOINT ["java", "-jar", "app/seedtrace.jar"]
